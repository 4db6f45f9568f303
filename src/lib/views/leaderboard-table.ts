// The leaderboard's results table: one render for the build-time first rows and for the browser's filtered list.
import { sourceTitle } from '../db/format.ts';
import { minuteText, num } from '../format.ts';
import { agentUrl, focusHref } from '../links.ts';
import { leaderboard, type LeaderboardFilters, type LeaderboardRow } from '../queries/leaderboard.sql.ts';
import { el, type View } from './view.ts';

export interface LeaderboardTableFilters extends LeaderboardFilters {
  /** Rows drawn (the first paint shows the first screen); null: all. */
  limit: number | null;
}

export const leaderboardTable: View<LeaderboardTableFilters, LeaderboardRow> = {
  name: 'leaderboard-table',
  query: (f, config) => leaderboard(config, f),
  render(rows, { doc, base, config, unpaged }, f) {
    const shown = f.limit === null ? rows : rows.slice(0, f.limit);
    const th = (label: string) => el(doc, 'th', { scope: 'col' }, label);
    const td = (child: Node | string, numeric = false) => el(doc, 'td', { class: numeric ? 'num' : null }, child);
    const body = el(doc, 'tbody', { 'data-rows': true });
    for (const r of shown) {
      // Hover tells where a recovered value came from (frontmatter, description, body or a linked run).
      const title = sourceTitle(r.secondary_source, r.secondary_evidence, r.value_conflicts);
      const tr = el(doc, 'tr');
      tr.append(
        td(num(r.rank), true),
        td(num(r.score), true),
        td(title ? el(doc, 'span', { title }, num(r.secondary)) : num(r.secondary), true),
        td(el(doc, 'span', { class: `state state-${r.state}` }, r.state)),
        td(r.agent ? el(doc, 'a', { href: agentUrl(base, r.agent, unpaged) }, r.agent) : ''),
        td(el(doc, 'code', {}, r.method ?? '')),
        td(minuteText(r.ts)),
        td(el(doc, 'a', { href: focusHref(base, r.filename) }, r.filename)),
      );
      body.append(tr);
    }
    const head = el(doc, 'thead', {}, el(doc, 'tr', {}, th('rank'), th(config.score_label), th(config.secondary_label), th('state'), th('agent'), th('method'), th('posted (UTC)'), th('result')));
    const wrap = el(doc, 'div', { class: 'table-wrap' }, el(doc, 'table', { class: 'data', 'aria-label': 'Results' }, head, body));
    if (shown.length < rows.length) wrap.append(el(doc, 'p', { class: 'muted', 'data-more': true }, `Showing the first ${num(shown.length)} of ${num(rows.length)}; the full list loads in your browser.`));
    return wrap;
  },
};
