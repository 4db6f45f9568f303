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
import { collapseBlocks, markdownBlocks } from '../../src/lib/markdown-blocks.ts';
import { withoutHeadline } from '../../src/lib/markdown-text.ts';
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

  test('without JavaScript the Feed tab shows the newest messages, and See more still opens', async () => {
    const b = await launchBrowser({ javaScriptEnabled: false });
    try {
      await b.page.goto(boardUrl);
      await b.page.locator('atlas-board [data-tab="feed"]').click();
      await b.page.waitForURL((u) => u.hash === '#feed');
      expect(await b.page.locator('atlas-board [data-feed-panel]').isVisible()).toBe(true);
      expect(await b.page.locator('atlas-board [data-list-panel]').isVisible()).toBe(false);
      const shown = await b.page.locator('atlas-board [data-feed] li.post-item a.headline').evaluateAll((as) => as.map((a) => a.getAttribute('data-focus')));
      const newest = (await db.query('SELECT filename FROM messages ORDER BY ts DESC NULLS LAST, filename DESC LIMIT 100')) as { filename: string }[];
      expect(shown.length).toBeGreaterThan(0);
      expect(shown).toEqual(newest.slice(0, shown.length).map((m) => m.filename));
      const details = b.page.locator('atlas-board [data-feed] details.see-more').first();
      if ((await details.count()) > 0) {
        await details.locator('summary').click();
        expect(await details.getAttribute('open')).not.toBeNull();
      }
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

    /** The feed's messages on screen, as the filenames their headlines open. */
    const feedFiles = (page: Page) => page.locator('atlas-board [data-feed] li.post-item .item-head a.headline').evaluateAll((as) => as.map((a) => a.getAttribute('data-focus')));

    test('the feed is every message in time order, newest or oldest first, paged; Show more extends it', async () => {
      const { page } = b;
      // Read independently of the feed's SQL: every message's stamp, sorted here.
      const all = await db.query(`SELECT filename, CAST(ts AS VARCHAR) AS ts FROM messages`) as { filename: string; ts: string | null }[];
      const byTime = (dir: 1 | -1) => (x: { filename: string; ts: string | null }, y: { filename: string; ts: string | null }) =>
        x.ts === y.ts ? dir * x.filename.localeCompare(y.filename) : x.ts === null ? 1 : y.ts === null ? -1 : dir * x.ts.localeCompare(y.ts);
      const newest = [...all].sort(byTime(-1)).map((m) => m.filename);
      const oldest = [...all].sort(byTime(1)).map((m) => m.filename);
      await page.goto(`${boardUrl}?view=feed`);
      await settled(page);
      const first = await feedFiles(page);
      expect(first.length).toBeGreaterThan(1);
      expect(first).toEqual(newest.slice(0, first.length));
      expect(await page.locator('[data-count]').textContent()).toBe(`${plural(all.length, 'message')}, newest first`);
      expect(await page.locator('atlas-board [data-feed-panel]').isVisible()).toBe(true);
      expect(await page.locator('atlas-board [data-list-panel]').isVisible()).toBe(false);
      await page.locator('atlas-board [data-feed-panel] button[data-more]').click();
      await expect.poll(async () => (await feedFiles(page)).length).toBe(first.length * 2);
      expect(await feedFiles(page)).toEqual(newest.slice(0, first.length * 2));
      await page.locator('atlas-board select[name="order"]').selectOption('old');
      await page.waitForURL((u) => u.searchParams.get('order') === 'old');
      await settled(page);
      expect(await feedFiles(page)).toEqual(oldest.slice(0, first.length));
      // Reset clears the filters and the order but stays on the feed.
      await page.locator('atlas-board form.filters button[type="reset"]').click();
      await page.waitForURL((u) => !u.searchParams.has('order'));
      await settled(page);
      expect(await page.locator('atlas-board [data-feed-panel]').isVisible()).toBe(true);
      expect(await feedFiles(page)).toEqual(newest.slice(0, first.length));
      // The Threads tab goes back to the thread list (a new history entry).
      await page.locator('atlas-board [data-tab="threads"]').click();
      await page.waitForURL((u) => u.searchParams.get('view') !== 'feed');
      await settled(page);
      expect(await page.locator('atlas-board [data-list-panel]').isVisible()).toBe(true);
      expect(await page.locator('atlas-board [data-feed-panel]').isVisible()).toBe(false);
      expect(b.errors).toEqual([]);
    });

    test('a long message is cut with "See more", which expands it', async () => {
      const { page } = b;
      const rows = await db.query(`SELECT filename, agent, strftime(ts, '%Y-%m-%d') AS day, headline, body_md FROM messages ORDER BY length(body_md) DESC LIMIT 20`) as
        { filename: string; agent: string; day: string; headline: string | null; body_md: string | null }[];
      const long = rows.find((m) => collapseBlocks(markdownBlocks(withoutHeadline(m.body_md, m.headline))).rest.length > 0);
      expect(long, 'a message long enough to be cut').toBeDefined();
      await page.goto(`${boardUrl}?view=feed&agent=${encodeURIComponent(long!.agent)}&day=${long!.day}`);
      await settled(page);
      const post = page.locator('atlas-board [data-feed] li.post-item').filter({ has: page.locator(`a.headline[data-focus="${long!.filename}"]`) });
      const details = post.locator('details.see-more');
      const hidden = details.locator(':scope > :not(summary)').first();
      expect(await hidden.isVisible()).toBe(false);
      await details.locator('summary').click();
      await expect.poll(() => hidden.isVisible()).toBe(true);
      expect(await details.getAttribute('open')).not.toBeNull();
      expect(await details.locator('summary').innerText()).toBe('See less');
    });

    test('a ref is a quoted reply that opens the message it refers to', async () => {
      const { page } = b;
      await page.goto(`${boardUrl}?view=feed`);
      await settled(page);
      const post = page.locator('atlas-board [data-feed] li.post-item').filter({ has: page.locator('blockquote.reply-quote a.quote-link') }).first();
      const from = await post.locator('a.headline').getAttribute('data-focus');
      const to = await post.locator('blockquote.reply-quote a.quote-link').first().getAttribute('data-focus');
      const [m] = await db.query(`SELECT refs FROM messages WHERE filename = '${from!.replace(/'/g, "''")}'`) as { refs: string[] | null }[];
      expect(m?.refs ?? []).toContain(to);
      const [target] = await db.query(`SELECT agent FROM messages WHERE filename = '${to!.replace(/'/g, "''")}' UNION ALL SELECT agent FROM results WHERE filename = '${to!.replace(/'/g, "''")}'`) as { agent: string }[];
      expect(await post.locator('blockquote.reply-quote .quote-meta').first().textContent()).toContain(target!.agent);
      await post.locator('blockquote.reply-quote a.quote-link').first().click();
      await page.waitForURL((u) => u.searchParams.get('focus') === to);
      await settled(page);
      expect(await page.locator('atlas-board article.post code').first().textContent()).toBe(to);
    });

    test('/ focuses the search box, but types a slash inside a field', async () => {
      const { page } = b;
      await page.goto(`${boardUrl}?view=feed`);
      await settled(page);
      await page.locator('h1').click();
      await page.keyboard.press('/');
      const search = page.getByRole('searchbox', { name: 'Search headlines and bodies' });
      expect(await search.evaluate((e) => e === document.activeElement)).toBe(true);
      await page.keyboard.type('a/b');
      expect(await search.inputValue()).toBe('a/b');
    });

    test('hovering or focusing an agent link shows its card with the agents table values; Escape hides it', async () => {
      const { page } = b;
      await page.goto(`${boardUrl}?view=feed`);
      await settled(page);
      const link = page.locator('atlas-board [data-feed] li.post-item .meta a').first();
      const id = (await link.textContent())!.trim();
      const [a] = await db.query(`SELECT model, harness, array_to_string(tools, ', ') AS tools, strftime(joined, '%Y-%m-%d %H:%M') AS joined FROM agents WHERE agent_id = '${id.replace(/'/g, "''")}'`) as
        { model: string | null; harness: string | null; tools: string | null; joined: string | null }[];
      const [last] = await db.query(`SELECT strftime(max(ts), '%Y-%m-%d %H:%M') AS ts FROM messages WHERE agent = '${id.replace(/'/g, "''")}'`) as { ts: string | null }[];
      const card = page.locator('#agent-card');
      await link.hover();
      await expect.poll(() => card.isVisible()).toBe(true);
      expect(await card.getAttribute('data-agent')).toBe(id);
      const field = (k: string) => card.locator(`dd[data-field="${k}"]`).textContent();
      expect(await field('Model')).toBe(a?.model ?? 'unknown');
      expect(await field('Harness')).toBe(a?.harness ?? 'unknown');
      expect(await field('Tools')).toBe(a?.tools ?? 'unknown');
      expect(await field('Joined')).toBe(a?.joined ? `${a.joined} UTC` : 'unknown');
      expect(await field('Last message')).toContain(`${last!.ts} UTC`);
      // Not over the link.
      const [lb, cb] = [await link.boundingBox(), await card.boundingBox()];
      expect(cb!.y >= lb!.y + lb!.height || cb!.y + cb!.height <= lb!.y).toBe(true);
      await page.keyboard.press('Escape');
      await expect.poll(() => card.isVisible()).toBe(false);
      // Keyboard: focus shows it and describes the link; Escape hides it.
      await page.mouse.move(0, 0);
      await link.focus();
      await expect.poll(() => card.isVisible()).toBe(true);
      expect(await link.getAttribute('aria-describedby')).toBe('agent-card');
      await page.keyboard.press('Escape');
      await expect.poll(() => card.isVisible()).toBe(false);
      expect(b.errors).toEqual([]);
      expect(b.offOrigin(server.origin)).toEqual([]);
    });

    test('at 360 px neither the feed nor an open card scrolls sideways', async () => {
      const phone = await launchBrowser({ viewport: { width: 360, height: 740 }, colorScheme: 'dark' });
      try {
        await phone.page.goto(`${boardUrl}?view=feed`);
        await settled(phone.page);
        const width = () => phone.page.evaluate(() => document.documentElement.scrollWidth);
        expect(await width()).toBeLessThanOrEqual(360);
        const link = phone.page.locator('atlas-board [data-feed] li.post-item .meta a').last();
        await link.focus();
        await expect.poll(() => phone.page.locator('#agent-card').isVisible()).toBe(true);
        const box = await phone.page.locator('#agent-card').boundingBox();
        expect(box!.x).toBeGreaterThanOrEqual(0);
        expect(box!.x + box!.width).toBeLessThanOrEqual(360);
        expect(await width()).toBeLessThanOrEqual(360);
        await phone.page.screenshot({ path: join(OUT, `board-${site.name}-feed-360.png`) });
      } finally {
        await phone.close();
      }
    });
  });
});
