// The whole data build: Parquet tables that match the schema module, a manifest, and byte-identical rebuilds.
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { buildData } from '../../../scripts/build-data.ts';
import { TABLES } from '../../../src/lib/schema/index.ts';
import { tableFiles } from '../../../src/lib/db/connector.ts';

const FIXTURE = new URL('../../fixtures/broken-export', import.meta.url).pathname;

describe('buildData', () => {
  it('writes each schema table (one file, or its parts) with the schema columns and types', { timeout: 60_000 }, async () => {
    const out = mkdtempSync(join(tmpdir(), 'atlas-out-'));
    const { manifest } = await buildData({ source: FIXTURE, out, quiet: true });
    const files = TABLES.flatMap((t) => tableFiles(manifest, t.name).map((f) => f.file));
    expect(readdirSync(out).sort()).toEqual([...files, 'manifest.json'].sort());
    const db = await DuckDBInstance.create(':memory:');
    const c = await db.connect();
    for (const t of TABLES) {
      const entry = manifest.tables[t.name]!;
      // A table that grows with time is published in parts, one per UTC day of its partBy column; the others in one file.
      expect(entry.parts !== undefined, t.name).toBe(t.partBy !== undefined);
      if (t.partBy) expect(t.columns.find((x) => x.name === t.partBy)?.type, t.name).toBe('TIMESTAMP');
      for (const f of tableFiles(manifest, t.name)) {
        const r = await c.runAndReadAll(`DESCRIBE SELECT * FROM '${join(out, f.file)}'`);
        const cols = r.getRowObjectsJson().map((x) => [x['column_name'], x['column_type']]);
        expect(cols).toEqual(t.columns.map((x) => [x.name, x.type]));
      }
      for (const p of entry.parts ?? []) {
        // Each part holds exactly the rows of its day (or the undated ones), as many as the manifest says.
        const day = `coalesce(strftime("${t.partBy}", '%Y-%m-%d'), 'undated')`;
        const k = await c.runAndReadAll(`SELECT count(*)::INT AS n, count(*) FILTER (WHERE ${day} <> '${p.key}')::INT AS other FROM '${join(out, p.file)}'`);
        expect(k.getRowObjectsJson()[0], p.file).toEqual({ n: p.rows, other: 0 });
      }
      const list = tableFiles(manifest, t.name).map((f) => `'${join(out, f.file)}'`);
      const n = await c.runAndReadAll(`SELECT count(*)::INT AS n FROM read_parquet([${list.join(', ')}])`);
      expect(entry.rows).toBe(n.getRowObjectsJson()[0]?.['n']);
    }
    expect(manifest.rejects).toBe(manifest.tables['rejects']?.rows);
    expect(manifest.rejects).toBeGreaterThan(10);
    expect(manifest.source.files).toBe(21);
    expect(manifest.source.input_hash).toMatch(/^[0-9a-f]{64}$/);
    c.closeSync();
    db.closeSync();
  });

  it('is deterministic: two builds of the same input are byte-identical', { timeout: 60_000 }, async () => {
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
