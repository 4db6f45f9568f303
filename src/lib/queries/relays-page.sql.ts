// SQL builders the relays page adds to relays.sql.ts: steps of the top-ranked relays, one relay by id, filter facets, staged builders.
//
// Reader-chosen values (filters, a chain id, a limit) are bound as `?` parameters, like the builders they wrap.
import type { CollabConfig } from '../config.ts';
import type { QuerySpec } from '../db/connector.ts';
import { relayChainsRanked, type RelayChainFilters, type RelayStepQueryRow } from './relays.sql.ts';

export interface RankedStepRow extends RelayStepQueryRow {
  /** Rank of the step's relay under the same filters (relayChainsRanked). */
  rank: number;
}

/**
 * The steps of the relays ranked 1..`top` under the filters: relayChainsRanked's own SQL as a CTE (same ranking,
 * same parameters), joined to relay_steps; ordered by rank, then step.
 */
export function relayStepsRanked(c: Pick<CollabConfig, 'higher_is_better'>, f: RelayChainFilters, top: number): QuerySpec {
  const ranked = relayChainsRanked(c, { ...f, limit: null });
  return {
    tables: ['relay_chains', 'relay_steps'],
    params: [...(ranked.params ?? []), Math.max(0, Math.trunc(top))],
    sql: `WITH ranked AS (
${ranked.sql}
)
SELECT s.chain_id, s.step, s.agent, s.role, s.rule, s.linked_by, s.ts, s.source_file, s.source_part, s.evidence, r.rank
FROM relay_steps s JOIN ranked r ON r.chain_id = s.chain_id
WHERE r.rank <= ?
ORDER BY r.rank, s.step`,
  };
}

/** One relay by id with its rank among all relays (no filters); the id is bound. */
export function relayChainById(c: Pick<CollabConfig, 'higher_is_better'>, chainId: string): QuerySpec {
  const ranked = relayChainsRanked(c, {});
  return {
    tables: ['relay_chains'],
    params: [...(ranked.params ?? []), chainId],
    sql: `SELECT * FROM (
${ranked.sql}
) WHERE chain_id = ?`,
  };
}

export interface RelayFacetRow {
  facet: 'kind' | 'source' | 'agent';
  value: string;
  /** Relays with that kind, source, or with that agent among their agents. */
  n: number;
}

/** Values for the filter menus with their relay counts: kinds, sources, and every agent in a relay. */
export function relayFacets(): QuerySpec {
  return {
    tables: ['relay_chains'],
    sql: `SELECT 'kind' AS facet, kind AS value, CAST(count(*) AS INTEGER) AS n FROM relay_chains GROUP BY kind
UNION ALL
SELECT 'source', source, CAST(count(*) AS INTEGER) FROM relay_chains GROUP BY source
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
