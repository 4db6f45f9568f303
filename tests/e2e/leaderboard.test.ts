// The leaderboard end to end: build-time rows and chart without JS, filters in DuckDB-WASM with the state in the URL.
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import type { RunningServer } from '../../scripts/serve.ts';
import { runQuery } from '../../src/lib/db/connector.ts';
import { formatCell } from '../../src/lib/db/format.ts';
import { timeText } from '../../src/lib/format.ts';
import { leaderboard, type LeaderboardFilters, type LeaderboardRow } from '../../src/lib/queries/leaderboard.sql.ts';
import { STATE_STYLE } from '../../src/lib/charts/leaderboard-timeline.ts';
import { cellTexts, nodeSide, type NodeSide } from './expected.ts';
import { serveSite } from './harness.ts';
import { checkedBrowser, sharedBrowser } from './sessions.ts';
import { chooseFacet, facetForm, facetValue, siteFacetLimit } from './facets.ts';

const OUT = resolve(import.meta.dirname, '../output/e2e');
const FIRST = 40;
const ROWS = 'atlas-leaderboard tbody[data-rows] tr';

/** A row as the table shows it; the build-time table prints the rank as is, the browser formats it like any number. */
const rowText = (r: LeaderboardRow, rank: (n: number) => string): string[] => [
  rank(r.rank),
  formatCell(r.score),
  formatCell(r.secondary),
  r.state,
  r.agent ?? '',
  r.method ?? '',
  timeText(r.ts),
  r.filename,
];

/** Wait until <atlas-leaderboard> has run its query for the current URL (or failed). */
async function settled(page: Page): Promise<void> {
  await page.waitForFunction(
    () => {
      const el = document.querySelector<HTMLElement>('atlas-leaderboard');
      return el?.dataset['state'] === 'ready' || el?.dataset['state'] === 'error';
    },
    null,
    { timeout: 90_000 },
  );
  const el = page.locator('atlas-leaderboard');
  expect(await el.getAttribute('data-state'), (await el.locator('[data-count]').textContent()) ?? '').toBe('ready');
}

const browserRows = (page: Page) =>
  page.locator('atlas-leaderboard').evaluate((el) => (el as unknown as { rows: unknown[] | null }).rows);

describe.each(inject('sites'))('leaderboard page, base $base', (site) => {
  let server: RunningServer;
  let node: NodeSide;
  let all: LeaderboardRow[];
  let agent: string;
  const expected = (f: LeaderboardFilters) => runQuery<LeaderboardRow>(node.db, leaderboard(node.config, f));

  beforeAll(async () => {
    server = await serveSite(site);
    node = await nodeSide(site);
    all = await expected({});
    expect(all.length).toBeGreaterThan(0);
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
      expect(await cellTexts(page, ROWS)).toEqual(all.slice(0, FIRST).map((r) => rowText(r, String)));
      expect(await page.locator('[data-more]').count()).toBe(all.length > FIRST ? 1 : 0);

      const chart = page.locator(`figure[data-chart] svg[aria-label="${node.config.score_label} of every result over time"]`);
      expect(await chart.count()).toBe(1);
      // One mark per result with a time; each state drawn with its own symbol, and the legend names every state.
      const dots = await chart.locator('g[aria-label="dot"] > path').evaluateAll((ps) =>
        ps.map((p) => ({ d: p.getAttribute('d') ?? '', title: p.querySelector('title')?.textContent ?? '' })),
      );
      expect(dots.length).toBe(all.filter((r) => r.ts !== null).length);
      const shapeOf = new Map<string, Set<string>>();
      for (const { d, title } of dots) {
        const state = title.split('\n')[0]!.split(' · ').pop()!;
        shapeOf.set(state, (shapeOf.get(state) ?? new Set()).add(d));
      }
      const states = new Set(all.filter((r) => r.ts !== null).map((r) => r.state));
      expect(new Set(shapeOf.keys())).toEqual(states);
      const shapes = [...shapeOf.values()];
      expect(shapes.every((s) => s.size === 1), 'one symbol per state').toBe(true);
      expect(new Set(shapes.map((s) => [...s][0])).size, 'a different symbol for each state').toBe(shapes.length);
      const legend = await page.locator('figure[data-chart] [class$="-swatch"]').allTextContents();
      expect(legend.map((t) => t.trim())).toEqual(Object.values(STATE_STYLE).map((s) => s.label));
      expect(await page.locator('figure[data-chart] [class$="-swatch"] svg path').count()).toBe(legend.length);

    });
  });

  describe('with JavaScript', () => {
    const b = sharedBrowser({}, async (b) => {
      await b.page.goto(`${server.url}leaderboard/`);
      await settled(b.page);
    });

    test('DuckDB-WASM loads every result, the same rows as the Node connector', async () => {
      expect(await browserRows(b.page)).toEqual(all);
      expect(await b.page.locator(ROWS).count()).toBe(all.length);
      expect(await b.page.locator('[data-count]').textContent()).toBe(`${formatCell(all.length)} results`);
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
      expect(await browserRows(page)).toEqual(filtered);
      expect(await cellTexts(page, ROWS)).toEqual(filtered.map((r) => rowText(r, formatCell)));

      // A fresh load of that URL starts filtered: the menu shows the agent and the rows are the filtered ones.
      await page.reload();
      await settled(page);
      expect(await facetValue(page, 'agent')).toBe(agent);
      expect(await browserRows(page)).toEqual(filtered);
      expect(await cellTexts(page, ROWS)).toEqual(filtered.map((r) => rowText(r, formatCell)));
      await page.screenshot({ path: join(OUT, `leaderboard-${site.name}-agent.png`), fullPage: false });

      await page.goBack();
      await page.waitForURL((u) => u.search === '');
      await settled(page);
      expect(await facetValue(page, 'agent')).toBe('');
      expect(await browserRows(page)).toEqual(all);
      expect((await cellTexts(page, ROWS)).slice(0, FIRST)).toEqual(all.slice(0, FIRST).map((r) => rowText(r, formatCell)));
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
      expect(await browserRows(page)).toEqual(best);
      expect(await page.locator(ROWS).count()).toBe(best.length);

      await page.goBack();
      await page.waitForURL((u) => u.search === '');
      await page.waitForFunction(() => (document.querySelector('atlas-leaderboard') as unknown as { state: { best: boolean } }).state.best === false);
      await settled(page);
      expect(await box.isChecked()).toBe(false);
      expect(await browserRows(page)).toEqual(all);
      expect(b.offOrigin(server.origin)).toEqual([]);
      expect(b.errors).toEqual([]);
    });
  });
});
