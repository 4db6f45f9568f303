// Layered layout of a lineage view with dagre: time runs left to right (UTC day bands, then slots of the day), edges point right.
import dagre, { type graphlib } from '@dagrejs/dagre';
import type { GraphEdge, GraphNode, LineageView } from './view.ts';

export interface Point {
  x: number;
  y: number;
}

export interface PlacedNode {
  node: GraphNode;
  x: number;
  y: number;
  rank: number;
}

export interface PlacedEdge {
  edge: GraphEdge;
  /**
   * Route from dagre, parent end first (the first and last points touch the node boxes); for an edge that skips
   * more than `routeSpan` columns, just its two ends (drawn as a direct curve).
   */
  points: Point[];
  routed: boolean;
}

export interface DayBand {
  layer: number;
  /** YYYY-MM-DD (UTC) of the band's results. */
  day: string;
  x0: number;
  x1: number;
}

export interface LineageLayout {
  width: number;
  height: number;
  nodes: PlacedNode[];
  edges: PlacedEdge[];
  /** Frontier results in time order and their centres (ranks rise along the frontier, so x does too). */
  frontier: string[];
  frontierPath: Point[];
  bands: DayBand[];
  ranks: number;
  /** Longest routed edge in columns (longer ones are direct curves). */
  routeSpan: number;
}

export interface LayoutOptions {
  /** Ranks a day is cut into before lineage pushes a result further right (6: four-hour slots). */
  slotsPerDay?: number;
  nodeSize?: number;
  frontierSize?: number;
  /** Dummy nodes dagre may add to route edges (ROUTE_BUDGET); edges past it are drawn as direct curves. */
  routeBudget?: number;
}

/**
 * Every column an edge crosses is a dummy node for dagre (two, as ranks are doubled), and time-true columns make
 * lineage edges long (median 6–8 columns): routing all 875 edges of the 500-result sample meant ~20,000 dummies
 * and tens of seconds. Edges are routed shortest first until this many dummies; the longer ones (jumps across
 * days) are drawn as direct curves. The frontier and its ancestors (about 100 results) fit whole.
 */
export const ROUTE_BUDGET = 3000;

/** Longest span (in columns) whose edges, with all shorter ones, fit in the dummy budget. */
export function routeSpan(spans: readonly number[], budget: number): number {
  const sorted = [...spans].sort((a, b) => a - b);
  let used = 0;
  let longest = 1;
  for (let i = 0; i < sorted.length; ) {
    const s = sorted[i]!;
    let j = i;
    while (j < sorted.length && sorted[j] === s) j++;
    used += (j - i) * (2 * s - 1);
    if (used > budget) break;
    longest = s;
    i = j;
  }
  return longest;
}

/** Room above the graph for the day labels. */
export const BAND_LABEL_HEIGHT = 22;
const MARGIN = 12;

/**
 * Ranks (columns) for dagre, computed here because dagre's own rankers place a result by its edges only and would
 * stack every result without a parent in the first column. Results go in time order; a result's rank is the
 * largest of: the first rank of its UTC day (one past the last rank of the previous day with results), that plus
 * its slot of the day, one past each parent's rank, and one past the previous frontier result's rank. Edges go
 * forward in time (derivation rule), so every parent is ranked before its child and every edge points right.
 */
export function assignRanks(view: Pick<LineageView, 'nodes' | 'edges'>, slotsPerDay = 6): Map<string, number> {
  const parents = new Map<string, string[]>();
  for (const e of view.edges) (parents.get(e.child) ?? parents.set(e.child, []).get(e.child)!).push(e.parent);
  const undated = Number.MAX_SAFE_INTEGER;
  // An agent-level node has no time: it opens the day of its first child, so every edge still points right.
  const when = (n: (typeof view.nodes)[number]): string => (n.node_kind === 'agent' ? '' : (n.ts ?? '\uffff'));
  const order = [...view.nodes].sort(
    (a, b) => (a.layer ?? undated) - (b.layer ?? undated) || when(a).localeCompare(when(b)) || a.filename.localeCompare(b.filename),
  );
  const rank = new Map<string, number>();
  let layer: number | null | undefined;
  let dayStart = 0;
  let maxRank = -1;
  let lastFrontier: string | null = null;
  for (const n of order) {
    if (n.layer !== layer) {
      layer = n.layer;
      dayStart = maxRank + 1;
    }
    const slot = n.ts ? Math.floor((Date.parse(n.ts) % 86_400_000) / (86_400_000 / slotsPerDay)) : 0;
    let r = dayStart + slot;
    for (const p of parents.get(n.filename) ?? []) {
      const pr = rank.get(p);
      if (pr !== undefined) r = Math.max(r, pr + 1);
    }
    if (n.is_frontier) {
      if (lastFrontier !== null) r = Math.max(r, rank.get(lastFrontier)! + 1);
      lastFrontier = n.filename;
    }
    rank.set(n.filename, r);
    maxRank = Math.max(maxRank, r);
  }
  return rank;
}

type DagreGraph = graphlib.Graph;

type ViewGraph = Pick<LineageView, 'nodes' | 'edges'>;

/**
 * The dagre graph, laid out: nodes at their fixed ranks, the routed edges, and the frontier chain as heavy extra
 * edges so the ordering keeps the frontier results near one line.
 */
function layoutDagre(view: ViewGraph, rank: Map<string, number>, routed: readonly boolean[], size: number, fsize: number, frontier: readonly string[]): DagreGraph {
  const g: DagreGraph = new dagre.graphlib.Graph({ multigraph: true });
  // ranker 'none' keeps the ranks set on the nodes (dagre copies a node's `rank` and skips its rankers). Ranks are
  // doubled as dagre's own rankers do (it doubles minlen to make room for edge labels and halves ranksep): every
  // edge then spans a dummy node, which is what gives it a route.
  g.setGraph({ rankdir: 'LR', nodesep: 5, ranksep: 22, edgesep: 3, marginx: MARGIN, marginy: MARGIN, ranker: 'none' as 'longest-path' });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of view.nodes) {
    const s = n.is_frontier ? fsize : size;
    g.setNode(n.filename, { width: s, height: s, rank: 2 * (rank.get(n.filename) ?? 0) });
  }
  view.edges.forEach((e, i) => {
    if (routed[i]) g.setEdge(e.parent, e.child, { weight: 1 + e.confidence, minlen: 1 }, `e${i}`);
  });
  for (let i = 1; i < frontier.length; i++) g.setEdge(frontier[i - 1]!, frontier[i]!, { weight: 8, minlen: 1 }, `f${i}`);
  dagre.layout(g);
  return g;
}

/** Nodes where dagre put them and edges along its routes (or from side to side when unrouted), below the day labels. */
function placeNodesAndEdges(view: ViewGraph, g: DagreGraph, rank: Map<string, number>, routed: readonly boolean[], size: number): { placed: PlacedNode[]; edges: PlacedEdge[] } {
  const placed: PlacedNode[] = view.nodes.map((n) => {
    const p = g.node(n.filename) as { x: number; y: number };
    return { node: n, x: p.x, y: p.y + BAND_LABEL_HEIGHT, rank: rank.get(n.filename) ?? 0 };
  });
  const shift = (pts: readonly Point[] | undefined): Point[] => (pts ?? []).map((p) => ({ x: p.x, y: p.y + BAND_LABEL_HEIGHT }));
  const at = new Map(placed.map((p) => [p.node.filename, p]));
  const edges: PlacedEdge[] = view.edges.map((e, i) => {
    if (routed[i]) return { edge: e, routed: true, points: shift((g.edge(e.parent, e.child, `e${i}`) as { points?: Point[] }).points) };
    const a = at.get(e.parent)!;
    const b = at.get(e.child)!;
    return { edge: e, routed: false, points: [{ x: a.x + size / 2, y: a.y }, { x: b.x - size / 2, y: b.y }] };
  });
  return { placed, edges };
}

/**
 * The drawing's extent: nodes and every route point (dagre sizes the graph by its nodes, and a bend of a long
 * edge can stick out). Shifts every point in place so nothing starts above the day labels or left of the margin.
 */
function fitExtent(all: Point[], fsize: number): { width: number; height: number } {
  let [minX, minY, maxX, maxY] = [Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY, 0, 0];
  for (const p of all) {
    minX = Math.min(minX, p.x);
    minY = Math.min(minY, p.y);
  }
  const dx = all.length ? Math.max(0, MARGIN + fsize / 2 - minX) : 0;
  const dy = all.length ? Math.max(0, BAND_LABEL_HEIGHT + fsize / 2 - minY) : 0;
  for (const p of all) {
    p.x += dx;
    p.y += dy;
    maxX = Math.max(maxX, p.x);
    maxY = Math.max(maxY, p.y);
  }
  return { width: Math.ceil(all.length ? maxX + fsize / 2 + MARGIN : 0), height: Math.ceil(all.length ? maxY + fsize / 2 + MARGIN : 0) };
}

/** Day bands span their results' columns, meeting halfway between days; the first starts at 0, the last ends at `width`. */
function dayBands(placed: readonly PlacedNode[], width: number): DayBand[] {
  const days = new Map<number, { day: string; lo: number; hi: number }>();
  for (const p of placed) {
    if (p.node.layer === null || !p.node.ts) continue;
    const d = days.get(p.node.layer);
    if (d) {
      d.lo = Math.min(d.lo, p.x);
      d.hi = Math.max(d.hi, p.x);
    } else days.set(p.node.layer, { day: p.node.ts.slice(0, 10), lo: p.x, hi: p.x });
  }
  const sorted = [...days].sort((a, b) => a[0] - b[0]);
  return sorted.map(([layer, d], i) => {
    const prev = sorted[i - 1]?.[1];
    const next = sorted[i + 1]?.[1];
    return {
      layer,
      day: d.day,
      x0: prev ? (prev.hi + d.lo) / 2 : 0,
      x1: next ? (d.hi + next.lo) / 2 : width,
    };
  });
}

/** Lay the view out: fixed ranks (assignRanks), dagre's crossing reduction, coordinates and edge routes. */
export function layoutLineage(view: ViewGraph, o: LayoutOptions = {}): LineageLayout {
  const size = o.nodeSize ?? 12;
  const fsize = o.frontierSize ?? 18;
  const rank = assignRanks(view, o.slotsPerDay ?? 6);
  const spans = view.edges.map((e) => (rank.get(e.child) ?? 0) - (rank.get(e.parent) ?? 0));
  const longest = routeSpan(spans, o.routeBudget ?? ROUTE_BUDGET);
  const routed = spans.map((s) => s <= longest);
  const frontier = view.nodes.filter((n) => n.is_frontier).map((n) => n.filename);
  const g = layoutDagre(view, rank, routed, size, fsize, frontier);
  const { placed, edges } = placeNodesAndEdges(view, g, rank, routed, size);
  const { width, height } = fitExtent([...placed, ...edges.flatMap((e) => e.points)], fsize);
  const at = new Map(placed.map((p) => [p.node.filename, p]));
  return {
    width,
    height,
    nodes: placed,
    edges,
    frontier,
    frontierPath: frontier.map((f) => at.get(f)!).map((p) => ({ x: p.x, y: p.y })),
    bands: dayBands(placed, width),
    ranks: rank.size ? Math.max(...rank.values()) + 1 : 0,
    routeSpan: longest,
  };
}

/** One line about the edges drawn as direct curves, or '' when dagre routed them all. */
export function routeNote(layout: Pick<LineageLayout, 'edges' | 'routeSpan'>): string {
  const jumps = layout.edges.filter((e) => !e.routed).length;
  return jumps ? `${jumps} edges spanning more than ${layout.routeSpan} columns are drawn as direct curves; dagre routes the rest.` : '';
}
