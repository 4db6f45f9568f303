// Relays page SQL builders on a real DuckDB: hand-written relay_chains / relay_steps / relay_evidence rows, expected values worked out by hand.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../../src/lib/config.ts';
import { runQuery, type QuerySpec } from '../../../src/lib/db/connector.ts';
import { createNodeConnector, type NodeConnector } from '../../../src/lib/db/node.ts';
import { relayChainsRanked, type RelayChainQueryRow } from '../../../src/lib/queries/relays.sql.ts';
import {
  relayFacets,
  relayLanes,
  stagedBuilders,
  type RelayLaneRow,
  type RelayFacetRow,
  type StagedBuilderRow,
} from '../../../src/lib/queries/relays-page.sql.ts';

let db: NodeConnector;
const q = <R>(spec: QuerySpec): Promise<R[]> => runQuery<R>(db, spec);

// c1 chain (ann → bob → cy, 300), c2 hand-off (dee → ann, 310), c3 staged (eve → bob, 250), c4 bracket chain (no times, 290).
// c1 was found twice, from board links and from a credit bracket: one relay with two relay_evidence rows.
const CHAINS = [
  ['c1', 'chain', 'board', ['ann', 'bob', 'cy'], ['build', 'fail', 'ship'], 300, 5, ['board', 'credit-bracket']],
  ['c2', 'handoff', 'board', ['dee', 'ann'], ['build', 'ship'], 310, 2, ['board']],
  ['c3', 'staged', 'board', ['eve', 'bob'], ['build', 'run'], 250, -1, ['board']],
  ['c4', 'chain', 'credit-bracket', ['cy', 'dee', 'ann'], ['diagnose', 'build', 'ship'], 290, null, ['credit-bracket']],
] as const;
const EVIDENCE = [
  ['c1', 'chain/r1', 'board', 'chain', ['ann', 'bob', 'cy'], 'results/r1.md', '3 steps on the board, tied by ref'],
  ['c1', 'bracket/p/README.md#L3', 'credit-bracket', 'chain', ['bob', 'ann', 'cy'], 'shared_resources/p/README.md', '[bob flagged / ann built / cy benched]'],
  ['c2', 'handoff/m2/r2', 'board', 'handoff', ['dee', 'ann'], 'results/r2.md', '2 steps'],
  ['c3', 'staged/m3/m4', 'board', 'staged', ['eve', 'bob'], 'message_board/m4.md', '2 steps'],
  ['c4', 'bracket/p/README.md#L4', 'credit-bracket', 'chain', ['cy', 'dee', 'ann'], 'shared_resources/p/README.md', '[cy flagged / dee built / ann benched]'],
] as const;
const STEPS = [
  ['c1', 1, 'ann', 'build', 'build:staged', 'message_board/m1.md', 'messages'],
  ['c1', 2, 'bob', 'fail', 'fail:run-status', 'runs/r1', 'runs'],
  ['c1', 3, 'cy', 'ship', 'ship:improves-best', 'results/r1.md', 'results'],
  ['c2', 1, 'dee', 'build', 'build:artifact', 'message_board/m2.md', 'messages'],
  ['c2', 2, 'ann', 'ship', 'ship:improves-best', 'results/r2.md', 'results'],
  ['c3', 1, 'eve', 'build', 'build:artifact', 'message_board/m3.md', 'messages'],
  ['c3', 2, 'bob', 'run', 'run:other-artifact', 'message_board/m4.md', 'messages'],
  ['c4', 1, 'cy', 'diagnose', 'bracket:flagged', 'shared_resources/p/README.md', 'documents'],
  ['c4', 2, 'dee', 'build', 'bracket:built', 'shared_resources/p/README.md', 'documents'],
  ['c4', 3, 'ann', 'ship', 'bracket:benched', 'shared_resources/p/README.md', 'documents'],
] as const;

const lit = (v: unknown): string =>
  v === null ? 'NULL' : typeof v === 'number' ? String(v) : Array.isArray(v) ? `[${v.map(lit).join(', ')}]` : `'${String(v).replaceAll("'", "''")}'`;

beforeAll(async () => {
  db = await createNodeConnector({ dataDir: '/nonexistent-atlas-relays', tables: [] });
  await db.query(`CREATE TABLE relay_chains AS SELECT * FROM (VALUES ${CHAINS.map(([id, kind, source, agents, roles, score, gain, sources], i) =>
    `(${lit(id)}, ${lit(kind)}, ${lit(source)}, ${lit(sources)}::VARCHAR[], ${lit(agents)}::VARCHAR[], ${agents.length}, ${lit(roles)}::VARCHAR[], ${
      source === 'board' ? `TIMESTAMP '2026-06-1${i} 10:00:00'` : 'NULL::TIMESTAMP'
    }, NULL::TIMESTAMP, ${lit(`r${id.slice(1)}.md`)}, ${score}::DOUBLE, ${lit(gain)}::DOUBLE, NULL::DOUBLE, NULL, NULL, NULL::DOUBLE, NULL::DOUBLE, 'record', ${roles.length}, ${lit(`title ${id}`)})`).join(',\n')})
    t(chain_id, kind, source, sources, agents, n_agents, roles, start_ts, end_ts, outcome_result, outcome_score, score_gain, best_before, best_before_result,
      gain_class, best_at_outcome, outcome_margin, outcome_kind, length, title)`);
  await db.query(`CREATE TABLE relay_evidence AS SELECT * FROM (VALUES ${EVIDENCE.map(([id, found, source, kind, agents, file, ev]) =>
    `(${lit(id)}, ${lit(found)}, ${lit(source)}, ${lit(kind)}, ${lit(agents)}::VARCHAR[], NULL::VARCHAR[], ${lit(file)}, ${lit(ev)})`).join(',\n')})
    t(chain_id, found_as, source, kind, agents, roles, source_file, evidence)`);
  await db.query(`CREATE TABLE noise_summary AS SELECT 3.5::DOUBLE AS tie_threshold`);
  await db.query(`CREATE TABLE results AS SELECT * FROM (VALUES ('r1.md', 'invalid', false, 'agent-run'), ('r2.md', 'valid', true, 'agent-run')) t(filename, verification, over_cap, status)`);
  await db.query(`CREATE TABLE relay_steps AS SELECT * FROM (VALUES ${STEPS.map(([id, step, agent, role, rule, file, part]) =>
    `(${lit(id)}, ${step}, ${lit(agent)}, ${lit(role)}, ${lit(rule)}, 'ref', NULL::TIMESTAMP, ${lit(file)}, ${lit(part)}, 'evidence')`).join(',\n')})
    t(chain_id, step, agent, role, rule, linked_by, ts, source_file, source_part, evidence)`);
});
afterAll(() => db?.close());

describe('relayLanes', () => {
  it('returns the relays ranked 1..top under the filters with their steps, by rank then step', async () => {
    const rows = await q<RelayLaneRow>(relayLanes(DEFAULT_CONFIG, { kind: 'chain' }, { top: 1 }));
    // Chains by outcome (higher is better): c1 300, c4 290; top 1 = c1.
    expect(rows.map((r) => [r.chain_id, r.step, r.rank, r.agent, r.title])).toEqual([
      ['c1', 1, 1, 'ann', 'title c1'],
      ['c1', 2, 1, 'bob', 'title c1'],
      ['c1', 3, 1, 'cy', 'title c1'],
    ]);
    const all = await q<RelayLaneRow>(relayLanes(DEFAULT_CONFIG, {}, { top: 2 }));
    expect([...new Set(all.map((r) => r.chain_id))]).toEqual(['c2', 'c1']);
    const agent = await q<RelayLaneRow>(relayLanes(DEFAULT_CONFIG, { agent: 'bob' }, { top: 10 }));
    expect([...new Set(agent.map((r) => `${r.rank}:${r.chain_id}`))]).toEqual(['1:c1', '2:c3']);
  });

  it('ranks like relayChainsRanked, also lower-is-better', async () => {
    const lower = { ...DEFAULT_CONFIG, higher_is_better: false };
    const chains = await q<RelayChainQueryRow>(relayChainsRanked(lower, {}));
    const steps = await q<RelayLaneRow>(relayLanes(lower, {}, { top: 4 }));
    expect([...new Set(steps.map((s) => s.chain_id))]).toEqual(chains.map((c) => c.chain_id));
    expect(chains.map((c) => c.chain_id)).toEqual(['c3', 'c4', 'c1', 'c2']);
  });

  it('lists how each relay was found (board first) and the tie threshold it was judged with', async () => {
    const findings = new Map((await q<RelayLaneRow>(relayLanes(DEFAULT_CONFIG, {}, { top: 10 }))).map((r) => [r.chain_id, r]));
    expect([...findings.keys()]).toEqual(['c2', 'c1', 'c4', 'c3']);
    expect(findings.get('c1')!.findings.map((f) => [f.found_as, f.source, f.agents])).toEqual([
      ['chain/r1', 'board', ['ann', 'bob', 'cy']],
      ['bracket/p/README.md#L3', 'credit-bracket', ['bob', 'ann', 'cy']],
    ]);
    expect(findings.get('c4')!.findings.map((f) => f.evidence)).toEqual(['[cy flagged / dee built / ann benched]']);
    expect(findings.get('c1')!.tie_threshold).toBe(3.5);
    // The outcome result's own state, for the reason a failed attempt failed (no result row: nulls).
    expect([...findings.values()].map((r) => [r.chain_id, r.outcome_verification, r.outcome_over_cap])).toEqual([
      ['c2', 'valid', true],
      ['c1', 'invalid', false],
      ['c4', null, null],
      ['c3', null, null],
    ]);
    // The source filter keeps relays that source found, alone or with the other: c1 is in both lists.
    const ids = async (source: string) => [...new Set((await q<RelayLaneRow>(relayLanes(DEFAULT_CONFIG, { source }, { top: 10 }))).map((r) => r.chain_id))];
    expect(await ids('board')).toEqual(['c2', 'c1', 'c3']);
    expect(await ids('credit-bracket')).toEqual(['c1', 'c4']);
  });

  it('gives one relay by id with its rank among all relays; the id is bound, not spliced', async () => {
    const one = await q<RelayLaneRow>(relayLanes(DEFAULT_CONFIG, {}, { chainId: 'c4' }));
    expect(one.map((c) => [c.chain_id, c.rank, c.step, c.role])).toEqual([
      ['c4', 3, 1, 'diagnose'],
      ['c4', 3, 2, 'build'],
      ['c4', 3, 3, 'ship'],
    ]);
    expect(one[0]?.agents).toEqual(['cy', 'dee', 'ann']);
    expect(await q(relayLanes(DEFAULT_CONFIG, {}, { chainId: "c1' OR '1'='1" }))).toEqual([]);
  });
});

describe('relayFacets', () => {
  it('counts relays per kind, source, outcome kind and agent', async () => {
    const rows = await q<RelayFacetRow>(relayFacets());
    const of = (f: string) => rows.filter((r) => r.facet === f).map((r) => [r.value, r.n]);
    expect(of('kind')).toEqual([['chain', 2], ['handoff', 1], ['staged', 1]]);
    // A relay found by both sources counts under each.
    expect(of('source')).toEqual([['board', 3], ['credit-bracket', 2]]);
    expect(of('outcome')).toEqual([['record', 4]]);
    expect(of('agent')).toEqual([['ann', 3], ['bob', 2], ['cy', 2], ['dee', 2], ['eve', 1]]);
  });
});

describe('stagedBuilders', () => {
  it('counts build steps with rule build:staged or in a staged hand-off, and the other agents of those relays', async () => {
    const rows = await q<StagedBuilderRow>(stagedBuilders());
    // ann: c1 step 1 (build:staged) with bob and cy; eve: c3 step 1 (kind staged) with bob. dee's builds are neither.
    expect(rows).toEqual([
      { agent: 'ann', staged: 1, chains: 1, helpers: 2 },
      { agent: 'eve', staged: 1, chains: 1, helpers: 1 },
    ]);
  });
});
