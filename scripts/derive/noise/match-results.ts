// Noise rule 4: posted results against the run buckets (job id, submission, score), else a measurement of their own.
import type { ResultRow } from '../../../src/lib/schema/core.ts';
import type { ResultBucketRow } from '../../../src/lib/schema/noise.ts';
import { bucketsOf } from './buckets.ts';
import { byTime, isNum, resultMeasurement, type Bucket, type Member, type RunMeasurements } from './members.ts';

/** A result and the bucket it belongs to; `run` is the member that stands for it (matched run, or its own). */
export interface Match {
  bucket: Bucket | null;
  kind: ResultBucketRow['join_kind'];
  run: Member | null;
  result: ResultRow;
}

/** Look-ups over the run buckets that rule 4 matches against. */
interface RunIndex {
  runByJob: ReadonlyMap<string, Member>;
  bucketById: ReadonlyMap<string, Bucket>;
  runBucketsByPrefix: ReadonlyMap<string, Bucket[]>;
  runsByAgent: ReadonlyMap<string, Member[]>;
}

/** Does a run's full-precision score round to the posted value at the posted value's precision? */
export function scoreMatches(posted: number, run: number): boolean {
  const s = String(Math.abs(posted));
  if (/e/i.test(s)) return Math.abs(posted - run) <= 1e-9 * Math.max(1, Math.abs(posted));
  const decimals = s.includes('.') ? s.length - s.indexOf('.') - 1 : 0;
  const tol = decimals >= 9 ? 1e-9 * Math.max(1, Math.abs(posted)) : 0.5 * 10 ** -decimals + 1e-9 * Math.max(1, Math.abs(posted));
  return Math.abs(posted - run) <= tol;
}

/**
 * Rule 4 over results in filename order: each result's match (a–d), then the earliest result quoting a run names
 * it (result_filename), then the unmatched `agent-run` results are bucketed (rule 3) and every match gets its bucket.
 */
export function matchResults(
  sortedResults: readonly ResultRow[],
  runs: RunMeasurements,
  runBuckets: readonly Bucket[],
): { matches: Match[]; resultBuckets: Bucket[] } {
  const index = runIndex(runs, runBuckets);
  const matches: Match[] = [];
  for (const res of sortedResults) {
    const m = matchResult(res, index);
    if (m) matches.push(m);
  }
  // Results that quote a run: earliest result wins the run's result_filename.
  for (const mt of matches) if (mt.run && mt.run.source === 'run' && mt.run.resultFilename === null) mt.run.resultFilename = mt.result.filename;
  const resultBuckets = bucketsOf(matches.filter((mt) => mt.bucket === null).map((mt) => mt.run!));
  const bucketById = new Map(index.bucketById);
  for (const b of resultBuckets) bucketById.set(b.id, b);
  for (const mt of matches) if (!mt.bucket) mt.bucket = bucketById.get(mt.run!.bucketId!)!;
  return { matches, resultBuckets };
}

function runIndex(runs: RunMeasurements, runBuckets: readonly Bucket[]): RunIndex {
  const bucketById = new Map(runBuckets.map((b) => [b.id, b]));
  const runBucketsByPrefix = new Map<string, Bucket[]>();
  for (const b of runBuckets) {
    const prefixes = new Set(b.members.map((m) => m.prefix).filter((p): p is string => p !== null));
    for (const p of prefixes) runBucketsByPrefix.set(p, [...(runBucketsByPrefix.get(p) ?? []), b]);
  }
  const runsByAgent = new Map<string, Member[]>();
  for (const m of runs.members) if (m.agent) runsByAgent.set(m.agent, [...(runsByAgent.get(m.agent) ?? []), m]);
  return { runByJob: runs.runByJob, bucketById, runBucketsByPrefix, runsByAgent };
}

/** The first of rules 4a–4d that matches a result, or null (no finite score; d only for `agent-run`). */
function matchResult(res: ResultRow, ix: RunIndex): Match | null {
  if (!isNum(res.score)) return null;
  const posted = res.score;
  const run = jobIdRun(res, posted, ix.runByJob);
  if (run) return { bucket: ix.bucketById.get(run.bucketId!)!, kind: 'job_id', run, result: res };
  const byPrefix = res.submission_prefix ? ix.runBucketsByPrefix.get(res.submission_prefix) : undefined;
  if (byPrefix?.length) {
    const sm = latestScoreRun(byPrefix.flatMap((b) => b.members), res, posted);
    const b = (sm ? ix.bucketById.get(sm.bucketId!) : undefined) ?? submissionBucket(byPrefix, res);
    return { bucket: b, kind: 'submission', run: sm, result: res };
  }
  const sm = res.agent ? latestScoreRun(ix.runsByAgent.get(res.agent) ?? [], res, posted) : null;
  if (sm) return { bucket: ix.bucketById.get(sm.bucketId!)!, kind: 'score', run: sm, result: res };
  if (res.status !== 'agent-run') return null;
  const m = resultMeasurement(res, posted);
  return { bucket: null, kind: m.kind === 'submission' ? 'submission' : 'method', run: m, result: res };
}

/** 4a: a run whose job id the result quotes and whose agent is the result's author (a score match wins among several). */
function jobIdRun(res: ResultRow, posted: number, runByJob: ReadonlyMap<string, Member>): Member | null {
  let run: Member | null = null;
  for (const j of res.job_ids ?? []) {
    const m = runByJob.get(j);
    if (m && (m.agent === null || m.agent === res.agent) && (run === null || (!scoreMatches(posted, run.score) && scoreMatches(posted, m.score)))) run = m;
  }
  return run;
}

/** 4b without a score match: the newest bucket of the prefix that started before the result, else the largest. */
function submissionBucket(byPrefix: readonly Bucket[], res: ResultRow): Bucket {
  const started = byPrefix
    .map((x) => ({ x, first: [...x.members].sort(byTime)[0]!.ts }))
    .filter((o) => o.first !== null && res.ts !== null && o.first <= res.ts)
    .sort((p, q) => (p.first! < q.first! ? 1 : p.first! > q.first! ? -1 : p.x.id < q.x.id ? -1 : 1));
  return started[0]?.x ?? [...byPrefix].sort((p, q) => q.members.length - p.members.length || (p.id < q.id ? -1 : 1))[0]!;
}

/** 4c: the latest run of the result's agent, at or before the result, whose score rounds to the posted value. */
function latestScoreRun(cands: readonly Member[], res: ResultRow, posted: number): Member | null {
  let best: Member | null = null;
  for (const m of cands) {
    if (m.agent !== res.agent || !scoreMatches(posted, m.score)) continue;
    if (m.ts && res.ts && m.ts > res.ts) continue;
    if (!best || byTime(best, m) < 0) best = m; // the latest matching run before the result
  }
  return best;
}
