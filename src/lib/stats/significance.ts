// Is a score difference real? Mean, sd, pooled sd, pair z, Welch's t and a plain-words verdict (pure; Node and browser).
//
// Method, after flowian's measurement-significance toolkit
// (shared_resources/gemma_specdecode_headroom_flowian/README.md, `tps_significance.py`):
// - Two single runs a, b with a noise estimate σ (the pooled within-bucket sd):
//       z = (a − b) / (σ·√2)           (the difference of two runs has sd σ·√2)
// - Two sets of runs: Welch's t with the Welch–Satterthwaite degrees of freedom
//       t  = (m_a − m_b) / √(s_a²/n_a + s_b²/n_b)
//       df = (s_a²/n_a + s_b²/n_b)² / ((s_a²/n_a)²/(n_a−1) + (s_b²/n_b)²/(n_b−1))
// - Verdict on |z| or |t| (VERDICT_THRESHOLDS): ≤ 2 "tie"; > 2 and ≤ 3 "likely real"; > 3 "real".
//   flowian calls a pair "likely REAL if |z| > 2" (≈ 2 TPS at σ = 1.16) and applies the same |t| > 2 bar to
//   sets; their table calls z = 3.5 (spec8, −5.82 TPS) "real". We keep their bar of 2 for "likely real" and add
//   3 for "real" (a 3-sigma difference, p ≈ 0.003 for z) so a page can separate "probably" from "clearly".
//   The tie threshold of the tie groups is the same bar in score units: |Δ| ≤ z·σ·√2 with z = 2.
// - p-values (display only) come from @stdlib's normal and Student-t CDFs in p-values.ts, passed in as `pValues` so this
//   module stays free of them: the noise page loads them only when the calculator first compares.
// Honest edge cases, never a made-up number:
// - one run gives no sd (sampleSd → null); two runs give an sd with 1 degree of freedom, which is rough
//   (the comparison says so in `caveats`);
// - a set of one run has no variance of its own: with a pooled σ we use σ² for it (its variance is treated as
//   known, so only the other set contributes to df); without σ there is no verdict;
// - null, undefined, NaN and ±Infinity scores are dropped before any statistic (counts say how many remain);
// - zero spread on both sides gives t = ±Infinity (or 0 for equal means) with df null and a caveat.
/** Verdict bars on |z| or |t|: at most `likely` is a tie; above `real` is real. */
export const VERDICT_THRESHOLDS = { likely: 2, real: 3 } as const;

/** The z used for the tie threshold z·σ·√2 (flowian's "likely real" bar). */
export const TIE_Z = VERDICT_THRESHOLDS.likely;

export type Verdict = 'tie' | 'likely real' | 'real';

type Num = number | null | undefined;

/** Finite numbers only; null, undefined, NaN and ±Infinity are dropped. */
export function finite(xs: readonly Num[]): number[] {
  const out: number[] = [];
  for (const x of xs) if (typeof x === 'number' && Number.isFinite(x)) out.push(x);
  return out;
}

/** Arithmetic mean of the finite values; null when there are none. */
export function mean(xs: readonly Num[]): number | null {
  const v = finite(xs);
  if (v.length === 0) return null;
  // Shifted sum keeps precision when values are large and close together (e.g. 506.74, 506.75, ...).
  const shift = v[0]!;
  let s = 0;
  for (const x of v) s += x - shift;
  return shift + s / v.length;
}

/** Sample variance (n − 1 denominator); null for fewer than two finite values. */
export function sampleVariance(xs: readonly Num[]): number | null {
  const v = finite(xs);
  if (v.length < 2) return null;
  const m = mean(v)!;
  let ss = 0;
  for (const x of v) ss += (x - m) * (x - m);
  return ss / (v.length - 1);
}

/** Sample standard deviation; null for fewer than two finite values (one run says nothing about noise). */
export function sampleSd(xs: readonly Num[]): number | null {
  const v = sampleVariance(xs);
  return v === null ? null : Math.sqrt(v);
}

/** Median of the finite values (mean of the middle two for even n); null when there are none. */
export function median(xs: readonly Num[]): number | null {
  const v = finite(xs).sort((a, b) => a - b);
  if (v.length === 0) return null;
  const mid = v.length >> 1;
  return v.length % 2 ? v[mid]! : (v[mid - 1]! + v[mid]!) / 2;
}

export interface Summary {
  n: number;
  mean: number | null;
  sd: number | null;
  min: number | null;
  max: number | null;
  /** max − min; null for n < 2 (one run has no spread to speak of). */
  range: number | null;
  /** sd / |mean|; null when sd is null or the mean is 0. */
  cv: number | null;
  median: number | null;
}

/** All the per-bucket statistics at once. */
export function summarize(xs: readonly Num[]): Summary {
  const v = finite(xs);
  const m = mean(v);
  const sd = sampleSd(v);
  const min = v.length ? Math.min(...v) : null;
  const max = v.length ? Math.max(...v) : null;
  return {
    n: v.length,
    mean: m,
    sd,
    min,
    max,
    range: v.length >= 2 ? max! - min! : null,
    cv: sd !== null && m !== null && m !== 0 ? sd / Math.abs(m) : null,
    median: median(v),
  };
}

export interface GroupSpread {
  n: number;
  sd: number | null;
}

export interface Pooled {
  /** sqrt(Σ(nᵢ−1)·sᵢ² / Σ(nᵢ−1)) over groups with n ≥ 2 and a finite sd. */
  sigma: number;
  /** Σ(nᵢ−1): the degrees of freedom behind sigma. */
  df: number;
  /** Groups that contributed. */
  groups: number;
}

/** Pooled within-group sd, each group weighted by n − 1; null when no group has n ≥ 2. */
export function pooledSd(groups: readonly GroupSpread[]): Pooled | null {
  let num = 0;
  let df = 0;
  let k = 0;
  for (const g of groups) {
    if (g.n < 2 || g.sd === null || !Number.isFinite(g.sd)) continue;
    num += (g.n - 1) * g.sd * g.sd;
    df += g.n - 1;
    k += 1;
  }
  return df > 0 ? { sigma: Math.sqrt(num / df), df, groups: k } : null;
}

/** z for two single runs: Δ / (σ·√2). Null without a positive, finite σ or a finite Δ. */
export function pairZ(a: Num, b: Num, sigma: Num): number | null {
  if (typeof a !== 'number' || typeof b !== 'number' || typeof sigma !== 'number') return null;
  if (!Number.isFinite(a) || !Number.isFinite(b) || !Number.isFinite(sigma) || sigma <= 0) return null;
  return (a - b) / (sigma * Math.SQRT2);
}

/** Largest |Δ| between two single runs that is still a tie: z·σ·√2. */
export function tieThreshold(sigma: number, z: number = TIE_Z): number {
  return z * sigma * Math.SQRT2;
}

/** Welch–Satterthwaite df from per-set variances of the mean (v/n) and each set's own df (n − 1). */
export function welchDf(parts: readonly { varOfMean: number; df: number }[]): number | null {
  let total = 0;
  let denom = 0;
  for (const p of parts) {
    total += p.varOfMean;
    // A set whose variance is treated as known (df = Infinity) adds nothing to the denominator.
    if (Number.isFinite(p.df)) denom += (p.varOfMean * p.varOfMean) / p.df;
  }
  if (denom === 0 || !Number.isFinite(total)) return null;
  return (total * total) / denom;
}

export interface WelchResult {
  t: number;
  /** Welch–Satterthwaite df; null when no set contributes variance (both spreads zero). */
  df: number | null;
  meanA: number;
  meanB: number;
  diff: number;
  se: number;
  nA: number;
  nB: number;
}

/**
 * Welch's t for two sets. A set of one run needs `sigma` (used as its known sd); without it the
 * result is null, as it is when either set is empty.
 */
export function welch(a: readonly Num[], b: readonly Num[], sigma?: number | null): WelchResult | null {
  const A = finite(a);
  const B = finite(b);
  if (A.length === 0 || B.length === 0) return null;
  const known = typeof sigma === 'number' && Number.isFinite(sigma) && sigma > 0 ? sigma : null;
  const part = (v: number[]): { varOfMean: number; df: number } | null => {
    if (v.length >= 2) return { varOfMean: sampleVariance(v)! / v.length, df: v.length - 1 };
    return known === null ? null : { varOfMean: (known * known) / v.length, df: Infinity };
  };
  const pa = part(A);
  const pb = part(B);
  if (!pa || !pb) return null;
  const meanA = mean(A)!;
  const meanB = mean(B)!;
  const diff = meanA - meanB;
  const se = Math.sqrt(pa.varOfMean + pb.varOfMean);
  const t = se > 0 ? diff / se : diff === 0 ? 0 : diff > 0 ? Infinity : -Infinity;
  return { t, df: se > 0 ? welchDf([pa, pb]) : null, meanA, meanB, diff, se, nA: A.length, nB: B.length };
}

/** Plain-words verdict for |z| or |t| (see VERDICT_THRESHOLDS). */
export function verdictOf(stat: number): Verdict {
  const s = Math.abs(stat);
  if (Number.isNaN(s) || s <= VERDICT_THRESHOLDS.likely) return 'tie';
  return s <= VERDICT_THRESHOLDS.real ? 'likely real' : 'real';
}

/** Two-sided p-values for a z and a Student t (p-values.ts has them from @stdlib). */
export interface PValues {
  normalTwoSided(z: number): number;
  studentTTwoSided(t: number, df: number): number;
}

export interface Comparison {
  /** z: two single runs against a pooled σ; welch: sets; none: not enough to say. */
  method: 'z' | 'welch' | 'none';
  stat: number | null;
  df: number | null;
  /** Two-sided p-value of stat (normal for z, Student t with df for welch); null when undefined or no `pValues` were given. */
  p: number | null;
  verdict: Verdict | null;
  diff: number | null;
  nA: number;
  nB: number;
  /** One sentence a reader understands. */
  words: string;
  /** What limits the verdict: few runs, zero spread, no noise estimate. */
  caveats: string[];
}

const fmt = (x: number, d = 2): string => (Number.isFinite(x) ? x.toFixed(d) : x > 0 ? '∞' : '−∞');

/**
 * Compare two sets of runs (a single run is a set of one). Uses z with the pooled σ when both sides are
 * single runs, Welch's t otherwise; says plainly when there is not enough to decide.
 */
export function compareRuns(a: readonly Num[], b: readonly Num[], opts: { sigma?: number | null; pValues?: PValues | undefined } = {}): Comparison {
  const A = finite(a);
  const B = finite(b);
  const sigma = typeof opts.sigma === 'number' && Number.isFinite(opts.sigma) && opts.sigma > 0 ? opts.sigma : null;
  const base = { nA: A.length, nB: B.length };
  const none = (words: string, caveats: string[] = []): Comparison => ({
    method: 'none',
    stat: null,
    df: null,
    p: null,
    verdict: null,
    diff: A.length && B.length ? mean(A)! - mean(B)! : null,
    ...base,
    words,
    caveats,
  });
  if (A.length === 0 || B.length === 0) return none('No run with a score on one side: nothing to compare.');
  const caveats: string[] = [];
  if (A.length === 1 && B.length === 1) {
    if (sigma === null) {
      return none('One run each and no noise estimate: a single run gives no standard deviation, so no verdict.', [
        'one run per side',
      ]);
    }
    const z = pairZ(A[0], B[0], sigma)!;
    const v = verdictOf(z);
    caveats.push(`one run per side: judged against the pooled noise σ = ${fmt(sigma)}`);
    return {
      method: 'z',
      stat: z,
      df: null,
      p: opts.pValues ? opts.pValues.normalTwoSided(z) : null,
      verdict: v,
      diff: A[0]! - B[0]!,
      ...base,
      words: `Δ = ${fmt(A[0]! - B[0]!)}, z = ${fmt(z)} (σ = ${fmt(sigma)}): ${wordsFor(v)}.`,
      caveats,
    };
  }
  const w = welch(A, B, sigma);
  if (!w) {
    return none('One side has a single run and there is no noise estimate to stand in for its spread: no verdict.', [
      'a single run gives no standard deviation',
    ]);
  }
  if (A.length === 1 || B.length === 1) caveats.push(`a single run on one side: its spread is taken as the pooled σ = ${fmt(sigma!)}`);
  if ((A.length === 2) || (B.length === 2)) caveats.push('two runs give a rough standard deviation (1 degree of freedom)');
  if (w.df === null) caveats.push('no spread within either set: the verdict rests on zero observed variance');
  else if (w.df < 4) caveats.push(`few degrees of freedom (df = ${fmt(w.df, 1)}): |t| of 2–3 is weak evidence at this df`);
  const v = verdictOf(w.t);
  return {
    method: 'welch',
    stat: w.t,
    df: w.df,
    p: !opts.pValues ? null : w.df === null ? (w.t === 0 ? 1 : 0) : opts.pValues.studentTTwoSided(w.t, w.df),
    verdict: v,
    diff: w.diff,
    ...base,
    words: `Means ${fmt(w.meanA)} (n = ${w.nA}) vs ${fmt(w.meanB)} (n = ${w.nB}), Welch t = ${fmt(w.t)}${w.df === null ? '' : ` (df ${fmt(w.df, 1)})`}: ${wordsFor(v)}.`,
    caveats,
  };
}

function wordsFor(v: Verdict): string {
  if (v === 'tie') return 'inside the noise, a tie';
  if (v === 'likely real') return 'likely a real difference';
  return 'a real difference';
}
