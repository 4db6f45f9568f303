// Which repeat buckets get benched: relay attempts, the split pair, re-runs of posted results and unposted exploration.
import type { RelayPlan } from './relays.ts';
import { at, type Rng } from './rng.ts';
import { technique } from './techniques.ts';
import { DAY, END_MS, HOUR, MINUTE, START_MS } from './time.ts';
import type { Agent, BucketKind, ResultRec } from './types.ts';

export interface BucketSeed {
  kind: BucketKind;
  agent: Agent;
  tokens: string[];
  subName: string;
  submissionOwner: Agent;
  result: ResultRec | null;
  trueMean: number;
  ppl: number;
  n: number;
  /** Created-time window for the runs. */
  window: [number, number];
  relay?: RelayPlan;
  keySuffix?: string;
  /** Manifest shared with another bucket (the split pair). */
  manifest?: Record<string, unknown>;
}

/** Every bucket to bench, in the order their runs are drawn. */
export function planSeeds(
  rng: Rng,
  results: readonly ResultRec[],
  relays: readonly RelayPlan[],
  totalBuckets: number,
  totalDirs: number,
): BucketSeed[] {
  const seeds = relaySeeds(relays, totalBuckets);
  const linkable = linkableResults(results);
  if (totalBuckets - seeds.length >= 8) seeds.push(...splitPairSeeds(rng, linkable));
  const relayOf = new Map<ResultRec, RelayPlan>(relays.map((r) => [r.ship, r]));
  const linkableQuota = linkable.filter((x) => x.agent.registered && !x.agent.gpuPoor);
  const fixedDirs = seeds.reduce((s, b) => s + b.n, 0);
  const m = Math.max(1, totalBuckets - seeds.length);
  const linked = pickLinked(rng, linkable, Math.min(linkable.length, Math.round(m * 0.85)));
  const sizes = bucketSizes(rng, linked, m, Math.max(0, totalDirs - fixedDirs - 2 * m));
  for (let i = 0; i < m; i++) {
    const n = at(sizes, i);
    const r = linked[i];
    seeds.push(r ? resultSeed(r, n, relayOf.get(r)) : unpostedSeed(rng, linkableQuota, i, n));
  }
  return seeds;
}

/** Relay runs: the runner's failed (or clean) attempts on the builder's checkpoint, two runs each. */
function relaySeeds(relays: readonly RelayPlan[], totalBuckets: number): BucketSeed[] {
  const seeds: BucketSeed[] = [];
  for (const relay of relays) {
    if (relay.type === 'fail-msg' || relay.type === 'diagship-msg') continue;
    if (seeds.length + 3 > totalBuckets) break;
    const story = technique(relay.token).relay;
    const parentTokens = relay.ship.parent?.tokens ?? ['vllm'];
    seeds.push({
      kind: relay.type === 'run' ? 'relay-run' : 'relay-fail',
      agent: relay.runner,
      tokens: [...parentTokens, relay.token],
      subName: `${story?.slug ?? relay.token}-try`,
      submissionOwner: relay.runner,
      result: null,
      trueMean: relay.ship.tpsTrue * 0.97,
      ppl: relay.ship.ppl,
      n: 2,
      window: [relay.tried.ms - 3 * HOUR, relay.tried.ms - 70 * MINUTE],
      relay,
    });
  }
  return seeds;
}

/** Posted results a bucket can stand behind: the poster's own submission, after the first hours. */
function linkableResults(results: readonly ResultRec[]): ResultRec[] {
  return results.filter(
    (r) =>
      r.status === 'agent-run' &&
      !r.malformed &&
      r.submission !== null &&
      r.submission.owner === r.agent &&
      r.kind !== 'baseline' &&
      r.ms > START_MS + 3 * HOUR,
  );
}

/** The split pair: one prefix and manifest, benched on two days with different files behind it. */
function splitPairSeeds(rng: Rng, linkable: readonly ResultRec[]): BucketSeed[] {
  const base = rng.pick(linkable.filter((r) => r.ms > START_MS + DAY && r.ms < START_MS + 4 * DAY));
  const d1 = base.ms - 20 * HOUR;
  const common = { agent: base.agent, tokens: base.tokens, subName: `${base.subName}-engine`, submissionOwner: base.agent, result: null, ppl: base.ppl, n: 3 };
  return [
    { ...common, kind: 'split', trueMean: base.tpsTrue * 0.82, window: [d1, d1 + 3 * HOUR] },
    { ...common, kind: 'split', trueMean: base.tpsTrue * 0.99, window: [d1 + 26 * HOUR, d1 + 29 * HOUR] },
  ];
}

/** Weighted sampling without replacement (key = u^(1/w)): near-frontier results get re-run more. */
function pickLinked(rng: Rng, linkable: readonly ResultRec[], nLinked: number): ResultRec[] {
  return linkable
    .map((r) => ({ r, key: rng.next() ** (1 / (r.tpsTrue / 100) ** 3) }))
    .sort((a, b) => b.key - a.key)
    .slice(0, nLinked)
    .map((x) => x.r)
    .sort((a, b) => a.ms - b.ms);
}

/** Dir counts: every bucket has >= 2; the hero bucket gets 18; the rest are heavy-tailed. */
function bucketSizes(rng: Rng, linked: readonly ResultRec[], m: number, spare: number): number[] {
  const hero = linked.reduce<ResultRec | null>((best, r) => (!best || r.tpsTrue > best.tpsTrue ? r : best), null);
  const heroExtra = Math.min(spare, 16);
  const weights = Array.from({ length: m }, () => rng.float(0.05, 1) ** -0.8);
  const heroIndex = hero ? linked.indexOf(hero) : -1;
  if (heroIndex >= 0) weights[heroIndex] = 0;
  const wsum = weights.reduce((a, b) => a + b, 0);
  const rest = spare - (heroIndex >= 0 ? heroExtra : 0);
  const raw = weights.map((w) => (wsum > 0 ? (rest * w) / wsum : 0));
  const sizes = raw.map((x) => 2 + Math.floor(x));
  let left = rest - raw.reduce((s, x) => s + Math.floor(x), 0);
  const byFrac = raw.map((x, i) => ({ i, f: x - Math.floor(x) })).sort((a, b) => b.f - a.f || a.i - b.i);
  for (let k = 0; left > 0; k = (k + 1) % byFrac.length, left--) sizes[at(byFrac, k).i] = at(sizes, at(byFrac, k).i) + 1;
  if (heroIndex >= 0) sizes[heroIndex] = at(sizes, heroIndex) + heroExtra;
  return sizes;
}

function resultSeed(r: ResultRec, n: number, relay: RelayPlan | undefined): BucketSeed {
  return {
    kind: 'result',
    agent: r.agent,
    tokens: r.tokens,
    subName: r.subName,
    submissionOwner: r.agent,
    result: r,
    trueMean: r.tpsTrue,
    ppl: r.ppl,
    n,
    window: [r.ms - 26 * HOUR, r.ms + 30 * HOUR],
    ...(relay ? { relay } : {}),
  };
}

/** Exploration that was benched but never posted. */
function unpostedSeed(rng: Rng, linkableQuota: readonly ResultRec[], i: number, n: number): BucketSeed {
  const base = rng.pick(linkableQuota);
  const t0 = Math.min(END_MS - 10 * HOUR, base.ms + Math.floor(rng.float(1, 20) * HOUR));
  return {
    kind: 'unposted',
    agent: base.agent,
    tokens: base.tokens,
    subName: `${base.subName}-wip${i}`,
    submissionOwner: base.agent,
    result: null,
    trueMean: base.tpsTrue + rng.normal(-2, 3),
    ppl: base.ppl + rng.normal(0, 0.003),
    n,
    window: [t0, t0 + Math.floor(rng.float(4, 9) * HOUR)],
  };
}
