// Significance statistics checked against values worked out by hand in each test (and flowian's published table).
import { describe, expect, it } from 'vitest';
import {
  compareRuns,
  finite,
  mean,
  median,
  pairZ,
  pooledSd,
  sampleSd,
  sampleVariance,
  summarize,
  tieThreshold,
  verdictOf,
  welch,
  welchDf,
} from '../../../src/lib/stats/significance.ts';
import { compareRunsWithP, normalTwoSidedP, studentTTwoSidedP } from '../../../src/lib/stats/p-values.ts';

describe('mean, sd, median', () => {
  it('matches hand values for 1, 2, 3, 4', () => {
    // mean 10/4; squared deviations 2.25 + 0.25 + 0.25 + 2.25 = 5; variance 5/3.
    expect(mean([1, 2, 3, 4])).toBe(2.5);
    expect(sampleVariance([1, 2, 3, 4])).toBeCloseTo(5 / 3, 12);
    expect(sampleSd([1, 2, 3, 4])).toBeCloseTo(Math.sqrt(5 / 3), 12);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([5, 1, 3])).toBe(3);
  });
  it('gives no sd for one run and a 1-df sd for two', () => {
    expect(sampleSd([500])).toBeNull();
    expect(summarize([500])).toEqual({ n: 1, mean: 500, sd: null, min: 500, max: 500, range: null, cv: null, median: 500 });
    // 10 and 12: mean 11, deviations ±1, variance 2/1.
    expect(sampleSd([10, 12])).toBeCloseTo(Math.SQRT2, 12);
    expect(summarize([10, 12]).range).toBe(2);
  });
  it('gives zero spread for identical values', () => {
    const s = summarize([507.1, 507.1, 507.1]);
    expect(s.sd).toBe(0);
    expect(s.cv).toBe(0);
    expect(s.range).toBe(0);
    expect(s.mean).toBe(507.1);
  });
  it('drops null, undefined, NaN and infinities', () => {
    const xs = [1, null, Number.NaN, 3, undefined, Infinity, -Infinity];
    expect(finite(xs)).toEqual([1, 3]);
    expect(mean(xs)).toBe(2);
    expect(sampleSd(xs)).toBeCloseTo(Math.SQRT2, 12);
    expect(mean([null, Number.NaN])).toBeNull();
    expect(median([])).toBeNull();
    expect(summarize([]).n).toBe(0);
  });
  it('keeps precision on large, close values', () => {
    // Deviations 0, 0.01, 0.02 around 1e9: variance (0.01² + 0 + 0.01²)/2 = 1e-4.
    expect(sampleVariance([1e9, 1e9 + 0.01, 1e9 + 0.02])).toBeCloseTo(1e-4, 6);
  });
});

describe('pooled sd', () => {
  it('weights groups by n − 1 and skips n < 2', () => {
    // (3−1)·2² + (5−1)·1² = 12 over 6 df → σ² = 2.
    const p = pooledSd([
      { n: 3, sd: 2 },
      { n: 5, sd: 1 },
      { n: 1, sd: null },
      { n: 4, sd: null },
    ]);
    expect(p).not.toBeNull();
    expect(p!.sigma).toBeCloseTo(Math.SQRT2, 12);
    expect(p!.df).toBe(6);
    expect(p!.groups).toBe(2);
  });
  it('is null without a group of two', () => {
    expect(pooledSd([{ n: 1, sd: null }])).toBeNull();
    expect(pooledSd([])).toBeNull();
  });
});

describe('pair z and tie threshold (flowian, σ = 1.16)', () => {
  const root2 = Math.SQRT2;
  it('reproduces flowian’s table', () => {
    // z = Δ / (σ·√2): 0.44 / 1.6405 = 0.27; −1.00 → 0.61; −5.82 → 3.55.
    expect(pairZ(308.49, 308.05, 1.16)).toBeCloseTo(0.44 / (1.16 * root2), 10);
    expect(Math.abs(pairZ(308.05, 308.49, 1.16)!)).toBeCloseTo(0.268, 3);
    expect(Math.abs(pairZ(0, 1, 1.16)!)).toBeCloseTo(0.6096, 4);
    expect(pairZ(0, 5.82, 1.16)).toBeCloseTo(-3.5477, 4);
    expect(verdictOf(pairZ(0, 5.82, 1.16)!)).toBe('real');
    expect(verdictOf(pairZ(0, 0.44, 1.16)!)).toBe('tie');
  });
  it('refuses a missing or zero σ', () => {
    expect(pairZ(1, 2, 0)).toBeNull();
    expect(pairZ(1, 2, null)).toBeNull();
    expect(pairZ(Number.NaN, 2, 1)).toBeNull();
  });
  it('tie threshold is 2·σ·√2', () => {
    expect(tieThreshold(1.16)).toBeCloseTo(2 * 1.16 * root2, 12);
    expect(tieThreshold(1.2)).toBeCloseTo(3.394, 3);
  });
  it('verdict bars: ≤ 2 tie, ≤ 3 likely real, above real', () => {
    expect(verdictOf(2)).toBe('tie');
    expect(verdictOf(-2.01)).toBe('likely real');
    expect(verdictOf(3)).toBe('likely real');
    expect(verdictOf(3.01)).toBe('real');
    expect(verdictOf(Number.NaN)).toBe('tie');
  });
});

describe('Welch', () => {
  // flowian's example: a = 308.5 307.9 308.2, b = 305.5 306.9 306.0.
  // a: mean 308.2, deviations .3 −.3 0 → s² = .18/2 = .09. b: mean 306.1333, squares .40111 .58778 .01778 → s² = .50333.
  // se² = .09/3 + .50333/3 = .03 + .167778 = .197778; t = 2.066667 / .444722 = 4.6471.
  // df = .197778² / (.03²/2 + .167778²/2) = .0391160 / .0145247 = 2.6931.
  const a = [308.5, 307.9, 308.2];
  const b = [305.5, 306.9, 306.0];
  it('matches the hand-computed t and df', () => {
    const w = welch(a, b)!;
    expect(w.meanA).toBeCloseTo(308.2, 10);
    expect(w.meanB).toBeCloseTo(306.133333, 5);
    expect(w.t).toBeCloseTo(4.6471, 3);
    expect(w.df).toBeCloseTo(2.6931, 3);
    expect(welchDf([{ varOfMean: 0.03, df: 2 }, { varOfMean: 0.5033333333 / 3, df: 2 }])).toBeCloseTo(2.6931, 3);
  });
  it('with equal variances and sizes, df = 2(n − 1)', () => {
    // [1,3] and [5,7]: both s² = 2, n = 2 → df = (1+1)² / (1/1 + 1/1) = 2; t = −4 / √2.
    const w = welch([1, 3], [5, 7])!;
    expect(w.df).toBeCloseTo(2, 12);
    expect(w.t).toBeCloseTo(-4 / Math.SQRT2, 12);
  });
  it('needs σ for a set of one run, and then counts only the other set in df', () => {
    expect(welch([500], [498, 499, 501])).toBeNull();
    // b: mean 499.3333, s² = (0.4444+1.7778+2.7778)/2 ... computed: deviations −1.3333, −.3333, 1.6667 → ss 4.6667, s² 2.3333.
    // se² = 1²/1 + 2.3333/3 = 1.7778; df = 1.7778² / ((0.7778)²/2) = 3.16049 / 0.302469 = 10.449.
    const w = welch([500], [498, 499, 501], 1)!;
    expect(w.se).toBeCloseTo(Math.sqrt(1 + 7 / 9), 10);
    expect(w.df).toBeCloseTo((16 / 9) ** 2 / ((7 / 9) ** 2 / 2), 10);
  });
  it('zero spread on both sides: infinite t, no df', () => {
    const w = welch([5, 5], [6, 6])!;
    expect(w.t).toBe(-Infinity);
    expect(w.df).toBeNull();
    expect(welch([5, 5], [5, 5])!.t).toBe(0);
  });
  it('drops NaN and null before counting', () => {
    const w = welch([308.5, null, 307.9, Number.NaN, 308.2], b)!;
    expect(w.nA).toBe(3);
    expect(w.t).toBeCloseTo(4.6471, 3);
  });
});

describe('p-values', () => {
  it('normal and Student t match tables', () => {
    expect(normalTwoSidedP(1.959964)).toBeCloseTo(0.05, 5);
    expect(normalTwoSidedP(0)).toBeCloseTo(1, 6);
    // scipy: 2·t.sf(2, 10) = 0.0733880; t.sf(2.228139, 10)·2 = 0.05; df 1 is Cauchy: P(|T| > 1) = 0.5.
    expect(studentTTwoSidedP(2, 10)).toBeCloseTo(0.073388, 5);
    expect(studentTTwoSidedP(2.228139, 10)).toBeCloseTo(0.05, 5);
    expect(studentTTwoSidedP(1, 1)).toBeCloseTo(0.5, 8);
    expect(studentTTwoSidedP(4.647096, 2.693073)).toBeCloseTo(0.0237468, 5);
    expect(studentTTwoSidedP(Infinity, 3)).toBe(0);
  });
  it('carry full precision now that they come from @stdlib (R: 2*pnorm(-q), 2*pt(-q, df))', () => {
    expect(normalTwoSidedP(1.959963984540054)).toBeCloseTo(0.05, 12);
    expect(normalTwoSidedP(-3)).toBeCloseTo(0.0026997960632601866, 14);
    expect(normalTwoSidedP(8)).toBeCloseTo(1.2441921148543639e-15, 25);
    expect(studentTTwoSidedP(2.2281388519649385, 10)).toBeCloseTo(0.05, 10);
    expect(studentTTwoSidedP(-12.706204736174698, 1)).toBeCloseTo(0.05, 10);
    expect(studentTTwoSidedP(2.5, 1e6)).toBeCloseTo(normalTwoSidedP(2.5), 5);
    expect(normalTwoSidedP(Number.NaN)).toBeNaN();
    expect(studentTTwoSidedP(1, 0)).toBeNaN();
    expect(studentTTwoSidedP(Number.NaN, 3)).toBeNaN();
  });
});

describe('compareRuns p-values', () => {
  it('come with the p-value functions and are null without them (the page loads them on demand)', () => {
    expect(compareRuns([308.49], [308.05], { sigma: 1.16 }).p).toBeNull();
    const z = compareRunsWithP([308.49], [308.05], { sigma: 1.16 });
    expect(z.p).toBeCloseTo(normalTwoSidedP(0.44 / (1.16 * Math.SQRT2)), 12);
    const w = compareRunsWithP([308.5, 307.9, 308.2], [305.5, 306.9, 306.0]);
    expect(w.p).toBeCloseTo(studentTTwoSidedP(w.stat!, w.df!), 12);
    expect(compareRunsWithP([5, 5, 5], [5, 5, 5]).p).toBe(1);
  });
});

describe('compareRuns (plain words)', () => {
  it('one run each: z with the pooled σ, or no verdict without it', () => {
    const c = compareRuns([308.49], [308.05], { sigma: 1.16 });
    expect(c.method).toBe('z');
    expect(c.verdict).toBe('tie');
    expect(c.words).toMatch(/tie/);
    const none = compareRuns([308.49], [308.05]);
    expect(none.method).toBe('none');
    expect(none.verdict).toBeNull();
    expect(none.words).toMatch(/single run gives no standard deviation/);
  });
  it('sets: Welch, with a caveat at low df', () => {
    const c = compareRuns([308.5, 307.9, 308.2], [305.5, 306.9, 306.0]);
    expect(c.method).toBe('welch');
    expect(c.verdict).toBe('real');
    expect(c.caveats.join(' ')).toMatch(/few degrees of freedom/);
  });
  it('says when two runs are all there is', () => {
    const c = compareRuns([10, 12], [20, 22]);
    expect(c.caveats.join(' ')).toMatch(/two runs give a rough standard deviation/);
  });
  it('one run against a set without σ: no verdict', () => {
    expect(compareRuns([500], [498, 499, 501]).method).toBe('none');
    expect(compareRuns([500], [498, 499, 501], { sigma: 1 }).method).toBe('welch');
  });
  it('empty or all-NaN sides: nothing to compare', () => {
    expect(compareRuns([], [1]).verdict).toBeNull();
    expect(compareRuns([Number.NaN, null], [1, 2]).method).toBe('none');
  });
  it('identical sets: zero spread caveat', () => {
    const c = compareRuns([5, 5, 5], [5, 5, 5]);
    expect(c.verdict).toBe('tie');
    expect(c.caveats.join(' ')).toMatch(/zero observed variance/);
  });
});
