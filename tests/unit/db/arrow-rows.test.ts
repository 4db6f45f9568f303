// arrowToRows on lists of strings: the one-decode ASCII path gives the values item-by-item decoding gives.
import fc from 'fast-check';
import { Field, List, Table, Utf8, vectorFromArray } from 'apache-arrow';
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
