// SQL builders for the board's focus view of one file: the item itself, its thread, links in and out, the results it
// names and the runs behind them. The focused filename is one bound `?` parameter shared by every CTE.
import type { QuerySpec } from '../db/connector.ts';
import { STATE_SQL } from './leaderboard.sql.ts';
import { ITEMS_CTE } from './board-items.sql.ts';

/** One bound parameter, the focused filename, shared by every CTE of a focus query. */
const FOCUS_CTE = `p AS (SELECT CAST(? AS VARCHAR) AS f)`;

export interface FocusItemRow {
  filename: string;
  part: 'messages' | 'results';
  ts: string | null;
  agent: string | null;
  type: string | null;
  kind: string | null;
  via: string | null;
  headline: string | null;
  body_md: string | null;
  refs: string[] | null;
  mentions: string[] | null;
  recipients: string[] | null;
  verdict: string | null;
  verdict_result: string | null;
  score: number | null;
  secondary: number | null;
  method: string | null;
  status: string | null;
  state: string | null;
  description: string | null;
  submission: string | null;
  job_ids: string[] | null;
  credits: string[] | null;
  source_file: string | null;
  thread_id: string | null;
  depth: number | null;
  parent: string | null;
  replies: number | null;
  thread_size: number | null;
}

/**
 * The focused message or result with its thread position (filenames are unique across both tables, so at most
 * one row). No LIMIT 1: DuckDB-WASM 1.32 returns no rows for this prepared union + join with LIMIT 1.
 */
export function focusItem(filename: string): QuerySpec {
  return {
    tables: ['messages', 'results', 'threads'],
    params: [filename],
    sql: `WITH ${FOCUS_CTE},
item AS (
  SELECT filename, 'messages' AS part, ts, agent, type, kind, via, headline, body_md, refs, mentions, recipients,
    verdict, verdict_result, NULL::DOUBLE AS score, NULL::DOUBLE AS secondary, NULL::VARCHAR AS method,
    NULL::VARCHAR AS status, NULL::VARCHAR AS state, NULL::VARCHAR AS description, NULL::VARCHAR AS submission,
    NULL::VARCHAR[] AS job_ids, NULL::VARCHAR[] AS credits, source_file
  FROM messages, p WHERE filename = p.f
  UNION ALL
  SELECT filename, 'results', ts, agent, NULL, 'result', NULL, coalesce(description, method), body_md, refs, NULL, NULL,
    NULL, NULL, score, secondary, method, status, ${STATE_SQL}, description, submission, job_ids, credits, source_file
  FROM results, p WHERE filename = p.f
)
SELECT item.*, t.thread_id, t.depth, t.parent, t.replies, t.thread_size
FROM item LEFT JOIN threads t ON t.filename = item.filename`,
  };
}

export interface FocusThreadRow {
  filename: string;
  part: 'messages' | 'results';
  ts: string | null;
  agent: string | null;
  headline: string | null;
  excerpt: string | null;
  kind: string | null;
  score: number | null;
  method: string | null;
  state: string | null;
  depth: number;
  parent: string | null;
  replies: number;
  is_focus: boolean;
}

/** Every message and result of the focused file's thread, depth first (children by time). */
export function focusThread(filename: string): QuerySpec {
  return {
    tables: ['messages', 'results', 'threads'],
    params: [filename],
    sql: `WITH RECURSIVE ${FOCUS_CTE},
${ITEMS_CTE},
members AS (
  SELECT t.*, i.ts, strftime(coalesce(i.ts, TIMESTAMP '1970-01-01'), '%Y%m%d%H%M%S%g') || '|' || t.filename AS sort_key
  FROM threads t JOIN items i ON i.filename = t.filename
  WHERE t.thread_id = (SELECT thread_id FROM threads, p WHERE filename = p.f)
),
tree AS (
  SELECT filename, [sort_key] AS path FROM members WHERE parent IS NULL
  UNION ALL
  SELECT m.filename, list_append(tree.path, m.sort_key) FROM members m JOIN tree ON m.parent = tree.filename
)
SELECT m.filename, m.part, i.ts, i.agent, i.headline, i.excerpt, i.kind, i.score, i.method, i.state,
  m.depth, m.parent, m.replies, m.filename = (SELECT f FROM p) AS is_focus
FROM members m JOIN tree ON tree.filename = m.filename JOIN items i ON i.filename = m.filename
ORDER BY tree.path`,
  };
}

export interface FocusLinkRow {
  /** in: the other file links to the focus; out: the focus links to it. */
  direction: 'in' | 'out';
  /** ref or quoted-filename */
  kind: string;
  other: string;
  other_part: string;
  agent: string | null;
  ts: string | null;
  headline: string | null;
}

/** Files that ref or quote the focus, and files the focus refs or quotes (unresolved targets included). */
export function focusLinks(filename: string): QuerySpec {
  return {
    tables: ['messages', 'results', 'message_links'],
    params: [filename],
    sql: `WITH ${FOCUS_CTE},
${ITEMS_CTE},
l AS (
  SELECT 'in' AS direction, kind, from_file AS other FROM message_links, p
  WHERE to_file = p.f AND kind IN ('ref', 'quoted-filename')
  UNION ALL
  SELECT 'out', kind, coalesce(to_file, target) FROM message_links, p
  WHERE from_file = p.f AND kind IN ('ref', 'quoted-filename')
)
SELECT l.direction, l.kind, l.other, coalesce(i.part, 'unresolved') AS other_part, i.agent, i.ts, i.headline
FROM l LEFT JOIN items i ON i.filename = l.other
ORDER BY l.direction, i.ts NULLS LAST, l.other, l.kind`,
  };
}

export interface FocusResultRow {
  filename: string;
  ts: string | null;
  agent: string | null;
  score: number | null;
  secondary: number | null;
  method: string | null;
  state: string;
  description: string | null;
  link: string;
}

/** Results the focus refs or quotes. */
export function focusResults(filename: string): QuerySpec {
  return {
    tables: ['results', 'message_links'],
    params: [filename],
    sql: `WITH ${FOCUS_CTE}
SELECT r.filename, r.ts, r.agent, r.score, r.secondary, r.method, r.state, r.description,
  string_agg(DISTINCT l.kind, ', ' ORDER BY l.kind) AS link
FROM message_links l
JOIN p ON l.from_file = p.f
JOIN (SELECT *, ${STATE_SQL} AS state FROM results) r ON r.filename = l.to_file
WHERE l.kind IN ('ref', 'quoted-filename')
GROUP BY ALL
ORDER BY r.ts, r.filename`,
  };
}

export interface FocusRunRow {
  run_dir: string;
  agent: string | null;
  status: string | null;
  job_id: string | null;
  submission_prefix: string | null;
  score: number | null;
  secondary: number | null;
  created_at: string | null;
  /** How the run was found: job (a quoted 24-hex job id) and/or submission (same submission prefix). */
  matched_by: string;
  /** The file that names it: the focus itself or a result it refs. */
  via_file: string;
}

/**
 * Runs of the focus: canonical run dirs (duplicate_of null) whose job id is quoted in it (results.job_ids; for a
 * message, 24-hex runs in the body) or whose submission prefix it names; the same for the results it refs.
 */
export function focusRuns(filename: string): QuerySpec {
  return {
    tables: ['messages', 'results', 'message_links', 'runs'],
    params: [filename],
    sql: `WITH ${FOCUS_CTE},
src AS (
  SELECT filename, job_ids AS jobs, list_filter([submission_prefix], x -> x IS NOT NULL) AS prefixes
  FROM results, p WHERE filename = p.f
  UNION ALL
  SELECT filename,
    list_filter(regexp_extract_all(coalesce(body_md, ''), '[0-9a-f]+'), x -> length(x) = 24),
    regexp_extract_all(coalesce(body_md, ''), 'submissions/[a-z0-9][a-z0-9-]*/[A-Za-z0-9._-]+')
  FROM messages, p WHERE filename = p.f
  UNION ALL
  SELECT r.filename, r.job_ids, list_filter([r.submission_prefix], x -> x IS NOT NULL)
  FROM message_links l JOIN p ON l.from_file = p.f JOIN results r ON r.filename = l.to_file
  WHERE l.kind IN ('ref', 'quoted-filename')
),
keys AS (
  SELECT DISTINCT filename, 'job' AS how, unnest(jobs) AS k FROM src
  UNION
  SELECT DISTINCT filename, 'submission', unnest(prefixes) FROM src
)
SELECT r.run_dir, r.agent, r.status, r.job_id, r.submission_prefix, r.score, r.secondary, r.created_at,
  string_agg(DISTINCT k.how, ', ' ORDER BY k.how) AS matched_by, min(k.filename) AS via_file
FROM runs r JOIN keys k ON (k.how = 'job' AND r.job_id = k.k) OR (k.how = 'submission' AND r.submission_prefix = k.k)
WHERE r.duplicate_of IS NULL
GROUP BY ALL
ORDER BY r.created_at NULLS LAST, r.run_dir`,
  };
}

