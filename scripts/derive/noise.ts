// Noise buckets and significance: repeat runs of one submission → run-to-run σ, tie threshold, tie groups, verifier gaps.
//
// RULES (the methods page quotes this block; keep it in step with the code)
//
// 1. Measurements. Every run dir with a finite score (runs.score, the configured score field) is one
//    measurement. A job under two run dirs (runs.duplicate_of set) counts once: the canonical dir is the
//    measurement, the other names go to noise_runs.also_as. A posted `agent-run` result is a measurement of
//    its own only when it matches no run dir (rule 4); otherwise it is the same measurement as that run.
//    Run dirs with neither a manifest nor a submission prefix cannot be identified and stay out of buckets
//    (there is no method string on a run).
// 2. Bucket identity key, strongest first (key_kind):
//    - manifest:     runs.manifest_sha (sha256 of the canonical manifest JSON) + "@" + runs.submission_prefix.
//                    The prefix is part of the key because the manifest does not hash the files behind it:
//                    itaca measured the same code from another agent's bucket 0.70 % off against 0.19 %
//                    within one bucket, and a "bucket" is an identical submission (flowian).
//    - submission:   runs.submission_prefix (run without a manifest), or results.submission_prefix for a
//                    result-only measurement.
//    - agent-method: (agent, method) of a result with neither (repeated method strings are common, so this is
//                    the weakest key; the page can filter on key_kind).
// 3. Level-shift split ("same manifest ≠ same submission"). Files behind a prefix can change while the
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
// 4. Results → buckets (result_buckets), first rule that matches:
//    a. job_id:     a 24-hex job id quoted in the result equals a run's job id, and the run's agent is the
//                   result's author (results also quote other agents' jobs as credit);
//    b. submission: the result's submission prefix equals the prefix of a bucket's runs; with several
//                   buckets (several manifests or segments), the one holding a run whose score matches the
//                   posted value (rule c), else the newest bucket that started before the result, else the
//                   largest;
//    c. score:      a run of the same agent, at or before the result's time, whose score rounds to the posted
//                   value at the posted precision (506.74 ↔ 506.7445…): the posted number is that run;
//    d. method:     otherwise an `agent-run` result is its own measurement, in a submission or agent-method
//                   bucket (rule 2). Other statuses with no run match get no row.
//    rank_in_bucket is the posted value's rank among the bucket's members (1 = best in the configured
//    direction; for a, c the matched run's rank); is_bucket_max marks rank 1 with n ≥ 2: the posted number is
//    the bucket's luckiest draw (JP: "report the reproducible number, not the noise-high").
// 5. Pooled σ = sqrt(Σ(nᵢ−1)·sᵢ² / Σ(nᵢ−1)) over buckets with n ≥ 2 (data-formats §5 step 3), in score
//    units. Basis: the run-dir buckets whenever any of them has n ≥ 2 ("all agent-run results, or all run
//    dirs when available"); result-only buckets are listed but not pooled then, because posted results of
//    one submission mix agents' buckets, reposts and versions (itaca: 0.70 % across buckets against 0.19 %
//    within one). Only an export without repeat run dirs pools its result-only buckets. Tie threshold =
//    z·σ·√2 with z = 2 (flowian: a pair is "likely real" above |z| = 2). With no bucket of n ≥ 2 there is no
//    σ and no threshold (nulls), and every frontier result is its own group.
// 5a. How sure is σ. Both σ and the threshold get a 95 % interval (CI_LEVEL): df·s²/σ² is χ² with df = Σ(nᵢ−1)
//    degrees of freedom for normal runs of one common spread, so σ lies in σ̂·√(df/χ²(0.975; df)) … σ̂·√(df/χ²(0.025; df));
//    the threshold's interval is z·√2 times that (z is fixed). Each bucket gets the same interval with df = n − 1
//    (sd_lo, sd_hi). At 15 df (the real export) the interval is −26 % … +55 % around σ̂; at 30 df −20 % … +34 %.
//    The tie walk (rule 6) is also run at both ends of the threshold's interval (top_group_lo / _hi).
// 5b. Few buckets (rests_on_few). σ and the threshold rest on few buckets when fewer than MIN_BUCKETS (5) buckets
//    are pooled, or the pool has fewer than MIN_DF (30) degrees of freedom, or one bucket holds more than
//    MAX_SS_SHARE (½) of the pooled sum of squares (σ is then mostly that one bucket's sd): σ describes a handful
//    of submissions, not the collaboration's run-to-run noise, and its interval is wide. The page says so in one
//    sentence. Null without σ.
// 5c. Can the buckets be pooled. Pooling assumes every bucket has the same run-to-run σ. Bartlett's test of equal
//    variances over the pooled buckets (each bucket's runs; buckets whose runs are all equal are left out, since
//    ln 0 is undefined) gives spreads_differ = p < 0.05 (EQUAL_SPREAD_ALPHA). Bartlett assumes normal runs and has
//    little power when buckets have 1–2 df, so p ≥ 0.05 means "no evidence of different spreads", not "equal".
//    Which buckets dominate: each pooled bucket's share of the df, (n−1)/Σ(n−1), and of the sum of squares,
//    (n−1)s²/Σ(n−1)s² (df_share, ss_share); the summary names the bucket with the largest sum-of-squares share.
// 6. Tie groups. Frontier = each agent's best `agent-run` result (score > 0, not a baseline, verification not
//    `invalid`, as the leaderboard's default view), ordered best first by the configured direction, ties to the
//    earlier stamp, then filename. Walk down: the first result opens group 1 and is its top; a result joins
//    the current group while |score − group top| ≤ tie threshold, else it opens the next group and becomes
//    its top. Members of a group share rank = 1 + results in better groups (competition ranking).
//    top_group_lo / top_group_hi: results tied for first with the threshold at the low / high end of its interval.
// 7. Verifier gaps. Messages with verdict_result and verdict_rerun: reported = verdict_reported, else the
//    result's posted score; gap = (rerun − reported) / reported; within tolerance when |gap| ≤
//    config.verifier_tolerance.
// Nothing here knows the score is TPS: the direction, labels and tolerance come from the configuration.
import { createHash } from 'node:crypto';
import type { CollabConfig } from '../../src/lib/config.ts';
import type { MessageRow, ResultRow, RunRow } from '../../src/lib/schema/core.ts';
import {
  NOISE_TABLES,
  type NoiseBucketRow,
  type NoiseRunRow,
  type NoiseSummaryRow,
  type ResultBucketRow,
  type TieGroupRow,
  type VerifyGapRow,
} from '../../src/lib/schema/noise.ts';
import { CI_LEVEL, EQUAL_SPREAD_ALPHA, equalSpreads, sdInterval } from '../../src/lib/stats/pooling.ts';
import { median, pooledSd, summarize, tieThreshold, TIE_Z } from '../../src/lib/stats/significance.ts';
import type { CoreTables } from '../ingest/ingest.ts';
import type { Derivation } from './index.ts';

/** Relative jump from the running segment median that starts a new segment (rule 3). */
export const SHIFT_REL = 0.1;
/** A bucket whose range exceeds this many pooled σ is flagged `wide`. */
export const WIDE_SIGMAS = 6;
/** Rule 5b: σ rests on few buckets below this many pooled buckets, … */
export const MIN_BUCKETS = 5;
/** … below this many degrees of freedom, … */
export const MIN_DF = 30;
/** … or when one bucket holds more than this share of the pooled sum of squares. */
export const MAX_SS_SHARE = 0.5;

export type KeyKind = 'manifest' | 'submission' | 'agent-method';

export interface NoiseTables {
  noise_buckets: NoiseBucketRow[];
  noise_runs: NoiseRunRow[];
  result_buckets: ResultBucketRow[];
  tie_groups: TieGroupRow[];
  noise_summary: NoiseSummaryRow[];
  verify_gaps: VerifyGapRow[];
}

interface Member {
  id: string; // runs/<dir> or results/<filename>
  source: 'run' | 'result';
  key: string;
  kind: KeyKind;
  label: string;
  agent: string | null;
  jobId: string | null;
  score: number;
  ts: string | null;
  resultFilename: string | null;
  alsoAs: string[];
  prefix: string | null;
  bucketId?: string;
}

interface Bucket {
  id: string;
  key: string;
  kind: KeyKind;
  segment: number;
  segments: number;
  baseLabel: string;
  members: Member[];
}

const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

export const runTime = (r: Pick<RunRow, 'finished_at' | 'created_at' | 'ready_at'>): string | null =>
  r.finished_at ?? r.created_at ?? r.ready_at ?? null;

/** Identity key of a run (rule 2), or null when the run cannot be identified. */
export function runIdentity(r: Pick<RunRow, 'manifest_sha' | 'submission_prefix' | 'manifest_name'>): { key: string; kind: KeyKind; label: string } | null {
  if (r.manifest_sha) {
    return {
      key: `manifest:${r.manifest_sha}@${r.submission_prefix ?? ''}`,
      kind: 'manifest',
      label: r.submission_prefix ?? r.manifest_name ?? `manifest ${r.manifest_sha.slice(0, 12)}`,
    };
  }
  if (r.submission_prefix) return { key: `submission:${r.submission_prefix}`, kind: 'submission', label: r.submission_prefix };
  return null;
}

/** Identity key of a result that stands for its own run (rule 2). */
export function resultIdentity(r: Pick<ResultRow, 'submission_prefix' | 'agent' | 'method'>): { key: string; kind: KeyKind; label: string } {
  if (r.submission_prefix) return { key: `submission:${r.submission_prefix}`, kind: 'submission', label: r.submission_prefix };
  const agent = r.agent ?? '(unknown agent)';
  const method = r.method ?? '(no method)';
  return { key: `method:${agent}/${method}`, kind: 'agent-method', label: `${agent} · ${method}` };
}

/** Does a run's full-precision score round to the posted value at the posted value's precision? */
export function scoreMatches(posted: number, run: number): boolean {
  const s = String(Math.abs(posted));
  if (/e/i.test(s)) return Math.abs(posted - run) <= 1e-9 * Math.max(1, Math.abs(posted));
  const decimals = s.includes('.') ? s.length - s.indexOf('.') - 1 : 0;
  const tol = decimals >= 9 ? 1e-9 * Math.max(1, Math.abs(posted)) : 0.5 * 10 ** -decimals + 1e-9 * Math.max(1, Math.abs(posted));
  return Math.abs(posted - run) <= tol;
}

/** Split members (already in time order) at level shifts (rule 3). */
export function splitAtShifts<T extends { score: number }>(members: readonly T[], shiftRel: number = SHIFT_REL): T[][] {
  const out: T[][] = [];
  let cur: T[] = [];
  for (const m of members) {
    if (cur.length > 0) {
      const ref = median(cur.map((x) => x.score))!;
      if (Math.abs(m.score - ref) > shiftRel * Math.abs(ref)) {
        out.push(cur);
        cur = [];
      }
    }
    cur.push(m);
  }
  if (cur.length) out.push(cur);
  return out;
}

const byTime = (a: { ts: string | null; id: string }, b: { ts: string | null; id: string }): number =>
  a.ts === b.ts ? (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) : a.ts === null ? 1 : b.ts === null ? -1 : a.ts < b.ts ? -1 : 1;

const bucketIdOf = (key: string, segment: number): string =>
  `nb_${createHash('sha256').update(`${key}#${segment}`).digest('hex').slice(0, 10)}`;

/** Competition rank of `value` among `scores` (1 = best in the configured direction). */
function rankOf(value: number, scores: readonly number[], higherIsBetter: boolean): number {
  let better = 0;
  for (const s of scores) if (higherIsBetter ? s > value : s < value) better += 1;
  return better + 1;
}

/** Rule 6: walk the frontier (best first) into tie groups; each group's first result is its top. No threshold: every result alone. */
export function tieWalk<T extends { score: number | null }>(frontier: readonly T[], threshold: number | null): T[][] {
  const groups: T[][] = [];
  for (const r of frontier) {
    const g = groups.at(-1);
    if (g && threshold !== null && Math.abs(r.score! - g[0]!.score!) <= threshold) g.push(r);
    else groups.push([r]);
  }
  return groups;
}

export function deriveNoise(core: Pick<CoreTables, 'runs' | 'results' | 'messages'>, config: CollabConfig): NoiseTables {
  const hib = config.higher_is_better;
  const better = (a: number, b: number): number => (hib ? b - a : a - b); // sort comparator, best first

  // --- rule 1: run measurements ---
  const alsoAs = new Map<string, string[]>();
  let duplicatesExcluded = 0;
  for (const r of core.runs) {
    if (r.duplicate_of === null) continue;
    duplicatesExcluded += 1;
    alsoAs.set(r.duplicate_of, [...(alsoAs.get(r.duplicate_of) ?? []), r.run_dir].sort());
  }
  const members: Member[] = [];
  const runMember = new Map<string, Member>();
  const runByJob = new Map<string, Member>();
  let unidentified = 0;
  for (const r of [...core.runs].sort((a, b) => (a.run_dir < b.run_dir ? -1 : 1))) {
    if (r.duplicate_of !== null || !isNum(r.score)) continue;
    const id = runIdentity(r);
    if (!id) {
      unidentified += 1;
      continue;
    }
    const m: Member = {
      id: r.run_dir,
      source: 'run',
      ...id,
      agent: r.agent,
      jobId: r.job_id,
      score: r.score,
      ts: runTime(r),
      resultFilename: null,
      alsoAs: alsoAs.get(r.run_dir) ?? [],
      prefix: r.submission_prefix,
    };
    members.push(m);
    runMember.set(r.run_dir, m);
    if (r.job_id) runByJob.set(r.job_id, m);
  }
  // Duplicate dirs point at the canonical member through their job id too.
  for (const r of core.runs) if (r.duplicate_of && r.job_id && !runByJob.has(r.job_id)) {
    const m = runMember.get(r.duplicate_of);
    if (m) runByJob.set(r.job_id, m);
  }

  // --- rule 3 on run members, so results can be matched against finished buckets ---
  const buckets: Bucket[] = [];
  const buildBuckets = (list: Member[]): void => {
    const byKey = new Map<string, Member[]>();
    for (const m of list) byKey.set(m.key, [...(byKey.get(m.key) ?? []), m]);
    for (const [key, ms] of [...byKey].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
      const parts = splitAtShifts([...ms].sort(byTime));
      parts.forEach((part, i) => {
        const b: Bucket = {
          id: bucketIdOf(key, i + 1),
          key,
          kind: part[0]!.kind,
          segment: i + 1,
          segments: parts.length,
          baseLabel: part[0]!.label,
          members: part,
        };
        for (const m of part) m.bucketId = b.id;
        buckets.push(b);
      });
    }
  };
  buildBuckets(members);
  const bucketById = new Map(buckets.map((b) => [b.id, b]));
  const runBucketsByPrefix = new Map<string, Bucket[]>();
  for (const b of buckets) {
    const prefixes = new Set(b.members.map((m) => m.prefix).filter((p): p is string => p !== null));
    for (const p of prefixes) runBucketsByPrefix.set(p, [...(runBucketsByPrefix.get(p) ?? []), b]);
  }
  const runsByAgent = new Map<string, Member[]>();
  for (const m of members) if (m.agent) runsByAgent.set(m.agent, [...(runsByAgent.get(m.agent) ?? []), m]);

  // --- rule 4: results against run buckets; unmatched agent-run results become members ---
  type Match = { bucket: Bucket | null; kind: ResultBucketRow['join_kind']; run: Member | null; result: ResultRow };
  const matches: Match[] = [];
  const resultMembers: Member[] = [];
  const sortedResults = [...core.results].sort((a, b) => (a.filename < b.filename ? -1 : 1));
  for (const res of sortedResults) {
    if (!isNum(res.score)) continue;
    const posted = res.score;
    // a. job id quoted by the run's own agent
    let run: Member | null = null;
    for (const j of res.job_ids ?? []) {
      const m = runByJob.get(j);
      if (m && (m.agent === null || m.agent === res.agent) && (run === null || (!scoreMatches(posted, run.score) && scoreMatches(posted, m.score)))) run = m;
    }
    if (run) {
      matches.push({ bucket: bucketById.get(run.bucketId!)!, kind: 'job_id', run, result: res });
      continue;
    }
    const scoreRun = (cands: readonly Member[]): Member | null => {
      let best: Member | null = null;
      for (const m of cands) {
        if (m.agent !== res.agent || !scoreMatches(posted, m.score)) continue;
        if (m.ts && res.ts && m.ts > res.ts) continue;
        if (!best || byTime(best, m) < 0) best = m; // the latest matching run before the result
      }
      return best;
    };
    // b. submission prefix
    const byPrefix = res.submission_prefix ? runBucketsByPrefix.get(res.submission_prefix) : undefined;
    if (byPrefix?.length) {
      const sm = scoreRun(byPrefix.flatMap((b) => b.members));
      let b: Bucket | undefined = sm ? bucketById.get(sm.bucketId!) : undefined;
      if (!b) {
        const started = byPrefix
          .map((x) => ({ x, first: [...x.members].sort(byTime)[0]!.ts }))
          .filter((o) => o.first !== null && res.ts !== null && o.first <= res.ts)
          .sort((p, q) => (p.first! < q.first! ? 1 : p.first! > q.first! ? -1 : p.x.id < q.x.id ? -1 : 1));
        b = started[0]?.x ?? [...byPrefix].sort((p, q) => q.members.length - p.members.length || (p.id < q.id ? -1 : 1))[0]!;
      }
      matches.push({ bucket: b, kind: 'submission', run: sm, result: res });
      continue;
    }
    // c. a run of the same agent whose score rounds to the posted value
    const sm = res.agent ? scoreRun(runsByAgent.get(res.agent) ?? []) : null;
    if (sm) {
      matches.push({ bucket: bucketById.get(sm.bucketId!)!, kind: 'score', run: sm, result: res });
      continue;
    }
    // d. its own measurement
    if (res.status !== 'agent-run') continue;
    const id = resultIdentity(res);
    const m: Member = {
      id: `results/${res.filename}`,
      source: 'result',
      ...id,
      agent: res.agent,
      jobId: null,
      score: posted,
      ts: res.ts,
      resultFilename: res.filename,
      alsoAs: [],
      prefix: res.submission_prefix,
    };
    resultMembers.push(m);
    matches.push({ bucket: null, kind: id.kind === 'submission' ? 'submission' : 'method', run: m, result: res });
  }
  // Results that quote a run: earliest result wins the run's result_filename.
  for (const mt of matches) if (mt.run && mt.run.source === 'run' && mt.run.resultFilename === null) mt.run.resultFilename = mt.result.filename;
  buildBuckets(resultMembers);
  for (const b of buckets) bucketById.set(b.id, b);
  for (const mt of matches) if (!mt.bucket) mt.bucket = bucketById.get(mt.run!.bucketId!)!;

  // --- statistics per bucket and the pooled σ (rule 5) ---
  const stats = new Map(buckets.map((b) => [b.id, summarize(b.members.map((m) => m.score))]));
  const hasRun = (b: Bucket): boolean => b.members.some((m) => m.source === 'run');
  const runN2 = buckets.some((b) => hasRun(b) && stats.get(b.id)!.n >= 2);
  const pooledBasis = buckets.some((b) => stats.get(b.id)!.n >= 2) ? (runN2 ? 'runs' : 'results') : null;
  const inPooled = (b: Bucket): boolean => pooledBasis !== null && stats.get(b.id)!.n >= 2 && (pooledBasis === 'results' || hasRun(b));
  const pooledSet = buckets.filter(inPooled);
  const pooled = pooledSd(pooledSet.map((b) => ({ n: stats.get(b.id)!.n, sd: stats.get(b.id)!.sd })));
  const pooledCv = pooledSd(pooledSet.map((b) => ({ n: stats.get(b.id)!.n, sd: stats.get(b.id)!.cv })));
  const sigma = pooled?.sigma ?? null;
  const threshold = sigma === null ? null : tieThreshold(sigma, TIE_Z);

  // --- rules 5a–5c: how sure σ is, whether it rests on few buckets, whether the buckets can be pooled ---
  const sigmaCi = pooled ? sdInterval(pooled.sigma, pooled.df) : null;
  const thresholdCi = sigmaCi ? { lo: tieThreshold(sigmaCi.lo, TIE_Z), hi: tieThreshold(sigmaCi.hi, TIE_Z) } : null;
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
  const topSs = top ? (share.get(top.id)!.ss ?? 0) : 0;
  const restsOnFew = pooled === null ? null : pooled.groups < MIN_BUCKETS || pooled.df < MIN_DF || topSs > MAX_SS_SHARE;
  const spreads = equalSpreads(pooledSet.map((b) => b.members.map((m) => m.score)));

  const noiseBuckets: NoiseBucketRow[] = [];
  const noiseRuns: NoiseRunRow[] = [];
  for (const b of buckets) {
    const s = stats.get(b.id)!;
    const ordered = [...b.members].sort(byTime);
    const agents = new Set(ordered.map((m) => m.agent));
    const scores = ordered.map((m) => m.score);
    const rangeSigmas = s.range !== null && sigma !== null && sigma > 0 ? s.range / sigma : null;
    const sdCi = sdInterval(s.sd, s.n - 1);
    noiseBuckets.push({
      bucket_id: b.id,
      key: b.key,
      key_kind: b.kind,
      segment: b.segment,
      segments: b.segments,
      label: b.segments > 1 ? `${b.baseLabel} (part ${b.segment} of ${b.segments})` : b.baseLabel,
      agent: agents.size === 1 ? [...agents][0]! : null,
      n: s.n,
      n_results: ordered.filter((m) => m.source === 'result').length,
      mean: s.mean,
      sd: s.sd,
      min: s.min,
      max: s.max,
      range: s.range,
      cv: s.cv,
      median: s.median,
      range_sigmas: rangeSigmas,
      wide: rangeSigmas === null ? null : rangeSigmas > WIDE_SIGMAS,
      in_pooled: inPooled(b),
      sd_lo: sdCi?.lo ?? null,
      sd_hi: sdCi?.hi ?? null,
      df_share: share.get(b.id)?.df ?? null,
      ss_share: share.get(b.id)?.ss ?? null,
      first_ts: ordered.map((m) => m.ts).find((t) => t !== null) ?? null,
      last_ts: ordered.map((m) => m.ts).filter((t): t is string => t !== null).at(-1) ?? null,
      run_dirs: ordered.map((m) => m.id),
    });
    for (const m of ordered) {
      noiseRuns.push({
        run_dir: m.id,
        bucket_id: b.id,
        source: m.source,
        result_filename: m.resultFilename,
        agent: m.agent,
        job_id: m.jobId,
        score: m.score,
        ts: m.ts,
        rank_in_bucket: rankOf(m.score, scores, hib),
        also_as: m.alsoAs,
      });
    }
  }
  noiseBuckets.sort((a, b) => (a.bucket_id < b.bucket_id ? -1 : 1));
  noiseRuns.sort((a, b) => (a.bucket_id < b.bucket_id ? -1 : a.bucket_id > b.bucket_id ? 1 : byTime({ ts: a.ts, id: a.run_dir }, { ts: b.ts, id: b.run_dir })));

  const resultBuckets: ResultBucketRow[] = matches
    .map((mt) => {
      const b = mt.bucket!;
      const s = stats.get(b.id)!;
      const scores = b.members.map((m) => m.score);
      // For a matched run the posted value is that run (maybe rounded): use the run's own rank.
      const rank = rankOf(mt.run ? mt.run.score : mt.result.score!, scores, hib);
      const best = hib ? s.max! : s.min!;
      return {
        filename: mt.result.filename,
        agent: mt.result.agent,
        status: mt.result.status,
        bucket_id: b.id,
        join_kind: mt.kind,
        score: mt.result.score,
        bucket_n: s.n,
        bucket_median: s.median,
        bucket_best: best,
        excess_over_median: s.median === null ? null : (hib ? 1 : -1) * (mt.result.score! - s.median),
        rank_in_bucket: rank,
        is_bucket_max: rank === 1 && s.n >= 2,
      };
    })
    .sort((a, b) => (a.filename < b.filename ? -1 : 1));

  // --- rule 6: frontier and tie groups ---
  const bestPerAgent = new Map<string, ResultRow>();
  const frontierOrder = (a: ResultRow, b: ResultRow): number =>
    better(a.score!, b.score!) || (a.ts ?? '').localeCompare(b.ts ?? '') || (a.filename < b.filename ? -1 : a.filename > b.filename ? 1 : 0);
  for (const r of sortedResults) {
    if (r.status !== 'agent-run' || r.is_baseline === true || r.verification === 'invalid' || !isNum(r.score) || r.score <= 0) continue;
    const agent = r.agent ?? r.filename;
    const cur = bestPerAgent.get(agent);
    if (!cur || frontierOrder(r, cur) < 0) bestPerAgent.set(agent, r);
  }
  const frontier = [...bestPerAgent.values()].sort(frontierOrder);
  const groups = tieWalk(frontier, threshold);
  const topGroupAt = (thr: number | undefined): number | null => (thr === undefined ? null : (tieWalk(frontier, thr)[0]?.length ?? 0));
  const tieGroups: TieGroupRow[] = [];
  let ahead = 0;
  let position = 0;
  groups.forEach((g, gi) => {
    const scores = g.map((r) => r.score!);
    for (const r of g) {
      position += 1;
      tieGroups.push({
        position,
        filename: r.filename,
        group_id: gi + 1,
        rank: ahead + 1,
        agent: r.agent,
        score: r.score,
        method: r.method,
        verification: r.verification,
        ts: r.ts,
        delta_from_top: Math.abs(r.score! - g[0]!.score!),
        group_size: g.length,
        group_top: g[0]!.score,
        group_min: Math.min(...scores),
        group_max: Math.max(...scores),
      });
    }
    ahead += g.length;
  });

  // --- rule 7: verifier gaps ---
  const resultByName = new Map(core.results.map((r) => [r.filename, r]));
  const verifyGaps: VerifyGapRow[] = [];
  for (const msg of [...core.messages].sort((a, b) => (a.filename < b.filename ? -1 : 1)) as MessageRow[]) {
    if (!msg.verdict_result || !isNum(msg.verdict_rerun)) continue;
    const res = resultByName.get(msg.verdict_result);
    const reported = isNum(msg.verdict_reported) ? msg.verdict_reported : isNum(res?.score) ? res.score : null;
    const gap = reported !== null && reported !== 0 ? (msg.verdict_rerun - reported) / reported : null;
    verifyGaps.push({
      message: msg.filename,
      result_filename: msg.verdict_result,
      agent: res?.agent ?? /_([^_]+)\.md$/.exec(msg.verdict_result)?.[1] ?? null,
      ts: msg.ts,
      verdict: msg.verdict,
      reported,
      rerun: msg.verdict_rerun,
      rerun_secondary: msg.verdict_rerun_secondary,
      gap,
      abs_gap: gap === null ? null : Math.abs(gap),
      within_tolerance: gap === null ? null : Math.abs(gap) <= config.verifier_tolerance + 1e-12,
      tolerance: config.verifier_tolerance,
    });
  }

  const pooledRows = noiseBuckets.filter((b) => b.in_pooled === true);
  const summary: NoiseSummaryRow = {
    runs: noiseRuns.filter((r) => r.source === 'run').length,
    run_dirs: core.runs.length,
    buckets: buckets.filter(hasRun).length,
    results_as_runs: noiseRuns.filter((r) => r.source === 'result').length,
    result_only_buckets: buckets.filter((b) => !hasRun(b)).length,
    duplicates_excluded: duplicatesExcluded,
    runs_unidentified: unidentified,
    split_keys: new Set(noiseBuckets.filter((b) => (b.segments ?? 1) > 1).map((b) => b.key)).size,
    pooled_basis: pooledBasis,
    buckets_n2: pooledRows.length,
    runs_in_n2: pooledRows.reduce((a, b) => a + (b.n ?? 0), 0),
    pooled_df: pooled?.df ?? 0,
    pooled_sigma: sigma,
    pooled_cv: pooledCv?.sigma ?? null,
    median_bucket_sd: median(pooledRows.map((b) => b.sd)),
    z: TIE_Z,
    tie_threshold: threshold,
    ci_level: CI_LEVEL,
    sigma_lo: sigmaCi?.lo ?? null,
    sigma_hi: sigmaCi?.hi ?? null,
    threshold_lo: thresholdCi?.lo ?? null,
    threshold_hi: thresholdCi?.hi ?? null,
    min_buckets: MIN_BUCKETS,
    min_df: MIN_DF,
    max_ss_share: MAX_SS_SHARE,
    rests_on_few: restsOnFew,
    top_bucket_id: top?.id ?? null,
    top_df_share: top ? share.get(top.id)!.df : null,
    top_ss_share: top ? share.get(top.id)!.ss : null,
    bartlett_buckets: spreads?.groups ?? null,
    bartlett_stat: spreads?.statistic ?? null,
    bartlett_df: spreads?.df ?? null,
    bartlett_p: spreads?.p ?? null,
    bartlett_alpha: EQUAL_SPREAD_ALPHA,
    spreads_differ: spreads?.differ ?? null,
    frontier: frontier.length,
    tie_groups: groups.length,
    top_group_size: groups[0]?.length ?? 0,
    top_group_lo: topGroupAt(thresholdCi?.lo),
    top_group_hi: topGroupAt(thresholdCi?.hi),
    verify_gaps: verifyGaps.filter((g) => g.gap !== null).length,
    verify_within: verifyGaps.filter((g) => g.within_tolerance === true).length,
    score_label: config.score_label,
    unit: config.unit,
    higher_is_better: hib,
  };
  return {
    noise_buckets: noiseBuckets,
    noise_runs: noiseRuns,
    result_buckets: resultBuckets,
    tie_groups: tieGroups,
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
