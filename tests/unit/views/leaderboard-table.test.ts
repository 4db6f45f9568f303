// The leaderboard table: tie-group ranks over the rows as given, top 10 first, a greyed section for what cannot rank.
import { describe, expect, it } from 'vitest';
import { leaderboardSteps } from '../../../src/lib/charts/leaderboard-timeline.ts';
import { serverDocument } from '../../../src/lib/charts/ssr.ts';
import { DEFAULT_CONFIG } from '../../../src/lib/config.ts';
import type { LeaderboardPageRow, LeaderboardRow } from '../../../src/lib/queries/leaderboard.sql.ts';
import { leaderboardTable, rankTexts, TOP } from '../../../src/lib/views/leaderboard-table.ts';
import { LEADERBOARD } from '../../fixtures/chart-rows.ts';

/** The fixture in the page's order: rankable first, best first. */
const ordered = (rows: readonly LeaderboardRow[]): LeaderboardRow[] =>
  [...rows].sort((a, b) => Number(b.ranked) - Number(a.ranked) || b.score - a.score);

/** Rows as leaderboardPage returns them: each carries the counts of the whole list (here: these rows). */
function page(rows: readonly LeaderboardRow[]): LeaderboardPageRow[] {
  const why = new Map<string, number>();
  for (const r of rows) {
    if (r.ranked) continue;
    const k = r.state === 'invalid' ? 'invalid' : r.state === 'negative' ? 'dead end' : r.state === 'baseline' ? 'baseline' : 'over the cap';
    why.set(k, (why.get(k) ?? 0) + 1);
  }
  const notRanked = [...why].map(([k, n]) => ({ why: k, n }));
  return rows.map((r) => ({ ...r, n_results: rows.length, n_ranked: rows.filter((x) => x.ranked).length, not_ranked: notRanked }));
}

const render = (rows: LeaderboardRow[], limit = Number.MAX_SAFE_INTEGER) =>
  leaderboardTable.render(page(rows), { doc: serverDocument(), base: '/', config: DEFAULT_CONFIG, unpaged: null }, { limit });

describe('leaderboard table', () => {
  it('ranks the rankable rows in tie groups; the others get no rank', () => {
    const rows = ordered(LEADERBOARD);
    const ranks = rankTexts(rows);
    const rankable = rows.filter((r) => r.ranked);
    expect([...ranks.keys()]).toEqual(rankable.map((r) => r.filename));
    // Walked here: a group holds the rows within 4 of its top.
    let top = rankable[0]!.score;
    let start = 0;
    rankable.forEach((r, i) => {
      if (top - r.score > 4) {
        top = r.score;
        start = i;
      }
      const text = ranks.get(r.filename)!;
      expect(text.startsWith(String(start + 1))).toBe(true);
    });
  });

  it('draws the top 10, "see more" for the rest, and a not-ranked section naming why', () => {
    const many = ordered([...LEADERBOARD, ...LEADERBOARD.filter((r) => r.ranked).map((r, i) => ({ ...r, filename: `x${i}.md`, score: r.score - 50 }))]);
    const node = render(many);
    const rankable = many.filter((r) => r.ranked).length;
    expect(rankable).toBeGreaterThan(TOP);
    expect(node.querySelectorAll('tbody[data-rows] tr').length).toBe(TOP);
    expect(node.querySelector('[data-more-ranked] summary')?.textContent).toBe(`see more (${rankable - TOP})`);
    expect(node.querySelectorAll('tbody[data-rows-more] tr').length).toBe(rankable - TOP);
    const unranked = [...node.querySelectorAll('tbody[data-rows-unranked] tr')];
    expect(unranked.length).toBe(many.length - rankable);
    expect(unranked.every((tr) => tr.classList.contains('not-ranked'))).toBe(true);
    expect(node.querySelector('section.not-ranked h3')?.textContent).toMatch(/^Not ranked \(\d+\): /);
    expect(node.querySelector('.tie-note a')?.getAttribute('href')).toBe('/noise/');
  });

  it('links only http(s) targets; hf:// URIs stay text with the URI as title', () => {
    const node = render(ordered(LEADERBOARD));
    const cells = [...node.querySelectorAll('td.links')];
    const anchors = cells.flatMap((c) => [...c.querySelectorAll('a')].map((a) => a.getAttribute('href')));
    expect(anchors).toEqual(['https://example.org/notes']);
    expect(cells.some((c) => c.querySelector('span[title^="hf://"]'))).toBe(true);
  });

  it('the chart running best steps only at rows that may rank', () => {
    const steps = leaderboardSteps(LEADERBOARD, DEFAULT_CONFIG);
    expect(steps.length).toBeGreaterThan(1);
    expect(steps.every((s) => s.item.ranked)).toBe(true);
    for (let i = 1; i < steps.length; i++) expect(steps[i]!.score).toBeGreaterThan(steps[i - 1]!.score);
  });
});
