// ResultRows and the helpers of the console runner, on Arrow batches built in Node (no DuckDB-WASM needed).
import { describe, expect, it } from 'vitest';
import { tableFromArrays, tableFromIPC, type RecordBatch } from 'apache-arrow';
import { ResultRows, resultIpc, uniqueNames } from '../../../src/lib/console/runner.ts';

/** One Arrow table of n rows cut into batches of `size` (one schema, as a DuckDB result stream has). */
function batches(n: number, size: number): RecordBatch[] {
  const t = tableFromArrays({
    i: Int32Array.from({ length: n }, (_, k) => k),
    s: Array.from({ length: n }, (_, k) => (k % 5 === 0 ? null : `r${k}`)),
  });
  const whole = t.batches[0]!;
  const out: RecordBatch[] = [];
  for (let start = 0; start < n; start += size) out.push(whole.slice(start, Math.min(n, start + size)));
  return out;
}

describe('ResultRows', () => {
  it('reads rows across batch boundaries, lazily and capped', () => {
    const rows = new ResultRows(batches(1000, 300), ['i', 's'], 700);
    expect(rows.length).toBe(700);
    expect(rows.row(0)).toEqual({ i: 0, s: null });
    expect(rows.row(299)).toEqual({ i: 299, s: 'r299' });
    expect(rows.row(300)).toEqual({ i: 300, s: null });
    expect(rows.row(699)).toEqual({ i: 699, s: 'r699' });
    expect(() => rows.row(700)).toThrow(RangeError);
    expect(rows.column('i')).toHaveLength(700);
    expect(rows.column('i')[650]).toBe(650);
    expect(rows.column('s').filter((v) => v === null)).toHaveLength(140);
    expect(rows.toArray().map((r) => r['i'])).toEqual(Array.from({ length: 700 }, (_, k) => k));
  });

  it('renames duplicate columns like the Node API (a, a:1)', () => {
    expect(uniqueNames(['a', 'a', 'b', 'a'])).toEqual(['a', 'a:1', 'b', 'a:2']);
    expect(uniqueNames(['a', 'a:1', 'a'])).toEqual(['a', 'a:1', 'a:2']);
  });

  it('writes the kept batches as one Arrow IPC stream', () => {
    const b = batches(50, 20);
    const ipc = resultIpc({ batches: b, schema: b[0]!.schema });
    const back = tableFromIPC(ipc);
    expect(back.numRows).toBe(50);
    expect(back.getChild('i')?.get(49)).toBe(49);
  });
});
