// Relays derivation: messages, runs and results linked into build → run → fail → diagnose → ship relays, plus
// the role credits of `[a flagged / b built / c benched]` brackets in shared documents.
//
// Rules (role rules are in src/lib/relays/roles.ts; src/lib/relays/rules.ts says the same for the methods page):
// 1. Events. Every board message (verifier identities excluded), every canonical run dir (duplicate_of null;
//    time = created_at, else finished_at, else ready_at) and every result with a time. Events without a time
//    cannot be ordered and are left out.
// 2. Links, always from an earlier event to a later one:
//    ref / quoted-filename  message_links rows resolved to another event;
//    report    a results-report refs its author's result and other messages: those messages → the result (§1.4);
//    artifact  both name the same artifact path (artifacts/<slug>, submissions/<agent>/<name>,
//              hf://buckets/<bucket>/<up to 3 folders>), or a run's submission prefix / manifest bucket_refs
//              point into it; the later event links to the latest earlier mention, the path owner's first;
//    job       a message or result quotes a run's 24-hex job id;
//    mention   @agent in a message: from that agent's latest earlier event that has a role or is a result;
//    credit    results.credits: from the agent's latest build post, else its latest result, else its latest
//              event with a role.
// 3. Roles (roles.ts) with context from the links: linksToOtherAgent (any link from another agent's event,
//    a mention, a credit, another agent's artifact path); repliesToFailure (refs or quotes a failure, or
//    mentions an agent whose latest event is one); improvesBest: beats the best of the results the result
//    builds on (results it refs, quotes or reports, whose artifact path, method string or `<agent>'s <name>`
//    submission it names; failing those the latest result of the credited agent named possessively ("a's
//    stack"), else of each agent it credits; failing those every earlier result), counting only
//    agent-run/baseline results that are not invalid and not over the cap.
// 4. Chains. From every ship walk backwards: (a) follow file links (ref, quoted-filename, report, artifact,
//    job) into earlier events that have a role; (b) admit events of the agents the ship credits or mentions
//    (and the shipper's own) that are tied to an event already in the walk, in either direction, by a file
//    link or by a diagnosis @-addressed to the author of a failure; repeat (a) from them. A credit alone never
//    admits an event (credits also name the stack the ship started from). Upstream results are lineage, not
//    steps, unless they report a failure; the shipper's own completed runs and the ship's own job are part of
//    the ship. At most WINDOW_DAYS before the ship. Steps are ordered by time, the ship last; consecutive steps
//    by one agent in one role are merged (a message is kept over a run dir, else the first).
//    A walk is a `chain` when it crosses ≥ 3 distinct agents and the steps before the ship by agents other
//    than the shipper hold ≥ 2 different roles. A later ship by the same agent whose other steps are all in
//    an earlier chain is a follow-up, not a new chain. A walk with exactly 2 agents whose other agent took a
//    build step is a `handoff` (`staged` when that build is a staged post: "no quota", "for whoever has GPU").
// 5. Hand-offs outside ships. Every event with role run or ship whose direct upstream build steps come from
//    exactly one other agent makes a `handoff` (or `staged`) with that build, unless the build is already in
//    a chain with the follower. Build posts tied by file links win over credited ones; a posted result counts
//    as the build (build:result-reused) only for a reproduction (role run): a result that builds on another
//    and beats it is lineage. One per (build event, follower agent): the build and the follower's steps up to
//    its first result, which is the outcome.
// 6. Credit brackets. Every multi-role bracket in a document: ≥ 3 distinct agents → `chain`, 2 agents with
//    build and run/ship → `handoff`; steps in bracket order, evidence = the lever line. Outcome: a result of
//    the last (bench/ship) agent quoted on the line, else its earliest result that credits all the other
//    agents, else (when the line quotes no result) its earliest result within 1 % of the score the line quotes;
//    without one, outcome_score is the quoted score and the gain is over earlier levers of the section.
// 7. score_gain: outcome minus the best result before the relay's first step (as in 3, over all results).
// 8. agent_roles counts every step of every relay per (agent, role), with the number of relays.
import { extractJobIds, extractQuotedFilenames } from '../ingest/text.ts';
import type { CollabConfig } from '../../src/lib/config.ts';
import type { MessageRow, ResultRow, RunRow } from '../../src/lib/schema/core.ts';
import {
  RELAYS_TABLES,
  type AgentRoleRow,
  type RelayChainRow,
  type RelayStepRow,
} from '../../src/lib/schema/relays.ts';
import {
  beats,
  classifyMessageRole,
  classifyResultRole,
  classifyRunRole,
  findFailure,
  firstSnippet,
  gain,
  isStagedRule,
  plain,
  snippetAt,
  type RelayRole,
  type RoleMatch,
} from '../../src/lib/relays/roles.ts';
import { parseCreditBrackets } from '../../src/lib/relays/credit-brackets.ts';
import type { CoreTables } from '../ingest/ingest.ts';
import type { Derivation } from './index.ts';
import { partitionPoint } from './search.ts';

/** How far before the ship a relay may start. */
export const WINDOW_DAYS = 14;
const WINDOW_MS = WINDOW_DAYS * 86_400_000;
/** Upper bound on steps in one walk (a safety net on dense boards). */
const MAX_STEPS = 24;

type Part = 'messages' | 'results' | 'runs';
type LinkKind = 'ref' | 'quoted-filename' | 'report' | 'artifact' | 'job' | 'mention' | 'credit';

export interface RelayEvent {
  id: string;
  part: Part;
  agent: string;
  ts: string;
  tms: number;
  text: string;
  sourceFile: string;
  role: RoleMatch | null;
  /** Plain failure (before diagnose precedence): used for repliesToFailure. */
  failure: boolean;
  message?: MessageRow;
  result?: ResultRow;
  run?: RunRow;
}

interface Edge {
  from: RelayEvent;
  to: RelayEvent;
  kind: LinkKind;
}

export interface RelayTables {
  relay_chains: RelayChainRow[];
  relay_steps: RelayStepRow[];
  agent_roles: AgentRoleRow[];
}

export const relaysDerivation: Derivation = {
  name: 'relays',
  tables: RELAYS_TABLES,
  inputs: ['agents', 'messages', 'results', 'runs', 'message_links', 'documents'],
  run(core, config) {
    const t = deriveRelays(core, config);
    return { relay_chains: t.relay_chains, relay_steps: t.relay_steps, agent_roles: t.agent_roles };
  },
};

// ---------------------------------------------------------------------------------------------------------
// Artifact paths

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
const bucketOf = (keyOrUri: string): string | null =>
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
function bucketOwners(core: CoreTables, known: ReadonlySet<string>, buckets: Iterable<string>): Map<string, string> {
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

// ---------------------------------------------------------------------------------------------------------
// Events and links

const ms = (ts: string | null): number | null => {
  if (!ts) return null;
  const v = Date.parse(ts);
  return Number.isFinite(v) ? v : null;
};

const byTime = (a: RelayEvent, b: RelayEvent): number => a.tms - b.tms || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export interface RelayGraph {
  events: RelayEvent[];
  byId: Map<string, RelayEvent>;
  /** Incoming and outgoing edges per event id. */
  incoming: Map<string, Edge[]>;
  outgoing: Map<string, Edge[]>;
  /** @-mentioned agents per event id. */
  mentionsOf: Map<string, string[]>;
  bestBefore: (tms: number) => number | null;
}

export function buildGraph(core: CoreTables, config: CollabConfig): RelayGraph {
  const events: RelayEvent[] = [];
  const verifiers = new Set(config.verifier_agents);
  for (const m of core.messages) {
    const tms = ms(m.ts);
    if (tms === null || m.is_verifier || verifiers.has(m.agent ?? '') || !m.agent) continue;
    // The body holds the headline already (first # heading or first line).
    const text = m.body_md ?? m.headline ?? '';
    events.push({ id: m.filename, part: 'messages', agent: m.agent, ts: m.ts!, tms, text, sourceFile: m.source_file ?? `message_board/${m.filename}`, role: null, failure: false, message: m });
  }
  for (const r of core.results) {
    const tms = ms(r.ts);
    if (tms === null || !r.agent) continue;
    const text = [r.description ?? '', r.body_md ?? ''].join('\n');
    events.push({ id: r.filename, part: 'results', agent: r.agent, ts: r.ts!, tms, text, sourceFile: r.source_file ?? `results/${r.filename}`, role: null, failure: false, result: r });
  }
  for (const r of core.runs) {
    if (r.duplicate_of !== null || !r.agent) continue;
    const ts = r.created_at ?? r.finished_at ?? r.ready_at;
    const tms = ms(ts);
    if (tms === null) continue;
    const text = [r.status_message ?? '', r.manifest_description ?? ''].join('\n');
    events.push({ id: r.run_dir, part: 'runs', agent: r.agent, ts: ts!, tms, text, sourceFile: r.run_dir, role: null, failure: false, run: r });
  }
  events.sort(byTime);
  const byId = new Map(events.map((e) => [e.id, e]));
  const eventsOf = new Map<string, RelayEvent[]>();
  for (const e of events) (eventsOf.get(e.agent) ?? eventsOf.set(e.agent, []).get(e.agent)!).push(e);
  const known = new Set(core.agents.map((a) => a.agent_id));
  for (const e of events) known.add(e.agent);

  // Artifact keys each event names (uses = provides for text; runs only use).
  const keysOf = new Map<string, string[]>();
  const allBuckets = new Set<string>();
  for (const e of events) {
    let keys: string[];
    if (e.run) {
      keys = [...(e.run.submission_prefix ? [e.run.submission_prefix] : []), ...(e.run.bucket_refs ?? []).map((b) => `bucket:${bucketOf(b) ?? b}`)];
    } else if (e.result) {
      keys = artifactKeys([e.text, e.result.submission ?? '', ...(e.result.artifacts ?? [])].join('\n'));
      if (e.result.submission_prefix && !keys.includes(e.result.submission_prefix)) keys.push(e.result.submission_prefix);
    } else keys = artifactKeys(e.text);
    keysOf.set(e.id, keys);
    for (const k of keys) {
      const b = bucketOf(k);
      if (b) allBuckets.add(b);
    }
  }
  const owners = bucketOwners(core, known, allBuckets);

  const incoming = new Map<string, Edge[]>();
  const outgoing = new Map<string, Edge[]>();
  const seen = new Set<string>();
  const addEdge = (from: RelayEvent, to: RelayEvent, kind: LinkKind): void => {
    if (from === to || from.tms > to.tms) return;
    const k = `${from.id}\u0000${to.id}`;
    if (seen.has(k)) return;
    seen.add(k);
    const edge = { from, to, kind };
    (incoming.get(to.id) ?? incoming.set(to.id, []).get(to.id)!).push(edge);
    (outgoing.get(from.id) ?? outgoing.set(from.id, []).get(from.id)!).push(edge);
  };

  // ref / quoted-filename from message_links.
  for (const l of core.message_links) {
    if (l.kind !== 'ref' && l.kind !== 'quoted-filename') continue;
    const to = byId.get(l.from_file);
    const from = l.to_file ? byId.get(l.to_file) : undefined;
    if (to && from) addEdge(from, to, l.kind);
  }

  // report: a results-report refs its author's result and the messages it followed up (§1.4); those messages
  // are then tied to the result itself.
  const refsOf = new Map<string, RelayEvent[]>();
  for (const l of core.message_links) {
    if (l.kind !== 'ref' || !l.to_file) continue;
    const to = byId.get(l.to_file);
    if (to) (refsOf.get(l.from_file) ?? refsOf.set(l.from_file, []).get(l.from_file)!).push(to);
  }
  for (const [from, targets] of refsOf) {
    const m = byId.get(from);
    if (!m?.message) continue;
    for (const r of targets) {
      if (!r.result || r.agent !== m.agent) continue;
      for (const x of targets) if (x !== r && x.tms < r.tms) addEdge(x, r, 'report');
    }
  }

  // artifact: index mentions of each key (and of each bucket, for runs' bucket-level refs).
  const mentionsOfKey = new Map<string, RelayEvent[]>();
  const mentionsOfBucket = new Map<string, RelayEvent[]>();
  for (const e of events) {
    if (e.run) continue;
    for (const k of keysOf.get(e.id) ?? []) {
      (mentionsOfKey.get(k) ?? mentionsOfKey.set(k, []).get(k)!).push(e);
      const b = bucketOf(k);
      if (b) (mentionsOfBucket.get(b) ?? mentionsOfBucket.set(b, []).get(b)!).push(e);
    }
  }
  // Lists are in time order (events are sorted before they are indexed): the latest mention before `e` is found by
  // binary search, overall and among the key owner's own mentions.
  const mentionsOfKeyBy = new Map<string, RelayEvent[]>();
  const mentionsOfBucketBy = new Map<string, RelayEvent[]>();
  for (const [k, list] of mentionsOfKey) for (const c of list) (mentionsOfKeyBy.get(`${k}\u0000${c.agent}`) ?? mentionsOfKeyBy.set(`${k}\u0000${c.agent}`, []).get(`${k}\u0000${c.agent}`)!).push(c);
  for (const [b, list] of mentionsOfBucket) for (const c of list) (mentionsOfBucketBy.get(`${b}\u0000${c.agent}`) ?? mentionsOfBucketBy.set(`${b}\u0000${c.agent}`, []).get(`${b}\u0000${c.agent}`)!).push(c);
  const latestBefore = (all: Map<string, RelayEvent[]>, by: Map<string, RelayEvent[]>, key: string, e: RelayEvent, owner: string | null): RelayEvent | null =>
    (owner ? lastBefore(by.get(`${key}\u0000${owner}`), e) : null) ?? lastBefore(all.get(key), e);
  const ownerCache = new Map<string, string | null>();
  const owner = (k: string): string | null => {
    if (!ownerCache.has(k)) ownerCache.set(k, ownerOf(k, owners, known));
    return ownerCache.get(k)!;
  };
  for (const e of events) {
    for (const k of keysOf.get(e.id) ?? []) {
      const o = owner(k);
      let from = latestBefore(mentionsOfKey, mentionsOfKeyBy, k, e, o);
      if (!from && e.run && k.startsWith('bucket:')) from = latestBefore(mentionsOfBucket, mentionsOfBucketBy, bucketOf(k)!, e, o);
      if (from) addEdge(from, e, 'artifact');
    }
  }

  // job: a message or result quoting a run's job id.
  const runByJob = new Map<string, RelayEvent>();
  for (const e of events) if (e.run?.job_id) runByJob.set(e.run.job_id, e);
  for (const e of events) {
    if (e.run) continue;
    const ids = e.result ? (e.result.job_ids ?? []) : extractJobIds(e.text);
    for (const j of ids) {
      const r = runByJob.get(j);
      if (r) addEdge(r, e, 'job');
      if (r && r.tms > e.tms) addEdge(e, r, 'job');
    }
  }

  // Best result before a time (for improvesBest and score gains). Invalid and over-cap results never count.
  const countsForBest = (r: ResultRow): boolean =>
    r.score !== null && (r.status === 'agent-run' || r.status === 'baseline') && r.verification !== 'invalid' && r.over_cap !== true;
  const hib = config.higher_is_better;
  // Counting results in time order, with the best score so far: the best of a set of results posted before a
  // time is one binary search (over all of them, per method, per submission prefix).
  type Timeline = { t: number[]; best: number[] };
  const timelines = (keyOf: (r: ResultRow) => string | null): Map<string, Timeline> => {
    const groups = new Map<string, { t: number; score: number }[]>();
    for (const r of core.results) {
      const k = countsForBest(r) ? keyOf(r) : null;
      const t = ms(r.ts);
      if (k === null || t === null) continue;
      (groups.get(k) ?? groups.set(k, []).get(k)!).push({ t, score: r.score! });
    }
    const out = new Map<string, Timeline>();
    for (const [k, list] of groups) {
      list.sort((a, b) => a.t - b.t);
      const best: number[] = [];
      for (const [i, x] of list.entries()) best.push(i === 0 || beats(x.score, best[i - 1]!, hib) ? x.score : best[i - 1]!);
      out.set(k, { t: list.map((x) => x.t), best });
    }
    return out;
  };
  const bestBeforeIn = (tl: Timeline | undefined, tms: number): number | null => {
    const n = tl ? partitionPoint(tl.t.length, (i) => tl.t[i]! < tms) : 0;
    return n > 0 ? tl!.best[n - 1]! : null;
  };
  const allResults = timelines(() => '').get('');
  const bestBefore = (tms: number): number | null => {
    const fromResults = bestBeforeIn(allResults, tms);
    const base = config.baseline_score;
    if (fromResults === null) return base;
    return base === null ? fromResults : beats(fromResults, base, hib) ? fromResults : base;
  };

  // What a result builds on (its starting point): results it refs or quotes or whose artifact paths it names,
  // whose method string it names ("on top of vllm-int4-lmhead-v1"), or whose submission it names with the
  // owner ("on top of a's vllm-int4-v1 submission"); failing those, the latest earlier result of the agent whose
  // stack it names ("a's stack"), else of each agent it credits. A ship must beat the best of them (and, when
  // it names nothing at all, the best result overall).
  const methodResults = timelines((r) => (r.method && r.method.length >= 6 ? r.method : null));
  const prefixResults = timelines((r) => r.submission_prefix);
  const startingPoint = (e: RelayEvent): number | null => {
    const base: number[] = [];
    const add = (score: number | null): void => {
      if (score !== null) base.push(score);
    };
    for (const x of incoming.get(e.id) ?? []) {
      const r = x.from.result;
      if (r && x.kind !== 'mention' && x.kind !== 'credit' && countsForBest(r)) base.push(r.score!);
    }
    const credits = e.result?.credits ?? [];
    for (const tok of new Set(e.text.match(/[A-Za-z0-9][\w.+-]{4,}[A-Za-z0-9]/g) ?? [])) {
      add(bestBeforeIn(methodResults.get(tok), e.tms));
      for (const a of credits) add(bestBeforeIn(prefixResults.get(`submissions/${a}/${tok}`), e.tms));
    }
    if (!base.length) {
      // "on top of a's stack", "starting from @a's best": the possessive names whose stack it started from;
      // other credited agents may be helpers whose own latest result is unrelated.
      const owners = credits.filter((a) => new RegExp(`(?<![\\w-])@?${a.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}['’]s\\b`).test(e.text));
      for (const a of owners.length ? owners : credits) {
        const r = latestOf(eventsOf.get(a), e, (c) => c.result !== undefined && countsForBest(c.result))?.result;
        if (r) base.push(r.score!);
      }
    }
    return base.length ? base.reduce((a, b) => (beats(b, a, hib) ? b : a)) : null;
  };

  // Roles, in two rounds: failures first (context-free), then everything with context.
  for (const e of events) {
    if (e.run) e.failure = e.run.status === 'error' || e.run.status === 'timed_out';
    else if (e.result) e.failure = e.result.status === 'negative' && findFailure(e.text) !== null;
    else e.failure = findFailure(e.text) !== null;
  }
  const mentionsOf = new Map<string, string[]>();
  for (const l of core.message_links) {
    if (l.kind === 'mention' && l.to_agent) (mentionsOf.get(l.from_file) ?? mentionsOf.set(l.from_file, []).get(l.from_file)!).push(l.to_agent);
  }
  for (const e of events) {
    const inc = incoming.get(e.id) ?? [];
    const mentioned = (mentionsOf.get(e.id) ?? []).filter((a) => a !== e.agent);
    const credits = (e.result?.credits ?? []).filter((a) => a !== e.agent);
    const otherKeys = (keysOf.get(e.id) ?? []).some((k) => {
      const o = owner(k);
      return o !== null && o !== e.agent;
    });
    const linksToOtherAgent = inc.some((x) => x.from.agent !== e.agent) || mentioned.length > 0 || credits.length > 0 || otherKeys;
    if (e.message) {
      const repliesToFailure =
        inc.some((x) => (x.kind === 'ref' || x.kind === 'quoted-filename') && x.from.failure) ||
        mentioned.some((a) => latestOf(eventsOf.get(a), e, () => true)?.failure === true);
      e.role = classifyMessageRole({ text: e.text, linksToOtherAgent, repliesToFailure });
    } else if (e.run) {
      e.role = classifyRunRole({ status: e.run.status, statusMessage: e.run.status_message, usesOtherArtifact: otherKeys, runDir: e.run.run_dir });
    } else if (e.result) {
      const r = e.result;
      const prev = startingPoint(e) ?? bestBefore(e.tms);
      const improvesBest = r.score !== null && (prev === null || beats(r.score, prev, hib));
      const role = classifyResultRole({ text: e.text, status: r.status, overCap: r.over_cap, isBaseline: r.is_baseline, linksToOtherAgent, improvesBest });
      e.role = role;
    }
  }

  // mention edges: to the latest earlier event of the agent that has a role or is a result (a reply to it);
  // credit edges: to the agent's latest build post, else its latest result, else its latest role event.
  for (const e of events) {
    // In a result, an @-mention is a credit (below), not a reply.
    for (const a of e.result ? [] : new Set(mentionsOf.get(e.id) ?? [])) {
      if (a === e.agent) continue;
      const from = latestOf(eventsOf.get(a), e, upstreamable);
      if (from) addEdge(from, e, 'mention');
    }
    for (const a of e.result?.credits ?? []) {
      if (a === e.agent) continue;
      const from =
        latestOf(eventsOf.get(a), e, (c) => c.part !== 'results' && c.role?.role === 'build') ??
        latestOf(eventsOf.get(a), e, (c) => c.part === 'results' && upstreamable(c)) ??
        latestOf(eventsOf.get(a), e, upstreamable);
      if (from) addEdge(from, e, 'credit');
    }
  }
  return { events, byId, incoming, outgoing, mentionsOf, bestBefore };
}

/** An event another agent can build on: it has a role, or it is a posted (non-negative) result. */
const upstreamable = (e: RelayEvent): boolean =>
  e.role !== null || (e.part === 'results' && e.result?.status !== 'negative' && e.result?.is_baseline !== true);

/** Latest event of one agent's time-ordered events strictly before `e` (within the window) that passes `ok`. */
function latestOf(events: RelayEvent[] | undefined, e: RelayEvent, ok: (c: RelayEvent) => boolean): RelayEvent | null {
  if (!events) return null;
  for (let i = indexBefore(events, e) - 1; i >= 0; i--) {
    const c = events[i]!;
    if (e.tms - c.tms > WINDOW_MS) break;
    if (ok(c)) return c;
  }
  return null;
}

/** Number of events in a time-ordered list that come strictly before `e`. */
function indexBefore(events: RelayEvent[], e: RelayEvent): number {
  return partitionPoint(events.length, (i) => byTime(events[i]!, e) < 0);
}

/** The latest event of a time-ordered list strictly before `e`. */
function lastBefore(events: RelayEvent[] | undefined, e: RelayEvent): RelayEvent | null {
  if (!events) return null;
  const i = indexBefore(events, e);
  return i > 0 ? events[i - 1]! : null;
}

// ---------------------------------------------------------------------------------------------------------
// Walks, chains and hand-offs

interface Step {
  ev: RelayEvent;
  role: RelayRole;
  rule: string;
  evidence: string;
  linkedBy: LinkKind | 'bracket' | null;
}

/** The role an upstream event plays in someone else's hand-off (rule 5): a posted result counts as a build. */
function upstreamRole(ev: RelayEvent): Pick<Step, 'role' | 'rule' | 'evidence'> | null {
  if (ev.part === 'results') {
    if (ev.role?.role === 'fail') return ev.role;
    if (!upstreamable(ev)) return null;
    return { role: 'build', rule: 'build:result-reused', evidence: firstSnippet(ev.text) };
  }
  return ev.role;
}

/** The role an upstream event plays in a chain walk (rule 4): results are lineage unless they report a failure. */
function chainRole(ev: RelayEvent): Pick<Step, 'role' | 'rule' | 'evidence'> | null {
  if (ev.part === 'results') return ev.role?.role === 'fail' ? ev.role : null;
  return ev.role;
}

/**
 * Links that tie an event to a walk: file links (refs, quoted names, artifact paths, job ids), and the one
 * @-mention pattern of a relay, a diagnosis addressed to the author of a failure.
 */
const tying = (e: Edge): boolean =>
  e.kind === 'mention' ? e.from.role?.role === 'fail' && e.to.role?.role === 'diagnose' : e.kind !== 'credit';

/**
 * The walk of rule 4. (a) From the ship, follow file links backwards through events that have a chain role.
 * (b) Then admit events of the agents the ship credits or mentions (and the shipper's own) that are tied to
 * an event already in the walk, in either direction (see `tying`), and repeat (a) from them.
 * A credit alone never admits an event: credits also name lineage (whose stack the ship started from).
 */
function walkFromShip(g: RelayGraph, ship: RelayEvent): Step[] {
  const steps = new Map<string, Step>([[ship.id, { ev: ship, role: 'ship', rule: ship.role!.rule, evidence: ship.role!.evidence, linkedBy: null }]]);
  const ok = (y: RelayEvent, to: RelayEvent): Pick<Step, 'role' | 'rule' | 'evidence'> | null => {
    if (steps.size >= MAX_STEPS || steps.has(y.id) || ship.tms - y.tms > WINDOW_MS || y.tms > to.tms || y === ship) return null;
    // The shipper's own completed runs are the ship's benchmark, not a step of their own.
    if (y.agent === ship.agent && y.part === 'runs' && y.role?.role === 'run') return null;
    return chainRole(y);
  };
  const queue: RelayEvent[] = [ship];
  const backwards = (): void => {
    while (queue.length) {
      const x = queue.shift()!;
      const inc = [...(g.incoming.get(x.id) ?? [])].filter((e) => e.kind !== 'mention' && e.kind !== 'credit').sort((a, b) => byTime(b.from, a.from));
      for (const edge of inc) {
        // The ship's own job (the run that produced it) is part of the ship.
        if (x === ship && edge.kind === 'job') continue;
        const r = ok(edge.from, x);
        if (!r) continue;
        steps.set(edge.from.id, { ev: edge.from, ...r, linkedBy: edge.kind });
        queue.push(edge.from);
      }
    }
  };
  backwards();
  const named = new Set<string>([ship.agent, ...(ship.result?.credits ?? []), ...(g.mentionsOf.get(ship.id) ?? [])]);
  for (let changed = true; changed && steps.size < MAX_STEPS; ) {
    changed = false;
    const cands: { y: RelayEvent; edge: Edge }[] = [];
    for (const w of steps.values()) {
      for (const e of g.incoming.get(w.ev.id) ?? []) if (tying(e) && named.has(e.from.agent)) cands.push({ y: e.from, edge: e });
      for (const e of g.outgoing.get(w.ev.id) ?? []) if (tying(e) && named.has(e.to.agent)) cands.push({ y: e.to, edge: e });
    }
    cands.sort((a, b) => byTime(b.y, a.y));
    for (const { y, edge } of cands) {
      if (edge.kind === 'job' && (edge.from === ship || edge.to === ship)) continue;
      const r = ok(y, ship);
      if (!r) continue;
      steps.set(y.id, { ev: y, ...r, linkedBy: edge.kind });
      queue.push(y);
      changed = true;
    }
    backwards();
  }
  // The ship's own link: the kind of its link from the latest step that joined through it.
  const inc = (g.incoming.get(ship.id) ?? []).filter((e) => steps.has(e.from.id)).sort((a, b) => byTime(b.from, a.from));
  const own = steps.get(ship.id)!;
  own.linkedBy = inc[0]?.kind ?? null;
  return orderSteps([...steps.values()], ship);
}

/** Time order with the outcome last; consecutive steps by the same agent in the same role merged into one. */
function orderSteps(steps: Step[], last: RelayEvent | null): Step[] {
  const sorted = steps.filter((s) => s.ev !== last).sort((a, b) => byTime(a.ev, b.ev));
  const tail = steps.find((s) => s.ev === last);
  if (tail) sorted.push(tail);
  const out: Step[] = [];
  for (const s of sorted) {
    const prev = out[out.length - 1];
    if (prev && prev.ev.agent === s.ev.agent && prev.role === s.role) {
      // Keep the outcome, else the message (its text is the better evidence than a run status), else the first.
      const keep = s.ev === last || (prev.ev.part === 'runs' && s.ev.part === 'messages') ? s : prev;
      out[out.length - 1] = keep;
      continue;
    }
    out.push(s);
  }
  return out;
}

const distinctAgents = (steps: readonly { ev: RelayEvent }[]): string[] => [...new Set(steps.map((s) => s.ev.agent))];

/** Rule 4's shape test for a chain. */
export function isChainShape(steps: readonly { role: RelayRole; ev: { agent: string } }[]): boolean {
  const last = steps[steps.length - 1];
  if (last?.role !== 'ship') return false;
  if (new Set(steps.map((s) => s.ev.agent)).size < 3) return false;
  const otherRoles = new Set(steps.slice(0, -1).filter((s) => s.ev.agent !== last.ev.agent).map((s) => s.role));
  return otherRoles.size >= 2;
}

interface Relay {
  id: string;
  kind: 'chain' | 'handoff' | 'staged';
  source: 'board' | 'credit-bracket';
  steps: RelayStepRow[];
  outcomeResult: string | null;
  outcomeScore: number | null;
  gain: number | null;
  startTs: string | null;
  endTs: string | null;
  title: string | null;
}

const stem = (id: string): string => id.replace(/\.md$/, '');

function toRelay(id: string, kind: Relay['kind'], steps: Step[], g: RelayGraph, config: CollabConfig): Relay {
  const first = steps[0]!;
  const lastResult = [...steps].reverse().find((s) => s.ev.part === 'results' && (s.role === 'ship' || s.role === 'run'));
  const lastRun = [...steps].reverse().find((s) => s.ev.run?.score !== null && s.ev.run?.score !== undefined && s.role === 'run');
  const outcomeScore = lastResult?.ev.result?.score ?? lastRun?.ev.run?.score ?? null;
  const prev = g.bestBefore(first.ev.tms);
  const outcome = lastResult ?? lastRun;
  const title = lastResult?.ev.result?.description ? plain(lastResult.ev.result.description) : first.evidence;
  return {
    id,
    kind,
    source: 'board',
    steps: steps.map((s, i) => ({
      chain_id: id,
      step: i + 1,
      agent: s.ev.agent,
      role: s.role,
      rule: s.rule,
      linked_by: s.linkedBy,
      ts: s.ev.ts,
      source_file: s.ev.sourceFile,
      source_part: s.ev.part,
      evidence: s.evidence,
    })),
    outcomeResult: lastResult?.ev.id ?? null,
    outcomeScore,
    gain: outcomeScore !== null && prev !== null ? gain(outcomeScore, prev, config.higher_is_better) : null,
    startTs: first.ev.ts,
    endTs: (outcome ?? steps[steps.length - 1]!).ev.ts,
    title: title ? title.slice(0, 120) : null,
  };
}

function boardRelays(g: RelayGraph, config: CollabConfig): Relay[] {
  const relays: Relay[] = [];
  const chainSets: { shipper: string; others: Set<string> }[] = [];
  const chainMembers = new Map<string, Set<string>>(); // event id → agents it shares a chain with
  const handoffKeys = new Set<string>();

  for (const ship of g.events) {
    if (ship.role?.role !== 'ship') continue;
    const steps = walkFromShip(g, ship);
    const agents = distinctAgents(steps);
    if (isChainShape(steps)) {
      const others = new Set(steps.filter((s) => s.ev !== ship).map((s) => s.ev.id));
      const followUp = chainSets.some((c) => c.shipper === ship.agent && [...others].every((o) => c.others.has(o)));
      if (followUp) continue;
      chainSets.push({ shipper: ship.agent, others });
      relays.push(toRelay(`chain/${stem(ship.id)}`, 'chain', steps, g, config));
      for (const s of steps) {
        const set = chainMembers.get(s.ev.id) ?? new Set<string>();
        for (const a of agents) set.add(a);
        chainMembers.set(s.ev.id, set);
      }
    } else if (agents.length === 2) {
      const builds = steps.filter((s) => s.ev.agent !== ship.agent && s.role === 'build');
      if (builds.length === 0) continue;
      const kind = builds.some((b) => isStagedRule(b.rule)) ? 'staged' : 'handoff';
      const key = `${builds[0]!.ev.id}\u0000${ship.agent}`;
      if (handoffKeys.has(key)) continue;
      handoffKeys.add(key);
      relays.push(toRelay(`${kind}/${stem(builds[0]!.ev.id)}/${stem(ship.id)}`, kind, steps, g, config));
    }
  }

  // Rule 5: hand-offs outside ships. Explicit build posts (messages, runs) win over reused results.
  const followers = new Map<string, { build: Step; steps: Step[] }>();
  for (const f of g.events) {
    if (f.role?.role !== 'run' && f.role?.role !== 'ship') continue;
    const ups = (g.incoming.get(f.id) ?? [])
      .filter((e) => e.from.agent !== f.agent && f.tms - e.from.tms <= WINDOW_MS)
      .map((e) => ({ e, r: upstreamRole(e.from) }))
      .filter((x) => x.r?.role === 'build');
    const posts = ups.filter((x) => x.e.from.part !== 'results');
    const tied = posts.filter((x) => x.e.kind !== 'credit' && x.e.kind !== 'mention');
    // A result that builds on another result and beats it is lineage; only a reproduction (run) is a hand-off.
    const pick = tied.length ? tied : posts.length ? posts : f.role.role === 'run' ? ups : [];
    if (new Set(pick.map((x) => x.e.from.agent)).size !== 1) continue;
    const { e, r } = pick.sort((a, b) => byTime(a.e.from, b.e.from))[0]!;
    const b = e.from;
    if (chainMembers.get(b.id)?.has(f.agent)) continue;
    const key = `${b.id}\u0000${f.agent}`;
    if (handoffKeys.has(key)) continue;
    const entry = followers.get(key) ?? { build: { ev: b, ...r!, linkedBy: e.kind }, steps: [] };
    entry.steps.push({ ev: f, role: f.role.role, rule: f.role.rule, evidence: f.role.evidence, linkedBy: e.kind });
    followers.set(key, entry);
  }
  for (const { build, steps } of followers.values()) {
    // The follower's steps up to its first result (the outcome); later reports repeat it.
    const sorted = [...steps].sort((a, b) => byTime(a.ev, b.ev));
    const firstResult = sorted.findIndex((s) => s.ev.part === 'results');
    const kept = firstResult >= 0 ? sorted.slice(0, firstResult + 1) : sorted;
    const outcome = firstResult >= 0 ? kept[kept.length - 1]!.ev : null;
    const ordered = orderSteps([build, ...kept], outcome);
    const kind = isStagedRule(build.rule) ? 'staged' : 'handoff';
    relays.push(toRelay(`${kind}/${stem(build.ev.id)}/${stem(sorted[0]!.ev.id)}`, kind, ordered, g, config));
  }
  return relays;
}

// ---------------------------------------------------------------------------------------------------------
// Credit brackets

function bracketRelays(core: CoreTables, config: CollabConfig, bestBefore: (tms: number) => number | null): Relay[] {
  const out: Relay[] = [];
  const labels = [config.score_label, config.unit, config.score_field];
  const resultByName = new Map(core.results.map((r) => [r.filename, r]));
  for (const d of core.documents) {
    if (!d.text || (d.format !== 'md' && d.format !== 'txt')) continue;
    const lines = d.text.split('\n');
    for (const b of parseCreditBrackets(d.text, { scoreLabels: labels, higherIsBetter: config.higher_is_better })) {
      if (!b.multiRole) continue;
      const parts = b.parts.filter((p) => p.role !== null);
      const agents = [...new Set(parts.map((p) => p.agent))];
      let kind: Relay['kind'];
      if (agents.length >= 3) kind = 'chain';
      else if (agents.length === 2 && parts.some((p) => p.role === 'build') && parts.some((p) => p.role === 'run' || p.role === 'ship')) kind = 'handoff';
      else continue;
      const id = `bracket/${d.path}#L${b.line}`;
      const shipAgent = [...parts].reverse().find((p) => p.role === 'ship' || p.role === 'run')?.agent ?? null;
      const others = agents.filter((a) => a !== shipAgent);
      const quoted = extractQuotedFilenames(lines[b.line - 1] ?? '')
        .map((f) => resultByName.get(f))
        .filter((r): r is ResultRow => r !== undefined);
      const byTs = (x: ResultRow, y: ResultRow): number => (x.filename < y.filename ? -1 : 1);
      const own = core.results.filter((r) => r.agent === shipAgent && r.score !== null).sort(byTs);
      const match =
        shipAgent === null
          ? undefined
          : // 1. a result of the ship agent quoted on the line; 2. its result that credits the other agents;
            // 3. when the line quotes no result, its result within 1 % of the quoted score.
            (quoted.find((r) => r.agent === shipAgent) ??
            own.find((r) => others.length > 0 && others.every((a) => (r.credits ?? []).includes(a))) ??
            (quoted.length === 0 && b.score !== null ? own.find((r) => Math.abs(r.score! - b.score!) <= Math.abs(b.score!) * 0.01) : undefined));
      // A matched result gives a real score and time; the bracket has no start, so the best before the outcome stands in.
      const before = match?.ts ? bestBefore(Date.parse(match.ts)) : null;
      const matchGain = match?.score != null && before !== null ? gain(match.score, before, config.higher_is_better) : null;
      out.push({
        id,
        kind,
        source: 'credit-bracket',
        steps: parts.map((p, i) => ({
          chain_id: id,
          step: i + 1,
          agent: p.agent,
          role: p.role!,
          rule: `bracket:${p.verb}`,
          linked_by: 'bracket',
          ts: null,
          source_file: d.path,
          source_part: 'documents',
          evidence: b.evidence,
        })),
        outcomeResult: match?.filename ?? null,
        outcomeScore: match ? match.score : b.score,
        gain: match ? matchGain : b.score !== null && b.previousBest !== null ? gain(b.score, b.previousBest, config.higher_is_better) : null,
        startTs: null,
        endTs: match?.ts ?? null,
        title: b.title ?? snippetAt(b.evidence, 0, 0, 120),
      });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------

export function deriveRelays(core: CoreTables, config: CollabConfig): RelayTables {
  const g = buildGraph(core, config);
  const relays = [...boardRelays(g, config), ...bracketRelays(core, config, g.bestBefore)];
  const ids = new Set<string>();
  const unique = relays.filter((r) => {
    if (ids.has(r.id)) return false;
    ids.add(r.id);
    return true;
  });
  const chains: RelayChainRow[] = unique.map((r) => {
    const agents = [...new Set(r.steps.map((s) => s.agent!))];
    return {
      chain_id: r.id,
      kind: r.kind,
      source: r.source,
      agents,
      n_agents: agents.length,
      roles: r.steps.map((s) => s.role!),
      start_ts: r.startTs,
      end_ts: r.endTs,
      outcome_result: r.outcomeResult,
      outcome_score: r.outcomeScore,
      score_gain: r.gain,
      length: r.steps.length,
      title: r.title,
    };
  });
  chains.sort((a, b) => (a.chain_id < b.chain_id ? -1 : a.chain_id > b.chain_id ? 1 : 0));
  const steps = unique.flatMap((r) => r.steps);
  steps.sort((a, b) => (a.chain_id < b.chain_id ? -1 : a.chain_id > b.chain_id ? 1 : a.step - b.step));
  const roles = new Map<string, { count: number; chains: Set<string> }>();
  for (const s of steps) {
    const k = `${s.agent}\u0000${s.role}`;
    const v = roles.get(k) ?? { count: 0, chains: new Set<string>() };
    v.count++;
    v.chains.add(s.chain_id);
    roles.set(k, v);
  }
  const agentRoles: AgentRoleRow[] = [...roles]
    .map(([k, v]) => {
      const [agent, role] = k.split('\u0000') as [string, string];
      return { agent, role, count: v.count, chains: v.chains.size };
    })
    .sort((a, b) => (a.agent < b.agent ? -1 : a.agent > b.agent ? 1 : a.role < b.role ? -1 : a.role > b.role ? 1 : 0));
  return { relay_chains: chains, relay_steps: steps, agent_roles: agentRoles };
}
