// The lineage page's evidence panel: one edge (rule, confidence, the evidence file and snippet as text, both ends) or
// one result (fields, links, edges, runs). Opened by a click, not by the URL; buttons carry data-* attributes that the
// element acts on (data-open, data-edge-parent/-child, data-technique, data-focus-on, data-close-panel).
import type { CollabConfig } from '../config.ts';
import type { QuerySpec } from '../db/connector.ts';
import { minuteText, num } from '../format.ts';
import { agentUrl, focusHref } from '../links.ts';
import { LINEAGE_RULES as RULE_TEXT } from '../lineage/rules.ts';
import { nodeState } from '../lineage/view.ts';
import {
  lineageEdgeDetail,
  lineageNodeDetail,
  lineageNodeEdges,
  resultRuns,
  type LineageEdgeDetailRow,
  type LineageNodeDetailRow,
  type LineageNodeEdgeRow,
  type ResultRunRow,
} from '../queries/lineage-page.sql.ts';
import { consoleHref } from '../sql-text.ts';
import { el, type ViewCtx, type View } from './view.ts';

type Kid = Node | string | null;
const when = (ts: string | null | undefined): string => (ts ? `${minuteText(ts)} UTC` : 'no time stamp');
const withUnit = (v: number | null, c: CollabConfig): string => `${v === null ? '–' : num(v)} ${c.unit}`;

/** The board shows messages and results; other evidence files (run requests, manifests) are named but not linked. */
const boardFile = (path: string): string | null => (/^(message_board|results)\/[^/]+\.md$/.test(path) || /^[^/]+\.md$/.test(path) ? (path.split('/').pop() ?? null) : null);

/** The panel's content: a heading (focused after a keyboard open), the parts, a close button. `state`: edge, node or error. */
export function panelBody(doc: Document, state: string, title: string, ...kids: Kid[]): HTMLElement {
  const close = el(doc, 'button', { type: 'button', class: 'linkish', 'data-close-panel': true }, 'close');
  return el(doc, 'div', { 'data-panel-state': state }, el(doc, 'h3', { tabindex: -1 }, title), ...kids, el(doc, 'p', {}, close));
}

function facts(doc: Document, pairs: [string, Node | string][]): HTMLElement {
  const dl = el(doc, 'dl', { class: 'facts' });
  for (const [k, v] of pairs) dl.append(el(doc, 'dt', {}, k), el(doc, 'dd', {}, v));
  return dl;
}

const sqlLink = (doc: Document, base: string, spec: QuerySpec, label = 'View the SQL') => el(doc, 'a', { href: consoleHref(base, spec) }, label);

export interface EdgeKey {
  parent: string;
  child: string;
}

export const edgeEvidence: View<EdgeKey, LineageEdgeDetailRow> = {
  name: 'lineage-edge',
  query: (f) => lineageEdgeDetail(f.parent, f.child),
  render(rows, { doc, base, config }, f) {
    const e = rows[0];
    if (!e) return panelBody(doc, 'error', 'Edge', el(doc, 'p', {}, 'This edge is not in the lineage tables.'));
    const end = (file: string, agent: string | null, ts: string | null, method: string | null, score: number | null) =>
      el(
        doc,
        'ul',
        {},
        el(
          doc,
          'li',
          {},
          el(doc, 'button', { type: 'button', class: 'linkish', 'data-open': file }, file),
          file.startsWith('agent:') ? ' (result not in this export)' : ` by ${agent ?? '?'}, ${when(ts)}, ${withUnit(score, config)}`,
          method ? el(doc, 'br') : null,
          method ? el(doc, 'code', {}, method) : null,
        ),
      );
    const topic = RULE_TEXT.find((t) => t.topic.startsWith(e.rule));
    const board = e.evidence_file ? boardFile(e.evidence_file) : null;
    const body = panelBody(
      doc,
      'edge',
      `${e.parent_agent ?? '?'} → ${e.child_agent ?? '?'}`,
      facts(doc, [
        ['rule', el(doc, 'span', { 'data-field': 'rule' }, e.rule)],
        ['also found by', e.extra_rules.length ? e.extra_rules.join(', ') : '–'],
        ['confidence', el(doc, 'span', { 'data-field': 'confidence' }, e.confidence.toFixed(2))],
        ['evidence file', el(doc, 'code', { 'data-field': 'evidence_file' }, e.evidence_file ?? '–')],
      ]),
      el(doc, 'h4', {}, 'Evidence'),
      el(doc, 'blockquote', { 'data-field': 'evidence' }, e.evidence ?? ''),
      board ? el(doc, 'p', {}, el(doc, 'a', { href: focusHref(base, board) }, 'The evidence file on the board')) : null,
      el(doc, 'h4', {}, 'Parent (earlier)'),
      end(e.parent, e.parent_agent, e.parent_ts, e.parent_method, e.parent_score),
      el(doc, 'h4', {}, 'Child (later)'),
      end(e.child, e.child_agent, e.child_ts, e.child_method, e.child_score),
      topic ? el(doc, 'details', {}, el(doc, 'summary', {}, `The ${e.rule} rule`), el(doc, 'p', {}, topic.rule)) : null,
      el(doc, 'p', {}, sqlLink(doc, base, lineageEdgeDetail(f.parent, f.child))),
    );
    body.dataset['edge'] = `${e.parent}\n${e.child}`;
    return body;
  },
};

/** One result's answer: its node row (absent when unknown), its edges and its runs. */
export interface NodeAnswer {
  node: LineageNodeDetailRow | undefined;
  edges: LineageNodeEdgeRow[];
  runs: ResultRunRow[];
}

export const nodeEvidence: View<{ filename: string }, NodeAnswer> = {
  name: 'lineage-node',
  query: (f) => lineageNodeDetail(f.filename),
  async load(f, _config, run) {
    const [[node], edges, runs] = await Promise.all([
      run<LineageNodeDetailRow>(lineageNodeDetail(f.filename)),
      run<LineageNodeEdgeRow>(lineageNodeEdges(f.filename)),
      run<ResultRunRow>(resultRuns(f.filename)).catch(() => [] as ResultRunRow[]),
    ]);
    return [{ node, edges, runs }];
  },
  render(answers, ctx, f) {
    const a = answers[0];
    if (!a?.node) return panelBody(ctx.doc, 'error', f.filename, el(ctx.doc, 'p', {}, 'This result is not in the lineage tables.'));
    return nodeState(a.node) === 'agent' ? agentNode(a.node, a.edges, ctx) : resultNode(a.node, a.edges, a.runs, ctx);
  },
};

/** A node's edges one way (parent: its parents; child: its children), each a button that opens the edge. */
function edgeList(doc: Document, edges: readonly LineageNodeEdgeRow[], dir: 'parent' | 'child'): HTMLElement {
  const list = edges.filter((e) => e.direction === dir);
  if (!list.length) return el(doc, 'p', { class: 'muted' }, 'none');
  const item = (e: LineageNodeEdgeRow) =>
    el(
      doc,
      'li',
      {},
      el(doc, 'button', { type: 'button', class: 'linkish', 'data-edge-parent': e.parent, 'data-edge-child': e.child }, `${e.rule} ${e.confidence.toFixed(2)}`),
      ` ${dir === 'parent' ? 'from' : 'to'} ${e.other_agent ?? '?'} (${e.other_score === null ? '–' : num(e.other_score)}) `,
      el(doc, 'code', {}, e.other_method ?? ''),
    );
  return el(doc, 'ul', {}, ...list.map(item));
}

const lineageButton = (doc: Document, filename: string) => el(doc, 'button', { type: 'button', 'data-focus-on': filename }, 'Show its lineage');
const agentLink = (n: LineageNodeDetailRow, { doc, base, unpaged }: ViewCtx) => (n.agent ? el(doc, 'a', { href: agentUrl(base, n.agent, unpaged) }, 'Agent page') : null);

/** An agent-level node: a later result credits this agent, but the result it means is not in this export. */
function agentNode(n: LineageNodeDetailRow, edges: readonly LineageNodeEdgeRow[], ctx: ViewCtx): HTMLElement {
  const { doc, base } = ctx;
  const credited = edges.filter((e) => e.direction === 'child').length;
  const why =
    `${credited === 1 ? 'A later result credits' : `${num(credited)} later results credit`} this agent (a credit, reproduction, port or delta), ` +
    "but the result meant is not in this export (leaderboard snapshots keep each agent's best), so the edge starts at the agent.";
  return panelBody(
    doc,
    'node',
    `${n.agent ?? '?'} · result not in this export`,
    el(doc, 'p', {}, why),
    facts(doc, [
      ['agent', n.agent ?? '?'],
      ['node', el(doc, 'code', { 'data-field': 'filename' }, n.filename)],
    ]),
    el(doc, 'p', { class: 'actions' }, agentLink(n, ctx), lineageButton(doc, n.filename)),
    el(doc, 'h4', {}, `Credited by (${num(credited)})`),
    edgeList(doc, edges, 'child'),
    el(doc, 'p', {}, sqlLink(doc, base, lineageNodeEdges(n.filename), 'View the edges SQL')),
  );
}

/** A result: its fields, links (board, agent), techniques (each filters the graph), edges and runs. */
function resultNode(n: LineageNodeDetailRow, edges: readonly LineageNodeEdgeRow[], runs: readonly ResultRunRow[], ctx: ViewCtx): HTMLElement {
  const { doc, base, config: c } = ctx;
  const tokens = el(doc, 'span', { class: 'token-list' }, ...n.tokens.map((t) => el(doc, 'button', { type: 'button', title: `Filter the graph by ${t}`, 'data-technique': t }, t)));
  const runList = runs.length
    ? el(doc, 'ul', {}, ...runs.map((r) => el(doc, 'li', {}, el(doc, 'code', {}, r.run_dir), ` ${r.status ?? ''} · ${withUnit(r.score, c)} · ${r.matched_by}`)))
    : el(doc, 'p', { class: 'muted' }, 'No run matched by job id or submission prefix.');
  const count = (dir: string) => num(edges.filter((e) => e.direction === dir).length);
  const state = nodeState(n);
  return panelBody(
    doc,
    'node',
    `${n.agent ?? '?'} · ${withUnit(n.score, c)}`,
    facts(doc, [
      ['result', el(doc, 'code', { 'data-field': 'filename' }, n.filename)],
      ['posted', when(n.ts)],
      [c.score_label, withUnit(n.score, c)],
      [c.secondary_label, `${n.secondary === null ? '–' : num(n.secondary)}${n.over_cap ? ` (over the cap ${c.secondary_cap})` : ''}`],
      ['state', el(doc, 'span', { class: `state state-${state}` }, state)],
      ['frontier', n.is_frontier ? 'yes: it beat every earlier eligible result' : 'no'],
      ['Pareto', n.is_pareto === null ? 'unknown' : n.is_pareto ? 'yes' : 'no'],
      ['method', el(doc, 'code', {}, n.method ?? '')],
      ['techniques', tokens],
      ['lineage depth', n.depth === null ? '–' : num(n.depth)],
    ]),
    el(doc, 'p', { class: 'actions' }, el(doc, 'a', { href: focusHref(base, n.filename) }, 'On the board'), agentLink(n, ctx), lineageButton(doc, n.filename)),
    el(doc, 'h4', {}, `Parents (${count('parent')})`),
    edgeList(doc, edges, 'parent'),
    el(doc, 'h4', {}, `Children (${count('child')})`),
    edgeList(doc, edges, 'child'),
    el(doc, 'h4', {}, `Runs (${num(runs.length)})`),
    runList,
    el(doc, 'p', {}, sqlLink(doc, base, resultRuns(n.filename), 'View the runs SQL'), ' · ', sqlLink(doc, base, lineageNodeEdges(n.filename), 'the edges SQL')),
  );
}
