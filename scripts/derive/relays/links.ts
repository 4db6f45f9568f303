// Relays rule 2: links between events, always from an earlier event to a later one, one per (from, to).
import type { MessageLinkRow } from '../../../src/lib/schema/core.ts';
import { extractJobIds } from '../../ingest/text.ts';
import { pushTo } from '../collections.ts';
import { bucketOf } from './artifacts.ts';
import { lastBefore, latestOf, upstreamable, type Edge, type LinkKind, type RelayEvent } from './events.ts';

/** The events and their look-ups that the link rules read. */
export interface EventIndex {
  events: RelayEvent[];
  byId: Map<string, RelayEvent>;
  /** Each agent's events, in time order. */
  eventsOf: Map<string, RelayEvent[]>;
  /** Artifact keys each event names. */
  keysOf: Map<string, string[]>;
  owner: (key: string) => string | null;
}

/** Incoming and outgoing edges per event id; the first link between two events is the one kept. */
export class EdgeSet {
  readonly incoming = new Map<string, Edge[]>();
  readonly outgoing = new Map<string, Edge[]>();
  private readonly seen = new Set<string>();

  add(from: RelayEvent, to: RelayEvent, kind: LinkKind): void {
    if (from === to || from.tms > to.tms) return;
    const k = `${from.id}\u0000${to.id}`;
    if (this.seen.has(k)) return;
    this.seen.add(k);
    const edge = { from, to, kind };
    pushTo(this.incoming, to.id, edge);
    pushTo(this.outgoing, from.id, edge);
  }
}

/** ref / quoted-filename: message_links rows resolved to another event. */
export function refLinks(links: readonly MessageLinkRow[], ix: EventIndex, edges: EdgeSet): void {
  for (const l of links) {
    if (l.kind !== 'ref' && l.kind !== 'quoted-filename') continue;
    const to = ix.byId.get(l.from_file);
    const from = l.to_file ? ix.byId.get(l.to_file) : undefined;
    if (to && from) edges.add(from, to, l.kind);
  }
}

/**
 * report: a results-report refs its author's result and the messages it followed up (§1.4); those messages are
 * then tied to the result itself.
 */
export function reportLinks(links: readonly MessageLinkRow[], ix: EventIndex, edges: EdgeSet): void {
  const refsOf = new Map<string, RelayEvent[]>();
  for (const l of links) {
    if (l.kind !== 'ref' || !l.to_file) continue;
    const to = ix.byId.get(l.to_file);
    if (to) pushTo(refsOf, l.from_file, to);
  }
  for (const [from, targets] of refsOf) {
    const m = ix.byId.get(from);
    if (!m?.message) continue;
    for (const r of targets) {
      if (!r.result || r.agent !== m.agent) continue;
      for (const x of targets) if (x !== r && x.tms < r.tms) edges.add(x, r, 'report');
    }
  }
}

/** artifact: the later event links to the latest earlier mention of a key it names, the key owner's first. */
export function artifactLinks(ix: EventIndex, edges: EdgeSet): void {
  // Mentions of each key (and of each bucket, for runs' bucket-level refs), overall and per agent. Lists are in
  // time order (events are sorted before they are indexed): the latest mention before `e` is a binary search.
  const mentionsOfKey = new Map<string, RelayEvent[]>();
  const mentionsOfBucket = new Map<string, RelayEvent[]>();
  for (const e of ix.events) {
    if (e.run) continue;
    for (const k of ix.keysOf.get(e.id) ?? []) {
      pushTo(mentionsOfKey, k, e);
      const b = bucketOf(k);
      if (b) pushTo(mentionsOfBucket, b, e);
    }
  }
  const byAgent = (all: Map<string, RelayEvent[]>): Map<string, RelayEvent[]> => {
    const by = new Map<string, RelayEvent[]>();
    for (const [k, list] of all) for (const c of list) pushTo(by, `${k}\u0000${c.agent}`, c);
    return by;
  };
  const mentionsOfKeyBy = byAgent(mentionsOfKey);
  const mentionsOfBucketBy = byAgent(mentionsOfBucket);
  const latestBefore = (all: Map<string, RelayEvent[]>, by: Map<string, RelayEvent[]>, key: string, e: RelayEvent, owner: string | null): RelayEvent | null =>
    (owner ? lastBefore(by.get(`${key}\u0000${owner}`), e) : null) ?? lastBefore(all.get(key), e);
  for (const e of ix.events) {
    for (const k of ix.keysOf.get(e.id) ?? []) {
      const o = ix.owner(k);
      let from = latestBefore(mentionsOfKey, mentionsOfKeyBy, k, e, o);
      if (!from && e.run && k.startsWith('bucket:')) from = latestBefore(mentionsOfBucket, mentionsOfBucketBy, bucketOf(k)!, e, o);
      if (from) edges.add(from, e, 'artifact');
    }
  }
}

/** job: a message or result quoting a run's job id. */
export function jobLinks(ix: EventIndex, edges: EdgeSet): void {
  const runByJob = new Map<string, RelayEvent>();
  for (const e of ix.events) if (e.run?.job_id) runByJob.set(e.run.job_id, e);
  for (const e of ix.events) {
    if (e.run) continue;
    const ids = e.result ? (e.result.job_ids ?? []) : extractJobIds(e.text);
    for (const j of ids) {
      const r = runByJob.get(j);
      if (r) edges.add(r, e, 'job');
      if (r && r.tms > e.tms) edges.add(e, r, 'job');
    }
  }
}

/** @-mentioned agents per message (message_links mention rows). */
export function mentionsByFile(links: readonly MessageLinkRow[]): Map<string, string[]> {
  const mentionsOf = new Map<string, string[]>();
  for (const l of links) if (l.kind === 'mention' && l.to_agent) pushTo(mentionsOf, l.from_file, l.to_agent);
  return mentionsOf;
}

/** mention: @agent in a message links from that agent's latest earlier event that has a role or is a result. */
export function mentionLinks(e: RelayEvent, mentionsOf: ReadonlyMap<string, string[]>, ix: EventIndex, edges: EdgeSet): void {
  // In a result, an @-mention is a credit (below), not a reply.
  for (const a of e.result ? [] : new Set(mentionsOf.get(e.id) ?? [])) {
    if (a === e.agent) continue;
    const from = latestOf(ix.eventsOf.get(a), e, upstreamable);
    if (from) edges.add(from, e, 'mention');
  }
}

/** credit: results.credits link from the agent's latest build post, else its latest result, else its latest role event. */
export function creditLinks(e: RelayEvent, ix: EventIndex, edges: EdgeSet): void {
  for (const a of e.result?.credits ?? []) {
    if (a === e.agent) continue;
    const from =
      latestOf(ix.eventsOf.get(a), e, (c) => c.part !== 'results' && c.role?.role === 'build') ??
      latestOf(ix.eventsOf.get(a), e, (c) => c.part === 'results' && upstreamable(c)) ??
      latestOf(ix.eventsOf.get(a), e, upstreamable);
    if (from) edges.add(from, e, 'credit');
  }
}
