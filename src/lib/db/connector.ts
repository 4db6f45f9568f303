// The query layer's one contract: SQL in, plain JS rows out, the same on DuckDB's Node API and on DuckDB-WASM.

/**
 * A value in a result row. Both connectors convert DuckDB types the same way:
 * - BIGINT / HUGEINT / DECIMAL / all integer and float types -> `number` (never `bigint`;
 *   integers beyond 2^53 lose precision, which no published column needs);
 * - TIMESTAMP (any precision, also WITH TIME ZONE) -> ISO-8601 UTC string with milliseconds,
 *   `2026-06-13T23:04:41.229Z` (matches `JsValue<'TIMESTAMP'>` in the schema module; micro- and
 *   nanoseconds are truncated to milliseconds);
 * - DATE -> `YYYY-MM-DD`; TIME -> `HH:MM:SS[.f…]`; INTERVAL: cast it in SQL (`iv::VARCHAR`), the browser
 *   connector refuses it (DuckDB-WASM's Arrow output garbles MONTH_DAY_NANO intervals);
 * - LIST / ARRAY -> arrays (elements converted the same way); STRUCT -> plain objects;
 * - BOOLEAN -> boolean; VARCHAR / ENUM / UUID -> string; BLOB -> Uint8Array; NULL -> null.
 */
export type Cell = null | boolean | number | string | Uint8Array | Cell[] | { [key: string]: Cell };

/** A parameter for a prepared statement, bound to `?` or `$1` placeholders in order. */
export type Param = null | boolean | number | string;

export interface Connector {
  /** Run one SQL statement (prepared when `params` is given) and return its rows as plain objects. */
  query<T = Record<string, unknown>>(sql: string, params?: readonly Param[]): Promise<T[]>;
}

/**
 * What a SQL builder returns: the SQL, its parameters, and the tables it reads (so the browser
 * loads only those). "View the SQL" shows `sql` verbatim.
 */
export interface QuerySpec {
  readonly sql: string;
  readonly params?: readonly Param[];
  readonly tables: readonly string[];
}

/** Run a builder's query on any connector; the builder module exports the row type to pass as `Row`. */
export function runQuery<Row = Record<string, unknown>>(db: Connector, spec: QuerySpec): Promise<Row[]> {
  return db.query<Row>(spec.sql, spec.params);
}

export { parseManifest, PARQUET_FILE, TABLE_NAME, type Manifest } from '../manifest.ts';
import { PARQUET_FILE, TABLE_NAME, type Manifest } from '../manifest.ts';

export function assertTableName(name: string): string {
  if (!TABLE_NAME.test(name)) throw new Error(`Invalid table name "${name}": expected [a-z_][a-z0-9_]*`);
  return name;
}

/** A file a table is read from, and its size when the manifest gives it (the browser versions its URL with it). */
export interface TableFileRef {
  file: string;
  bytes: number | null;
}

/**
 * The Parquet files of a table, read together as one table: its parts when the manifest lists them, else its `file`
 * (plain names, no folders), else `<name>.parquet` (no manifest: a data folder of bare files).
 */
export function tableFiles(manifest: Manifest | null, name: string): TableFileRef[] {
  assertTableName(name);
  const t = manifest?.tables[name];
  if (t?.parts?.length) return t.parts.filter((p) => PARQUET_FILE.test(p.file)).map((p) => ({ file: p.file, bytes: p.bytes }));
  if (t?.file && PARQUET_FILE.test(t.file)) return [{ file: t.file, bytes: t.bytes }];
  return [{ file: `${name}.parquet`, bytes: typeof t?.bytes === 'number' ? t.bytes : null }];
}

/** True when the data is the generated sample (the site then says so on every page). */
export const isSynthetic = (manifest: Manifest | null): boolean => manifest?.source.synthetic === true;

/** Milliseconds since the epoch -> the ISO string every connector returns for TIMESTAMP. */
export function isoFromEpochMs(ms: number): string {
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? String(ms) : d.toISOString();
}

/** Days since the epoch -> `YYYY-MM-DD`. */
export function isoDateFromEpochMs(ms: number): string {
  return isoFromEpochMs(ms).slice(0, 10);
}

/** Microseconds since midnight -> `HH:MM:SS[.f…]`, DuckDB's own TIME text (trailing zeros dropped). */
export function timeFromMicros(micros: bigint | number): string {
  const us = BigInt(micros);
  const pad = (n: bigint, w = 2) => n.toString().padStart(w, '0');
  const h = us / 3_600_000_000n;
  const m = (us / 60_000_000n) % 60n;
  const s = (us / 1_000_000n) % 60n;
  const frac = us % 1_000_000n;
  return `${pad(h)}:${pad(m)}:${pad(s)}${frac ? `.${pad(frac, 6).replace(/0+$/, '')}` : ''}`;
}
