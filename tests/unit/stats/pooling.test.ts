// Chi-square intervals for σ and Bartlett's test (src/lib/stats/pooling.ts) against published values and an independent formula.
import { describe, expect, it } from 'vitest';
import { CI_LEVEL, EQUAL_SPREAD_ALPHA, equalSpreads, sdInterval } from '../../../src/lib/stats/pooling.ts';

// χ² quantiles from printed tables (e.g. NIST/SEMATECH e-Handbook 1.3.6.7.4; R qchisq): [0.025, 0.975].
const CHI2 = {
  1: [0.000982069, 5.023886],
  10: [3.246973, 20.483177],
  15: [6.262138, 27.488393],
} as const;

describe('sdInterval (chi-square interval for σ)', () => {
  it('matches the tabled quantiles: s·√(df/χ²₀.₉₇₅) … s·√(df/χ²₀.₀₂₅)', () => {
    for (const [df, [q025, q975]] of Object.entries(CHI2)) {
      const d = Number(df);
      const ci = sdInterval(2, d)!;
      expect(ci.lo, `df ${df}`).toBeCloseTo(2 * Math.sqrt(d / q975), 5);
      expect(ci.hi, `df ${df}`).toBeCloseTo(2 * Math.sqrt(d / q025), 3);
    }
    // One pair of runs: the upper end is ~32 × the sd.
    expect(sdInterval(1, 1)!.hi).toBeCloseTo(31.91, 2);
    expect(CI_LEVEL).toBe(0.95);
  });
  it('approaches the normal approximation σ·(1 ± 1.96/√(2·df)) for large df', () => {
    const df = 20_000;
    const ci = sdInterval(1, df)!;
    expect(ci.lo).toBeCloseTo(1 - 1.959964 / Math.sqrt(2 * df), 3);
    expect(ci.hi).toBeCloseTo(1 + 1.959964 / Math.sqrt(2 * df), 3);
  });
  it('other levels narrow or widen it', () => {
    const a = sdInterval(1, 10, 0.8)!;
    const b = sdInterval(1, 10, 0.99)!;
    const c = sdInterval(1, 10)!;
    expect(a.lo).toBeGreaterThan(c.lo);
    expect(b.hi).toBeGreaterThan(c.hi);
  });
  it('is null when it cannot be computed, never a made-up number', () => {
    expect(sdInterval(null, 10)).toBeNull();
    expect(sdInterval(1, 0)).toBeNull();
    expect(sdInterval(Number.NaN, 5)).toBeNull();
    expect(sdInterval(-1, 5)).toBeNull();
    expect(sdInterval(1, 5, 1)).toBeNull();
    expect(sdInterval(0, 5)).toEqual({ lo: 0, hi: 0 });
  });
  it('covers the true σ about 95 % of the time (seeded simulation, n = 5)', () => {
    let seed = 12345;
    const unif = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return (seed + 0.5) / 2147483648;
    };
    const normal = () => Math.sqrt(-2 * Math.log(unif())) * Math.cos(2 * Math.PI * unif());
    let covered = 0;
    const trials = 4000;
    for (let i = 0; i < trials; i++) {
      const xs = Array.from({ length: 5 }, () => 10 + 3 * normal());
      const m = xs.reduce((a, b) => a + b, 0) / 5;
      const sd = Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / 4);
      const ci = sdInterval(sd, 4)!;
      if (ci.lo <= 3 && 3 <= ci.hi) covered += 1;
    }
    expect(covered / trials).toBeGreaterThan(0.935);
    expect(covered / trials).toBeLessThan(0.965);
  });
});

/** Bartlett's statistic by its textbook formula (Snedecor & Cochran), written out here independently of the library. */
function bartlettByHand(groups: number[][]): number {
  const k = groups.length;
  const dfs = groups.map((g) => g.length - 1);
  const vars = groups.map((g) => {
    const m = g.reduce((a, b) => a + b, 0) / g.length;
    return g.reduce((a, b) => a + (b - m) ** 2, 0) / (g.length - 1);
  });
  const N = dfs.reduce((a, b) => a + b, 0);
  const sp2 = dfs.reduce((a, d, i) => a + d * vars[i]!, 0) / N;
  const num = N * Math.log(sp2) - dfs.reduce((a, d, i) => a + d * Math.log(vars[i]!), 0);
  const c = 1 + (dfs.reduce((a, d) => a + 1 / d, 0) - 1 / N) / (3 * (k - 1));
  return num / c;
}

describe('equalSpreads (Bartlett)', () => {
  // R's datasets::InsectSprays; R documents bartlett.test(count ~ spray): K² = 25.96, df = 5, p-value = 9.085e-05.
  const insectSprays = [
    [10, 7, 20, 14, 14, 12, 10, 23, 17, 20, 14, 13],
    [11, 17, 21, 11, 16, 14, 17, 17, 19, 21, 7, 13],
    [0, 1, 7, 2, 3, 1, 2, 1, 3, 0, 1, 4],
    [3, 5, 12, 6, 4, 3, 5, 5, 5, 5, 2, 4],
    [3, 5, 3, 5, 3, 6, 1, 1, 3, 2, 6, 4],
    [11, 9, 15, 22, 15, 16, 13, 10, 26, 26, 24, 13],
  ];
  it('reproduces the textbook InsectSprays example', () => {
    const r = equalSpreads(insectSprays)!;
    expect(r.statistic).toBeCloseTo(25.96, 2);
    expect(r.df).toBe(5);
    expect(r.p).toBeCloseTo(9.085e-5, 8);
    expect(r).toMatchObject({ groups: 6, zeroSpread: 0, alpha: EQUAL_SPREAD_ALPHA, differ: true });
    expect(r.statistic).toBeCloseTo(bartlettByHand(insectSprays), 9);
  });
  it('agrees with the formula on unequal group sizes; equal spreads are not flagged', () => {
    const g = [
      [500.1, 501.3, 499.2, 500.8],
      [280.2, 280.9],
      [510.4, 509.1, 511.0, 510.2, 509.8, 510.9],
    ];
    const r = equalSpreads(g)!;
    expect(r.statistic).toBeCloseTo(bartlettByHand(g), 9);
    expect(r.df).toBe(2);
    // χ² with 2 df: p = exp(−T/2).
    expect(r.p).toBeCloseTo(Math.exp(-r.statistic / 2), 9);
    const same = equalSpreads([
      [1, 2, 3],
      [11, 12, 13],
      [101, 102, 103],
    ])!;
    expect(same.statistic).toBeCloseTo(0, 12);
    expect(same.differ).toBe(false);
  });
  it('leaves out groups of one run and groups whose runs are all equal, and is null below two groups', () => {
    const r = equalSpreads([[1, 2, 4], [5], [7, 7, 7], [3, 9, 4, 1]])!;
    expect(r).toMatchObject({ groups: 2, zeroSpread: 1, df: 1 });
    expect(r.statistic).toBeCloseTo(bartlettByHand([[1, 2, 4], [3, 9, 4, 1]]), 9);
    expect(equalSpreads([[1, 2, 3], [4, 4]])).toBeNull();
    expect(equalSpreads([])).toBeNull();
    expect(equalSpreads([[1, Number.NaN, 3], [2, Number.POSITIVE_INFINITY]])).toBeNull();
  });
  it('handles thousands of buckets (no argument-list overflow)', () => {
    const many = Array.from({ length: 20_000 }, (_, i) => [i, i + 1 + (i % 3), i + 2]);
    const r = equalSpreads(many)!;
    expect(r.groups).toBe(20_000);
    expect(r.statistic).toBeCloseTo(bartlettByHand(many), 6);
  });
});
