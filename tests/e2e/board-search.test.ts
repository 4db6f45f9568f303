// Board search in Chromium: the search box answered from the word index (DuckDB-WASM over search_words/search_docs)
// finds exactly the messages a plain scan with the same semantics finds, in the browser and in native DuckDB, for
// words of the sample, prefixes, inner substrings, punctuation, non-ASCII, `%`/`_`/quotes, one letter and no match.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import type { RunningServer } from '../../scripts/serve.ts';
import { plural } from '../../src/lib/board-format.ts';
import type { QuerySpec } from '../../src/lib/db/connector.ts';
import { runQuery } from '../../src/lib/db/connector.ts';
import { createNodeConnector, type NodeConnector } from '../../src/lib/db/node.ts';
import { MESSAGE_TEXT_SQL } from '../../src/lib/queries/board-search.sql.ts';
import { boardMessages } from '../../src/lib/queries/board.sql.ts';
import { parseSearch } from '../../src/lib/search-words.ts';
import { serveSite } from './harness.ts';
import { sharedBrowser } from './sessions.ts';

const READY = 'atlas-board[data-state="ready"]';
const FIXED = ['XSSCANARY', 'xsscan', 'canary', '%', '_', '50%', "'", '"', '<script', '"on error"', 'ünï', 'naïve', 's', 'zzzqqx', "'; DROP TABLE messages; --"];

/** The semantics written as a scan over messages (no index): a word at a word start by a regular expression, a text term by contains(). */
function reference(q: string): QuerySpec {
  const conds: string[] = [];
  const params: string[] = [];
  for (const t of parseSearch(q)) {
    conds.push(t.kind === 'word' ? `regexp_matches(${MESSAGE_TEXT_SQL}, '(^|[^\\p{L}\\p{M}\\p{N}])' || regexp_escape(?))` : `contains(${MESSAGE_TEXT_SQL}, lower(?))`);
    params.push(t.text);
  }
  return { tables: ['messages'], params, sql: `SELECT m.filename FROM messages m ${conds.length ? `WHERE ${conds.join(' AND ')}` : ''} ORDER BY m.filename` };
}

/** Filenames a query returns in the page's own DuckDB-WASM, sorted. */
async function inBrowser(page: Page, spec: QuerySpec): Promise<string[]> {
  type Atlas = { query: (s: string, p?: unknown[]) => Promise<{ filename: string }[]> };
  const rows = await page.evaluate(
    ({ sql, params }) => (globalThis as unknown as { atlas: Atlas }).atlas.query(sql, params),
    { sql: spec.sql, params: [...(spec.params ?? [])] },
  );
  return rows.map((r) => r.filename).sort();
}

describe.each(inject('sites').slice(0, 1))('board search, base $base', (site) => {
  let server: RunningServer;
  let db: NodeConnector;
  let queries: string[];

  beforeAll(async () => {
    server = await serveSite(site);
    db = await createNodeConnector({ dataDir: join(site.outDir, 'data') });
    // Words of the sample itself: the most common word, a prefix of it, a two-word search, a headline's first words.
    const [top] = (await db.query(
      `SELECT word FROM search_words WHERE length(word) >= 5 ORDER BY messages DESC, word LIMIT 1`,
    )) as { word: string }[];
    const [head] = (await db.query(
      `SELECT headline FROM messages WHERE headline IS NOT NULL ORDER BY filename LIMIT 1`,
    )) as { headline: string }[];
    expect(top?.word).toBeTruthy();
    const w = top!.word;
    queries = [...FIXED, w, w.slice(0, 3), w.slice(1), `${w.slice(0, 3)} ${w}`, w.toUpperCase(), head?.headline.split(/\s+/).slice(0, 2).join(' ') ?? ''];
  });
  afterAll(async () => {
    db?.close();
    await server?.close();
  });

  const b = sharedBrowser({});

  test('the index answers every search as a scan of the messages does, in the browser and in native DuckDB', async () => {
    const { page } = b;
    await page.goto(`${server.url}board/`);
    await page.waitForSelector(READY, { timeout: 90_000 });
    const sizes: Record<string, number> = {};
    for (const q of queries) {
      const want = (await runQuery<{ filename: string }>(db, reference(q))).map((r) => r.filename);
      const index = boardMessages({ q }, { limit: 5000 });
      expect((await runQuery<{ filename: string }>(db, index)).map((r) => r.filename).sort(), `native: ${q}`).toEqual(want);
      expect(await inBrowser(page, index), `browser: ${q}`).toEqual(want);
      expect(await inBrowser(page, reference(q)), `browser scan: ${q}`).toEqual(want);
      sizes[q] = want.length;
    }
    // The list exercises both sides: matches and none, a word start found where an inner substring is refused.
    expect(sizes['zzzqqx']).toBe(0);
    expect(sizes['XSSCANARY']).toBeGreaterThan(0);
    expect(sizes['canary']).toBe(0);
    expect(Object.values(sizes).filter((n) => n > 0).length).toBeGreaterThan(5);
  });

  test('typed into the search box, a word prefix lists what the index finds, and the page says what search matches', async () => {
    const { page } = b;
    const q = queries[FIXED.length + 1]!;
    const want = await runQuery<{ filename: string }>(db, boardMessages({ q }, { limit: 5000 }));
    await page.goto(`${server.url}board/`);
    await page.waitForSelector(READY, { timeout: 90_000 });
    expect(await page.locator('#search-help').textContent()).toContain('start a word');
    await page.getByRole('searchbox', { name: 'Search headlines and bodies' }).fill(q);
    await page.waitForURL((u) => u.searchParams.get('q') === q);
    await page.waitForSelector(READY, { timeout: 90_000 });
    const n = want.length;
    expect(n).toBeGreaterThan(0);
    expect(await page.locator('[data-count]').textContent()).toBe(`${plural(n, 'message')} match${n === 1 ? 'es' : ''}, newest first`);
    const shown = await page.locator('atlas-board [data-list] li.item .headline').evaluateAll((as) => as.map((a) => a.getAttribute('data-focus')));
    expect(shown).toEqual(want.slice(0, 50).map((m) => m.filename));
  });
});
