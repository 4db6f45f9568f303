// The board's search box as SQL over `messages m`: word terms answered from the word index built at data-build time
// (search_words, search_docs; scripts/derive/search-index/), text terms checked against the message text.
//
// Semantics (said on the board page, SEARCH_HELP): every term must match (AND). A word (letters, marks and digits
// only) must start a word of the headline or body, case-insensitively: `spec` finds "speculative", not "inspect".
// A "quoted phrase", or a piece with punctuation in it (`kv_cache`, `50%`, a filename), must appear as typed
// (case-insensitive substring); when a word term narrows the search through the index, a text term's words after a
// punctuation character narrow it too, since each of them necessarily starts a word of any match. Every term is bound
// as a `?` parameter.
import type { Param } from '../db/connector.ts';
import { parseSearch, type SearchTerm } from '../search-words.ts';

/** What the board page says about its search box. */
export const SEARCH_HELP =
  'Every word must start a word of the headline or body (spec finds “speculative”); "quoted phrases" and pieces with punctuation (kv_cache, 50%, a filename) match as typed. Case is ignored.';

/** The message text a text term is matched against (the same expression as before the index, and in the tests). */
export const MESSAGE_TEXT_SQL = `lower(coalesce(m.headline, '') || chr(10) || coalesce(m.body_md, ''))`;

export interface SearchWhere {
  /** Conditions over `messages m`, to be ANDed. */
  conditions: string[];
  params: Param[];
  /** Index tables the conditions read (none when no word narrows the search). */
  tables: string[];
  /**
   * When every term is a word (and there is one): the numbers (search_docs.doc) of the messages having every word,
   * as a query with one column `doc`, and its parameters. The index answers such a search alone.
   */
  docs: { sql: string; params: Param[] } | null;
}

/** Words the index must find in a match: every word term, and the inner words of text terms. */
export function indexedWords(terms: readonly SearchTerm[]): string[] {
  return [...new Set(terms.flatMap((t) => (t.kind === 'word' ? [t.text] : t.inner)))];
}

/** Message numbers having a word that starts with `?` (one parameter), each once. */
const docsWithPrefix = `SELECT DISTINCT unnest(docs) AS doc FROM search_words WHERE starts_with(word, ?)`;

/** The search box's text as conditions over `messages m`; no conditions for an empty search. */
export function searchWhere(q: string | null | undefined): SearchWhere {
  const terms = parseSearch(q);
  // The index only when a word term is typed: a search of text terms alone (`lm_head`, a phrase) is a plain substring
  // scan, since narrowing it by its inner words and then checking the substring cost more than the scan at scale 100
  // (bench:site: 438 ms against 296 ms).
  const words = terms.some((t) => t.kind === 'word') ? indexedWords(terms) : [];
  const conditions: string[] = [];
  const params: Param[] = [];
  // The message numbers having every word: INTERSECT of the prefix lookups.
  const docsSql = words.map(() => docsWithPrefix).join('\n    INTERSECT ');
  if (words.length > 0) {
    // One semi-join: those numbers mapped to filenames.
    conditions.push(`m.filename IN (SELECT filename FROM search_docs WHERE doc IN (\n    ${docsSql}))`);
    params.push(...words);
  }
  for (const t of terms) {
    if (t.kind !== 'text') continue;
    conditions.push(`contains(${MESSAGE_TEXT_SQL}, lower(?))`);
    params.push(t.text);
  }
  const wordsOnly = words.length > 0 && terms.every((t) => t.kind === 'word');
  return {
    conditions,
    params,
    tables: words.length > 0 ? ['search_words', 'search_docs'] : [],
    docs: wordsOnly ? { sql: docsSql, params: [...words] } : null,
  };
}
