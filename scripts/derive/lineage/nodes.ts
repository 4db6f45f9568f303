// Lineage nodes: frontier and Pareto flags, layer and depth, and the agent-level parent nodes.
import type { CollabConfig } from '../../../src/lib/config.ts';
import type { LineageEdgeRow, LineageNodeRow } from '../../../src/lib/schema/lineage.ts';
import { NO_TIE, runningBest, type BestStep } from '../../../src/lib/ties.ts';
import { pushTo } from '../collections.ts';
import { isAgentNode } from './candidates.ts';
import { isEligible, type Graph, type Node } from './graph.ts';

const DAY_MS = 86_400_000;

/** NODES at the top, in order: frontier, Pareto, then layer and depth per result, then the agent-level parents. */
export function nodeRows(g: Graph, edges: readonly LineageEdgeRow[], config: CollabConfig): LineageNodeRow[] {
  const frontier = frontierFlags(g, config.higher_is_better);
  const pareto = paretoFlags(g, config.higher_is_better);
  const childCount = new Map<string, number>();
  for (const e of edges) childCount.set(e.parent, (childCount.get(e.parent) ?? 0) + 1);
  const rows = resultNodeRows(g, edges, { frontier, pareto, childCount });
  rows.push(...agentNodeRows(edges, rows, childCount));
  return rows.sort((a, b) => (a.filename < b.filename ? -1 : a.filename > b.filename ? 1 : 0));
}

/**
 * is_frontier: the steps of the honest running best (src/lib/ties.ts runningBest): eligible and strictly better than
 * every earlier eligible result (ties keep the earlier one); null for a result without a stamp.
 */
function frontierFlags(g: Graph, hi: boolean): Map<Node, boolean | null> {
  const frontier = new Map<Node, boolean | null>();
  for (const n of g.nodes) frontier.set(n, n.t === null ? null : false);
  for (const s of frontierSteps(g, hi)) frontier.set(s.item, true);
  return frontier;
}

/** The frontier steps in time order, each with its gain over the best before it (no tie classes: NO_TIE). */
export function frontierSteps(g: Graph, hi: boolean): BestStep<Node>[] {
  return runningBest(g.nodes, { score: (n) => n.r.score, eligible: (n) => n.t !== null && isEligible(n.r), higherIsBetter: hi, tie: NO_TIE });
}

/** is_pareto: a sweep by goodness descending, secondary ascending; null without a secondary, false when ineligible. */
function paretoFlags(g: Graph, hi: boolean): Map<Node, boolean | null> {
  const pareto = new Map<Node, boolean | null>();
  const pts = g.nodes.filter((n) => isEligible(n.r) && n.r.secondary !== null && Number.isFinite(n.r.secondary));
  const hasSecondary = new Set(pts);
  for (const n of g.nodes) pareto.set(n, isEligible(n.r) ? (hasSecondary.has(n) ? false : null) : false);
  const good = (n: Node): number => (hi ? n.r.score! : -n.r.score!);
  pts.sort((a, b) => good(b) - good(a) || a.r.secondary! - b.r.secondary!);
  let minBefore = Infinity;
  for (let i = 0; i < pts.length; ) {
    let j = i;
    while (j < pts.length && good(pts[j]!) === good(pts[i]!)) j++;
    const groupMin = pts[i]!.r.secondary!;
    for (let k = i; k < j; k++) {
      const s = pts[k]!.r.secondary!;
      pareto.set(pts[k]!, s === groupMin && s < minBefore);
    }
    minBefore = Math.min(minBefore, groupMin);
    i = j;
  }
  return pareto;
}

/** One row per result in time order: layer (UTC day from the first result's), depth (1 + deepest parent). */
function resultNodeRows(
  g: Graph,
  edges: readonly LineageEdgeRow[],
  flags: { frontier: Map<Node, boolean | null>; pareto: Map<Node, boolean | null>; childCount: Map<string, number> },
): LineageNodeRow[] {
  const parents = new Map<string, string[]>();
  for (const e of edges) pushTo(parents, e.child, e.parent);
  const depth = new Map<string, number>();
  const firstT = g.nodes.find((n) => n.t !== null)?.t ?? null;
  const day0 = firstT === null ? null : Math.floor(firstT / DAY_MS) * DAY_MS;
  const rows: LineageNodeRow[] = [];
  for (const n of g.nodes) {
    const ps = parents.get(n.r.filename) ?? [];
    const d = ps.length ? 1 + Math.max(...ps.map((p) => depth.get(p) ?? 0)) : 0;
    depth.set(n.r.filename, d);
    rows.push({
      filename: n.r.filename,
      node_kind: 'result',
      agent: n.r.agent,
      ts: n.r.ts,
      score: n.r.score,
      secondary: n.r.secondary,
      status: n.r.status,
      verification: n.r.verification,
      method: n.r.method,
      tokens: n.tokens,
      is_frontier: flags.frontier.get(n) ?? null,
      is_pareto: flags.pareto.get(n) ?? null,
      layer: n.t === null || day0 === null ? null : Math.floor((n.t - day0) / DAY_MS),
      depth: d,
      parent_count: ps.length,
      child_count: flags.childCount.get(n.r.filename) ?? 0,
    });
  }
  return rows;
}

/** Agent-level parents: one per credited agent whose matching result is not here, laid out on its first child's day. */
function agentNodeRows(edges: readonly LineageEdgeRow[], resultRows: readonly LineageNodeRow[], childCount: ReadonlyMap<string, number>): LineageNodeRow[] {
  const layerOf = new Map(resultRows.map((r) => [r.filename, r.layer]));
  const children = new Map<string, string[]>();
  for (const e of edges) if (isAgentNode(e.parent)) pushTo(children, e.parent, e.child);
  return [...children]
    .sort((a, b) => (a[0] < b[0] ? -1 : 1))
    .map(([id, kids]) => {
      const layers = kids.map((ch) => layerOf.get(ch)).filter((l): l is number => l !== null && l !== undefined);
      return {
        filename: id,
        node_kind: 'agent',
        agent: id.slice('agent:'.length),
        ts: null,
        score: null,
        secondary: null,
        status: null,
        verification: null,
        method: null,
        tokens: [],
        is_frontier: null,
        is_pareto: null,
        layer: layers.length ? Math.min(...layers) : null,
        depth: 0,
        parent_count: 0,
        child_count: childCount.get(id) ?? 0,
      };
    });
}
