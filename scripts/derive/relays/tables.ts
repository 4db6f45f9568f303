// Relays tables: one relay_chains row per merged relay, its relay_steps and relay_evidence, and (rule 9) agent_roles.
import type { AgentRoleRow, RelayChainRow, RelayEvidenceRow, RelayStepRow } from '../../../src/lib/schema/relays.ts';
import type { MergedRelay } from './merge.ts';
import type { Judged } from './outcome.ts';
import type { Relay } from './relay.ts';

/** The first relay of each id (board relays come before credit brackets). */
export function uniqueRelays(relays: readonly Relay[]): Relay[] {
  const ids = new Set<string>();
  return relays.filter((r) => {
    if (ids.has(r.id)) return false;
    ids.add(r.id);
    return true;
  });
}

export type JudgedRelay = MergedRelay & { judged: Judged };

export function chainRows(relays: readonly JudgedRelay[]): RelayChainRow[] {
  const chains: RelayChainRow[] = relays.map((r) => {
    const agents = [...new Set(r.steps.map((s) => s.agent!))];
    const sources = [...new Set(r.members.map((m) => m.source))];
    return {
      chain_id: r.id,
      kind: r.kind,
      source: sources[0]!,
      sources,
      agents,
      n_agents: agents.length,
      roles: r.steps.map((s) => s.role!),
      start_ts: r.startTs,
      end_ts: r.endTs,
      outcome_result: r.outcomeResult,
      outcome_score: r.outcomeScore,
      score_gain: r.judged.gain,
      best_before: r.judged.before?.score ?? null,
      best_before_result: r.judged.before?.result ?? null,
      gain_class: r.judged.gainClass,
      best_at_outcome: r.judged.atOutcome?.score ?? null,
      outcome_margin: r.judged.margin,
      outcome_kind: r.judged.kind,
      length: r.steps.length,
      title: r.title,
    };
  });
  return chains.sort((a, b) => (a.chain_id < b.chain_id ? -1 : a.chain_id > b.chain_id ? 1 : 0));
}

export function stepRows(relays: readonly MergedRelay[]): RelayStepRow[] {
  const steps = relays.flatMap((r) => r.steps);
  return steps.sort((a, b) => (a.chain_id < b.chain_id ? -1 : a.chain_id > b.chain_id ? 1 : a.step - b.step));
}

export function evidenceRows(relays: readonly MergedRelay[]): RelayEvidenceRow[] {
  const rows = relays.flatMap((r) => r.evidence);
  const key = (e: RelayEvidenceRow): string => `${e.chain_id}\u0000${e.found_as}`;
  return rows.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** Rule 9: every step of every relay per (agent, role), with the number of relays. */
export function agentRoleRows(steps: readonly RelayStepRow[]): AgentRoleRow[] {
  const roles = new Map<string, { count: number; chains: Set<string> }>();
  for (const s of steps) {
    const k = `${s.agent}\u0000${s.role}`;
    const v = roles.get(k) ?? { count: 0, chains: new Set<string>() };
    v.count++;
    v.chains.add(s.chain_id);
    roles.set(k, v);
  }
  return [...roles]
    .map(([k, v]) => {
      const [agent, role] = k.split('\u0000') as [string, string];
      return { agent, role, count: v.count, chains: v.chains.size };
    })
    .sort((a, b) => (a.agent < b.agent ? -1 : a.agent > b.agent ? 1 : a.role < b.role ? -1 : a.role > b.role ? 1 : 0));
}
