// Noise rules 1–2: measurements (run dirs, and results standing for a run of their own) and their identity keys.
import type { ResultRow, RunRow } from '../../../src/lib/schema/core.ts';

export type KeyKind = 'manifest' | 'submission' | 'agent-method';

/** One measurement: a canonical run dir, or a posted result that matches no run dir. */
export interface Member {
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

/** Members of one identity key and segment (rule 3). */
export interface Bucket {
  id: string;
  key: string;
  kind: KeyKind;
  segment: number;
  segments: number;
  baseLabel: string;
  members: Member[];
}

/** Run members with the look-ups rule 4 matches results against, and what rule 1 left out. */
export interface RunMeasurements {
  members: Member[];
  runByJob: Map<string, Member>;
  duplicatesExcluded: number;
  unidentified: number;
}

export const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

/** Time order, no time last, then id. */
export const byTime = (a: { ts: string | null; id: string }, b: { ts: string | null; id: string }): number =>
  a.ts === b.ts ? (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) : a.ts === null ? 1 : b.ts === null ? -1 : a.ts < b.ts ? -1 : 1;

/** Filename order, the order results and messages are walked in. */
export const byFilename = (a: { filename: string }, b: { filename: string }): number => (a.filename < b.filename ? -1 : 1);

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

/** Rule 1: every canonical run dir with a finite score and an identity is a measurement; duplicates name it too. */
export function runMeasurements(runs: readonly RunRow[]): RunMeasurements {
  const alsoAs = new Map<string, string[]>();
  let duplicatesExcluded = 0;
  for (const r of runs) {
    if (r.duplicate_of === null) continue;
    duplicatesExcluded += 1;
    alsoAs.set(r.duplicate_of, [...(alsoAs.get(r.duplicate_of) ?? []), r.run_dir].sort());
  }
  const members: Member[] = [];
  const runMember = new Map<string, Member>();
  const runByJob = new Map<string, Member>();
  let unidentified = 0;
  for (const r of [...runs].sort((a, b) => (a.run_dir < b.run_dir ? -1 : 1))) {
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
  for (const r of runs) if (r.duplicate_of && r.job_id && !runByJob.has(r.job_id)) {
    const m = runMember.get(r.duplicate_of);
    if (m) runByJob.set(r.job_id, m);
  }
  return { members, runByJob, duplicatesExcluded, unidentified };
}

/** Rule 1 (and 4d): an `agent-run` result that matches no run dir is a measurement of its own. */
export function resultMeasurement(res: ResultRow, score: number): Member {
  return {
    id: `results/${res.filename}`,
    source: 'result',
    ...resultIdentity(res),
    agent: res.agent,
    jobId: null,
    score,
    ts: res.ts,
    resultFilename: res.filename,
    alsoAs: [],
    prefix: res.submission_prefix,
  };
}
