// Agents SQL builders on a real DuckDB over Parquet written by buildData from tests/fixtures/board-export.ts; page selection.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildData } from '../../../scripts/build-data.ts';
import { DEFAULT_CONFIG } from '../../../src/lib/config.ts';
import { runQuery, type QuerySpec } from '../../../src/lib/db/connector.ts';
import { createNodeConnector, type NodeConnector } from '../../../src/lib/db/node.ts';
import { DEFAULT_MAX_AGENT_PAGES, hasAgentPage, maxAgentPages } from '../../../src/lib/agent-pages.ts';
import { agentHref, agentPanelHref, PAGE_SAFE_ID } from '../../../src/lib/links.ts';
import {
  agentActivity,
  agentCreditedBy,
  agentCredits,
  agentProfile,
  agentRepliedBy,
  agentRepliesTo,
  agentResults,
  agentRuns,
  agentSummaries,
  agentSummarySql,
  type AgentActivityRow,
  type AgentCreditRow,
  type AgentLinkRow,
  type AgentProfileRow,
  type AgentResultRow,
  type AgentRunRow,
  type AgentSummaryRow,
} from '../../../src/lib/queries/agents.sql.ts';
import { F } from '../../fixtures/board-export.ts';

let tmp: string;
let db: NodeConnector;
const q = <R>(spec: QuerySpec): Promise<R[]> => runQuery<R>(db, spec);

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'atlas-agents-'));
  const { writeBoardExport } = await import('../../fixtures/board-export.ts');
  writeBoardExport(join(tmp, 'export'));
  await buildData({ source: join(tmp, 'export'), out: join(tmp, 'data'), quiet: true });
  db = await createNodeConnector({ dataDir: join(tmp, 'data') });
});
afterAll(() => {
  db?.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe('agentSummaries', () => {
  it('counts every handle seen, most active first', async () => {
    const rows = await q<AgentSummaryRow>(agentSummaries(DEFAULT_CONFIG));
    expect(rows.map((r) => [r.agent_id, r.messages, r.results, r.best_score, r.best_valid, r.runs, r.first_ts, r.last_ts, r.activity, r.activity_rank])).toEqual([
      // alpha: M1 M3 M8, R1 (valid 480.5), run alpha-r1 launched 06-10 11:00.
      ['alpha', 3, 1, 480.5, 480.5, 1, '2026-06-10T09:00:00.000Z', '2026-06-12T09:00:00.000Z', 5, 1],
      // gamma: M6, R2 (invalid) and R3 (negative): no best; one canonical run of two dirs, launched 06-11 08:30.
      ['gamma', 1, 2, null, null, 1, '2026-06-11T08:30:00.000Z', '2026-06-12T10:00:00.000Z', 4, 2],
      ['betty', 2, 0, null, null, 0, '2026-06-10T10:00:00.000Z', '2026-06-11T09:30:00.000Z', 2, 3],
      ['cmpatino-verifier', 1, 0, null, null, 0, '2026-06-10T13:00:00.000Z', '2026-06-10T13:00:00.000Z', 1, 4],
      ['human-dora', 1, 0, null, null, 0, '2026-06-12T08:00:00.000Z', '2026-06-12T08:00:00.000Z', 1, 5],
    ]);
    expect(rows.map((r) => [r.agent_id, r.registered, r.is_human, r.is_verifier])).toEqual([
      ['alpha', true, false, false],
      ['gamma', true, false, false],
      ['betty', true, false, false],
      ['cmpatino-verifier', false, false, true],
      ['human-dora', false, true, false],
    ]);
  });

  it('one agent: the same row, the rank still over everyone; the id is a bound parameter', async () => {
    const all = await q<AgentSummaryRow>(agentSummaries(DEFAULT_CONFIG));
    expect(await q<AgentSummaryRow>(agentSummaries(DEFAULT_CONFIG, 'gamma'))).toEqual([all[1]]);
    expect(await q(agentSummaries(DEFAULT_CONFIG, "x' OR '1'='1"))).toEqual([]);
    expect(agentSummaries(DEFAULT_CONFIG, 'gamma').params).toEqual(['gamma']);
  });

  it('best score follows the configured direction', async () => {
    // Lower is better: alpha's only ranked result is still its best; the direction flips the aggregate.
    expect(agentSummarySql({ higher_is_better: false })).toContain('min(score)');
    expect(agentSummarySql({ higher_is_better: true })).toContain('max(score)');
    const lower = await q<AgentSummaryRow>({ sql: agentSummarySql({ higher_is_better: false }), tables: ['agents', 'messages', 'results', 'runs'] });
    expect(lower.find((r) => r.agent_id === 'alpha')?.best_score).toBe(480.5);
  });

  it('the built agent_summary is its SQL run over the published tables, in activity order', async () => {
    const spec = agentSummaries(DEFAULT_CONFIG);
    expect(spec.tables).toEqual(['agent_summary']);
    const live = await q<AgentSummaryRow>({ sql: `${agentSummarySql(DEFAULT_CONFIG)} ORDER BY activity_rank`, tables: ['agents', 'messages', 'results', 'runs'] });
    expect(live.length).toBeGreaterThan(0);
    expect(await q<AgentSummaryRow>(spec)).toEqual(live);
  });
});

describe('per-agent builders', () => {
  it('profile: registration fields; seen-only handles have a row without them', async () => {
    const [alpha] = await q<AgentProfileRow>(agentProfile('alpha'));
    expect(alpha).toMatchObject({ agent_name: 'Alpha One', hf_user: 'alpha-hf', model: 'model-a', harness: 'claude-code', tools: ['bash'], joined: '2026-06-09T08:00:00.000Z', registered: true });
    expect(alpha?.bio_md).toContain('<script>');
    const [dora] = await q<AgentProfileRow>(agentProfile('human-dora'));
    expect(dora).toMatchObject({ registered: false, bio_md: null, is_human: true, source_part: 'seen' });
  });

  it('activity per UTC day', async () => {
    expect(await q<AgentActivityRow>(agentActivity('alpha'))).toEqual([
      { agent: 'alpha', day: '2026-06-10', messages: 2, results: 1 },
      { agent: 'alpha', day: '2026-06-12', messages: 1, results: 0 },
    ]);
    expect(await q<AgentActivityRow>(agentActivity('gamma'))).toEqual([
      { agent: 'gamma', day: '2026-06-11', messages: 1, results: 1 },
      { agent: 'gamma', day: '2026-06-12', messages: 0, results: 1 },
    ]);
  });

  it('results newest first with their state', async () => {
    const rows = await q<AgentResultRow>(agentResults('gamma'));
    expect(rows.map((r) => [r.filename, r.state, r.score])).toEqual([
      [F.R3, 'negative', 510],
      [F.R2, 'invalid', 500],
    ]);
  });

  it('who they reply to: refs to other agents’ posts and mentions, own posts and unresolved refs left out', async () => {
    const pick = (rows: AgentLinkRow[]) => rows.map((r) => [r.other, r.refs, r.mentions, r.total]);
    expect(pick(await q<AgentLinkRow>(agentRepliesTo('betty')))).toEqual([
      ['alpha', 1, 1, 2],
      ['gamma', 1, 1, 2],
    ]);
    // alpha: M1 mentions betty; M3 refs alpha's own result; M8 refs itself.
    expect(pick(await q<AgentLinkRow>(agentRepliesTo('alpha')))).toEqual([['betty', 0, 1, 1]]);
    expect(pick(await q<AgentLinkRow>(agentRepliesTo('human-dora')))).toEqual([
      ['alpha', 1, 1, 2],
      ['nobody-here', 0, 1, 1],
    ]);
  });

  it('who replies to them', async () => {
    const rows = await q<AgentLinkRow>(agentRepliedBy('alpha'));
    expect(rows.map((r) => [r.other, r.refs, r.mentions, r.total])).toEqual([
      ['betty', 1, 1, 2],
      ['human-dora', 1, 1, 2],
      ['cmpatino-verifier', 0, 1, 1],
    ]);
  });

  it('who they credit and who credits them (results.credits)', async () => {
    const pick = (rows: AgentCreditRow[]) => rows.map((r) => [r.other, r.results, r.last_result]);
    expect(pick(await q<AgentCreditRow>(agentCredits('gamma')))).toEqual([
      ['alpha', 2, F.R3],
      ['betty', 1, F.R3],
    ]);
    expect(pick(await q<AgentCreditRow>(agentCredits('alpha')))).toEqual([['betty', 1, F.R1]]);
    expect(pick(await q<AgentCreditRow>(agentCreditedBy('alpha')))).toEqual([['gamma', 2, F.R3]]);
    expect(pick(await q<AgentCreditRow>(agentCreditedBy('betty')))).toEqual([
      ['alpha', 1, F.R1],
      ['gamma', 1, F.R3],
    ]);
  });

  it('runs: canonical dirs only', async () => {
    expect((await q<AgentRunRow>(agentRuns('gamma'))).map((r) => [r.run_dir, r.status])).toEqual([['runs/gamma-r1', 'completed']]);
    expect((await q<AgentRunRow>(agentRuns('alpha'))).map((r) => [r.run_dir, r.status])).toEqual([['runs/alpha-r1', 'error']]);
  });

  it('the all-agents form returns exactly the union of the one-agent forms', async () => {
    const builders = [agentActivity, agentResults, agentRepliesTo, agentRepliedBy, agentCredits, agentCreditedBy, agentRuns];
    const ids = (await q<AgentSummaryRow>(agentSummaries(DEFAULT_CONFIG))).map((r) => r.agent_id);
    for (const b of builders) {
      // Rows about handles that are not agents (an @mention of an unknown handle) have no page to go to.
      const all = (await q<{ agent: string }>(b(null))).filter((r) => ids.includes(r.agent));
      const each = (await Promise.all(ids.map((id) => q<{ agent: string }>(b(id))))).flat();
      const key = (r: object) => JSON.stringify(r);
      expect(all.map(key).sort(), b.name).toEqual(each.map(key).sort());
    }
  });
});

describe('which agents get a page', () => {
  it('reads ATLAS_MAX_AGENT_PAGES, falling back to the default on nonsense', () => {
    expect(maxAgentPages({})).toBe(DEFAULT_MAX_AGENT_PAGES);
    expect(maxAgentPages({ ATLAS_MAX_AGENT_PAGES: '2' })).toBe(2);
    expect(maxAgentPages({ ATLAS_MAX_AGENT_PAGES: '0' })).toBe(0);
    for (const bad of ['', '-1', '2.5', 'many']) expect(maxAgentPages({ ATLAS_MAX_AGENT_PAGES: bad })).toBe(DEFAULT_MAX_AGENT_PAGES);
  });

  it('the most active up to the cap, and only folder-safe handles', async () => {
    const rows = await q<AgentSummaryRow>(agentSummaries(DEFAULT_CONFIG));
    expect(rows.filter((r) => hasAgentPage(r, 2)).map((r) => r.agent_id)).toEqual(['alpha', 'gamma']);
    for (const id of ['zoë-ünïcode', 'human-foo_hash', 'a.b']) expect(PAGE_SAFE_ID.test(id), id).toBe(true);
    for (const id of ['..', '.', 'a/b', 'a\\b', 'a?b', 'a#b', 'a%2f', '', 'x'.repeat(81)]) expect(PAGE_SAFE_ID.test(id), id).toBe(false);
    expect(hasAgentPage({ agent_id: '../etc', activity_rank: 1 }, 10)).toBe(false);
  });

  it('links encode the handle as one path segment', () => {
    expect(agentHref('/atlas/', 'zoë ünï')).toBe('/atlas/agents/zo%C3%AB%20%C3%BCn%C3%AF/');
    expect(agentPanelHref('/', 'a&b')).toBe('/agents/?agent=a%26b');
  });
});
