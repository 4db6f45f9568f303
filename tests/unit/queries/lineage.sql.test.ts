// Lineage SQL builders run on a real DuckDB over Parquet written from hand-made rows; expected rows computed in TS.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../../src/lib/config.ts';
import type { QuerySpec } from '../../../src/lib/db/connector.ts';
import type { ResultRow } from '../../../src/lib/schema/index.ts';
import { buildLineage, type LineageTables } from '../../../scripts/derive/lineage/index.ts';
import { parquetDb, resultRow, type ParquetDb } from '../../fixtures/rows.ts';
import {
  lineageEdges,
  lineageNeighbourhood,
  lineageNodes,
  lineageRuleCounts,
  techniqueAdopters,
  techniquesList,
} from '../../../src/lib/queries/lineage.sql.ts';

const res = (agent: string, hour: number, method: string, extra: Partial<ResultRow> = {}): ResultRow =>
  resultRow(agent, new Date(Date.UTC(2026, 5, 10, hour)), method, { score: 100 + hour, ...extra });

// A small graph: alpha invents ctk48, beta and o'brien-x adopt it (one of them with a dead end), gamma credits beta.
const R = [
  res('alpha', 0, 'osoi5-ctk48'),
  res('beta', 2, 'osoi5-ctk48-w192', { description: "builds on alpha's ctk48", credits: ['alpha'] }),
  res('beta', 3, 'osoi5-ctk48-w160', { status: 'negative', score: 90 }),
  res('o-brien', 4, 'ctk48-noprecache-x', { verification: 'invalid' }),
  res('gamma', 6, 'w192-n64', { description: 'repro of beta w192', credits: ['beta'], refs: [] }),
  res('delta', 8, "it's-odd"),
];
const [A, B1, B2, O, G, D] = R as [ResultRow, ResultRow, ResultRow, ResultRow, ResultRow, ResultRow];

let t: LineageTables;
let db: ParquetDb;

async function run<T = Record<string, unknown>>(spec: QuerySpec): Promise<T[]> {
  for (const name of spec.tables) expect(['lineage_nodes', 'lineage_edges', 'techniques', 'results']).toContain(name);
  return db.query<T>(spec);
}

beforeAll(async () => {
  t = buildLineage({ results: R }, DEFAULT_CONFIG);
  db = await parquetDb({ results: R, lineage_nodes: t.lineage_nodes, lineage_edges: t.lineage_edges, techniques: t.techniques });
});

afterAll(() => db?.close());

describe('lineage SQL builders', () => {
  it('lists every node in time order without filters, with edge counts', async () => {
    const rows = await run<{ filename: string; in_edges: number; out_edges: number }>(lineageNodes());
    expect(rows.map((r) => r.filename)).toEqual(R.map((r) => r.filename));
    for (const r of rows) {
      expect(r.in_edges).toBe(t.lineage_edges.filter((e) => e.child === r.filename).length);
      expect(r.out_edges).toBe(t.lineage_edges.filter((e) => e.parent === r.filename).length);
    }
  });
  it('filters nodes by technique, agent, rule and confidence with bound parameters', async () => {
    const tech = await run<{ filename: string }>(lineageNodes({ technique: ' CTK48 ' }));
    expect(tech.map((r) => r.filename)).toEqual([A, B1, B2, O].map((r) => r.filename));
    const agent = await run<{ filename: string }>(lineageNodes({ agent: 'beta' }));
    expect(agent.map((r) => r.filename)).toEqual([B1.filename, B2.filename]);
    const credit = await run<{ filename: string }>(lineageNodes({ rule: 'credit', minConfidence: 0.7 }));
    const expected = new Set(t.lineage_edges.filter((e) => e.rule === 'credit' && e.confidence! >= 0.7).flatMap((e) => [e.parent, e.child]));
    expect(new Set(credit.map((r) => r.filename))).toEqual(expected);
    expect(expected.size).toBeGreaterThan(0);
    // Hostile input is only ever a parameter value.
    expect(await run(lineageNodes({ agent: "x' OR '1'='1" }))).toEqual([]);
    expect(await run(lineageNodes({ technique: "it's" }))).toHaveLength(1);
  });
  it('returns edges with evidence and both ends, filtered the same way', async () => {
    const all = await run<{ parent: string; child: string; rule: string; evidence: string; score_delta: number }>(lineageEdges());
    expect(all.map((e) => `${e.parent}>${e.child}`).sort()).toEqual(t.lineage_edges.map((e) => `${e.parent}>${e.child}`).sort());
    const g = all.find((e) => e.child === G.filename)!;
    expect(g).toMatchObject({ parent: B1.filename, rule: 'credit' });
    expect(g.evidence).toContain('repro of beta');
    expect(g.score_delta).toBeCloseTo(G.score! - B1.score!, 6);
    const beta = await run<{ parent: string; child: string }>(lineageEdges({ agent: 'beta' }));
    expect(beta.every((e) => [e.parent, e.child].some((f) => f.endsWith('_beta.md')))).toBe(true);
    const tok = await run<{ child: string }>(lineageEdges({ technique: 'n64' }));
    expect(tok.map((e) => e.child)).toEqual([G.filename]);
    expect(await run(lineageEdges({ rule: 'ref' }))).toEqual([]);
  });
  it('counts edges per rule', async () => {
    const rows = await run<{ rule: string; edges: number }>(lineageRuleCounts(0.5));
    const counts: Record<string, number> = {};
    for (const e of t.lineage_edges) counts[e.rule!] = (counts[e.rule!] ?? 0) + 1;
    expect(Object.fromEntries(rows.map((r) => [r.rule, r.edges]))).toEqual(counts);
  });
  it('answers "who already tried this technique" with bests and dead ends', async () => {
    const rows = await run<{ agent: string; is_inventor: boolean; results: number; best_score: number | null; best_result: string | null; dead_ends: number; first_result: string; filenames: string[] }>(
      techniqueAdopters(DEFAULT_CONFIG, 'ctk48'),
    );
    expect(rows.map((r) => r.agent)).toEqual(['alpha', 'beta', 'o-brien']);
    expect(rows[0]).toMatchObject({ is_inventor: true, results: 1, best_score: A.score, dead_ends: 0, first_result: A.filename });
    expect(rows[1]).toMatchObject({ is_inventor: false, results: 2, best_score: B1.score, best_result: B1.filename, dead_ends: 1, filenames: [B1.filename, B2.filename] });
    expect(rows[2]).toMatchObject({ best_score: null, best_result: null, dead_ends: 1 });
    const low = await run<{ agent: string; best_score: number }>(techniqueAdopters({ higher_is_better: false }, 'ctk48'));
    expect(low.find((r) => r.agent === 'beta')!.best_score).toBe(B1.score);
  });
  it('lists techniques by adoption with optional filters', async () => {
    const rows = await run<{ token: string; adopters: number }>(techniquesList({ minAdopters: 2 }));
    const expected = t.techniques.filter((x) => x.adopters! >= 2);
    expect(new Set(rows.map((r) => r.token))).toEqual(new Set(expected.map((x) => x.token)));
    expect(rows[0]!.token).toBe('ctk48');
    expect((await run<{ token: string }>(techniquesList({ family: 'w#', limit: 1 }))).length).toBe(1);
  });
  it('walks ancestors and descendants of one result', async () => {
    const rows = await run<{ filename: string; direction: string; distance: number }>(lineageNeighbourhood(G.filename, 5));
    const self = rows.find((r) => r.direction === 'self');
    expect(self?.filename).toBe(G.filename);
    expect(rows.filter((r) => r.direction === 'ancestor').map((r) => [r.filename, r.distance])).toEqual([
      [A.filename, 2],
      [B1.filename, 1],
    ]);
    expect(rows.some((r) => r.filename === D.filename)).toBe(false);
    const down = await run<{ filename: string; direction: string }>(lineageNeighbourhood(A.filename, 1));
    expect(down.filter((r) => r.direction === 'descendant').map((r) => r.filename)).not.toContain(G.filename);
  });
});
