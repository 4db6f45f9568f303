// Tables of the lineage derivation: results as nodes, evidenced parent → child edges, and techniques (method tokens).
import { col, key, table, type Row } from './types.ts';

export const lineageNodes = table({
  name: 'lineage_nodes',
  description:
    'One node per result for the lineage graph (its method fingerprint, whether it moved the frontier, layout layers), plus one agent-level node per credited agent whose result is not in this export.',
  orderBy: ['filename'],
  columns: [
    key('filename', 'VARCHAR', 'Result filename (joins results.filename), or agent:<handle> for an agent-level node.'),
    col('node_kind', 'VARCHAR', 'result, or agent: a credited agent whose matching result is not in this export (no time, score or method).'),
    col('agent', 'VARCHAR', 'Author handle (for an agent-level node: the credited agent).'),
    col('ts', 'TIMESTAMP', 'Time from the filename stamp (UTC).'),
    col('score', 'DOUBLE', "The collaboration's score (configured field)."),
    col('secondary', 'DOUBLE', 'Secondary metric (lower is better), null when not reported.'),
    col('status', 'VARCHAR', 'agent-run, negative or baseline.'),
    col('verification', 'VARCHAR', 'valid, pending or invalid.'),
    col('method', 'VARCHAR', 'Method string as posted (untrusted text).'),
    col('tokens', 'VARCHAR[]', 'Fingerprint: normalised method tokens, versions and handles dropped (see src/lib/lineage/tokens.ts).'),
    col('is_frontier', 'BOOLEAN', 'Eligible and strictly better than every earlier eligible result (best so far, in the configured direction).'),
    col('is_pareto', 'BOOLEAN', 'Eligible and not dominated on (score, secondary); null when the secondary metric is missing.'),
    col('layer', 'INTEGER', 'Layout layer: UTC day index counted from the day of the first result (0-based).'),
    col('depth', 'INTEGER', 'Topological depth in the lineage graph: 0 for a node without parents, else 1 + the deepest parent.'),
    col('parent_count', 'INTEGER', 'Number of lineage edges into this node.'),
    col('child_count', 'INTEGER', 'Number of lineage edges out of this node.'),
  ],
});

export const lineageEdges = table({
  name: 'lineage_edges',
  description:
    'Parent → child links between results (parent earlier) or from a credited agent whose result is not in this export, one per pair, with the strongest rule and the evidence behind it.',
  orderBy: ['child', 'parent'],
  columns: [
    key('parent', 'VARCHAR', 'Earlier result filename the child builds on, or agent:<handle> when the credited result is not in this export.'),
    key('child', 'VARCHAR', 'Later result filename.'),
    col('parent_agent', 'VARCHAR', 'Author of the parent (the credited agent for an agent-level parent).'),
    col('child_agent', 'VARCHAR', 'Author of the child.'),
    col('rule', 'VARCHAR', 'Strongest rule that found the pair: ref, bucket-path, credit or token (in that order of strength).'),
    col('confidence', 'DOUBLE', '0..1: the rules’ confidences combined as a noisy-OR (independent evidence raises it).'),
    col('extra_rules', 'VARCHAR[]', 'Other rules that found the same pair (their evidence is not repeated).'),
    col('evidence_file', 'VARCHAR', 'Export-relative path (or filename) of the file that holds the evidence.'),
    col('evidence', 'VARCHAR', 'The snippet that justifies the edge, at most 240 characters (untrusted text).'),
  ],
});

export const techniques = table({
  name: 'techniques',
  description: 'One row per method token: who used it first (the candidate inventor), who adopted it, and how it fared.',
  orderBy: ['token'],
  columns: [
    key('token', 'VARCHAR', 'Normalised method token, e.g. ctk48 or noprecache.'),
    col('family', 'VARCHAR', 'Token with its numbers replaced by #, grouping settings of one knob (ctk48, ctk44 → ctk#).'),
    col('stop_reason', 'VARCHAR', 'Why the token is not a technique (activity, numeric, fragment, name, one-off; scripts/derive/lineage/stop-list.ts); null for a technique.'),
    col('first_result', 'VARCHAR', 'Earliest result using the token.'),
    col('inventor', 'VARCHAR', 'Agent of the earliest result using the token.'),
    col('first_ts', 'TIMESTAMP', 'Time of the earliest result using the token.'),
    col('adopters', 'INTEGER', 'Distinct agents with a result using the token (the inventor included).'),
    col('adopter_agents', 'VARCHAR[]', 'Those agents, in order of first use.'),
    col('results', 'INTEGER', 'Results using the token.'),
    col('best_score', 'DOUBLE', 'Best score (configured direction) among eligible results using the token.'),
    col('best_result', 'VARCHAR', 'Result with that best score (earliest on ties).'),
    col('frontier_count', 'INTEGER', 'Results using the token that moved the frontier (is_frontier).'),
    col('dead_end_count', 'INTEGER', 'Results using the token that are negative, invalid or over the secondary cap.'),
    col('dead_end_agents', 'VARCHAR[]', 'Agents with such a dead-end result, sorted by handle.'),
    col('frontier_result', 'VARCHAR', 'First frontier step (honest running best) whose result uses the token: where it entered the frontier.'),
    col('frontier_gain', 'DOUBLE', 'That step’s gain over the best before it, in score units (null for the first step or a token never on the frontier); every token entering at one step shares it.'),
  ],
});

export const LINEAGE_TABLES = [lineageNodes, lineageEdges, techniques] as const;

export type LineageNodeRow = Row<typeof lineageNodes>;
export type LineageEdgeRow = Row<typeof lineageEdges>;
export type TechniqueRow = Row<typeof techniques>;
