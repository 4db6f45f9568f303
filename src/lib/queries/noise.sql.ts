// SQL builders for the noise page: headline figures, bucket strip, a bucket's runs, tie leaderboard, selection bias, verifier gaps.
//
// Each `*Sql()` returns a DuckDB SQL string over tables named like the Parquet files (noise_buckets,
// noise_runs, result_buckets, tie_groups, noise_summary, verify_gaps); it runs unchanged on the Node API at
// build time and on DuckDB-WASM in the browser. Values a reader chooses are either whitelisted (orderBy) or
// validated integers, or bound as `?` parameters (bucket id); no untrusted text is spliced into SQL.
// Each `*Query()` wraps the same SQL as { sql, params, tables } (structurally the connector's QuerySpec).

export interface NoiseQuery {
  readonly sql: string;
  readonly params: readonly (string | number | boolean | null)[];
  readonly tables: readonly string[];
}

/** Columns the bucket strip can be ordered by; numeric ones sort largest first, label and first_ts ascending. */
export const BUCKET_ORDER = ['sd', 'cv', 'n', 'mean', 'range', 'range_sigmas', 'first_ts', 'label'] as const;
export type BucketOrder = (typeof BUCKET_ORDER)[number];

const int = (x: number, name: string, min = 0): number => {
  if (!Number.isInteger(x) || x < min) throw new Error(`${name} must be an integer ≥ ${min}, got ${x}`);
  return x;
};

/**
 * A query's first `rows` rows in its own order (`order`), each with its place (`row_no`) and the count of every row
 * the query has (`total_rows`: the windows run before the cut, so it is the whole table's), plus the rows `keep`
 * matches wherever they fall (after the first ones, in order). The page's first screen and its "Show more".
 */
function firstRowsSql(select: string, fromWhere: string, order: string, rows: number, keep = ''): string {
  return `WITH ranked AS (
  SELECT
  ${select},
  CAST(row_number() OVER (ORDER BY ${order}) AS INTEGER) AS row_no,
  CAST(count(*) OVER () AS INTEGER) AS total_rows
  ${fromWhere}
)
SELECT * FROM ranked
WHERE row_no <= ${int(rows, 'rows', 1)}${keep ? ` OR ${keep}` : ''}
ORDER BY row_no`;
}

/** The single noise_summary row: runs, buckets, pooled σ and its interval, the pooling checks, tie threshold, frontier size, verifier gaps. */
export function noiseHeadlineSql(): string {
  return `SELECT
  runs, run_dirs, buckets, results_as_runs, result_only_buckets,
  duplicates_excluded, runs_unidentified, split_keys,
  pooled_basis, buckets_n2, runs_in_n2, pooled_df, pooled_sigma, pooled_cv, median_bucket_sd,
  z, tie_threshold, ci_level, sigma_lo, sigma_hi, threshold_lo, threshold_hi,
  min_buckets, min_df, max_ss_share, rests_on_few, top_bucket_id, top_df_share, top_ss_share,
  bartlett_buckets, bartlett_stat, bartlett_df, bartlett_p, bartlett_alpha, spreads_differ,
  frontier, tie_groups, top_group_size, top_group_lo, top_group_hi,
  verify_gaps, verify_within,
  score_label, unit, higher_is_better
FROM noise_summary
LIMIT 1`;
}

export interface BucketStripOptions {
  /** Order of the buckets (whitelisted); default sd. */
  orderBy?: BucketOrder;
  /** Keep buckets with at least this many runs; default 2 (the ones that measure noise). */
  minN?: number;
  /** Only the buckets behind the pooled σ (run-dir buckets when there are any); default false. */
  pooledOnly?: boolean;
  /** At most this many buckets; default all. */
  limit?: number | null;
}

/** The strip's ORDER BY: a whitelisted column (text and time ascending, numbers descending), then bucket_id. */
function stripOrder(opts: BucketStripOptions): string {
  const orderBy = opts.orderBy ?? 'sd';
  if (!BUCKET_ORDER.includes(orderBy)) throw new Error(`orderBy must be one of ${BUCKET_ORDER.join(', ')}`);
  const dir = orderBy === 'label' || orderBy === 'first_ts' ? 'ASC' : 'DESC';
  return `${orderBy} ${dir} NULLS LAST, bucket_id`;
}

/** One row per bucket with n ≥ minN (optionally only those in the pooled σ), ordered by a whitelisted column. */
export function bucketStripSql(opts: BucketStripOptions = {}): string {
  const order = stripOrder(opts);
  const minN = int(opts.minN ?? 2, 'minN');
  const limit = opts.limit == null ? '' : `\nLIMIT ${int(opts.limit, 'limit', 1)}`;
  return `SELECT
  ${STRIP_COLUMNS}
FROM noise_buckets
WHERE n >= ${minN}${opts.pooledOnly ? ' AND in_pooled' : ''}
ORDER BY ${order}${limit}`;
}
const STRIP_COLUMNS = `bucket_id, label, key_kind, agent, n, n_results,
  mean, sd, min, max, range, cv, median, range_sigmas, wide, in_pooled,
  sd_lo, sd_hi, df_share, ss_share,
  segment, segments, first_ts, last_ts`;

export function bucketStripQuery(opts: BucketStripOptions = {}): NoiseQuery {
  return { sql: bucketStripSql(opts), params: [], tables: ['noise_buckets'] };
}

/**
 * The strip's first `rows` buckets in the chosen order over every bucket with n ≥ minN, with their total, and the
 * selected bucket wherever it falls (bound to the one `?`; null selects none).
 */
export function bucketStripFirstQuery(opts: BucketStripOptions & { rows: number; selected?: string | null }): NoiseQuery {
  const order = stripOrder(opts);
  const where = `FROM noise_buckets\n  WHERE n >= ${int(opts.minN ?? 2, 'minN')}${opts.pooledOnly ? ' AND in_pooled' : ''}`;
  return {
    sql: firstRowsSql(STRIP_COLUMNS, where, order, opts.rows, 'bucket_id = ?'),
    params: [opts.selected ?? null],
    tables: ['noise_buckets'],
  };
}

/**
 * The buckets behind the pooled σ, the ones that set it most first: each bucket's sd with its 95 % interval and
 * its shares of the pooled degrees of freedom and sum of squares (rules 5a and 5c of scripts/derive/noise/index.ts).
 */
export function bucketSpreadsSql(opts: { limit?: number | null } = {}): string {
  const limit = opts.limit == null ? '' : `\nLIMIT ${int(opts.limit, 'limit', 1)}`;
  return `SELECT
  ${SPREAD_COLUMNS}
FROM noise_buckets
WHERE in_pooled
ORDER BY ${SPREAD_ORDER}${limit}`;
}
const SPREAD_COLUMNS = 'bucket_id, label, n, sd, sd_lo, sd_hi, df_share, ss_share';
const SPREAD_ORDER = 'ss_share DESC NULLS LAST, df_share DESC, bucket_id';

export function bucketSpreadsQuery(opts: { limit?: number | null } = {}): NoiseQuery {
  return { sql: bucketSpreadsSql(opts), params: [], tables: ['noise_buckets'] };
}

/** bucketSpreadsSql's first `rows` buckets, with the count of all. */
export function bucketSpreadsFirstQuery(rows: number): NoiseQuery {
  return { sql: firstRowsSql(SPREAD_COLUMNS, 'FROM noise_buckets\n  WHERE in_pooled', SPREAD_ORDER, rows), params: [], tables: ['noise_buckets'] };
}

/** Every run of the buckets with n ≥ minN, with its deviation from the bucket mean (dots on the strip). */
export function bucketStripRunsSql(opts: { minN?: number } = {}): string {
  const minN = int(opts.minN ?? 2, 'minN');
  return `SELECT
  r.bucket_id, b.label, r.run_dir, r.source, r.score, r.ts, r.rank_in_bucket,
  r.score - b.mean AS deviation,
  CASE WHEN b.sd > 0 THEN (r.score - b.mean) / b.sd END AS deviation_sd
FROM noise_runs r
JOIN noise_buckets b USING (bucket_id)
WHERE b.n >= ${minN}
ORDER BY b.bucket_id, r.ts NULLS LAST, r.run_dir`;
}

export function bucketStripRunsQuery(opts: { minN?: number } = {}): NoiseQuery {
  return { sql: bucketStripRunsSql(opts), params: [], tables: ['noise_runs', 'noise_buckets'] };
}

/** The runs of one bucket in time order; bind the bucket id to the one `?`. */
export function bucketRunsSql(): string {
  return `SELECT
  run_dir, source, result_filename, agent, job_id, score, ts, rank_in_bucket, also_as
FROM noise_runs
WHERE bucket_id = ?
ORDER BY ts NULLS LAST, run_dir`;
}

export function bucketRunsQuery(bucketId: string): NoiseQuery {
  return { sql: bucketRunsSql(), params: [bucketId], tables: ['noise_runs'] };
}

/** The frontier cut into tie groups: shared rank, group bounds, distance from the group's top. */
export function tieLeaderboardSql(opts: { limit?: number | null } = {}): string {
  const limit = opts.limit == null ? '' : `\nLIMIT ${int(opts.limit, 'limit', 1)}`;
  return `SELECT
  ${TIE_COLUMNS}
FROM tie_groups
ORDER BY position${limit}`;
}
const TIE_COLUMNS = `position, rank, group_id, group_size, agent, score, delta_from_top,
  group_top, group_min, group_max, method, verification, ts, filename`;

export function tieLeaderboardQuery(opts: { limit?: number | null } = {}): NoiseQuery {
  return { sql: tieLeaderboardSql(opts), params: [], tables: ['tie_groups'] };
}

/** tieLeaderboardSql's first `rows` results, with the count of all. */
export function tieLeaderboardFirstQuery(rows: number): NoiseQuery {
  return { sql: firstRowsSql(TIE_COLUMNS, 'FROM tie_groups', 'position', rows), params: [], tables: ['tie_groups'] };
}

/** One row per tie group: size, rank and score bounds. */
export function tieGroupSizesSql(): string {
  return `SELECT
  group_id, min(rank) AS rank, count(*)::INTEGER AS size, max(group_top) AS top,
  min(score) AS lowest, max(score) AS highest, list(agent ORDER BY position) AS agents
FROM tie_groups
GROUP BY group_id
ORDER BY group_id`;
}

export function tieGroupSizesQuery(): NoiseQuery {
  return { sql: tieGroupSizesSql(), params: [], tables: ['tie_groups'] };
}

/** Posted results matched to a bucket with n ≥ minN: was the posted value the bucket's best draw? */
export function selectionBiasSql(opts: { minN?: number; bestOnly?: boolean } = {}): string {
  const minN = int(opts.minN ?? 2, 'minN');
  return `SELECT
  ${BIAS_COLUMNS}
FROM result_buckets rb
JOIN noise_buckets b ON b.bucket_id = rb.bucket_id
WHERE rb.bucket_n >= ${minN}${opts.bestOnly ? ' AND rb.is_bucket_max' : ''}
ORDER BY ${BIAS_ORDER}`;
}
const BIAS_COLUMNS = `rb.filename, rb.agent, rb.status, rb.join_kind, rb.score,
  rb.bucket_id, b.label, rb.bucket_n, rb.bucket_median, rb.bucket_best,
  rb.excess_over_median, rb.rank_in_bucket, rb.is_bucket_max`;
const BIAS_ORDER = 'rb.is_bucket_max DESC, rb.excess_over_median DESC NULLS LAST, rb.filename';

export function selectionBiasQuery(opts: { minN?: number; bestOnly?: boolean } = {}): NoiseQuery {
  return { sql: selectionBiasSql(opts), params: [], tables: ['result_buckets', 'noise_buckets'] };
}

/** The first `rows` posted results that are their bucket's best draw (selectionBiasSql's order), with the count of all. */
export function selectionBiasFirstQuery(rows: number, opts: { minN?: number } = {}): NoiseQuery {
  const where = `FROM result_buckets rb\n  JOIN noise_buckets b ON b.bucket_id = rb.bucket_id\n  WHERE rb.bucket_n >= ${int(opts.minN ?? 2, 'minN')} AND rb.is_bucket_max`;
  return { sql: firstRowsSql(BIAS_COLUMNS, where, BIAS_ORDER, rows), params: [], tables: ['result_buckets', 'noise_buckets'] };
}

/** Verifier re-runs, newest first, with the relative gap and whether it stayed within tolerance. */
export function verifyGapsSql(): string {
  return `SELECT
  ${GAP_COLUMNS}
FROM verify_gaps
ORDER BY ${GAP_ORDER}`;
}
const GAP_COLUMNS = `message, result_filename, agent, ts, verdict, reported, rerun, rerun_secondary,
  gap, abs_gap, within_tolerance, tolerance`;
const GAP_ORDER = 'ts DESC NULLS LAST, message';

export function verifyGapsQuery(): NoiseQuery {
  return { sql: verifyGapsSql(), params: [], tables: ['verify_gaps'] };
}

/** verifyGapsSql's first `rows` re-runs, with the count of all. */
export function verifyGapsFirstQuery(rows: number): NoiseQuery {
  return { sql: firstRowsSql(GAP_COLUMNS, 'FROM verify_gaps', GAP_ORDER, rows), params: [], tables: ['verify_gaps'] };
}
