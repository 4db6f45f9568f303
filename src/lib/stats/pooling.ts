// How far a pooled σ can be trusted (data build only; pages read the stored figures): chi-square intervals for σ, Bartlett's test.
//
// - Interval for σ from an sd with df degrees of freedom. For normal runs of one true spread σ,
//   df·s²/σ² follows χ² with df degrees of freedom, so the two-sided interval at level L is
//       σ·√(df / χ²((1+L)/2; df))  …  σ·√(df / χ²((1−L)/2; df))
//   (asymmetric: the upper end is further away, and with 1 df it is ~32 × s at 95 %). A pooled σ with
//   Σ(nᵢ−1) df gets the same interval, which is only right if the buckets share one σ (Bartlett's test).
// - Bartlett's test of equal variances over groups of raw runs: statistic ~ χ²(k − 1) under equal
//   variances. It assumes normal runs (heavy tails make it reject too often) and has little power when
//   groups have 1–2 df. Groups with no spread at all are left out (ln 0 is undefined; identical scores
//   are usually rounding), and so are groups of fewer than two runs.
// Quantiles and the test come from @stdlib's per-function packages, not hand-written approximations.
import bartlettTest from '@stdlib/stats-bartlett-test';
import chisquareQuantile from '@stdlib/stats-base-dists-chisquare-quantile';

/** Confidence level of the stored intervals. */
export const CI_LEVEL = 0.95;
/** Level at which Bartlett's test calls the buckets' spreads different. */
export const EQUAL_SPREAD_ALPHA = 0.05;

export interface Interval {
  lo: number;
  hi: number;
}

// √(df/χ²) factors by level and df: buckets share a handful of df values, and each quantile is an iterative solve (~5 µs).
const factors = new Map<string, [number, number]>();

/** Two-sided chi-square interval for σ given a sample (or pooled) sd with df degrees of freedom; null for df < 1 or a non-finite sd. */
export function sdInterval(sd: number | null | undefined, df: number, level: number = CI_LEVEL): Interval | null {
  if (typeof sd !== 'number' || !Number.isFinite(sd) || sd < 0 || !(df >= 1) || !(level > 0 && level < 1)) return null;
  const key = `${level}:${df}`;
  let f = factors.get(key);
  if (!f) {
    const tail = (1 - level) / 2;
    f = [Math.sqrt(df / chisquareQuantile(1 - tail, df)), Math.sqrt(df / chisquareQuantile(tail, df))];
    factors.set(key, f);
  }
  return { lo: sd * f[0], hi: sd * f[1] };
}

export interface EqualSpreads {
  /** Groups the test used (two runs or more and a spread above zero). */
  groups: number;
  /** Groups of two runs or more left out because all their runs are equal. */
  zeroSpread: number;
  statistic: number;
  /** k − 1. */
  df: number;
  p: number;
  alpha: number;
  /** p < alpha: the spreads differ more than one common σ explains. */
  differ: boolean;
}

/** Bartlett's test over groups of runs; null when fewer than two groups have two runs and some spread. */
export function equalSpreads(groups: readonly (readonly number[])[], alpha: number = EQUAL_SPREAD_ALPHA): EqualSpreads | null {
  const usable: number[][] = [];
  let zeroSpread = 0;
  for (const g of groups) {
    const v = g.filter((x) => Number.isFinite(x));
    if (v.length < 2) continue;
    if (v.every((x) => x === v[0])) zeroSpread += 1;
    else usable.push(v);
  }
  if (usable.length < 2) return null;
  // One flat array with group labels (not one argument per group: thousands of buckets would overflow the call).
  const values = usable.flat();
  const labels = usable.flatMap((g, i) => g.map(() => `g${i}`));
  const r = bartlettTest(values, { alpha, groups: labels });
  return { groups: usable.length, zeroSpread, statistic: r.statistic, df: r.df, p: r.pValue, alpha, differ: r.pValue < alpha };
}
