// The leaderboard's results table: one render for the build-time first rows and for the browser's filtered list. Ranks
// are tie groups (tieRanks over the ranked rows as filtered, threshold from noise_summary): the top 10 first, the rest
// behind "see more (N)", and results that cannot rank (invalid, over the cap, dead ends, baselines) in their own greyed
// section. Only the rows drawn are loaded (leaderboardPage), with the counts of all of them.
import { sourceTitle } from '../db/format.ts';
import { num, plural, timeText } from '../format.ts';
import { agentUrl, focusHref } from '../links.ts';
import { leaderboard, leaderboardPage, type LeaderboardFilters, type LeaderboardPageRow, type LeaderboardRow } from '../queries/leaderboard.sql.ts';
import { NO_TIE, tieRanks } from '../ties.ts';
import { tieNote } from './tie-note.ts';
import { el, type View, type ViewCtx } from './view.ts';

export interface LeaderboardTableFilters extends LeaderboardFilters {
  /** Rows that may rank drawn (the first paint shows the first screen, the browser a few hundred). */
  limit: number;
  /** Rows drawn in the not-ranked section; absent: as many as `limit`. */
  limitUnranked?: number;
}

/** Ranked rows shown before "see more". */
export const TOP = 10;

/** What the table draws in the browser: the first rows that may rank and that cannot ("View the SQL" has every one). */
export const BROWSER_PAGE = { ranked: 200, unranked: 50 } as const;

/** The rank text of each ranked row (tie groups over the rows as given, best first), keyed by filename. */
export function rankTexts(rows: readonly LeaderboardRow[]): Map<string, string> {
  const ranked = rows.filter((r) => r.ranked);
  const threshold = rows[0]?.tie_threshold ?? null;
  return new Map(tieRanks(ranked, threshold, (r) => r.score).map((t) => [t.item.filename, t.text]));
}

/** Why a row is not ranked. */
const whyNot = (r: LeaderboardRow): string => (r.state === 'invalid' ? 'invalid' : r.state === 'negative' ? 'dead end' : r.state === 'baseline' ? 'baseline' : 'over the cap');

/** The Links cell: the submission, artifacts and any http(s) link from the frontmatter (only http(s) become links). */
function linksCell(doc: Document, r: LeaderboardRow): HTMLElement {
  const td = el(doc, 'td', { class: 'links' });
  const add = (label: string, target: string): void => {
    if (td.childNodes.length) td.append(' · ');
    td.append(/^https?:\/\//i.test(target) ? el(doc, 'a', { href: target, rel: 'nofollow noopener noreferrer', title: target }, label) : el(doc, 'span', { title: target }, label));
  };
  if (r.submission) add('submission', r.submission);
  const artifacts = r.artifacts ?? [];
  for (const [i, a] of artifacts.entries()) add(artifacts.length > 1 ? `artifact ${i + 1}` : 'artifact', a);
  for (const [i, link] of (r.links ?? []).entries()) add(`link ${i + 1}`, link);
  return td;
}

function row(doc: Document, r: LeaderboardRow, rank: string, ctx: ViewCtx): HTMLElement {
  const td = (child: Node | string, cls: string | null = null) => el(doc, 'td', { class: cls }, child);
  // Hover tells where a recovered value came from (frontmatter, description, body or a linked run).
  const title = sourceTitle(r.secondary_source, r.secondary_evidence, r.value_conflicts);
  return el(
    doc,
    'tr',
    { class: r.ranked ? null : 'not-ranked', 'data-file': r.filename },
    td(rank, 'num'),
    td(num(r.score), 'num'),
    td(title ? el(doc, 'span', { title }, num(r.secondary)) : num(r.secondary), 'num'),
    td(el(doc, 'span', { class: `state state-${r.state}` }, r.ranked ? r.state : whyNot(r))),
    td(r.agent ? el(doc, 'a', { href: agentUrl(ctx.base, r.agent, ctx.unpaged) }, r.agent) : ''),
    el(doc, 'td', { class: 'desc' }, el(doc, 'div', { class: 'clamp' }, r.description ?? '')),
    el(doc, 'td', { class: 'method' }, el(doc, 'code', { title: r.method }, r.method ?? '')),
    linksCell(doc, r),
    td(timeText(r.ts)),
    td(el(doc, 'a', { href: focusHref(ctx.base, r.filename) }, r.filename)),
  );
}

function table(doc: Document, label: string, rows: HTMLElement[], ctx: ViewCtx, attrs: Record<string, string | boolean> = {}): HTMLElement {
  const th = (t: string) => el(doc, 'th', { scope: 'col' }, t);
  const cols = ['rank', ctx.config.score_label, ctx.config.secondary_label, 'state', 'agent', 'description', 'method', 'links', 'posted (UTC)', 'result'];
  const head = el(doc, 'thead', {}, el(doc, 'tr', {}, ...cols.map(th)));
  return el(doc, 'div', { class: 'table-wrap' }, el(doc, 'table', { class: 'data', 'aria-label': label }, head, el(doc, 'tbody', attrs, ...rows)));
}

export const leaderboardTable: View<LeaderboardTableFilters, LeaderboardPageRow> = {
  name: 'leaderboard-table',
  // "View the SQL" gives every result under the filters; the table loads only the rows it draws and the counts.
  query: (f, config) => leaderboard(config, f),
  load: (f, config, run) => run<LeaderboardPageRow>(leaderboardPage(config, f, { ranked: f.limit, unranked: f.limitUnranked ?? f.limit })),
  render(rows, ctx, f) {
    const { doc } = ctx;
    const ranks = rankTexts(rows);
    const ranked = rows.filter((r) => r.ranked);
    const others = rows.filter((r) => !r.ranked);
    const shownRanked = ranked.slice(0, f.limit);
    const shownOthers = others.slice(0, f.limitUnranked ?? f.limit);
    const first = rows[0];
    const nResults = first?.n_results ?? 0;
    const nRanked = first?.n_ranked ?? 0;
    const wrap = el(doc, 'div', { class: 'leaderboard' }, first !== undefined && tieNote(doc, ctx.base, { ...NO_TIE, threshold: first.tie_threshold }, ctx.config));
    const tr = (r: LeaderboardRow) => row(doc, r, ranks.get(r.filename) ?? '–', ctx);
    wrap.append(table(doc, 'Results', shownRanked.slice(0, TOP).map(tr), ctx, { 'data-rows': true }));
    if (nRanked > TOP) {
      const more = el(doc, 'details', { 'data-more-ranked': true }, el(doc, 'summary', {}, `see more (${num(nRanked - TOP)})`));
      more.append(table(doc, 'More results', shownRanked.slice(TOP).map(tr), ctx, { 'data-rows-more': true }));
      if (shownRanked.length < nRanked) more.append(el(doc, 'p', { class: 'muted' }, `The first ${num(shownRanked.length)} of ${num(nRanked)} ranked results.`));
      wrap.append(more);
    }
    const nOthers = nResults - nRanked;
    if (nOthers > 0) {
      const why = (first?.not_ranked ?? []).map((w) => `${w.why} ${num(w.n)}`).join(' · ');
      const section = el(doc, 'section', { class: 'not-ranked', 'aria-label': 'Not ranked' }, el(doc, 'h3', {}, `Not ranked (${num(nOthers)}): ${why}`));
      section.append(el(doc, 'p', { class: 'muted' }, 'Invalid and over-cap results, dead ends and baselines never take a rank or raise the best.'));
      section.append(table(doc, 'Not ranked', shownOthers.map(tr), ctx, { 'data-rows-unranked': true }));
      wrap.append(section);
    }
    const shown = shownRanked.length + shownOthers.length;
    if (shown < nResults) {
      wrap.append(
        el(doc, 'p', { class: 'muted', 'data-more': true }, `Showing ${num(shown)} of ${plural(nResults, 'result')}: the filters above narrow the list, and “View the SQL” lists every one in the console.`),
      );
    }
    return wrap;
  },
};
