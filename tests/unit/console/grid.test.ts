import { describe, expect, it } from 'vitest';
import { columnWidths, sampleRows, sortOrder } from '../../../src/lib/console/grid.ts';
import { chartColumns, defaultChart, quickChart, COUNT } from '../../../src/lib/console/chart.ts';
import { arrayRows, type ResultColumn, type Row } from '../../../src/lib/console/format.ts';
import { serverDocument } from '../../../src/lib/charts/ssr.ts';

const rows: Row[] = [
  { a: 3, s: 'b', t: '2026-01-02T00:00:00.000Z' },
  { a: null, s: 'a', t: null },
  { a: 1, s: 'c', t: '2026-01-01T00:00:00.000Z' },
  { a: 3, s: null, t: '2026-01-03T00:00:00.000Z' },
];
const cols: ResultColumn[] = [
  { name: 'a', type: 'INTEGER', kind: 'number' },
  { name: 's', type: 'VARCHAR', kind: 'string' },
  { name: 't', type: 'TIMESTAMP', kind: 'timestamp' },
];

describe('grid sorting and widths', () => {
  it('sorts stably with NULLs last in both directions', () => {
    const col = (k: string) => arrayRows(rows).column(k);
    expect([...sortOrder(col('a'), 'ascending')]).toEqual([2, 0, 3, 1]);
    expect([...sortOrder(col('a'), 'descending')]).toEqual([0, 3, 2, 1]);
    expect([...sortOrder(col('s'), 'descending')]).toEqual([2, 0, 1, 3]);
    expect([...sortOrder(col('t'), 'ascending')]).toEqual([2, 0, 3, 1]);
    expect([...sortOrder([2, null, Number.NaN, -1, 2, -Infinity], 'descending')]).toEqual([0, 4, 3, 5, 2, 1]);
    expect([...sortOrder([2, null, Number.NaN, -1, 2, -Infinity], 'ascending')]).toEqual([5, 3, 0, 4, 2, 1]);
  });

  // Correctness at size only: how fast it sorts is a benchmark's figure, not a test's (this machine is shared).
  it('sorts 100,000 rows, numbers ascending and text descending', () => {
    const many: Row[] = Array.from({ length: 100_000 }, (_, i) => ({ x: (i * 7919) % 100_003, s: `r${(i * 31) % 977}` }));
    const o = sortOrder(arrayRows(many).column('x'), 'ascending');
    const o2 = sortOrder(arrayRows(many).column('s'), 'descending');
    expect(new Set(o).size).toBe(100_000);
    expect(new Set(o2).size).toBe(100_000);
    const x = (i: number) => many[i]!['x'] as number;
    const t = (i: number) => many[i]!['s'] as string;
    expect(o.every((r, i) => i === 0 || x(o[i - 1]!) <= x(r))).toBe(true);
    expect(o2.every((r, i) => i === 0 || t(o2[i - 1]!) >= t(r))).toBe(true);
  });

  it('samples the first, middle and last rows for widths', () => {
    expect(sampleRows(5, 2)).toEqual([0, 1, 2, 3, 4]);
    expect(sampleRows(100, 4)).toEqual([0, 1, 2, 3, 48, 49, 50, 51, 96, 97, 98, 99]);
    expect(sampleRows(0)).toEqual([]);
    const many = arrayRows(Array.from({ length: 1000 }, (_, i) => ({ s: i < 990 ? 'x' : 'a much longer value' })));
    expect(columnWidths([{ name: 's', type: 'VARCHAR', kind: 'string' }], many)).toEqual(['a much longer value'.length + 2]);
  });

  it('sizes columns from header, type and values, within bounds', () => {
    const w = columnWidths([...cols, { name: 'long', type: 'VARCHAR', kind: 'string' }], arrayRows(rows.map((r) => ({ ...r, long: 'x'.repeat(500) }))));
    expect(w[0]).toBe(9);
    expect(w[2]).toBeGreaterThanOrEqual('2026-01-02 00:00:00'.length);
    expect(w[3]).toBe(48);
  });
});

describe('quick chart', () => {
  it('offers plain columns and guesses a time line', () => {
    expect(chartColumns(cols).y.map((c) => c.name)).toEqual(['a', 't']);
    expect(defaultChart(cols)).toEqual({ x: 't', y: 'a', mark: 'line' });
    expect(defaultChart([cols[1]!])).toEqual({ x: 's', y: COUNT, mark: 'bar' });
  });

  it('draws every mark to SVG without inline scripts', () => {
    const document = serverDocument();
    for (const mark of ['dot', 'line', 'bar'] as const) {
      for (const [x, y] of [['t', 'a'], ['s', 'a'], ['a', 'a'], ['s', COUNT]] as const) {
        const el = quickChart(rows, cols, { x, y, mark }, { document, width: 500 });
        const svg = el.tagName.toLowerCase() === 'svg' ? el : el.querySelector('svg');
        expect(svg, `${mark} ${x} ${y}`).toBeTruthy();
        expect(el.outerHTML).not.toMatch(/<script/);
      }
    }
  });
});
