// Relays tables: one relay_chains row per relay, its relay_steps, and (rule 8) agent_roles.
import type { AgentRoleRow, RelayChainRow, RelayStepRow } from '../../../src/lib/schema/relays.ts';
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

export function chainRows(relays: readonly Relay[]): RelayChainRow[] {
  const chains: RelayChainRow[] = relays.map((r) => {
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
  return chains.sort((a, b) => (a.chain_id < b.chain_id ? -1 : a.chain_id > b.chain_id ? 1 : 0));
}

export function stepRows(relays: readonly Relay[]): RelayStepRow[] {
  const steps = relays.flatMap((r) => r.steps);
  return steps.sort((a, b) => (a.chain_id < b.chain_id ? -1 : a.chain_id > b.chain_id ? 1 : a.step - b.step));
}

/** Rule 8: every step of every relay per (agent, role), with the number of relays. */
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
