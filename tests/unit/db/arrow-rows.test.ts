// arrowToRows on lists of strings: the one-decode ASCII path gives the values item-by-item decoding gives.
import fc from 'fast-check';
import { Bool, Field, Float64, Int32, Int64, List, makeData, makeVector, Table, TimestampMicrosecond, TimestampMillisecond, TimestampSecond, Utf8, vectorFromArray } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { arrowToRows, asciiStrings } from '../../../src/lib/db/browser.ts';

type Lists = (readonly (string | null)[] | null)[];
const listType = new List(new Field('item', new Utf8(), true));
type Rowsable = Parameters<typeof arrowToRows>[0];
const tableOf = (lists: Lists) => new Table({ l: vectorFromArray(lists, listType) }) as unknown as Rowsable & Table;

describe('arrowToRows: lists of strings', () => {
  it('reads ASCII lists in one decode and other lists item by item, nulls kept', () => {
    const lists: Lists = [['ab', 'c', null, ''], null, [], ['héllo', 'x'], ['日本', null], ['a\u0000b', 'z']];
    const t = tableOf(lists);
    expect(arrowToRows(t).map((r) => r['l'])).toEqual(lists);
    const col = t.getChildAt(0)!;
    expect(asciiStrings(col.get(0))).toEqual(['ab', 'c', null, '']);
    // A list with a byte above 0x7f is left to Arrow's own decoding.
    expect(asciiStrings(col.get(3))).toBeNull();
  });

  it('reads sliced batches (offsets not starting at zero) as the whole table does', () => {
    const lists: Lists = Array.from({ length: 40 }, (_, i) => (i % 7 === 3 ? null : Array.from({ length: i % 5 }, (_, k) => (k === 2 ? null : `agent-${i}-${k}`))));
    const batch = tableOf(lists).batches[0]!;
    const part = batch.slice(11, 29);
    expect(arrowToRows(part as unknown as Rowsable).map((r) => r['l'])).toEqual(lists.slice(11, 29));
  });

  it('matches the source values for any lists of any strings', () => {
    const str = fc.oneof(fc.string({ unit: 'grapheme-ascii', maxLength: 8 }), fc.string({ unit: 'binary', maxLength: 6 }), fc.constant(null));
    fc.assert(
      fc.property(fc.array(fc.option(fc.array(str, { maxLength: 6 }), { nil: null }), { minLength: 1, maxLength: 12 }), (lists) => {
        expect(arrowToRows(tableOf(lists)).map((r) => r['l'])).toEqual(lists);
      }),
      { numRuns: 200 },
    );
  });
});

describe('arrowToRows: whole columns read a chunk at a time', () => {
  const cols = (t: Table, names: readonly string[]) => arrowToRows(t as unknown as Rowsable).map((r) => names.map((n) => r[n]));
  const str = fc.oneof(fc.string({ unit: 'grapheme-ascii', maxLength: 8 }), fc.string({ unit: 'binary', maxLength: 6 }), fc.constant(null));
  const row = fc.record({
    s: str,
    f: fc.option(fc.double({ noNaN: true }), { nil: null }),
    i: fc.option(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), { nil: null }),
  });
  const tableOfRows = (rows: { s: string | null; f: number | null; i: number | null }[]) =>
    new Table({
      s: vectorFromArray(rows.map((r) => r.s), new Utf8()),
      f: vectorFromArray(rows.map((r) => r.f), new Float64()),
      i: vectorFromArray(rows.map((r) => r.i), new Int32()),
    });

  it('strings (ASCII or not), doubles and 32-bit integers with nulls, over several batches and sliced ones', () => {
    fc.assert(
      fc.property(fc.array(fc.array(row, { minLength: 1, maxLength: 9 }), { minLength: 1, maxLength: 4 }), fc.nat(), fc.nat(), (batches, a, b) => {
        const all = batches.flat();
        // Several record batches: the column has one chunk per batch.
        const t = new Table(batches.map((rs) => tableOfRows(rs).batches[0]!));
        expect(cols(t, ['s', 'f', 'i'])).toEqual(all.map((r) => [r.s, r.f, r.i]));
        // A slice of one batch: offsets and values start inside the buffers, validity does not.
        const whole = tableOfRows(all);
        const from = a % all.length;
        const to = from + (b % (all.length - from + 1));
        const part = whole.batches[0]!.slice(from, to);
        expect(arrowToRows(part as unknown as Rowsable).map((r) => [r['s'], r['f'], r['i']])).toEqual(all.slice(from, to).map((r) => [r.s, r.f, r.i]));
      }),
      { numRuns: 300 },
    );
  });

  it('booleans with nulls, over several batches and sliced ones (their bits start at the slice offset)', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.option(fc.boolean(), { nil: null }), { minLength: 1, maxLength: 20 }), { minLength: 1, maxLength: 3 }), fc.nat(), fc.nat(), (batches, a, b) => {
        const all = batches.flat();
        const t = new Table(batches.map((xs) => new Table({ b: vectorFromArray(xs, new Bool()) }).batches[0]!));
        expect(arrowToRows(t as unknown as Rowsable).map((r) => r['b'])).toEqual(all);
        const from = a % all.length;
        const to = from + (b % (all.length - from + 1));
        const part = new Table({ b: vectorFromArray(all, new Bool()) }).batches[0]!.slice(from, to);
        expect(arrowToRows(part as unknown as Rowsable).map((r) => r['b'])).toEqual(all.slice(from, to));
      }),
      { numRuns: 300 },
    );
  });

  it('leaves 64-bit integers to the value-by-value path', () => {
    const t = new Table({
      b: vectorFromArray([true, null, false], new Bool()),
      n: vectorFromArray([1n, null, -(2n ** 40n)], new Int64()),
    });
    expect(cols(t, ['b', 'n'])).toEqual([
      [true, 1],
      [null, null],
      [false, -(2 ** 40)],
    ]);
  });
});

describe('arrowToRows: timestamps read a chunk at a time', () => {
  const vectorOf = (type: TimestampSecond | TimestampMillisecond | TimestampMicrosecond, values: (bigint | null)[]) => {
    const valid = values.map((v) => v !== null);
    const bitmap = new Uint8Array(Math.ceil(values.length / 8));
    valid.forEach((ok, i) => {
      if (ok) bitmap[i >> 3]! |= 1 << (i & 7);
    });
    return makeVector(makeData({ type, length: values.length, nullCount: valid.filter((ok) => !ok).length, nullBitmap: bitmap, data: BigInt64Array.from(values.map((v) => v ?? 0n)) }));
  };

  it.each([
    ['seconds', () => new TimestampSecond(), 10n ** 10n],
    ['milliseconds', () => new TimestampMillisecond(), 10n ** 13n],
    ['microseconds', () => new TimestampMicrosecond(), 10n ** 16n],
  ] as const)('%s give the ISO text Arrow’s own value gives', (_unit, type, range) => {
    fc.assert(
      fc.property(fc.array(fc.option(fc.bigInt({ min: -range, max: range }), { nil: null }), { minLength: 1, maxLength: 20 }), (values) => {
        const v = vectorOf(type(), values);
        const expected = values.map((_, i) => (v.get(i) === null ? null : new Date(Number(v.get(i))).toISOString()));
        expect(arrowToRows(new Table({ t: v }) as unknown as Rowsable).map((r) => r['t'])).toEqual(expected);
      }),
      { numRuns: 200 },
    );
  });
});
