// Benchmark run dirs grouped in repeat buckets (one submission, one byte-identical manifest), with noise and odd dirs.
import { createHash } from 'node:crypto';
import { bucketOf, bucketUri } from './agents.ts';
import type { RelayPlan } from './relays.ts';
import { planSeeds, type BucketSeed } from './run-seeds.ts';
import { at, type Rng } from './rng.ts';
import { TOTAL_TPS_RATIO, technique } from './techniques.ts';
import { END_MS, HOUR, MINUTE, START_MS, compactStamp } from './time.ts';
import type { EnvRef, ResultRec, RunBucket, RunRec } from './types.ts';

export interface RunsPlan {
  buckets: RunBucket[];
  /** Results whose posted score is the best completed run of a bucket with >= 3 completed runs. */
  selectionBias: ResultRec[];
  /** Lineage signal: a manifest env pointing into the bucket of the agent who introduced that technique. */
  envEdges: Array<{ parent: ResultRec; child: ResultRec; evidence: string }>;
}

export const WHEEL =
  'https://wheels.vllm.ai/0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d/vllm-0.22.1rc1.dev311%2Bg0c1d2e3f4.cu129-cp38-abi3-manylinux_2_28_x86_64.whl';
export const SERVER_DEPS = [WHEEL, 'transformers==5.9.0', 'jinja2==3.1.6', 'MarkupSafe==3.0.3', 'orjson==3.10.18', 'safetensors', 'torch'];

/** Deep copy with object keys sorted: the harness writes JSON with sort_keys. */
export function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) out[k] = sortKeys((value as Record<string, unknown>)[k]);
    return out;
  }
  return value;
}

/** sha256 of the canonical manifest JSON (sorted keys, no whitespace): the noise-bucket identity. */
export function manifestSha(manifest: unknown): string {
  return createHash('sha256').update(JSON.stringify(sortKeys(manifest))).digest('hex');
}

function letters(k: number): string {
  let s = '';
  let n = k;
  do {
    s = String.fromCharCode(97 + (n % 26)) + s;
    n = Math.floor(n / 26) - 1;
  } while (n >= 0);
  return s;
}

interface BucketContext {
  rng: Rng;
  firstUse: ReadonlyMap<string, ResultRec>;
  jobIds: Set<string>;
  dirNames: Set<string>;
  /** The split pair's shared manifest, once the first of the two is built. */
  splitManifest: Record<string, unknown> | null;
}

type EnvRefs = Array<EnvRef & { token: string }>;

export function planRuns(
  rng: Rng,
  results: readonly ResultRec[],
  firstUse: ReadonlyMap<string, ResultRec>,
  relays: readonly RelayPlan[],
  scale: number,
): RunsPlan {
  const totalDirs = Math.max(12, Math.round(358 * scale));
  const totalBuckets = Math.max(5, Math.round(66 * scale));
  const seeds = planSeeds(rng, results, relays, totalBuckets, totalDirs);
  const ctx: BucketContext = { rng, firstUse, jobIds: new Set(), dirNames: new Set(), splitManifest: null };
  const buckets: RunBucket[] = [];
  const envEdges: RunsPlan['envEdges'] = [];
  for (const seed of seeds) {
    const { bucket, refs } = openBucket(ctx, seed);
    benchRuns(ctx, seed, bucket);
    linkRelayRuns(seed, bucket);
    if (seed.result) postFromBucket(rng, seed.result, bucket);
    envEdges.push(...envEdgesOf(seed, refs, bucket, firstUse));
    buckets.push(bucket);
  }
  convertOddRuns(rng, buckets, scale);
  return { buckets, selectionBias: selectionBiased(buckets), envEdges };
}

/** The submission manifest: the split pair shares one; the rest describe their stack. */
function bucketManifest(ctx: BucketContext, seed: BucketSeed, env: Record<string, string>): Record<string, unknown> {
  if (seed.kind === 'split' && ctx.splitManifest) return ctx.splitManifest;
  const manifest: Record<string, unknown> = {
    ...(ctx.rng.chance(0.9) ? { name: seed.subName } : {}),
    description: `${seed.agent.id}: ${seed.tokens
      .filter((t) => t !== 'vllm')
      .map((t) => technique(t).label)
      .join(' + ') || 'vLLM bf16 reference'} (${seed.tokens.join('-')}).`,
    dependencies: SERVER_DEPS,
    env,
    model_id: 'google/gemma-4-E4B-it',
    port: 8000,
    serve: ['python', 'serve.py'],
    served_model_name: 'gemma-4-e4b-it',
  };
  if (seed.kind === 'split') ctx.splitManifest = manifest;
  return manifest;
}

/** A bucket with its manifest and noise level, no runs yet. */
function openBucket(ctx: BucketContext, seed: BucketSeed): { bucket: RunBucket; refs: EnvRefs } {
  const { env, refs } = buildEnv(seed, ctx.firstUse);
  const sortedManifest = sortKeys(bucketManifest(ctx, seed, env)) as Record<string, unknown>;
  const submissionPrefix = `submissions/${seed.submissionOwner.id}/${seed.subName}`;
  const sigma = Math.min(1.7, Math.max(0.8, ctx.rng.normal(1.2, 0.15)));
  const bucket: RunBucket = {
    key: seed.kind === 'split' ? `${submissionPrefix}@${new Date(seed.window[0]).toISOString().slice(0, 10)}` : submissionPrefix,
    kind: seed.kind,
    agent: seed.agent,
    submissionBucket: bucketOf(seed.submissionOwner.id),
    submissionPrefix,
    subName: seed.subName,
    manifest: sortedManifest,
    manifestSha: manifestSha(sortedManifest),
    result: seed.result,
    trueMean: seed.trueMean,
    sigma,
    ppl: seed.ppl,
    runs: [],
    envRefs: refs,
    tokens: seed.tokens,
  };
  return { bucket, refs };
}

/** The bucket's run dirs: one naming style per bucket, never a duplicate dir name. */
function benchRuns(ctx: BucketContext, seed: BucketSeed, bucket: RunBucket): void {
  const { rng, dirNames } = ctx;
  const times = runTimes(rng, seed);
  const style = rng.pick(['stamp', 'stamp', 'stamp', 'runk', 'runk', 'reroll'] as const);
  const lastTok = seed.tokens[seed.tokens.length - 1] ?? 'vllm';
  times.forEach((created, k) => {
    let leaf =
      style === 'stamp' ? `${seed.subName}-${compactStamp(created)}` : style === 'runk' ? `${seed.subName}-run${k + 1}` : `reroll-${lastTok}-${letters(k)}`;
    if (dirNames.has(leaf)) leaf = `${seed.subName}-${compactStamp(created)}`;
    for (let s = 1; dirNames.has(leaf); s++) leaf = `${seed.subName}-${compactStamp(created)}-${letters(s)}`;
    dirNames.add(leaf);
    bucket.runs.push(benchRun(ctx, seed, bucket.sigma, leaf, created));
  });
}

function benchRun(ctx: BucketContext, seed: BucketSeed, sigma: number, leaf: string, created: number): RunRec {
  const rng = ctx.rng;
  const tps = seed.trueMean + rng.normal(0, sigma);
  const failing = seed.kind === 'relay-fail';
  const startup = Math.floor(rng.float(3, 8) * MINUTE);
  const bench = failing ? 0 : Math.floor((65536 / tps) * 1000) + Math.floor(rng.float(4, 7) * MINUTE);
  return {
    dir: leaf,
    runPrefix: rng.chance(0.8) ? `results/${seed.agent.id}/${leaf}` : leaf,
    createdMs: created,
    finishedMs: created + startup + bench + rng.int(0, 999),
    jobId: jobId(rng, created, ctx.jobIds),
    status: failing ? 'error' : 'completed',
    stage: failing ? 'ERROR' : 'COMPLETED',
    tps,
    ppl: seed.ppl + rng.normal(0, 0.00008),
    errorLine: failing ? (technique(seed.relay?.token ?? 'int4').relay?.error ?? null) : null,
    duplicateOf: null,
    posted: false,
    omit: new Set(
      [rng.chance(0.2) ? 'run_environment.json' : '', rng.chance(0.1) ? 'decode_summary.json' : '', rng.chance(0.05) ? 'server.json' : ''].filter(Boolean),
    ),
  };
}

/** A relay's attempt buckets tell the relay which dirs and jobs were its tries. */
function linkRelayRuns(seed: BucketSeed, bucket: RunBucket): void {
  const relay = seed.relay;
  if (!relay || (seed.kind !== 'relay-fail' && seed.kind !== 'relay-run')) return;
  relay.runDirs = bucket.runs.map((r) => `runs/${r.dir}`);
  relay.jobIds = bucket.runs.map((r) => r.jobId);
  relay.runTps = bucket.runs[0]?.tps ?? null;
}

/** Lineage from the manifest env: a ref into the bucket of an earlier inventor. */
function envEdgesOf(seed: BucketSeed, refs: EnvRefs, bucket: RunBucket, firstUse: ReadonlyMap<string, ResultRec>): RunsPlan['envEdges'] {
  const edges: RunsPlan['envEdges'] = [];
  for (const ref of refs) {
    const parent = firstUse.get(ref.token);
    if (seed.result && parent && parent.agent.id === ref.owner && parent !== seed.result && parent.ms < seed.result.ms) {
      const dir = bucket.runs[0]?.dir ?? '';
      edges.push({ parent, child: seed.result, evidence: `runs/${dir}/run_request.json manifest.env.${ref.key}` });
    }
  }
  return edges;
}

/** Results whose posted run is the best completed run of a bucket with >= 3 completed runs. */
function selectionBiased(buckets: readonly RunBucket[]): ResultRec[] {
  const selectionBias: ResultRec[] = [];
  for (const b of buckets) {
    const r = b.result;
    if (!r || r.totalTpsMistake) continue;
    const completed = b.runs.filter((x) => x.status === 'completed' && !x.duplicateOf);
    const max = completed.reduce<RunRec | null>((a, x) => (!a || x.tps > a.tps ? x : a), null);
    if (max?.posted && completed.length >= 3) selectionBias.push(r);
  }
  return selectionBias;
}

function jobId(rng: Rng, created: number, used: Set<string>): string {
  // Job ids look like Mongo ObjectIds: 8 hex of epoch seconds, then 16 random hex.
  for (;;) {
    const id = Math.floor(created / 1000).toString(16).padStart(8, '0') + rng.hex(16);
    if (!used.has(id)) {
      used.add(id);
      return id;
    }
  }
}

function runTimes(rng: Rng, seed: BucketSeed): number[] {
  const n = seed.n;
  const lo = Math.max(START_MS + 10 * MINUTE, seed.agent.joinedMs + 5 * MINUTE);
  const hi = END_MS - 50 * MINUTE;
  const clampT = (t: number): number => Math.min(hi, Math.max(lo, t));
  const r = seed.result;
  if (!r) {
    const [a, b] = seed.window;
    return Array.from({ length: n }, () => clampT(a + Math.floor(rng.next() * Math.max(1, b - a)))).sort((x, y) => x - y);
  }
  // Most runs happen before the result is posted; a few re-rolls come after.
  const beforeHi = r.ms - 45 * MINUTE;
  const beforeLo = Math.max(lo, r.agent.joinedMs, r.ms - 26 * HOUR);
  const afterLo = r.ms + 15 * MINUTE;
  const afterHi = Math.min(hi, r.ms + 30 * HOUR);
  let nBefore = Math.max(1, Math.round(n * rng.float(0.55, 0.85)));
  if (afterHi <= afterLo) nBefore = n;
  const out: number[] = [];
  for (let k = 0; k < n; k++) {
    if (k < nBefore) {
      const a = Math.min(beforeLo, beforeHi - 20 * MINUTE);
      out.push(Math.max(START_MS + 5 * MINUTE, a + Math.floor(rng.next() * Math.max(1, beforeHi - a))));
    } else {
      out.push(afterLo + Math.floor(rng.next() * Math.max(1, afterHi - afterLo)));
    }
  }
  return out.sort((x, y) => x - y);
}

/** The result quotes one of its bucket's runs: often the best one before posting (selection bias). */
function postFromBucket(rng: Rng, r: ResultRec, bucket: RunBucket): void {
  const before = bucket.runs.filter((x) => x.finishedMs < r.ms - 5 * MINUTE && x.status === 'completed');
  if (!before.length) {
    // Keep the story consistent: the first run finishes before the result is posted.
    const first = at(bucket.runs, 0);
    first.createdMs = Math.max(START_MS + 5 * MINUTE, r.ms - 40 * MINUTE);
    first.finishedMs = first.createdMs + 22 * MINUTE;
    before.push(first);
  }
  const biased = rng.chance(0.6);
  const chosen = biased ? before.reduce((a, b) => (b.tps > a.tps ? b : a)) : at(before, before.length - 1);
  r.tps = r.totalTpsMistake ? chosen.tps * TOTAL_TPS_RATIO : chosen.tps;
  r.ppl = chosen.ppl;
  r.jobId = chosen.jobId;
  r.runDir = chosen.dir;
  // Half the posts point at the run dir too (artifacts: results/<agent>/<run>/), as in the real sources.
  if (rng.chance(0.5)) r.artifacts.unshift(`${chosen.runPrefix}/`);
  chosen.posted = true;
}

function buildEnv(seed: BucketSeed, firstUse: ReadonlyMap<string, ResultRec>): { env: Record<string, string>; refs: Array<EnvRef & { token: string }> } {
  const env: Record<string, string> = {
    DISABLE_LOG_STATS: '1',
    GPU_MEMORY_UTILIZATION: '0.90',
    MAX_MODEL_LEN: '4096',
    MAX_NUM_SEQS: '1',
  };
  const refs = new Map<string, EnvRef & { token: string }>();
  for (const tok of seed.tokens) {
    for (const e of technique(tok).env) {
      if (e.value !== undefined) {
        env[e.key] = e.value;
        continue;
      }
      // Checkpoints live in the bucket of whoever introduced them (or the relay builder's staged copy).
      const owner = firstUse.get(tok)?.agent.id ?? seed.agent.id;
      const uri = bucketUri(owner, e.path ?? '');
      env[e.key] = uri;
      if (e.key === 'DRAFTER_BUCKET') env.DRAFTER_SHA256 = createHash('sha256').update(uri).digest('hex');
      refs.set(e.key, { key: e.key, owner, uri, token: tok });
    }
  }
  // The relay's staged checkpoint, wherever the lever itself keeps its files.
  const story = seed.relay ? technique(seed.relay.token).relay : undefined;
  if (seed.relay && story && seed.tokens.includes(seed.relay.token)) {
    const uri = seed.relay.ckptUri.replace(/\/$/, '');
    env[story.envKey] = uri;
    refs.set(story.envKey, { key: story.envKey, owner: seed.relay.builder.id, uri, token: seed.relay.token });
  }
  const outRefs = [...refs.values()].filter((r) => r.owner !== seed.agent.id && env[r.key] === r.uri);
  return { env: sortKeys(env) as Record<string, string>, refs: outRefs };
}

/** Flaky errors, a timed-out job, partial dirs (only run_request.json) and a duplicate dir of one job. */
function convertOddRuns(rng: Rng, buckets: RunBucket[], scale: number): void {
  const pool: Array<{ b: RunBucket; r: RunRec }> = [];
  for (const b of buckets) {
    if (b.kind !== 'result' && b.kind !== 'unposted') continue;
    for (const r of b.runs) if (!r.posted) pool.push({ b, r });
  }
  const picks = rng.shuffle(pool);
  const take = (k: number, ok: (x: { b: RunBucket; r: RunRec }) => boolean): Array<{ b: RunBucket; r: RunRec }> => {
    const out: Array<{ b: RunBucket; r: RunRec }> = [];
    for (let i = 0; i < picks.length && out.length < k; i++) {
      const x = at(picks, i);
      if (x.r.status === 'completed' && !x.r.duplicateOf && ok(x)) {
        out.push(x);
        picks.splice(i, 1);
        i--;
      }
    }
    return out;
  };
  for (const { r } of take(Math.max(1, Math.round(6 * scale)), () => true)) {
    r.status = 'error';
    r.stage = 'ERROR';
    r.errorLine = rng.pick([
      'RuntimeError: server exited before readiness with code 1',
      'torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 1.25 GiB',
      'RuntimeError: Engine core initialization failed. See root cause above.',
    ]);
    r.finishedMs = r.createdMs + Math.floor(rng.float(4, 12) * MINUTE);
  }
  for (const { r } of take(Math.max(1, Math.round(scale)), () => true)) {
    r.status = 'timed_out';
    r.stage = rng.chance(0.5) ? 'SCHEDULING' : 'RUNNING';
    r.finishedMs = r.createdMs + 40 * MINUTE + rng.int(5_000, 90_000);
    r.errorLine = null;
  }
  for (const { r } of take(Math.max(1, Math.round(2 * scale)), () => true)) r.status = 'partial';
  // The duplicate: a second directory name for one completed job (same job id, same files).
  for (const { b, r } of take(Math.max(1, Math.round(scale)), (x) => x.b.runs.filter((y) => y.status === 'completed').length >= 3)) {
    const original = b.runs.find((y) => y !== r && y.status === 'completed' && !y.duplicateOf);
    if (!original) continue;
    r.duplicateOf = original.dir;
    r.jobId = original.jobId;
    r.tps = original.tps;
    r.ppl = original.ppl;
    r.createdMs = original.createdMs;
    r.finishedMs = original.finishedMs;
  }
}
