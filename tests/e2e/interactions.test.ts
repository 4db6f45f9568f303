// The interactions page in Chromium: the episodes of each kind as cards at build time (no JavaScript), evidence
// linked to the board, card anchors, kind and agent filters in the URL (DuckDB-WASM), the agent page's community
// panel. Expected values are computed here from the Parquet files with the test's own SQL.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import type { RunningServer } from '../../scripts/serve.ts';
import { runQuery } from '../../src/lib/db/connector.ts';
import { createNodeConnector, type NodeConnector } from '../../src/lib/db/node.ts';
import { EPISODE_KINDS } from '../../src/lib/schema/episodes.ts';
import { ALL_CARDS_UP_TO, FIRST_CARDS, MORE_CARDS, episodeMoments, type EpisodeMomentRow } from '../../src/lib/queries/episodes.sql.ts';
import { chooseFacet } from './facets.ts';
import { launchBrowser, serveSite } from './harness.ts';

const anchor = (id: string): string => `ep-${id.replace(/[^A-Za-z0-9_-]/g, '-')}`;
const cardIds = (page: Page) => page.locator('atlas-episodes article.episode-card').evaluateAll((as) => as.map((a) => a.getAttribute('data-episode-id')));

async function settled(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const el = document.querySelector<HTMLElement>('atlas-episodes');
    return el?.dataset['state'] === 'ready' || el?.dataset['state'] === 'error';
  }, null, { timeout: 90_000 });
  expect(await page.locator('atlas-episodes').getAttribute('data-state')).toBe('ready');
}

describe.each(inject('sites'))('interactions page, base $base', (site) => {
  let server: RunningServer;
  let db: NodeConnector;
  let url: string;
  const sql = <T>(q: string, params: (string | number | null)[] = []) => runQuery<T>(db, { sql: q, params, tables: ['episodes', 'episode_evidence'] });
  /** The episodes each kind draws first under a filter: its first `n` by start time (untimed last), then id; all of a kind with at most ALL_CARDS_UP_TO. */
  const firstIds = async (filter: string, params: (string | number)[], n = FIRST_CARDS): Promise<string[]> =>
    (
      await sql<{ episode_id: string }>(
        `SELECT episode_id FROM (SELECT episode_id, row_number() OVER (PARTITION BY kind ORDER BY started_at NULLS LAST, episode_id) AS r, count(*) OVER (PARTITION BY kind) AS total FROM episodes WHERE ${filter}) WHERE r <= ? OR total <= ? ORDER BY episode_id`,
        [...params, n, ALL_CARDS_UP_TO],
      )
    ).map((r) => r.episode_id);
  const drawnFirst = (n: number): number => (n <= ALL_CARDS_UP_TO ? n : FIRST_CARDS);

  beforeAll(async () => {
    server = await serveSite(site);
    db = await createNodeConnector({ dataDir: join(site.outDir, 'data') });
    url = `${server.url}interactions/`;
  });
  afterAll(async () => {
    db?.close();
    await server?.close();
  });

  test('first paint without JS: the first episodes of each kind as cards, the rest counted, evidence linked to the board', async () => {
    const perKind = new Map((await sql<{ kind: string; n: number }>('SELECT kind, CAST(count(*) AS INTEGER) AS n FROM episodes GROUP BY kind')).map((r) => [r.kind, r.n]));
    for (const k of EPISODE_KINDS) expect(perKind.get(k) ?? 0, k).toBeGreaterThan(0);
    const b = await launchBrowser({ javaScriptEnabled: false });
    try {
      const { page } = b;
      expect((await page.goto(url))?.status()).toBe(200);
      for (const k of EPISODE_KINDS) {
        const n = perKind.get(k)!;
        const section = page.locator(`section[data-kind-section="${k}"]`);
        expect(await section.getAttribute('data-count'), k).toBe(String(n));
        expect(await section.locator('h3').textContent(), k).toContain(`(${n})`);
        expect(await section.locator('article.episode-card').count(), k).toBe(drawnFirst(n));
        // More than a first screen: the count of the rest is said, and the button (browser only) is hidden.
        expect(await section.locator('[data-more-cards]').count(), k).toBe(drawnFirst(n) < n ? 1 : 0);
        if (drawnFirst(n) < n) {
          expect(await section.locator('[data-more-cards]').textContent()).toContain(`Showing ${FIRST_CARDS} of ${n}`);
          expect(await section.locator('button[data-more]').isVisible()).toBe(false);
        }
      }
      expect((await cardIds(page)).sort()).toEqual(await firstIds('true', []));
      // One card: its timeline is its evidence in time order, messages and results linked to the board's focus view.
      const [one] = await sql<{ episode_id: string }>("SELECT episode_id FROM episodes WHERE kind = 'loophole-report' ORDER BY started_at NULLS LAST, episode_id LIMIT 1");
      const ev = await sql<{ file: string; role: string }>('SELECT file, role FROM episode_evidence WHERE episode_id = ? ORDER BY ts NULLS LAST, file', [one!.episode_id]);
      const card = page.locator(`article#${anchor(one!.episode_id)}`);
      expect(await card.count()).toBe(1);
      expect(await card.locator('ol.timeline > li').evaluateAll((lis) => lis.map((li) => li.getAttribute('data-role')))).toEqual(ev.map((e) => e.role));
      const hrefs = await card.locator('a[data-evidence-link]').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
      expect(hrefs).toEqual(ev.map((e) => `${site.base}board/?focus=${encodeURIComponent(e.file.slice(e.file.lastIndexOf('/') + 1))}`));
      // The link works: the board answers it.
      expect((await page.goto(new URL(hrefs[0]!, server.url).href))?.status()).toBe(200);
      // The overview's moments (episodeMoments) link to every timed episode once, by the card's anchor (those past
      // the first screen open with JavaScript: the next test).
      const moments = await runQuery<EpisodeMomentRow>(db, episodeMoments());
      const [{ timed }] = (await sql<{ timed: number }>('SELECT CAST(count(*) AS INTEGER) AS timed FROM episodes WHERE started_at IS NOT NULL')) as [{ timed: number }];
      expect(moments.length).toBe(timed);
      const firstAnchors = new Set((await firstIds('true', [])).map(anchor));
      await page.goto(url);
      const ids = new Set(await page.locator('article.episode-card').evaluateAll((as) => as.map((a) => a.id)));
      for (const m of moments) {
        const a = m.link.replace(/^interactions\/#/, '');
        expect(ids.has(a), m.link).toBe(firstAnchors.has(a));
      }
      // The anchor opens the card.
      await page.goto(`${url}#${anchor(one!.episode_id)}`);
      expect(await page.locator(`article:target`).getAttribute('data-episode-id')).toBe(one!.episode_id);
    } finally {
      await b.close();
    }
  });

  test('with JavaScript: "Show more" draws the next cards of a kind, and a link to a card past the first screen opens it', async () => {
    const [big] = await sql<{ kind: string; n: number }>('SELECT kind, CAST(count(*) AS INTEGER) AS n FROM episodes GROUP BY kind ORDER BY n DESC, kind LIMIT 1');
    expect(big!.n, 'the sample has a kind with more than a first screen').toBeGreaterThan(ALL_CARDS_UP_TO);
    const b = await launchBrowser();
    try {
      const { page } = b;
      await page.goto(url);
      const section = page.locator(`section[data-kind-section="${big!.kind}"]`);
      const inSection = () => section.locator('article.episode-card').evaluateAll((as) => as.map((a) => a.getAttribute('data-episode-id')));
      await section.locator('button[data-more]').click();
      await settled(page);
      const shown = Math.min(big!.n, FIRST_CARDS + MORE_CARDS);
      expect((await inSection()).sort()).toEqual(await firstIds('kind = ?', [big!.kind], shown));
      expect(await section.locator('[data-more-cards]').count()).toBe(big!.n > shown ? 1 : 0);
      // The keyboard focus moves to the first new card (the button it was on is redrawn away).
      const [eleventh] = await sql<{ episode_id: string }>('SELECT episode_id FROM episodes WHERE kind = ? ORDER BY started_at NULLS LAST, episode_id LIMIT 1 OFFSET ?', [big!.kind, FIRST_CARDS]);
      expect(await page.evaluate(() => document.activeElement?.closest('article')?.getAttribute('data-episode-id'))).toBe(eleventh!.episode_id);
      // The other kinds keep their first screen; the status line counts every episode.
      const [{ total }] = (await sql<{ total: number }>('SELECT CAST(count(*) AS INTEGER) AS total FROM episodes')) as [{ total: number }];
      expect(await page.locator('[data-view] p[data-count]').textContent()).toMatch(new RegExp(`^${total} episodes`));
      // The last card of that kind, linked by its anchor from a fresh page: every card up to it is drawn and it is in view.
      const [last] = await sql<{ episode_id: string }>('SELECT episode_id FROM episodes WHERE kind = ? ORDER BY started_at DESC NULLS FIRST, episode_id DESC LIMIT 1', [big!.kind]);
      await page.goto('about:blank');
      await page.goto(`${url}#${anchor(last!.episode_id)}`);
      await page.locator(`article#${anchor(last!.episode_id)}`).waitFor({ timeout: 90_000 });
      await settled(page);
      expect(await inSection()).toHaveLength(big!.n);
      expect(await page.locator(`article#${anchor(last!.episode_id)}`).isVisible()).toBe(true);
      const top = await page.locator(`article#${anchor(last!.episode_id)}`).evaluate((a) => a.getBoundingClientRect().top);
      expect(Math.abs(top)).toBeLessThan(50);
      expect(b.errors).toEqual([]);
    } finally {
      await b.close();
    }
  });

  test('filters: kind and agent in the URL and the form, counted as the Parquet counts them', async () => {
    const b = await launchBrowser();
    try {
      const { page } = b;
      await page.goto(`${url}?kind=reversal`);
      await settled(page);
      expect((await cardIds(page)).sort()).toEqual(await firstIds("kind = 'reversal'", []));
      expect(await page.locator('section[data-kind-section]').count()).toBe(1);
      // An agent with the most episodes, chosen in the form: the URL and the cards follow.
      const [top] = await sql<{ a: string }>('SELECT a FROM (SELECT unnest(agents) AS a FROM episodes) GROUP BY a ORDER BY count(*) DESC, a LIMIT 1');
      await page.locator('select[name="kind"]').selectOption('');
      await settled(page);
      await chooseFacet(page, 'agent', top!.a);
      await page.waitForURL((u) => u.searchParams.get('agent') === top!.a);
      await settled(page);
      expect((await cardIds(page)).sort()).toEqual(await firstIds('list_contains(agents, ?)', [top!.a]));
      expect(b.errors).toEqual([]);
    } finally {
      await b.close();
    }
  });

  test("an agent's page says what it did for the community", async () => {
    const [kb] = await sql<{ agent: string; n: number }>(
      "SELECT v.agent, CAST(count(DISTINCT v.episode_id) AS INTEGER) AS n FROM episode_evidence v JOIN episodes e USING (episode_id) WHERE e.kind = 'knowledge-base' AND v.role IN ('document', 'update') AND v.agent IS NOT NULL GROUP BY v.agent ORDER BY n DESC, v.agent LIMIT 1",
    );
    const b = await launchBrowser({ javaScriptEnabled: false });
    try {
      expect((await b.page.goto(`${server.url}agents/${encodeURIComponent(kb!.agent)}/`))?.status()).toBe(200);
      const dt = b.page.locator('dt[data-community="knowledge-base"]');
      expect(await dt.textContent()).toMatch(new RegExp(`: ${kb!.n}$`));
    } finally {
      await b.close();
    }
  });
});
