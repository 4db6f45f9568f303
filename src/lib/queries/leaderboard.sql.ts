// SQL builders for the leaderboard and timeline: every result, filtered by facets, state from the URL.
import type { CollabConfig } from '../config.ts';
import type { Param, QuerySpec } from '../db/connector.ts';
import { bestAgg } from './overview.sql.ts';

export interface LeaderboardFilters {
  agent?: string | null;
  /** A method token, matched against the `-`-separated tokens of the method string. */
  token?: string | null;
  /** valid | pending | invalid | negative | baseline */
  status?: string | null;
  /** YYYY-MM-DD (UTC) */
  day?: string | null;
  /** Time window (ISO strings), from a brush on the timeline. */
  from?: string | null;
  to?: string | null;
  bestPerAgent?: boolean;
  verifiedOnly?: boolean;
}

export interface LeaderboardRow {
  filename: string;
  ts: string | null;
  agent: string | null;
  score: number;
  secondary: number | null;
  /** frontmatter, description, body or run: where the secondary value came from (results.secondary_source). */
  secondary_source: string | null;
  secondary_evidence: string | null;
  value_conflicts: string[] | null;
  method: string | null;
  status: string;
  verification: string | null;
  /** valid | pending | invalid | negative | baseline: what the chart's shape and colour show. */
  state: string;
  over_cap: boolean | null;
  description: string | null;
  source_part: string | null;
  submission: string | null;
  artifacts: string[] | null;
  /** Every http(s) link in the result's frontmatter, in order of appearance. */
  links: string[] | null;
  /** Eligible for a rank (eligibleForBest, verified and pending): valid or pending, not over the cap. */
  ranked: boolean;
  /** The tie threshold (noise_summary), the same on every row; null when the export has no repeat runs. */
  tie_threshold: number | null;
  /** Position in the list (ranked rows first); the rank shown is the tie group's (tieRanks in src/lib/ties.ts). */
  rank: number;
}

/** One state per result: baseline and negative first, then the verification state. */
export const STATE_SQL = `CASE WHEN is_baseline THEN 'baseline' WHEN status = 'negative' THEN 'negative' ELSE coalesce(verification, 'pending') END`;

/** eligibleForBest (src/lib/ties.ts) in SQL, over a row that has `state`: verified or pending, not over the cap. */
const RANKED_SQL = `(state IN ('valid', 'pending') AND NOT coalesce(over_cap, false))`;

export function leaderboard(c: CollabConfig, f: LeaderboardFilters = {}): QuerySpec {
  const where: string[] = ['score IS NOT NULL'];
  const params: Param[] = [];
  const eq = (sql: string, v: string | null | undefined): void => {
    if (v) {
      where.push(sql);
      params.push(v);
    }
  };
  eq('agent = ?', f.agent);
  eq(`list_contains(string_split(lower(method), '-'), lower(?))`, f.token);
  eq(`state = ?`, f.status);
  eq(`CAST(ts AS DATE) = CAST(? AS DATE)`, f.day);
  eq(`ts >= CAST(? AS TIMESTAMP)`, f.from);
  eq(`ts <= CAST(? AS TIMESTAMP)`, f.to);
  if (f.verifiedOnly) where.push(`verification = 'valid'`);
  const dir = c.higher_is_better ? 'DESC' : 'ASC';
  const best = f.bestPerAgent
    ? `QUALIFY row_number() OVER (PARTITION BY agent ORDER BY NOT ranked, score ${dir}, ts, filename) = 1`
    : '';
  return {
    tables: ['results', 'noise_summary'],
    params,
    sql: `WITH s AS (
  SELECT filename, ts, agent, score, secondary, secondary_source, secondary_evidence, value_conflicts, method, status, verification,
    ${STATE_SQL} AS state, over_cap, description, source_part, submission, artifacts,
    regexp_extract_all(frontmatter_json, 'https?://[^"\\\\\\s<>]+') AS links
  FROM results
), r AS (SELECT *, ${RANKED_SQL} AS ranked FROM s)
SELECT *, (SELECT tie_threshold FROM noise_summary LIMIT 1) AS tie_threshold,
  row_number() OVER (ORDER BY NOT ranked, score ${dir}, ts, filename) AS rank
FROM (SELECT * FROM r WHERE ${where.join(' AND ')} ${best})
ORDER BY rank`,
  };
}

export interface FacetRow {
  facet: string;
  value: string;
  n: number;
}

/** Values for the filter menus, with counts: agents, method tokens, states, days. */
export function leaderboardFacets(): QuerySpec {
  return {
    tables: ['results'],
    sql: `SELECT 'agent' AS facet, agent AS value, count(*) AS n FROM results WHERE agent IS NOT NULL GROUP BY agent
UNION ALL
SELECT 'token', token, count(*) FROM (SELECT unnest(string_split(lower(method), '-')) AS token FROM results WHERE method IS NOT NULL)
  WHERE token <> '' GROUP BY token HAVING count(*) >= 2
UNION ALL
SELECT 'status', ${STATE_SQL}, count(*) FROM results GROUP BY 2
UNION ALL
SELECT 'day', strftime(CAST(ts AS DATE), '%Y-%m-%d'), count(*) FROM results WHERE ts IS NOT NULL GROUP BY 2
ORDER BY facet, n DESC, value`,
  };
}

export interface BaselineRow {
  score: number;
  label: string;
}

/** Baseline lines: baseline results, else the configured baseline score (a parameter). */
export function baselines(c: CollabConfig): QuerySpec {
  return {
    tables: ['results'],
    params: [c.baseline_score],
    sql: `SELECT score, coalesce(method, 'baseline') AS label FROM results WHERE is_baseline AND score IS NOT NULL
UNION ALL
SELECT b AS score, 'configured baseline' AS label FROM (SELECT CAST(? AS DOUBLE) AS b)
  WHERE b IS NOT NULL AND NOT EXISTS (SELECT 1 FROM results WHERE is_baseline)
ORDER BY score`,
  };
}

export { bestAgg };
