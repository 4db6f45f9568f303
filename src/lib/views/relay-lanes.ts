// Relays drawn as swimlanes: the ranked list's top relays and the open relay (`?chain=`), each a header, a swimlane
// and its steps with their sources. One render for the build-time first paint and for the browser.
import { relaySwimlane } from '../charts/relay-swimlane.ts';
import { tidyChart } from '../charts/tidy.ts';
import { minuteText } from '../format.ts';
import { agentUrl } from '../links.ts';
import { relayLanes, type RelayLaneRow } from '../queries/relays-page.sql.ts';
import type { RelayStepQueryRow } from '../queries/relays.sql.ts';
import { ROLE_STYLE, roleOf, stepSource } from '../relays/step-source.ts';
import { consoleHref } from '../sql-text.ts';
import { relayFilters, relayHref, type RelayState } from '../ui/relay-format.ts';
import { findingLine, findingsList, relayHeader } from './relay-header.ts';
import { el, type View, type ViewCtx } from './view.ts';

export interface RelayLaneFilters {
  state: RelayState;
  /** Relays drawn, from the top of the ranking. */
  top: number;
  /** Swimlane width in px. */
  width: number;
}

/** The open relay: `state.chain`, ranked among all relays. */
export interface RelayChainFilters {
  state: RelayState;
  width: number;
}

interface Lane {
  c: RelayLaneRow;
  steps: RelayStepQueryRow[];
}

/** Rows (one per step) back into relays with their steps, in rank order. */
function lanes(rows: readonly RelayLaneRow[]): Lane[] {
  const out = new Map<string, Lane>();
  for (const r of rows) {
    const lane = out.get(r.chain_id) ?? { c: r, steps: [] };
    out.set(r.chain_id, lane);
    if (r.step !== null) lane.steps.push(r as RelayStepQueryRow);
  }
  return [...out.values()];
}

function swimlane({ doc, base, config }: ViewCtx, { c, steps }: Lane, width: number): HTMLElement {
  const chart = tidyChart(relaySwimlane(c, steps, config, { document: doc, width, base }));
  const svg = chart.tagName.toLowerCase() === 'svg' ? chart : chart.querySelector('svg');
  // The steps in words (Plot's aria-description), as a caption a screen reader reaches; the step list follows too.
  const summary = svg?.getAttribute('aria-description') ?? '';
  return el(doc, 'figure', { class: 'chart swimlane' }, chart, el(doc, 'figcaption', { class: 'visually-hidden chart-summary' }, summary));
}

/** The step list of a relay: role glyph, agent, time, source (board link, run dir or document line) and evidence, all as text. */
function stepItems({ doc, base, unpaged }: ViewCtx, { c, steps }: Lane): HTMLElement[] {
  // A bracket credit merged into a board relay: its line is the bracket finding's (the relay's id names the outcome).
  const bracketLine = new Map(c.findings.filter((f) => f.source_file !== null && findingLine(f) !== null).map((f) => [f.source_file!, findingLine(f)!]));
  return steps.map((s) => {
    const role = roleOf(s.role);
    const own = stepSource(s, base);
    const src = own.kind === 'document' && own.line === null ? { ...own, line: bracketLine.get(s.source_file ?? '') ?? null } : own;
    const code = (kind: string) => el(doc, 'code', { 'data-source': kind }, src.label);
    const source =
      src.kind === 'board' && src.href
        ? [el(doc, 'a', { href: src.href, 'data-source': 'board' }, src.label)]
        : src.kind === 'run'
          ? ['run dir ', code('run')]
          : src.kind === 'document'
            ? ['document ', code('document'), src.line !== null ? `, line ${src.line}` : '']
            : [el(doc, 'code', {}, src.label)];
    return el(
      doc,
      'li',
      { class: 'step', 'data-step': s.step, 'data-role': role, 'data-part': s.source_part ?? '' },
      el(doc, 'span', { class: `glyph role-${role}`, 'aria-hidden': 'true' }, ROLE_STYLE[role].glyph),
      ' ',
      el(doc, 'strong', {}, role),
      ' by ',
      s.agent ? el(doc, 'a', { href: agentUrl(base, s.agent, unpaged) }, s.agent) : 'unknown',
      s.ts && el(doc, 'span', { class: 'when' }, ` · ${minuteText(s.ts)} UTC`),
      ' · ',
      ...source,
      el(doc, 'span', { class: 'muted rule' }, ` (${[s.rule, s.linked_by ? `linked by ${s.linked_by}` : null].filter(Boolean).join(' · ')})`),
      s.evidence && el(doc, 'q', { class: 'evidence' }, s.evidence),
    );
  });
}

/** The top relays of the ranking under the filters, best outcome first. */
export const relayLanesView: View<RelayLaneFilters, RelayLaneRow> = {
  name: 'relay-lanes',
  query: (f, config) => relayLanes(config, relayFilters(f.state), { top: f.top }),
  render(rows, ctx, f) {
    const { doc } = ctx;
    const list = el(doc, 'ol', { class: 'relays', 'data-list': true, 'aria-label': 'Relays ranked by outcome' });
    for (const lane of lanes(rows)) {
      const details = el(
        doc,
        'details',
        {},
        el(doc, 'summary', {}, `Steps and sources (${lane.steps.length})`),
        el(doc, 'ol', { class: 'steps' }, ...stepItems(ctx, lane)),
        findingsList(ctx, lane.c.findings),
      );
      const article = el(doc, 'article', {}, relayHeader(ctx, lane.c, f.state, 'h3'), swimlane(ctx, lane, f.width), details);
      list.append(el(doc, 'li', { class: 'relay', 'data-chain-id': lane.c.chain_id }, article));
    }
    if (!rows.length) list.append(el(doc, 'li', { class: 'empty muted' }, 'No relay matches these filters.'));
    return list;
  },
};

/** The open relay: header, a full-width swimlane and every step with its source. */
export const relayChainView: View<RelayChainFilters, RelayLaneRow> = {
  name: 'relay-chain',
  query: (f, config) => relayLanes(config, {}, { chainId: f.state.chain ?? '' }),
  render(rows, ctx, f) {
    const { doc, base, config } = ctx;
    const id = f.state.chain ?? '';
    const close = el(doc, 'a', { href: relayHref(base, { ...f.state, chain: null }), class: 'close' }, 'Close');
    const lane = lanes(rows)[0];
    if (!lane) return el(doc, 'div', {}, el(doc, 'p', {}, 'No relay with the id ', el(doc, 'code', {}, id), ' in this build. '), close);
    const sql = el(doc, 'a', { href: consoleHref(base, relayChainView.query(f, config)) }, 'View the SQL');
    return el(
      doc,
      'div',
      {},
      relayHeader(ctx, lane.c, f.state, 'h2'),
      swimlane(ctx, lane, f.width),
      el(doc, 'ol', { class: 'steps', 'aria-label': 'Steps' }, ...stepItems(ctx, lane)),
      el(doc, 'h3', {}, 'How it was found'),
      findingsList(ctx, lane.c.findings),
      el(doc, 'p', { class: 'muted' }, sql, ' for this relay and its steps · ', close),
    );
  },
};
