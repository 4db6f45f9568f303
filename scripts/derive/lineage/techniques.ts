// Lineage techniques: one row per token, the first result using it, adopters, best score, frontier and dead ends,
// the frontier step it entered with (and that step's gain), and why a token is not a technique (stop-list.ts).
import type { CollabConfig } from '../../../src/lib/config.ts';
import { tokenFamily } from '../../../src/lib/lineage/tokens.ts';
import type { LineageNodeRow, TechniqueRow } from '../../../src/lib/schema/lineage.ts';
import { compareStrings as cmp, pushTo } from '../collections.ts';
import { isDeadEnd, isEligible, type Graph, type Node } from './graph.ts';
import { frontierSteps } from './nodes.ts';
import { stopReasons } from './stop-list.ts';

type Acc = TechniqueRow & { agentSet: Set<string>; deadSet: Set<string> };

function newRow(tok: string, n: Node): Acc {
  return {
    token: tok,
    family: tokenFamily(tok),
    stop_reason: null,
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
    dead_end_agents: [],
    frontier_result: null,
    frontier_gain: null,
    agentSet: new Set(),
    deadSet: new Set(),
  };
}

/**
 * One row per token. frontier_result: the first frontier step (the honest running best) whose result carries the
 * token, the step at which the technique entered the frontier; frontier_gain: that step's gain over the best before
 * it (null for the very first step). Every token entering at one step shares that step's gain.
 */
export function techniqueRows(g: Graph, nodes: readonly LineageNodeRow[], config: CollabConfig, handles: Iterable<string>): TechniqueRow[] {
  const hi = config.higher_is_better;
  const frontier = new Map(nodes.map((n) => [n.filename, n.is_frontier === true]));
  const acc = new Map<string, Acc>();
  const uses = new Map<string, Node[]>();
  for (const n of g.nodes) {
    for (const tok of n.tokens) {
      let t = acc.get(tok);
      if (!t) acc.set(tok, (t = newRow(tok, n)));
      pushTo(uses, tok, n);
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
      if (isDeadEnd(n.r)) {
        t.dead_end_count = (t.dead_end_count ?? 0) + 1;
        if (n.r.agent) t.deadSet.add(n.r.agent);
      }
    }
  }
  for (const s of frontierSteps(g, hi)) {
    for (const tok of s.item.tokens) {
      const t = acc.get(tok);
      if (!t || t.frontier_result !== null) continue;
      t.frontier_result = s.item.r.filename;
      t.frontier_gain = s.gain;
    }
  }
  const stops = stopReasons(g, [...uses].map(([token, list]) => ({ token, nodes: list })), handles);
  return [...acc.values()]
    .map(({ agentSet, deadSet, ...t }) => ({
      ...t,
      adopters: agentSet.size,
      dead_end_agents: [...deadSet].sort(cmp),
      stop_reason: stops.get(t.token) ?? null,
    }))
    .sort((a, b) => cmp(a.token, b.token));
}
