// Console result values: column kinds from Arrow types, display text for the grid, and CSV / JSON export text.
//
// Values arrive as the connectors document them (src/lib/db/connector.ts): numbers, ISO strings for
// TIMESTAMP, `YYYY-MM-DD` for DATE, arrays for lists, plain objects for structs, Uint8Array for BLOB.
// Display text is for reading (grouped numbers, UTC timestamps without the T and Z, NULL shown as NULL);
// export text is for reading back in (full precision, ISO timestamps, RFC 4180 quoting, empty = NULL).
import type { Cell } from '../db/connector.ts';

export type ColumnKind = 'number' | 'timestamp' | 'date' | 'time' | 'boolean' | 'string' | 'list' | 'struct' | 'binary' | 'other';

export interface ResultColumn {
  readonly name: string;
  /** DuckDB-style type name shown in the header, e.g. DOUBLE, VARCHAR[], TIMESTAMP. */
  readonly type: string;
  readonly kind: ColumnKind;
}

/** The parts of an Arrow DataType this module reads (apache-arrow's DataType has them). */
export interface ArrowTypeLike {
  readonly typeId: number;
  readonly bitWidth?: number;
  readonly isSigned?: boolean;
  readonly precision?: number;
  readonly scale?: number;
  readonly unit?: number;
  readonly timezone?: string | null;
  readonly children?: readonly { readonly name: string; readonly type: ArrowTypeLike }[] | null;
  readonly dictionary?: ArrowTypeLike;
}

// Arrow's Type enum (the format's type ids; apache-arrow uses the same numbers, dictionaries are -1).
const A = {
  Null: 1,
  Int: 2,
  Float: 3,
  Binary: 4,
  Utf8: 5,
  Bool: 6,
  Decimal: 7,
  Date: 8,
  Time: 9,
  Timestamp: 10,
  Interval: 11,
  List: 12,
  Struct: 13,
  Union: 14,
  FixedSizeBinary: 15,
  FixedSizeList: 16,
  Map: 17,
  Duration: 18,
  LargeBinary: 19,
  LargeUtf8: 20,
  Dictionary: -1,
} as const;

/** How a column's values are shown, sorted and charted. */
export function columnKind(t: ArrowTypeLike): ColumnKind {
  switch (t.typeId) {
    case A.Int:
    case A.Float:
    case A.Decimal:
      return 'number';
    case A.Timestamp:
      return 'timestamp';
    case A.Date:
      return 'date';
    case A.Time:
      return 'time';
    case A.Bool:
      return 'boolean';
    case A.Utf8:
    case A.LargeUtf8:
      return 'string';
    case A.List:
    case A.FixedSizeList:
      return 'list';
    case A.Struct:
      return 'struct';
    case A.Binary:
    case A.LargeBinary:
    case A.FixedSizeBinary:
      return 'binary';
    case A.Dictionary:
      return t.dictionary ? columnKind(t.dictionary) : 'string';
    default:
      return 'other';
  }
}

/** The DuckDB name of an Arrow type, for column headers (what `typeof()` would mostly say). */
export function duckdbTypeName(t: ArrowTypeLike): string {
  switch (t.typeId) {
    case A.Null:
      return 'NULL';
    case A.Int: {
      const bits = t.bitWidth ?? 32;
      const name = bits === 8 ? 'TINYINT' : bits === 16 ? 'SMALLINT' : bits === 64 ? 'BIGINT' : 'INTEGER';
      return t.isSigned === false ? `U${name}` : name;
    }
    case A.Float:
      // Arrow Precision: 0 half, 1 single, 2 double.
      return t.precision === 1 ? 'FLOAT' : 'DOUBLE';
    case A.Decimal:
      return `DECIMAL(${t.precision ?? 18},${t.scale ?? 0})`;
    case A.Utf8:
    case A.LargeUtf8:
      return 'VARCHAR';
    case A.Bool:
      return 'BOOLEAN';
    case A.Binary:
    case A.LargeBinary:
    case A.FixedSizeBinary:
      return 'BLOB';
    case A.Date:
      return 'DATE';
    case A.Time:
      return 'TIME';
    case A.Timestamp:
      return t.timezone ? 'TIMESTAMPTZ' : 'TIMESTAMP';
    case A.Interval:
    case A.Duration:
      return 'INTERVAL';
    case A.List:
    case A.FixedSizeList: {
      const child = t.children?.[0]?.type;
      return `${child ? duckdbTypeName(child) : 'ANY'}[]`;
    }
    case A.Struct:
      return `STRUCT(${(t.children ?? []).map((c) => `${c.name} ${duckdbTypeName(c.type)}`).join(', ')})`;
    case A.Map:
      return 'MAP';
    case A.Dictionary:
      return t.dictionary ? duckdbTypeName(t.dictionary) : 'VARCHAR';
    default:
      return 'UNKNOWN';
  }
}

const grouped = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const fractionFormats = Array.from({ length: 7 }, (_, d) => new Intl.NumberFormat('en-US', { maximumFractionDigits: d }));

/**
 * A number for reading: integers grouped (1,234,567); other values with up to six decimals, fewer as the
 * integer part grows (twelve significant digits in all, never fewer than one decimal), so 149,998.5 and
 * 506.998503 keep their fraction; very large or very small magnitudes in exponent form (1.5e+21, 3.2e-7).
 * The exact value is the export text (and the cell inspector's).
 */
export function displayNumber(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (!Number.isFinite(n)) return n > 0 ? 'Infinity' : '-Infinity';
  const abs = Math.abs(n);
  if (abs !== 0 && (abs >= 1e15 || abs < 1e-4)) return n.toExponential(Math.min(5, significantDecimals(n)));
  if (Number.isInteger(n)) return grouped.format(n);
  const intDigits = abs < 1 ? 0 : Math.floor(Math.log10(abs)) + 1;
  return fractionFormats[Math.max(1, Math.min(6, 12 - intDigits))]!.format(n);
}

/** Decimals toExponential needs to show n without trailing zeros (at most 16). */
function significantDecimals(n: number): number {
  const mantissa = n.toExponential().split('e')[0]!;
  const dot = mantissa.indexOf('.');
  return dot < 0 ? 0 : mantissa.length - dot - 1;
}

/** `2026-06-13T23:04:41.229Z` → `2026-06-13 23:04:41.229` (UTC; `.000` dropped). */
export function displayTimestamp(iso: string): string {
  return iso.replace('T', ' ').replace(/Z$/, '').replace(/\.000$/, '');
}

const hex = (bytes: Uint8Array, max: number): string => {
  let s = '';
  for (let i = 0; i < Math.min(bytes.length, max); i++) s += `\\x${bytes[i]!.toString(16).toUpperCase().padStart(2, '0')}`;
  return bytes.length > max ? `${s}…` : s;
};

/** Upper bound of characters a grid cell shows; the cell inspector shows the whole value. */
export const DISPLAY_MAX = 400;

/** One-line display text of a value (kind from its column; nested values by their own type). */
export function displayValue(value: unknown, kind: ColumnKind = 'other', max = DISPLAY_MAX): string {
  // Nested values are written only up to just past `max` (a list of 8,000 handles is not joined whole for 400
  // characters); the cut text is a prefix of the whole, and line breaks only lengthen it, so the cell is the same.
  const s = displayInner(value, kind, true, max + 1);
  const line = s.replace(/\r\n|\r|\n/g, ' ⏎ ').replace(/\t/g, ' ');
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** Display text of `value`, or a prefix of it longer than `budget` when it is longer than that. */
function displayInner(value: unknown, kind: ColumnKind, top: boolean, budget: number): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'number') return displayNumber(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'string') {
    if (kind === 'timestamp' || ISO_TS.test(value)) return kind === 'string' ? (top ? value : quote(value)) : displayTimestamp(value);
    return top ? value : quote(value);
  }
  if (value instanceof Uint8Array) return hex(value, 32);
  if (Array.isArray(value)) return joined('[', value, (v) => v, ']', budget);
  if (typeof value === 'object') return joined('{', Object.entries(value as Record<string, unknown>), ([, v]) => v, '}', budget, ([k]) => `${k}: `);
  return String(value);
}

/** `open` + items joined with ", " + `close`, stopping once longer than `budget`. */
function joined<I>(open: string, items: readonly I[], valueAt: (i: I) => unknown, close: string, budget: number, label?: (i: I) => string): string {
  let s = open;
  for (let i = 0; i < items.length; i++) {
    if (i > 0) s += ', ';
    if (label) s += label(items[i]!);
    s += displayInner(valueAt(items[i]!), 'other', false, budget - s.length);
    if (s.length > budget) return s;
  }
  return s + close;
}

// Inside lists and structs the column kind is gone; the connectors' ISO form identifies timestamps.
const ISO_TS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;
const quote = (s: string) => `'${s.replaceAll("'", "''")}'`;

/** The full value for the cell inspector: strings as they are, nested values as indented JSON. */
export function inspectValue(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return numberText(value);
  if (value instanceof Uint8Array) return hex(value, 4096);
  if (typeof value === 'object') return JSON.stringify(value, jsonReplacer, 2);
  return String(value);
}

/** Shortest text that reads back as the same double; DuckDB's spellings for the non-finite values. */
export function numberText(n: number): string {
  if (Number.isNaN(n)) return 'nan';
  if (!Number.isFinite(n)) return n > 0 ? 'inf' : '-inf';
  return String(n);
}

/** BLOBs as base64 strings; non-finite numbers become null (JSON has no NaN). */
export function jsonReplacer(_key: string, v: unknown): unknown {
  if (v instanceof Uint8Array) return base64(v);
  return v;
}

export function base64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

/** A CSV field: RFC 4180 quoting (quotes around text with a comma, quote, CR or LF; quotes doubled). */
export function csvField(value: unknown): string {
  // NULL is an empty field; an empty string is "" so the two stay apart (DuckDB's own writer does the same).
  if (value === null || value === undefined) return '';
  let s: string;
  if (typeof value === 'number') s = numberText(value);
  else if (typeof value === 'boolean') s = value ? 'true' : 'false';
  else if (typeof value === 'string') s = value;
  else if (value instanceof Uint8Array) s = hex(value, Infinity);
  else s = JSON.stringify(value, jsonReplacer);
  if (s === '') return '""';
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export type Row = Readonly<Record<string, Cell>>;

/** The rows a grid or chart reads: by position, or one whole column. */
export interface RowSource {
  readonly length: number;
  row(i: number): Row;
  column(name: string): readonly Cell[];
}

/** Rows from plain objects (tests, small results). */
export function arrayRows(rows: readonly Row[]): RowSource {
  return { length: rows.length, row: (i) => rows[i]!, column: (name) => rows.map((r) => r[name] ?? null) };
}


/** CSV text of the header and rows, CRLF after every record (RFC 4180). */
export function csvLines(columns: readonly string[], rows: Iterable<Row>, header = true): string {
  let out = header ? `${columns.map(csvField).join(',')}\r\n` : '';
  for (const r of rows) out += `${columns.map((c) => csvField(r[c])).join(',')}\r\n`;
  return out;
}

/** JSON text: an array with one object per row, one row per line; key order is the column order. */
export function jsonText(columns: readonly string[], rows: Iterable<Row>): string {
  return jsonOpen() + jsonRows(columns, rows, true) + jsonClose();
}

export const jsonOpen = (): string => '[';
export const jsonClose = (): string => '\n]\n';

/** The rows of a JSON array, each on its own line, with a leading comma unless `first`. */
export function jsonRows(columns: readonly string[], rows: Iterable<Row>, first: boolean): string {
  let out = '';
  let lead = first ? '\n' : ',\n';
  for (const r of rows) {
    const o: Record<string, unknown> = {};
    for (const c of columns) o[c] = r[c] ?? null;
    out += lead + JSON.stringify(o, jsonReplacer);
    lead = ',\n';
  }
  return out;
}

/** Comparator for sorting a column: NULLs last, numbers numerically, text by code point, others by display text. */
export function compareValues(a: unknown, b: unknown): number {
  const an = a === null || a === undefined;
  const bn = b === null || b === undefined;
  if (an || bn) return an === bn ? 0 : an ? 1 : -1;
  if (typeof a === 'number' && typeof b === 'number') {
    if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) === Number.isNaN(b) ? 0 : Number.isNaN(a) ? 1 : -1;
    return a - b;
  }
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  // ISO timestamps and dates sort correctly as text.
  const sa = typeof a === 'string' ? a : displayInner(a, 'other', true, Infinity);
  const sb = typeof b === 'string' ? b : displayInner(b, 'other', true, Infinity);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}
