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
import { episodeMoments, type EpisodeMomentRow } from '../../src/lib/queries/episodes.sql.ts';
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
  const sql = <T>(q: string, params: (string | null)[] = []) => runQuery<T>(db, { sql: q, params, tables: ['episodes', 'episode_evidence'] });

  beforeAll(async () => {
    server = await serveSite(site);
    db = await createNodeConnector({ dataDir: join(site.outDir, 'data') });
    url = `${server.url}interactions/`;
  });
  afterAll(async () => {
    db?.close();
    await server?.close();
  });

  test('first paint without JS: every episode as a card under its kind, with its evidence linked to the board', async () => {
    const perKind = new Map((await sql<{ kind: string; n: number }>('SELECT kind, CAST(count(*) AS INTEGER) AS n FROM episodes GROUP BY kind')).map((r) => [r.kind, r.n]));
    for (const k of EPISODE_KINDS) expect(perKind.get(k) ?? 0, k).toBeGreaterThan(0);
    const b = await launchBrowser({ javaScriptEnabled: false });
    try {
      const { page } = b;
      expect((await page.goto(url))?.status()).toBe(200);
      for (const k of EPISODE_KINDS) {
        expect(await page.locator(`section[data-kind-section="${k}"] article.episode-card`).count(), k).toBe(perKind.get(k));
      }
      // One card: its timeline is its evidence in time order, messages and results linked to the board's focus view.
      const [one] = await sql<{ episode_id: string }>("SELECT episode_id FROM episodes WHERE kind = 'loophole-report' ORDER BY episode_id LIMIT 1");
      const ev = await sql<{ file: string; role: string }>('SELECT file, role FROM episode_evidence WHERE episode_id = ? ORDER BY ts NULLS LAST, file', [one!.episode_id]);
      const card = page.locator(`article#${anchor(one!.episode_id)}`);
      expect(await card.count()).toBe(1);
      expect(await card.locator('ol.timeline > li').evaluateAll((lis) => lis.map((li) => li.getAttribute('data-role')))).toEqual(ev.map((e) => e.role));
      const hrefs = await card.locator('a[data-evidence-link]').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
      expect(hrefs).toEqual(ev.map((e) => `${site.base}board/?focus=${encodeURIComponent(e.file.slice(e.file.lastIndexOf('/') + 1))}`));
      // The link works: the board answers it.
      expect((await page.goto(new URL(hrefs[0]!, server.url).href))?.status()).toBe(200);
      // The overview's moments (episodeMoments) link to cards that exist: every timed episode, once.
      const moments = await runQuery<EpisodeMomentRow>(db, episodeMoments());
      const [{ timed }] = (await sql<{ timed: number }>('SELECT CAST(count(*) AS INTEGER) AS timed FROM episodes WHERE started_at IS NOT NULL')) as [{ timed: number }];
      expect(moments.length).toBe(timed);
      await page.goto(url);
      const ids = new Set(await page.locator('article.episode-card').evaluateAll((as) => as.map((a) => a.id)));
      for (const m of moments) expect(ids.has(m.link.replace(/^interactions\/#/, '')), m.link).toBe(true);
      // The anchor opens the card.
      await page.goto(`${url}#${anchor(one!.episode_id)}`);
      expect(await page.locator(`article:target`).getAttribute('data-episode-id')).toBe(one!.episode_id);
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
      const rev = await sql<{ episode_id: string }>("SELECT episode_id FROM episodes WHERE kind = 'reversal'");
      expect((await cardIds(page)).sort()).toEqual(rev.map((r) => r.episode_id).sort());
      expect(await page.locator('section[data-kind-section]').count()).toBe(1);
      // An agent with the most episodes, chosen in the form: the URL and the cards follow.
      const [top] = await sql<{ a: string }>('SELECT a FROM (SELECT unnest(agents) AS a FROM episodes) GROUP BY a ORDER BY count(*) DESC, a LIMIT 1');
      await page.locator('select[name="kind"]').selectOption('');
      await settled(page);
      await chooseFacet(page, 'agent', top!.a);
      await page.waitForURL((u) => u.searchParams.get('agent') === top!.a);
      await settled(page);
      const mine = await sql<{ episode_id: string }>('SELECT episode_id FROM episodes WHERE list_contains(agents, ?)', [top!.a]);
      expect((await cardIds(page)).sort()).toEqual(mine.map((r) => r.episode_id).sort());
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
