// The build's memory helpers: read_json's buffers sized from the longest row written (write-parquet.ts
// maxObjectSize), part hashes that change with a row's value and only for its part, and collect() (memory.ts).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { collect, collectIfLarge, LARGE_HEAP } from '../../scripts/build/memory.ts';
import { loadRows, maxObjectSize, openDuckDb, partFilter, partHashes, partKeyExpr } from '../../scripts/ingest/write-parquet.ts';
import type { TableDef } from '../../src/lib/schema/types.ts';

const dir = mkdtempSync(join(tmpdir(), 'atlas-build-memory-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const def = {
  name: 'notes',
  columns: [
    { name: 'id', type: 'VARCHAR' },
    { name: 'ts', type: 'TIMESTAMP' },
    { name: 'body', type: 'VARCHAR' },
  ],
  orderBy: ['id'],
  partBy: 'ts',
} as unknown as TableDef;

describe('build memory', () => {
  it('sizes read_json for the longest line: a power of two of at least 1 MB holding its UTF-8 bytes', () => {
    for (const n of [0, 10, 349_525, 349_526, 5_000_000]) {
      const size = maxObjectSize(n);
      expect(size).toBeGreaterThanOrEqual(Math.max(1 << 20, 3 * n + 1));
      expect(size & (size - 1)).toBe(0);
      expect(size / 2 < Math.max(1 << 20, 3 * n + 1) || size === 1 << 20).toBe(true);
    }
  });

  it('loads a row far longer than 1 MB of multi-byte text whole, at a 128 MB memory_limit', async () => {
    const prev = process.env['ATLAS_DUCKDB_MEMORY'];
    process.env['ATLAS_DUCKDB_MEMORY'] = '128MB';
    const db = await openDuckDb(':memory:', dir);
    try {
      const long = 'é→'.repeat(1_500_000); // 3,000,000 units, 7.5 MB of UTF-8
      const rows = [
        { id: 'a', ts: '2026-06-01T10:00:00.000Z', body: 'short' },
        { id: 'b', ts: '2026-06-02T10:00:00.000Z', body: long },
      ];
      await loadRows(db.conn, dir, def, 'notes', rows);
      const r = await db.conn.runAndReadAll('SELECT id, length(body)::INTEGER AS n FROM notes ORDER BY id');
      expect(r.getRowObjectsJson().map((o) => [o['id'], o['n']])).toEqual([
        ['a', 5],
        ['b', long.length],
      ]);
    } finally {
      db.close();
      if (prev === undefined) delete process.env['ATLAS_DUCKDB_MEMORY'];
      else process.env['ATLAS_DUCKDB_MEMORY'] = prev;
    }
  });

  it("selects each part's rows by a day's range exactly as by its key, at the day's edges, undated and far-off years", async () => {
    const db = await openDuckDb(':memory:', dir);
    try {
      const stamps = ['2026-06-01T00:00:00.000Z', '2026-06-01T23:59:59.999Z', '2026-06-02T00:00:00.000Z', null, '0044-03-15T12:00:00.000Z', '9999-12-31T23:59:59.999Z', '2026-12-31T23:59:59.999Z'];
      await loadRows(db.conn, dir, def, 'notes', stamps.map((ts, i) => ({ id: `r${i}`, ts, body: 'x' })));
      const q = async (sql: string): Promise<string[]> => (await db.conn.runAndReadAll(sql)).getRows().map((r) => String(r[0]));
      const keys = await q(`SELECT DISTINCT ${partKeyExpr(def)} AS k FROM notes ORDER BY k`);
      expect(keys.length).toBe(6);
      for (const k of keys) {
        const byKey = await q(`SELECT id FROM notes WHERE ${partKeyExpr(def)} = '${k}' ORDER BY id`);
        expect(byKey.length).toBeGreaterThan(0);
        expect(await q(`SELECT id FROM notes WHERE ${partFilter(def, k)} ORDER BY id`)).toEqual(byKey);
      }
    } finally {
      db.close();
    }
  });

  it('gives each part a hash that changes with a row of that part and only then', async () => {
    const db = await openDuckDb(':memory:', dir);
    try {
      const rows = [
        { id: 'a', ts: '2026-06-01T10:00:00.000Z', body: 'one' },
        { id: 'b', ts: '2026-06-01T11:00:00.000Z', body: 'two' },
        { id: 'c', ts: '2026-06-02T10:00:00.000Z', body: 'three' },
      ];
      await loadRows(db.conn, dir, def, 'notes', rows);
      const before = await partHashes(db.conn, def, 'notes');
      expect(before.map((p) => [p.key, p.rows])).toEqual([
        ['2026-06-01', 2],
        ['2026-06-02', 1],
      ]);
      await loadRows(db.conn, dir, def, 'notes', [rows[0]!, { ...rows[1]!, body: 'TWO' }, rows[2]!]);
      const changed = await partHashes(db.conn, def, 'notes');
      expect(changed[0]!.hash).not.toBe(before[0]!.hash);
      expect(changed[1]!.hash).toBe(before[1]!.hash);
      // Row order within a part is the table's order, not the load order: the same rows loaded reversed hash the same.
      await loadRows(db.conn, dir, def, 'notes', [...rows].reverse());
      expect((await partHashes(db.conn, def, 'notes')).map((p) => p.hash)).toEqual(before.map((p) => p.hash));
    } finally {
      db.close();
    }
  });

  it('collects garbage on demand: a large array released before collect() no longer counts in the heap', () => {
    collect();
    const base = process.memoryUsage().heapUsed;
    let big: string[] | null = Array.from({ length: 300_000 }, (_, i) => `row ${i} ${'x'.repeat(100)}`);
    const held = process.memoryUsage().heapUsed;
    expect(held - base).toBeGreaterThan(20 * 2 ** 20);
    expect(big.length).toBe(300_000);
    big = null;
    collect();
    expect(process.memoryUsage().heapUsed - base).toBeLessThan((held - base) / 4);
  });

  it('collects only a large heap: none below LARGE_HEAP, a full collection above it that frees released rows', () => {
    collect();
    const base = process.memoryUsage().heapUsed;
    expect(base).toBeLessThan(LARGE_HEAP); // the test process's own heap
    expect(collectIfLarge()).toBe(false);
    // Arrays of ~10 KB each (1,250 numbers) past the threshold, then released.
    let big: number[][] | null = Array.from({ length: Math.ceil((LARGE_HEAP - base) / 10_000) + 1000 }, (_, i) => new Array<number>(1250).fill(i));
    expect(process.memoryUsage().heapUsed).toBeGreaterThan(LARGE_HEAP);
    expect(big.length).toBeGreaterThan(0);
    big = null;
    expect(collectIfLarge()).toBe(true);
    expect(process.memoryUsage().heapUsed).toBeLessThan(LARGE_HEAP);
  }, 30_000);
});
