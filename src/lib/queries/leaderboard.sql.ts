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

/** The WHERE (and best-per-agent QUALIFY) of the leaderboard's filters, over `r` (results with `state` and `ranked`). */
function filtersSql(c: CollabConfig, f: LeaderboardFilters): { where: string; params: Param[] } {
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
  const best = f.bestPerAgent
    ? `QUALIFY row_number() OVER (PARTITION BY agent ORDER BY NOT ranked, score ${scoreDir(c)}, ts, filename) = 1`
    : '';
  return { where: `WHERE ${where.join(' AND ')} ${best}`, params };
}

const scoreDir = (c: Pick<CollabConfig, 'higher_is_better'>): string => (c.higher_is_better ? 'DESC' : 'ASC');

/** Every http(s) link in a result's frontmatter, in order of appearance. */
const LINKS_SQL = `regexp_extract_all(frontmatter_json, 'https?://[^"\\\\\\s<>]+')`;

/** Every result under the filters, ranked rows first (what "view the SQL" shows, and the first paint's rows). */
export function leaderboard(c: CollabConfig, f: LeaderboardFilters = {}): QuerySpec {
  const { where, params } = filtersSql(c, f);
  const dir = scoreDir(c);
  return {
    tables: ['results', 'noise_summary'],
    params,
    sql: `WITH s AS (
  SELECT filename, ts, agent, score, secondary, secondary_source, secondary_evidence, value_conflicts, method, status, verification,
    ${STATE_SQL} AS state, over_cap, description, source_part, submission, artifacts,
    ${LINKS_SQL} AS links
  FROM results
), r AS (SELECT *, ${RANKED_SQL} AS ranked FROM s)
SELECT *, (SELECT tie_threshold FROM noise_summary LIMIT 1) AS tie_threshold,
  row_number() OVER (ORDER BY NOT ranked, score ${dir}, ts, filename) AS rank
FROM (SELECT * FROM r ${where})
ORDER BY rank`,
  };
}

/** Why a result cannot rank, in SQL over a row that has `state` (whyNot in views/leaderboard-table.ts). */
const WHY_NOT_SQL = `CASE state WHEN 'invalid' THEN 'invalid' WHEN 'negative' THEN 'dead end' WHEN 'baseline' THEN 'baseline' ELSE 'over the cap' END`;

/** A page of the leaderboard: the rows drawn, and the counts of every row under the filters. */
export interface LeaderboardPageRow extends LeaderboardRow {
  /** Results under the filters. */
  n_results: number;
  /** Of them, results that may rank. */
  n_ranked: number;
  /** Results that cannot rank, per reason, in the order the list meets them. */
  not_ranked: { why: string; n: number }[] | null;
}

/**
 * The rows the leaderboard table draws, not every result: the first `ranked` rows that may rank (and the rest of the
 * last one's tie group, so its rank text is right: a group's rows are within the threshold of its top, which is at
 * least as good as that last row), the first `unranked` that cannot, and the counts of all of them. Links are
 * extracted from these rows only. At scale 100 the whole list was 49,900 rows for a table that draws a few hundred.
 */
export function leaderboardPage(c: CollabConfig, f: LeaderboardFilters, page: { ranked: number; unranked: number }): QuerySpec {
  const { where, params } = filtersSql(c, f);
  const dir = scoreDir(c);
  const ranked = Math.max(0, Math.floor(page.ranked));
  const unranked = Math.max(0, Math.floor(page.unranked));
  // Rows past the edge that the edge's tie group may hold (a margin for rounding: a row too many is not drawn).
  const inGroup = c.higher_is_better ? `o.score >= e.score - t.thr * (1 + 1e-9) - 1e-9` : `o.score <= e.score + t.thr * (1 + 1e-9) + 1e-9`;
  // Ranks and counts over a few columns of every row (materialized once: four steps read them); the wide columns and
  // the links only for the rows drawn.
  return {
    tables: ['results', 'noise_summary'],
    params,
    sql: `WITH r AS (
  SELECT filename, ts, agent, score, method, verification, state, ${RANKED_SQL} AS ranked
  FROM (SELECT filename, ts, agent, score, method, verification, over_cap, ${STATE_SQL} AS state FROM results)
),
o AS MATERIALIZED (
  SELECT filename, state, ranked, score, row_number() OVER (ORDER BY NOT ranked, score ${dir}, ts, filename) AS rank
  FROM (SELECT * FROM r ${where})
),
t AS (SELECT (SELECT tie_threshold FROM noise_summary LIMIT 1) AS thr),
e AS (SELECT score FROM o WHERE ranked AND rank = ${ranked}),
n AS (SELECT count(*) AS n_results, count(*) FILTER (WHERE ranked) AS n_ranked FROM o),
why AS (SELECT ${WHY_NOT_SQL} AS why, count(*) AS n, min(rank) AS first FROM o WHERE NOT ranked GROUP BY 1),
drawn AS (
  SELECT o.filename, o.ranked, o.rank FROM o CROSS JOIN t CROSS JOIN n LEFT JOIN e ON true
  WHERE (o.ranked AND (o.rank <= ${ranked} OR (t.thr IS NOT NULL AND ${inGroup})))
    OR (NOT o.ranked AND o.rank - n.n_ranked <= ${unranked})
)
SELECT s.filename, s.ts, s.agent, s.score, s.secondary, s.secondary_source, s.secondary_evidence, s.value_conflicts, s.method, s.status,
  s.verification, ${STATE_SQL} AS state, s.over_cap, s.description, s.source_part, s.submission, s.artifacts, ${LINKS_SQL} AS links,
  d.ranked, t.thr AS tie_threshold, d.rank, n.n_results, n.n_ranked, (SELECT list({'why': why, 'n': n} ORDER BY first) FROM why) AS not_ranked
FROM drawn d JOIN results s ON s.filename = d.filename CROSS JOIN t CROSS JOIN n
ORDER BY d.rank`,
  };
}

/** What the timeline and the secondary chart draw of each result (no text, no links). */
export type TimelineRow = Pick<LeaderboardRow, 'filename' | 'ts' | 'agent' | 'score' | 'secondary' | 'method' | 'verification' | 'state' | 'over_cap' | 'ranked' | 'tie_threshold'>;

/** Every result under the filters as the charts draw it (a few columns: the table's page is leaderboardPage). */
export function leaderboardPoints(c: CollabConfig, f: LeaderboardFilters = {}): QuerySpec {
  const { where, params } = filtersSql(c, f);
  return {
    tables: ['results', 'noise_summary'],
    params,
    sql: `WITH r AS (
  SELECT filename, ts, agent, score, secondary, method, verification, state, over_cap, ${RANKED_SQL} AS ranked
  FROM (SELECT *, ${STATE_SQL} AS state FROM results)
)
SELECT filename, ts, agent, score, secondary, method, verification, state, over_cap, ranked,
  (SELECT tie_threshold FROM noise_summary LIMIT 1) AS tie_threshold
FROM r ${where}
ORDER BY NOT ranked, score ${scoreDir(c)}, ts, filename`,
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
