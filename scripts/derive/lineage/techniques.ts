// Lineage techniques: one row per token, the first result using it, adopters, best score, frontier and dead ends.
import type { CollabConfig } from '../../../src/lib/config.ts';
import { tokenFamily } from '../../../src/lib/lineage/tokens.ts';
import type { LineageNodeRow, TechniqueRow } from '../../../src/lib/schema/lineage.ts';
import { isDeadEnd, isEligible, type Graph } from './graph.ts';

export function techniqueRows(g: Graph, nodes: readonly LineageNodeRow[], config: CollabConfig): TechniqueRow[] {
  const hi = config.higher_is_better;
  const frontier = new Map(nodes.map((n) => [n.filename, n.is_frontier === true]));
  const acc = new Map<string, TechniqueRow & { agentSet: Set<string> }>();
  for (const n of g.nodes) {
    for (const tok of n.tokens) {
      let t = acc.get(tok);
      if (!t) {
        t = {
          token: tok,
          family: tokenFamily(tok),
          first_result: n.r.filename,
          inventor: n.r.agent,
          first_ts: n.r.ts,
          adopters: 0,
          adopter_agents: [],
          results: 0,
          best_score: null,
          best_result: null,
          frontier_count: 0,
          dead_end_count: 0,
          agentSet: new Set(),
        };
        acc.set(tok, t);
      }
      t.results = (t.results ?? 0) + 1;
      if (n.r.agent && !t.agentSet.has(n.r.agent)) {
        t.agentSet.add(n.r.agent);
        t.adopter_agents!.push(n.r.agent);
      }
      if (isEligible(n.r) && (t.best_score === null || (hi ? n.r.score! > t.best_score : n.r.score! < t.best_score))) {
        t.best_score = n.r.score;
        t.best_result = n.r.filename;
      }
      if (frontier.get(n.r.filename)) t.frontier_count = (t.frontier_count ?? 0) + 1;
      if (isDeadEnd(n.r)) t.dead_end_count = (t.dead_end_count ?? 0) + 1;
    }
  }
  return [...acc.values()]
    .map(({ agentSet, ...t }) => ({ ...t, adopters: agentSet.size }))
    .sort((a, b) => (a.token < b.token ? -1 : a.token > b.token ? 1 : 0));
}
