// One agent's panels: figures, profile, activity, results, replies, credits, runs. The same views draw an agent's
// static page (src/pages/agents/[id].astro) and, for an agent beyond the page cap, the agents index panel in the
// browser (<atlas-agents>, which loads this module, Plot with it, only then).
import { agentFigures } from '../agent-pages.ts';
import { activitySeries, activitySummary, agentActivityChart } from '../charts/agent-activity.ts';
import { chartFigure } from '../charts/figure.ts';
import { legend } from '../charts/legend.ts';
import type { CollabConfig } from '../config.ts';
import type { QuerySpec } from '../db/connector.ts';
import { minuteText, num, timeText } from '../format.ts';
import {
  agentActivity,
  agentCreditedBy,
  agentCredits,
  agentProfile,
  agentRepliedBy,
  agentRepliesTo,
  agentResults,
  agentRuns,
  agentSummaries,
  type AgentActivityRow,
  type AgentCreditRow,
  type AgentLinkRow,
  type AgentProfileRow,
  type AgentResultRow,
  type AgentRunRow,
  type AgentSummaryRow,
} from '../queries/agents.sql.ts';
import { agentCommunity, type AgentCommunityRow } from '../queries/episodes.sql.ts';
import { episodeHref, focusHref } from '../links.ts';
import { agentLink, dataTable, markdownBody, type Head, type MarkdownKit } from './parts.ts';
import { el, type View, type ViewCtx } from './view.ts';

export interface AgentFilters {
  id: string;
  /** Heading level of each panel: 2 on the agent's page, 3 in the index panel under the agent's name. */
  level: 2 | 3;
  /** The export has no board messages: their counts are unknown, not 0 (src/lib/coverage.ts). */
  noMessages: boolean;
  /** For the bio; null draws the profile without it. */
  markdown: MarkdownKit | null;
}

const heading = (doc: Document, f: AgentFilters, text: string, cls?: string): HTMLElement => el(doc, `h${f.level}`, { class: cls }, text);
const code = (doc: Document, t: string | null): HTMLElement => el(doc, 'code', {}, t ?? '');
const section = (doc: Document, ...children: (Node | null)[]): HTMLElement => el(doc, 'section', {}, ...children);
/** A result on the board (another page: a plain link, not the board's in-page focus link). */
const resultLink = (ctx: ViewCtx, filename: string): HTMLElement => el(ctx.doc, 'a', { href: focusHref(ctx.base, filename) }, filename);

export const agentFiguresView: View<AgentFilters, AgentSummaryRow> = {
  name: 'agent-figures',
  query: (f, config) => agentSummaries(config, f.id),
  render([s], { doc, config }, f) {
    if (!s) return el(doc, 'p', { class: 'callout' }, `No agent “${f.id}” in this data.`);
    const item = (x: ReturnType<typeof agentFigures>[number]): HTMLElement =>
      el(doc, 'li', { 'data-figure': x.key }, el(doc, 'span', { class: x.when ? 'value when' : 'value', 'data-value': true }, x.value), el(doc, 'span', { class: 'label' }, x.label));
    const figures = el(doc, 'ul', { class: 'figures', 'aria-label': 'Figures' }, ...agentFigures(s, config, { messages: f.noMessages }).map(item));
    return section(doc, heading(doc, f, 'Figures', 'visually-hidden'), figures);
  },
};

function profileFacts(doc: Document, p: AgentProfileRow): HTMLElement {
  const dl = el(doc, 'dl', { class: 'facts' });
  const add = (dt: string, dd: Node | string | null | false): void => {
    if (dd) dl.append(el(doc, 'dt', {}, dt), el(doc, 'dd', {}, dd));
  };
  add('name', p.agent_name);
  add('Hugging Face user', p.hf_user);
  add('model', p.model);
  add('harness', p.harness);
  add('tools', p.tools?.length ? p.tools.join(', ') : null);
  add('bucket', p.agent_bucket && code(doc, p.agent_bucket));
  add('joined (UTC)', p.joined && minuteText(p.joined));
  add('registration', p.source_file && el(doc, 'span', {}, code(doc, p.source_file), ` (${p.source_part ?? ''})`));
  return dl;
}

export const agentProfileView: View<AgentFilters, AgentProfileRow> = {
  name: 'agent-profile',
  query: (f) => agentProfile(f.id),
  render([p], ctx, f) {
    const { doc } = ctx;
    if (!p?.registered) return section(doc, heading(doc, f, 'Profile'), el(doc, 'p', { class: 'muted' }, 'No registration: this handle appears only as the author of messages, results or runs.'));
    const bio = p.bio_md?.trim() && f.markdown ? markdownBody(ctx, f.markdown, p.bio_md, 'md bio') : el(doc, 'p', { class: 'muted' }, 'No bio.');
    return section(doc, heading(doc, f, 'Profile'), profileFacts(doc, p), bio);
  },
};

export const agentActivityView: View<AgentFilters, AgentActivityRow> = {
  name: 'agent-activity',
  query: (f) => agentActivity(f.id),
  render(rows, { doc, config }, f) {
    if (rows.length === 0) return section(doc, heading(doc, f, 'Activity over time'), el(doc, 'p', { class: 'muted' }, 'No dated messages or results.'));
    const series = f.noMessages ? (['results'] as const) : undefined;
    const fig = chartFigure(doc, {
      caption: f.noMessages ? 'Results per day (UTC)' : 'Board messages and results per day (UTC)',
      summary: activitySummary(rows, series),
      legend: legend(doc, activitySeries(series), 'Legend: what the bars count'),
      draw: (width) => agentActivityChart(rows, config, { document: doc, width, ...(series ? { series } : {}) }), // chartFigure tidies it
    });
    return section(doc, heading(doc, f, 'Activity over time'), fig);
  },
};

export const agentResultsView: View<AgentFilters, AgentResultRow> = {
  name: 'agent-results',
  query: (f) => agentResults(f.id),
  render(results, ctx, f) {
    const { doc, config: c } = ctx;
    const rows = results.map((r) => [
      minuteText(r.ts),
      num(r.score),
      num(r.secondary),
      el(doc, 'span', { class: `state state-${r.state}` }, r.state),
      code(doc, r.method),
      resultLink(ctx, r.filename),
    ]);
    const head = [{ when: 'posted (UTC)' }, { num: c.score_label }, { num: c.secondary_label }, 'state', 'method', 'result'];
    return section(doc, heading(doc, f, `Results (${num(results.length)})`), dataTable(doc, `Results of ${f.id}`, head, rows, 'No posted results.'));
  },
};

/** A table of other agents with a note and an empty text: replies (refs and mentions) and credits. */
function othersView<R extends { other: string }>(
  name: string,
  query: (id: string) => QuerySpec,
  title: string,
  note: (id: string) => string,
  empty: string,
  columns: { head: Head; cell: (ctx: ViewCtx, r: R) => Node | string }[],
): View<AgentFilters, R> {
  return {
    name,
    query: (f) => query(f.id),
    render(rows, ctx, f) {
      const { doc } = ctx;
      const cells = rows.map((r) => columns.map((c) => c.cell(ctx, r)));
      const table = dataTable(doc, title, columns.map((c) => c.head), cells, empty);
      return section(doc, heading(doc, f, title), el(doc, 'p', { class: 'muted' }, note(f.id)), table);
    },
  };
}

const other = { head: 'agent', cell: (ctx: ViewCtx, r: { other: string }) => agentLink(ctx, r.other) };
const count = <R>(label: string, v: (r: R) => number) => ({ head: { num: label }, cell: (_: ViewCtx, r: R) => num(v(r)) });
const linkColumns = [other, count<AgentLinkRow>('refs', (r) => r.refs), count<AgentLinkRow>('mentions', (r) => r.mentions), count<AgentLinkRow>('total', (r) => r.total)];
const creditColumns = [other, count<AgentCreditRow>('results', (r) => r.results), { head: 'latest', cell: (ctx: ViewCtx, r: AgentCreditRow) => resultLink(ctx, r.last_result) }];

export const agentRepliesToView = othersView<AgentLinkRow>('agent-replies-to', agentRepliesTo, 'Who they reply to', (id) => `Links out of ${id}'s messages: refs to another agent's message or result, and @-mentions.`, 'Their messages ref or mention no other agent.', linkColumns);
export const agentRepliedByView = othersView<AgentLinkRow>('agent-replied-by', agentRepliedBy, 'Who replies to them', (id) => `Other agents' messages that ref a post by ${id} or mention @${id}.`, 'No other agent refs or mentions them.', linkColumns);
export const agentCreditsView = othersView<AgentCreditRow>('agent-credits', agentCredits, 'Who they credit', (id) => `Other agents named in ${id}'s result descriptions and bodies (results.credits).`, 'Their results credit no other agent.', creditColumns);
export const agentCreditedByView = othersView<AgentCreditRow>('agent-credited-by', agentCreditedBy, 'Who credits them', (id) => `Results by other agents whose credits name ${id}.`, 'No other agent’s result credits them.', creditColumns);

export const agentRunsView: View<AgentFilters, AgentRunRow> = {
  name: 'agent-runs',
  query: (f) => agentRuns(f.id),
  render(runs, { doc, config: c }, f) {
    const rows = runs.map((r) => [minuteText(r.created_at), code(doc, r.run_dir), r.status ?? '', code(doc, r.job_id), num(r.score), num(r.secondary)]);
    const head = [{ when: 'launched (UTC)' }, 'run dir', 'status', 'job id', { num: c.score_label }, { num: c.secondary_label }];
    return section(doc, heading(doc, f, `Runs (${num(runs.length)})`), dataTable(doc, `Runs of ${f.id}`, head, rows, 'No benchmark run dirs in the export.'));
  },
};

const COMMUNITY: [string, string][] = [
  ['knowledge-base', 'Knowledge-base documents written or updated'],
  ['fixes', 'Fixes and diagnoses given to other agents'],
  ['compute', 'Compute shared (staged for others, or run for them)'],
  ['reports', 'Reports raised (loopholes, overfitting, refuted claims)'],
];

/** What the agent did for the community, from the interactions (episodes) it takes part in. */
export const agentCommunityView: View<AgentFilters, AgentCommunityRow> = {
  name: 'agent-community',
  query: (f) => agentCommunity(f.id),
  render(rows, ctx, f) {
    const { doc } = ctx;
    const list = el(doc, 'dl', { class: 'community' });
    for (const [cat, label] of COMMUNITY) {
      const mine = rows.filter((r) => r.category === cat);
      const unknown = f.noMessages && cat !== 'knowledge-base' && cat !== 'compute' && mine.length === 0;
      const seen = new Set<string>();
      const items = mine.filter((r) => !seen.has(r.episode_id) && seen.add(r.episode_id));
      list.append(
        el(doc, 'dt', { 'data-community': cat }, `${label}: ${unknown ? 'unknown (no board messages)' : num(items.length)}`),
        ...items.map((r) => el(doc, 'dd', {}, el(doc, 'a', { href: episodeHref(ctx.base, r.episode_id) }, r.title || r.episode_id), r.ts ? ` (${timeText(r.ts)})` : '')),
        // Every term has its description (a <dt> alone is not a valid group): what stands for an empty list.
        ...(items.length ? [] : [el(doc, 'dd', { class: 'muted' }, unknown ? 'not known without board messages' : 'none found')]),
      );
    }
    return section(doc, heading(doc, f, 'For the community'), list);
  },
};

/** Every panel of an agent, in page order. */
export const AGENT_VIEWS = [
  agentFiguresView,
  agentProfileView,
  agentActivityView,
  agentResultsView,
  agentRepliesToView,
  agentRepliedByView,
  agentCreditsView,
  agentCreditedByView,
  agentRunsView,
  agentCommunityView,
] as const;

/**
 * Each panel's rows for every agent, by agent then view name: each query runs once for all agents and a page per agent
 * takes its slice (the SQL a page shows is the one-agent form). Agents come in the figures' order, most active first.
 */
export async function agentPanelRows(config: CollabConfig, run: <R>(spec: QuerySpec) => Promise<R[]>): Promise<Map<string, Record<string, unknown[]>>> {
  const all: [string, QuerySpec, 'agent' | 'agent_id'][] = [
    [agentFiguresView.name, agentSummaries(config), 'agent_id'],
    [agentProfileView.name, agentProfile(), 'agent_id'],
    [agentActivityView.name, agentActivity(), 'agent'],
    [agentResultsView.name, agentResults(), 'agent'],
    [agentRepliesToView.name, agentRepliesTo(), 'agent'],
    [agentRepliedByView.name, agentRepliedBy(), 'agent'],
    [agentCreditsView.name, agentCredits(), 'agent'],
    [agentCreditedByView.name, agentCreditedBy(), 'agent'],
    [agentRunsView.name, agentRuns(), 'agent'],
    [agentCommunityView.name, agentCommunity(), 'agent'],
  ];
  const out = new Map<string, Record<string, unknown[]>>();
  for (const [name, spec, key] of all) {
    for (const r of await run<Record<string, unknown>>(spec)) {
      const id = String(r[key]);
      const panels = out.get(id) ?? {};
      (panels[name] ??= []).push(r);
      out.set(id, panels);
    }
  }
  return out;
}
