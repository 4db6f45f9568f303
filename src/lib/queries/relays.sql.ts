// SQL builders for the relays page: chains ranked by outcome, the steps of one chain, roles per agent.
//
// Reader-chosen values (a chain id, a kind or source facet, a minimum) are bound as `?` parameters; the sort
// direction comes from the configuration (a boolean), never from reader text.
import type { CollabConfig } from '../config.ts';
import type { Param, QuerySpec } from '../db/connector.ts';

export interface RelayChainFilters {
  /** chain | handoff | staged */
  kind?: string | null;
  /** board | credit-bracket: relays that source found (alone or with the other). */
  source?: string | null;
  /** Only relays that include this agent. */
  agent?: string | null;
  /** Only relays with at least this many distinct agents. */
  minAgents?: number | null;
  limit?: number | null;
}

export interface RelayChainQueryRow {
  chain_id: string;
  kind: string;
  source: string;
  /** Every source that found the relay, board first. */
  sources: string[];
  agents: string[];
  n_agents: number;
  roles: string[];
  start_ts: string | null;
  end_ts: string | null;
  outcome_result: string | null;
  outcome_score: number | null;
  score_gain: number | null;
  best_before: number | null;
  best_before_result: string | null;
  /** beyond | within | unknown (ties.ts classifyGain of score_gain); null without a gain. */
  gain_class: string | null;
  best_at_outcome: number | null;
  outcome_margin: number | null;
  /** record | within-noise | reproduction | own-line | below-board | failed | no-result | first-result */
  outcome_kind: string;
  length: number;
  title: string | null;
  /** 1 = best outcome under the filters (configured direction; relays without a score last). */
  rank: number;
  /** Relays under the filters, when the query was asked for it (a page of them carries the count of all). */
  total?: number;
}

/** Relays ranked by outcome: best outcome score first in the configured direction, then by gain, then id. */
export function relayChainsRanked(c: Pick<CollabConfig, 'higher_is_better'>, f: RelayChainFilters = {}, opts: { total?: boolean } = {}): QuerySpec {
  const dir = c.higher_is_better ? 'DESC' : 'ASC';
  const where: string[] = [];
  const params: Param[] = [];
  if (f.kind) {
    where.push('kind = ?');
    params.push(f.kind);
  }
  if (f.source) {
    where.push('list_contains(sources, ?)');
    params.push(f.source);
  }
  if (f.agent) {
    where.push('list_contains(agents, ?)');
    params.push(f.agent);
  }
  if (f.minAgents !== null && f.minAgents !== undefined) {
    where.push('n_agents >= ?');
    params.push(Math.trunc(f.minAgents));
  }
  const limit = f.limit !== null && f.limit !== undefined ? `\nLIMIT ${Math.max(0, Math.trunc(f.limit))}` : '';
  return {
    tables: ['relay_chains'],
    params,
    sql: `SELECT
  chain_id, kind, source, sources, agents, n_agents, roles, start_ts, end_ts,
  outcome_result, outcome_score, score_gain, best_before, best_before_result, gain_class,
  best_at_outcome, outcome_margin, outcome_kind, length, title,
  CAST(row_number() OVER (ORDER BY outcome_score ${dir} NULLS LAST, score_gain DESC NULLS LAST, chain_id) AS INTEGER) AS rank${opts.total ? ',\n  CAST(count(*) OVER () AS INTEGER) AS total' : ''}
FROM relay_chains${where.length ? `\nWHERE ${where.join('\n  AND ')}` : ''}
ORDER BY rank${limit}`,
  };
}

export interface RelayStepQueryRow {
  chain_id: string;
  step: number;
  agent: string | null;
  role: string | null;
  rule: string | null;
  linked_by: string | null;
  ts: string | null;
  source_file: string | null;
  source_part: string | null;
  evidence: string | null;
}

/** The steps of one relay in order; the chain id is bound as the one parameter. */
export function relayStepsOf(chainId: string): QuerySpec {
  return {
    tables: ['relay_steps'],
    params: [chainId],
    sql: `SELECT chain_id, step, agent, role, rule, linked_by, ts, source_file, source_part, evidence
FROM relay_steps
WHERE chain_id = ?
ORDER BY step`,
  };
}

export interface RolesPerAgentRow {
  agent: string;
  role: string;
  count: number;
  chains: number;
  /** All steps of the agent, for ordering the chart's rows. */
  agent_total: number;
}

/** Roles per agent (one row per agent and role), busiest agents first; `minSteps` (agent total) is bound. */
export function rolesPerAgent(minSteps = 1, kind: string | null = null): QuerySpec {
  const params: Param[] = [];
  // The agent_roles table counts every relay kind; a kind filter recounts from relay_steps instead.
  const source = kind
    ? `(SELECT s.agent, s.role, count(*) AS count, count(DISTINCT s.chain_id) AS chains
    FROM relay_steps s JOIN relay_chains c USING (chain_id)
    WHERE c.kind = ? AND s.agent IS NOT NULL
    GROUP BY s.agent, s.role)`
    : 'agent_roles';
  if (kind) params.push(kind);
  params.push(Math.trunc(minSteps));
  return {
    tables: kind ? ['relay_steps', 'relay_chains'] : ['agent_roles'],
    params,
    sql: `WITH r AS (SELECT agent, role, count, chains FROM ${source}),
t AS (SELECT agent, sum(count) AS agent_total FROM r GROUP BY agent)
SELECT r.agent, r.role, CAST(r.count AS INTEGER) AS count, CAST(r.chains AS INTEGER) AS chains, CAST(t.agent_total AS INTEGER) AS agent_total
FROM r JOIN t USING (agent)
WHERE t.agent_total >= ?
ORDER BY agent_total DESC, r.agent,
  CASE r.role WHEN 'build' THEN 1 WHEN 'run' THEN 2 WHEN 'fail' THEN 3 WHEN 'diagnose' THEN 4 WHEN 'ship' THEN 5 ELSE 6 END`,
  };
}
