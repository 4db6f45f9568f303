// The overview's story: every ranked result, the honest running best (src/lib/ties.ts), the tie, the baseline and the
// moment sources, loaded once for the chart, the arc and "what changed when" (build time and browser alike).
import type { CollabConfig } from '../config.ts';
import { inventionCandidates, rejectedClaims, relayOutcomes, type InventionRow, type RelayOutcomeRow, type VerdictRow } from '../queries/moments.sql.ts';
import { episodeMoments, type EpisodeMomentRow } from '../queries/episodes.sql.ts';
import { baselineScore, bestSoFar, tieSpec, type BestSoFarRow } from '../queries/overview.sql.ts';
import { eligibleForBest, runningBest, tieFromRow, type BestScope, type BestStep, type Tie } from '../ties.ts';
import type { Run } from '../views/view.ts';

export interface Story {
  scope: BestScope;
  higherIsBetter: boolean;
  /** Every ranked result with a time, in time order (invalid and over-cap ones included: they are drawn greyed). */
  rows: BestSoFarRow[];
  /** The running best over the eligible rows: each step says whether its gain clears the noise. */
  steps: BestStep<BestSoFarRow>[];
  tie: Tie;
  baseline: number | null;
  inventions: InventionRow[];
  relays: RelayOutcomeRow[];
  verdicts: VerdictRow[];
  /** Interaction episodes with a start time (scripts/derive/episodes); none when the table is not built. */
  episodes: EpisodeMomentRow[];
}

export interface StoryFilters {
  /** true: only verified results may set the running best; false: verified and pending. */
  verified: boolean;
  /** Width to draw the chart at (the browser passes its slot's); absent: the page width at build time. */
  width?: number | null;
}

/** The running best of `rows` in a scope: never raised by an invalid, over-cap (or, verified only, pending) result. */
export function storySteps(rows: readonly BestSoFarRow[], scope: BestScope, tie: Tie, higherIsBetter: boolean): BestStep<BestSoFarRow>[] {
  return runningBest(rows, { score: (r) => r.score, eligible: (r) => eligibleForBest(r, scope), higherIsBetter, tie });
}

/** Each query may be missing in an old export (a table not built): its source then offers nothing. */
const orEmpty = <T>(p: Promise<T[]>): Promise<T[]> => p.catch(() => []);

export async function loadStory(f: StoryFilters, config: CollabConfig, run: Run): Promise<Story> {
  const [rows, tieRows, base, inventions, relays, verdicts, episodes] = await Promise.all([
    run<BestSoFarRow>(bestSoFar(config)),
    orEmpty(run<Record<string, unknown>>(tieSpec())),
    run<{ value: number | null }>(baselineScore(config)),
    orEmpty(run<InventionRow>(inventionCandidates())),
    orEmpty(run<RelayOutcomeRow>(relayOutcomes())),
    orEmpty(run<VerdictRow>(rejectedClaims())),
    orEmpty(run<EpisodeMomentRow>(episodeMoments())),
  ]);
  const scope: BestScope = f.verified ? 'verified' : 'verified-pending';
  const tie = tieFromRow(tieRows[0]);
  return {
    scope,
    higherIsBetter: config.higher_is_better,
    rows,
    steps: storySteps(rows, scope, tie, config.higher_is_better),
    tie,
    baseline: base[0]?.value ?? null,
    inventions,
    relays,
    verdicts,
    episodes,
  };
}

/** Steps that count as records: beyond the noise, or (noise unknown) as they stand; the first result is not a record. */
export const isRecord = (s: BestStep<unknown>): boolean => s.gainClass === 'beyond' || s.gainClass === 'unknown';

/** The current best: the last step, or null before any eligible result. */
export const currentBest = (story: Pick<Story, 'steps'>): BestStep<BestSoFarRow> | null => story.steps.at(-1) ?? null;

/** Who led when: consecutive record-setting steps by one agent merged into a span (the first result opens the first). */
export interface LeadSpan {
  agent: string | null;
  from: string;
  best: number;
  records: number;
}

export function leadSpans(steps: readonly BestStep<BestSoFarRow>[]): LeadSpan[] {
  const spans: LeadSpan[] = [];
  for (const s of steps) {
    if (s.gainClass !== 'first' && !isRecord(s)) continue;
    const last = spans.at(-1);
    if (last && last.agent === s.item.agent) {
      last.best = s.score;
      last.records += 1;
    } else spans.push({ agent: s.item.agent, from: s.item.ts, best: s.score, records: s.gainClass === 'first' ? 0 : 1 });
  }
  return spans;
}
