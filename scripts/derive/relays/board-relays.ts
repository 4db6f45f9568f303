// Relays rules 4–5 on the board: a chain or hand-off from every ship, then hand-offs outside ships.
import { isStagedRule, type RelayRole } from '../../../src/lib/relays/roles.ts';
import { byTime, WINDOW_MS, type Edge, type RelayEvent } from './events.ts';
import type { RelayGraph } from './graph.ts';
import { stem, toRelay, type Relay, type Step } from './relay.ts';
import { distinctAgents, isChainShape, orderSteps, upstreamRole, walkFromShip } from './walks.ts';

/** What the ship walks leave for rule 5: event id → agents it shares a chain with; (build, follower) pairs taken. */
interface Taken {
  chainMembers: Map<string, Set<string>>;
  handoffKeys: Set<string>;
}

/** Rules 4 and 5, in that order (a hand-off already in a chain, or already found from a ship, is not repeated). */
export function boardRelays(g: RelayGraph): Relay[] {
  const { relays, taken } = shipRelays(g);
  return [...relays, ...handoffRelays(g, taken)];
}

/** Rule 4: the walk from every ship, kept as a chain (not a follow-up of an earlier one) or a two-agent hand-off. */
function shipRelays(g: RelayGraph): { relays: Relay[]; taken: Taken } {
  const relays: Relay[] = [];
  const chainSets: { shipper: string; others: Set<string> }[] = [];
  const taken: Taken = { chainMembers: new Map(), handoffKeys: new Set() };
  for (const ship of g.events) {
    if (ship.role?.role !== 'ship') continue;
    const steps = walkFromShip(g, ship);
    const agents = distinctAgents(steps);
    if (isChainShape(steps)) {
      const others = new Set(steps.filter((s) => s.ev !== ship).map((s) => s.ev.id));
      const followUp = chainSets.some((c) => c.shipper === ship.agent && [...others].every((o) => c.others.has(o)));
      if (followUp) continue;
      chainSets.push({ shipper: ship.agent, others });
      relays.push(toRelay(`chain/${stem(ship.id)}`, 'chain', steps));
      for (const s of steps) {
        const set = taken.chainMembers.get(s.ev.id) ?? new Set<string>();
        for (const a of agents) set.add(a);
        taken.chainMembers.set(s.ev.id, set);
      }
    } else if (agents.length === 2) {
      const builds = steps.filter((s) => s.ev.agent !== ship.agent && s.role === 'build');
      if (builds.length === 0) continue;
      const kind = builds.some((b) => isStagedRule(b.rule)) ? 'staged' : 'handoff';
      const key = `${builds[0]!.ev.id}\u0000${ship.agent}`;
      if (taken.handoffKeys.has(key)) continue;
      taken.handoffKeys.add(key);
      relays.push(toRelay(`${kind}/${stem(builds[0]!.ev.id)}/${stem(ship.id)}`, kind, steps));
    }
  }
  return { relays, taken };
}

/** Rule 5: hand-offs outside ships, one per (build event, follower agent): the build and the follower's steps. */
function handoffRelays(g: RelayGraph, taken: Taken): Relay[] {
  const followers = new Map<string, { build: Step; steps: Step[] }>();
  for (const f of g.events) {
    if (f.role?.role !== 'run' && f.role?.role !== 'ship') continue;
    const up = handoffBuild(g, f, f.role.role);
    if (!up) continue;
    const { e, r } = up;
    const b = e.from;
    if (taken.chainMembers.get(b.id)?.has(f.agent)) continue;
    const key = `${b.id}\u0000${f.agent}`;
    if (taken.handoffKeys.has(key)) continue;
    const entry = followers.get(key) ?? { build: { ev: b, ...r, linkedBy: e.kind }, steps: [] };
    entry.steps.push({ ev: f, role: f.role.role, rule: f.role.rule, evidence: f.role.evidence, linkedBy: e.kind });
    followers.set(key, entry);
  }
  const relays: Relay[] = [];
  for (const { build, steps } of followers.values()) {
    // The follower's steps up to its first result (the outcome); later reports repeat it.
    const sorted = [...steps].sort((a, b) => byTime(a.ev, b.ev));
    const firstResult = sorted.findIndex((s) => s.ev.part === 'results');
    const kept = firstResult >= 0 ? sorted.slice(0, firstResult + 1) : sorted;
    const outcome = firstResult >= 0 ? kept[kept.length - 1]!.ev : null;
    const ordered = orderSteps([build, ...kept], outcome);
    const kind = isStagedRule(build.rule) ? 'staged' : 'handoff';
    relays.push(toRelay(`${kind}/${stem(build.ev.id)}/${stem(sorted[0]!.ev.id)}`, kind, ordered));
  }
  return relays;
}

/**
 * Rule 5: the earliest direct upstream build of a run or ship event when all of them come from exactly one other
 * agent. Explicit build posts (messages, runs) win over reused results; tied by a file link over credited ones.
 */
function handoffBuild(g: RelayGraph, f: RelayEvent, followerRole: RelayRole): { e: Edge; r: Pick<Step, 'role' | 'rule' | 'evidence'> } | null {
  const ups = (g.incoming.get(f.id) ?? [])
    .filter((e) => e.from.agent !== f.agent && f.tms - e.from.tms <= WINDOW_MS)
    .map((e) => ({ e, r: upstreamRole(e.from) }))
    .filter((x) => x.r?.role === 'build');
  const posts = ups.filter((x) => x.e.from.part !== 'results');
  const tied = posts.filter((x) => x.e.kind !== 'credit' && x.e.kind !== 'mention');
  // A result that builds on another result and beats it is lineage; only a reproduction (run) is a hand-off.
  const pick = tied.length ? tied : posts.length ? posts : followerRole === 'run' ? ups : [];
  if (new Set(pick.map((x) => x.e.from.agent)).size !== 1) return null;
  const { e, r } = pick.sort((a, b) => byTime(a.e.from, b.e.from))[0]!;
  return { e, r: r! };
}
