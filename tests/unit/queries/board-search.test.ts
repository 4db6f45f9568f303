// Board search from the word index against a plain scan of the messages with the same semantics, in native DuckDB,
// over Parquet written by buildData from a small export of awkward texts (punctuation, non-ASCII, %, _, quotes).
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildData } from '../../../scripts/build-data.ts';
import { runQuery } from '../../../src/lib/db/connector.ts';
import { createNodeConnector, type NodeConnector } from '../../../src/lib/db/node.ts';
import { boardMessages, type BoardMessageRow } from '../../../src/lib/queries/board.sql.ts';
import { searchWhere } from '../../../src/lib/queries/board-search.sql.ts';
import { parseSearch } from '../../../src/lib/search-words.ts';
import { searchDocOrder } from '../../../scripts/derive/search-index/index.ts';

// Bodies chosen so that word starts, substrings and case differ: each query below has a different answer by index
// and by a naive substring search.
const BODIES = [
  '# Speculative decoding\n\nTried spec-dec with a KV_cache of 2b; 50% faster.',
  '# Inspect the kernel\n\nNothing speculative here: inspection only.',
  "# ÜNÏCODE wörd\n\nNaïve Straße, 東京 and Ελληνικά; it's fine.",
  '# Progress\n\n100%_ok on gemma-2b-it, see 20260610-090000-000_alpha.md',
  '# Quotes\n\nHe said "fused kernels" and \'single\' quotes; O\'Brien agreed.',
  '# İSTANBUL report\n\nΟΔΟΣ and café (cafe\u0301 decomposed) 🚀rocket',
  '# empty-ish\n\n',
  '# Re: spec\n\nspecification, not speculation. kv cache without the underscore.',
];
const QUERIES = [
  'spec', 'SPEC', 'speculative', 'inspect', 'spect', 'ünï', 'naive', 'naïve', 'straße', '東', '京', 'ελλ', 'istanbul', 'οδοσ',
  'ΟΔΟΣ', 'café', 'cafe', 'rocket', 'kv_cache', 'kv cache', 'cache', '_', '%', '50%', '100%_ok', "it's", "'single'",
  '"fused kernels"', '"d k"', 'o\'brien', 'gemma-2b', '-2b', '2b', 'alpha.md', '20260610', 'spec decoding', 'spec nothing',
  'zzz', 'x', 's', '"', '  ', 'spec kv_cache', 'cache kv_cache', '"fused kernels" quotes', "'; DROP TABLE messages; --",
  // Text terms (matched as typed, case ignored) with letters whose case differs outside ASCII.
  '"naïve straße"', '"NAÏVE STRASSE"', '"Straße,"', '"ünïcode wörd"', '"istanbul report"', '"İstanbul"', '"οδοσ and"',
  '"ΟΔΟΣ AND"', '"café ("', '"東京 and"', '🚀rocket', '"ελληνικά;"', '(cafe', 'a.m', '[a-z]', '.*', '\\d',
];

let tmp: string;
let db: NodeConnector;

const stamp = (i: number) => `2026061${i % 10}-0${i % 10}0000-000`;
beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'atlas-search-'));
  mkdirSync(join(tmp, 'export', 'message_board'), { recursive: true });
  for (const [i, body] of BODIES.entries()) {
    writeFileSync(join(tmp, 'export', 'message_board', `${stamp(i)}_agent-${i}.md`), `---\nagent: agent-${i}\ntype: agent\n---\n${body}\n`);
  }
  // A tie in time with the first message (the filename breaks it).
  writeFileSync(join(tmp, 'export', 'message_board', `${stamp(0)}_zeta.md`), '---\nagent: zeta\ntype: agent\n---\n# Spec tie\n\nspeculative too\n');
  await buildData({ source: join(tmp, 'export'), out: join(tmp, 'data'), quiet: true });
  db = await createNodeConnector({ dataDir: join(tmp, 'data') });
});
afterAll(() => {
  db?.close();
  rmSync(tmp, { recursive: true, force: true });
});

/** The semantics written as a scan: a word term by a regular expression at a word start, a text term by contains(). */
async function reference(q: string): Promise<string[]> {
  const conds: string[] = [];
  const params: string[] = [];
  for (const t of parseSearch(q)) {
    const text = `lower(coalesce(headline, '') || chr(10) || coalesce(body_md, ''))`;
    conds.push(t.kind === 'word' ? `regexp_matches(${text}, '(^|[^\\p{L}\\p{M}\\p{N}])' || regexp_escape(?))` : `contains(${text}, lower(?))`);
    params.push(t.text);
  }
  const where = conds.length ? `WHERE ${conds.join(' AND ')}` : '';
  const rows = await runQuery<{ filename: string }>(db, { tables: ['messages'], params, sql: `SELECT filename FROM messages ${where} ORDER BY ts DESC NULLS LAST, filename DESC` });
  return rows.map((r) => r.filename);
}

async function indexed(q: string, page: { limit?: number; offset?: number } = { limit: 5000 }): Promise<string[]> {
  const rows = await runQuery<BoardMessageRow>(db, boardMessages({ q }, page));
  return rows.map((r) => r.filename);
}

describe('board search from the word index', () => {
  it('answers every query as the scan does', async () => {
    const answers: Record<string, number> = {};
    for (const q of QUERIES) {
      const want = await reference(q);
      // The same messages in the same order (newest first), and the same page of two after the first.
      expect(await indexed(q), q).toEqual(want);
      expect(await indexed(q, { limit: 2, offset: 1 }), `${q}, page`).toEqual(want.slice(1, 3));
      answers[q] = want.length;
    }
    // The fixture exercises both sides: word starts found, inner substrings refused, no-match queries.
    expect(answers['spec']).toBe(4);
    expect(answers['spect']).toBe(0);
    expect(answers['inspect']).toBe(1);
    expect(answers['zzz']).toBe(0);
    expect(answers['  ']).toBe(BODIES.length + 1);
  }, 30_000);

  it('reads the word index for words and the lower-cased text for text terms, and binds every term', () => {
    expect(searchWhere('').tables).toEqual([]);
    expect(searchWhere('%').tables).toEqual(['search_docs', 'search_text']);
    expect(searchWhere('50%').tables).toEqual(['search_docs', 'search_text']);
    expect(searchWhere('kv_cache').tables).toEqual(['search_docs', 'search_text']);
    expect(searchWhere('"fused kernels"').tables).toEqual(['search_docs', 'search_text']);
    expect(searchWhere('spec').tables).toEqual(['search_words', 'search_docs']);
    expect(searchWhere('spec kv_cache').tables).toEqual(['search_words', 'search_docs', 'search_text']);
    // No term lower-cases the messages at search time: search_text holds the text lower-cased.
    expect(boardMessages({ q: '"fused kernels" spec' }).sql).not.toContain('lower(');
    const spec = boardMessages({ q: "'; DROP TABLE messages; --" });
    expect(spec.sql).not.toContain('DROP');
    expect(spec.params).toEqual(["';", 'drop', 'table', 'messages;', '--']);
    expect(spec.tables).toContain('search_words');
  });

  it('writes the index byte for byte the same on a second build', async () => {
    const again = join(tmp, 'data-again');
    await buildData({ source: join(tmp, 'export'), out: again, quiet: true, full: true });
    for (const t of ['search_words', 'search_docs', 'search_text']) {
      const hash = (dir: string) => createHash('sha256').update(readFileSync(join(dir, `${t}.parquet`))).digest('hex');
      expect(hash(again), t).toBe(hash(join(tmp, 'data')));
    }
  });

  it("numbers messages in the board's order (newest first, then filename descending) and lists each word with the messages that have it", async () => {
    const docs = await runQuery<{ doc: number; filename: string }>(db, { tables: ['search_docs'], sql: 'SELECT doc, filename FROM search_docs ORDER BY doc' });
    const board = await runQuery<{ filename: string }>(db, { tables: ['messages'], sql: 'SELECT filename FROM messages ORDER BY ts DESC NULLS LAST, filename DESC' });
    expect(docs.map((d) => d.filename)).toEqual(board.map((m) => m.filename));
    expect(docs.map((d) => d.doc)).toEqual(board.map((_m, i) => i));
    // The fixture has a tie in time (broken by filename).
    expect(new Set(board.map((m) => m.filename.slice(0, 19))).size).toBeLessThan(board.length);
    const words = await runQuery<{ word: string; messages: number; docs: number[] }>(db, {
      tables: ['search_words'],
      sql: `SELECT word, messages, docs FROM search_words WHERE word IN ('spec', 'istanbul', 'kv', '東京') ORDER BY word`,
    });
    const doc = (i: number) => docs.findIndex((d) => d.filename === `${stamp(i)}_agent-${i}.md`);
    expect(words).toEqual([
      { word: 'istanbul', messages: 1, docs: [doc(5)] },
      { word: 'kv', messages: 2, docs: [doc(0), doc(7)].sort((a, b) => a - b) },
      { word: 'spec', messages: 3, docs: [doc(0), doc(7), docs.findIndex((d) => d.filename === `${stamp(0)}_zeta.md`)].sort((a, b) => a - b) },
      { word: '東京', messages: 1, docs: [doc(2)] },
    ]);
  });

  it('orders documents as DuckDB orders ts DESC NULLS LAST, filename DESC: no time last, ties by code point', async () => {
    const rows = [
      { filename: 'b.md', ts: '2026-06-10T09:00:00.000Z' },
      { filename: 'a.md', ts: '2026-06-10T09:00:00.000Z' },
      { filename: 'x.md', ts: null },
      { filename: 'c\uffff.md', ts: '2026-06-10T09:00:00.500Z' },
      { filename: 'c\u{1F680}.md', ts: '2026-06-10T09:00:00.500Z' },
      { filename: 'w.md', ts: null },
      { filename: 'd.md', ts: '2026-06-09T23:59:59.999Z' },
    ];
    const values = rows.map((_r, i) => `(?, CAST(? AS TIMESTAMP), ${i})`).join(', ');
    const want = await runQuery<{ filename: string }>(db, {
      tables: [],
      params: rows.flatMap((r) => [r.filename, r.ts]),
      sql: `SELECT filename FROM (VALUES ${values}) v(filename, ts, i) ORDER BY ts DESC NULLS LAST, filename DESC`,
    });
    const got = searchDocOrder(rows.map((r) => ({ ...r, headline: null, body_md: null })));
    expect(got.map((r) => r.filename)).toEqual(want.map((r) => r.filename));
    expect(got.map((r) => r.filename)).toEqual(['c\u{1F680}.md', 'c\uffff.md', 'b.md', 'a.md', 'd.md', 'x.md', 'w.md']);
  });
});
