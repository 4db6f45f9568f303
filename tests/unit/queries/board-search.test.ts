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
  'zzz', 'x', 's', '"', '  ', "'; DROP TABLE messages; --",
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
  const rows = await runQuery<{ filename: string }>(db, { tables: ['messages'], params, sql: `SELECT filename FROM messages ${where} ORDER BY filename` });
  return rows.map((r) => r.filename);
}

async function indexed(q: string): Promise<string[]> {
  const rows = await runQuery<BoardMessageRow>(db, boardMessages({ q }, { limit: 5000 }));
  return rows.map((r) => r.filename).sort();
}

describe('board search from the word index', () => {
  it('answers every query as the scan does', async () => {
    const answers: Record<string, number> = {};
    for (const q of QUERIES) {
      const want = await reference(q);
      expect(await indexed(q), q).toEqual(want);
      answers[q] = want.length;
    }
    // The fixture exercises both sides: word starts found, inner substrings refused, no-match queries.
    expect(answers['spec']).toBe(3);
    expect(answers['spect']).toBe(0);
    expect(answers['inspect']).toBe(1);
    expect(answers['zzz']).toBe(0);
    expect(answers['  ']).toBe(BODIES.length);
  });

  it('reads the index only when a word narrows the search, and binds every term', () => {
    expect(searchWhere('%').tables).toEqual([]);
    expect(searchWhere('50%').tables).toEqual([]);
    expect(searchWhere('kv_cache').tables).toEqual(['search_words', 'search_docs']);
    const spec = boardMessages({ q: "'; DROP TABLE messages; --" });
    expect(spec.sql).not.toContain('DROP');
    expect(spec.params).toEqual(['drop', 'table', "';", 'messages;', '--']);
    expect(spec.tables).toContain('search_words');
  });

  it('writes the index byte for byte the same on a second build', async () => {
    const again = join(tmp, 'data-again');
    await buildData({ source: join(tmp, 'export'), out: again, quiet: true, full: true });
    for (const t of ['search_words', 'search_docs']) {
      const hash = (dir: string) => createHash('sha256').update(readFileSync(join(dir, `${t}.parquet`))).digest('hex');
      expect(hash(again), t).toBe(hash(join(tmp, 'data')));
    }
  });

  it('numbers messages in filename order and lists each word with the messages that have it', async () => {
    const docs = await runQuery<{ doc: number; filename: string }>(db, { tables: ['search_docs'], sql: 'SELECT doc, filename FROM search_docs ORDER BY doc' });
    expect(docs.map((d) => d.filename)).toEqual(BODIES.map((_b, i) => `${stamp(i)}_agent-${i}.md`).sort());
    const words = await runQuery<{ word: string; messages: number; docs: number[] }>(db, {
      tables: ['search_words'],
      sql: `SELECT word, messages, docs FROM search_words WHERE word IN ('spec', 'istanbul', 'kv', '東京') ORDER BY word`,
    });
    const doc = (i: number) => docs.findIndex((d) => d.filename === `${stamp(i)}_agent-${i}.md`);
    expect(words).toEqual([
      { word: 'istanbul', messages: 1, docs: [doc(5)] },
      { word: 'kv', messages: 2, docs: [doc(0), doc(7)].sort((a, b) => a - b) },
      { word: 'spec', messages: 2, docs: [doc(0), doc(7)].sort((a, b) => a - b) },
      { word: '東京', messages: 1, docs: [doc(2)] },
    ]);
  });
});
