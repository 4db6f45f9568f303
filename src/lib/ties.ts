// The one definition of a tie, used by every ranking and every gain the site shows (issue 16).
// The threshold is the noise derivation's: noise_summary.tie_threshold = z·σ_pooled·√2 (scripts/derive/noise/index.ts,
// rule 5), with its 95 % interval threshold_lo … threshold_hi. Two results closer than the threshold are a tie; a gain
// no larger than it is "within noise", not a record. Without repeat runs there is no σ: the threshold is null, every
// difference counts as it stands, and the page says the noise is unknown (never zero).

/** What a page needs to know about the noise to call ties. */
export interface Tie {
  /** z·σ·√2 in score units; null when the export has no repeat runs. */
  threshold: number | null;
  lo: number | null;
  hi: number | null;
  sigma: number | null;
  /** True when σ rests on few buckets (noise_summary.rests_on_few). */
  restsOnFew: boolean;
}

export const NO_TIE: Tie = { threshold: null, lo: null, hi: null, sigma: null, restsOnFew: false };

/** SQL for the one row a page reads the tie from (columns named as `Tie` after `tieFromRow`). */
export const TIE_SQL = `SELECT tie_threshold, threshold_lo, threshold_hi, pooled_sigma, rests_on_few FROM noise_summary LIMIT 1`;

const numOrNull = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** The tie from a `TIE_SQL` row (or no row: unknown noise). */
export function tieFromRow(row: Record<string, unknown> | undefined | null): Tie {
  if (!row) return NO_TIE;
  return {
    threshold: numOrNull(row.tie_threshold),
    lo: numOrNull(row.threshold_lo),
    hi: numOrNull(row.threshold_hi),
    sigma: numOrNull(row.pooled_sigma),
    restsOnFew: row.rests_on_few === true,
  };
}

/** A difference between two scores: 'beyond' the threshold, 'within' it (a tie), or 'unknown' (no σ). */
export type GainClass = 'beyond' | 'within' | 'unknown';

/** Classify |delta| against the tie threshold. Exactly the threshold is a tie (the noise walk uses ≤ too). */
export function classifyGain(delta: number, tie: Tie): GainClass {
  if (tie.threshold === null) return 'unknown';
  return Math.abs(delta) <= tie.threshold ? 'within' : 'beyond';
}

/** Walk scores (best first) into tie groups; each group's first item is its top. No threshold: every item alone. */
export function tieWalk<T>(sorted: readonly T[], threshold: number | null, score: (t: T) => number): T[][] {
  const groups: T[][] = [];
  for (const r of sorted) {
    const g = groups.at(-1);
    if (g && threshold !== null && Math.abs(score(r) - score(g[0]!)) <= threshold) g.push(r);
    else groups.push([r]);
  }
  return groups;
}

/** A tie group's rank as text: `4` alone, `1–13` for thirteen results tied from rank 1. */
export function rankText(rank: number, groupSize: number): string {
  return groupSize > 1 ? `${rank}–${rank + groupSize - 1}` : String(rank);
}

/** One step of the running best: the item that set it, the best before it, and whether the gain clears the noise. */
export interface BestStep<T> {
  item: T;
  score: number;
  previous: number | null;
  gain: number | null;
  gainClass: GainClass | 'first';
}

/**
 * The honest running best: walk items in time order and step up only at eligible ones (the caller decides: never an
 * invalid or over-cap result). Every improvement is a step; each step says whether its gain is beyond the noise.
 */
export function runningBest<T>(
  items: readonly T[],
  opts: { score: (t: T) => number | null; eligible: (t: T) => boolean; higherIsBetter: boolean; tie: Tie },
): BestStep<T>[] {
  const steps: BestStep<T>[] = [];
  let best: number | null = null;
  for (const item of items) {
    const s = opts.score(item);
    if (s === null || !Number.isFinite(s) || !opts.eligible(item)) continue;
    const better = best === null || (opts.higherIsBetter ? s > best : s < best);
    if (!better) continue;
    const gain = best === null ? null : opts.higherIsBetter ? s - best : best - s;
    steps.push({ item, score: s, previous: best, gain, gainClass: gain === null ? 'first' : classifyGain(gain, opts.tie) });
    best = s;
  }
  return steps;
}

/** Which results may set the running best: verified only, or verified and pending (never invalid, never over the cap). */
export type BestScope = 'verified' | 'verified-pending';

/** The fields eligibility reads (a results row, or any row that carries them). */
export interface EligibilityFields {
  status?: string | null;
  is_baseline?: boolean | null;
  verification: string | null;
  over_cap: boolean | null;
}

/**
 * Eligible for the running best and for a rank: a ranked `agent-run` result (not a baseline) that the verifier has not
 * rejected and whose secondary metric is not over the cap; in the `verified` scope, only verified (valid) results.
 * An unknown over_cap (no secondary reported) does not disqualify: the cap is checked where the value exists.
 */
export function eligibleForBest(r: EligibilityFields, scope: BestScope): boolean {
  if ((r.status !== undefined && r.status !== 'agent-run') || r.is_baseline === true) return false;
  if (r.verification === 'invalid' || r.over_cap === true) return false;
  return scope === 'verified-pending' || r.verification === 'valid';
}

/** Why a result is not eligible, for greyed marks and sections: 'invalid', 'over cap', 'unverified' or null. */
export function ineligibleReason(r: EligibilityFields, scope: BestScope): 'invalid' | 'over cap' | 'unverified' | null {
  if (r.verification === 'invalid') return 'invalid';
  if (r.over_cap === true) return 'over cap';
  return scope === 'verified' && r.verification !== 'valid' ? 'unverified' : null;
}

/** Tie groups with their competition ranks: `rank` = 1 + items in better groups, `text` = rankText. */
export function tieRanks<T>(sorted: readonly T[], threshold: number | null, score: (t: T) => number): { item: T; rank: number; size: number; text: string }[] {
  const out: { item: T; rank: number; size: number; text: string }[] = [];
  let ahead = 0;
  for (const g of tieWalk(sorted, threshold, score)) {
    for (const item of g) out.push({ item, rank: ahead + 1, size: g.length, text: rankText(ahead + 1, g.length) });
    ahead += g.length;
  }
  return out;
}
