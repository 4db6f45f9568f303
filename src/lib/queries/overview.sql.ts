// SQL builders for the overview: headline figures, the best-so-far timeline and the frontier jumps.
import type { CollabConfig } from '../config.ts';
import type { QuerySpec } from '../db/connector.ts';
import { TIE_SQL } from '../ties.ts';

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
/** Verified and not over the secondary cap: what the headline best counts (eligibleForBest in src/lib/ties.ts, in SQL). */
const VERIFIED_BEST = `${RANKED} AND verification = 'valid' AND NOT coalesce(is_baseline, false) AND NOT coalesce(over_cap, false)`;

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
    fig('best_verified', `best verified ${c.score_label}`, `SELECT ${agg}(score) AS value FROM results WHERE ${VERIFIED_BEST}`, ['results'], 'score'),
    fig(
      'speedup',
      'over the baseline',
      `SELECT ${c.higher_is_better ? `best / ${BASELINE}` : `${BASELINE} / best`} AS value
FROM (SELECT ${agg}(score) AS best FROM results WHERE ${VERIFIED_BEST})`,
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
  over_cap: boolean | null;
  method: string | null;
}

/**
 * Every ranked result with a time, in time order: the overview's timeline and "what changed when". The running best is
 * not computed here: `runningBest` (src/lib/ties.ts) walks these rows with the eligibility rule, so an invalid or
 * over-cap result never raises it.
 */
export function bestSoFar(_c: CollabConfig): QuerySpec {
  return {
    tables: ['results'],
    sql: `SELECT filename, agent, ts, score, verification, over_cap, method
FROM results
WHERE ${RANKED} AND NOT coalesce(is_baseline, false) AND ts IS NOT NULL
ORDER BY ts, filename`,
  };
}

/** The noise summary row the tie is read from (`tieFromRow`). */
export const tieSpec = (): QuerySpec => ({ tables: ['noise_summary'], sql: TIE_SQL });

/** The baseline score (earliest baseline result, else the configured one), for "baseline → best". */
export function baselineScore(c: CollabConfig): QuerySpec {
  return { tables: ['results'], params: [c.baseline_score], sql: `SELECT ${BASELINE} AS value` };
}
