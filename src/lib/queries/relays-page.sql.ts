// SQL builders the relays page adds to relays.sql.ts: ranked relays with their steps (the top ones, or one by id), filter facets, staged builders.
//
// Reader-chosen values (filters, a chain id, a limit) are bound as `?` parameters, like the builders they wrap.
import type { CollabConfig } from '../config.ts';
import type { QuerySpec } from '../db/connector.ts';
import { relayChainsRanked, type RelayChainFilters, type RelayChainQueryRow, type RelayStepQueryRow } from './relays.sql.ts';

/**
 * One step of a shown relay, with the relay's own columns: the rows a swimlane, its header and its step list are
 * drawn from (one query per panel). A relay without steps has one row with `step` null.
 */
export interface RelayLaneRow extends RelayChainQueryRow, Omit<RelayStepQueryRow, 'chain_id' | 'step'> {
  step: number | null;
  /** How the relay was found: one entry per source (relay_evidence), board first. */
  findings: RelayFinding[];
  /** The tie threshold (noise_summary.tie_threshold) the gain and outcome were judged with; null when unknown. */
  tie_threshold: number | null;
  /** The outcome result's verification, over-cap flag and status (why a `failed` outcome failed). */
  outcome_verification: string | null;
  outcome_over_cap: boolean | null;
  outcome_status: string | null;
}

/** One relay_evidence row, as the lanes query lists it. */
export interface RelayFinding {
  found_as: string;
  source: string;
  kind: string;
  agents: string[];
  source_file: string | null;
  evidence: string | null;
}

/** Which relays of the ranking to show: those ranked 1..`top`, or one by id. */
export type LanePick = { top: number } | { chainId: string };

/**
 * Relays of relayChainsRanked's ranking (its own SQL as a CTE: same ranking, same parameters) joined to their steps;
 * ordered by rank, then step. The top count or the chain id is bound.
 */
export function relayLanes(c: Pick<CollabConfig, 'higher_is_better'>, f: RelayChainFilters, pick: LanePick): QuerySpec {
  const ranked = relayChainsRanked(c, { ...f, limit: null });
  const byId = 'chainId' in pick;
  return {
    tables: ['relay_chains', 'relay_steps', 'relay_evidence', 'noise_summary', 'results'],
    params: [...(ranked.params ?? []), byId ? pick.chainId : Math.max(0, Math.trunc(pick.top))],
    sql: `WITH ranked AS (
${ranked.sql}
), shown AS (
  SELECT r.*, coalesce((
    SELECT list({'found_as': e.found_as, 'source': e.source, 'kind': e.kind, 'agents': e.agents, 'source_file': e.source_file, 'evidence': e.evidence}
      ORDER BY e.source = 'board' DESC, e.found_as)
    FROM relay_evidence e WHERE e.chain_id = r.chain_id
  ), []) AS findings,
  (SELECT tie_threshold FROM noise_summary LIMIT 1) AS tie_threshold,
  o.verification AS outcome_verification, o.over_cap AS outcome_over_cap, o.status AS outcome_status
  FROM ranked r LEFT JOIN results o ON o.filename = r.outcome_result
  WHERE ${byId ? 'r.chain_id = ?' : 'r.rank <= ?'}
)
SELECT c.*, s.step, s.agent, s.role, s.rule, s.linked_by, s.ts, s.source_file, s.source_part, s.evidence
FROM shown c LEFT JOIN relay_steps s ON s.chain_id = c.chain_id
ORDER BY c.rank, s.step`,
  };
}

export interface RelayFacetRow {
  facet: 'kind' | 'source' | 'agent' | 'outcome';
  value: string;
  /** Relays with that kind, found by that source (alone or with another), or with that agent among their agents. */
  n: number;
}

/** Values for the filter menus with their relay counts: kinds, sources, every agent in a relay; and outcome kinds. */
export function relayFacets(): QuerySpec {
  return {
    tables: ['relay_chains'],
    sql: `SELECT 'kind' AS facet, kind AS value, CAST(count(*) AS INTEGER) AS n FROM relay_chains GROUP BY kind
UNION ALL
SELECT 'source', source, CAST(count(*) AS INTEGER) FROM (SELECT unnest(sources) AS source FROM relay_chains) GROUP BY source
UNION ALL
SELECT 'outcome', outcome_kind, CAST(count(*) AS INTEGER) FROM relay_chains GROUP BY outcome_kind
UNION ALL
SELECT 'agent', agent, CAST(count(DISTINCT chain_id) AS INTEGER)
FROM (SELECT chain_id, unnest(agents) AS agent FROM relay_chains)
GROUP BY agent
ORDER BY facet, n DESC, value`,
  };
}

export interface StagedBuilderRow {
  agent: string;
  /** Build steps that were staged specs: rule build:staged, or the build step of a staged hand-off. */
  staged: number;
  /** Distinct relays those steps are in. */
  chains: number;
  /** Distinct agents who took the relays' other steps (who ran or shipped the spec). */
  helpers: number;
}

/**
 * Compute-poor agents: who posted builds they could not run themselves ("no quota", "spec for whoever has GPU")
 * that another agent then took on. Counted in relay steps, like agent_roles, so the chart can overlay them on builds.
 */
export function stagedBuilders(): QuerySpec {
  return {
    tables: ['relay_steps', 'relay_chains'],
    sql: `WITH staged AS (
  SELECT s.chain_id, s.step, s.agent
  FROM relay_steps s JOIN relay_chains c ON c.chain_id = s.chain_id
  WHERE s.role = 'build' AND s.agent IS NOT NULL AND (s.rule = 'build:staged' OR c.kind = 'staged')
)
SELECT st.agent, CAST(count(DISTINCT (st.chain_id, st.step)) AS INTEGER) AS staged,
  CAST(count(DISTINCT st.chain_id) AS INTEGER) AS chains,
  CAST(count(DISTINCT o.agent) FILTER (WHERE o.agent <> st.agent) AS INTEGER) AS helpers
FROM staged st JOIN relay_steps o ON o.chain_id = st.chain_id
GROUP BY st.agent
ORDER BY staged DESC, st.agent`,
  };
}
