// The lineage page's views rendered as at build time (linkedom), from rows given by a fake `run`: what the table twin
// counts, that evidence stays text, and that every link goes through links.ts.
import { describe, expect, it } from 'vitest';
import { serverDocument } from '../../../src/lib/charts/ssr.ts';
import { DEFAULT_CONFIG } from '../../../src/lib/config.ts';
import type { QuerySpec } from '../../../src/lib/db/connector.ts';
import { layoutLineage } from '../../../src/lib/lineage/layout.ts';
import type { GraphEdge, GraphNode } from '../../../src/lib/lineage/view.ts';
import { focusHref, techniqueHref } from '../../../src/lib/links.ts';
import { graphEdges, graphNodes, type LineageEdgeDetailRow } from '../../../src/lib/queries/lineage-page.sql.ts';
import { edgeEvidence } from '../../../src/lib/views/lineage-evidence.ts';
import { DEFAULT_GRAPH_FILTERS, lineageGraphView } from '../../../src/lib/views/lineage-graph.ts';
import { lineageTable } from '../../../src/lib/views/lineage-table.ts';
import { lineageTechniques } from '../../../src/lib/views/lineage-techniques.ts';
import type { Run, ViewCtx } from '../../../src/lib/views/view.ts';

const node = (name: string, hour: number, extra: Partial<GraphNode> = {}): GraphNode => ({
  filename: `${name}.md`,
  node_kind: 'result',
  agent: name,
  ts: new Date(Date.UTC(2026, 5, 10, hour)).toISOString(),
  score: 100 + hour,
  secondary: null,
  status: 'agent-run',
  verification: 'valid',
  method: `m-${name}`,
  is_frontier: false,
  is_pareto: null,
  layer: 0,
  depth: 0,
  in_edges: 0,
  out_edges: 0,
  ...extra,
});
const NODES = [node('a', 1, { is_frontier: true }), node('b', 3), node('c', 5)];
const EDGES: GraphEdge[] = [
  { parent: 'a.md', child: 'b.md', rule: 'ref', confidence: 0.9 },
  { parent: 'a.md', child: 'c.md', rule: 'token', confidence: 0.4 },
  { parent: 'b.md', child: 'c.md', rule: 'credit', confidence: 0.7 },
];
/** Answers the graph's two queries; anything else is a test error. */
const run: Run = async <T>(spec: QuerySpec): Promise<T[]> => {
  if (spec.sql === graphNodes({}).sql) return NODES as T[];
  if (spec.sql === graphEdges({}).sql) return EDGES as T[];
  throw new Error(`unexpected query: ${spec.sql.slice(0, 60)}`);
};
const ctx = (): ViewCtx => ({ doc: serverDocument(), base: '/atlas/', config: DEFAULT_CONFIG, unpaged: null });

describe('lineage views', () => {
  it('the table twin lists the drawn results with parents and children counted among the drawn edges', async () => {
    const rows = await lineageTable.load!(DEFAULT_GRAPH_FILTERS, DEFAULT_CONFIG, run);
    expect(rows.map((r) => [r.filename, r.parents, r.children])).toEqual([
      ['a.md', 0, 2],
      ['b.md', 1, 1],
      ['c.md', 2, 0],
    ]);
    const table = lineageTable.render(rows, ctx(), DEFAULT_GRAPH_FILTERS);
    expect(table.querySelectorAll('[data-node-rows] tr')).toHaveLength(3);
    expect(table.querySelector('[data-node-rows] a')?.getAttribute('href')).toBe(focusHref('/atlas/', 'a.md'));
    expect([...table.querySelectorAll('[data-open]')].map((b) => b.getAttribute('data-open'))).toEqual(['a.md', 'b.md', 'c.md']);
  });

  it('the graph view draws the chosen subgraph with the layout it is given', async () => {
    const view = lineageGraphView(async (v) => layoutLineage(v));
    const [drawing] = await view.load!(DEFAULT_GRAPH_FILTERS, DEFAULT_CONFIG, run);
    expect(drawing!.view.nodes.map((n) => n.filename)).toEqual(['a.md', 'b.md', 'c.md']);
    const svg = view.render([drawing!], ctx(), DEFAULT_GRAPH_FILTERS);
    expect(svg.querySelectorAll('.nodes > .n')).toHaveLength(3);
    expect(svg.querySelectorAll('path.e')).toHaveLength(3);
  });

  it('evidence is text, never markup', () => {
    const evil = '<img src=x onerror=alert(1)> **bold**';
    const row = { parent: 'a.md', child: 'b.md', rule: 'ref', confidence: 0.9, evidence: evil, evidence_file: 'message_board/x.md', extra_rules: [] } as unknown as LineageEdgeDetailRow;
    const body = edgeEvidence.render([row], ctx(), { parent: 'a.md', child: 'b.md' });
    const quote = body.querySelector('[data-field="evidence"]')!;
    expect(quote.textContent).toBe(evil);
    expect(quote.children).toHaveLength(0);
    expect(body.getAttribute('data-panel-state')).toBe('edge');
    expect(body.getAttribute('data-edge')).toBe('a.md\nb.md');
    expect(edgeEvidence.render([], ctx(), { parent: 'a.md', child: 'b.md' }).getAttribute('data-panel-state')).toBe('error');
  });

  it('a technique links to its inventor\'s first result and to its adopters; gains are classed by the tie threshold', () => {
    const row = (token: string, gain: number | null, stop: string | null = null) => ({
      token, stop_reason: stop, inventor: 'a', first_result: `${token}.md`, first_ts: null, adopters: 2, results: 3, best_score: 1.234,
      best_result: null, frontier_count: 1, dead_end_count: 0, frontier_result: gain === null ? null : `${token}-f.md`, frontier_gain: gain,
    });
    const tie = { threshold: 3.5, lo: 3, hi: 4, sigma: 1.2, restsOnFew: false };
    const rows = [row('fp8 kv', 2), row('k7', 12), row('body', 40, 'one-off'), row('never', null)];
    const table = lineageTechniques.render([{ rows: rows as never, tie }], ctx(), {});
    const trs = [...table.querySelectorAll('tbody tr')];
    // Beyond noise first, then within, then never on the frontier; the stop-listed token is not a technique.
    expect(trs.map((t) => t.getAttribute('data-token'))).toEqual(['k7', 'fp8 kv', 'never']);
    expect(trs.map((t) => t.getAttribute('data-entry'))).toEqual(['beyond', 'within', 'never']);
    const fp8 = trs[1]!;
    expect(fp8.querySelector('td:nth-child(4) a')?.getAttribute('href')).toBe(focusHref('/atlas/', 'fp8 kv.md'));
    expect(fp8.querySelector('td:nth-child(5) a')?.getAttribute('href')).toBe(techniqueHref('/atlas/', 'fp8 kv'));
    expect(fp8.querySelector('.gain')?.textContent).toContain('within noise');
    expect(table.querySelector('[data-stop="one-off"]')?.textContent).toBe('body');
  });
});
