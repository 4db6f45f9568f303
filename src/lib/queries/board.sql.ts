// SQL builders for the board explorer: thread list, search and filters, and the focus view of one file.
//
// Everything a reader types or picks (search text, agent, type, kind, day, @handle, focused filename) is bound as
// a `?` parameter; limits are integers clamped here. Search (board-search.sql.ts) answers words from the word index
// built at data-build time and matches quoted phrases and pieces with punctuation as typed, so `%`, `_` and quotes
// in the search box are plain characters.
import type { Param, QuerySpec } from '../db/connector.ts';
import { searchWhere, type SearchWhere } from './board-search.sql.ts';

export interface BoardFilters {
  /** The search box: words matched at word starts, phrases and punctuated pieces as typed (board-search.sql.ts). */
  q?: string | null;
  agent?: string | null;
  type?: string | null;
  kind?: string | null;
  /** YYYY-MM-DD (UTC) */
  day?: string | null;
  /** Handle mentioned in the body, with or without the leading @. */
  mention?: string | null;
}

export interface Page {
  limit?: number;
  offset?: number;
}

const clampInt = (v: number | undefined, dflt: number, max: number): number =>
  Math.min(max, Math.max(0, Math.trunc(Number.isFinite(v) ? (v as number) : dflt)));
export const pageSql = (p: Page, dflt = 50): string => `LIMIT ${clampInt(p.limit, dflt, 5000)} OFFSET ${clampInt(p.offset, 0, 1e9)}`;

export { ITEMS_CTE } from './board-items.sql.ts';
import { ITEMS_CTE } from './board-items.sql.ts';

export interface BoardCountsRow {
  messages: number;
  threads: number;
  authors: number;
  replies: number;
  days: number;
  first_ts: string | null;
  last_ts: string | null;
}

/** Headline counts: messages, threads with at least one message, distinct authors, replies, days with posts. */
export function boardCounts(): QuerySpec {
  return {
    tables: ['messages', 'threads'],
    sql: `SELECT count(*) AS messages,
  count(DISTINCT t.thread_id) AS threads,
  count(DISTINCT m.agent) AS authors,
  count(*) FILTER (WHERE t.parent IS NOT NULL) AS replies,
  count(DISTINCT CAST(m.ts AS DATE)) AS days,
  min(m.ts) AS first_ts,
  max(m.ts) AS last_ts
FROM messages m LEFT JOIN threads t ON t.filename = m.filename`,
  };
}

export interface BoardFacetRow {
  facet: 'agent' | 'type' | 'kind' | 'day' | 'mention';
  value: string;
  n: number;
}

/** Values for the filter menus with message counts. */
export function boardFacets(): QuerySpec {
  return {
    tables: ['messages'],
    sql: `SELECT 'agent' AS facet, agent AS value, count(*) AS n FROM messages WHERE agent IS NOT NULL GROUP BY agent
UNION ALL
SELECT 'type', type, count(*) FROM messages WHERE type IS NOT NULL GROUP BY type
UNION ALL
SELECT 'kind', kind, count(*) FROM messages WHERE kind IS NOT NULL GROUP BY kind
UNION ALL
SELECT 'day', strftime(ts, '%Y-%m-%d'), count(*) FROM messages WHERE ts IS NOT NULL GROUP BY 2
UNION ALL
SELECT 'mention', handle, count(*) FROM (SELECT unnest(mentions) AS handle FROM messages) GROUP BY handle
ORDER BY facet, n DESC, value`,
  };
}

export interface BoardThreadRow {
  thread_id: string;
  root_part: 'messages' | 'results';
  headline: string | null;
  agent: string | null;
  ts: string | null;
  excerpt: string | null;
  kind: string | null;
  score: number | null;
  method: string | null;
  state: string | null;
  /** Messages and results in the thread besides the root. */
  replies: number;
  thread_messages: number;
  last_ts: string | null;
  last_agent: string | null;
  /** Threads in the whole list (for "showing n of total"). */
  total: number;
}

/** Threads with at least one message, most recent activity first. */
export function boardThreads(page: Page = {}): QuerySpec {
  return {
    tables: ['messages', 'results', 'threads'],
    sql: `WITH ${ITEMS_CTE},
last AS (
  SELECT t.thread_id, max(i.ts) AS last_ts, arg_max(i.agent, i.ts) AS last_agent
  FROM threads t JOIN items i ON i.filename = t.filename
  GROUP BY t.thread_id
)
SELECT t.thread_id, t.part AS root_part, i.headline, i.agent, i.ts, i.excerpt, i.kind, i.score, i.method, i.state,
  t.thread_size - 1 AS replies, t.thread_messages, l.last_ts, l.last_agent,
  count(*) OVER () AS total
FROM threads t
JOIN items i ON i.filename = t.thread_id
JOIN last l ON l.thread_id = t.thread_id
WHERE t.filename = t.thread_id AND t.thread_messages > 0
ORDER BY l.last_ts DESC NULLS LAST, t.thread_id
${pageSql(page)}`,
  };
}

export interface BoardMessageRow {
  filename: string;
  ts: string | null;
  agent: string | null;
  type: string | null;
  kind: string | null;
  headline: string | null;
  excerpt: string | null;
  body_md: string | null;
  mentions: string[] | null;
  thread_id: string | null;
  depth: number | null;
  parent: string | null;
  thread_size: number | null;
  root_headline: string | null;
  total: number;
}

/** True when any filter is set (the page then lists matching messages instead of threads). */
export const hasFilters = (f: BoardFilters): boolean =>
  [f.q, f.agent, f.type, f.kind, f.day, f.mention].some((v) => typeof v === 'string' && v.trim() !== '');

/** The WHERE clause (over `messages m`), its bound parameters and the index tables it reads; '' when no filter is set. */
export function boardWhere(f: BoardFilters, search: SearchWhere = searchWhere(f.q)): { where: string; params: Param[]; tables: string[] } {
  const where: string[] = [...search.conditions];
  const params: Param[] = [...search.params];
  const add = (sql: string, v: string | null | undefined): void => {
    const t = v?.trim();
    if (t) {
      where.push(sql);
      params.push(t);
    }
  };
  add('m.agent = ?', f.agent);
  add('m.type = ?', f.type);
  add('m.kind = ?', f.kind);
  add(`strftime(m.ts, '%Y-%m-%d') = ?`, f.day);
  add('list_contains(m.mentions, ?)', f.mention?.replace(/^@/, ''));
  return { where: where.length ? `WHERE ${where.join('\n  AND ')}` : '', params, tables: search.tables };
}

/**
 * Messages matching the search and filters, newest first, with the thread each belongs to. A search alone (no other
 * filter) is answered by the index alone: its message numbers are in the board's order (search_docs), so the page is
 * the smallest numbers matching every term, and only those 50 messages are read.
 * Otherwise the page of matches is cut from messages first. Either way only the threads and roots of the page's rows
 * are looked up (semi-joins over 50 rows, not joins over every message: that was most of the query's time at scale
 * 100). Filename is the key of threads, messages and results (one namespace), so the joins add no rows; a root's
 * headline is its item headline (board-items.sql.ts).
 */
export function boardMessages(f: BoardFilters, page: Page = {}): QuerySpec {
  const search = searchWhere(f.q);
  if (search.docs && !hasFilters({ ...f, q: null })) return messagesFromIndex(search.docs, search.tables, page);
  return messagesWhere(boardWhere(f, search), page);
}

/** boardMessages over any WHERE clause on `messages m` (the benchmark times the scan the index replaced with it). */
export function messagesWhere({ where, params, tables }: { where: string; params: Param[]; tables: string[] }, page: Page = {}): QuerySpec {
  return {
    tables: ['messages', 'results', 'threads', ...tables],
    params,
    // The page is cut over the keys alone, then its 50 rows' wide columns read (cut over the wide columns, DuckDB-WASM
    // carried every match's body to the cut: 149 → 38 ms for the author with most messages at scale 100).
    sql: `WITH page_keys AS (
  SELECT m.filename, count(*) OVER () AS total
  FROM messages m
  ${where}
  ORDER BY m.ts DESC NULLS LAST, m.filename DESC
  ${pageSql(page)}
),
hits AS (
  SELECT m.filename, m.ts, m.agent, m.type, m.kind, m.headline, m.excerpt, m.body_md, m.mentions, k.total
  FROM page_keys k JOIN messages m ON m.filename = k.filename
),
${HITS_WITH_THREADS}`,
  };
}

/** boardMessages for a search alone: the page cut from the index's message numbers (newest first). */
function messagesFromIndex(docs: { sql: string; params: Param[] }, tables: readonly string[], page: Page): QuerySpec {
  return {
    tables: ['messages', 'results', 'threads', ...tables],
    params: docs.params,
    sql: `WITH top AS (
  SELECT doc, count(*) OVER () AS total
  FROM (
    ${docs.sql})
  ORDER BY doc
  ${pageSql(page)}
),
hits AS (
  SELECT m.filename, m.ts, m.agent, m.type, m.kind, m.headline, m.excerpt, m.body_md, m.mentions, top.total
  FROM top JOIN search_docs d ON d.doc = top.doc JOIN messages m ON m.filename = d.filename
),
${HITS_WITH_THREADS}`,
  };
}

/** The rest of boardMessages after its `hits` CTE (a page of messages with `total`): their threads and roots. */
const HITS_WITH_THREADS = `hit_threads AS (SELECT filename, thread_id, depth, parent, thread_size FROM threads WHERE filename IN (SELECT filename FROM hits)),
roots AS (
  SELECT filename, headline FROM messages WHERE filename IN (SELECT thread_id FROM hit_threads)
  UNION ALL
  SELECT filename, coalesce(description, method) FROM results WHERE filename IN (SELECT thread_id FROM hit_threads)
)
SELECT h.filename, h.ts, h.agent, h.type, h.kind, h.headline, h.excerpt, h.body_md, h.mentions,
  t.thread_id, t.depth, t.parent, t.thread_size, r.headline AS root_headline, h.total
FROM hits h
LEFT JOIN hit_threads t ON t.filename = h.filename
LEFT JOIN roots r ON r.filename = t.thread_id
ORDER BY h.ts DESC NULLS LAST, h.filename DESC`;

// ---------------------------------------------------------------------------------------------------------
// Focus: one message or result, its thread, what links to it and from it, the results and runs it points at.

// The focus view of one file (its item, thread, links, results and runs) is in board-focus.sql.ts.
export * from './board-focus.sql.ts';

export interface KnownFileRow {
  filename: string;
}

/** Every message and result filename (to link filenames quoted in bodies only when they exist). */
export function knownFiles(): QuerySpec {
  return {
    tables: ['messages', 'results'],
    sql: `SELECT filename FROM messages UNION SELECT filename FROM results ORDER BY filename`,
  };
}
