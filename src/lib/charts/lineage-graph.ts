// Lineage graph as SVG from a dagre layout: day bands, frontier path, edges by rule and confidence, nodes by state.
import { curveBasis, curveMonotoneX, line, symbol, symbolCircle, symbolDiamond, symbolSquare, symbolStar, symbolTimes, symbolTriangle, type SymbolType } from 'd3';
import type { CollabConfig } from '../config.ts';
import type { LineageLayout, Point } from '../lineage/layout.ts';
import { nodeState } from '../lineage/view.ts';

const SVG = 'http://www.w3.org/2000/svg';

/** Shapes per state, as on the leaderboard (valid filled circle; the others outlines of their own shape). */
export const NODE_STATES = ['valid', 'pending', 'invalid', 'negative', 'baseline', 'agent'] as const;
export type NodeStateName = (typeof NODE_STATES)[number];
const SHAPE: Record<NodeStateName, SymbolType> = {
  valid: symbolCircle,
  pending: symbolTriangle,
  invalid: symbolTimes,
  negative: symbolDiamond,
  baseline: symbolSquare,
  agent: symbolStar,
};
export const STATE_LABEL: Record<NodeStateName, string> = {
  valid: 'valid (verified)',
  pending: 'pending',
  invalid: 'invalid (marked ×)',
  negative: 'negative, a dead end (hollow diamond)',
  baseline: 'baseline',
  agent: 'agent-level parent: a credited agent whose result is not in this export (hollow star)',
};

/** Dash pattern per rule (the strongest rule solid, the weakest finest); the page CSS repeats them per class. */
export const RULE_DASH: Record<string, string | null> = { ref: null, 'bucket-path': '7 3', credit: '3 2', token: '1 2.5' };
export const RULE_ORDER = ['ref', 'bucket-path', 'credit', 'token'] as const;

/** Confidence classes q0–q4: opacity and width grow with confidence (the page CSS maps them). */
export const CONFIDENCE_STEPS = [0.3, 0.5, 0.7, 0.9] as const;
export const confidenceClass = (c: number): string => `q${CONFIDENCE_STEPS.filter((s) => c >= s).length}`;

/** Area of a node symbol in px² (d3.symbol size) for ordinary and frontier results. */
const AREA = { node: 64, frontier: 150 } as const;

/** Path data of a state's symbol, centred on 0,0. */
export function stateSymbol(state: NodeStateName, size: number = AREA.node): string {
  return symbol(SHAPE[state], size)() ?? '';
}

export interface LineageGraphEnv {
  document: Document;
}

/** Prefix of the ids inside the SVG (symbols, arrowheads); the page CSS names the arrowheads (marker-end per rule). */
export const ID_PREFIX = 'lg';

const round = (v: number): number => Math.round(v);
const frontierLine = line<Point>()
  .x((p) => p.x)
  .y((p) => p.y)
  .curve(curveMonotoneX)
  .digits(0);
const curve = line<Point>()
  .x((p) => p.x)
  .y((p) => p.y)
  .curve(curveBasis)
  .digits(0);

/**
 * Drop route points within `tolerance` px of the line through their neighbours (Ramer–Douglas–Peucker). dagre puts
 * a point in every column a long edge crosses, mostly on straight runs; dropping those keeps the shape and cuts the
 * markup to about a third.
 */
export function simplify(points: readonly Point[], tolerance = 2): Point[] {
  if (points.length < 3) return [...points];
  const keep = new Uint8Array(points.length);
  keep[0] = 1;
  keep[points.length - 1] = 1;
  const stack: [number, number][] = [[0, points.length - 1]];
  while (stack.length) {
    const [a, b] = stack.pop()!;
    const pa = points[a]!;
    const pb = points[b]!;
    const dx = pb.x - pa.x;
    const dy = pb.y - pa.y;
    const len = Math.hypot(dx, dy) || 1;
    let far = -1;
    let dist = tolerance;
    for (let i = a + 1; i < b; i++) {
      const p = points[i]!;
      const d = Math.abs(dy * (p.x - pa.x) - dx * (p.y - pa.y)) / len;
      if (d > dist) {
        dist = d;
        far = i;
      }
    }
    if (far >= 0) {
      keep[far] = 1;
      stack.push([a, far], [far, b]);
    }
  }
  return points.filter((_, i) => keep[i]);
}

/** Direct curve for an edge dagre did not route: leaves the parent rightwards, enters the child from the left. */
function jump(a: Point, b: Point): string {
  const dx = Math.max(12, (b.x - a.x) / 2);
  return `M${round(a.x)},${round(a.y)}C${round(a.x + dx)},${round(a.y)},${round(b.x - dx)},${round(b.y)},${round(b.x)},${round(b.y)}`;
}

const fmt = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });

/** Accessible summary of what the graph shows. */
export function lineageSummary(layout: LineageLayout, config: CollabConfig): string {
  const byRule = new Map<string, number>();
  for (const e of layout.edges) byRule.set(e.edge.rule, (byRule.get(e.edge.rule) ?? 0) + 1);
  const rules = RULE_ORDER.filter((r) => byRule.has(r)).map((r) => `${r} ${byRule.get(r)}`).join(', ');
  const best = layout.frontier.length ? layout.nodes.find((n) => n.node.filename === layout.frontier[layout.frontier.length - 1]) : undefined;
  return (
    `Lineage graph of ${layout.nodes.length} results and ${layout.edges.length} edges${rules ? ` (${rules})` : ''}. ` +
    `Time runs left to right in UTC day bands; every edge points from a parent to a later child. ` +
    `${layout.frontier.length} results moved the frontier${best?.node.score !== null && best ? `, the last to ${fmt.format(best.node.score ?? 0)} ${config.unit}` : ''}. ` +
    'The table of results below lists the same nodes.'
  );
}

type Attrs = Record<string, string | number | null>;
/** Creates an SVG element with its attributes (null attributes are left out). */
type El = <K extends keyof SVGElementTagNameMap>(tag: K, attrs?: Attrs) => SVGElementTagNameMap[K];

function svgFactory(doc: Document): El {
  return (tag, attrs = {}) => {
    const e = doc.createElementNS(SVG, tag) as SVGElementTagNameMap[typeof tag];
    for (const [k, v] of Object.entries(attrs)) if (v !== null) e.setAttribute(k, String(v));
    return e;
  };
}

/** One symbol per state and size (m: ordinary, f: frontier), and one arrowhead per rule. */
function graphDefs(el: El): SVGDefsElement {
  const id = ID_PREFIX;
  const defs = el('defs');
  for (const s of NODE_STATES) {
    for (const [kind, area] of [['m', AREA.node], ['f', AREA.frontier]] as const) {
      const sym = el('symbol', { id: `${id}-${kind}-${s}`, overflow: 'visible' });
      sym.append(el('path', { d: stateSymbol(s, area) }));
      defs.append(sym);
    }
  }
  for (const r of RULE_ORDER) {
    const m = el('marker', { id: `${id}-a-${r}`, class: `arrow r-${r}`, viewBox: '0 0 6 6', refX: 5.5, refY: 3, markerWidth: 5, markerHeight: 5, orient: 'auto' });
    m.append(el('path', { d: 'M0,0L6,3L0,6z' }));
    defs.append(m);
  }
  return defs;
}

/** Alternating UTC day bands, each labelled with its layer and day. */
function dayBands(el: El, layout: LineageLayout, h: number): SVGGElement {
  const bands = el('g', { class: 'bands' });
  layout.bands.forEach((b, i) => {
    bands.append(el('rect', { class: i % 2 ? 'band odd' : 'band', x: round(b.x0), y: 0, width: Math.max(0, round(b.x1 - b.x0)), height: h }));
    const t = el('text', { class: 'band-label', x: round(b.x0) + 4, y: 14 });
    t.textContent = `day ${b.layer + 1} · ${b.day}`;
    bands.append(t);
  });
  return bands;
}

/** Edges as paths: dagre's route simplified and smoothed, or a direct jump when it did not route one. */
function edgePaths(el: El, layout: LineageLayout): SVGGElement {
  const index = new Map(layout.nodes.map((n, i) => [n.node.filename, i]));
  const edges = el('g', { class: 'edges' });
  for (const e of layout.edges) {
    const pts = e.points;
    if (pts.length < 2) continue;
    const d = e.routed ? (curve(simplify(pts)) ?? '') : jump(pts[0]!, pts[pts.length - 1]!);
    edges.append(
      el('path', {
        class: `e r-${e.edge.rule} ${confidenceClass(e.edge.confidence)}${e.routed ? '' : ' jump'}`,
        d,
        'data-p': index.get(e.edge.parent) ?? -1,
        'data-c': index.get(e.edge.child) ?? -1,
      }),
    );
  }
  return edges;
}

/** A node's tooltip: agent, score, state and method, or for an agent-level node why it has no result. */
function nodeTitle(n: LineageLayout['nodes'][number]['node'], s: NodeStateName, config: CollabConfig): string {
  const score = n.score === null ? 'no score' : `${fmt.format(n.score)} ${config.unit}`;
  return s === 'agent'
    ? `${n.agent ?? '?'} · result not in this export (credited by a later result)`
    : `${n.agent ?? '?'} · ${score} · ${s}${n.is_frontier ? ' · frontier' : ''}\n${n.method ?? ''}`;
}

/** Nodes as <use> elements in time order, halos behind frontier nodes, and agent-level nodes' names as labels. */
function nodeMarks(el: El, layout: LineageLayout, config: CollabConfig): { halos: SVGGElement; nodes: SVGGElement; labels: SVGGElement } {
  const halos = el('g', { class: 'halos' });
  const nodes = el('g', { class: 'nodes' });
  const labels = el('g', { class: 'labels' });
  layout.nodes.forEach((p, i) => {
    const n = p.node;
    const s = nodeState(n);
    const x = round(p.x);
    const y = round(p.y);
    if (n.is_frontier) halos.append(el('circle', { class: 'halo', cx: x, cy: y, r: 11 }));
    const use = el('use', {
      href: `#${ID_PREFIX}-${n.is_frontier ? 'f' : 'm'}-${s}`,
      x,
      y,
      class: `n s-${s}${n.is_frontier ? ' fr' : ''}`,
      tabindex: i === 0 ? 0 : null,
      'data-f': n.filename,
    });
    const title = el('title');
    title.textContent = nodeTitle(n, s, config);
    use.append(title);
    nodes.append(use);
    // An agent-level node has no result to show: name the agent beside it.
    if (s === 'agent') {
      const t = el('text', { class: 'agent-label', x: x - 9, y: y + 4 });
      t.textContent = n.agent ?? '';
      labels.append(t);
    }
  });
  return { halos, nodes, labels };
}

/**
 * Frontier scores above their nodes, latest first (the best so far always gets its label), skipping any label
 * that would overprint one already placed.
 */
function frontierLabels(el: El, layout: LineageLayout, labels: SVGGElement): void {
  const placedLabels: Point[] = [];
  for (const p of [...layout.nodes].reverse()) {
    if (!p.node.is_frontier || p.node.score === null) continue;
    const text = fmt.format(p.node.score);
    const x = round(p.x);
    const y = round(p.y);
    if (placedLabels.some((q) => Math.abs(x - q.x) < 7.5 * text.length && Math.abs(y - q.y) < 13)) continue;
    placedLabels.push({ x, y });
    const t = el('text', { class: 'frontier-label', x, y: y - 13 });
    t.textContent = text;
    labels.append(t);
  }
}

/**
 * The graph. Nodes are <use> elements (one shared symbol per state) carrying data-f (filename), in time order;
 * edges are paths carrying data-p and data-c (indices of their ends in that order), class r-<rule> (dash, colour and
 * arrowhead come from the page CSS, which keeps the markup small) and a confidence class q0–q4. The first node is
 * tabbable; the page's script makes the others focusable (roving tabindex) and opens the evidence panel.
 */
export function lineageGraph(layout: LineageLayout, config: CollabConfig, env: LineageGraphEnv): SVGSVGElement {
  const el = svgFactory(env.document);
  const w = Math.max(layout.width, 200);
  const h = Math.max(layout.height, 80);
  const svg = el('svg', {
    class: 'lineage-graph',
    xmlns: SVG,
    width: w,
    height: h,
    viewBox: `0 0 ${w} ${h}`,
    role: 'img',
    'aria-label': lineageSummary(layout, config),
  });
  svg.append(graphDefs(el), dayBands(el, layout, h));
  // The frontier path: a smooth line through the frontier results in time order (x rises along it).
  if (layout.frontierPath.length > 1) svg.append(el('path', { class: 'frontier-path', d: frontierLine(layout.frontierPath) ?? '' }));
  svg.append(edgePaths(el, layout));
  const { halos, nodes, labels } = nodeMarks(el, layout, config);
  frontierLabels(el, layout, labels);
  svg.append(halos, nodes, labels);
  return svg;
}
