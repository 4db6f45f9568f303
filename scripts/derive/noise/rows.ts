// Noise tables from buckets and matches: noise_buckets, noise_runs, result_buckets, and the one-row noise_summary.
import type { CollabConfig } from '../../../src/lib/config.ts';
import type { NoiseBucketRow, NoiseRunRow, NoiseSummaryRow, ResultBucketRow, VerifyGapRow } from '../../../src/lib/schema/noise.ts';
import { CI_LEVEL, EQUAL_SPREAD_ALPHA, sdInterval } from '../../../src/lib/stats/pooling.ts';
import { median, TIE_Z } from '../../../src/lib/stats/significance.ts';
import type { Match } from './match-results.ts';
import { byTime, type Bucket, type RunMeasurements } from './members.ts';
import type { TieSummary } from './tie-groups.ts';
import { hasRun, MAX_SS_SHARE, MIN_BUCKETS, MIN_DF, type Pool, type PoolCertainty } from './pooling.ts';

/** A bucket whose range exceeds this many pooled σ is flagged `wide`. */
export const WIDE_SIGMAS = 6;

/** Competition rank of `value` among `scores` (1 = best in the configured direction). */
function rankOf(value: number, scores: readonly number[], higherIsBetter: boolean): number {
  let better = 0;
  for (const s of scores) if (higherIsBetter ? s > value : s < value) better += 1;
  return better + 1;
}

/** One noise_buckets row per bucket and one noise_runs row per member (time order), sorted by bucket id. */
export function bucketRows(
  buckets: readonly Bucket[],
  pool: Pool,
  share: PoolCertainty['share'],
  hib: boolean,
): { noiseBuckets: NoiseBucketRow[]; noiseRuns: NoiseRunRow[] } {
  const pooled = new Set(pool.pooledSet);
  const noiseBuckets: NoiseBucketRow[] = [];
  const noiseRuns: NoiseRunRow[] = [];
  for (const b of buckets) {
    const s = pool.stats.get(b.id)!;
    const ordered = [...b.members].sort(byTime);
    const agents = new Set(ordered.map((m) => m.agent));
    const scores = ordered.map((m) => m.score);
    const rangeSigmas = s.range !== null && pool.sigma !== null && pool.sigma > 0 ? s.range / pool.sigma : null;
    const sdCi = sdInterval(s.sd, s.n - 1);
    noiseBuckets.push({
      bucket_id: b.id,
      key: b.key,
      key_kind: b.kind,
      segment: b.segment,
      segments: b.segments,
      label: b.segments > 1 ? `${b.baseLabel} (part ${b.segment} of ${b.segments})` : b.baseLabel,
      agent: agents.size === 1 ? [...agents][0]! : null,
      n: s.n,
      n_results: ordered.filter((m) => m.source === 'result').length,
      mean: s.mean,
      sd: s.sd,
      min: s.min,
      max: s.max,
      range: s.range,
      cv: s.cv,
      median: s.median,
      range_sigmas: rangeSigmas,
      wide: rangeSigmas === null ? null : rangeSigmas > WIDE_SIGMAS,
      in_pooled: pooled.has(b),
      sd_lo: sdCi?.lo ?? null,
      sd_hi: sdCi?.hi ?? null,
      df_share: share.get(b.id)?.df ?? null,
      ss_share: share.get(b.id)?.ss ?? null,
      first_ts: ordered.map((m) => m.ts).find((t) => t !== null) ?? null,
      last_ts: ordered.map((m) => m.ts).filter((t): t is string => t !== null).at(-1) ?? null,
      run_dirs: ordered.map((m) => m.id),
    });
    for (const m of ordered) {
      noiseRuns.push({
        run_dir: m.id,
        bucket_id: b.id,
        source: m.source,
        result_filename: m.resultFilename,
        agent: m.agent,
        job_id: m.jobId,
        score: m.score,
        ts: m.ts,
        rank_in_bucket: rankOf(m.score, scores, hib),
        also_as: m.alsoAs,
      });
    }
  }
  noiseBuckets.sort((a, b) => (a.bucket_id < b.bucket_id ? -1 : 1));
  noiseRuns.sort((a, b) => (a.bucket_id < b.bucket_id ? -1 : a.bucket_id > b.bucket_id ? 1 : byTime({ ts: a.ts, id: a.run_dir }, { ts: b.ts, id: b.run_dir })));
  return { noiseBuckets, noiseRuns };
}

/** Rule 4's result_buckets rows: the bucket, how it was joined, the posted value's rank in it, is_bucket_max. */
export function resultBucketRows(matches: readonly Match[], pool: Pool, hib: boolean): ResultBucketRow[] {
  return matches
    .map((mt) => {
      const b = mt.bucket!;
      const s = pool.stats.get(b.id)!;
      const scores = b.members.map((m) => m.score);
      // For a matched run the posted value is that run (maybe rounded): use the run's own rank.
      const rank = rankOf(mt.run ? mt.run.score : mt.result.score!, scores, hib);
      const best = hib ? s.max! : s.min!;
      return {
        filename: mt.result.filename,
        agent: mt.result.agent,
        status: mt.result.status,
        bucket_id: b.id,
        join_kind: mt.kind,
        score: mt.result.score,
        bucket_n: s.n,
        bucket_median: s.median,
        bucket_best: best,
        excess_over_median: s.median === null ? null : (hib ? 1 : -1) * (mt.result.score! - s.median),
        rank_in_bucket: rank,
        is_bucket_max: rank === 1 && s.n >= 2,
      };
    })
    .sort((a, b) => (a.filename < b.filename ? -1 : 1));
}

/** Everything the one summary row counts. */
export interface SummaryInput {
  runCount: number;
  runs: RunMeasurements;
  buckets: readonly Bucket[];
  noiseBuckets: readonly NoiseBucketRow[];
  noiseRuns: readonly NoiseRunRow[];
  pool: Pool;
  certainty: PoolCertainty;
  ties: TieSummary;
  verifyGaps: readonly VerifyGapRow[];
}

/** The noise_summary row: counts, σ and its interval, the few-buckets and Bartlett figures, tie groups, verifier gaps. */
export function summaryRow(x: SummaryInput, config: CollabConfig): NoiseSummaryRow {
  const { pool, certainty: c } = x;
  const pooledRows = x.noiseBuckets.filter((b) => b.in_pooled === true);
  return {
    runs: x.noiseRuns.filter((r) => r.source === 'run').length,
    run_dirs: x.runCount,
    buckets: x.buckets.filter(hasRun).length,
    results_as_runs: x.noiseRuns.filter((r) => r.source === 'result').length,
    result_only_buckets: x.buckets.filter((b) => !hasRun(b)).length,
    duplicates_excluded: x.runs.duplicatesExcluded,
    runs_unidentified: x.runs.unidentified,
    split_keys: new Set(x.noiseBuckets.filter((b) => (b.segments ?? 1) > 1).map((b) => b.key)).size,
    pooled_basis: pool.basis,
    buckets_n2: pooledRows.length,
    runs_in_n2: pooledRows.reduce((a, b) => a + (b.n ?? 0), 0),
    pooled_df: pool.pooled?.df ?? 0,
    pooled_sigma: pool.sigma,
    pooled_cv: pool.pooledCv?.sigma ?? null,
    median_bucket_sd: median(pooledRows.map((b) => b.sd)),
    z: TIE_Z,
    tie_threshold: pool.threshold,
    ci_level: CI_LEVEL,
    sigma_lo: c.sigmaCi?.lo ?? null,
    sigma_hi: c.sigmaCi?.hi ?? null,
    threshold_lo: c.thresholdCi?.lo ?? null,
    threshold_hi: c.thresholdCi?.hi ?? null,
    min_buckets: MIN_BUCKETS,
    min_df: MIN_DF,
    max_ss_share: MAX_SS_SHARE,
    rests_on_few: c.restsOnFew,
    top_bucket_id: c.top?.id ?? null,
    top_df_share: c.top ? c.share.get(c.top.id)!.df : null,
    top_ss_share: c.top ? c.share.get(c.top.id)!.ss : null,
    bartlett_buckets: c.spreads?.groups ?? null,
    bartlett_stat: c.spreads?.statistic ?? null,
    bartlett_df: c.spreads?.df ?? null,
    bartlett_p: c.spreads?.p ?? null,
    bartlett_alpha: EQUAL_SPREAD_ALPHA,
    spreads_differ: c.spreads?.differ ?? null,
    frontier: x.ties.frontier,
    tie_groups: x.ties.groups,
    top_group_size: x.ties.topGroupSize,
    top_group_lo: x.ties.topGroupLo,
    top_group_hi: x.ties.topGroupHi,
    verify_gaps: x.verifyGaps.filter((g) => g.gap !== null).length,
    verify_within: x.verifyGaps.filter((g) => g.within_tolerance === true).length,
    score_label: config.score_label,
    unit: config.unit,
    higher_is_better: config.higher_is_better,
  };
}
