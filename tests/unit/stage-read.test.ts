// Tables read back from the build's staging database (scripts/build/stage.ts `read`): the values the ingest made
// (TIMESTAMP an ISO string, BIGINT and DOUBLE numbers, lists arrays, NULL null), only the columns asked for, a core
// table in insertion order across read batches, a derived one in its stable order.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Stage } from '../../scripts/build/stage.ts';
import type { TableDef } from '../../src/lib/schema/types.ts';

const dir = mkdtempSync(join(tmpdir(), 'atlas-stage-read-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const def = {
  name: 'things',
  columns: [
    { name: 'id', type: 'VARCHAR' },
    { name: 'ts', type: 'TIMESTAMP' },
    { name: 'big', type: 'BIGINT' },
    { name: 'n', type: 'INTEGER' },
    { name: 'x', type: 'DOUBLE' },
    { name: 'ok', type: 'BOOLEAN' },
    { name: 'tags', type: 'VARCHAR[]' },
    { name: 'nums', type: 'INTEGER[]' },
    { name: 'body', type: 'VARCHAR' },
  ],
  orderBy: ['id'],
} as unknown as TableDef;

const row = (i: number): Record<string, unknown> => ({
  id: `id-${String(20_000 - i).padStart(6, '0')}`, // descending: insertion order is not the stable order
  ts: i % 7 === 0 ? null : new Date(Date.UTC(2026, 5, 1) + i * 1_234_567 + (i % 1000)).toISOString(),
  big: i % 5 === 0 ? null : 2 ** 40 + i,
  n: i % 3 === 0 ? null : i - 500,
  x: i % 11 === 0 ? null : [0.1, 1 / 3, -2.5e-8, 1e21, 123456.789, 0][i % 6]! * (i + 1),
  ok: i % 4 === 0 ? null : i % 2 === 0,
  tags: i % 6 === 0 ? null : i % 6 === 1 ? [] : [`t${i}`, 'é→😀', ...(i % 9 === 0 ? [null] : [])],
  nums: i % 8 === 0 ? null : [i, -i],
  body: i === 3 ? 'x'.repeat(200_000) : i % 10 === 0 ? null : `line "${i}"\n\ttab \\ back ${'ü'.repeat(i % 50)}`,
});

describe('stage read', () => {
  it('gives back the ingest values of a core table in insertion order, only the columns asked for', async () => {
    const stage = await Stage.open(join(dir, 'a'));
    try {
      const rows = Array.from({ length: 20_000 }, (_, i) => row(i)); // more than one read batch
      await stage.load(def, rows);
      const all = await stage.read(def);
      expect(all).toEqual(rows);
      expect(Object.keys(all[1]!)).toEqual(def.columns.map((c) => c.name));
      const some = await stage.read(def, { columns: ['tags', 'id'] });
      expect(some).toEqual(rows.map((r) => ({ id: r['id'], tags: r['tags'] })));
      expect((await stage.read(def, { columns: [] })).length).toBe(rows.length);
    } finally {
      stage.close(true);
    }
  });

  it('reads a derived table in its stable order, and an empty table as no rows', async () => {
    const stage = await Stage.open(join(dir, 'b'));
    try {
      const rows = Array.from({ length: 50 }, (_, i) => row(i));
      await stage.load(def, rows);
      const got = await stage.read(def, { derived: true });
      expect(got.map((r) => r['id'])).toEqual(rows.map((r) => r['id'] as string).sort());
      await stage.load(def, []);
      expect(await stage.read(def)).toEqual([]);
      expect(await stage.read(def, { derived: true })).toEqual([]);
    } finally {
      stage.close(true);
    }
  });
});
