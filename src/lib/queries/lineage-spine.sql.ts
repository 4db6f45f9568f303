// SQL for the lineage spine: the frontier steps and the results that feed them, the edges into frontier steps, and
// which tokens are techniques (the derivation's stop-list) with the result that first used each.
import type { QuerySpec } from '../db/connector.ts';

/** Frontier results and every parent of one (result or agent-level node), in time order. */
export function spineNodes(): QuerySpec {
  return {
    tables: ['lineage_nodes', 'lineage_edges'],
    sql: `SELECT n.filename, n.node_kind, n.agent, n.ts, n.score, n.status, n.verification, n.method, n.tokens, n.is_frontier
FROM lineage_nodes n
WHERE n.is_frontier
   OR n.filename IN (SELECT e.parent FROM lineage_edges e JOIN lineage_nodes c ON c.filename = e.child WHERE c.is_frontier)
ORDER BY n.ts NULLS LAST, n.filename`,
  };
}

/** Every edge into a frontier result. */
export function spineEdges(): QuerySpec {
  return {
    tables: ['lineage_nodes', 'lineage_edges'],
    sql: `SELECT e.parent, e.child, e.rule, e.confidence
FROM lineage_edges e JOIN lineage_nodes c ON c.filename = e.child
WHERE c.is_frontier
ORDER BY e.child, e.parent`,
  };
}

/** Tokens with their stop reason (null: a technique) and first result. */
export function spineTechniques(): QuerySpec {
  return { tables: ['techniques'], sql: 'SELECT token, first_result, stop_reason FROM techniques ORDER BY token' };
}
