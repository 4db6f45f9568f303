// The leaderboard end to end: build-time rows and chart without JS, filters in DuckDB-WASM with the state in the URL.
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import type { RunningServer } from '../../scripts/serve.ts';
import { runQuery } from '../../src/lib/db/connector.ts';
import { formatCell } from '../../src/lib/db/format.ts';
import { timeText } from '../../src/lib/format.ts';
import { leaderboard, type LeaderboardFilters, type LeaderboardPageRow, type LeaderboardRow, type TimelineRow } from '../../src/lib/queries/leaderboard.sql.ts';
import { BROWSER_PAGE } from '../../src/lib/views/leaderboard-table.ts';
import { queryFromSearch } from '../../src/lib/console/permalink.ts';
import { STATE_STYLE } from '../../src/lib/charts/leaderboard-timeline.ts';
import { cellTexts, nodeSide, type NodeSide } from './expected.ts';
import { serveSite } from './harness.ts';
import { expectedRanks } from './story-expected.ts';
import { checkedBrowser, sharedBrowser } from './sessions.ts';
import { chooseFacet, facetForm, facetValue, siteFacetLimit } from './facets.ts';

const OUT = resolve(import.meta.dirname, '../output/e2e');
const FIRST = 20;
const TOP = 10;
const FIRST_UNRANKED = 5;
/** Every row of the three sections in document order: top 10, "see more", not ranked. */
const ROWS = ['data-rows', 'data-rows-more', 'data-rows-unranked'].map((a) => `atlas-leaderboard tbody[${a}] tr`).join(', ');

/** Why a result cannot rank, as the table says it. */
const whyNot = (r: LeaderboardRow): string =>
  r.state === 'invalid' ? 'invalid' : r.state === 'negative' ? 'dead end' : r.state === 'baseline' ? 'baseline' : 'over the cap';

/** Links as the table lists them. */
const linkText = (r: LeaderboardRow): string =>
  [
    ...(r.submission ? ['submission'] : []),
    ...(r.artifacts ?? []).map((_, i, all) => (all.length > 1 ? `artifact ${i + 1}` : 'artifact')),
    ...(r.links ?? []).map((_, i) => `link ${i + 1}`),
  ].join(' · ');

/** A row as the table shows it, with the rank text computed by the test (`ranks`). */
const rowText = (r: LeaderboardRow, ranks: Map<string, string>): string[] => [
  ranks.get(r.filename) ?? '–',
  formatCell(r.score),
  formatCell(r.secondary),
  r.ranked ? r.state : whyNot(r),
  r.agent ?? '',
  r.description ?? '',
  r.method ?? '',
  linkText(r),
  timeText(r.ts),
  r.filename,
];

/** The rows the build-time page shows, in order: the first FIRST rankable rows, then the first FIRST others. */
const firstPaint = (rows: readonly LeaderboardRow[]): LeaderboardRow[] => [
  ...rows.filter((r) => r.ranked).slice(0, FIRST),
  ...rows.filter((r) => !r.ranked).slice(0, FIRST_UNRANKED),
];

/** Wait until <atlas-leaderboard> has run its queries for the current URL (or failed): the table's, then the chart's. */
async function settled(page: Page): Promise<void> {
  await page.waitForFunction(
    () => {
      const el = document.querySelector<HTMLElement>('atlas-leaderboard');
      if (el?.dataset['state'] === 'error') return true;
      return el?.dataset['state'] === 'ready' && el.dataset['chart'] !== 'loading';
    },
    null,
    { timeout: 90_000 },
  );
  const el = page.locator('atlas-leaderboard');
  expect(await el.getAttribute('data-state'), (await el.locator('[data-count]').textContent()) ?? '').toBe('ready');
}

/** The rows the browser's table drew (a page of the list: BROWSER_PAGE), without the counts each carries. */
const browserRows = async (page: Page): Promise<LeaderboardRow[]> => {
  const rows = await page.locator('atlas-leaderboard').evaluate((el) => (el as unknown as { rows: LeaderboardPageRow[] | null }).rows);
  return drawn((rows ?? []).map(({ n_results: _a, n_ranked: _b, not_ranked: _c, ...r }) => r));
};

/** What the browser's table draws of a whole list: its first rows that may rank, then its first that cannot. */
const drawn = (rows: readonly LeaderboardRow[]): LeaderboardRow[] => [
  ...rows.filter((r) => r.ranked).slice(0, BROWSER_PAGE.ranked),
  ...rows.filter((r) => !r.ranked).slice(0, BROWSER_PAGE.unranked),
];

describe.each(inject('sites'))('leaderboard page, base $base', (site) => {
  let server: RunningServer;
  let node: NodeSide;
  let all: LeaderboardRow[];
  let agent: string;
  let threshold: number | null;
  let ranksAll: Map<string, string>;
  const expected = (f: LeaderboardFilters) => runQuery<LeaderboardRow>(node.db, leaderboard(node.config, f));

  beforeAll(async () => {
    server = await serveSite(site);
    node = await nodeSide(site);
    all = await expected({});
    expect(all.length).toBeGreaterThan(0);
    threshold = (await node.db.query<{ t: number | null }>('SELECT tie_threshold AS t FROM noise_summary'))[0]?.t ?? null;
    ranksAll = expectedRanks(all, threshold);
    // Which rows may rank, read from results by the test: valid or pending, not negative or baseline, not over the cap.
    const cells = await node.db.query<{ filename: string; ok: boolean }>(
      `SELECT filename, (coalesce(verification, 'pending') IN ('valid', 'pending') AND status = 'agent-run' AND NOT coalesce(is_baseline, false) AND NOT coalesce(over_cap, false)) AS ok FROM results WHERE score IS NOT NULL`,
    );
    const ok = new Map(cells.map((c) => [c.filename, c.ok]));
    expect(all.map((r) => r.ranked)).toEqual(all.map((r) => ok.get(r.filename)));
    // The filter to try: the agent with the most results (its name may contain anything the sample generates).
    const counts = new Map<string, number>();
    for (const r of all) if (r.agent) counts.set(r.agent, (counts.get(r.agent) ?? 0) + 1);
    agent = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]![0];
  });
  afterAll(async () => {
    node?.db.close();
    await server?.close();
  });

  test('shows the first rows and the timeline at build time, states distinct by shape', async () => {
    await checkedBrowser({ javaScriptEnabled: false }, server.origin, async (b) => {
      const { page } = b;
      const res = await page.goto(`${server.url}leaderboard/`);
      expect(res?.status()).toBe(200);
      expect(await cellTexts(page, ROWS)).toEqual(firstPaint(all).map((r) => rowText(r, ranksAll)));
      expect(await page.locator('[data-more]').count()).toBe(firstPaint(all).length < all.length ? 1 : 0);
      // The top 10 first; the rest behind "see more (N)", closed.
      const rankable = all.filter((r) => r.ranked).length;
      expect(await page.locator('atlas-leaderboard tbody[data-rows] tr').count()).toBe(Math.min(TOP, rankable));
      if (rankable > TOP) {
        expect((await page.locator('[data-more-ranked] > summary').textContent())?.trim()).toBe(`see more (${formatCell(rankable - TOP)})`);
        expect(await page.locator('[data-more-ranked]').getAttribute('open')).toBeNull();
      }
      // Ranks are tie groups: with a threshold, the top group's rank is a range when its second result is within it.
      const ranked = all.filter((r) => r.ranked);
      if (threshold !== null && ranked.length > 1 && Math.abs(ranked[0]!.score - ranked[1]!.score) <= threshold) {
        expect(ranksAll.get(ranked[0]!.filename)).toMatch(/^1–\d+$/);
      }
      // The tie note links to the noise page and states the threshold or that it is unknown.
      const note = page.locator('atlas-leaderboard .tie-note');
      expect(await note.getAttribute('data-tie-threshold')).toBe(threshold === null ? 'unknown' : String(threshold));
      expect(await note.locator('a').getAttribute('href')).toBe(`${site.base}noise/`);

      const chart = page.locator(`figure[data-chart] svg[aria-label="${node.config.score_label} of every result over time"]`);
      expect(await chart.count()).toBe(1);
      // One mark per result with a time; each state drawn with its own symbol, and the legend names every state.
      const dots = await chart.locator('g[aria-label="dot"] > path').evaluateAll((ps) =>
        ps.map((p) => {
          const paint = (a: string) => p.getAttribute(a) ?? p.parentElement?.getAttribute(a) ?? null;
          return { d: p.getAttribute('d') ?? '', title: p.querySelector('title')?.textContent ?? '', color: paint('fill') !== 'none' && paint('fill') ? paint('fill') : paint('stroke') };
        }),
      );
      expect(dots.length).toBe(all.filter((r) => r.ts !== null).length);
      const shapeOf = new Map<string, Set<string>>();
      const colorOf = new Map<string, Set<string | null>>();
      for (const { d, title, color } of dots) {
        const state = title.split('\n')[0]!.split(' · ').pop()!;
        shapeOf.set(state, (shapeOf.get(state) ?? new Set()).add(d));
        colorOf.set(state, (colorOf.get(state) ?? new Set()).add(color));
      }
      const states = new Set(all.filter((r) => r.ts !== null).map((r) => r.state));
      expect(new Set(shapeOf.keys())).toEqual(states);
      const shapes = [...shapeOf.values()];
      expect(shapes.every((s) => s.size === 1), 'one symbol per state').toBe(true);
      expect(new Set(shapes.map((s) => [...s][0])).size, 'a different symbol for each state').toBe(shapes.length);
      // The legend lists exactly the states drawn, each glyph in the colour its dots are drawn in.
      const legend = await page.locator('figure[data-chart] ul.legend[aria-label="Result states"] li').evaluateAll((lis) =>
        lis.map((li) => {
          const g = li.querySelector('svg > *');
          const fill = g?.getAttribute('fill');
          return { key: li.getAttribute('data-series'), label: li.textContent?.trim(), color: fill && fill !== 'none' ? fill : (g?.getAttribute('stroke') ?? null) };
        }),
      );
      const stateEntries = legend.filter((e) => e.key !== 'baseline-rule');
      expect(stateEntries.map((e) => e.key)).toEqual(Object.keys(STATE_STYLE).filter((s) => states.has(s)));
      for (const e of stateEntries) {
        expect(e.label).toBe(STATE_STYLE[e.key as keyof typeof STATE_STYLE].label);
        expect([...colorOf.get(e.key!)!], `${e.key} dots and legend glyph share a colour`).toEqual([e.color]);
      }

    });
  });

  describe('with JavaScript', () => {
    const b = sharedBrowser({}, async (b) => {
      await b.page.goto(`${server.url}leaderboard/`);
      await settled(b.page);
    });

    test('DuckDB-WASM draws the first rows of every result and charts them all, the same rows as the Node connector', async () => {
      expect(await browserRows(b.page)).toEqual(drawn(all));
      expect(await b.page.locator(ROWS).count()).toBe(drawn(all).length);
      expect(await b.page.locator('[data-count]').textContent()).toBe(`${formatCell(all.length)} results`);
      const rankable = all.filter((r) => r.ranked).length;
      const shown = drawn(all).length;
      // Past the page, the table says how many it drew of how many; "View the SQL" is the whole list.
      if (shown < all.length) {
        expect(await b.page.locator('[data-more]').textContent()).toBe(
          `Showing ${formatCell(shown)} of ${formatCell(all.length)} results: the filters above narrow the list, and “View the SQL” lists every one in the console.`,
        );
      } else expect(await b.page.locator('[data-more]').count()).toBe(0);
      if (rankable > BROWSER_PAGE.ranked) {
        expect(await b.page.locator('[data-more-ranked] p.muted').textContent()).toBe(`The first ${formatCell(BROWSER_PAGE.ranked)} of ${formatCell(rankable)} ranked results.`);
      }
      // "View the SQL" opens the whole list's query, not the page's.
      const href = (await b.page.locator('a[data-sql-for="leaderboard-table"]').first().getAttribute('href'))!;
      expect(queryFromSearch(new URL(href, server.url).search)?.sql).toBe(leaderboard(node.config, {}).sql);
      // The chart draws every result under the filters (its own query, after the table).
      await b.page.waitForFunction((n) => (document.querySelector('atlas-leaderboard') as unknown as { points: unknown[] | null }).points?.length === n, all.length, { timeout: 60_000 });
      const points = await b.page.locator('atlas-leaderboard').evaluate((el) => (el as unknown as { points: TimelineRow[] }).points);
      expect(points.map((p) => [p.filename, p.score, p.state, p.ranked])).toEqual(all.map((r) => [r.filename, r.score, r.state, r.ranked]));
    });

    test('an agent filter goes into the URL; reload and back restore it', async () => {
      const { page } = b;
      const filtered = await expected({ agent });
      expect(filtered.length).toBeGreaterThan(0);
      // A menu of every agent, or past the site's menu limit a text field suggesting the most active ones.
      const agents = new Set(all.flatMap((r) => (r.agent ? [r.agent] : [])));
      const limit = siteFacetLimit(site);
      const form = await facetForm(page, 'agent');
      expect(form.kind).toBe(agents.size > limit ? 'text' : 'menu');
      expect(form.offered).toBe(Math.min(agents.size, limit));
      if (form.kind === 'text') expect(form.label).toContain(`type one of ${formatCell(agents.size)}`);
      await chooseFacet(page, 'agent', agent);
      await page.waitForURL((u) => u.searchParams.get('agent') === agent);
      await settled(page);
      expect(new URL(page.url()).pathname).toBe(`${site.base}leaderboard/`);
      expect(await browserRows(page)).toEqual(drawn(filtered));
      expect(await cellTexts(page, ROWS)).toEqual(drawn(filtered).map((r) => rowText(r, expectedRanks(filtered, threshold))));

      // A fresh load of that URL starts filtered: the menu shows the agent and the rows are the filtered ones.
      await page.reload();
      await settled(page);
      expect(await facetValue(page, 'agent')).toBe(agent);
      expect(await browserRows(page)).toEqual(drawn(filtered));
      expect(await cellTexts(page, ROWS)).toEqual(drawn(filtered).map((r) => rowText(r, expectedRanks(filtered, threshold))));
      await page.screenshot({ path: join(OUT, `leaderboard-${site.name}-agent.png`), fullPage: false });

      await page.goBack();
      await page.waitForURL((u) => u.search === '');
      await settled(page);
      expect(await facetValue(page, 'agent')).toBe('');
      expect(await browserRows(page)).toEqual(drawn(all));
      expect(await cellTexts(page, ROWS)).toEqual(drawn(all).map((r) => rowText(r, ranksAll)));
    });

    test('wheel zoom puts a time window in the URL and filters the rows; reset clears it', async () => {
      const { page } = b;
      await page.goto(`${server.url}leaderboard/`);
      await settled(page);
      const box = (await page.locator(`figure[data-chart] svg[aria-label="${node.config.score_label} of every result over time"]`).boundingBox())!;
      await page.mouse.move(box.x + box.width * 0.7, box.y + box.height / 2);
      for (let i = 0; i < 5; i++) await page.mouse.wheel(0, -120);
      await page.waitForURL((u) => u.searchParams.has('from') && u.searchParams.has('to'), { timeout: 30_000 });
      await settled(page);
      const u = new URL(page.url());
      const windowed = await expected({ from: u.searchParams.get('from'), to: u.searchParams.get('to') });
      expect(windowed.length).toBeLessThan(all.length);
      expect(await browserRows(page)).toEqual(drawn(windowed));
      expect(await page.locator('[data-zoom-reset]').isDisabled()).toBe(false);
      await page.locator('[data-zoom-reset]').click();
      await page.waitForURL((v) => v.search === '');
      await settled(page);
      expect(await browserRows(page)).toEqual(drawn(all));
    });

    test('best per agent gives one row per agent; back (popstate) restores every result', async () => {
      const { page } = b;
      const best = await expected({ bestPerAgent: true });
      expect(new Set(best.map((r) => r.agent)).size).toBe(best.length);
      expect(best.length).toBe(new Set(all.map((r) => r.agent)).size);
      const box = page.locator('input[name="best"]');
      await box.check();
      await page.waitForURL((u) => u.searchParams.get('best') === '1');
      await settled(page);
      expect(await browserRows(page)).toEqual(drawn(best));
      expect(await page.locator(ROWS).count()).toBe(drawn(best).length);
      // Best per agent is the noise page's frontier: the ranks shown are its tie groups (tie_groups), and the test's own walk.
      const groups = await node.db.query<{ filename: string; rank: number; group_size: number }>('SELECT filename, rank, group_size FROM tie_groups');
      const fromTable = new Map(groups.map((g) => [g.filename, g.group_size > 1 ? `${g.rank}–${g.rank + g.group_size - 1}` : String(g.rank)]));
      const shown = new Map((await cellTexts(page, ROWS)).map((cells) => [cells.at(-1)!, cells[0]!]));
      const rankable = best.filter((r) => r.ranked);
      expect(rankable.length).toBeGreaterThan(0);
      for (const r of rankable) expect(shown.get(r.filename), r.filename).toBe(fromTable.get(r.filename));
      expect(new Map(rankable.map((r) => [r.filename, shown.get(r.filename)]))).toEqual(expectedRanks(best, threshold));

      await page.goBack();
      await page.waitForURL((u) => u.search === '');
      await page.waitForFunction(() => (document.querySelector('atlas-leaderboard') as unknown as { state: { best: boolean } }).state.best === false);
      await settled(page);
      expect(await box.isChecked()).toBe(false);
      expect(await browserRows(page)).toEqual(drawn(all));
      expect(b.offOrigin(server.origin)).toEqual([]);
      expect(b.errors).toEqual([]);
    });
  });
});
