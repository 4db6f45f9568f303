// SQL builders for the lineage page's panels: one edge with its evidence, one result with its edges and runs, facets, Pareto points.
import type { CollabConfig } from '../config.ts';
import type { QuerySpec } from '../db/connector.ts';
import { lineageEdges, lineageNodes, type LineageEdgeQueryRow, type LineageFilters } from './lineage.sql.ts';

/** The graph's nodes: lineageNodes(filters) without the token lists (the panel fetches those for one result). */
export function graphNodes(f: LineageFilters = {}): QuerySpec {
  const s = lineageNodes(f);
  return { ...s, sql: `SELECT * EXCLUDE (tokens) FROM (\n${s.sql}\n)` };
}

/** The graph's edges: lineageEdges(filters) cut to what is drawn (the evidence is fetched when an edge is opened). */
export function graphEdges(f: LineageFilters = {}): QuerySpec {
  const s = lineageEdges(f);
  return { ...s, sql: `SELECT parent, child, rule, confidence FROM (\n${s.sql}\n)` };
}

export interface LineageFrontierViewRow {
  filename: string;
  /** Edges from the nearest seed (0 for a seed). */
  distance: number;
  is_seed: boolean;
}

/**
 * The frontier view in SQL (what selectView draws past the size limit): among the results lineageNodes(filters)
 * matches, the frontier results, or when there are none the 25 best scores of results neither negative nor invalid,
 * and every ancestor reachable along edges lineageEdges(filters) matches with both ends among those results.
 */
export function lineageFrontierView(c: Pick<CollabConfig, 'higher_is_better'>, f: LineageFilters = {}): QuerySpec {
  const nodes = lineageNodes(f);
  const edges = lineageEdges(f);
  const dir = c.higher_is_better ? 'DESC' : 'ASC';
  return {
    tables: [...new Set([...nodes.tables, ...edges.tables])],
    params: [...(nodes.params ?? []), ...(edges.params ?? [])],
    sql: `WITH RECURSIVE n AS (
${nodes.sql}
),
e AS (
SELECT parent, child FROM (
${edges.sql}
) WHERE parent IN (SELECT filename FROM n) AND child IN (SELECT filename FROM n)
),
seeds AS (
  SELECT filename FROM n WHERE is_frontier
  UNION ALL
  SELECT filename FROM (
    SELECT filename FROM n
    WHERE score IS NOT NULL AND coalesce(status, '') <> 'negative' AND coalesce(verification, '') <> 'invalid'
      AND NOT EXISTS (SELECT 1 FROM n WHERE is_frontier)
    ORDER BY score ${dir}, ts NULLS LAST, filename
    LIMIT 25
  )
),
up(filename, distance) AS (
  SELECT filename, 0 FROM seeds
  UNION
  SELECT e.parent, up.distance + 1 FROM e JOIN up ON e.child = up.filename
)
SELECT filename, min(distance)::INTEGER AS distance, bool_or(distance = 0) AS is_seed
FROM up
GROUP BY filename
ORDER BY distance, filename`,
  };
}

/** An edge with its evidence: the edge query's row without the score delta. */
export type LineageEdgeDetailRow = Omit<LineageEdgeQueryRow, 'score_delta'>;

/** One edge, by its two ends, with the evidence behind it (at most one row: edges are unique per pair). */
export function lineageEdgeDetail(parent: string, child: string): QuerySpec {
  return {
    tables: ['lineage_edges', 'lineage_nodes'],
    params: [parent, child],
    sql: `SELECT e.parent, e.child, e.parent_agent, e.child_agent, e.rule, e.confidence, e.extra_rules,
  e.evidence_file, e.evidence, p.ts AS parent_ts, c.ts AS child_ts, p.method AS parent_method, c.method AS child_method,
  p.score AS parent_score, c.score AS child_score
FROM lineage_edges e
LEFT JOIN lineage_nodes p ON p.filename = e.parent
LEFT JOIN lineage_nodes c ON c.filename = e.child
WHERE e.parent = ? AND e.child = ?`,
  };
}

export interface LineageNodeDetailRow {
  filename: string;
  node_kind: string;
  agent: string | null;
  ts: string | null;
  score: number | null;
  secondary: number | null;
  status: string | null;
  verification: string | null;
  method: string | null;
  tokens: string[];
  is_frontier: boolean | null;
  is_pareto: boolean | null;
  layer: number | null;
  depth: number | null;
  parent_count: number | null;
  child_count: number | null;
  over_cap: boolean | null;
  submission_prefix: string | null;
}

/** One result as a lineage node, with the result's cap flag and submission prefix. */
export function lineageNodeDetail(filename: string): QuerySpec {
  return {
    tables: ['lineage_nodes', 'results'],
    params: [filename],
    sql: `SELECT n.filename, n.node_kind, n.agent, n.ts, n.score, n.secondary, n.status, n.verification, n.method, n.tokens,
  n.is_frontier, n.is_pareto, n.layer, n.depth, n.parent_count, n.child_count, r.over_cap, r.submission_prefix
FROM lineage_nodes n LEFT JOIN results r USING (filename)
WHERE n.filename = ?`,
  };
}

export interface LineageNodeEdgeRow {
  /** parent: the other end is a parent of the node; child: the node's child. */
  direction: string;
  parent: string;
  child: string;
  rule: string;
  confidence: number;
  other_agent: string | null;
  other_method: string | null;
  other_score: number | null;
}

/** Every edge into and out of one result, parents first, each side in time order. */
export function lineageNodeEdges(filename: string): QuerySpec {
  return {
    tables: ['lineage_edges', 'lineage_nodes'],
    params: [filename, filename, filename, filename],
    sql: `SELECT CASE WHEN e.child = ? THEN 'parent' ELSE 'child' END AS direction, e.parent, e.child, e.rule, e.confidence,
  o.agent AS other_agent, o.method AS other_method, o.score AS other_score
FROM lineage_edges e
JOIN lineage_nodes o ON o.filename = CASE WHEN e.child = ? THEN e.parent ELSE e.child END
WHERE e.child = ? OR e.parent = ?
ORDER BY direction DESC, o.ts NULLS LAST, o.filename`,
  };
}

export interface ResultRunRow {
  run_dir: string;
  agent: string | null;
  status: string | null;
  job_id: string | null;
  score: number | null;
  secondary: number | null;
  created_at: string | null;
  /** job (a job id the result quotes) and/or submission (same submission prefix). */
  matched_by: string;
}

/** Runs of one result: canonical run dirs whose job id the result quotes or that served its submission prefix. */
export function resultRuns(filename: string): QuerySpec {
  return {
    tables: ['results', 'runs'],
    params: [filename],
    sql: `WITH r AS (SELECT job_ids, submission_prefix FROM results WHERE filename = ?)
SELECT u.run_dir, u.agent, u.status, u.job_id, u.score, u.secondary, u.created_at,
  concat_ws(', ', CASE WHEN list_contains(r.job_ids, u.job_id) THEN 'job' END,
    CASE WHEN u.submission_prefix = r.submission_prefix THEN 'submission' END) AS matched_by
FROM runs u, r
WHERE u.duplicate_of IS NULL
  AND (list_contains(r.job_ids, u.job_id) OR (r.submission_prefix IS NOT NULL AND u.submission_prefix = r.submission_prefix))
ORDER BY u.created_at NULLS LAST, u.run_dir`,
  };
}

export interface LineageAgentFacetRow {
  agent: string;
  n: number;
}

/** Agents with results in the graph, most results first, for the filter menu. */
export function lineageAgentFacets(): QuerySpec {
  return {
    tables: ['lineage_nodes'],
    sql: `SELECT agent, count(*)::INTEGER AS n FROM lineage_nodes WHERE agent IS NOT NULL AND node_kind = 'result' GROUP BY agent ORDER BY n DESC, agent`,
  };
}

/** Results with both metrics, for the Pareto chart. */
export function paretoPoints(): QuerySpec {
  return {
    tables: ['lineage_nodes'],
    sql: `SELECT filename, agent, score, secondary, is_pareto, method
FROM lineage_nodes
WHERE score IS NOT NULL AND secondary IS NOT NULL
ORDER BY secondary, score, filename`,
  };
}
