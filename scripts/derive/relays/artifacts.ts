// Relays rule 2 (artifact): the artifact paths an event names, and which agent owns each path.
import type { CoreTables } from '../../ingest/ingest.ts';
import type { RelayEvent } from './events.ts';

const BUCKET_PATH_RE = /hf:\/\/buckets\/[\w.-]+\/([\w.-]+)((?:\/[\w.+=-]+){0,3})/g;
const ARTIFACT_RE = /(?<![\w/-])(artifacts\/[\w.-]+)/g;
const SUBMISSION_RE = /(submissions\/[a-z0-9][a-z0-9-]*\/[\w.-]+)/g;
const trimPunct = (s: string): string => s.replace(/[.,;:)]+$/, '');

/** Artifact keys named in a text: `artifacts/<slug>`, `submissions/<agent>/<name>`, `bucket:<bucket>/<path>`. */
export function artifactKeys(text: string): string[] {
  const out = new Set<string>();
  // A path inside a bucket is keyed down to three folders: deep enough to tell checkpoints apart.
  for (const m of text.matchAll(BUCKET_PATH_RE)) out.add(`bucket:${m[1]!}${trimPunct(m[2] ?? '')}`);
  for (const m of text.matchAll(ARTIFACT_RE)) out.add(trimPunct(m[1]!));
  for (const m of text.matchAll(SUBMISSION_RE)) out.add(trimPunct(m[1]!));
  return [...out].sort();
}

/** Bucket name of a `bucket:<bucket>/…` key or a hf://buckets URI. */
export const bucketOf = (keyOrUri: string): string | null =>
  /^bucket:([\w.-]+)/.exec(keyOrUri)?.[1] ?? /hf:\/\/buckets\/[\w.-]+\/([\w.-]+)/.exec(keyOrUri)?.[1] ?? null;

/** Agent who owns an artifact key, when the key says: artifacts/<slug>_<agent>, submissions/<agent>/…, a bucket. */
export function ownerOf(key: string, bucketOwner: ReadonlyMap<string, string>, known: ReadonlySet<string>): string | null {
  const sub = /^submissions\/([a-z0-9][a-z0-9-]*)\//.exec(key);
  if (sub) return sub[1]!;
  const art = /^artifacts\/[\w.-]*_([a-z0-9][a-z0-9-]*)$/.exec(key);
  if (art && known.has(art[1]!)) return art[1]!;
  const b = bucketOf(key);
  if (b) {
    const sm = /^bucket:[\w.-]+\/submissions\/([a-z0-9][a-z0-9-]*)/.exec(key);
    return bucketOwner.get(b) ?? (sm ? sm[1]! : null);
  }
  return null;
}

/** Bucket → agent: agents.agent_bucket, else a known handle the bucket name ends with (gemma-<agent>). */
function bucketOwners(core: Pick<CoreTables, 'agents'>, known: ReadonlySet<string>, buckets: Iterable<string>): Map<string, string> {
  const out = new Map<string, string>();
  for (const a of core.agents) {
    const b = a.agent_bucket ? (bucketOf(a.agent_bucket) ?? a.agent_bucket.split('/').pop() ?? null) : null;
    if (b) out.set(b, a.agent_id);
  }
  const handles = [...known].sort((a, b) => b.length - a.length);
  for (const b of buckets) {
    if (out.has(b)) continue;
    const h = handles.find((x) => b === x || b.endsWith(`-${x}`));
    if (h) out.set(b, h);
  }
  return out;
}

/** Artifact keys each event names (uses = provides for text; runs only use). */
function eventKeys(e: RelayEvent): string[] {
  if (e.run) {
    return [...(e.run.submission_prefix ? [e.run.submission_prefix] : []), ...(e.run.bucket_refs ?? []).map((b) => `bucket:${bucketOf(b) ?? b}`)];
  }
  if (e.result) {
    const keys = artifactKeys([e.text, e.result.submission ?? '', ...(e.result.artifacts ?? [])].join('\n'));
    if (e.result.submission_prefix && !keys.includes(e.result.submission_prefix)) keys.push(e.result.submission_prefix);
    return keys;
  }
  return artifactKeys(e.text);
}

/** The keys of every event, and the owner of a key (memoised). */
export function artifactIndex(
  core: Pick<CoreTables, 'agents'>,
  events: readonly RelayEvent[],
  known: ReadonlySet<string>,
): { keysOf: Map<string, string[]>; owner: (key: string) => string | null } {
  const keysOf = new Map<string, string[]>();
  const allBuckets = new Set<string>();
  for (const e of events) {
    const keys = eventKeys(e);
    keysOf.set(e.id, keys);
    for (const k of keys) {
      const b = bucketOf(k);
      if (b) allBuckets.add(b);
    }
  }
  const owners = bucketOwners(core, known, allBuckets);
  const ownerCache = new Map<string, string | null>();
  const owner = (k: string): string | null => {
    if (!ownerCache.has(k)) ownerCache.set(k, ownerOf(k, owners, known));
    return ownerCache.get(k)!;
  };
  return { keysOf, owner };
}
