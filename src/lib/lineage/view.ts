// Which nodes and edges the lineage graph draws: all that match the filters, or (past the cap) the frontier and its ancestors.
import { formatCell } from '../db/format.ts';
import type { LineageEdgeQueryRow, LineageNodeQueryRow } from '../queries/lineage.sql.ts';

/**
 * Past this many results a layered picture stops being readable (500 results and 900 edges draw a hairball): the
 * default view falls back to the frontier and its ancestors, and the filters narrow or widen it.
 */
export const READABLE = 200;
/** Most results ever laid out (also in the browser, where a layout of this size takes about a second). */
export const GRAPH_CAP = 600;
/** Edges away from the focused result that its neighbourhood view walks (both directions). */
export const FOCUS_DEPTH = 3;

/** What a drawn node needs (the query row without its token list). */
export type GraphNode = Omit<LineageNodeQueryRow, 'tokens'>;
/** What a drawn edge needs; the evidence is fetched when the edge is opened. */
export type GraphEdge = Pick<LineageEdgeQueryRow, 'parent' | 'child' | 'rule' | 'confidence'>;

/**
 * auto: every matching result up to READABLE, else the frontier and its ancestors; all: every matching result up to
 * GRAPH_CAP (else the same fallback); frontier: always the frontier and its ancestors.
 */
export type ViewMode = 'auto' | 'all' | 'frontier';
/** Why these nodes: every match, the frontier and its ancestors, or one result's neighbourhood. */
export type ViewReason = 'all' | 'frontier' | 'focus';

export interface ViewOptions {
  mode?: ViewMode;
  /** Filename whose ancestors and descendants (up to FOCUS_DEPTH edges) are shown instead. */
  focus?: string | null;
  /** Largest number of results drawn (GRAPH_CAP). */
  cap?: number;
  /** Largest match shown whole in mode auto (READABLE). */
  readable?: number;
}

export interface LineageView {
  nodes: GraphNode[];
  /** Edges with both ends in `nodes`, in the query's order. */
  edges: GraphEdge[];
  reason: ViewReason;
  /** Nodes and edges matching the filters, before the view chose among them. */
  matched: number;
  matchedEdges: number;
  /** True when the cap cut the chosen set (the reader is told to narrow the filters). */
  truncated: boolean;
  /** The frontier results (or their stand-ins) the ancestors were walked from; empty for the other reasons. */
  seeds: string[];
}

const byTime = (a: GraphNode, b: GraphNode): number =>
  (a.ts ?? '\uffff').localeCompare(b.ts ?? '\uffff') || a.filename.localeCompare(b.filename);

/** Breadth-first walk from `seeds` along `next`, nearest first; returns filenames in visit order. */
function walk(seeds: readonly string[], next: Map<string, string[]>, maxDepth = Number.POSITIVE_INFINITY): string[] {
  const seen = new Set(seeds);
  const order = [...seeds];
  let frontier = [...seeds];
  for (let d = 0; d < maxDepth && frontier.length; d++) {
    const out: string[] = [];
    for (const f of frontier) {
      for (const g of next.get(f) ?? []) {
        if (seen.has(g)) continue;
        seen.add(g);
        order.push(g);
        out.push(g);
      }
    }
    frontier = out;
  }
  return order;
}

const strip = (n: LineageNodeQueryRow | GraphNode): GraphNode => {
  const { tokens: _tokens, ...rest } = n as LineageNodeQueryRow;
  return rest;
};

/**
 * Choose the drawn subgraph. Rows come from lineageNodes(filters) and lineageEdges(filters); edges are kept only when
 * both ends are matching nodes. With a focus: the focus and its neighbourhood. Else every node when the mode allows
 * that many (auto: `readable`, all: `cap`), otherwise the frontier (is_frontier) nodes among them and their
 * ancestors along the matching edges, nearest first; when the filters leave no frontier node, the 25 best scores of
 * results neither negative nor invalid stand in for it (lineageFrontierView is the same choice in SQL). The cap always holds.
 */
export function selectView(
  nodeRows: readonly (LineageNodeQueryRow | GraphNode)[],
  edgeRows: readonly GraphEdge[],
  higherIsBetter: boolean,
  o: ViewOptions = {},
): LineageView {
  const cap = o.cap ?? GRAPH_CAP;
  const mode = o.mode ?? 'auto';
  const whole = mode === 'all' ? cap : mode === 'auto' ? Math.min(cap, o.readable ?? READABLE) : -1;
  const byName = new Map(nodeRows.map((n) => [n.filename, strip(n)]));
  const edges = edgeRows.filter((e) => byName.has(e.parent) && byName.has(e.child));
  const up = new Map<string, string[]>();
  const down = new Map<string, string[]>();
  for (const e of edges) {
    (up.get(e.child) ?? up.set(e.child, []).get(e.child)!).push(e.parent);
    (down.get(e.parent) ?? down.set(e.parent, []).get(e.parent)!).push(e.child);
  }
  let keep: string[];
  let reason: ViewReason;
  let seedNames: string[] = [];
  if (o.focus && byName.has(o.focus)) {
    reason = 'focus';
    const anc = walk([o.focus], up, FOCUS_DEPTH);
    const desc = walk([o.focus], down, FOCUS_DEPTH).slice(1);
    keep = [...anc, ...desc];
  } else if (byName.size <= whole) {
    reason = 'all';
    keep = [...byName.keys()];
  } else {
    reason = 'frontier';
    const all = [...byName.values()];
    let seeds = all.filter((n) => n.is_frontier).sort(byTime);
    if (!seeds.length) {
      const sign = higherIsBetter ? -1 : 1;
      seeds = all
        .filter((n) => n.score !== null && n.status !== 'negative' && n.verification !== 'invalid')
        .sort((a, b) => sign * ((a.score ?? 0) - (b.score ?? 0)) || byTime(a, b))
        .slice(0, 25);
    }
    seedNames = seeds.map((n) => n.filename);
    keep = walk(seedNames, up);
  }
  const truncated = keep.length > cap;
  const chosen = new Set(keep.slice(0, cap));
  const nodes = [...chosen].map((f) => byName.get(f)!).sort(byTime);
  // Edges in node order (child, then parent), whatever order the query gave: the layout depends on input order.
  const at = new Map(nodes.map((n, i) => [n.filename, i]));
  const kept = edges
    .filter((e) => chosen.has(e.parent) && chosen.has(e.child))
    .map((e) => ({ parent: e.parent, child: e.child, rule: e.rule, confidence: e.confidence }))
    .sort((a, b) => at.get(a.child)! - at.get(b.child)! || at.get(a.parent)! - at.get(b.parent)!);
  return {
    nodes,
    edges: kept,
    reason,
    matched: byName.size,
    matchedEdges: edges.length,
    truncated,
    seeds: seedNames,
  };
}

/** A view mode from the URL (anything else is auto). */
export const viewMode = (v: string | null | undefined): ViewMode => (v === 'all' || v === 'frontier' ? v : 'auto');

/**
 * valid | pending | invalid | negative | baseline, as the leaderboard names states (same shapes and colours); agent for
 * an agent-level node (a credited agent whose result is not in this export).
 */
export function nodeState(
  n: Pick<GraphNode, 'status' | 'verification'> & { node_kind?: string | null },
): 'valid' | 'pending' | 'invalid' | 'negative' | 'baseline' | 'agent' {
  if (n.node_kind === 'agent') return 'agent';
  if (n.status === 'baseline') return 'baseline';
  if (n.status === 'negative') return 'negative';
  if (n.verification === 'valid' || n.verification === 'invalid') return n.verification;
  return 'pending';
}

/** The status line: what the graph shows and why (the same words as the build-time line). */
export function viewStatus(v: Pick<LineageView, 'reason' | 'matched' | 'truncated' | 'nodes' | 'edges' | 'seeds'>, mode: ViewMode): string {
  if (v.matched === 0) return 'No result matches these filters.';
  const n = formatCell(v.nodes.length);
  const frontier = v.nodes.filter((x) => x.is_frontier).length;
  const why =
    mode === 'frontier'
      ? ''
      : mode === 'all'
        ? ` (more than ${GRAPH_CAP} cannot be laid out; narrow the filters)`
        : ` (more than ${READABLE} do not make a readable picture; filter, or show all matches)`;
  const what =
    v.reason === 'focus'
      ? `the neighbourhood of one result: ${n} results`
      : v.reason === 'all'
        ? `all ${formatCell(v.matched)} matching results`
        : `${frontier ? `the ${formatCell(frontier)} frontier results` : `the ${v.seeds.length} best scores (no frontier result matches)`} and their ancestors: ${n} of ${formatCell(v.matched)} matching results${why}`;
  return `Showing ${what}, ${formatCell(v.edges.length)} edges.${v.truncated ? ` Cut to the ${GRAPH_CAP} nearest the frontier.` : ''}`;
}
