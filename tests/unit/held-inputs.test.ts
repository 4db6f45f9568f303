// The core tables' rows the build keeps for the derivations (scripts/build/write-tables.ts HeldInputs): the union of
// the columns their readers declare, the ingest's own values, a fresh array for each reader, released after the last.
import { describe, expect, it } from 'vitest';
import { HeldInputs } from '../../scripts/build/write-tables.ts';
import type { Derivation } from '../../scripts/derive/index.ts';
import { TABLES } from '../../src/lib/schema/index.ts';

const def = (name: string) => TABLES.find((t) => t.name === name)!;
const reader = (name: string, inputs: string[], columns?: Record<string, string[]>): Derivation =>
  ({ name, tables: [], inputs, ...(columns ? { columns } : {}), run: () => ({}) }) as unknown as Derivation;

const rows = [
  { filename: 'b.md', ts: '2026-06-02T00:00:00.000Z', agent: 'x', body_md: 'second', frontmatter_json: '{"big":1}', refs: ['a.md'] },
  { filename: 'a.md', ts: '2026-06-01T00:00:00.000Z', agent: 'y', body_md: 'first', frontmatter_json: '{"big":2}', refs: [] },
];

describe('held inputs', () => {
  it('keeps only the union of the columns the readers declare, over the same values, in the ingest order', () => {
    const held = new HeldInputs([reader('one', ['messages'], { messages: ['filename', 'ts'] }), reader('two', ['messages'], { messages: ['filename', 'refs'] })]);
    held.keep(def('messages'), rows);
    const got = held.get('messages');
    expect(got.map((r) => Object.keys(r).sort())).toEqual([
      ['filename', 'refs', 'ts'],
      ['filename', 'refs', 'ts'],
    ]);
    expect(got.map((r) => r['filename'])).toEqual(['b.md', 'a.md']);
    expect(got[0]!['refs']).toBe(rows[0]!.refs); // the ingest's value itself, not a copy
  });

  it('keeps every column when a reader declares none, and nothing of a table no derivation reads', () => {
    const held = new HeldInputs([reader('one', ['messages'], { messages: ['filename'] }), reader('all', ['messages'])]);
    held.keep(def('messages'), rows);
    expect(Object.keys(held.get('messages')[0]!).sort()).toEqual(def('messages').columns.map((c) => c.name).sort());
    held.keep(def('runs'), [{ run_dir: 'runs/x' }]);
    expect(held.get('runs')).toEqual([]);
  });

  it("gives each reader its own array (one sorting its rows leaves the next reader's order) and releases after the last reader", () => {
    const plan = [reader('one', ['messages'], { messages: ['filename'] }), reader('other', ['runs']), reader('two', ['messages'], { messages: ['filename'] })];
    const held = new HeldInputs(plan);
    held.keep(def('messages'), rows);
    const first = held.get('messages');
    first.sort((a, b) => String(a['filename']).localeCompare(String(b['filename'])));
    expect(first.map((r) => r['filename'])).toEqual(['a.md', 'b.md']);
    held.release(0);
    held.release(1);
    expect(held.get('messages').map((r) => r['filename'])).toEqual(['b.md', 'a.md']);
    held.release(2);
    expect(held.get('messages')).toEqual([]);
  });
});
