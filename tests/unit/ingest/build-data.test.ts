// The whole data build: Parquet tables that match the schema module, a manifest, and byte-identical rebuilds.
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { buildData } from '../../../scripts/build-data.ts';
import { TABLES } from '../../../src/lib/schema/index.ts';

const FIXTURE = new URL('../../fixtures/broken-export', import.meta.url).pathname;

describe('buildData', () => {
  it('writes one Parquet file per schema table with the schema columns and types', async () => {
    const out = mkdtempSync(join(tmpdir(), 'atlas-out-'));
    const { manifest } = await buildData({ source: FIXTURE, out, quiet: true });
    expect(readdirSync(out).sort()).toEqual([...TABLES.map((t) => `${t.name}.parquet`), 'manifest.json'].sort());
    const db = await DuckDBInstance.create(':memory:');
    const c = await db.connect();
    for (const t of TABLES) {
      const r = await c.runAndReadAll(`DESCRIBE SELECT * FROM '${join(out, `${t.name}.parquet`)}'`);
      const cols = r.getRowObjectsJson().map((x) => [x['column_name'], x['column_type']]);
      expect(cols).toEqual(t.columns.map((x) => [x.name, x.type]));
      const n = await c.runAndReadAll(`SELECT count(*)::INT AS n FROM '${join(out, `${t.name}.parquet`)}'`);
      expect(manifest.tables[t.name]?.rows).toBe(n.getRowObjectsJson()[0]?.['n']);
    }
    expect(manifest.rejects).toBe(manifest.tables['rejects']?.rows);
    expect(manifest.rejects).toBeGreaterThan(10);
    expect(manifest.source.files).toBe(21);
    expect(manifest.source.input_hash).toMatch(/^[0-9a-f]{64}$/);
    c.closeSync();
    db.closeSync();
  });

  it('is deterministic: two builds of the same input are byte-identical', async () => {
    const a = mkdtempSync(join(tmpdir(), 'atlas-a-'));
    const b = mkdtempSync(join(tmpdir(), 'atlas-b-'));
    await buildData({ source: FIXTURE, out: a, quiet: true });
    await buildData({ source: FIXTURE, out: b, quiet: true });
    for (const f of readdirSync(a)) expect(readFileSync(join(b, f)).equals(readFileSync(join(a, f))), f).toBe(true);
  });

  it('says what to do when the source is missing', async () => {
    await expect(buildData({ source: '/nonexistent/export', out: tmpdir(), quiet: true })).rejects.toThrow(/does not exist.*--source/);
  });
});
