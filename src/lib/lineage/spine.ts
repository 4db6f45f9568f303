// The lineage spine: the frontier path (the honest running best, src/lib/ties.ts) and the inventions that fed it, as
// rows in time order with one lane per feeding line. Pure: the view (views/lineage-spine.ts) queries and draws it.
import { runningBest, type GainClass, type Tie } from '../ties.ts';

/**
 * Side lines (parent → frontier step) the spine draws at most. The spine is read top to bottom, one row per step:
 * a reader follows the path itself plus about one "fed by" line per step, and past ~24 side lines the lanes beside a
 * 360-px column crowd into a hatch (24 lines at most 8 lanes wide is what still reads as separate lines at 12 px a
 * lane). Both exports have 38 frontier steps; on the sample 26 of them have an invention or a written-down parent to
 * show, on the real export fewer. The full graph (every edge) is one click away.
 */
export const SPINE_EDGE_BUDGET = 24;
/** Lanes beside the spine at most (each 12 px; 8 lanes leave ~200 px of label at 360 px). */
export const SPINE_MAX_LANES = 8;

export interface SpineNodeRow {
  filename: string;
  node_kind: string;
  agent: string | null;
  ts: string | null;
  score: number | null;
  status: string | null;
  verification: string | null;
  method: string | null;
  tokens: string[];
  is_frontier: boolean | null;
}

export interface SpineEdgeRow {
  parent: string;
  child: string;
  rule: string;
  confidence: number;
}

export interface SpineTechniqueRow {
  token: string;
  first_result: string | null;
  stop_reason: string | null;
}

/** One row of the spine: a frontier step, or a parent that fed one. */
export interface SpineRow {
  node: SpineNodeRow;
  frontier: boolean;
  /** Frontier steps: the gain over the best before it and its class (beyond, within noise, unknown, first). */
  gain: number | null;
  gainClass: GainClass | 'first' | null;
  /** Techniques (stop-list applied) that entered the frontier at this step, or that this parent carried into one. */
  techniques: string[];
  /** Those of them this result was the first of all to use (its agent is their candidate inventor). */
  invented: string[];
  /** Lane of a side parent (1…); 0 for frontier steps. */
  lane: number;
}

/** A side line: parent row → child row along `lane`; `invention` when the parent introduced a technique the step brought. */
export interface SpineLine {
  from: number;
  to: number;
  lane: number;
  edge: SpineEdgeRow;
  invention: boolean;
}

export interface Spine {
  rows: SpineRow[];
  lines: SpineLine[];
  lanes: number;
  /** Edges into frontier steps in the data, and how many the spine shows (≤ SPINE_EDGE_BUDGET). */
  candidates: number;
}

const byTime = (a: SpineNodeRow, b: SpineNodeRow): number => (a.ts ?? '\uffff').localeCompare(b.ts ?? '\uffff') || a.filename.localeCompare(b.filename);
/** Explicit rules first (someone wrote the link down), then confidence. */
const RULE_RANK: Record<string, number> = { ref: 3, 'bucket-path': 2, credit: 1, token: 0 };

interface Pick {
  edge: SpineEdgeRow;
  invention: boolean;
  tokens: string[];
}

/**
 * For each step (after the first), at most one parent besides the previous step. First an invention that fed it: a
 * parent carrying a technique that enters the frontier at this step (the inventor's first result before any other,
 * then the parent carrying most of them, then the stronger rule). Else the strongest explicit (non-token) parent that
 * is not itself on the spine (an earlier step is already drawn). Then the budget: inventions first, then rule and
 * confidence.
 */
function pickLines(steps: readonly SpineNodeRow[], entered: Map<string, string[]>, edges: readonly SpineEdgeRow[], ctx: { byName: Map<string, SpineNodeRow>; inventor: Map<string, string[]> }): Pick[] {
  const onSpine = new Set(steps.map((n) => n.filename));
  const into = new Map<string, SpineEdgeRow[]>();
  for (const e of edges) (into.get(e.child) ?? into.set(e.child, []).get(e.child)!).push(e);
  const score = (e: SpineEdgeRow) => (RULE_RANK[e.rule] ?? 0) + e.confidence;
  const picks: Pick[] = [];
  steps.forEach((s, i) => {
    const prev = steps[i - 1]?.filename;
    const cands = (into.get(s.filename) ?? []).filter((e) => e.parent !== prev);
    const brought = new Set(entered.get(s.filename) ?? []);
    const inv = cands
      .map((e) => ({
        edge: e,
        invention: true,
        tokens: (ctx.byName.get(e.parent)?.tokens ?? []).filter((t) => brought.has(t)),
        first: (ctx.inventor.get(e.parent) ?? []).some((t) => brought.has(t)),
      }))
      .filter((p) => p.tokens.length)
      .sort((a, b) => Number(b.first) - Number(a.first) || b.tokens.length - a.tokens.length || score(b.edge) - score(a.edge))[0];
    const explicit = cands.filter((e) => e.rule !== 'token' && !onSpine.has(e.parent)).sort((a, b) => score(b) - score(a))[0];
    const pick = inv ? { edge: inv.edge, invention: true, tokens: inv.tokens } : explicit ? { edge: explicit, invention: false, tokens: [] } : null;
    if (pick) picks.push(pick);
  });
  return picks
    .sort((a, b) => Number(b.invention) - Number(a.invention) || RULE_RANK[b.edge.rule]! - RULE_RANK[a.edge.rule]! || b.edge.confidence - a.edge.confidence)
    .slice(0, SPINE_EDGE_BUDGET);
}

/** Greedy interval lanes: shorter spans first, each in the lowest lane free over its rows (short lines hug the spine). */
function assignLanes(spans: readonly { from: number; to: number; key: string }[], max: number): Map<string, number> {
  const out = new Map<string, number>();
  const taken: { from: number; to: number }[][] = Array.from({ length: max }, () => []);
  for (const l of [...spans].sort((a, b) => a.to - a.from - (b.to - b.from) || a.from - b.from)) {
    const lane = taken.findIndex((busy) => busy.every((o) => o.to < l.from || o.from > l.to));
    if (lane < 0) continue;
    taken[lane]!.push(l);
    out.set(l.key, lane + 1);
  }
  return out;
}

/** The spine of a lineage: rows (steps and side parents) in time order, side lines with lanes. */
export function buildSpine(
  nodes: readonly SpineNodeRow[],
  edges: readonly SpineEdgeRow[],
  techniques: readonly SpineTechniqueRow[],
  o: { higherIsBetter: boolean; tie: Tie },
): Spine {
  const isTech = new Set(techniques.filter((t) => t.stop_reason === null).map((t) => t.token));
  const inventor = new Map<string, string[]>();
  for (const t of techniques) if (t.stop_reason === null && t.first_result) (inventor.get(t.first_result) ?? inventor.set(t.first_result, []).get(t.first_result)!).push(t.token);
  const byName = new Map(nodes.map((n) => [n.filename, n]));
  const steps = runningBest(
    nodes.filter((n) => n.is_frontier).sort(byTime),
    { score: (n) => n.score, eligible: (n) => n.status !== 'negative' && n.verification !== 'invalid', higherIsBetter: o.higherIsBetter, tie: o.tie },
  );
  const seen = new Set<string>();
  const entered = new Map<string, string[]>();
  for (const s of steps) {
    entered.set(s.item.filename, s.item.tokens.filter((t) => isTech.has(t) && !seen.has(t)));
    for (const t of s.item.tokens) seen.add(t);
  }
  const stepNodes = steps.map((s) => s.item);
  const picks = pickLines(stepNodes, entered, edges.filter((e) => byName.has(e.parent)), { byName, inventor });
  const stepSet = new Set(stepNodes.map((n) => n.filename));
  const sideNames = [...new Set(picks.map((p) => p.edge.parent).filter((p) => !stepSet.has(p)))];
  // Rows in time order; an agent-level parent (no time) sits just before its first child.
  const childTs = new Map<string, string>();
  for (const p of picks) {
    const c = byName.get(p.edge.child)?.ts ?? '';
    const had = childTs.get(p.edge.parent);
    if (had === undefined || c < had) childTs.set(p.edge.parent, c);
  }
  const when = (n: SpineNodeRow): string => n.ts ?? `${childTs.get(n.filename) ?? '\uffff'}`;
  const ordered = [...stepNodes, ...sideNames.map((f) => byName.get(f)!)].sort(
    (a, b) => when(a).localeCompare(when(b)) || Number(stepSet.has(a.filename)) - Number(stepSet.has(b.filename)) || a.filename.localeCompare(b.filename),
  );
  const at = new Map(ordered.map((n, i) => [n.filename, i]));
  const spans = new Map<string, { from: number; to: number; key: string }>();
  for (const p of picks) {
    const from = at.get(p.edge.parent)!;
    const to = at.get(p.edge.child)!;
    const key = stepSet.has(p.edge.parent) ? `${p.edge.parent}>${p.edge.child}` : p.edge.parent;
    const s = spans.get(key);
    spans.set(key, s ? { key, from: Math.min(s.from, from), to: Math.max(s.to, to) } : { key, from, to });
  }
  const lanes = assignLanes([...spans.values()], SPINE_MAX_LANES);
  const laneOf = (p: Pick) => lanes.get(stepSet.has(p.edge.parent) ? `${p.edge.parent}>${p.edge.child}` : p.edge.parent);
  const kept = picks.filter((p) => laneOf(p) !== undefined);
  const stepInfo = new Map(steps.map((s) => [s.item.filename, s]));
  const sideTechs = new Map<string, string[]>();
  for (const p of kept) if (!stepSet.has(p.edge.parent)) sideTechs.set(p.edge.parent, [...new Set([...(sideTechs.get(p.edge.parent) ?? []), ...p.tokens])]);
  const rows: SpineRow[] = ordered
    .filter((n) => stepSet.has(n.filename) || sideTechs.has(n.filename))
    .map((n) => {
      const s = stepInfo.get(n.filename);
      const lane = s ? 0 : (lanes.get(n.filename) ?? 0);
      const techniques = s ? entered.get(n.filename)! : sideTechs.get(n.filename)!;
      const invented = techniques.filter((t) => (inventor.get(n.filename) ?? []).includes(t));
      return { node: n, frontier: !!s, gain: s?.gain ?? null, gainClass: s?.gainClass ?? null, techniques, invented, lane };
    });
  const rowAt = new Map(rows.map((r, i) => [r.node.filename, i]));
  const lines = kept
    .map((p) => ({ from: rowAt.get(p.edge.parent)!, to: rowAt.get(p.edge.child)!, lane: laneOf(p)!, edge: p.edge, invention: p.invention }))
    .sort((a, b) => a.to - b.to || a.from - b.from);
  return { rows, lines, lanes: Math.max(0, ...lines.map((l) => l.lane)), candidates: edges.length };
}
