// The board's items: messages and results as one list, shared by the list, search and focus queries.
import { STATE_SQL } from './leaderboard.sql.ts';

/** Messages and results as one list of board items (results have no kind or type: their state stands in). */
export const ITEMS_CTE = `items AS (
  SELECT filename, 'messages' AS part, ts, agent, headline, excerpt, kind, type, body_md,
    NULL::DOUBLE AS score, NULL::VARCHAR AS method, NULL::VARCHAR AS state
  FROM messages
  UNION ALL
  SELECT filename, 'results' AS part, ts, agent, coalesce(description, method) AS headline, description AS excerpt,
    'result' AS kind, NULL AS type, body_md, score, method, ${STATE_SQL} AS state
  FROM results
)`;
