// Lineage page SQL on a real DuckDB over Parquet from hand-made results: the frontier view matches selectView, panels read one edge or result.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildLineage, type LineageTables } from '../../../scripts/derive/lineage/index.ts';
import { parquetDb, resultRow, type ParquetDb } from '../../fixtures/rows.ts';
import { DEFAULT_CONFIG } from '../../../src/lib/config.ts';
import type { QuerySpec } from '../../../src/lib/db/connector.ts';
import { selectView, type GraphEdge, type GraphNode } from '../../../src/lib/lineage/view.ts';
import {
  graphEdges,
  graphNodes,
  lineageAgentFacets,
  lineageEdgeDetail,
  lineageFrontierView,
  lineageNodeDetail,
  lineageNodeEdges,
  paretoPoints,
  resultRuns,
} from '../../../src/lib/queries/lineage-page.sql.ts';
import { tableByName, type ResultRow, type RunRow } from '../../../src/lib/schema/index.ts';

const res = (agent: string, hour: number, method: string, extra: Partial<ResultRow> = {}): ResultRow =>
  resultRow(agent, new Date(Date.UTC(2026, 5, 10, hour)), method, { score: 100 + hour, secondary: 2 + hour / 100, over_cap: false, ...extra });

const JOB = 'aaaaaaaaaaaaaaaaaaaaaaaa';
// alpha's recipe, built on by beta (credit) and gamma (refs beta), a dead end by beta, and an unrelated delta.
const R = [
  res('alpha', 0, 'osoi5-ctk48', { job_ids: [JOB] }),
  res('beta', 2, 'osoi5-ctk48-w192', { description: "builds on alpha's ctk48", credits: ['alpha'], submission_prefix: 'submissions/beta/w192' }),
  res('beta', 3, 'osoi5-ctk48-w160', { status: 'negative', score: 90 }),
  res('gamma', 6, 'osoi5-ctk48-w192-n64', { description: "o'brien said: repro of beta w192", credits: ['beta'] }),
  res('delta', 8, 'other-thing', { score: 50 }),
];
const [A, B1, B2, G, D] = R as [ResultRow, ResultRow, ResultRow, ResultRow, ResultRow];

function run(dir: string, agent: string, job: string | null, prefix: string | null, duplicateOf: string | null = null): RunRow {
  const row: Record<string, unknown> = Object.fromEntries(tableByName('runs').columns.map((c) => [c.name, c.type.endsWith('[]') ? [] : null]));
  return { ...row, run_dir: dir, agent, job_id: job, submission_prefix: prefix, duplicate_of: duplicateOf, status: 'completed', created_at: '2026-06-10T01:00:00.000Z' } as RunRow;
}
const RUNS = [
  run('runs/a1', 'alpha', JOB, null),
  run('runs/a1-copy', 'alpha', JOB, null, 'runs/a1'),
  run('runs/b1', 'beta', 'bbbbbbbbbbbbbbbbbbbbbbbb', 'submissions/beta/w192'),
  run('runs/x', 'delta', 'cccccccccccccccccccccccc', null),
];

let t: LineageTables;
let db: ParquetDb;

const q = <T = Record<string, unknown>>(spec: QuerySpec): Promise<T[]> => db.query<T>(spec);

beforeAll(async () => {
  t = buildLineage({ results: R }, DEFAULT_CONFIG);
  db = await parquetDb({ results: R, runs: RUNS, lineage_nodes: t.lineage_nodes, lineage_edges: t.lineage_edges, techniques: t.techniques });
});

afterAll(() => db?.close());

describe('lineage page SQL', () => {
  it('has edges to draw (the fixture is a real lineage)', () => {
    expect(t.lineage_edges.length).toBeGreaterThanOrEqual(2);
    expect(t.lineage_nodes.filter((n) => n.is_frontier).length).toBeGreaterThan(0);
  });

  it('graph rows are lineageNodes / lineageEdges cut to what is drawn', async () => {
    const nodes = await q<GraphNode & { tokens?: unknown }>(graphNodes({}));
    expect(nodes.map((n) => n.filename)).toEqual(R.map((r) => r.filename));
    expect(nodes.every((n) => !('tokens' in n))).toBe(true);
    const edges = await q<GraphEdge>(graphEdges({ agent: 'beta' }));
    expect(Object.keys(edges[0]!).sort()).toEqual(['child', 'confidence', 'parent', 'rule']);
    expect(edges.length).toBe(t.lineage_edges.filter((e) => e.parent_agent === 'beta' || e.child_agent === 'beta').length);
  });

  it('the frontier view in SQL is the set selectView draws in frontier mode, for several filters', async () => {
    for (const f of [{}, { agent: 'beta' }, { agent: 'delta' }, { technique: 'w192' }, { rule: 'credit' }, { minConfidence: 0.95 }]) {
      const nodes = await q<GraphNode>(graphNodes(f));
      const edges = await q<GraphEdge>(graphEdges(f));
      const js = selectView(nodes, edges, DEFAULT_CONFIG.higher_is_better, { mode: 'frontier' });
      const sql = await q<{ filename: string; distance: number; is_seed: boolean }>(lineageFrontierView(DEFAULT_CONFIG, f));
      expect(sql.map((r) => r.filename).sort(), JSON.stringify(f)).toEqual(js.nodes.map((n) => n.filename).sort());
      expect(sql.filter((r) => r.is_seed).map((r) => r.filename).sort()).toEqual([...js.seeds].sort());
    }
    // Without a frontier result among the matches (delta never moved it), the best scores stand in.
    const delta = await q<{ filename: string; is_seed: boolean }>(lineageFrontierView(DEFAULT_CONFIG, { agent: 'delta' }));
    expect(delta).toEqual([{ filename: D.filename, distance: 0, is_seed: true }]);
  });

  it('reads one edge with its evidence, and nothing for a pair without an edge or hostile input', async () => {
    const e = t.lineage_edges.find((x) => x.child === G.filename)!;
    const [row] = await q<Record<string, unknown>>(lineageEdgeDetail(e.parent, e.child));
    expect(row).toMatchObject({ parent: e.parent, child: e.child, rule: e.rule, confidence: e.confidence, evidence: e.evidence, evidence_file: e.evidence_file });
    expect(await q(lineageEdgeDetail(D.filename, A.filename))).toEqual([]);
    expect(await q(lineageEdgeDetail("x' OR '1'='1", e.child))).toEqual([]);
  });

  it('reads one result, its parents and children, and its runs (quoted job or same submission prefix, canonical dirs only)', async () => {
    const [n] = await q<{ filename: string; tokens: string[]; over_cap: boolean }>(lineageNodeDetail(B1.filename));
    expect(n!.filename).toBe(B1.filename);
    expect(n!.tokens).toEqual(t.lineage_nodes.find((x) => x.filename === B1.filename)!.tokens);
    const edges = await q<{ direction: string; parent: string; child: string }>(lineageNodeEdges(B1.filename));
    const want = t.lineage_edges.filter((x) => x.child === B1.filename || x.parent === B1.filename);
    expect(edges).toHaveLength(want.length);
    for (const x of edges) expect(x.direction).toBe(x.child === B1.filename ? 'parent' : 'child');
    expect(edges.map((x) => x.direction)).toEqual([...edges.map((x) => x.direction)].sort().reverse());
    expect(await q<{ run_dir: string; matched_by: string }>(resultRuns(A.filename))).toMatchObject([{ run_dir: 'runs/a1', matched_by: 'job' }]);
    expect(await q<{ run_dir: string; matched_by: string }>(resultRuns(B1.filename))).toMatchObject([{ run_dir: 'runs/b1', matched_by: 'submission' }]);
    expect(await q(resultRuns(B2.filename))).toEqual([]);
  });

  it('lists agents for the filter and Pareto points with both metrics', async () => {
    expect(await q(lineageAgentFacets())).toEqual([
      { agent: 'beta', n: 2 },
      { agent: 'alpha', n: 1 },
      { agent: 'delta', n: 1 },
      { agent: 'gamma', n: 1 },
    ]);
    const pts = await q<{ filename: string; is_pareto: boolean | null }>(paretoPoints());
    expect(pts).toHaveLength(R.length);
    expect(pts.filter((p) => p.is_pareto).map((p) => p.filename).sort()).toEqual(
      t.lineage_nodes.filter((x) => x.is_pareto).map((x) => x.filename).sort(),
    );
  });
});
