import { describe, expect, it } from 'vitest';
import { compressToEncodedURIComponent } from 'lz-string';
import { consoleUrl, decodeCompressed, PLAIN_LIMIT, queryFromSearch, searchForQuery } from '../../../src/lib/console/permalink.ts';
import { consoleHref } from '../../../src/lib/sql-text.ts';

/** What the console reads back from a link it wrote (through a real URL parser, as the browser does). */
const roundTrip = (sql: string, base = 'http://127.0.0.1:4321/atlas/') => queryFromSearch(new URL(consoleUrl('/atlas/', sql), base).search);

/** Deterministic pseudo-random text over a mixed alphabet (no Math.random: reproducible failures). */
function pseudoRandomText(n: number, seed = 7): string {
  const alphabet = [..."abcXYZ019 '\"%&+=?#;,\n\t\\/-_.()[]{}ünïçødé✓😀中文ÿ\u0301\u200b"];
  let x = seed;
  let s = '';
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    s += alphabet[x % alphabet.length];
  }
  return s;
}

describe('console permalinks', () => {
  it('writes short queries as readable ?sql= and reads them back', () => {
    const sql = 'SELECT * FROM runs LIMIT 5';
    expect(searchForQuery(sql)).toBe('?sql=SELECT+*+FROM+runs+LIMIT+5');
    expect(roundTrip(sql)).toEqual({ sql, param: 'sql' });
    expect(consoleUrl('/atlas/', sql)).toBe('/atlas/sql/?sql=SELECT+*+FROM+runs+LIMIT+5');
    expect(consoleUrl('/', '')).toBe('/sql/');
  });

  it('reads the links other pages write with consoleHref (%20, quotes, &, +)', () => {
    const href = consoleHref('/', { sql: "SELECT * FROM results WHERE agent = ? AND method LIKE '%+%'", params: ['a&b=c'] });
    const got = queryFromSearch(new URL(href, 'http://x').search);
    expect(got).toEqual({ sql: "SELECT * FROM results WHERE agent = 'a&b=c' AND method LIKE '%+%'", param: 'sql' });
    // A literal + must stay a plus; an encoded space may be + or %20.
    expect(queryFromSearch('?sql=SELECT%201%2B1')?.sql).toBe('SELECT 1+1');
    expect(queryFromSearch('?sql=SELECT+1')?.sql).toBe('SELECT 1');
  });

  it('round-trips unicode: accents, combining marks, CJK, emoji, zero-width space, newlines and tabs', () => {
    for (const sql of [
      "SELECT 'zoë-ünïcode' AS a, 'e\u0301' AS combining, '中文' AS cjk, '😀👩‍🔬' AS emoji, 'x\u200by' AS zw",
      "-- comment ✓\nSELECT\t'tab'\r\nFROM runs WHERE agent = 'it''s'",
      '"quoted ""identifier"""',
    ]) {
      expect(roundTrip(sql)?.sql).toBe(sql);
      // Long enough to be compressed, too.
      const long = `${sql}\n${'-- ✓ padding 😀\n'.repeat(40)}`;
      const q = roundTrip(long);
      expect(q).toEqual({ sql: long, param: 'z' });
    }
  });

  it('compresses long queries into ?z= (much shorter than the plain form) and reads them back', () => {
    const sql = `SELECT agent, count(*) AS n\nFROM results\nWHERE method LIKE '%ctk%'\nGROUP BY agent\n`.repeat(30);
    const search = searchForQuery(sql);
    expect(search.startsWith('?z=')).toBe(true);
    expect(search.length).toBeLessThan(encodeURIComponent(sql).length / 3);
    expect(roundTrip(sql)).toEqual({ sql, param: 'z' });
  });

  it('round-trips very long queries (200,000 characters, compressible and random)', () => {
    const repetitive = 'SELECT * FROM runs UNION ALL '.repeat(7000) + 'SELECT * FROM runs';
    expect(repetitive.length).toBeGreaterThan(200_000);
    expect(roundTrip(repetitive)?.sql).toBe(repetitive);
    const random = pseudoRandomText(200_000);
    const back = roundTrip(random);
    expect(back?.sql).toBe(random);
    // Random text barely compresses: whichever form is shorter is written.
    const search = searchForQuery(random);
    expect(search.length).toBeLessThanOrEqual(new URLSearchParams({ sql: random }).toString().length + 1);
  });

  it('uses the plain form up to the limit and the compressed one above it', () => {
    const short = `SELECT ${'x'.repeat(PLAIN_LIMIT - 20)}`;
    expect(searchForQuery(short).startsWith('?sql=')).toBe(true);
    const long = `SELECT ${'x, '.repeat(PLAIN_LIMIT)}1`;
    expect(searchForQuery(long).startsWith('?z=')).toBe(true);
  });

  it('reads ?z= even when a + in it was turned into a space, and prefers z over sql', () => {
    // Find a query whose compressed form contains '+' (lz-string's URI alphabet has it).
    let sql = '';
    let z = '';
    for (let i = 0; i < 500 && !z.includes('+'); i++) {
      sql = `SELECT ${i} AS n, '${'é'.repeat(i % 13)}' AS s FROM runs WHERE score > ${i * 7}`;
      z = compressToEncodedURIComponent(sql);
    }
    expect(z).toContain('+');
    expect(queryFromSearch(`?z=${z}`)?.sql).toBe(sql);
    expect(queryFromSearch(`?z=${z.replaceAll('+', '%20')}`)?.sql).toBe(sql);
    expect(queryFromSearch(`?sql=SELECT+1&z=${z}`)).toEqual({ sql, param: 'z' });
  });

  it('ignores a broken ?z= (falls back to ?sql=, else no query)', () => {
    expect(decodeCompressed('not lz-string!')).toBeNull();
    expect(queryFromSearch('?z=%%%')).toBeNull();
    expect(queryFromSearch('?z=garbage&sql=SELECT+2')).toEqual({ sql: 'SELECT 2', param: 'sql' });
    expect(queryFromSearch('')).toBeNull();
    expect(queryFromSearch('?other=1')).toBeNull();
  });

  it('keeps other parameters and replaces an older query', () => {
    expect(searchForQuery('SELECT 1', '?view=chart&sql=SELECT+0&z=abc')).toBe('?view=chart&sql=SELECT+1');
    expect(searchForQuery('', '?view=chart&sql=SELECT+0')).toBe('?view=chart');
    expect(searchForQuery('   ')).toBe('');
  });
});
