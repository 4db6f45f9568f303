// Lineage rule 2 helpers: which agent's bucket or folder a path points into, and how close a run's score must be.

/** Bucket name (last segment of hf://buckets/<org>/<name>, or a bare name) → its agent, or null. */
export function bucketResolver(
  known: ReadonlySet<string>,
  agentBuckets: ReadonlyMap<string, string> = new Map(),
): (bucket: string) => string | null {
  const owner = new Map<string, string>();
  for (const [agent, b] of agentBuckets) {
    const name = b.replace(/^hf:\/\/buckets\//, '').replace(/\/+$/, '').split('/').pop();
    if (name) owner.set(name, agent);
  }
  return (bucket: string): string | null => {
    const name = bucket.replace(/^hf:\/\/buckets\//, '').replace(/\/+$/, '').split('/').pop() ?? '';
    if (!name) return null;
    const o = owner.get(name);
    if (o) return o;
    if (known.has(name)) return name;
    for (let i = name.indexOf('-'); i >= 0; i = name.indexOf('-', i + 1)) {
      const tail = name.slice(i + 1);
      if (known.has(tail)) return tail;
    }
    return null;
  };
}

const BUCKET_PATH_RE = /hf:\/\/buckets\/[A-Za-z0-9._-]+\/([A-Za-z0-9._-]+)/g;
const SUBMISSIONS_RE = /(?:^|\/)submissions\/([a-z0-9][a-z0-9-]*)\//g;
const ARTIFACTS_RE = /(?:^|\/)artifacts\/[^/\s]*_([a-z0-9][a-z0-9-]*)(?:\/|$)/g;
const RESULTS_DIR_RE = /(?:^|\/)results\/([a-z0-9][a-z0-9-]*)\/[^/\s]+/g;

/** Agents whose bucket or folder a path points into, with the matched text. */
export function agentsInPath(
  path: string,
  known: ReadonlySet<string>,
  resolveBucket: (b: string) => string | null,
): { agent: string; match: string }[] {
  const out: { agent: string; match: string }[] = [];
  const add = (agent: string | null, match: string): void => {
    if (agent && known.has(agent) && !out.some((x) => x.agent === agent)) out.push({ agent, match });
  };
  for (const m of path.matchAll(BUCKET_PATH_RE)) add(resolveBucket(m[1]!), m[0]);
  for (const m of path.matchAll(SUBMISSIONS_RE)) add(m[1]!, m[0]);
  for (const m of path.matchAll(ARTIFACTS_RE)) add(m[1]!, m[0]);
  for (const m of path.matchAll(RESULTS_DIR_RE)) add(m[1]!, m[0]);
  return out;
}

/** Half a unit in the last decimal the score was posted with (506.74 → 0.005); full floats match to 1e-6. */
export function scoreTolerance(score: number): number {
  const s = String(score);
  if (/e/i.test(s)) return Math.abs(score) * 1e-9;
  const d = s.includes('.') ? s.length - s.indexOf('.') - 1 : 0;
  return d >= 6 ? 1e-6 : 0.5 * 10 ** -d + 1e-9;
}
