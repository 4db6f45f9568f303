// Two-sided p-values for z and Student's t, from @stdlib's distribution packages (a separate module: ~30 KB gzip the noise page loads on demand).
import normalCdf from '@stdlib/stats-base-dists-normal-cdf';
import tCdf from '@stdlib/stats-base-dists-t-cdf';
import { compareRuns, type Comparison, type PValues } from './significance.ts';

/** Two-sided p for a standard normal statistic: 2·Φ(−|z|). */
export function normalTwoSidedP(z: number): number {
  if (Number.isNaN(z)) return NaN;
  return 2 * normalCdf(-Math.abs(z), 0, 1);
}

/** Two-sided p for Student's t with df degrees of freedom (df may be fractional, as Welch's is): 2·F(−|t|; df). */
export function studentTTwoSidedP(t: number, df: number): number {
  if (Number.isNaN(t) || !(df > 0)) return NaN;
  if (!Number.isFinite(t)) return 0;
  return 2 * tCdf(-Math.abs(t), df);
}

export const P_VALUES: PValues = { normalTwoSided: normalTwoSidedP, studentTTwoSided: studentTTwoSidedP };

/** compareRuns with its p-value filled in. */
export const compareRunsWithP = (a: Parameters<typeof compareRuns>[0], b: Parameters<typeof compareRuns>[1], opts: { sigma?: number | null } = {}): Comparison =>
  compareRuns(a, b, { ...opts, pValues: P_VALUES });
