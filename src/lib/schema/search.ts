// Tables written by the search-index derivation (scripts/derive/search-index/): the board search's word index.
import { col, key, table, type Row } from './types.ts';

export const searchWords = table({
  name: 'search_words',
  description:
    'Board search index: every word of message headlines and bodies (lower-cased letters, marks and digits) with the messages it appears in.',
  orderBy: ['word'],
  columns: [
    key('word', 'VARCHAR', 'A word: a maximal run of Unicode letters, combining marks and digits, lower-cased.'),
    key('messages', 'INTEGER', 'Messages whose headline or body has the word.'),
    key('docs', 'INTEGER[]', 'Those messages, as search_docs.doc numbers in ascending order.'),
  ],
});

export const searchDocs = table({
  name: 'search_docs',
  description:
    'Board search index: the number standing for each message in search_words.docs, newest first (time descending, no time last, then filename descending: the board\'s order).',
  orderBy: ['doc'],
  columns: [
    key('doc', 'INTEGER', 'Message number, 0 for the newest message.'),
    key('filename', 'VARCHAR', 'Message filename (messages.filename).'),
    col('words', 'INTEGER', 'Distinct words in its headline and body.'),
  ],
});

export const searchText = table({
  name: 'search_text',
  description:
    'Board search: each message\'s headline and body lower-cased (as DuckDB\'s lower() does), by search_docs.doc, so a "quoted phrase" or a piece with punctuation is found by a plain substring test without lower-casing every message at each search.',
  orderBy: ['doc'],
  columns: [
    key('doc', 'INTEGER', 'Message number (search_docs.doc).'),
    col('text', 'VARCHAR', 'Headline, a line break and body, lower-cased; an empty headline or body is an empty string.'),
  ],
});

export const SEARCH_TABLES = [searchWords, searchDocs, searchText] as const;

export type SearchWordRow = Row<typeof searchWords>;
export type SearchDocRow = Row<typeof searchDocs>;
export type SearchTextRow = Row<typeof searchText>;
