// Relays derivation: a hand-written export with one planted relay (found on the board and in a credit bracket),
// hand-offs and decoys; the SQL builders over the derived tables in a real DuckDB.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestExport } from '../../../scripts/ingest/ingest.ts';
import { openParquetWriter } from '../../../scripts/ingest/write-parquet.ts';
import { DERIVATIONS } from '../../../scripts/derive/index.ts';
import { deriveNoise } from '../../../scripts/derive/noise/index.ts';
import { artifactKeys, buildGraph, deriveRelays, ownerOf, relaysDerivation, type RelayTables } from '../../../scripts/derive/relays/index.ts';
import { DEFAULT_CONFIG } from '../../../src/lib/config.ts';
import { runQuery } from '../../../src/lib/db/connector.ts';
import { createNodeConnector, type NodeConnector } from '../../../src/lib/db/node.ts';
import {
  relayChainsRanked,
  relayStepsOf,
  rolesPerAgent,
  type RelayChainQueryRow,
  type RelayStepQueryRow,
  type RolesPerAgentRow,
} from '../../../src/lib/queries/relays.sql.ts';
import { RELAYS_TABLES, TABLES, tableByName } from '../../../src/lib/schema/index.ts';

// ---------------------------------------------------------------------------------------------------------
// A small export written by the test (synthetic; formats per ../shared/data-formats.md §1–2).

const files: Record<string, string> = {};
const stamp = (iso: string): string => iso.replace(/[-:]/g, '').replace('T', '-').replace(/\.(\d{3})Z$/, '-$1');
const yaml = (o: Record<string, unknown>): string =>
  Object.entries(o)
    .map(([k, v]) => `${k}: ${Array.isArray(v) ? `[${v.map((x) => JSON.stringify(x)).join(', ')}]` : JSON.stringify(v)}`)
    .join('\n');
function message(iso: string, agent: string, body: string, extra: Record<string, unknown> = {}): string {
  const fn = `${stamp(iso)}_${agent}.md`;
  files[`message_board/${fn}`] = `---\n${yaml({ agent, type: 'agent', via: 'raw', ...extra })}\n---\n${body}\n`;
  return fn;
}
function result(iso: string, agent: string, tps: number, description: string, extra: Record<string, unknown> = {}): string {
  const fn = `${stamp(iso)}_${agent}.md`;
  files[`results/${fn}`] = `---\n${yaml({ agent, tps, ppl: 2.01, method: `m-${agent}`, status: 'agent-run', description, ...extra })}\n---\n`;
  return fn;
}
function run(dir: string, agent: string, iso: string, status: string, prefix: string, env: Record<string, string> = {}, tps?: number): string {
  const compact = iso.replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');
  const jobId = (dir.replace(/[^a-f0-9]/g, '') + '0'.repeat(24)).slice(0, 24);
  files[`runs/${dir}/job_status.json`] = JSON.stringify({ agent_id: agent, job_id: jobId, status, stage: status.toUpperCase(), message: status === 'error' ? "KeyError: 'lm_head.weight'" : null, submission_prefix: prefix });
  files[`runs/${dir}/run_request.json`] = JSON.stringify({ created_at: compact, submission_prefix: prefix, flavor: 'a10g-small', manifest: { name: dir, env } });
  if (tps !== undefined) files[`runs/${dir}/summary.json`] = JSON.stringify({ tps, ppl: 2.0, completed: 128, num_prompts: 128 });
  return `runs/${dir}`;
}

// Earlier best: 95 TPS.
const R0 = result('2026-06-08T09:00:00.000Z', 'ppl-guard', 95, 'Official QAT W4A16, 95 TPS');
// The planted relay (Thom Wolf's story): build with no quota → failed load → diagnosis → ship at 118.
const M1 = message(
  '2026-06-08T11:00:00.000Z',
  'quick-a',
  '# int4 lm_head checkpoint\n\nBuilt an untied int4 lm_head checkpoint at hf://buckets/gemma-challenge/gemma-quick-a/weights/int4-head but I have no quota to run it. Staged for whoever has quota.',
);
const RUN_B = run('int4-head-try', 'runner-b', '2026-06-08T11:40:00.000Z', 'error', 'submissions/runner-b/int4-head-try', {
  WEIGHTS: 'hf://buckets/gemma-challenge/gemma-quick-a/weights/int4-head',
});
const M2 = message(
  '2026-06-08T12:00:00.000Z',
  'runner-b',
  "# Tried quick-a's int4 head: failed at load\n\nvLLM raised KeyError: 'lm_head.weight' while loading the checkpoint.",
  { refs: [M1] },
);
const M3 = message(
  '2026-06-08T13:00:00.000Z',
  'doctor-c',
  '# Re: load failure\n\n@runner-b the bug is tie_word_embeddings=true in text_config. Fix: set tie_word_embeddings=false at top level AND text_config.',
  { refs: [M2] },
);
// A credited agent whose stack the ship started from (lineage): its own benchmark post is not a relay step.
const L1 = message('2026-06-08T14:00:00.000Z', 'lineage-m', `# Re-ran the QAT stack\n\nBenchmarked @ppl-guard's \`${R0}\` again: 95.1 TPS.`);
const S4 = result(
  '2026-06-08T15:00:00.000Z',
  'shipper-d',
  118.26,
  'Untied int4 lm_head, 118.26 TPS, on top of lineage-m stack. Credits: @quick-a checkpoint, @runner-b load test, @doctor-c config fix',
  { refs: [M3] },
);
// A follow-up ship by the same agent with the same helpers: not a second chain.
const S5 = result('2026-06-08T18:00:00.000Z', 'shipper-d', 119.1, 'Same stack, better draw: 119.1 TPS. Credits: @quick-a @runner-b @doctor-c');
// A staged spec that someone else runs (no new best: 110 < 119.1).
const M6 = message('2026-06-09T09:00:00.000Z', 'spec-e', '# Spec for whoever has GPU\n\ng128 full body, see artifacts/g128-spec_spec-e/README.md (no quota here).');
// The result names nothing; its results-report refs both the result and the spec (the report link).
const R7 = result('2026-06-09T12:00:00.000Z', 'gpu-f', 110, 'g128 full body: 110 TPS');
message('2026-06-09T12:30:00.000Z', 'gpu-f', `# 110 TPS with the g128 spec\n\nPosted \`${R7}\` from the spec in \`${M6}\`.`, { refs: [R7, M6] });
// A plain hand-off: an uploaded submission that another agent's job serves.
const M8 = message('2026-06-09T10:00:00.000Z', 'maker-g', '# fast-v2 ready\n\nUploaded the checkpoint to submissions/maker-g/fast-v2 (int4 g128).');
const RUN_H = run('fast-v2-bench', 'bencher-h', '2026-06-09T14:00:00.000Z', 'completed', 'submissions/maker-g/fast-v2', {}, 112.5);
// Decoys: a solo new best, and a merge of two upstream builders (lineage, not a relay).
const D1 = result('2026-06-10T09:00:00.000Z', 'solo-i', 130, 'My own stack, 130 TPS');
const D2 = result('2026-06-10T10:00:00.000Z', 'x-k', 100, 'x-k drafter, 100 TPS');
const D3 = result('2026-06-10T11:00:00.000Z', 'y-l', 101, 'y-l kernel, 101 TPS');
const D4 = result('2026-06-10T12:00:00.000Z', 'merge-j', 135, 'Merge of x-k drafter and y-l kernel: 135 TPS');
// Starting points: the ship names base-n's stack (100) and credits helper-o, whose own latest result (200) is
// unrelated. It improves on what it started from, so it is a ship even though 200 was posted before it.
const P1 = result('2026-06-20T08:00:00.000Z', 'base-n', 100, 'base-n stack, 100 TPS');
result('2026-06-20T09:00:00.000Z', 'helper-o', 200, 'helper-o kernels, 200 TPS');
const S9 = result('2026-06-20T10:00:00.000Z', 'stack-p', 150, "On top of base-n's stack: 150 TPS. Credit: @helper-o for the kernel idea.");
const S10 = result('2026-06-20T11:00:00.000Z', 'stack-q', 160, 'Own stack plus a kernel idea: 160 TPS. Credit: @helper-o.');
// A document credits the planted relay in a bracket (no result quoted; S4 credits the other two): the same relay, found twice.
files['shared_resources/notes_doctor-c/README.md'] = '# Notes\n\n## Levers\n1. **Untied int4 head** — ~118 TPS [doctor-c flagged / quick-a built / shipper-d benched]\n';
// A verifier verdict mentioning the shipper: never a relay step.
message('2026-06-08T16:00:00.000Z', 'cmpatino-verifier', `@shipper-d your result \`${S4}\` came back **INVALID**. error in re-run.`);

let tmp: string;
let t: RelayTables;
let ing: ReturnType<typeof ingestExport>;

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'atlas-relays-'));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(tmp, 'export', rel)), { recursive: true });
    writeFileSync(join(tmp, 'export', rel), text);
  }
  ing = ingestExport(join(tmp, 'export'));
  expect(ing.tables.rejects).toEqual([]);
  t = deriveRelays(ing.tables, ing.config);
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('registration', () => {
  it('is registered and its tables are in the schema module', () => {
    expect(DERIVATIONS).toContain(relaysDerivation);
    for (const def of RELAYS_TABLES) expect(TABLES).toContain(def);
    expect(relaysDerivation.tables.map((d) => d.name)).toEqual(['relay_chains', 'relay_steps', 'relay_evidence', 'agent_roles']);
  });
  it('rows carry exactly the schema columns', () => {
    for (const def of RELAYS_TABLES) {
      const rows = t[def.name as keyof RelayTables] as unknown as Record<string, unknown>[];
      expect(rows.length, def.name).toBeGreaterThan(0);
      for (const r of rows) expect(Object.keys(r).sort()).toEqual(def.columns.map((c) => c.name).sort());
    }
  });
});

describe('artifact paths', () => {
  it('keys and owners', () => {
    expect(artifactKeys('at hf://buckets/org/gemma-a/weights/int4-head, and artifacts/plot_a/x.png; submissions/a/v1.')).toEqual([
      'artifacts/plot_a',
      'bucket:gemma-a/weights/int4-head',
      'submissions/a/v1',
    ]);
    const owners = new Map([['gemma-a', 'a']]);
    const known = new Set(['a', 'plot']);
    expect(ownerOf('submissions/b/v1', owners, known)).toBe('b');
    expect(ownerOf('artifacts/plot_a', owners, known)).toBe('a');
    expect(ownerOf('bucket:gemma-a/weights', owners, known)).toBe('a');
    expect(ownerOf('bucket:other/x', owners, known)).toBeNull();
  });
});

describe('the planted relay', () => {
  it('is one chain: build → fail → diagnose → ship across four agents, found from the board and a credit bracket', () => {
    const chains = t.relay_chains.filter((c) => c.kind === 'chain');
    expect(chains.map((c) => c.chain_id)).toEqual([`chain/${S4.replace(/\.md$/, '')}`]);
    const c = chains[0]!;
    expect([c.source, c.sources]).toEqual(['board', ['board', 'credit-bracket']]);
    // Both findings kept, each as its source saw it; the agreed order is the board's (time order).
    expect(t.relay_evidence.filter((e) => e.chain_id === c.chain_id).map((e) => [e.found_as, e.source, e.agents])).toEqual([
      ['bracket/shared_resources/notes_doctor-c/README.md#L4', 'credit-bracket', ['doctor-c', 'quick-a', 'shipper-d']],
      [c.chain_id, 'board', ['quick-a', 'runner-b', 'doctor-c', 'shipper-d']],
    ]);
    // 118.26 against the 95 before the relay started, against the noise derivation's tie threshold.
    const threshold = deriveNoise(ing.tables, ing.config).noise_summary[0]!.tie_threshold;
    const want = threshold === null ? 'unknown' : 118.26 - 95 <= threshold ? 'within' : 'beyond';
    expect([c.best_before, c.best_before_result, c.gain_class, c.outcome_kind]).toEqual([95, R0, want, want === 'within' ? 'within-noise' : 'record']);
    expect(c.title).toBe('Untied int4 head');
    expect(c.agents).toEqual(['quick-a', 'runner-b', 'doctor-c', 'shipper-d']);
    expect(c.roles).toEqual(['build', 'fail', 'diagnose', 'ship']);
    expect(c.n_agents).toBe(4);
    expect(c.length).toBe(4);
    expect(c.outcome_result).toBe(S4);
    expect(c.outcome_score).toBe(118.26);
    expect(c.score_gain).toBeCloseTo(118.26 - 95, 9);
    expect(c.start_ts).toBe('2026-06-08T11:00:00.000Z');
    expect(c.end_ts).toBe('2026-06-08T15:00:00.000Z');
  });

  it('has steps with rules, links, files and evidence', () => {
    const steps = t.relay_steps.filter((s) => s.chain_id === `chain/${S4.replace(/\.md$/, '')}`);
    expect(steps.map((s) => [s.step, s.agent, s.role, s.rule, s.source_part, s.source_file])).toEqual([
      [1, 'quick-a', 'build', 'build:staged', 'messages', `message_board/${M1}`],
      // The failed run dir and the failure message are one step; the message is kept.
      [2, 'runner-b', 'fail', 'fail:error-report', 'messages', `message_board/${M2}`],
      [3, 'doctor-c', 'diagnose', 'diagnose:reply-names-cause', 'messages', `message_board/${M3}`],
      [4, 'shipper-d', 'ship', 'ship:improves-best', 'results', `results/${S4}`],
    ]);
    // M1 ← M2 (ref), M2 ← M3 (ref), and the ship refs M3.
    expect(steps.map((s) => s.linked_by)).toEqual(['ref', 'ref', 'ref', 'ref']);
    expect(steps[2]!.evidence).toContain('the bug is tie_word_embeddings=true');
    for (const s of steps) expect(s.evidence!.length).toBeLessThanOrEqual(240);
  });

  it('finds no chain in the decoys: a solo best, a merge of two builders, a follow-up ship', () => {
    const inChains = new Set(t.relay_chains.filter((c) => c.kind === 'chain').map((c) => c.outcome_result));
    for (const d of [D1, D4, S5]) expect(inChains.has(d)).toBe(false);
    const agents = new Set(t.relay_steps.map((s) => s.agent));
    for (const a of ['solo-i', 'merge-j', 'x-k', 'y-l', 'cmpatino-verifier']) expect(agents.has(a)).toBe(false);
    // lineage-m is credited by the ship but nothing ties its post to the relay: not a chain step.
    const chainAgents = new Set(t.relay_steps.filter((s) => s.chain_id.startsWith('chain/')).map((s) => s.agent));
    expect(chainAgents.has('lineage-m')).toBe(false);
  });
});

describe('ships improve on what they started from', () => {
  it("a possessive names the starting point; otherwise the credited agents' latest results count", () => {
    const ing = ingestExport(join(tmp, 'export'));
    const g = buildGraph(ing.tables, ing.config);
    expect(P1).toMatch(/base-n/);
    expect(g.byId.get(S9)?.role?.rule).toBe('ship:improves-best');
    // 160 < helper-o's 200: credited, not improved on.
    expect(g.byId.get(S10)?.role?.rule).toBe('run:reproduces-other');
    // The follow-up ship beats the 118.26 posted before it (it names no starting point).
    expect(g.byId.get(S5)?.role?.rule).toBe('ship:improves-best');
    // The merge beats both results it credits: a ship, but nothing ties the builders' posts to it (no chain).
    expect(g.byId.get(D4)?.role?.rule).toBe('ship:improves-best');
  });
  it('a result below its starting point that credits one agent is a run, and a hand-off from that agent', () => {
    const h = t.relay_chains.filter((c) => c.agents?.includes('stack-q'));
    expect(h.map((c) => [c.kind, c.agents, c.roles, c.outcome_result])).toEqual([['handoff', ['helper-o', 'stack-q'], ['build', 'run'], S10]]);
  });
});

describe('hand-offs', () => {
  it('a staged spec that someone else ran', () => {
    const s = t.relay_chains.filter((c) => c.kind === 'staged');
    expect(s.map((c) => [c.agents, c.roles, c.outcome_result])).toEqual([[['spec-e', 'gpu-f'], ['build', 'run'], R7]]);
    // 110 is below the 119.1 posted before it: a run, not a ship. The results-report ties the two.
    expect(t.relay_steps.filter((x) => x.chain_id === s[0]!.chain_id).map((x) => [x.rule, x.linked_by])).toEqual([
      ['build:staged', 'report'],
      ['run:reproduces-other', 'report'],
    ]);
    expect(s[0]!.score_gain).toBeCloseTo(110 - 119.1, 9);
  });
  it('an uploaded submission another agent’s job served', () => {
    const h = t.relay_chains.filter((c) => c.kind === 'handoff' && c.agents?.includes('maker-g'));
    expect(h.map((c) => [c.agents, c.roles, c.outcome_result, c.outcome_score])).toEqual([[['maker-g', 'bencher-h'], ['build', 'run'], null, 112.5]]);
    const steps = t.relay_steps.filter((s) => s.chain_id === h[0]!.chain_id);
    expect(steps.map((s) => [s.source_file, s.rule, s.linked_by])).toEqual([
      [`message_board/${M8}`, 'build:artifact', 'artifact'],
      [RUN_H, 'run:other-artifact', 'artifact'],
    ]);
  });
  it('a benchmark post of another agent’s result', () => {
    const h = t.relay_chains.filter((c) => c.kind === 'handoff' && c.agents?.includes('lineage-m'));
    expect(h.map((c) => [c.agents, c.roles, c.outcome_result])).toEqual([[['ppl-guard', 'lineage-m'], ['build', 'run'], null]]);
    expect(t.relay_steps.filter((x) => x.chain_id === h[0]!.chain_id).map((x) => [x.source_file, x.rule])).toEqual([
      [`results/${R0}`, 'build:result-reused'],
      [`message_board/${L1}`, 'run:benchmark-report'],
    ]);
  });
  it('no hand-off repeats a chain (the follow-up ship reuses the chain’s build)', () => {
    expect(t.relay_chains.length).toBe(5);
    expect(t.relay_evidence.length).toBe(6);
    expect(RUN_B).toBe('runs/int4-head-try');
    expect(R0).toMatch(/ppl-guard/);
    expect([D2, D3].every((d) => !t.relay_chains.some((c) => c.outcome_result === d))).toBe(true);
  });
});

describe('agent_roles', () => {
  it('counts steps per agent and role, computed again from relay_steps', () => {
    const want = new Map<string, { count: number; chains: Set<string> }>();
    for (const s of t.relay_steps) {
      const k = `${s.agent}|${s.role}`;
      const v = want.get(k) ?? { count: 0, chains: new Set() };
      v.count++;
      v.chains.add(s.chain_id);
      want.set(k, v);
    }
    expect(t.agent_roles.length).toBe(want.size);
    for (const r of t.agent_roles) {
      const w = want.get(`${r.agent}|${r.role}`)!;
      expect([r.count, r.chains]).toEqual([w.count, w.chains.size]);
    }
    expect(t.agent_roles.find((r) => r.agent === 'doctor-c')).toEqual({ agent: 'doctor-c', role: 'diagnose', count: 1, chains: 1 });
  });
  it('is deterministic', () => {
    const ing = ingestExport(join(tmp, 'export'));
    expect(deriveRelays(ing.tables, ing.config)).toEqual(t);
  });
});

describe('SQL builders on a real DuckDB', () => {
  let db: NodeConnector;
  let dir: string;
  beforeAll(async () => {
    dir = join(tmp, 'data');
    mkdirSync(dir, { recursive: true });
    const w = await openParquetWriter(dir, join(dir, '.tmp'));
    try {
      for (const def of RELAYS_TABLES) await w.write(tableByName(def.name), t[def.name as keyof RelayTables] as unknown as Record<string, unknown>[]);
    } finally {
      w.close();
    }
    db = await createNodeConnector({ dataDir: dir, tables: RELAYS_TABLES.map((d) => d.name) });
  });
  afterAll(() => db?.close());

  it('relayChainsRanked: best outcome first in the configured direction, facets bound', async () => {
    const rows = await runQuery<RelayChainQueryRow>(db, relayChainsRanked(DEFAULT_CONFIG));
    // Expected order computed here: outcome in the configured direction, no outcome last, then gain, then id.
    const order = (higher: boolean) =>
      [...t.relay_chains]
        .sort(
          (a, b) =>
            (a.outcome_score === null ? 1 : 0) - (b.outcome_score === null ? 1 : 0) ||
            (higher ? (b.outcome_score ?? 0) - (a.outcome_score ?? 0) : (a.outcome_score ?? 0) - (b.outcome_score ?? 0)) ||
            (b.score_gain ?? -Infinity) - (a.score_gain ?? -Infinity) ||
            (a.chain_id < b.chain_id ? -1 : 1),
        )
        .map((c) => c.chain_id);
    expect(rows.map((r) => r.chain_id)).toEqual(order(true));
    expect(rows.map((r) => r.rank)).toEqual([1, 2, 3, 4, 5]);
    expect(rows[0]).toMatchObject({ kind: 'handoff', agents: ['helper-o', 'stack-q'], outcome_score: 160, rank: 1 });
    expect(rows[1]).toMatchObject({ kind: 'chain', agents: ['quick-a', 'runner-b', 'doctor-c', 'shipper-d'], outcome_score: 118.26, rank: 2 });
    const low = await runQuery<RelayChainQueryRow>(db, relayChainsRanked({ higher_is_better: false }));
    expect(low.map((r) => r.chain_id)).toEqual(order(false));
    const staged = await runQuery<RelayChainQueryRow>(db, relayChainsRanked(DEFAULT_CONFIG, { kind: 'staged' }));
    expect(staged.map((r) => r.agents)).toEqual([['spec-e', 'gpu-f']]);
    const withB = await runQuery<RelayChainQueryRow>(db, relayChainsRanked(DEFAULT_CONFIG, { agent: "runner-b", minAgents: 3, limit: 5 }));
    expect(withB.map((r) => r.n_agents)).toEqual([4]);
    const none = await runQuery<RelayChainQueryRow>(db, relayChainsRanked(DEFAULT_CONFIG, { agent: "x' OR 1=1 --" }));
    expect(none).toEqual([]);
    // A page (the browser's table): the first rows of the whole ranking, each with the count of all of them.
    const page = await runQuery<RelayChainQueryRow>(db, relayChainsRanked(DEFAULT_CONFIG, { limit: 2 }, { total: true }));
    expect(page.map(({ total: _t, ...r }) => r)).toEqual(rows.slice(0, 2));
    expect(page.map((r) => r.total)).toEqual([rows.length, rows.length]);
    const pageOfStaged = await runQuery<RelayChainQueryRow>(db, relayChainsRanked(DEFAULT_CONFIG, { kind: 'staged', limit: 0 }, { total: true }));
    expect(pageOfStaged).toEqual([]);
  });

  it('relayStepsOf: the steps of one chain in order', async () => {
    const id = `chain/${S4.replace(/\.md$/, '')}`;
    const rows = await runQuery<RelayStepQueryRow>(db, relayStepsOf(id));
    expect(rows).toEqual(t.relay_steps.filter((s) => s.chain_id === id));
    expect(await runQuery(db, relayStepsOf('no-such-chain'))).toEqual([]);
  });

  it('rolesPerAgent: agent_roles with totals, busiest first; a kind filter recounts from the steps', async () => {
    const rows = await runQuery<RolesPerAgentRow>(db, rolesPerAgent());
    expect(rows.length).toBe(t.agent_roles.length);
    const totals = new Map<string, number>();
    for (const r of t.agent_roles) totals.set(r.agent, (totals.get(r.agent) ?? 0) + (r.count ?? 0));
    for (const r of rows) expect(r.agent_total).toBe(totals.get(r.agent));
    expect(rows.map((r) => r.agent_total)).toEqual([...rows.map((r) => r.agent_total)].sort((a, b) => b - a));
    const chainOnly = await runQuery<RolesPerAgentRow>(db, rolesPerAgent(1, 'chain'));
    expect(chainOnly.map((r) => `${r.agent}:${r.role}:${r.count}`).sort()).toEqual(['doctor-c:diagnose:1', 'quick-a:build:1', 'runner-b:fail:1', 'shipper-d:ship:1']);
    expect(await runQuery(db, rolesPerAgent(99))).toEqual([]);
  });
});
