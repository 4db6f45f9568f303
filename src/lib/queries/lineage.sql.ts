// SQL builders for the lineage graph: nodes and edges with facet filters, techniques, and who already tried one.
import type { CollabConfig } from '../config.ts';
import type { Param, QuerySpec } from '../db/connector.ts';

export type LineageRuleName = 'ref' | 'bucket-path' | 'credit' | 'token';
export const LINEAGE_RULES: readonly LineageRuleName[] = ['ref', 'bucket-path', 'credit', 'token'];

/** Reader-chosen facets (from the URL). Every value is bound as a parameter, never spliced into the SQL. */
export interface LineageFilters {
  /** A method token (see src/lib/lineage/tokens.ts); matched exactly against the node's fingerprint. */
  technique?: string | null;
  agent?: string | null;
  rule?: string | null;
  /** 0..1 */
  minConfidence?: number | null;
}

export interface LineageNodeQueryRow {
  filename: string;
  /** result, or agent: a credited agent whose result is not in this export (filename agent:<handle>). */
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
  /** Matching edges (after the rule and confidence filters) into and out of the node. */
  in_edges: number;
  out_edges: number;
}

export interface LineageEdgeQueryRow {
  parent: string;
  child: string;
  parent_agent: string | null;
  child_agent: string | null;
  rule: string;
  confidence: number;
  extra_rules: string[];
  evidence_file: string | null;
  evidence: string | null;
  parent_ts: string | null;
  child_ts: string | null;
  parent_method: string | null;
  child_method: string | null;
  parent_score: number | null;
  child_score: number | null;
  /** child score − parent score (positive = the child scored higher). */
  score_delta: number | null;
}

const normToken = (t: string): string => t.normalize('NFKC').trim().toLowerCase();

/** WHERE fragments over lineage_edges aliased `e`, with their parameters (rule, confidence). */
function edgeWhere(f: LineageFilters): { where: string[]; params: Param[] } {
  const where: string[] = [];
  const params: Param[] = [];
  if (f.rule) {
    where.push('e.rule = ?');
    params.push(f.rule);
  }
  if (f.minConfidence !== null && f.minConfidence !== undefined && Number.isFinite(f.minConfidence)) {
    where.push('e.confidence >= ?');
    params.push(f.minConfidence);
  }
  return { where, params };
}

/**
 * Nodes of the graph. technique and agent filter the nodes themselves; rule and minConfidence keep only the nodes
 * that touch at least one edge passing them (and count those edges). Ordered by time, so layers read left to right.
 */
export function lineageNodes(f: LineageFilters = {}): QuerySpec {
  const ew = edgeWhere(f);
  const edgeFilter = ew.where.length ? `WHERE ${ew.where.join(' AND ')}` : '';
  const where: string[] = [];
  const params: Param[] = [...ew.params];
  if (f.technique) {
    where.push('list_contains(n.tokens, ?)');
    params.push(normToken(f.technique));
  }
  if (f.agent) {
    where.push('n.agent = ?');
    params.push(f.agent);
  }
  if (ew.where.length) where.push('(coalesce(i.k, 0) + coalesce(o.k, 0)) > 0');
  return {
    tables: ['lineage_nodes', 'lineage_edges'],
    params,
    sql: `WITH e AS (SELECT e.parent, e.child FROM lineage_edges e ${edgeFilter}),
i AS (SELECT child AS filename, count(*) AS k FROM e GROUP BY child),
o AS (SELECT parent AS filename, count(*) AS k FROM e GROUP BY parent)
SELECT n.filename, n.node_kind, n.agent, n.ts, n.score, n.secondary, n.status, n.verification, n.method, n.tokens,
  n.is_frontier, n.is_pareto, n.layer, n.depth,
  coalesce(i.k, 0)::INTEGER AS in_edges, coalesce(o.k, 0)::INTEGER AS out_edges
FROM lineage_nodes n
LEFT JOIN i USING (filename)
LEFT JOIN o USING (filename)
${where.length ? `WHERE ${where.join('\n  AND ')}` : ''}
ORDER BY n.ts NULLS LAST, n.filename`,
  };
}

/**
 * Edges with their evidence and both ends. rule and minConfidence filter the edge; agent keeps edges with that agent
 * at either end; technique keeps edges whose child uses the token (the edge carried it or led to it).
 */
export function lineageEdges(f: LineageFilters = {}): QuerySpec {
  const ew = edgeWhere(f);
  const where = [...ew.where];
  const params: Param[] = [...ew.params];
  if (f.agent) {
    where.push('(e.parent_agent = ? OR e.child_agent = ?)');
    params.push(f.agent, f.agent);
  }
  if (f.technique) {
    where.push('list_contains(c.tokens, ?)');
    params.push(normToken(f.technique));
  }
  return {
    tables: ['lineage_edges', 'lineage_nodes'],
    params,
    sql: `SELECT e.parent, e.child, e.parent_agent, e.child_agent, e.rule, e.confidence, e.extra_rules,
  e.evidence_file, e.evidence,
  p.ts AS parent_ts, c.ts AS child_ts, p.method AS parent_method, c.method AS child_method,
  p.score AS parent_score, c.score AS child_score, c.score - p.score AS score_delta
FROM lineage_edges e
JOIN lineage_nodes p ON p.filename = e.parent
JOIN lineage_nodes c ON c.filename = e.child
${where.length ? `WHERE ${where.join('\n  AND ')}` : ''}
ORDER BY c.ts NULLS LAST, e.child, p.ts NULLS LAST, e.parent`,
  };
}

/** Number of edges per rule (all edges, and those at or above minConfidence). */
export function lineageRuleCounts(minConfidence = 0): QuerySpec {
  return {
    tables: ['lineage_edges'],
    params: [minConfidence],
    sql: `SELECT rule, count(*)::INTEGER AS edges, count(*) FILTER (WHERE confidence >= ?)::INTEGER AS confident,
  avg(confidence) AS mean_confidence
FROM lineage_edges
GROUP BY rule
ORDER BY CASE rule WHEN 'ref' THEN 0 WHEN 'bucket-path' THEN 1 WHEN 'credit' THEN 2 ELSE 3 END`,
  };
}

export interface TechniqueAdopterRow {
  agent: string;
  is_inventor: boolean;
  first_result: string;
  first_ts: string | null;
  results: number;
  best_score: number | null;
  best_result: string | null;
  dead_ends: number;
  /** Filenames of the agent's results using the token, oldest first. */
  filenames: string[];
}

/**
 * "Who already tried this technique": one row per agent with a result using the token, in order of first use,
 * with their best eligible score (not negative, not invalid, not over the cap) and their dead ends.
 */
export function techniqueAdopters(c: Pick<CollabConfig, 'higher_is_better'>, technique: string): QuerySpec {
  const best = c.higher_is_better ? 'arg_max' : 'arg_min';
  const agg = c.higher_is_better ? 'max' : 'min';
  const ok = `n.score IS NOT NULL AND coalesce(n.status, '') <> 'negative' AND coalesce(n.verification, '') <> 'invalid' AND NOT coalesce(r.over_cap, false)`;
  const dead = `n.status = 'negative' OR n.verification = 'invalid' OR coalesce(r.over_cap, false)`;
  return {
    tables: ['lineage_nodes', 'results', 'techniques'],
    params: [normToken(technique), normToken(technique)],
    sql: `WITH used AS (
  SELECT n.*, coalesce(r.over_cap, false) AS over_cap, (${ok}) AS eligible, (${dead}) AS dead_end
  FROM lineage_nodes n LEFT JOIN results r USING (filename)
  WHERE list_contains(n.tokens, ?) AND n.agent IS NOT NULL
)
SELECT agent,
  coalesce(agent = (SELECT inventor FROM techniques WHERE token = ?), false) AS is_inventor,
  arg_min(filename, (ts, filename)) AS first_result,
  min(ts) AS first_ts,
  count(*)::INTEGER AS results,
  ${agg}(score) FILTER (WHERE eligible) AS best_score,
  ${best}(filename, score) FILTER (WHERE eligible) AS best_result,
  count(*) FILTER (WHERE dead_end)::INTEGER AS dead_ends,
  list(filename ORDER BY ts NULLS LAST, filename) AS filenames
FROM used
GROUP BY agent
ORDER BY first_ts NULLS LAST, agent`,
  };
}

export interface TechniqueListFilters {
  minAdopters?: number | null;
  /** A knob family such as `ctk#` (tokenFamily). */
  family?: string | null;
  limit?: number | null;
}

/** The techniques table, most adopted first. */
export function techniquesList(f: TechniqueListFilters = {}): QuerySpec {
  const where: string[] = [];
  const params: Param[] = [];
  if (f.minAdopters !== null && f.minAdopters !== undefined && Number.isFinite(f.minAdopters)) {
    where.push('adopters >= ?');
    params.push(f.minAdopters);
  }
  if (f.family) {
    where.push('family = ?');
    params.push(normToken(f.family));
  }
  const limit = f.limit !== null && f.limit !== undefined && Number.isInteger(f.limit) && f.limit > 0 ? 'LIMIT ?' : '';
  if (limit) params.push(f.limit!);
  return {
    tables: ['techniques'],
    params,
    sql: `SELECT token, family, first_result, inventor, first_ts, adopters, adopter_agents, results, best_score, best_result,
  frontier_count, dead_end_count, stop_reason, frontier_result, frontier_gain
FROM techniques
${where.length ? `WHERE ${where.join(' AND ')}` : ''}
ORDER BY adopters DESC, results DESC, first_ts NULLS LAST, token
${limit}`,
  };
}

export interface LineageNeighbourRow {
  filename: string;
  /** ancestor, self or descendant */
  direction: string;
  /** Edges away from the focus node (0 for itself). */
  distance: number;
  agent: string | null;
  ts: string | null;
  score: number | null;
  method: string | null;
}

/** Ancestors and descendants of one result up to `maxDepth` edges away (edges go forward in time, so no cycles). */
export function lineageNeighbourhood(filename: string, maxDepth = 3, minConfidence = 0): QuerySpec {
  const depth = Number.isInteger(maxDepth) && maxDepth >= 0 ? maxDepth : 3;
  return {
    tables: ['lineage_edges', 'lineage_nodes'],
    params: [filename, minConfidence, depth, filename, minConfidence, depth, filename],
    sql: `WITH RECURSIVE
up(filename, distance) AS (
  SELECT ?::VARCHAR, 0
  UNION
  SELECT e.parent, up.distance + 1 FROM lineage_edges e JOIN up ON e.child = up.filename
  WHERE e.confidence >= ? AND up.distance < ?
),
down(filename, distance) AS (
  SELECT ?::VARCHAR, 0
  UNION
  SELECT e.child, down.distance + 1 FROM lineage_edges e JOIN down ON e.parent = down.filename
  WHERE e.confidence >= ? AND down.distance < ?
),
hood AS (
  SELECT filename, 'ancestor' AS direction, min(distance) AS distance FROM up WHERE distance > 0 GROUP BY filename
  UNION ALL
  SELECT filename, 'descendant', min(distance) FROM down WHERE distance > 0 GROUP BY filename
  UNION ALL
  SELECT ?::VARCHAR, 'self', 0
)
SELECT h.filename, h.direction, h.distance::INTEGER AS distance, n.agent, n.ts, n.score, n.method
FROM hood h JOIN lineage_nodes n USING (filename)
ORDER BY CASE h.direction WHEN 'ancestor' THEN 0 WHEN 'self' THEN 1 ELSE 2 END, n.ts NULLS LAST, h.filename`,
  };
}
