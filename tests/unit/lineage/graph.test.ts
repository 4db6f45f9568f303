// Lineage graph view, ranks, dagre layout and SVG: which nodes are drawn, that time runs left to right, and safe markup.
import { describe, expect, it } from 'vitest';
import { lineageGraph, simplify } from '../../../src/lib/charts/lineage-graph.ts';
import { chartMarkup, serverDocument } from '../../../src/lib/charts/ssr.ts';
import { DEFAULT_CONFIG } from '../../../src/lib/config.ts';
import { assignRanks, layoutLineage, routeSpan } from '../../../src/lib/lineage/layout.ts';
import { selectView, viewStatus, type GraphEdge, type GraphNode } from '../../../src/lib/lineage/view.ts';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 5, 10);

function node(name: string, hours: number, extra: Partial<GraphNode> = {}): GraphNode {
  const ts = new Date(T0 + hours * 3_600_000).toISOString();
  return {
    filename: `${name}.md`,
    node_kind: 'result',
    agent: name.split('-')[0] ?? name,
    ts,
    score: 100 + hours,
    secondary: null,
    status: 'agent-run',
    verification: 'pending',
    method: `m-${name}`,
    is_frontier: false,
    is_pareto: null,
    layer: Math.floor((Date.parse(ts) - T0) / DAY),
    depth: 0,
    in_edges: 0,
    out_edges: 0,
    ...extra,
  };
}
const edge = (p: string, c: string, rule = 'ref', confidence = 0.9): GraphEdge => ({ parent: `${p}.md`, child: `${c}.md`, rule, confidence });

// Two days: a frontier chain a → b → d, a side branch b → c (a dead end), an unrelated e, and f on day 2 building on a.
const N = [
  node('a', 1, { is_frontier: true }),
  node('b', 3, { is_frontier: true }),
  node('c', 5, { status: 'negative', score: 90 }),
  node('e', 6),
  node('d', 26, { is_frontier: true }),
  node('f', 30, { verification: 'invalid' }),
  node('g', 31),
];
const E = [edge('a', 'b'), edge('b', 'c', 'credit', 0.6), edge('b', 'd', 'bucket-path', 0.85), edge('a', 'f', 'token', 0.3), edge('f', 'g', 'token', 0.25)];
const names = (ns: readonly { filename: string }[]) => ns.map((n) => n.filename.replace('.md', ''));

describe('selectView', () => {
  it('draws every match when few, in time order, with the edges between them (node order, whatever the input order)', () => {
    const v = selectView([...N].reverse(), [...E].reverse(), true);
    expect(v.reason).toBe('all');
    expect(names(v.nodes)).toEqual(['a', 'b', 'c', 'e', 'd', 'f', 'g']);
    expect(v.edges.map((e) => `${e.parent}>${e.child}`)).toEqual(['a.md>b.md', 'b.md>c.md', 'b.md>d.md', 'a.md>f.md', 'f.md>g.md']);
  });

  it('falls back to the frontier and its ancestors past the readable size, and keeps the cap', () => {
    const v = selectView(N, E, true, { readable: 3 });
    expect(v.reason).toBe('frontier');
    expect(names(v.nodes)).toEqual(['a', 'b', 'd']);
    expect(v.seeds).toEqual(['a.md', 'b.md', 'd.md']);
    expect(v.matched).toBe(N.length);
    const all = selectView(N, E, true, { mode: 'all', readable: 3 });
    expect(all.reason).toBe('all');
    const capped = selectView(N, E, true, { mode: 'frontier', cap: 2 });
    expect(capped.truncated).toBe(true);
    expect(capped.nodes).toHaveLength(2);
    expect(viewStatus(capped, 'frontier')).toContain('Cut to the 600 nearest the frontier');
  });

  it('walks ancestors only along matching edges between matching nodes; best scores stand in without a frontier', () => {
    const noFrontier = N.map((n) => ({ ...n, is_frontier: false }));
    const v = selectView(noFrontier, E, true, { mode: 'frontier' });
    // The 25 best scores of results neither negative nor invalid: all but c and f; g brings in f and a as ancestors.
    expect(v.seeds.map((s) => s.replace('.md', ''))).toEqual(['g', 'd', 'e', 'b', 'a']);
    expect(new Set(names(v.nodes))).toEqual(new Set(['a', 'b', 'd', 'e', 'f', 'g']));
    expect(viewStatus(v, 'frontier')).toMatch(/^Showing the 5 best scores \(no frontier result matches\)/);
  });

  it('shows a focus with its neighbourhood', () => {
    const v = selectView(N, E, true, { focus: 'f.md' });
    expect(v.reason).toBe('focus');
    expect(names(v.nodes)).toEqual(['a', 'f', 'g']);
  });
});

describe('ranks and layout', () => {
  it('puts each day after the previous one and every child right of its parents and of the previous frontier result', () => {
    const r = assignRanks({ nodes: N, edges: E });
    const rank = (n: string) => r.get(`${n}.md`)!;
    for (const e of E) expect(rank(e.child.replace('.md', ''))).toBeGreaterThan(rank(e.parent.replace('.md', '')));
    const day0 = N.filter((n) => n.layer === 0).map((n) => rank(n.filename.replace('.md', '')));
    const day1 = N.filter((n) => n.layer === 1).map((n) => rank(n.filename.replace('.md', '')));
    expect(Math.max(...day0)).toBeLessThan(Math.min(...day1));
    expect(rank('a')).toBeLessThan(rank('b'));
    expect(rank('b')).toBeLessThan(rank('d'));
  });

  it('lays out with dagre: edges point right, everything inside the drawing, one band per day, frontier path through its nodes', () => {
    const v = selectView(N, E, true);
    const l = layoutLineage(v);
    expect(l.nodes).toHaveLength(N.length);
    for (const e of l.edges) {
      expect(e.points.length).toBeGreaterThanOrEqual(2);
      expect(e.points[e.points.length - 1]!.x).toBeGreaterThan(e.points[0]!.x);
    }
    for (const p of [...l.nodes, ...l.edges.flatMap((e) => e.points)]) {
      expect(p.x).toBeGreaterThanOrEqual(0);
      expect(p.x).toBeLessThanOrEqual(l.width);
      expect(p.y).toBeGreaterThanOrEqual(0);
      expect(p.y).toBeLessThanOrEqual(l.height);
    }
    expect(l.bands.map((b) => [b.layer, b.day])).toEqual([
      [0, '2026-06-10'],
      [1, '2026-06-11'],
    ]);
    expect(l.bands[0]!.x1).toBeLessThanOrEqual(l.bands[1]!.x0 + 1e-9);
    expect(l.frontier).toEqual(['a.md', 'b.md', 'd.md']);
    expect(l.frontierPath.map((p) => p.x)).toEqual([...l.frontierPath.map((p) => p.x)].sort((x, y) => x - y));
    // Deterministic: the same view lays out the same way.
    expect(layoutLineage(v)).toEqual(l);
  });

  it('routes the shortest edges within the dummy budget', () => {
    expect(routeSpan([1, 1, 2, 5, 9], 1000)).toBe(9);
    // 1 + 1 + 3 = 5 dummies for spans 1, 1, 2; span 5 would add 9.
    expect(routeSpan([1, 1, 2, 5, 9], 8)).toBe(2);
    expect(routeSpan([], 10)).toBe(1);
    // Edges to the next column are always routed; with no budget every longer one is a direct curve (two points).
    const l = layoutLineage(selectView(N, E, true), { routeBudget: 0 });
    const r = assignRanks(selectView(N, E, true));
    for (const e of l.edges) {
      const span = r.get(e.edge.child)! - r.get(e.edge.parent)!;
      expect(e.routed).toBe(span === 1);
      if (!e.routed) expect(e.points).toHaveLength(2);
    }
    expect(l.edges.some((e) => !e.routed)).toBe(true);
  });

  it('simplifies straight runs of route points and keeps the bends', () => {
    const pts = [0, 1, 2, 3, 4].map((x) => ({ x: x * 10, y: 0 })).concat([{ x: 40, y: 30 }]);
    expect(simplify(pts)).toEqual([
      { x: 0, y: 0 },
      { x: 40, y: 0 },
      { x: 40, y: 30 },
    ]);
  });
});

describe('lineageGraph', () => {
  it('draws an accessible SVG: role img with a summary, nodes by state, edges by rule and confidence, text never markup', () => {
    const hostile = N.map((n) => (n.filename === 'e.md' ? { ...n, method: '<img src=x onerror=alert(1)>', agent: 'x"><script>' } : n));
    const svg = lineageGraph(layoutLineage(selectView(hostile, E, true)), DEFAULT_CONFIG, { document: serverDocument() });
    const markup = chartMarkup(svg);
    expect(svg.getAttribute('role')).toBe('img');
    expect(svg.getAttribute('aria-label')).toMatch(/^Lineage graph of 7 results and 5 edges \(ref 1, bucket-path 1, credit 1, token 2\)\./);
    expect(markup).not.toMatch(/<style|style="|<script|<img/);
    const nodes = [...svg.querySelectorAll('.nodes > .n')];
    expect(nodes.map((n) => n.getAttribute('data-f'))).toEqual(N.map((n) => n.filename));
    expect(nodes.map((n) => n.getAttribute('href'))).toEqual(['#lg-f-pending', '#lg-f-pending', '#lg-m-negative', '#lg-m-pending', '#lg-f-pending', '#lg-m-invalid', '#lg-m-pending']);
    expect(nodes.filter((n) => n.getAttribute('tabindex') === '0')).toHaveLength(1);
    expect(svg.querySelectorAll('.halo')).toHaveLength(3);
    expect(nodes[3]!.querySelector('title')!.textContent).toContain('<img src=x onerror=alert(1)>');
    const edges = [...svg.querySelectorAll('path.e')].map((e) => [e.getAttribute('class'), e.getAttribute('data-p'), e.getAttribute('data-c')]);
    expect(edges).toEqual([
      ['e r-ref q4', '0', '1'],
      ['e r-credit q2', '1', '2'],
      ['e r-bucket-path q3', '1', '4'],
      ['e r-token q1', '0', '5'],
      ['e r-token q0', '5', '6'],
    ]);
    expect(svg.querySelectorAll('.band-label')).toHaveLength(2);
  });

  it('draws an agent-level parent (a credited agent whose result is not in this export) left of its children, as its own shape', () => {
    const child = node('kitan-r', 30);
    const later = node('flowian-r', 40);
    const agent: GraphNode = {
      ...node('x', 0),
      filename: 'agent:pupa-agent',
      node_kind: 'agent',
      agent: 'pupa-agent',
      ts: null,
      score: null,
      status: null,
      verification: null,
      method: null,
      layer: child.layer,
    };
    const edges = [
      { parent: 'agent:pupa-agent', child: child.filename, rule: 'credit', confidence: 0.75 },
      { parent: 'agent:pupa-agent', child: later.filename, rule: 'credit', confidence: 0.75 },
    ];
    const view = selectView([later, child, agent], edges, true);
    const ranks = assignRanks(view);
    expect(ranks.get('agent:pupa-agent')).toBeLessThan(ranks.get(child.filename)!);
    expect(ranks.get('agent:pupa-agent')).toBeLessThan(ranks.get(later.filename)!);
    const svg = lineageGraph(layoutLineage(view), DEFAULT_CONFIG, { document: serverDocument() });
    const use = svg.querySelector('[data-f="agent:pupa-agent"]')!;
    expect(use.getAttribute('class')).toBe('n s-agent');
    expect(use.querySelector('title')!.textContent).toBe('pupa-agent · result not in this export (credited by a later result)');
    expect(svg.querySelector('.agent-label')!.textContent).toBe('pupa-agent');
    expect(svg.querySelector('#lg-m-agent')).not.toBeNull();
  });
});
