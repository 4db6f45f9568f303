// Noise rules 5–5c: the pooled σ and tie threshold, how sure σ is, whether it rests on few buckets, can they pool.
import { equalSpreads, sdInterval, type EqualSpreads, type Interval } from '../../../src/lib/stats/pooling.ts';
import { pooledSd, summarize, tieThreshold, TIE_Z, type Pooled, type Summary } from '../../../src/lib/stats/significance.ts';
import type { Bucket } from './members.ts';

/** Rule 5b: σ rests on few buckets below this many pooled buckets, … */
export const MIN_BUCKETS = 5;
/** … below this many degrees of freedom, … */
export const MIN_DF = 30;
/** … or when one bucket holds more than this share of the pooled sum of squares. */
export const MAX_SS_SHARE = 0.5;

/** Rule 5: per-bucket statistics, which buckets are pooled, and the pooled σ and tie threshold. */
export interface Pool {
  stats: Map<string, Summary>;
  basis: 'runs' | 'results' | null;
  /** Pooled buckets, in bucket order. */
  pooledSet: Bucket[];
  pooled: Pooled | null;
  pooledCv: Pooled | null;
  sigma: number | null;
  threshold: number | null;
}

/** Rules 5a–5c: σ's interval, each pooled bucket's shares, the dominating bucket, few buckets, Bartlett. */
export interface PoolCertainty {
  sigmaCi: Interval | null;
  thresholdCi: { lo: number; hi: number } | null;
  share: Map<string, { df: number; ss: number | null }>;
  top: Bucket | undefined;
  restsOnFew: boolean | null;
  spreads: EqualSpreads | null;
}

export const hasRun = (b: Bucket): boolean => b.members.some((m) => m.source === 'run');

/** Rule 5: pool the run-dir buckets with n ≥ 2 when there are any, else the result-only ones. */
export function poolSigma(buckets: readonly Bucket[]): Pool {
  const stats = new Map(buckets.map((b) => [b.id, summarize(b.members.map((m) => m.score))]));
  const runN2 = buckets.some((b) => hasRun(b) && stats.get(b.id)!.n >= 2);
  const basis = buckets.some((b) => stats.get(b.id)!.n >= 2) ? (runN2 ? 'runs' : 'results') : null;
  const pooledSet = buckets.filter((b) => basis !== null && stats.get(b.id)!.n >= 2 && (basis === 'results' || hasRun(b)));
  const pooled = pooledSd(pooledSet.map((b) => ({ n: stats.get(b.id)!.n, sd: stats.get(b.id)!.sd })));
  const pooledCv = pooledSd(pooledSet.map((b) => ({ n: stats.get(b.id)!.n, sd: stats.get(b.id)!.cv })));
  const sigma = pooled?.sigma ?? null;
  const threshold = sigma === null ? null : tieThreshold(sigma, TIE_Z);
  return { stats, basis, pooledSet, pooled, pooledCv, sigma, threshold };
}

/** Rules 5a–5c on a pool. */
export function poolCertainty(pool: Pool): PoolCertainty {
  const { sigmaCi, thresholdCi } = sigmaInterval(pool);
  const { share, top } = bucketShares(pool);
  const topSs = top ? (share.get(top.id)!.ss ?? 0) : 0;
  return { sigmaCi, thresholdCi, share, top, restsOnFew: restsOnFew(pool, topSs), spreads: spreadsDiffer(pool) };
}

/** Rule 5a: the 95 % interval of σ (χ² with the pooled df) and of the threshold (z·√2 times it). */
export function sigmaInterval(pool: Pool): Pick<PoolCertainty, 'sigmaCi' | 'thresholdCi'> {
  const sigmaCi = pool.pooled ? sdInterval(pool.pooled.sigma, pool.pooled.df) : null;
  const thresholdCi = sigmaCi ? { lo: tieThreshold(sigmaCi.lo, TIE_Z), hi: tieThreshold(sigmaCi.hi, TIE_Z) } : null;
  return { sigmaCi, thresholdCi };
}

/** Rule 5c: each pooled bucket's share of the df and of the sum of squares; the bucket with the largest ss share. */
export function bucketShares(pool: Pool): Pick<PoolCertainty, 'share' | 'top'> {
  const { stats, pooledSet, pooled } = pool;
  const sumSq = (b: Bucket): number => {
    const s = stats.get(b.id)!;
    return s.sd === null ? 0 : (s.n - 1) * s.sd * s.sd;
  };
  const ssTotal = pooledSet.reduce((a, b) => a + sumSq(b), 0);
  const share = new Map(
    pooledSet.map((b) => [b.id, { df: (stats.get(b.id)!.n - 1) / pooled!.df, ss: ssTotal > 0 ? sumSq(b) / ssTotal : null }]),
  );
  const top = [...pooledSet].sort(
    (a, b) => (share.get(b.id)!.ss ?? 0) - (share.get(a.id)!.ss ?? 0) || share.get(b.id)!.df - share.get(a.id)!.df || (a.id < b.id ? -1 : 1),
  )[0];
  return { share, top };
}

/** Rule 5b: fewer than MIN_BUCKETS buckets, fewer than MIN_DF df, or one bucket over MAX_SS_SHARE; null without σ. */
export function restsOnFew(pool: Pool, topSs: number): boolean | null {
  const { pooled } = pool;
  return pooled === null ? null : pooled.groups < MIN_BUCKETS || pooled.df < MIN_DF || topSs > MAX_SS_SHARE;
}

/** Rule 5c: Bartlett's test of equal variances over the pooled buckets' runs. */
export function spreadsDiffer(pool: Pool): EqualSpreads | null {
  return equalSpreads(pool.pooledSet.map((b) => b.members.map((m) => m.score)));
}
