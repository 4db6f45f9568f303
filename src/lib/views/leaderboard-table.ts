// The leaderboard's results table: one render for the build-time first rows and for the browser's filtered list. Ranks
// are tie groups (tieRanks over the ranked rows as filtered, threshold from noise_summary): the top 10 first, the rest
// behind "see more (N)", and results that cannot rank (invalid, over the cap, dead ends, baselines) in their own greyed
// section.
import { sourceTitle } from '../db/format.ts';
import { num, plural, timeText } from '../format.ts';
import { agentUrl, focusHref } from '../links.ts';
import { leaderboard, type LeaderboardFilters, type LeaderboardRow } from '../queries/leaderboard.sql.ts';
import { NO_TIE, tieRanks } from '../ties.ts';
import { tieNote } from './tie-note.ts';
import { el, type View, type ViewCtx } from './view.ts';

export interface LeaderboardTableFilters extends LeaderboardFilters {
  /** Rankable rows drawn (the first paint shows the first screen); null: all. */
  limit: number | null;
  /** Rows drawn in the not-ranked section; null or absent: as many as `limit`. */
  limitUnranked?: number | null;
}

/** Ranked rows shown before "see more". */
export const TOP = 10;

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

export const leaderboardTable: View<LeaderboardTableFilters, LeaderboardRow> = {
  name: 'leaderboard-table',
  query: (f, config) => leaderboard(config, f),
  render(rows, ctx, f) {
    const { doc } = ctx;
    const cap = <T>(xs: T[]): T[] => (f.limit === null ? xs : xs.slice(0, f.limit));
    const ranks = rankTexts(rows);
    const ranked = rows.filter((r) => r.ranked);
    const others = rows.filter((r) => !r.ranked);
    const shownRanked = cap(ranked);
    const shownOthers = f.limit === null ? others : others.slice(0, f.limitUnranked ?? f.limit);
    const wrap = el(doc, 'div', { class: 'leaderboard' }, rows.length > 0 && tieNote(doc, ctx.base, { ...NO_TIE, threshold: rows[0]!.tie_threshold }, ctx.config));
    const tr = (r: LeaderboardRow) => row(doc, r, ranks.get(r.filename) ?? '–', ctx);
    wrap.append(table(doc, 'Results', shownRanked.slice(0, TOP).map(tr), ctx, { 'data-rows': true }));
    if (ranked.length > TOP) {
      const more = el(doc, 'details', { 'data-more-ranked': true }, el(doc, 'summary', {}, `see more (${num(ranked.length - TOP)})`));
      more.append(table(doc, 'More results', shownRanked.slice(TOP).map(tr), ctx, { 'data-rows-more': true }));
      wrap.append(more);
    }
    if (others.length) {
      const counts = new Map<string, number>();
      for (const r of others) counts.set(whyNot(r), (counts.get(whyNot(r)) ?? 0) + 1);
      const why = [...counts].map(([k, n]) => `${k} ${num(n)}`).join(' · ');
      const section = el(doc, 'section', { class: 'not-ranked', 'aria-label': 'Not ranked' }, el(doc, 'h3', {}, `Not ranked (${num(others.length)}): ${why}`));
      section.append(el(doc, 'p', { class: 'muted' }, 'Invalid and over-cap results, dead ends and baselines never take a rank or raise the best.'));
      section.append(table(doc, 'Not ranked', shownOthers.map(tr), ctx, { 'data-rows-unranked': true }));
      wrap.append(section);
    }
    const shown = shownRanked.length + shownOthers.length;
    if (shown < rows.length) wrap.append(el(doc, 'p', { class: 'muted', 'data-more': true }, `Showing ${num(shown)} of ${plural(rows.length, 'result')}; the full list loads in your browser.`));
    return wrap;
  },
};
