// Relays rule 4: the walk backwards from a ship, its steps in order, and the shape test for a chain.
import { firstSnippet, type RelayRole } from '../../../src/lib/relays/roles.ts';
import { byTime, upstreamable, WINDOW_MS, type Edge, type RelayEvent } from './events.ts';
import type { RelayGraph } from './graph.ts';
import type { Step } from './relay.ts';

/** Upper bound on steps in one walk (a safety net on dense boards). */
const MAX_STEPS = 24;

type StepRole = Pick<Step, 'role' | 'rule' | 'evidence'>;

/** The role an upstream event plays in someone else's hand-off (rule 5): a posted result counts as a build. */
export function upstreamRole(ev: RelayEvent): StepRole | null {
  if (ev.part === 'results') {
    if (ev.role?.role === 'fail') return ev.role;
    if (!upstreamable(ev)) return null;
    return { role: 'build', rule: 'build:result-reused', evidence: firstSnippet(ev.text) };
  }
  return ev.role;
}

/** The role an upstream event plays in a chain walk (rule 4): results are lineage unless they report a failure. */
function chainRole(ev: RelayEvent): StepRole | null {
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
export function walkFromShip(g: RelayGraph, ship: RelayEvent): Step[] {
  const steps = new Map<string, Step>([[ship.id, { ev: ship, role: 'ship', rule: ship.role!.rule, evidence: ship.role!.evidence, linkedBy: null }]]);
  const ok = (y: RelayEvent, to: RelayEvent): StepRole | null => {
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
    for (const { y, edge } of tiedCandidates(g, steps, named)) {
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

/** Rule 4b: events of the named agents tied to a step of the walk, in either direction, latest first. */
function tiedCandidates(g: RelayGraph, steps: ReadonlyMap<string, Step>, named: ReadonlySet<string>): { y: RelayEvent; edge: Edge }[] {
  const cands: { y: RelayEvent; edge: Edge }[] = [];
  for (const w of steps.values()) {
    for (const e of g.incoming.get(w.ev.id) ?? []) if (tying(e) && named.has(e.from.agent)) cands.push({ y: e.from, edge: e });
    for (const e of g.outgoing.get(w.ev.id) ?? []) if (tying(e) && named.has(e.to.agent)) cands.push({ y: e.to, edge: e });
  }
  return cands.sort((a, b) => byTime(b.y, a.y));
}

/** Time order with the outcome last; consecutive steps by the same agent in the same role merged into one. */
export function orderSteps(steps: Step[], last: RelayEvent | null): Step[] {
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

export const distinctAgents = (steps: readonly { ev: RelayEvent }[]): string[] => [...new Set(steps.map((s) => s.ev.agent))];

/** Rule 4's shape test for a chain. */
export function isChainShape(steps: readonly { role: RelayRole; ev: { agent: string } }[]): boolean {
  const last = steps[steps.length - 1];
  if (last?.role !== 'ship') return false;
  if (new Set(steps.map((s) => s.ev.agent)).size < 3) return false;
  const otherRoles = new Set(steps.slice(0, -1).filter((s) => s.ev.agent !== last.ev.agent).map((s) => s.role));
  return otherRoles.size >= 2;
}
