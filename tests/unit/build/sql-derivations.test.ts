// Tables made by SQL over the published core tables (scripts/build/sql-derivations.ts): each equals its SQL run over
// the same tables in another DuckDB, on samples in both score directions and on the real export (which has no board
// messages: the messages table has no parts, read as an empty table).
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildData } from '../../../scripts/build-data.ts';
import { parquetSource, SQL_DERIVATIONS } from '../../../scripts/build/sql-derivations.ts';
import { writeSampleFolder } from '../../../scripts/sample/output.ts';
import { runQuery } from '../../../src/lib/db/connector.ts';
import { createNodeConnector } from '../../../src/lib/db/node.ts';
import type { Manifest } from '../../../src/lib/manifest.ts';
import { agentSummaries, agentSummarySql, type AgentSummaryRow } from '../../../src/lib/queries/agents.sql.ts';
import { agentSummary, messages as messagesDef } from '../../../src/lib/schema/index.ts';

const REAL = new URL('../../../../shared/gemma-real/', import.meta.url).pathname;
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Build `source`, then compare agent_summary with agentSummarySql run over the built tables by the site's connector. */
async function check(source: string, out: string): Promise<{ rows: AgentSummaryRow[]; manifest: Manifest }> {
  const { manifest } = await buildData({ source, out, quiet: true });
  const db = await createNodeConnector({ dataDir: out });
  try {
    const stored = await runQuery<AgentSummaryRow>(db, agentSummaries(manifest.config));
    const live = await runQuery<AgentSummaryRow>(db, { sql: `${agentSummarySql(manifest.config)} ORDER BY activity_rank`, tables: ['agents', 'messages', 'results', 'runs'] });
    expect(stored).toEqual(live);
    expect(stored.map((r) => r.activity_rank)).toEqual(stored.map((_, i) => i + 1));
    return { rows: stored, manifest };
  } finally {
    db.close();
  }
}

describe('SQL derivations', () => {
  it('declares tables that are not also core or JS-derived outputs', () => {
    expect(SQL_DERIVATIONS.map((d) => d.table.name)).toEqual(['agent_summary']);
    expect(SQL_DERIVATIONS[0]!.table).toBe(agentSummary);
  });

  it.each([
    ['higher', false],
    ['lower', true],
  ] as const)('agent_summary equals its SQL on a sample, %s is better', async (_name, lowerIsBetter) => {
    const root = mkdtempSync(join(tmpdir(), 'atlas-sqlderive-'));
    dirs.push(root);
    const { exportDir } = writeSampleFolder(join(root, 'sample'), { seed: 5, scale: 0.3, lowerIsBetter });
    const { rows, manifest } = await check(exportDir, join(root, 'data'));
    expect(manifest.config.higher_is_better).toBe(!lowerIsBetter);
    expect(manifest.tables['agent_summary']?.rows).toBe(rows.length);
    // Some agent has several ranked results, so the direction of best_score is exercised, not only carried.
    expect(rows.filter((r) => r.results > 1 && r.best_score !== null).length).toBeGreaterThan(0);
    expect(rows.every((r) => r.activity === r.messages + r.results + r.runs)).toBe(true);
  }, 120_000);

  it.skipIf(!existsSync(REAL))('agent_summary on the real export, which has no board messages', async () => {
    const root = mkdtempSync(join(tmpdir(), 'atlas-sqlderive-real-'));
    dirs.push(root);
    const out = join(root, 'data');
    const { rows, manifest } = await check(REAL, out);
    expect(manifest.tables['messages']?.rows).toBe(0);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.messages === 0)).toBe(true);
    // Its one (empty) part is read; a parted table listed with no parts at all is an empty SELECT of its columns.
    expect(parquetSource(out, messagesDef, manifest.tables['messages']!)).toContain('messages.empty.parquet');
    const none = parquetSource(out, messagesDef, { rows: 0, bytes: 0, parts: [] });
    const db = await createNodeConnector({ dataDir: out });
    try {
      const [r] = await runQuery<{ n: number; cols: number }>(db, { sql: `SELECT (SELECT count(*) FROM ${none}) AS n, (SELECT count(*) FROM (DESCRIBE SELECT * FROM ${none})) AS cols`, tables: [] });
      expect(r).toEqual({ n: 0, cols: messagesDef.columns.length });
    } finally {
      db.close();
    }
    expect(JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')).derivations['agent-summary']).toBe('full');
  }, 120_000);
});
