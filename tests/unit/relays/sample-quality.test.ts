// Relay recovery on the synthetic sample: generate at scale 1, build, match our chains to the planted relays.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildData } from '../../../scripts/build-data.ts';
import { runQuery } from '../../../src/lib/db/connector.ts';
import { createNodeConnector, type NodeConnector } from '../../../src/lib/db/node.ts';
import { relayChainsRanked, relayStepsOf, type RelayChainQueryRow, type RelayStepQueryRow } from '../../../src/lib/queries/relays.sql.ts';

const ROOT = new URL('../../../', import.meta.url).pathname;
const HAVE_GENERATOR = existsSync(join(ROOT, 'scripts/make-sample.ts'));

interface PlantedRelay {
  id: string;
  type: string;
  agents: string[];
  steps: { agent: string; role: string; file: string }[];
  outcome_result: string;
}
interface PlantedHandoff {
  id: string;
  agents: string[];
  post: string;
  result: string;
}

/**
 * A chain row matches a planted relay when it ends in the planted outcome (a credit bracket that names no
 * result may leave it null) and every agent it names is one of the relay's, at least three of them (a
 * bracket credits three roles, so it can leave out one agent of a four-agent relay).
 */
function matchesRelay(c: Pick<RelayChainQueryRow, 'outcome_result' | 'agents' | 'source'>, p: PlantedRelay): boolean {
  const outcomeOk = c.outcome_result === p.outcome_result || (c.source === 'credit-bracket' && c.outcome_result === null);
  const planted = new Set(p.agents);
  return outcomeOk && c.agents.length >= Math.min(3, planted.size) && c.agents.every((a) => planted.has(a));
}

describe.skipIf(!HAVE_GENERATOR)('relays on the synthetic sample (scale 1)', () => {
  let dir: string;
  let db: NodeConnector;
  let planted: PlantedRelay[];
  let handoffs: PlantedHandoff[];
  let chains: RelayChainQueryRow[];
  let all: RelayChainQueryRow[];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'atlas-relays-sample-'));
    execFileSync(process.execPath, ['--import', 'tsx', 'scripts/make-sample.ts', '--scale', '1', '--out', dir], { cwd: ROOT, stdio: 'pipe' });
    const gt = JSON.parse(readFileSync(join(dir, 'ground-truth.json'), 'utf8')) as { relays: PlantedRelay[]; handoffs: PlantedHandoff[] };
    planted = gt.relays;
    handoffs = gt.handoffs;
    const { manifest } = await buildData({ source: join(dir, 'export'), out: join(dir, 'data'), quiet: true });
    db = await createNodeConnector({ dataDir: join(dir, 'data') });
    all = await runQuery<RelayChainQueryRow>(db, relayChainsRanked(manifest.config));
    chains = await runQuery<RelayChainQueryRow>(db, relayChainsRanked(manifest.config, { kind: 'chain' }));
  }, 300_000);
  afterAll(() => {
    db?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('recovers the planted relays: recall ≥ 0.9, precision ≥ 0.8 (printed)', () => {
    expect(planted.length).toBeGreaterThan(0);
    const found = planted.filter((p) => chains.some((c) => matchesRelay(c, p)));
    const good = chains.filter((c) => planted.some((p) => matchesRelay(c, p)));
    const recall = found.length / planted.length;
    const precision = chains.length ? good.length / chains.length : 0;
    // Board chains alone, with exactly the planted agent set.
    const board = chains.filter((c) => c.source === 'board');
    const exact = planted.filter((p) => board.some((c) => matchesRelay(c, p) && c.agents.length === p.agents.length));
    const boardGood = board.filter((c) => planted.some((p) => matchesRelay(c, p)));
    const misses = planted.filter((p) => !found.includes(p)).map((p) => `${p.id} (${p.type})`);
    const wrong = chains.filter((c) => !good.includes(c)).map((c) => `${c.chain_id} [${c.agents.join(', ')}]`);
    console.log(
      [
        `relays on the sample: ${planted.length} planted; ${chains.length} chain rows, one per outcome (${board.length} found from board links, ${
          chains.filter((c) => (c as RelayChainQueryRow & { sources: string[] }).sources.includes('credit-bracket')).length
        } from a credit bracket, alone or too)`,
        `  recall ${recall.toFixed(3)} (${found.length}/${planted.length}), precision ${precision.toFixed(3)} (${good.length}/${chains.length})`,
        `  board chains alone: exact agent set for ${exact.length}/${planted.length}, precision ${(board.length ? boardGood.length / board.length : 0).toFixed(3)} (${boardGood.length}/${board.length})`,
        ...(misses.length ? [`  missed: ${misses.join('; ')}`] : []),
        ...(wrong.length ? [`  unmatched: ${wrong.join('; ')}`] : []),
      ].join('\n'),
    );
    expect(recall).toBeGreaterThanOrEqual(0.9);
    expect(precision).toBeGreaterThanOrEqual(0.8);
    expect(exact.length / planted.length).toBeGreaterThanOrEqual(0.9);
  });

  it('gives matched board chains the planted roles in order: build first, ship last', async () => {
    for (const c of chains.filter((x) => x.source === 'board')) {
      const p = planted.find((x) => matchesRelay(c, x));
      if (!p) continue;
      const steps = await runQuery<RelayStepQueryRow>(db, relayStepsOf(c.chain_id));
      expect(steps[0]?.role, c.chain_id).toBe('build');
      expect(steps[steps.length - 1]?.role, c.chain_id).toBe('ship');
      // Every planted (agent, role) pair is among our steps, and our steps' files include the planted message files.
      const ours = new Set(steps.map((s) => `${s.agent}:${s.role}`));
      const wantPairs = new Set(p.steps.filter((s) => !s.file.startsWith('runs/') && s.role !== 'ship').map((s) => `${s.agent}:${s.role}`));
      for (const w of wantPairs) expect(ours.has(w), `${c.chain_id} ${w}`).toBe(true);
      const files = new Set(steps.map((s) => s.source_file));
      expect(files.has(`results/${p.outcome_result}`), c.chain_id).toBe(true);
    }
  });

  it('has one relay per outcome result, both findings of a planted relay in it, and no record below the board', async () => {
    const outcomes = all.map((c) => c.outcome_result).filter((o) => o !== null);
    expect(new Set(outcomes).size).toBe(outcomes.length);
    // The sample plants a credit bracket for most relays: those relays were found twice, and are one row.
    expect(chains.filter((c) => (c as RelayChainQueryRow & { sources: string[] }).sources.length > 1).length).toBeGreaterThan(0);
    const records = await runQuery<{ chain_id: string; score_gain: number | null; outcome_margin: number | null }>(db, {
      tables: ['relay_chains'],
      sql: `SELECT chain_id, score_gain, outcome_margin FROM relay_chains WHERE outcome_kind = 'record'`,
    });
    for (const r of records) expect(r.outcome_margin!, r.chain_id).toBeGreaterThan(0);
    for (const r of records) expect(r.score_gain!, r.chain_id).toBeGreaterThanOrEqual(r.outcome_margin!);
  });

  it('finds the planted hand-offs (recall printed, ≥ 0.8)', () => {
    const ho = all.filter((c) => c.kind !== 'chain' && c.source === 'board');
    const found = handoffs.filter((h) => ho.some((c) => c.outcome_result === h.result.replace(/^results\//, '') && h.agents.every((a) => c.agents.includes(a))));
    const staged = ho.filter((c) => c.kind === 'staged');
    console.log(
      `hand-offs on the sample: ${handoffs.length} planted, ${found.length} found (recall ${(found.length / Math.max(1, handoffs.length)).toFixed(3)}); ` +
        `${ho.length} board hand-off rows (${staged.length} staged)`,
    );
    expect(found.length / handoffs.length).toBeGreaterThanOrEqual(0.8);
  });
});
