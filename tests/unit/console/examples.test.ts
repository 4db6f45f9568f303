// Canned console queries run on a real DuckDB: over hand-written tables with known answers, and over the real export.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildData } from '../../../scripts/build-data.ts';
import { DEFAULT_CONFIG } from '../../../src/lib/config.ts';
import { allExamples, consoleExamples, ident } from '../../../src/lib/console/examples.ts';
import { createNodeConnector, type NodeConnector } from '../../../src/lib/db/node.ts';
import { tableByName, type LineageNodeRow, type MessageLinkRow, type MessageRow, type ResultRow } from '../../../src/lib/schema/index.ts';
import { writeTableParquet } from '../../fixtures/fixture-data.ts';
import { agentLinkRows } from '../../../scripts/derive/agent-links.ts';
import { LINEAGE_RULES } from '../../../src/lib/queries/lineage.sql.ts';

const REAL = join(import.meta.dirname, '../../../../shared/gemma-real');

const result = (filename: string, agent: string, score: number, method: string, status: string, verification: string): Partial<ResultRow> => ({
  filename,
  agent,
  score,
  method,
  status,
  verification,
  ts: `2026-06-${filename.slice(7, 9)}T10:00:00.000Z`,
});
// Hand-written: alpha's best verified is 130 (r3; r4 is higher but pending), beta's is 210; gamma has none verified.
const RESULTS = [
  result('202606-10_a1.md', 'alpha', 120, 'fp8-ctk48', 'agent-run', 'valid'),
  result('202606-11_a2.md', 'alpha', 125, 'fp8-ctk48-spec', 'negative', 'pending'),
  result('202606-12_a3.md', 'alpha', 130, 'fp8-ctk44', 'agent-run', 'valid'),
  result('202606-13_a4.md', 'alpha', 150, 'fp8-ctk44-big', 'agent-run', 'pending'),
  result('202606-14_b1.md', 'beta', 210, 'SPEC-ctk48', 'agent-run', 'valid'),
  result('202606-15_b2.md', 'beta', 90, 'spec-nocache', 'agent-run', 'invalid'),
  result('202606-16_g1.md', 'gamma', 300, 'ctk48', 'agent-run', 'pending'),
  // Over the secondary cap: a dead end too.
  { ...result('202606-17_g2.md', 'gamma', 310, 'ctk48', 'agent-run', 'pending'), secondary: 9.9, over_cap: true },
];
// The same results as lineage nodes, with normalised tokens (versions dropped: "-v1", "-v2" do not count).
const NODES: Partial<LineageNodeRow>[] = RESULTS.map((r) => ({
  filename: r.filename!,
  agent: r.agent!,
  status: r.status!,
  verification: r.verification!,
  tokens: [...new Set(r.method!.toLowerCase().split('-'))],
}));
const MESSAGES: Partial<MessageRow>[] = [
  { filename: 'm1.md', agent: 'alpha' },
  { filename: 'm2.md', agent: 'beta' },
  { filename: 'm3.md', agent: 'beta' },
];
const LINKS: Partial<MessageLinkRow>[] = [
  { from_file: 'm2.md', kind: 'ref', target: 'm1.md', to_file: 'm1.md', to_part: 'messages', to_agent: 'alpha' },
  { from_file: 'm3.md', kind: 'quoted-filename', target: 'm1.md', to_file: 'm1.md', to_part: 'messages', to_agent: 'alpha' },
  { from_file: 'm3.md', kind: 'mention', target: 'alpha', to_file: null, to_part: 'agent', to_agent: 'alpha' },
  { from_file: 'm3.md', kind: 'mention', target: 'beta', to_file: null, to_part: 'agent', to_agent: 'beta' },
  { from_file: '202606-14_b1.md', kind: 'ref', target: '202606-12_a3.md', to_file: '202606-12_a3.md', to_part: 'results', to_agent: 'alpha' },
];

describe('console examples', () => {
  let dir: string;
  let db: NodeConnector;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'atlas-examples-'));
    await writeTableParquet(dir, tableByName('results'), RESULTS);
    await writeTableParquet(dir, tableByName('messages'), MESSAGES);
    await writeTableParquet(dir, tableByName('message_links'), LINKS);
    await writeTableParquet(dir, tableByName('lineage_nodes'), NODES);
    db = await createNodeConnector({ dataDir: dir, tables: ['results', 'messages', 'message_links', 'lineage_nodes'] });
  });
  afterAll(() => {
    db?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const sqlOf = (id: string, c = DEFAULT_CONFIG) => allExamples(c).find((e) => e.id === id)!.sql;

  /**
   * lineage_agent_pairs holds the pairs the SQL count over lineage_edges gives (mean confidences to 12 digits: the two
   * sum in different orders), and every edge between two agents is counted under one of the lineage rules.
   */
  async function expectBuildsAsCounted(conn: NodeConnector): Promise<Record<string, unknown>[]> {
    const byPair = (rows: Record<string, unknown>[]) => new Map(rows.map((r) => [`${r['parent_agent']} ${r['child_agent']}`, r]));
    const read = await conn.query<Record<string, unknown>>(sqlOf('who-builds-on-whom'));
    const counted = byPair(await conn.query<Record<string, unknown>>(sqlOf('who-builds-on-whom-edges')));
    expect(read.length).toBe(counted.size);
    const rules = LINEAGE_RULES.map((r) => `by_${r.replaceAll('-', '_')}`);
    for (const r of read) {
      const c = counted.get(`${r['parent_agent']} ${r['child_agent']}`)!;
      expect(c).toBeDefined();
      expect(rules.map((k) => Number(r[k]))).toEqual(rules.map((k) => Number(c[k])));
      expect(rules.reduce((a, k) => a + Number(r[k]), 0)).toBe(Number(r['edges']));
      expect(Number(r['edges'])).toBe(Number(c['edges']));
      if (c['mean_confidence'] === null) expect(r['mean_confidence']).toBeNull();
      else expect(Number(r['mean_confidence'])).toBeCloseTo(Number(c['mean_confidence']), 12);
    }
    return read;
  }

  /** The dead ends read from techniques are those counted here from every lineage node's tokens and its result. */
  async function expectDeadEndsAsCounted(conn: NodeConnector, someDeadEnds: boolean): Promise<void> {
    const counted = await conn.query<Record<string, unknown>>(`WITH uses AS (
  SELECT DISTINCT n.filename, n.agent, n.status = 'negative' OR n.verification = 'invalid' OR coalesce(r.over_cap, false) AS dead, unnest(n.tokens) AS token
  FROM lineage_nodes n LEFT JOIN results r USING (filename)
)
SELECT token, count(*) FILTER (WHERE dead) AS dead_ends, count(*) AS uses, list(DISTINCT agent ORDER BY agent) FILTER (WHERE dead) AS agents
FROM uses GROUP BY token HAVING dead_ends > 0 ORDER BY token`);
    if (someDeadEnds) expect(counted.length).toBeGreaterThan(0);
    const read = await conn.query<Record<string, unknown>>(sqlOf('dead-ends-per-technique'));
    const asCounted = read.map((r) => ({ token: r['token'], dead_ends: r['dead_ends'], uses: r['uses'], agents: r['agents'] }));
    expect(asCounted.sort((a, b) => String(a.token).localeCompare(String(b.token), 'en', { sensitivity: 'variant' }))).toEqual(counted);
  }

  it('lists only examples whose tables are published', () => {
    expect(consoleExamples(DEFAULT_CONFIG, ['results']).map((e) => e.id)).toEqual(['best-verified-per-agent', 'dead-ends-per-method-token']);
    // With techniques, the normalised-token version replaces the raw one.
    expect(consoleExamples(DEFAULT_CONFIG, ['results', 'techniques']).map((e) => e.id)).toEqual(['best-verified-per-agent', 'dead-ends-per-technique', 'techniques-adopted']);
    expect(consoleExamples(DEFAULT_CONFIG, ['relay_chains']).map((e) => e.id)).toEqual(['relays-by-length']);
    expect(consoleExamples(DEFAULT_CONFIG, [])).toEqual([]);
    const ids = allExamples(DEFAULT_CONFIG).map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('names and orders the score from the configuration', async () => {
    const rows = await db.query<Record<string, unknown>>(sqlOf('best-verified-per-agent'));
    expect(rows.map((r) => [r['agent'], r['best verified TPS'], r['result'], r['verified_results']])).toEqual([
      ['beta', 210, '202606-14_b1.md', 1],
      ['alpha', 130, '202606-12_a3.md', 2],
    ]);
    const lower = { ...DEFAULT_CONFIG, score_label: 'Latency "ms"', higher_is_better: false };
    expect(sqlOf('best-verified-per-agent', lower)).not.toMatch(/TPS/);
    const low = await db.query<Record<string, unknown>>(sqlOf('best-verified-per-agent', lower));
    expect(low.map((r) => [r['agent'], r['best verified Latency "ms"']])).toEqual([
      ['alpha', 120],
      ['beta', 210],
    ]);
    expect(ident('a"b')).toBe('"a""b"');
  });

  it('counts dead ends per method token (negative, invalid or over the cap), case-insensitive, against all uses', async () => {
    const rows = await db.query<Record<string, unknown>>(sqlOf('dead-ends-per-method-token'));
    // Computed by hand: a2 (negative: fp8, ctk48, spec), b2 (invalid: spec, nocache), g2 (over the cap: ctk48);
    // highest share first.
    const expected = new Map<string, { dead: number; uses: number; agents: string[] }>([
      ['spec', { dead: 2, uses: 3, agents: ['alpha', 'beta'] }],
      ['ctk48', { dead: 2, uses: 5, agents: ['alpha', 'gamma'] }],
      ['fp8', { dead: 1, uses: 4, agents: ['alpha'] }],
      ['nocache', { dead: 1, uses: 1, agents: ['beta'] }],
    ]);
    expect(rows.map((r) => r['token'])).toEqual(['nocache', 'spec', 'ctk48', 'fp8']);
    for (const r of rows) {
      const e = expected.get(r['token'] as string)!;
      expect([r['dead_ends'], r['uses'], r['agents']]).toEqual([e.dead, e.uses, e.agents]);
      expect(r['dead_end_share']).toBeCloseTo(e.dead / e.uses, 12);
    }
  });

  it('counts replies and mentions between different agents', async () => {
    const rows = await db.query<Record<string, unknown>>(sqlOf('who-replies-to-whom-links'));
    expect(rows).toEqual([{ from_agent: 'beta', to_agent: 'alpha', replies: 3, mentions: 1, posts: 3 }]);
  });

  it('reads the same pairs from agent_links, counted at build time', async () => {
    const pairs = join(dir, 'pairs');
    mkdirSync(pairs);
    await writeTableParquet(pairs, tableByName('agent_links'), agentLinkRows(LINKS as MessageLinkRow[], MESSAGES as MessageRow[], RESULTS as ResultRow[]));
    const built = await createNodeConnector({ dataDir: pairs, tables: ['agent_links'] });
    try {
      expect(await built.query(sqlOf('who-replies-to-whom'))).toEqual([{ from_agent: 'beta', to_agent: 'alpha', replies: 3, mentions: 1, posts: 3 }]);
    } finally {
      built.close();
    }
    // The build-time table replaces the SQL count when it is published.
    expect(consoleExamples(DEFAULT_CONFIG, ['agent_links', 'message_links', 'messages', 'results']).map((e) => e.id)).toContain('who-replies-to-whom');
    expect(consoleExamples(DEFAULT_CONFIG, ['agent_links', 'message_links', 'messages', 'results']).map((e) => e.id)).not.toContain('who-replies-to-whom-links');
  });

  it('agent_links, lineage_agent_pairs and techniques hold what the SQL counts give, on the synthetic sample', async () => {
    const root = mkdtempSync(join(tmpdir(), 'atlas-examples-sample-'));
    try {
      execFileSync(process.execPath, ['--import', 'tsx', 'scripts/make-sample.ts', '--out', root], { cwd: join(import.meta.dirname, '../../..'), stdio: 'pipe' });
      await buildData({ source: join(root, 'export'), out: join(root, 'data'), quiet: true, full: true });
      const sample = await createNodeConnector({ dataDir: join(root, 'data') });
      try {
        const links = await sample.query<Record<string, unknown>>(sqlOf('who-replies-to-whom-links'));
        expect(links.filter((r) => Number(r['mentions']) > 0).length).toBeGreaterThan(0);
        expect(links.filter((r) => Number(r['replies']) > 0).length).toBeGreaterThan(0);
        expect(await sample.query(sqlOf('who-replies-to-whom'))).toEqual(links);
        await expectDeadEndsAsCounted(sample, true);
        const builds = await expectBuildsAsCounted(sample);
        expect(builds.length).toBeGreaterThan(0);
        expect(builds.some((r) => Number(r['by_ref']) > 0) && builds.some((r) => Number(r['by_token']) > 0)).toBe(true);
      } finally {
        sample.close();
      }
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }, 120_000);

  // Like the other real-data tests: runs where ../shared sits beside the checkout (as in CI), skipped elsewhere.
  it.skipIf(!existsSync(REAL))('every example runs on the real export, for both score directions', async () => {
    const out = mkdtempSync(join(tmpdir(), 'atlas-examples-real-'));
    try {
      await buildData({ source: REAL, out, quiet: true });
      const real = await createNodeConnector({ dataDir: out });
      try {
        const published = Object.keys(real.manifest!.tables);
        for (const c of [DEFAULT_CONFIG, { ...DEFAULT_CONFIG, higher_is_better: false, score_label: 'Score' }]) {
          const list = consoleExamples(c, published);
          expect(list.length).toBeGreaterThanOrEqual(3);
          for (const e of list) await expect(real.query(e.sql), e.id).resolves.toBeInstanceOf(Array);
        }
        // agent_links holds the pairs the SQL count over message_links, messages and results gives.
        const links = await real.query(sqlOf('who-replies-to-whom-links'));
        expect(links.length).toBeGreaterThan(0);
        expect(await real.query(sqlOf('who-replies-to-whom'))).toEqual(links);
        // The real export's results hold no dead end (none negative, invalid or over the cap).
        await expectDeadEndsAsCounted(real, false);
        await expectBuildsAsCounted(real);
      } finally {
        real.close();
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
