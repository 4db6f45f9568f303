import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  columnKind,
  compareValues,
  csvField,
  csvLines,
  displayNumber,
  displayTimestamp,
  displayValue,
  duckdbTypeName,
  inspectValue,
  jsonText,
  numberText,
  type Row,
} from '../../../src/lib/console/format.ts';

const ROWS: Row[] = [
  { id: 1, s: 'plain', n: 1.5, ts: '2026-06-13T23:04:41.229Z', l: ['a', 'b'], st: { x: 5, y: null }, b: true },
  { id: 2, s: 'comma, "quote"\nnewline', n: null, ts: null, l: [], st: null, b: false },
  { id: 3, s: '', n: -0.000001, ts: '2026-06-14T00:00:00.000Z', l: null, st: { x: -1, y: 'ü' }, b: null },
  { id: 4, s: 'zoë ✓ 😀\r\nCRLF', n: Number.NaN, ts: null, l: ['x,y', null], st: null, b: null },
];
const COLS = ['id', 's', 'n', 'ts', 'l', 'st', 'b'];

describe('CSV (RFC 4180)', () => {
  it('quotes fields with commas, quotes, CR or LF and doubles the quotes', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('line\nbreak')).toBe('"line\nbreak"');
    expect(csvField('cr\rx')).toBe('"cr\rx"');
    expect(csvField(' spaced ')).toBe(' spaced ');
  });

  it('keeps NULL (empty field) apart from the empty string ("")', () => {
    expect(csvField(null)).toBe('');
    expect(csvField(undefined)).toBe('');
    expect(csvField('')).toBe('""');
  });

  it('writes numbers at full precision, booleans as true/false, nested values as JSON', () => {
    expect(csvField(0.1 + 0.2)).toBe('0.30000000000000004');
    expect(csvField(1e21)).toBe('1e+21');
    expect(csvField(Number.NaN)).toBe('nan');
    expect(csvField(-Infinity)).toBe('-inf');
    expect(csvField(true)).toBe('true');
    expect(csvField(['a', 'b,c'])).toBe('"[""a"",""b,c""]"');
    expect(csvField({ x: 1 })).toBe('"{""x"":1}"');
    expect(csvField(new Uint8Array([0, 255]))).toBe('\\x00\\xFF');
  });

  it('ends every record with CRLF, header first', () => {
    const text = csvLines(COLS, ROWS);
    expect(text.split('\r\n')[0]).toBe('id,s,n,ts,l,st,b');
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text).toContain('2,"comma, ""quote""\nnewline",,,[],,false\r\n');
    expect(text).toContain('3,"",-0.000001,2026-06-14T00:00:00.000Z,,"{""x"":-1,""y"":""ü""}",\r\n');
    expect(csvLines(['a'], [], true)).toBe('a\r\n');
  });

  it('reads back in DuckDB with the same values (read_csv, all columns as text)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'atlas-csv-'));
    try {
      const file = join(dir, 'x.csv');
      writeFileSync(file, csvLines(COLS, ROWS));
      const inst = await DuckDBInstance.create(':memory:');
      const conn = await inst.connect();
      const reader = await conn.runAndReadAll(
        // allow_quoted_nulls = false: a quoted empty field is the empty string, an unquoted one NULL.
        `SELECT * FROM read_csv('${file}', header = true, all_varchar = true, quote = '"', escape = '"', delim = ',', allow_quoted_nulls = false) ORDER BY id::INTEGER`,
      );
      const got = reader.getRowObjectsJS();
      conn.closeSync();
      inst.closeSync();
      expect(got.map((r) => r['s'])).toEqual(['plain', 'comma, "quote"\nnewline', '', 'zoë ✓ 😀\r\nCRLF']);
      expect(got.map((r) => r['n'])).toEqual(['1.5', null, '-0.000001', 'nan']);
      expect(got.map((r) => r['l'])).toEqual(['["a","b"]', '[]', null, '["x,y",null]']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('JSON', () => {
  it('writes an array of row objects in column order that JSON.parse reads back', () => {
    const text = jsonText(COLS, ROWS);
    const back = JSON.parse(text) as Record<string, unknown>[];
    expect(back).toHaveLength(4);
    expect(Object.keys(back[0]!)).toEqual(COLS);
    expect(back[0]).toEqual({ id: 1, s: 'plain', n: 1.5, ts: '2026-06-13T23:04:41.229Z', l: ['a', 'b'], st: { x: 5, y: null }, b: true });
    expect(back[1]!['s']).toBe('comma, "quote"\nnewline');
    expect(back[3]!['s']).toBe('zoë ✓ 😀\r\nCRLF');
    // JSON has no NaN: it becomes null.
    expect(back[3]!['n']).toBeNull();
    // One row per line, so large files stream and diff well.
    expect(text.split('\n')).toHaveLength(ROWS.length + 3);
  });

  it('writes an empty result as []; BLOBs as base64; missing keys as null', () => {
    expect(JSON.parse(jsonText(['a'], []))).toEqual([]);
    expect(JSON.parse(jsonText(['b', 'c'], [{ b: new Uint8Array([104, 105]) }]))).toEqual([{ b: 'aGk=', c: null }]);
  });
});

describe('display text', () => {
  it('formats numbers for reading', () => {
    expect(displayNumber(1234567)).toBe('1,234,567');
    expect(displayNumber(131.25)).toBe('131.25');
    expect(displayNumber(0.123456789)).toBe('0.123457');
    expect(displayNumber(12345.6789)).toBe('12,345.6789');
    expect(displayNumber(149998.5)).toBe('149,998.5');
    expect(displayNumber(506.9985029229522)).toBe('506.998503');
    expect(displayNumber(12345678901.25)).toBe('12,345,678,901.3');
    expect(displayNumber(-2.5)).toBe('-2.5');
    expect(displayNumber(0)).toBe('0');
    expect(displayNumber(1.5e21)).toBe('1.5e+21');
    expect(displayNumber(3.2e-7)).toBe('3.2e-7');
    expect(displayNumber(Number.NaN)).toBe('NaN');
    expect(displayNumber(-Infinity)).toBe('-Infinity');
  });

  it('shows timestamps in UTC without T and Z, NULL as NULL, lists and structs like DuckDB', () => {
    expect(displayTimestamp('2026-06-13T23:04:41.229Z')).toBe('2026-06-13 23:04:41.229');
    expect(displayValue('2026-06-13T23:04:41.000Z', 'timestamp')).toBe('2026-06-13 23:04:41');
    expect(displayValue(null, 'number')).toBe('NULL');
    expect(displayValue(['a', null, "it's"], 'list')).toBe("['a', NULL, 'it''s']");
    expect(displayValue([], 'list')).toBe('[]');
    expect(displayValue({ x: 5, d: 1.25, t: '2026-01-01T00:00:01.500Z', l: [1, 2] }, 'struct')).toBe(
      '{x: 5, d: 1.25, t: 2026-01-01 00:00:01.500, l: [1, 2]}',
    );
    expect(displayValue(true, 'boolean')).toBe('true');
    expect(displayValue(new Uint8Array([1, 171]), 'binary')).toBe('\\x01\\xAB');
  });

  it('cuts a long nested value to the text the whole value would be cut to (written only up to the cut)', () => {
    const handles = Array.from({ length: 8000 }, (_, i) => `agent-${i}`);
    const whole = displayValue(handles, 'list', Number.MAX_SAFE_INTEGER);
    expect(whole.length).toBeGreaterThan(80_000);
    expect(displayValue(handles, 'list')).toBe(`${whole.slice(0, 399)}…`);
    const cell = fc.letrec((tie) => ({
      v: fc.oneof(
        { depthSize: 'small' },
        fc.constant(null),
        fc.double(),
        fc.boolean(),
        fc.string({ maxLength: 12 }),
        fc.constantFrom('a\nb', 'x\r\ny', '\t', '2026-01-01T00:00:01.500Z'),
        fc.array(tie('v'), { maxLength: 6 }),
        fc.dictionary(fc.string({ maxLength: 4 }), tie('v'), { maxKeys: 4 }),
      ),
    })).v;
    fc.assert(
      fc.property(cell, fc.integer({ min: 1, max: 60 }), fc.constantFrom('list', 'struct', 'string', 'other'), (v, max, kind) => {
        const full = displayValue(v, kind as 'list', Number.MAX_SAFE_INTEGER);
        expect(displayValue(v, kind as 'list', max)).toBe(full.length > max ? `${full.slice(0, max - 1)}…` : full);
      }),
      { numRuns: 500 },
    );
  });

  it('keeps a cell on one line and cuts very long text; a string column keeps ISO-looking text as written', () => {
    expect(displayValue('a\nb\r\nc\td', 'string')).toBe('a ⏎ b ⏎ c d');
    const long = displayValue('x'.repeat(1000), 'string');
    expect(long).toHaveLength(400);
    expect(long.endsWith('…')).toBe(true);
    expect(displayValue('2026-06-13T23:04:41.229Z', 'string')).toBe('2026-06-13T23:04:41.229Z');
    expect(displayValue('<b>not html</b>', 'string')).toBe('<b>not html</b>');
  });

  it('shows the whole value in the inspector', () => {
    expect(inspectValue('a\nb')).toBe('a\nb');
    expect(inspectValue({ x: [1, 2] })).toBe('{\n  "x": [\n    1,\n    2\n  ]\n}');
    expect(inspectValue(0.1 + 0.2)).toBe('0.30000000000000004');
    expect(inspectValue(null)).toBe('NULL');
    expect(numberText(Infinity)).toBe('inf');
  });
});

describe('Arrow types', () => {
  it('names DuckDB types and picks the display kind', () => {
    expect(duckdbTypeName({ typeId: 2, bitWidth: 64, isSigned: true })).toBe('BIGINT');
    expect(duckdbTypeName({ typeId: 2, bitWidth: 32, isSigned: false })).toBe('UINTEGER');
    expect(duckdbTypeName({ typeId: 3, precision: 2 })).toBe('DOUBLE');
    expect(duckdbTypeName({ typeId: 7, precision: 18, scale: 3 })).toBe('DECIMAL(18,3)');
    expect(duckdbTypeName({ typeId: 10, unit: 2, timezone: null })).toBe('TIMESTAMP');
    expect(duckdbTypeName({ typeId: 12, children: [{ name: 'l', type: { typeId: 5 } }] })).toBe('VARCHAR[]');
    expect(duckdbTypeName({ typeId: 13, children: [{ name: 'x', type: { typeId: 2, bitWidth: 32 } }] })).toBe('STRUCT(x INTEGER)');
    expect(duckdbTypeName({ typeId: -1, dictionary: { typeId: 5 } })).toBe('VARCHAR');
    expect(columnKind({ typeId: 10 })).toBe('timestamp');
    expect(columnKind({ typeId: 7 })).toBe('number');
    expect(columnKind({ typeId: 16 })).toBe('list');
    expect(columnKind({ typeId: -1, dictionary: { typeId: 5 } })).toBe('string');
  });
});

describe('sorting', () => {
  it('orders numbers numerically, text by code point, NULLs and NaN last', () => {
    const vals = [10, null, 2, Number.NaN, -1];
    expect([...vals].sort(compareValues)).toEqual([-1, 2, 10, Number.NaN, null]);
    expect(['b', 'B', 'a', null, 'ä'].sort(compareValues)).toEqual(['B', 'a', 'b', 'ä', null]);
    expect(['2026-06-14T00:00:00.000Z', '2026-06-13T23:59:59.999Z'].sort(compareValues)[0]).toBe('2026-06-13T23:59:59.999Z');
    expect([true, false].sort(compareValues)).toEqual([false, true]);
  });
});
