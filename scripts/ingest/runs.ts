// Run directories (scratch-bucket benchmark jobs) become one runs row each; duplicate jobs point at the kept dir.
import { createHash } from 'node:crypto';
import type { RunRow } from '../../src/lib/schema/core.ts';
import type { CollabConfig } from '../../src/lib/config.ts';
import { parseCompactStamp, parseIsoUtc, parseUnixSeconds } from './names.ts';
import { checkValue, flat, JSON_BUDGET } from './boundary.ts';
import { isObj, numOrNull, readJson, str, type InputFile, type Rejects } from './source.ts';

/** Small JSON records we parse; everything else in a run dir is listed in `files` only. */
export const PARSED = new Set([
  'summary.json',
  'job_status.json',
  'run_request.json',
  'run_environment.json',
  'server.json',
  'ppl_summary.json',
  'decode_summary.json',
  'eval_summary.json',
]);

/** Whether every object in `v` already lists its keys in sorted order (as written, or as V8 orders them). */
function keysInOrder(v: unknown): boolean {
  if (Array.isArray(v)) return v.every(keysInOrder);
  if (!isObj(v)) return true;
  const keys = Object.keys(v);
  for (let i = 1; i < keys.length; i++) if (!(keys[i - 1]! < keys[i]!)) return false;
  return keys.every((k) => keysInOrder(v[k]));
}

/**
 * Canonical JSON (sorted keys) so the same manifest always hashes the same. A parsed value whose keys are in order
 * already is what JSON.stringify writes (it follows Object.keys order), so that text is used as it is.
 */
export function canonicalJson(v: unknown): string {
  if (keysInOrder(v)) return JSON.stringify(v) ?? 'null';
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (isObj(v)) {
    const keys = Object.keys(v).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(v[k])}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

const BUCKET_URI_RE = /hf:\/\/buckets\/[A-Za-z0-9._-]+\/[A-Za-z0-9._-]+/g;

function agentFromPrefix(prefix: string | null): string | null {
  if (!prefix) return null;
  const m = /(?:^|\/)(?:submissions|results)\/([a-z0-9][a-z0-9-]*)\//.exec(`${prefix}/`);
  return m?.[1] ?? null;
}

export function groupRunDirs(files: InputFile[]): Map<string, InputFile[]> {
  const dirs = new Map<string, InputFile[]>();
  for (const f of files) {
    const dir = f.rel.slice(0, f.rel.lastIndexOf('/'));
    const list = dirs.get(dir) ?? [];
    list.push(f);
    dirs.set(dir, list);
  }
  return dirs;
}

/** Run folders in the order the ingest reads them: by folder path. */
export function runDirsInOrder(files: InputFile[]): [string, InputFile[]][] {
  return [...groupRunDirs(files)].sort((a, b) => (a[0] < b[0] ? -1 : 1));
}

export function parseRunDir(dir: string, files: InputFile[], rejects: Rejects, config: CollabConfig): RunRow {
  const rec: Record<string, Record<string, unknown>> = {};
  for (const f of files) {
    const name = f.rel.slice(dir.length + 1);
    if (!PARSED.has(name)) continue;
    const v = readJson(f, 'runs', rejects);
    if (v === undefined) continue;
    if (!isObj(v)) {
      rejects.add(f.rel, 'runs', 'validate', `${name} is not a JSON object`, null);
      continue;
    }
    const invalid = checkValue(v, JSON_BUDGET, name);
    if (invalid) {
      rejects.add(f.rel, 'runs', 'validate', invalid, null);
      continue;
    }
    rec[name] = v;
  }
  const S = rec['summary.json'] ?? {};
  const J = rec['job_status.json'] ?? {};
  const Q = rec['run_request.json'] ?? {};
  const E = rec['run_environment.json'] ?? {};
  const V = rec['server.json'] ?? {};
  const P = rec['ppl_summary.json'] ?? {};
  const X = rec['eval_summary.json'] ?? {};
  const manifest = isObj(Q['manifest']) ? Q['manifest'] : isObj(E['manifest']) ? E['manifest'] : null;
  const submissionPrefix = str(J['submission_prefix']) ?? str(Q['submission_prefix']);
  const hasSummary = 'summary.json' in rec;
  const status = str(J['status']) ?? (hasSummary ? 'completed' : 'unknown');
  const envText = manifest ? JSON.stringify(manifest['env'] ?? {}) : '';
  const ownBucket = str(Q['submission_bucket']);
  // Each ref flat: a match is a slice that would keep the whole env text (~1 KB) alive with the row.
  const bucketRefs = [...new Set(envText.match(BUCKET_URI_RE) ?? [])].filter((b) => !ownBucket || !b.endsWith(`/${ownBucket}`)).sort().map(flat);
  const sf = config.score_field;
  const secf = config.secondary_field;
  return {
    run_dir: dir,
    run_name: dir.slice(dir.lastIndexOf('/') + 1),
    agent: str(J['agent_id']) ?? agentFromPrefix(submissionPrefix) ?? agentFromPrefix(dir.replace(/^runs\//, '')),
    job_id: str(J['job_id']) ?? str(S['job_id']) ?? str(V['job_id']),
    duplicate_of: null,
    status,
    stage: str(J['stage']),
    status_message: str(J['message']),
    created_at: parseCompactStamp(Q['created_at']),
    finished_at: parseIsoUtc(J['finished_at']),
    ready_at: parseUnixSeconds(V['ready_at_unix']),
    submission_prefix: submissionPrefix,
    submission_bucket: ownBucket,
    manifest_name: str(Q['manifest_name']) ?? (manifest ? str(manifest['name']) : null),
    manifest_sha: manifest ? createHash('sha256').update(canonicalJson(manifest)).digest('hex') : null,
    manifest_description: manifest ? str(manifest['description']) : null,
    bucket_refs: bucketRefs,
    flavor: str(Q['flavor']),
    score: numOrNull(S[sf]),
    output_tps: numOrNull(S['output_tps']),
    total_tps: numOrNull(S['total_tps']),
    secondary: secf ? (numOrNull(S[secf]) ?? numOrNull(P[secf])) : null,
    completed: numOrNull(S['completed']),
    num_prompts: numOrNull(S['num_prompts']),
    duration_s: numOrNull(S['duration_s']),
    mean_e2e_latency_ms: numOrNull(S['mean_e2e_latency_ms']),
    p99_e2e_latency_ms: numOrNull(S['p99_e2e_latency_ms']),
    gpqa_accuracy: numOrNull(X['gpqa_accuracy']) ?? numOrNull(S['gpqa_accuracy']),
    mmlu_pro_accuracy: numOrNull(X['mmlu_pro_accuracy']) ?? numOrNull(S['mmlu_pro_accuracy']),
    files: files.map((f) => f.rel.slice(dir.length + 1)).sort(),
  };
}

/**
 * One job can sit under two names: keep the dir with the most files (then the first name), point the others at it.
 * Returns new rows (the parsed rows may be shared with the build cache, so they are not changed in place).
 */
export function markDuplicateJobs(rows: readonly RunRow[]): RunRow[] {
  const duplicateOf = new Map<RunRow, string>();
  const byJob = new Map<string, RunRow[]>();
  for (const r of rows) {
    if (!r.job_id) continue;
    const list = byJob.get(r.job_id) ?? [];
    list.push(r);
    byJob.set(r.job_id, list);
  }
  for (const list of byJob.values()) {
    if (list.length < 2) continue;
    const sorted = [...list].sort(
      (a, b) => (b.files?.length ?? 0) - (a.files?.length ?? 0) || (a.run_dir < b.run_dir ? -1 : 1),
    );
    const keep = sorted[0]!;
    for (const r of sorted.slice(1)) duplicateOf.set(r, keep.run_dir);
  }
  return rows.map((r) => (duplicateOf.has(r) ? { ...r, duplicate_of: duplicateOf.get(r)! } : r));
}
