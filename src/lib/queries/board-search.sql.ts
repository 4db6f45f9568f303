// The board's search box as SQL over `messages m`, answered from the index built at data-build time
// (scripts/derive/search-index/): word terms from search_words, text terms from search_text.
//
// Semantics (said on the board page, SEARCH_HELP): every term must match (AND). A word (letters, marks and digits
// only) must start a word of the headline or body, case-insensitively: `spec` finds "speculative", not "inspect".
// A "quoted phrase", or a piece with punctuation in it (`kv_cache`, `50%`, a filename), must appear as typed
// (case-insensitive substring of the headline, a line break and the body: MESSAGE_TEXT_SQL, which search_text holds
// already lower-cased). Every term is bound as a `?` parameter.
import type { Param } from '../db/connector.ts';
import { parseSearch } from '../search-words.ts';

/** What the board page says about its search box. */
export const SEARCH_HELP =
  'Every word must start a word of the headline or body (spec finds “speculative”); "quoted phrases" and pieces with punctuation (kv_cache, 50%, a filename) match as typed. Case is ignored.';

/** The message text a text term is matched against, as SQL over `messages m` (search_text.text holds it; the tests scan it). */
export const MESSAGE_TEXT_SQL = `lower(coalesce(m.headline, '') || chr(10) || coalesce(m.body_md, ''))`;

export interface SearchWhere {
  /** Conditions over `messages m`, to be ANDed. */
  conditions: string[];
  params: Param[];
  /** Index tables the conditions read (none for an empty search). */
  tables: string[];
  /**
   * For a search with terms: the numbers (search_docs.doc) of the messages matching every term, as a query with one
   * column `doc`, and its parameters. The index answers such a search alone.
   */
  docs: { sql: string; params: Param[] } | null;
}

/** Message numbers having a word that starts with `?` (one parameter), each once. */
const docsWithPrefix = `SELECT DISTINCT unnest(docs) AS doc FROM search_words WHERE starts_with(word, ?)`;

/** Message numbers whose lower-cased text contains `?` (one parameter, lower-cased as the text is: parseSearch). */
const docsWithText = `SELECT doc FROM search_text WHERE contains(text, ?)`;

/**
 * The search box's text as conditions over `messages m`; no conditions for an empty search. Word terms are looked up
 * in search_words, text terms scanned for in search_text (lower-cased once, at data-build time: lower-casing every
 * message at each search was most of a search's time); the message numbers matching every term are their INTERSECT.
 */
export function searchWhere(q: string | null | undefined): SearchWhere {
  const terms = parseSearch(q);
  if (terms.length === 0) return { conditions: [], params: [], tables: [], docs: null };
  const docsSql = terms.map((t) => (t.kind === 'word' ? docsWithPrefix : docsWithText)).join('\n    INTERSECT ');
  const params: Param[] = terms.map((t) => t.text);
  const kinds = new Set(terms.map((t) => t.kind));
  return {
    // One semi-join: those numbers mapped to filenames.
    conditions: [`m.filename IN (SELECT filename FROM search_docs WHERE doc IN (\n    ${docsSql}))`],
    params,
    tables: [...(kinds.has('word') ? ['search_words'] : []), 'search_docs', ...(kinds.has('text') ? ['search_text'] : [])],
    docs: { sql: docsSql, params: [...params] },
  };
}
