// Relays rule 7: one relay per outcome. Relays that board links and credit brackets found for the same outcome result
// are merged: their steps in one agreed order, every source kept as an evidence row.
import type { RelayEvidenceRow, RelayStepRow } from '../../../src/lib/schema/relays.ts';
import { stem, type Relay } from './relay.ts';
import { isChainShape } from './walks.ts';

/** A merged relay: the relays found for one outcome (one alone when nothing else shares it), with agreed steps. */
export interface MergedRelay {
  id: string;
  kind: Relay['kind'];
  /** The relays merged, board ones first. */
  members: Relay[];
  steps: RelayStepRow[];
  outcomeResult: string | null;
  outcomeScore: number | null;
  startTs: string | null;
  endTs: string | null;
  title: string | null;
  evidence: RelayEvidenceRow[];
}

type StepBody = Omit<RelayStepRow, 'chain_id' | 'step'>;

const KIND_RANK: Record<Relay['kind'], number> = { chain: 0, staged: 1, handoff: 2 };

/** Relays grouped by outcome result, in the order they were found; a relay without an outcome result stays alone. */
export function groupByOutcome(relays: readonly Relay[]): Relay[][] {
  const groups = new Map<string, Relay[]>();
  for (const r of relays) {
    const k = r.outcomeResult === null ? `id:${r.id}` : `outcome:${r.outcomeResult}`;
    const g = groups.get(k);
    if (g) g.push(r);
    else groups.set(k, [r]);
  }
  return [...groups.values()];
}

/**
 * The agreed steps. Board steps (they have times) once per source file, in time order with the outcome last;
 * consecutive steps by one agent in one role merged (the outcome kept, else a message over a run dir, else the
 * first). A credit-bracket credit for an agent who already has a step is that step (the bracket line stays as
 * evidence); credits for other agents are undated steps placed before the outcome, in bracket order. Without
 * board steps, the bracket's own order.
 */
export function agreedSteps(members: readonly Relay[], outcome: string | null): StepBody[] {
  const timed = new Map<string, StepBody & { id: string }>();
  for (const r of members) {
    if (r.source !== 'board') continue;
    r.steps.forEach((s, i) => {
      const id = r.eventIds[i]!;
      if (!timed.has(id)) timed.set(id, { ...stepBody(s), id });
    });
  }
  const outcomeOf = new Set([...timed.values()].filter((s) => s.id === outcome).map((s) => stepKey(s)));
  const isOutcome = (s: StepBody): boolean => outcomeOf.has(stepKey(s));
  const sorted = [...timed.values()].sort((a, b) => Number(isOutcome(a)) - Number(isOutcome(b)) || Date.parse(a.ts!) - Date.parse(b.ts!) || (a.id < b.id ? -1 : 1));
  const out: StepBody[] = [];
  for (const { id: _id, ...s } of sorted) {
    const prev = out[out.length - 1];
    if (prev && prev.agent === s.agent && prev.role === s.role) {
      out[out.length - 1] = isOutcome(s) || (prev.source_part === 'runs' && s.source_part === 'messages') ? s : prev;
      continue;
    }
    out.push(s);
  }
  const undated: StepBody[] = [];
  for (const r of members) {
    if (r.source !== 'credit-bracket') continue;
    for (const s of r.steps) if (!out.some((x) => x.agent === s.agent) && !undated.some((x) => x.agent === s.agent)) undated.push(stepBody(s));
  }
  if (!out.length) return undated;
  // Before the outcome when the board steps end in it, else after the board steps.
  const at = out.length - (isOutcome(out[out.length - 1]!) || out[out.length - 1]!.role === 'ship' ? 1 : 0);
  return [...out.slice(0, at), ...undated, ...out.slice(at)];
}

/** Steps of one event are equal in every column; the key tells merged steps apart after the event id is dropped. */
const stepKey = (s: StepBody): string => [s.source_part, s.source_file, s.ts, s.agent, s.role].join('\u0000');

function stepBody(s: RelayStepRow): StepBody {
  const { chain_id: _id, step: _step, ...body } = s;
  return body;
}

/** Merge one group: kind (a chain when any member is one, or the merged steps have a chain's shape), id, span, title. */
export function mergeGroup(members: readonly Relay[]): MergedRelay {
  const sorted = [...members].sort((a, b) => Number(a.source !== 'board') - Number(b.source !== 'board') || KIND_RANK[a.kind] - KIND_RANK[b.kind]);
  const first = sorted[0]!;
  const outcome = first.outcomeResult;
  const bodies = agreedSteps(sorted, outcome);
  const shape = bodies.map((s) => ({ role: s.role as Parameters<typeof isChainShape>[0][number]['role'], ev: { agent: s.agent! } }));
  const kind = sorted.some((r) => r.kind === 'chain') || isChainShape(shape) ? 'chain' : sorted.some((r) => r.kind === 'staged') ? 'staged' : 'handoff';
  const id = sorted.length === 1 || outcome === null ? first.id : `${kind}/${stem(outcome)}`;
  const dated = bodies.filter((s) => s.ts !== null).map((s) => s.ts!);
  const board = sorted.find((r) => r.source === 'board');
  return {
    id,
    kind,
    members: sorted,
    steps: bodies.map((s, i) => ({ chain_id: id, step: i + 1, ...s })),
    outcomeResult: outcome,
    outcomeScore: board?.outcomeScore ?? first.outcomeScore,
    startTs: dated.length ? dated.reduce((a, b) => (Date.parse(b) < Date.parse(a) ? b : a)) : null,
    endTs: board?.endTs ?? sorted.find((r) => r.endTs !== null)?.endTs ?? null,
    title: sorted.find((r) => r.leverTitle)?.leverTitle ?? board?.title ?? first.title,
    evidence: sorted.map((r) => evidenceRow(id, r)),
  };
}

/** One source's account of the relay, as it found it. */
function evidenceRow(chainId: string, r: Relay): RelayEvidenceRow {
  const last = r.steps[r.steps.length - 1];
  return {
    chain_id: chainId,
    found_as: r.id,
    source: r.source,
    kind: r.kind,
    agents: [...new Set(r.steps.map((s) => s.agent!))],
    roles: r.steps.map((s) => s.role!),
    source_file: r.source === 'credit-bracket' ? (r.steps[0]?.source_file ?? null) : (last?.source_file ?? null),
    evidence: r.evidence,
  };
}
