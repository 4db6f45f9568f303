// SQL builders for the overview: headline figures, the best-so-far timeline and the frontier jumps.
import type { CollabConfig } from '../config.ts';
import type { QuerySpec } from '../db/connector.ts';

/** max for higher-is-better collaborations, min otherwise. */
export const bestAgg = (c: Pick<CollabConfig, 'higher_is_better'>): 'max' | 'min' => (c.higher_is_better ? 'max' : 'min');

export interface Figure {
  key: string;
  label: string;
  spec: QuerySpec;
  /** How to show the value: a count, a score in the configured unit, or a ratio. */
  format: 'count' | 'score' | 'ratio';
}

const RANKED = `status = 'agent-run' AND score IS NOT NULL`;

/** The baseline: the earliest baseline result, else the configured baseline score (bound as a parameter). */
const BASELINE = `coalesce((SELECT score FROM results WHERE is_baseline AND score IS NOT NULL ORDER BY ts NULLS LAST, filename LIMIT 1), ?::DOUBLE)`;

/** Each headline figure is its own query, so "view the SQL" shows exactly what produced it. */
export function headlineFigures(c: CollabConfig): Figure[] {
  const agg = bestAgg(c);
  const fig = (key: string, label: string, sql: string, tables: string[], format: Figure['format'], params: (number | null)[] = []): Figure => ({
    key,
    label,
    format,
    spec: { sql, tables, params },
  });
  return [
    fig('agents', 'agents', `SELECT count(*) AS value FROM agents WHERE NOT is_human AND NOT is_verifier`, ['agents'], 'count'),
    fig('humans', 'humans', `SELECT count(*) AS value FROM agents WHERE is_human`, ['agents'], 'count'),
    fig('messages', 'board messages', `SELECT count(*) AS value FROM messages`, ['messages'], 'count'),
    fig('results', 'posted results', `SELECT count(*) AS value FROM results`, ['results'], 'count'),
    fig('runs', 'benchmark runs', `SELECT count(*) AS value FROM runs WHERE duplicate_of IS NULL`, ['runs'], 'count'),
    fig('best_verified', `best verified ${c.score_label}`, `SELECT ${agg}(score) AS value FROM results WHERE ${RANKED} AND verification = 'valid'`, ['results'], 'score'),
    fig(
      'speedup',
      'over the baseline',
      `SELECT ${c.higher_is_better ? `best / ${BASELINE}` : `${BASELINE} / best`} AS value
FROM (SELECT ${agg}(score) AS best FROM results WHERE ${RANKED} AND verification = 'valid')`,
      ['results'],
      'ratio',
      [c.baseline_score],
    ),
    fig(
      'days',
      'days with activity',
      `SELECT count(DISTINCT CAST(ts AS DATE)) AS value
FROM (SELECT ts FROM messages UNION ALL SELECT ts FROM results) WHERE ts IS NOT NULL`,
      ['messages', 'results'],
      'count',
    ),
  ];
}

export interface BestSoFarRow {
  filename: string;
  agent: string | null;
  ts: string;
  score: number;
  verification: string | null;
  method: string | null;
  best: number;
  best_valid: number | null;
}

/** Every ranked result in time order with the running best (all, and verified only). */
export function bestSoFar(c: CollabConfig): QuerySpec {
  const agg = bestAgg(c);
  return {
    tables: ['results'],
    sql: `SELECT filename, agent, ts, score, verification, method,
  ${agg}(score) OVER w AS best,
  ${agg}(score) FILTER (WHERE verification = 'valid') OVER w AS best_valid
FROM results
WHERE ${RANKED} AND ts IS NOT NULL
WINDOW w AS (ORDER BY ts, filename ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
ORDER BY ts, filename`,
  };
}

export interface FrontierJumpRow {
  filename: string;
  agent: string | null;
  ts: string;
  score: number;
  previous: number | null;
  gain: number | null;
  method: string | null;
  verification: string | null;
}

/** "What changed when": each result that set a new best (verified-only when `verifiedOnly`). */
export function frontierJumps(c: CollabConfig, verifiedOnly = true): QuerySpec {
  const agg = bestAgg(c);
  const better = c.higher_is_better ? '>' : '<';
  return {
    tables: ['results'],
    params: [verifiedOnly],
    sql: `WITH ranked AS (
  SELECT filename, agent, ts, score, method, verification,
    ${agg}(score) OVER (ORDER BY ts, filename ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS previous
  FROM results
  WHERE ${RANKED} AND ts IS NOT NULL AND (NOT ? OR verification = 'valid')
)
SELECT filename, agent, ts, score, previous,
  CASE WHEN previous IS NULL THEN NULL ELSE ${c.higher_is_better ? 'score - previous' : 'previous - score'} END AS gain,
  method, verification
FROM ranked
WHERE previous IS NULL OR score ${better} previous
ORDER BY ts, filename`,
  };
}
