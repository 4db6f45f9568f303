// Noise page queries: row types of the noise SQL builders (noise.sql.ts) and the page's own small queries (headline spec, one run, one result).
import type { QuerySpec } from '../db/connector.ts';
import { noiseHeadlineSql } from './noise.sql.ts';

/** noiseHeadlineSql(): the single noise_summary row. */
export interface NoiseHeadlineRow {
  runs: number;
  run_dirs: number;
  buckets: number;
  results_as_runs: number;
  result_only_buckets: number;
  duplicates_excluded: number;
  runs_unidentified: number;
  split_keys: number;
  pooled_basis: string;
  buckets_n2: number;
  runs_in_n2: number;
  pooled_df: number;
  pooled_sigma: number | null;
  pooled_cv: number | null;
  median_bucket_sd: number | null;
  z: number;
  tie_threshold: number | null;
  ci_level: number;
  sigma_lo: number | null;
  sigma_hi: number | null;
  threshold_lo: number | null;
  threshold_hi: number | null;
  min_buckets: number;
  min_df: number;
  max_ss_share: number;
  rests_on_few: boolean | null;
  top_bucket_id: string | null;
  top_df_share: number | null;
  top_ss_share: number | null;
  bartlett_buckets: number | null;
  bartlett_stat: number | null;
  bartlett_df: number | null;
  bartlett_p: number | null;
  bartlett_alpha: number;
  spreads_differ: boolean | null;
  frontier: number;
  tie_groups: number;
  top_group_size: number;
  top_group_lo: number | null;
  top_group_hi: number | null;
  verify_gaps: number;
  verify_within: number;
  score_label: string;
  unit: string;
  higher_is_better: boolean;
}

/** The headline's query as a QuerySpec (noise.sql.ts has the SQL but no spec for it). */
export function noiseHeadlineQuery(): QuerySpec {
  return { sql: noiseHeadlineSql(), params: [], tables: ['noise_summary'] };
}

/** What each row of a first-rows query (noise.sql.ts firstRowsSql) carries besides its table's columns. */
export interface FirstRows {
  /** The row's place in the query's order, from 1. */
  row_no: number;
  /** How many rows the whole query has. */
  total_rows: number;
}

/** bucketStripSql(): one bucket. */
export interface BucketStripRow {
  bucket_id: string;
  label: string;
  key_kind: string;
  agent: string | null;
  n: number;
  n_results: number;
  mean: number;
  sd: number | null;
  min: number;
  max: number;
  range: number | null;
  cv: number | null;
  median: number;
  range_sigmas: number | null;
  wide: boolean | null;
  in_pooled: boolean;
  sd_lo: number | null;
  sd_hi: number | null;
  df_share: number | null;
  ss_share: number | null;
  segment: number;
  segments: number;
  first_ts: string | null;
  last_ts: string | null;
}

/** bucketSpreadsSql(): one pooled bucket's sd, its interval and its shares of the pool. */
export interface BucketSpreadRow {
  bucket_id: string;
  label: string;
  n: number;
  sd: number;
  sd_lo: number | null;
  sd_hi: number | null;
  df_share: number;
  ss_share: number | null;
}

/** bucketStripRunsSql(): one run of a bucket with its deviation from the bucket mean. */
export interface StripRunRow {
  bucket_id: string;
  label: string;
  run_dir: string;
  source: string;
  score: number;
  ts: string | null;
  rank_in_bucket: number;
  deviation: number;
  deviation_sd: number | null;
}

/** bucketRunsSql(): the runs of one bucket. */
export interface BucketRunRow {
  run_dir: string;
  source: string;
  result_filename: string | null;
  agent: string | null;
  job_id: string | null;
  score: number;
  ts: string | null;
  rank_in_bucket: number;
  also_as: string[];
}

/** tieLeaderboardSql(): the frontier with shared ranks. */
export interface TieRow {
  position: number;
  rank: number;
  group_id: number;
  group_size: number;
  agent: string | null;
  score: number;
  delta_from_top: number;
  group_top: number;
  group_min: number;
  group_max: number;
  method: string | null;
  verification: string | null;
  ts: string | null;
  filename: string;
}

/** selectionBiasSql(): a posted result against its bucket. */
export interface SelectionBiasRow {
  filename: string;
  agent: string | null;
  status: string | null;
  join_kind: string;
  score: number;
  bucket_id: string;
  label: string;
  bucket_n: number;
  bucket_median: number;
  bucket_best: number;
  excess_over_median: number | null;
  rank_in_bucket: number;
  is_bucket_max: boolean;
}

/** verifyGapsSql(): a verifier re-run. */
export interface VerifyGapRow {
  message: string;
  result_filename: string | null;
  agent: string | null;
  ts: string | null;
  verdict: string | null;
  reported: number | null;
  rerun: number | null;
  rerun_secondary: number | null;
  gap: number | null;
  abs_gap: number | null;
  within_tolerance: boolean | null;
  tolerance: number | null;
}

/** One run dir's row in `runs` (what a run-dir link in the bucket's run list opens in the SQL console). */
export function runRowQuery(runDir: string): QuerySpec {
  return { sql: 'SELECT * FROM runs WHERE run_dir = ?', params: [runDir], tables: ['runs'] };
}

/** A posted result's score, for a calculator side named by a result the page's menu does not list. */
export interface ResultScoreRow {
  filename: string;
  agent: string | null;
  score: number | null;
}

export function resultScoreQuery(filename: string): QuerySpec {
  return { sql: 'SELECT filename, agent, score FROM results WHERE filename = ?', params: [filename], tables: ['results'] };
}
