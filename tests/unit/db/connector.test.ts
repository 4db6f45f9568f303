// Pure helpers shared by both connectors: manifest parsing, time conversion, display formatting.
import { describe, expect, test } from 'vitest';
import {
  assertTableName,
  isoDateFromEpochMs,
  isoFromEpochMs,
  isSynthetic,
  parseManifest,
  tableFiles,
  timeFromMicros,
} from '../../../src/lib/db/connector.ts';
import { formatCell } from '../../../src/lib/db/format.ts';

/** A manifest as the data build writes it, with `over` laid on top. */
const manifest = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  schema_version: 1,
  generator: { name: 'collab-atlas', version: '0.1.0' },
  source: { name: 'Test', synthetic: true, input_hash: 'abc', files: 3, files_per_part: { runs: 3 } },
  config: { title: 'Test' },
  data_as_of: '2026-06-13T00:00:00.000Z',
  tables: { runs: { rows: 3, bytes: 10, file: 'runs.parquet' } },
  rejects: 0,
  ...over,
});

/** A part of `runs` as the data build lists it. */
const part = (key: string, rows: number) => ({ key, file: `runs.${key}.parquet`, rows, bytes: 100 + rows });

describe('parseManifest', () => {
  test('accepts the shape the data build writes', () => {
    const m = parseManifest(manifest());
    expect(m.tables['runs']?.rows).toBe(3);
    expect(m.source.synthetic).toBe(true);
  });
  test.each([
    [null, /not a JSON object/],
    [[], /not a JSON object/],
    [manifest({ schema_version: undefined }), /schema_version/],
    [manifest({ tables: [] }), /tables: /],
    [manifest({ tables: { Runs: { rows: 1, bytes: 1, file: 'Runs.parquet' } } }), /tables\.Runs: /],
    [manifest({ tables: { runs: { rows: '3', bytes: 1, file: 'runs.parquet' } } }), /tables\.runs\.rows: /],
    [manifest({ tables: { runs: { rows: 1, bytes: 1, file: '../etc/x.parquet' } } }), /tables\.runs\.file: /],
    [manifest({ source: { synthetic: true } }), /source\.name: /],
    [manifest({ tables: { runs: { rows: 1, bytes: 1 } } }), /tables\.runs: needs exactly one of file or parts/],
    [manifest({ tables: { runs: { rows: 1, bytes: 1, file: 'runs.parquet', parts: [part('a', 1)] } } }), /tables\.runs: needs exactly one of file or parts/],
    [manifest({ tables: { runs: { rows: 0, bytes: 0, parts: [] } } }), /tables\.runs\.parts: lists no part/],
    [manifest({ tables: { runs: { rows: 3, bytes: 2, parts: [part('a', 1), part('b', 1)] } } }), /tables\.runs: rows is not the sum of its parts/],
    [manifest({ tables: { runs: { rows: 2, bytes: 2, parts: [part('a', 1), { ...part('b', 1), file: 'runs.a.parquet' }] } } }), /lists a part file twice/],
    [manifest({ tables: { runs: { rows: 1, bytes: 1, parts: [{ ...part('a', 1), key: '../x' }] } } }), /tables\.runs\.parts\.0\.key: /],
    [manifest({ tables: { runs: { rows: 1, bytes: 1, parts: [{ ...part('a', 1), file: 'sub/runs.a.parquet' }] } } }), /tables\.runs\.parts\.0\.file: /],
  ])('rejects %j', (input, why) => {
    expect(() => parseManifest(input)).toThrow(why);
  });
});

test('assertTableName allows plain lower-case identifiers only', () => {
  expect(assertTableName('message_links')).toBe('message_links');
  for (const bad of ['', 'Runs', '1runs', 'runs;', 'a"b', 'a b', 'ünï']) expect(() => assertTableName(bad)).toThrow();
});

describe('time conversion', () => {
  test('epoch ms to ISO, dates, and DuckDB-style TIME text', () => {
    expect(isoFromEpochMs(0)).toBe('1970-01-01T00:00:00.000Z');
    expect(isoFromEpochMs(Date.UTC(2026, 5, 13, 23, 4, 41, 229))).toBe('2026-06-13T23:04:41.229Z');
    expect(isoFromEpochMs(Number.NaN)).toBe('NaN');
    expect(isoDateFromEpochMs(Date.UTC(2026, 0, 2))).toBe('2026-01-02');
    expect(timeFromMicros(0n)).toBe('00:00:00');
    expect(timeFromMicros(45_296_500_000n)).toBe('12:34:56.5');
    expect(timeFromMicros(86_399_999_999)).toBe('23:59:59.999999');
  });
});

describe('formatCell', () => {
  test.each([
    [null, ''],
    [undefined, ''],
    [1234567.891234, '1,234,567.891'],
    [0, '0'],
    [Number.NaN, 'NaN'],
    [['a', 'b'], 'a, b'],
    [[], ''],
    [{ a: 1 }, '{"a":1}'],
    ['<b>ünï</b>', '<b>ünï</b>'],
    [true, 'true'],
    [new Uint8Array(3), '3 bytes'],
  ])('%j -> %j', (value, text) => {
    expect(formatCell(value)).toBe(text);
  });
});

describe('tableFiles and isSynthetic', () => {
  const m = parseManifest(
    manifest({
      tables: {
        runs: { rows: 1, bytes: 1, file: 'runs-v2.parquet' },
        agents: { rows: 1, bytes: 7, file: 'agents.parquet' },
        messages: { rows: 5, bytes: 209, parts: [{ ...part('2026-06-13', 2), file: 'messages.2026-06-13.parquet' }, { ...part('2026-06-14', 3), file: 'messages.2026-06-14.parquet' }] },
      },
    }),
  );
  test('one file: the manifest file name and its size; none listed: <name>.parquet', () => {
    expect(tableFiles(m, 'runs')).toEqual([{ file: 'runs-v2.parquet', bytes: 1 }]);
    expect(tableFiles(m, 'agents')).toEqual([{ file: 'agents.parquet', bytes: 7 }]);
    expect(tableFiles(null, 'results')).toEqual([{ file: 'results.parquet', bytes: null }]);
    expect(() => tableFiles(null, '../x')).toThrow(/Invalid table name/);
  });
  test('a table in parts: every part, in manifest order, each with its own size', () => {
    expect(tableFiles(m, 'messages')).toEqual([
      { file: 'messages.2026-06-13.parquet', bytes: 102 },
      { file: 'messages.2026-06-14.parquet', bytes: 103 },
    ]);
  });
  test('synthetic comes from source.synthetic', () => {
    expect(isSynthetic(m)).toBe(true);
    const real = manifest();
    (real['source'] as Record<string, unknown>)['synthetic'] = false;
    expect(isSynthetic(parseManifest(real))).toBe(false);
    expect(isSynthetic(null)).toBe(false);
  });
});
