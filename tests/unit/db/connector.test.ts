// Pure helpers shared by both connectors: manifest parsing, time conversion, display formatting.
import { describe, expect, test } from 'vitest';
import {
  assertTableName,
  isoDateFromEpochMs,
  isoFromEpochMs,
  isSynthetic,
  parseManifest,
  tableFile,
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

describe('tableFile and isSynthetic', () => {
  const m = parseManifest(
    manifest({ tables: { runs: { rows: 1, bytes: 1, file: 'runs-v2.parquet' }, agents: { rows: 1, bytes: 1, file: 'agents.parquet' } } }),
  );
  test('uses the manifest file name', () => {
    expect(tableFile(m, 'runs')).toBe('runs-v2.parquet');
    expect(tableFile(m, 'agents')).toBe('agents.parquet');
    expect(tableFile(null, 'results')).toBe('results.parquet');
    expect(() => tableFile(null, '../x')).toThrow(/Invalid table name/);
  });
  test('synthetic comes from source.synthetic', () => {
    expect(isSynthetic(m)).toBe(true);
    const real = manifest();
    (real['source'] as Record<string, unknown>)['synthetic'] = false;
    expect(isSynthetic(parseManifest(real))).toBe(false);
    expect(isSynthetic(null)).toBe(false);
  });
});
