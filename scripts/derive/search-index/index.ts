// Search-index derivation: the board search's word index (search_words, search_docs), built from messages alone.
//
// RULES (the methods page lists the tables; keep this block in step with the code)
//
// 1. [searchDocOrder] Every message is a document, numbered 0, 1, … newest first: by time descending (messages
//    without a time last), then by filename descending (code-point order, as DuckDB orders strings). That is the
//    board's order for search results, so the newest matches of a search are its smallest numbers, and the page of
//    50 is cut from the index alone before any message is read. The numbers depend only on times and filenames.
// 2. [messageWordSet] A message's words are the words (src/lib/search-words.ts: maximal runs of Unicode letters,
//    combining marks and digits in the lower-cased text) of its headline and of its body, taken separately
//    (a headline's last word and a body's first word never join).
// 3. [searchWordRows] search_words has one row per distinct word with the ascending numbers of the messages that
//    have it (`docs`) and their count; the file is in word order. A message without headline and body has no words.
// 3a. [searchTextOf] search_text has one row per message number with its headline, a line break and its body,
//    lower-cased as DuckDB's lower() does (src/lib/search-words.ts lowerText; a missing headline or body is '').
// 4. The board's search box answers its word terms from this index (a word typed must start a word of the
//    message: `spec` finds "speculative", not "inspect") and text terms ("quoted phrases", pieces with punctuation)
//    as substrings of search_text (src/lib/queries/board-search.sql.ts).
// 5. [wordsMemo] Kept between builds: each message's words (rule 2), by a hash of its headline and body (the
//    derivation's memo, scripts/derive/index.ts Derivation.memo, valid while the code is the same). A refresh finds
//    the words of every message whose headline and body it saw last build and splits only the new or edited ones;
//    numbering, postings and texts (rules 1, 3, 3a) are made again from all messages, so the tables are the same.
import type { MessageRow } from '../../../src/lib/schema/core.ts';
import { SEARCH_TABLES, type SearchDocRow, type SearchTextRow, type SearchWordRow } from '../../../src/lib/schema/search.ts';
import { lowerText, wordsOf } from '../../../src/lib/search-words.ts';
import type { CoreTables } from '../../ingest/ingest.ts';
import type { Derivation, DerivationMemo } from '../index.ts';
import { lastTextMap, textKey } from '../text-memo-keys.ts';

type Doc = Pick<MessageRow, 'filename' | 'ts' | 'headline' | 'body_md'>;

/** A UTF-16 code unit moved so that code-unit order becomes code-point order (surrogates after U+E000–U+FFFF). */
const unitKey = (c: number): number => (c >= 0xd800 && c <= 0xdfff ? c + 0x2000 : c >= 0xe000 ? c - 0x800 : c);

/** Strings in code-point order (the order of their UTF-8 bytes, DuckDB's VARCHAR order). */
export function cmpCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return unitKey(x) - unitKey(y);
  }
  return a.length - b.length;
}

/** Rule 2: the distinct words of a message's headline and body. */
export function messageWordSet(m: Doc): Set<string> {
  const words = new Set(wordsOf(m.headline ?? ''));
  for (const w of wordsOf(m.body_md ?? '')) words.add(w);
  return words;
}

/** Rule 1: messages newest first (time descending, no time last, then filename descending), numbered from 0. */
export function searchDocOrder<D extends Doc>(messages: readonly D[]): D[] {
  const time = (m: Doc): number => (m.ts === null || m.ts === undefined ? Number.NaN : Date.parse(m.ts));
  return messages
    .map((m) => ({ m, t: time(m) }))
    .sort((a, b) => {
      const na = Number.isNaN(a.t);
      const nb = Number.isNaN(b.t);
      if (na !== nb) return na ? 1 : -1;
      if (!na && a.t !== b.t) return b.t - a.t;
      return cmpCodePoints(b.m.filename, a.m.filename);
    })
    .map((x) => x.m);
}

/** Rule 3a: the text a text term is looked for in (the board's MESSAGE_TEXT_SQL, computed once here). */
export const searchTextOf = (m: Doc): string => lowerText(`${m.headline ?? ''}\n${m.body_md ?? ''}`);

/** Rule 5: what decides a message's words, hashed (the headline's length first, so no two pairs share a text). */
function wordsKey(m: Doc): string {
  const h = m.headline ?? '';
  return textKey(`${h.length}:${h}`, m.body_md ?? '');
}

/**
 * Rule 5: each message's word set, from last build's memo where its key is there, else split (rule 2); this build's
 * memo (every message's words, joined by a space: words hold none) is set for the next build.
 */
function wordsMemo(docs: readonly Doc[], memo: DerivationMemo | undefined): (i: number) => Set<string> {
  if (!memo) return (i) => messageWordSet(docs[i]!);
  const old = lastTextMap<string>(memo);
  const next = new Map<string, string>();
  const sets = docs.map((m) => {
    const key = wordsKey(m);
    const known = old.get(key);
    const words = known === undefined ? messageWordSet(m) : new Set(known === '' ? [] : known.split(' '));
    next.set(key, known ?? [...words].join(' '));
    return words;
  });
  memo.set(next);
  return (i) => sets[i]!;
}

/** Rules 1–3a: the index tables (rule 5 with a memo). */
export function buildSearchIndex(messages: readonly Doc[], memo?: DerivationMemo): { search_words: SearchWordRow[]; search_docs: SearchDocRow[]; search_text: SearchTextRow[] } {
  const docs = searchDocOrder(messages);
  const wordsOfDoc = wordsMemo(docs, memo);
  const postings = new Map<string, number[]>();
  const search_docs: SearchDocRow[] = docs.map((m, doc) => {
    const words = wordsOfDoc(doc);
    for (const w of words) {
      const list = postings.get(w);
      // Docs are visited in ascending order, so each list is built sorted.
      if (list) list.push(doc);
      else postings.set(w, [doc]);
    }
    return { doc, filename: m.filename, words: words.size };
  });
  const search_text = docs.map((m, doc) => ({ doc, text: searchTextOf(m) }));
  return { search_words: searchWordRows(postings), search_docs, search_text };
}

/** Rule 3: one row per word (the Parquet writer puts them in word order: the table's orderBy). */
function searchWordRows(postings: Map<string, number[]>): SearchWordRow[] {
  return [...postings].map(([word, list]) => ({ word, messages: list.length, docs: list }));
}

export const searchIndexDerivation: Derivation = {
  name: 'search-index',
  tables: SEARCH_TABLES,
  inputs: ['messages'],
  // The columns it reads of each input (the build reads back only these; tests/unit/derive/columns.test.ts checks them).
  columns: {
    messages: ['body_md', 'filename', 'headline', 'ts'],
  },
  // Rule 5: its memo depends on no table (each entry is keyed by the text it was split from).
  memo: { inputs: [] },
  run(core: CoreTables, _config, _derived, memo) {
    const out = buildSearchIndex(core.messages, memo);
    return out as unknown as Record<string, Record<string, unknown>[]>;
  },
};
