// Noise buckets and significance: repeat runs of one submission → run-to-run σ, tie threshold, tie groups, verifier gaps.
//
// RULES (the methods page quotes this block; keep it in step with the code)
//
// 1. Measurements [runMeasurements, resultMeasurement]. Every run dir with a finite score (runs.score, the configured score field) is one
//    measurement. A job under two run dirs (runs.duplicate_of set) counts once: the canonical dir is the
//    measurement, the other names go to noise_runs.also_as. A posted `agent-run` result is a measurement of
//    its own only when it matches no run dir (rule 4); otherwise it is the same measurement as that run.
//    Run dirs with neither a manifest nor a submission prefix cannot be identified and stay out of buckets
//    (there is no method string on a run).
// 2. Bucket identity key, strongest first (key_kind) [runIdentity, resultIdentity]:
//    - manifest:     runs.manifest_sha (sha256 of the canonical manifest JSON) + "@" + runs.submission_prefix.
//                    The prefix is part of the key because the manifest does not hash the files behind it:
//                    itaca measured the same code from another agent's bucket 0.70 % off against 0.19 %
//                    within one bucket, and a "bucket" is an identical submission (flowian).
//    - submission:   runs.submission_prefix (run without a manifest), or results.submission_prefix for a
//                    result-only measurement.
//    - agent-method: (agent, method) of a result with neither (repeated method strings are common, so this is
//                    the weakest key; the page can filter on key_kind).
// 3. Level-shift split ("same manifest ≠ same submission") [bucketsOf, splitAtShifts]. Files behind a prefix can change while the
//    manifest stays the same: runs/hp-engine-run1 and -run2 share a manifest but score 237.68 and 288.31.
//    Within every identity key, members are walked in time order (finished, else launched; result stamp) and
//    a new segment starts when a score differs from the running median of the current segment by more than
//    SHIFT_REL (10 %) of that median. Run-to-run noise is 0.2–1 % (itaca, flowian, JP), and the 14 real runs
//    of vllm-hayai-repro-v1 stay within 3.1 % of their running median, so a 10 % jump is a different
//    submission, not noise. Each segment is a bucket. (A relative rule assumes a positive, ratio-scale score,
//    as the leaderboard's "score > 0" eligibility does.)
//    A split by date, as data-formats §5 suggests, was rejected: hp-engine-run1/2 ran 24 minutes apart on one
//    day, while the genuine 14-run vllm-hayai-repro-v1 bucket spans three days and would be cut in three.
//    Shifts smaller than 10 % are not split but show up as `wide` (range > WIDE_SIGMAS · pooled σ).
// 4. Results → buckets (result_buckets), first rule that matches [matchResults, resultBucketRows]:
//    a. job_id:     [jobIdRun] a 24-hex job id quoted in the result equals a run's job id, and the run's agent is the
//                   result's author (results also quote other agents' jobs as credit);
//    b. submission: [submissionBucket] the result's submission prefix equals the prefix of a bucket's runs; with several
//                   buckets (several manifests or segments), the one holding a run whose score matches the
//                   posted value (rule c), else the newest bucket that started before the result, else the
//                   largest;
//    c. score:      [latestScoreRun] a run of the same agent, at or before the result's time, whose score rounds to the posted
//                   value at the posted precision (506.74 ↔ 506.7445…): the posted number is that run;
//    d. method:     [resultMeasurement] otherwise an `agent-run` result is its own measurement, in a submission or agent-method
//                   bucket (rule 2). Other statuses with no run match get no row.
//    rank_in_bucket is the posted value's rank among the bucket's members (1 = best in the configured
//    direction; for a, c the matched run's rank); is_bucket_max marks rank 1 with n ≥ 2: the posted number is
//    the bucket's luckiest draw (JP: "report the reproducible number, not the noise-high").
// 5. [poolSigma] Pooled σ = sqrt(Σ(nᵢ−1)·sᵢ² / Σ(nᵢ−1)) over buckets with n ≥ 2 (data-formats §5 step 3), in score
//    units. Basis: the run-dir buckets whenever any of them has n ≥ 2 ("all agent-run results, or all run
//    dirs when available"); result-only buckets are listed but not pooled then, because posted results of
//    one submission mix agents' buckets, reposts and versions (itaca: 0.70 % across buckets against 0.19 %
//    within one). Only an export without repeat run dirs pools its result-only buckets. Tie threshold =
//    z·σ·√2 with z = 2 (flowian: a pair is "likely real" above |z| = 2). With no bucket of n ≥ 2 there is no
//    σ and no threshold (nulls), and every frontier result is its own group.
// 5a. How sure is σ [sigmaInterval]. Both σ and the threshold get a 95 % interval (CI_LEVEL): df·s²/σ² is χ² with df = Σ(nᵢ−1)
//    degrees of freedom for normal runs of one common spread, so σ lies in σ̂·√(df/χ²(0.975; df)) … σ̂·√(df/χ²(0.025; df));
//    the threshold's interval is z·√2 times that (z is fixed). Each bucket gets the same interval with df = n − 1
//    (sd_lo, sd_hi). At 15 df (the real export) the interval is −26 % … +55 % around σ̂; at 30 df −20 % … +34 %.
//    The tie walk (rule 6) is also run at both ends of the threshold's interval (top_group_lo / _hi).
// 5b. Few buckets (rests_on_few) [restsOnFew]. σ and the threshold rest on few buckets when fewer than MIN_BUCKETS (5) buckets
//    are pooled, or the pool has fewer than MIN_DF (30) degrees of freedom, or one bucket holds more than
//    MAX_SS_SHARE (½) of the pooled sum of squares (σ is then mostly that one bucket's sd): σ describes a handful
//    of submissions, not the collaboration's run-to-run noise, and its interval is wide. The page says so in one
//    sentence. Null without σ.
// 5c. Can the buckets be pooled [spreadsDiffer, bucketShares]. Pooling assumes every bucket has the same run-to-run σ. Bartlett's test of equal
//    variances over the pooled buckets (each bucket's runs; buckets whose runs are all equal are left out, since
//    ln 0 is undefined) gives spreads_differ = p < 0.05 (EQUAL_SPREAD_ALPHA). Bartlett assumes normal runs and has
//    little power when buckets have 1–2 df, so p ≥ 0.05 means "no evidence of different spreads", not "equal".
//    Which buckets dominate: each pooled bucket's share of the df, (n−1)/Σ(n−1), and of the sum of squares,
//    (n−1)s²/Σ(n−1)s² (df_share, ss_share); the summary names the bucket with the largest sum-of-squares share.
// 6. Tie groups [frontierOf, tieWalk, tieGroupRows, topGroupAt]. Frontier = each agent's best `agent-run` result (score > 0, not a baseline, verification not
//    `invalid`, secondary metric not over the cap: ties.ts eligibleForBest, as the leaderboard's default view), ordered best first by the configured direction, ties to the
//    earlier stamp, then filename. Walk down: the first result opens group 1 and is its top; a result joins
//    the current group while |score − group top| ≤ tie threshold, else it opens the next group and becomes
//    its top. Members of a group share rank = 1 + results in better groups (competition ranking).
//    top_group_lo / top_group_hi: results tied for first with the threshold at the low / high end of its interval.
// 7. Verifier gaps [verifierGaps]. Messages with verdict_result and verdict_rerun: reported = verdict_reported, else the
//    result's posted score; gap = (rerun − reported) / reported; within tolerance when |gap| ≤
//    config.verifier_tolerance.
// The tables: bucketRows (noise_buckets, noise_runs), resultBucketRows, tieGroupRows, verifierGaps, summaryRow.
// Nothing here knows the score is TPS: the direction, labels and tolerance come from the configuration.
import type { CollabConfig } from '../../../src/lib/config.ts';
import {
  NOISE_TABLES,
  type NoiseBucketRow,
  type NoiseRunRow,
  type NoiseSummaryRow,
  type ResultBucketRow,
  type TieGroupRow,
  type VerifyGapRow,
} from '../../../src/lib/schema/noise.ts';
import type { CoreTables } from '../../ingest/ingest.ts';
import type { Derivation } from '../index.ts';
import { bucketsOf } from './buckets.ts';
import { matchResults } from './match-results.ts';
import { byFilename, runMeasurements } from './members.ts';
import { poolCertainty, poolSigma } from './pooling.ts';
import { bucketRows, resultBucketRows, summaryRow } from './rows.ts';
import { frontierOf, tieGroupRows, tieWalk, topGroupAt } from './tie-groups.ts';
import { verifierGaps } from './verify-gaps.ts';

export { SHIFT_REL, splitAtShifts } from './buckets.ts';
export { scoreMatches } from './match-results.ts';
export { resultIdentity, runIdentity, runTime, type KeyKind } from './members.ts';
export { MAX_SS_SHARE, MIN_BUCKETS, MIN_DF } from './pooling.ts';
export { WIDE_SIGMAS } from './rows.ts';
export { tieWalk } from './tie-groups.ts';

export interface NoiseTables {
  noise_buckets: NoiseBucketRow[];
  noise_runs: NoiseRunRow[];
  result_buckets: ResultBucketRow[];
  tie_groups: TieGroupRow[];
  noise_summary: NoiseSummaryRow[];
  verify_gaps: VerifyGapRow[];
}

/** The rules above, in order. */
export function deriveNoise(core: Pick<CoreTables, 'runs' | 'results' | 'messages'>, config: CollabConfig): NoiseTables {
  const hib = config.higher_is_better;
  const sortedResults = [...core.results].sort(byFilename);
  // Rules 1–3 on run dirs first, so results are matched against finished buckets.
  const runs = runMeasurements(core.runs);
  const runBuckets = bucketsOf(runs.members);
  // Rule 4; unmatched agent-run results are measurements of their own, bucketed after the run dirs' buckets.
  const { matches, resultBuckets } = matchResults(sortedResults, runs, runBuckets);
  const buckets = [...runBuckets, ...resultBuckets];
  // Rules 5–5c.
  const pool = poolSigma(buckets);
  const certainty = poolCertainty(pool);
  const { noiseBuckets, noiseRuns } = bucketRows(buckets, pool, certainty.share, hib);
  // Rule 6.
  const frontier = frontierOf(sortedResults, hib);
  const groups = tieWalk(frontier, pool.threshold);
  // Rule 7.
  const verifyGaps = verifierGaps(core.messages, core.results, config);
  const ties = {
    frontier: frontier.length,
    groups: groups.length,
    topGroupSize: groups[0]?.length ?? 0,
    topGroupLo: topGroupAt(frontier, certainty.thresholdCi?.lo),
    topGroupHi: topGroupAt(frontier, certainty.thresholdCi?.hi),
  };
  const summary = summaryRow(
    { runCount: core.runs.length, runs, buckets, noiseBuckets, noiseRuns, pool, certainty, ties, verifyGaps },
    config,
  );
  return {
    noise_buckets: noiseBuckets,
    noise_runs: noiseRuns,
    result_buckets: resultBucketRows(matches, pool, hib),
    tie_groups: tieGroupRows(groups),
    noise_summary: [summary],
    verify_gaps: verifyGaps,
  };
}

export const noiseDerivation: Derivation = {
  name: 'noise',
  tables: NOISE_TABLES,
  inputs: ['runs', 'results', 'messages'],
  run: (core, config) => deriveNoise(core, config) as unknown as Record<string, Record<string, unknown>[]>,
};
