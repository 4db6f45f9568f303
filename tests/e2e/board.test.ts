// The board explorer in Chromium: build-time first paint, search and filters in the URL, focus view, XSS payloads inert.
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import type { RunningServer } from '../../scripts/serve.ts';
import { itemHeadline, plural } from '../../src/lib/board-format.ts';
import { parseConfig, type CollabConfig } from '../../src/lib/config.ts';
import { runQuery } from '../../src/lib/db/connector.ts';
import { createNodeConnector, type NodeConnector } from '../../src/lib/db/node.ts';
import {
  boardCounts,
  boardMessages,
  boardThreads,
  focusThread,
  type BoardCountsRow,
  type BoardMessageRow,
  type BoardThreadRow,
  type FocusThreadRow,
} from '../../src/lib/queries/board.sql.ts';
import { launchBrowser, serveSite } from './harness.ts';
import { sharedBrowser } from './sessions.ts';
import { chooseFacet } from './facets.ts';

const OUT = resolve(import.meta.dirname, '../output/e2e');
const OVERLAY_BOARD = resolve(import.meta.dirname, '../fixtures/e2e-overlay/message_board');
/** Every XSS payload message the overlay adds; each sets window.__xss or calls alert() if it ever runs. */
const PAYLOADS = readdirSync(OVERLAY_BOARD).filter((f) => f.endsWith('.md')).sort();
/** A word only the payload messages contain. */
const CANARY = 'XSSCANARY';
const READY = 'atlas-board[data-state="ready"]';

/** Wait until the board has finished the query for the current state (it goes loading → ready on every change). */
async function settled(page: Page): Promise<void> {
  await page.waitForSelector(READY, { timeout: 90_000 });
}

const listHeadlines = (page: Page): Promise<string[]> =>
  page.locator('atlas-board [data-list] li.item .headline').allTextContents().then((t) => t.map((s) => s.trim()));

describe.each(inject('sites'))('board explorer, base $base', (site) => {
  let server: RunningServer;
  let db: NodeConnector;
  let config: CollabConfig;
  let boardUrl: string;

  beforeAll(async () => {
    server = await serveSite(site);
    boardUrl = `${server.url}board/`;
    db = await createNodeConnector({ dataDir: join(site.outDir, 'data') });
    config = parseConfig(db.manifest?.['config'], 'manifest.json config');
    expect(PAYLOADS.length).toBeGreaterThanOrEqual(4);
  });
  afterAll(async () => {
    db?.close();
    await server?.close();
  });

  test('first paint without JavaScript: counts and the newest threads, as the Node connector computes them', async () => {
    const b = await launchBrowser({ javaScriptEnabled: false });
    try {
      const res = await b.page.goto(boardUrl);
      expect(res?.status()).toBe(200);
      const [counts] = await runQuery<BoardCountsRow>(db, boardCounts());
      const threads = await runQuery<BoardThreadRow>(db, boardThreads({ limit: 50 }));
      expect(await b.page.locator('.lede').textContent()).toContain(plural(counts!.messages, 'message'));
      expect(await b.page.locator('[data-count]').textContent()).toBe(`${plural(threads[0]?.total ?? 0, 'thread')}, newest activity first`);
      expect(await listHeadlines(b.page)).toEqual(
        threads.map((t) => itemHeadline({ part: t.root_part, headline: t.headline, score: t.score, method: t.method, filename: t.thread_id }, config)),
      );
      // Payload headlines are text in the first paint too.
      expect(await b.page.locator('atlas-board [data-list] img, atlas-board [data-list] script').count()).toBe(0);
      await b.page.screenshot({ path: join(OUT, `board-${site.name}-nojs.png`) });
      expect(b.offOrigin(server.origin)).toEqual([]);
    } finally {
      await b.close();
    }
  });

  describe('with JavaScript', () => {
    const b = sharedBrowser({ colorScheme: site.name === 'root' ? 'light' : 'dark' }, async (b) => {
      // Defined before any page script: a payload that ran would set or call these.
      await b.context.addInitScript(() => {
        (window as unknown as { __alerts: string[] }).__alerts = [];
        for (const k of ['alert', 'confirm', 'prompt'] as const) {
          (window as unknown as Record<string, unknown>)[k] = (m: unknown) => (window as unknown as { __alerts: string[] }).__alerts.push(String(m));
        }
      });
    });

    test('a search narrows the list and goes into the URL; reload restores it; back and forward walk the states', async () => {
      const { page } = b;
      await page.goto(boardUrl);
      await settled(page);
      const all = await runQuery<BoardMessageRow>(db, boardMessages({ q: CANARY }));
      expect(all.map((m) => m.filename).sort()).toEqual(PAYLOADS);

      await page.getByRole('searchbox', { name: 'Search headlines and bodies' }).fill(CANARY.toLowerCase());
      await page.waitForURL((u) => u.searchParams.get('q') === CANARY.toLowerCase());
      await settled(page);
      const shown = async () => page.locator('atlas-board [data-list] li.item .headline').evaluateAll((as) => as.map((a) => a.getAttribute('data-focus')));
      expect(await shown()).toEqual(all.map((m) => m.filename));
      expect(await page.locator('[data-count]').textContent()).toBe(`${plural(all.length, 'message')} match, newest first`);
      // The search term is highlighted as text, never parsed.
      expect(await page.locator('atlas-board [data-list] mark').count()).toBeGreaterThan(0);

      await page.reload();
      await settled(page);
      expect(await page.getByRole('searchbox', { name: 'Search headlines and bodies' }).inputValue()).toBe(CANARY.toLowerCase());
      expect(await shown()).toEqual(all.map((m) => m.filename));

      // A second filter: a new history entry.
      const relay = await runQuery<BoardMessageRow>(db, boardMessages({ q: CANARY, agent: 'xss-relay' }));
      expect(relay.length).toBeGreaterThan(0);
      await chooseFacet(page, 'agent', 'xss-relay');
      await page.waitForURL((u) => u.searchParams.get('agent') === 'xss-relay');
      await settled(page);
      expect(await shown()).toEqual(relay.map((m) => m.filename));

      await page.goBack();
      await page.waitForURL((u) => !u.searchParams.has('agent'));
      await settled(page);
      expect(await shown()).toEqual(all.map((m) => m.filename));
      expect(await page.getByLabel('Author').inputValue()).toBe('');
      await page.goForward();
      await page.waitForURL((u) => u.searchParams.get('agent') === 'xss-relay');
      await settled(page);
      expect(await shown()).toEqual(relay.map((m) => m.filename));
      await page.screenshot({ path: join(OUT, `board-${site.name}-search.png`) });
    });

    test('opening each payload message runs nothing, loads nothing, and shows the thread', async () => {
      const { page } = b;
      await page.goto(boardUrl);
      await settled(page);
      for (const file of PAYLOADS) {
        // In-page navigation, as a reader's click on a focus link does (one DuckDB start for all six).
        await page.evaluate((f) => {
          history.pushState(null, '', `?focus=${encodeURIComponent(f)}`);
          dispatchEvent(new PopStateEvent('popstate'));
        }, file);
        await page.waitForSelector(`atlas-board[data-state="ready"] article.post code:text-is("${file}")`, { timeout: 60_000 });
        const article = page.locator('atlas-board article.post');
        await expect.poll(() => article.count()).toBe(1);
        // Fire mouse and focus events at everything in the body but links (a link would navigate away): any
        // surviving handler would run now.
        await article.locator('.md').evaluate((md) => {
          for (const el of md.querySelectorAll('*')) {
            if (el.closest('a')) continue;
            for (const type of ['mouseover', 'mouseenter', 'click', 'focus', 'toggle', 'load', 'error']) el.dispatchEvent(new Event(type));
          }
        });
        await page.waitForTimeout(300);
        const probe = await page.evaluate(() => ({
          xss: (window as unknown as { __xss?: unknown }).__xss,
          alerts: (window as unknown as { __alerts: string[] }).__alerts,
          dangerous: document.querySelectorAll(
            'atlas-board .md :is(script, iframe, object, embed, svg, math, img, style, link, meta, form, video, audio)',
          ).length,
          handlers: [...document.querySelectorAll('atlas-board .md *')].flatMap((el) =>
            [...el.attributes].filter((a) => /^on/i.test(a.name) || a.name === 'style' || a.name === 'srcdoc').map((a) => `${el.tagName}[${a.name}]`),
          ),
          badLinks: [...document.querySelectorAll<HTMLAnchorElement>('atlas-board .md a[href]')]
            .map((a) => a.getAttribute('href') ?? '')
            .filter((h) => /^\s*(javascript|data|vbscript):/i.test(h)),
          rel: [...document.querySelectorAll<HTMLAnchorElement>('atlas-board .md a:not(.focus-link):not(.mention)')].map((a) => a.rel),
        }));
        expect(probe, file).toMatchObject({ xss: undefined, alerts: [], dangerous: 0, handlers: [], badLinks: [] });
        for (const rel of probe.rel) expect(rel, file).toBe('nofollow noopener noreferrer');

        // The thread panel lists exactly the Node connector's thread.
        const thread = await runQuery<FocusThreadRow>(db, focusThread(file));
        const items = page.locator('atlas-board ol.tree > li');
        expect(await items.count(), file).toBe(thread.length);
        expect(await page.locator('atlas-board ol.tree > li[aria-current="true"]').count()).toBe(1);
      }
      await page.screenshot({ path: join(OUT, `board-${site.name}-payload.png`), fullPage: true });
      expect(b.errors).toEqual([]);
      expect(b.offOrigin(server.origin)).toEqual([]);
    });

    test('the payload reply chain is one thread; focus links stay on the page and Back returns', async () => {
      const { page } = b;
      const [first] = PAYLOADS;
      const thread = await runQuery<FocusThreadRow>(db, focusThread(first!));
      // The overlay's refs: 090000 ← 090100 ← 090300.
      expect(thread.map((t) => [t.filename, t.depth])).toEqual([
        ['20260615-090000-000_xss-probe.md', 0],
        ['20260615-090100-000_xss-probe.md', 1],
        ['20260615-090300-000_xss-relay.md', 2],
      ]);
      await page.goto(`${boardUrl}?focus=${encodeURIComponent(first!)}`);
      await settled(page);
      await page.locator('atlas-board ol.tree a[data-focus="20260615-090300-000_xss-relay.md"]').click();
      await page.waitForURL((u) => u.searchParams.get('focus') === '20260615-090300-000_xss-relay.md');
      await settled(page);
      expect(await page.locator('#focus-title').textContent()).toContain('XSS probe 4');
      // The quoted filename in message 2's body is a focus link.
      await page.goto(`${boardUrl}?focus=20260615-090100-000_xss-probe.md`);
      await settled(page);
      expect(await page.locator('atlas-board .md a.focus-link').getAttribute('data-focus')).toBe('20260615-090000-000_xss-probe.md');
      await page.goBack();
      await page.waitForURL((u) => u.searchParams.get('focus') === '20260615-090300-000_xss-relay.md');
      await settled(page);
      expect(await page.locator('#focus-title').textContent()).toContain('XSS probe 4');
      await page.getByRole('link', { name: '← all threads' }).click();
      await page.waitForURL((u) => !u.searchParams.has('focus'));
      await settled(page);
      expect(await page.locator('atlas-board [data-list] li.item').count()).toBeGreaterThan(0);
      expect(b.errors).toEqual([]);
      expect(b.offOrigin(server.origin)).toEqual([]);
    });
  });
});
