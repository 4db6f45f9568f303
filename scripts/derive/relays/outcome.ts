// Relays rules 8–9: the gain of a relay's outcome over the board's honest running best, and what the outcome was.
import type { CollabConfig } from '../../../src/lib/config.ts';
import type { RelayRole } from '../../../src/lib/relays/roles.ts';
import type { ResultRow } from '../../../src/lib/schema/core.ts';
import { classifyGain, runningBest, type BestStep, type GainClass, type Tie } from '../../../src/lib/ties.ts';
import { partitionPoint } from '../search.ts';
import { ms } from './events.ts';

/** What a relay's outcome was (rule 9), in the order the rule tests them. */
export const OUTCOME_KINDS = ['failed', 'no-result', 'first-result', 'record', 'within-noise', 'reproduction', 'own-line', 'below-board'] as const;
export type OutcomeKind = (typeof OUTCOME_KINDS)[number];

/** A result that can set the board's running best: scored, agent-run, not a baseline, not invalid, not over the cap. */
export const eligibleForBoard = (r: ResultRow): boolean =>
  r.score !== null && r.status === 'agent-run' && r.is_baseline !== true && r.verification !== 'invalid' && r.over_cap !== true;

/** The best eligible result strictly before a time (or, before any, the baseline it started from); null before both. */
export type BoardBefore = (tms: number) => Reference | null;
export interface Reference {
  score: number;
  /** The result that held it; null for the configured baseline score. */
  result: string | null;
  /** True when no eligible result came before: the reference is the baseline. */
  baseline: boolean;
}

/** Results in time order (undated ones left out). */
function timeline(results: readonly ResultRow[]): { r: ResultRow; t: number }[] {
  return results
    .map((r) => ({ r, t: ms(r.ts) }))
    .filter((x): x is { r: ResultRow; t: number } => x.t !== null)
    .sort((a, b) => a.t - b.t || (a.r.filename < b.r.filename ? -1 : 1));
}

/**
 * Rule 8's reference: the honest running best (ties.ts `runningBest`) over every result in time order; before the
 * first eligible result, the best baseline (a baseline result that is not invalid, or the configured baseline score).
 */
export function boardBefore(results: readonly ResultRow[], config: Pick<CollabConfig, 'higher_is_better' | 'baseline_score'>, tie: Tie): BoardBefore {
  const timed = timeline(results);
  const hib = config.higher_is_better;
  const steps = runningBest(timed, { score: (x) => x.r.score, eligible: (x) => eligibleForBoard(x.r), higherIsBetter: hib, tie });
  const isBase = (r: ResultRow): boolean => r.score !== null && (r.status === 'baseline' || r.is_baseline === true) && r.verification !== 'invalid';
  const bases = runningBest(timed, { score: (x) => x.r.score, eligible: (x) => isBase(x.r), higherIsBetter: hib, tie });
  const before = <T extends { t: number }>(list: readonly BestStep<T>[], tms: number): BestStep<T> | null => {
    const n = partitionPoint(list.length, (i) => list[i]!.item.t < tms);
    return n > 0 ? list[n - 1]! : null;
  };
  return (tms) => {
    const s = before(steps, tms);
    if (s) return { score: s.score, result: s.item.r.filename, baseline: false };
    const b = before(bases, tms);
    const conf = config.baseline_score;
    if (b && (conf === null || (hib ? b.score >= conf : b.score <= conf))) return { score: b.score, result: b.item.r.filename, baseline: true };
    return conf === null ? null : { score: conf, result: null, baseline: true };
  };
}

export interface OutcomeFacts {
  /** The posted result the relay ended in, if any. */
  result: ResultRow | null;
  /** The outcome against the board when it was posted (outcome minus the best before it); null without either. */
  margin: number | null;
  /** The outcome result's own role in the graph (ship: it beat what it started from; run: a reproduction). */
  role: RelayRole | null;
}

/** Rule 9: the outcome kind, from the outcome's margin over the board when it was posted. */
export function outcomeKind(o: OutcomeFacts, tie: Tie): OutcomeKind {
  const r = o.result;
  if (r && (r.verification === 'invalid' || r.over_cap === true || r.status === 'negative')) return 'failed';
  if (!r || r.score === null) return 'no-result';
  if (o.margin === null) return 'first-result';
  if (classifyGain(o.margin, tie) === 'within') return 'within-noise';
  if (o.margin > 0) return 'record';
  if (o.role === 'run') return 'reproduction';
  if (o.role === 'ship') return 'own-line';
  return 'below-board';
}

export interface Judged {
  /** The best eligible result before the relay started (before its outcome for an undated bracket). */
  before: Reference | null;
  gain: number | null;
  gainClass: GainClass | null;
  /** The best eligible result before the outcome result was posted, and the outcome's margin over it. */
  atOutcome: Reference | null;
  margin: number | null;
  kind: OutcomeKind;
}

/**
 * Rules 8 and 9 for one relay. The reference time is its first dated step; a relay with no dated step (a credit
 * bracket no board link found) is measured against the best before its outcome result, the latest it could start.
 */
export function judgeOutcome(
  relay: { startTs: string | null; outcomeScore: number | null },
  o: { result: ResultRow | null; role: RelayRole | null },
  ctx: { board: BoardBefore; tie: Tie; higherIsBetter: boolean },
): Judged {
  const posted = ms(o.result?.ts ?? null);
  const at = ms(relay.startTs) ?? posted;
  const before = at === null ? null : ctx.board(at);
  const atOutcome = posted === null ? null : ctx.board(posted);
  const score = o.result ? o.result.score : relay.outcomeScore;
  const diff = (ref: Reference | null): number | null =>
    score === null || ref === null ? null : ctx.higherIsBetter ? score - ref.score : ref.score - score;
  const gain = diff(before);
  const margin = diff(atOutcome);
  return { before, gain, gainClass: gain === null ? null : classifyGain(gain, ctx.tie), atOutcome, margin, kind: outcomeKind({ result: o.result, margin, role: o.role }, ctx.tie) };
}
