// SQL for the board as a feed: messages in time order (newest or oldest first) under the board's search and filters,
// and the links out of one page of them (refs become quoted replies; quoted filenames that exist become links).
import type { Param, QuerySpec } from '../db/connector.ts';
import { ITEMS_CTE } from './board-items.sql.ts';
import { boardWhere, pageSql, type BoardFilters, type Page } from './board.sql.ts';

export type FeedOrder = 'new' | 'old';

export interface FeedFilters extends BoardFilters {
  order: FeedOrder;
}

export interface FeedRow {
  filename: string;
  ts: string | null;
  agent: string | null;
  kind: string | null;
  headline: string | null;
  body_md: string | null;
  mentions: string[] | null;
  /** Messages in the whole feed under these filters (for "showing n of total"). */
  total: number;
}

/** Order of the feed: time, then filename (stamps to the millisecond; a tie keeps the filename order). */
const orderSql = (o: FeedOrder): string => (o === 'old' ? 'm.ts ASC NULLS LAST, m.filename ASC' : 'm.ts DESC NULLS LAST, m.filename DESC');

/** The page of messages as a CTE `page` (its parameters are the filters'). */
function pageCte(f: FeedFilters, page: Page): { sql: string; params: Param[]; tables: string[] } {
  const { where, params, tables } = boardWhere(f);
  return {
    params,
    tables,
    // The page is cut over the keys alone; only its rows' bodies are read (cutting it over the wide columns made
    // DuckDB-WASM carry every match's body to the cut: an author's 2,000 messages at scale 100).
    sql: `page_keys AS (
  SELECT m.filename, count(*) OVER () AS total, row_number() OVER (ORDER BY ${orderSql(f.order)}) AS pos
  FROM messages m
  ${where}
  ORDER BY ${orderSql(f.order)}
  ${pageSql(page, 20)}
),
page AS (
  SELECT m.filename, m.ts, m.agent, m.kind, m.headline, m.body_md, m.mentions, k.total, k.pos
  FROM page_keys k JOIN messages m ON m.filename = k.filename
)`,
  };
}

/** One page of the feed: messages in time order, filtered like the board's list. */
export function boardFeed(f: FeedFilters, page: Page = {}): QuerySpec {
  const cte = pageCte(f, page);
  return {
    tables: ['messages', ...cte.tables],
    params: cte.params,
    sql: `WITH ${cte.sql}
SELECT filename, ts, agent, kind, headline, body_md, mentions, total FROM page ORDER BY pos`,
  };
}

export interface FeedLinkRow {
  from_file: string;
  /** ref (a quoted reply) or quoted-filename (a filename in the body that the export has). */
  kind: 'ref' | 'quoted-filename';
  target: string;
  to_file: string | null;
  to_part: string | null;
  agent: string | null;
  ts: string | null;
  headline: string | null;
  score: number | null;
  method: string | null;
  /** The referenced body's start (its first lines are quoted). */
  body_start: string | null;
}

/** Refs and resolved quoted filenames of the same page of the feed, with what each refers to. */
export function boardFeedLinks(f: FeedFilters, page: Page = {}): QuerySpec {
  const cte = pageCte(f, page);
  return {
    tables: ['messages', 'results', 'message_links', ...cte.tables],
    params: cte.params,
    sql: `WITH ${ITEMS_CTE}, ${cte.sql}
SELECT l.from_file, l.kind, l.target, l.to_file, l.to_part, i.agent, i.ts, i.headline, i.score, i.method,
  left(coalesce(i.body_md, i.excerpt), 800) AS body_start
FROM page p
JOIN message_links l ON l.from_file = p.filename
LEFT JOIN items i ON i.filename = l.to_file
WHERE l.kind = 'ref' OR (l.kind = 'quoted-filename' AND l.to_file IS NOT NULL)
ORDER BY p.pos, l.kind, l.target`,
  };
}
