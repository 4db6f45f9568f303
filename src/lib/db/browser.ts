// DuckDB-WASM connector: the browser's copy of the published tables, loaded from Parquet on demand.
//
// DuckDB-WASM ships without its Parquet reader (it would download it from another origin), so
// parquet-wasm decodes `data/<table>.parquet` to Arrow IPC and DuckDB ingests that as a table.
// Only the eh bundle is used: every browser this site targets has wasm exceptions, and leaving the
// mvp bundle out halves dist/ (about 40 MB).
import * as duckdb from '@duckdb/duckdb-wasm';
import parquetWasmUrl from 'parquet-wasm/esm/parquet_wasm_bg.wasm?url';
import {
  assertTableName,
  isoDateFromEpochMs,
  isoFromEpochMs,
  parseManifest,
  tableFiles,
  timeFromMicros,
  TABLE_NAME,
  type Cell,
  type Connector,
  type Manifest,
  type Param,
} from './connector.ts';
import { absolute, duckdbWasmUrl, takeWorker } from './early.ts';

export interface BrowserDb {
  readonly db: duckdb.AsyncDuckDB;
  readonly conn: duckdb.AsyncDuckDBConnection;
}

type ArrowTable = Awaited<ReturnType<duckdb.AsyncDuckDBConnection['query']>>;

/** Absolute same-origin URL under the site's base path, e.g. `dataUrl('runs.parquet')`; `version` becomes `?v=`. */
export function dataUrl(file: string, version?: string): string {
  const url = new URL(`${import.meta.env.BASE_URL.replace(/\/?$/, '/')}data/${file}`, location.href);
  if (version) url.searchParams.set('v', version);
  return url.href;
}

/**
 * A table file's version for its URL (`data/x.parquet?v=…`): the manifest's input hash and the file's size, so a new
 * export or a build that rewrote the file gives a new URL and the old one can be cached for a year (scripts/serve.ts,
 * docs/publishing.md). The manifest itself is fetched unversioned and revalidated.
 */
export function fileVersion(manifest: Manifest, bytes: number | null): string {
  return `${manifest.source.input_hash.slice(0, 16)}${typeof bytes === 'number' ? `-${bytes}` : ''}`;
}

/** Memoize an async start-up; a failed attempt is forgotten so the next call retries. */
function once<T>(start: () => Promise<T>): () => Promise<T> {
  let p: Promise<T> | undefined;
  return () => {
    if (!p) {
      p = start();
      p.catch(() => (p = undefined));
    }
    return p;
  };
}

/**
 * The page's one DuckDB-WASM instance, started on first call (in the worker warm.ts started). Marks `db_start`, then
 * `db_instantiated`, `db_opened`, `db_connected` and `db_ready`.
 */
export const getDb: () => Promise<BrowserDb> = once(async () => {
  performance.mark('db_start');
  const worker = takeWorker();
  try {
    return await openDb(worker);
  } catch (err) {
    worker.terminate();
    throw err;
  }
});

let wasmArriving: () => void = () => undefined;
/**
 * Settles once DuckDB's wasm has begun to arrive in its worker (the first progress report) or DuckDB is up: only then
 * are table downloads started, so a browser in which DuckDB cannot load downloads no table, and the tables still
 * arrive while the wasm compiles.
 */
const duckdbComing = new Promise<void>((resolve) => {
  wasmArriving = resolve;
});

async function openDb(worker: Worker): Promise<BrowserDb> {
  const db = new duckdb.AsyncDuckDB(new duckdb.ConsoleLogger(duckdb.LogLevel.WARNING), worker);
  await db.instantiate(duckdbWasmUrl(), null, () => wasmArriving());
  wasmArriving();
  // Steps of the start, for the benchmark's breakdown (tests/e2e/bench-breakdown.ts): compiled and started, opened, connected.
  performance.mark('db_instantiated');
  // castBigIntToDouble / castDecimalToDouble stay off: in 1.32 they retype BIGINT and DECIMAL children of
  // LIST/STRUCT columns as Float64 without converting the data ([1,2]::BIGINT[] reads back as
  // [5e-324, 1e-323]). arrowToRows converts Int64 and Decimal itself, at every depth.
  await db.open({ query: { castBigIntToDouble: false, castDecimalToDouble: false } });
  performance.mark('db_opened');
  const conn = await db.connect();
  performance.mark('db_connected');
  // The browser database sees only the site's tables: no extension downloads, no files, no URLs.
  // Arrow ingestion does not go through the file system, so tables still load after this, and
  // lock_configuration stops SQL typed into the console from turning any of it back on.
  // One round trip to the worker: the statements run in order.
  await conn.query(
    [
      'SET autoload_known_extensions = false',
      'SET autoinstall_known_extensions = false',
      'SET enable_external_access = false',
      'SET lock_configuration = true',
    ].join('; '),
  );
  performance.mark('db_ready');
  return { db, conn };
}

/** parquet-wasm (its own chunk and a 5 MB wasm), fetched and compiled on the first query, not on page load. */
const getParquetWasm = once(async () => {
  const pq = await import('parquet-wasm/esm');
  await pq.default({ module_or_path: absolute(parquetWasmUrl) });
  return pq;
});

async function fetchBytes(url: string): Promise<Uint8Array> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`Could not fetch ${url}: HTTP ${res.status}`);
  return new Uint8Array(await res.arrayBuffer());
}

/** `data/manifest.json`: which tables the site publishes and their row counts. */
export const getManifest: () => Promise<Manifest> = once(async () => {
  const res = await fetch(dataUrl('manifest.json'));
  if (!res.ok) throw new Error(`Could not fetch ${res.url}: HTTP ${res.status}`);
  return parseManifest(await res.json(), res.url);
});

const fetched = new Map<string, Promise<Uint8Array>>();

/** The Parquet bytes of each of the table's files (one, or its parts), each fetched once (a prefetch and the load share the request). */
function tableBytes(manifest: Manifest, name: string): Promise<Uint8Array>[] {
  return tableFiles(manifest, name).map(({ file, bytes }) => {
    let p = fetched.get(file);
    if (!p) {
      p = fetchBytes(dataUrl(file, fileVersion(manifest, bytes)));
      fetched.set(file, p);
      p.catch(() => fetched.delete(file));
    }
    return p;
  });
}

/**
 * Start fetching the published tables a SQL text reads after FROM or JOIN while DuckDB compiles, once its wasm is
 * arriving (a guess from the text; DuckDB's parser still decides what loads, and a wrong guess costs one unused
 * download, never a wrong answer).
 */
async function prefetchTables(sql: string): Promise<void> {
  const [manifest] = await Promise.all([getManifest(), duckdbComing]);
  const named = new Set([...sql.toLowerCase().matchAll(/\b(?:from|join)\s+"?([a-z_][a-z0-9_]*)/g)].map((m) => m[1]!));
  for (const name of Object.keys(manifest.tables)) if (named.has(name)) for (const p of tableBytes(manifest, name)) void p.catch(() => undefined);
}

/**
 * Fetch and compile DuckDB-WASM and parquet-wasm, and fetch the manifest, without running anything: the layout calls
 * this once the first paint is done (src/lib/db/warm.ts), so the first query finds them ready.
 */
export function warm(): Promise<unknown> {
  return Promise.all([getDb(), getParquetWasm(), getManifest()]);
}

const loaded = new Map<string, Promise<void>>();

/**
 * Fetch the table's Parquet (its manifest `file`, or every one of its `parts`, else `data/<name>.parquet`) and create
 * the in-memory table `<name>` (once): the first file creates it, each further part is appended in manifest order, so
 * a table in parts is one table to every query. Marks `table_loaded:<name>`.
 */
export function loadTable(name: string): Promise<void> {
  assertTableName(name);
  let p = loaded.get(name);
  if (!p) {
    p = (async () => {
      const manifest = await getManifest();
      const db = getDb();
      await Promise.race([duckdbComing, db]); // no download before DuckDB's wasm is arriving (see duckdbComing)
      const parts = tableBytes(manifest, name);
      for (const part of parts) part.catch(() => undefined); // reported by the await below, not as unhandled
      const [{ conn }, pq] = await Promise.all([db, getParquetWasm()]);
      try {
        for (const [i, part] of parts.entries()) {
          const ipc = pq.readParquet(await part).intoIPCStream();
          await conn.insertArrowFromIPCStream(ipc, { name, create: i === 0 });
        }
      } catch (err) {
        // A part that failed leaves no half-loaded table behind: the next attempt starts again from the first part.
        await conn.query(`DROP TABLE IF EXISTS "${name}"`).catch(() => undefined);
        throw err;
      }
      performance.mark(`table_loaded:${name}`);
    })();
    loaded.set(name, p);
    p.catch(() => loaded.delete(name));
  }
  return p;
}

/** Load just these tables (in parallel); already loaded ones cost nothing. */
export async function ensureTables(names: readonly string[]): Promise<void> {
  await Promise.all([...new Set(names)].map(loadTable));
}

/** The published tables a SQL text reads, as DuckDB's parser sees it (CTE and unknown names dropped). */
export async function tablesInSql(sql: string): Promise<string[]> {
  const [{ conn }, manifest] = await Promise.all([getDb(), getManifest()]);
  let names: string[];
  try {
    // The parser cannot name tables of a statement with ? placeholders; NULL stands in for them here only.
    names = await conn.getTableNames(sql.replaceAll('?', 'NULL'));
  } catch {
    // A parse error: let the query itself report it, after loading whatever the words suggest.
    names = sql.toLowerCase().match(/[a-z_][a-z0-9_]*/g) ?? [];
  }
  const published = new Set(Object.keys(manifest.tables));
  return [...new Set(names.map((n) => (n.split('.').pop() ?? n).replaceAll('"', '').toLowerCase()))].filter(
    (n) => TABLE_NAME.test(n) && published.has(n),
  );
}

let firstResultMarked = false;

/** Run SQL after loading the tables it reads; rows converted as documented in connector.ts. Marks `first_result`. */
export async function query<T = Record<string, unknown>>(sql: string, params?: readonly Param[]): Promise<T[]> {
  // Fetch (and compile) parquet-wasm, the manifest and the tables the text names while DuckDB starts, not after:
  // the downloads overlap with compiling DuckDB. Tables only once DuckDB's wasm is arriving (duckdbComing).
  void getParquetWasm().catch(() => undefined);
  void prefetchTables(sql).catch(() => undefined);
  const { conn } = await getDb();
  await ensureTables(await tablesInSql(sql));
  let table: ArrowTable;
  if (params && params.length > 0) {
    const stmt = await conn.prepare(sql);
    try {
      table = await stmt.query(...params);
    } finally {
      await stmt.close();
    }
  } else {
    table = await conn.query(sql);
  }
  const rows = arrowToRows(table) as T[];
  if (!firstResultMarked) {
    firstResultMarked = true;
    performance.mark('first_result');
  }
  return rows;
}

/** The browser {@link Connector}. */
export const browserConnector: Connector = { query };

// For readers with devtools open, and for the browser tests: `await atlas.query('FROM runs LIMIT 5')`.
(globalThis as { atlas?: unknown }).atlas = { query, ensureTables, getManifest };

// Arrow type ids (the Arrow format's Type enum) that need converting to the documented JS values.
const T = {
  Int: 2,
  Float: 3,
  Utf8: 5,
  Bool: 6,
  Decimal: 7,
  Date: 8,
  Time: 9,
  Timestamp: 10,
  Interval: 11,
  List: 12,
  Struct: 13,
  FixedSizeList: 16,
  Map: 17,
  Duration: 18,
  Dictionary: -1,
} as const;

interface ArrowField {
  readonly name: string;
  readonly type: ArrowType;
}
interface ArrowType {
  readonly typeId: number;
  readonly unit?: number;
  readonly scale?: number;
  readonly children?: readonly ArrowField[];
  readonly dictionary?: ArrowType;
}

/**
 * Arrow result -> plain rows, matching the Node connector value for value. Strings, doubles, integers up to 32 bits,
 * booleans and timestamps are read a chunk at a time (columnCells); the rest value by value through Arrow's `get`.
 */
export function arrowToRows(table: ArrowTable): Record<string, Cell>[] {
  const fields = table.schema.fields as unknown as readonly ArrowField[];
  const n = table.numRows;
  const rows: Record<string, Cell>[] = Array.from({ length: n }, () => ({}));
  fields.forEach((field, j) => {
    const column = table.getChildAt(j);
    if (!column) return;
    const name = field.name;
    const cells = columnCells(column, field.type);
    if (cells) for (let i = 0; i < n; i++) rows[i]![name] = cells[i]!;
    else for (let i = 0; i < n; i++) rows[i]![name] = toCell(column.get(i), field.type);
  });
  return rows;
}

/**
 * One chunk of a column (an Arrow Data): its buffers as typed arrays, already cut to the chunk's slice except the
 * validity bitmap and a boolean's bits, which start at `offset`.
 */
interface ChunkData extends Utf8Data {
  readonly values?: unknown;
  readonly offset: number;
}

/**
 * A whole column's values chunk by chunk, where that is much cheaper than `get` per value: strings (one decode per
 * chunk when its bytes are ASCII, else one per value straight from the bytes: at scale 100 the leaderboard chart's
 * five string columns of 49,900 rows took ~460 ms through `get`), floats or integers of up to 32 bits (the typed
 * array), booleans (their bits), and timestamps (no BigInt division through Arrow's dispatch per value). Null for any
 * other type or layout: the caller reads value by value.
 */
function columnCells(column: unknown, type: ArrowType): Cell[] | null {
  const chunks = (column as { data?: readonly ChunkData[] }).data;
  if (!chunks) return null;
  const isFloat = type.typeId === T.Float;
  const isInt = type.typeId === T.Int && ((type as { bitWidth?: number }).bitWidth ?? 64) <= 32;
  // Seconds, milliseconds or microseconds (DuckDB's TIMESTAMP); nanoseconds stay with `get`.
  const unit = type.typeId === T.Timestamp && (type.unit === 0 || type.unit === 1 || type.unit === 2) ? type.unit : null;
  if (type.typeId !== T.Utf8 && type.typeId !== T.Bool && !isFloat && !isInt && unit === null) return null;
  const out: Cell[] = [];
  for (const d of chunks) {
    if (type.typeId === T.Bool) {
      const bits = d.values;
      if (!(bits instanceof Uint8Array) || !Number.isInteger(d.offset) || bits.length * 8 < d.offset + d.length) return null;
      for (let i = 0, b = d.offset; i < d.length; i++, b++) out.push(d.getValid(i) ? ((bits[b >> 3]! >> (b & 7)) & 1) === 1 : null);
    } else if (unit !== null) {
      const values = d.values;
      if (!(values instanceof BigInt64Array) || values.length < d.length) return null;
      // As Arrow's `get` computes it (quotient plus remainder over the divisor), then the ISO text toCell makes.
      const ms = (v: bigint): number => (unit === 0 ? 1000 * Number(v) : unit === 1 ? Number(v) : Number(v / 1000n) + Number(v % 1000n) / 1000);
      for (let i = 0; i < d.length; i++) out.push(d.getValid(i) ? isoFromEpochMs(ms(values[i]!)) : null);
    } else if (type.typeId === T.Utf8) {
      const cells = asciiStrings({ data: [d] }) ?? utf8Values(d);
      if (!cells) return null;
      for (const c of cells) out.push(c);
    } else {
      const v = d.values;
      const typed = isFloat
        ? v instanceof Float64Array || v instanceof Float32Array // a half float's bits are not its value
        : v instanceof Int32Array || v instanceof Int16Array || v instanceof Int8Array || v instanceof Uint32Array || v instanceof Uint16Array || v instanceof Uint8Array;
      const values = v as ArrayLike<number>;
      if (!typed || values.length < d.length) return null;
      for (let i = 0; i < d.length; i++) out.push(d.getValid(i) ? values[i]! : null);
    }
  }
  return out;
}

/** A string chunk decoded value by value from its bytes (what Arrow's `get` does, without its per-call dispatch). */
function utf8Values(d: Utf8Data): (string | null)[] | null {
  const offsets = d.valueOffsets;
  const bytes = d.values;
  if (!(offsets instanceof Int32Array) || !(bytes instanceof Uint8Array) || offsets.length < d.length + 1) return null;
  const out = new Array<string | null>(d.length);
  for (let i = 0; i < d.length; i++) out[i] = d.getValid(i) ? utf8.decode(bytes.subarray(offsets[i]!, offsets[i + 1]!)) : null;
  return out;
}

function toCell(value: unknown, type: ArrowType): Cell {
  if (value === null || value === undefined) return null;
  switch (type.typeId) {
    case T.Timestamp:
      return isoFromEpochMs(Number(value));
    case T.Date:
      return isoDateFromEpochMs(value instanceof Date ? value.getTime() : Number(value));
    case T.Time: {
      // unit: 0 s, 1 ms, 2 us, 3 ns
      const n = BigInt(value as bigint | number);
      const us = type.unit === 0 ? n * 1_000_000n : type.unit === 1 ? n * 1000n : type.unit === 3 ? n / 1000n : n;
      return timeFromMicros(us);
    }
    case T.Int:
      return Number(value);
    case T.Decimal:
      return decimalToNumber(value as Uint32Array, type.scale ?? 0);
    case T.List:
    case T.FixedSizeList: {
      const child = type.children?.[0]?.type;
      const ascii = child?.typeId === T.Utf8 ? asciiStrings(value) : null;
      if (ascii) return ascii;
      const items = Array.from(value as Iterable<unknown>);
      return child ? items.map((v) => toCell(v, child)) : (items as Cell[]);
    }
    case T.Struct: {
      const out: Record<string, Cell> = {};
      const row = value as Record<string, unknown>;
      for (const f of type.children ?? []) out[f.name] = toCell(row[f.name], f.type);
      return out;
    }
    case T.Map:
    case T.Duration:
      return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? Number(v) : v));
    case T.Interval:
      // apache-arrow 17 misreads DuckDB's MONTH_DAY_NANO intervals; SQL should cast them (iv::VARCHAR).
      throw new Error('INTERVAL results are not supported in the browser: cast them in SQL, e.g. iv::VARCHAR');
    case T.Dictionary:
      return type.dictionary ? toCell(value, type.dictionary) : (value as Cell);
    default:
      return typeof value === 'bigint' ? Number(value) : (value as Cell);
  }
}

interface Utf8Data {
  readonly length: number;
  readonly valueOffsets?: unknown;
  readonly values?: unknown;
  getValid(i: number): boolean;
}
const utf8 = new TextDecoder();

/**
 * A list of strings (an Arrow Utf8 vector) read in one decode when all its bytes are ASCII, where byte offsets are
 * character offsets; null otherwise (the caller reads item by item). Arrow decodes each item with its own
 * TextDecoder call: for a list of 8,000 handles that was most of the console's time showing 28 rows.
 */
export function asciiStrings(vector: unknown): (string | null)[] | null {
  const data = (vector as { data?: readonly Utf8Data[] }).data;
  const d = data?.length === 1 ? data[0]! : null;
  const offsets = d?.valueOffsets;
  const bytes = d?.values;
  if (!d || !(offsets instanceof Int32Array) || !(bytes instanceof Uint8Array) || offsets.length < d.length + 1) return null;
  const from = offsets[0]!;
  const to = offsets[d.length]!;
  for (let i = from; i < to; i++) if (bytes[i]! > 0x7f) return null;
  const text = utf8.decode(bytes.subarray(from, to));
  const out = new Array<string | null>(d.length);
  for (let i = 0; i < d.length; i++) out[i] = d.getValid(i) ? text.slice(offsets[i]! - from, offsets[i + 1]! - from) : null;
  return out;
}

/** Arrow decimal (little-endian two's-complement 32-bit words, unscaled) -> the nearest double. */
function decimalToNumber(words: Uint32Array, scale: number): number {
  let n = 0n;
  for (let i = words.length - 1; i >= 0; i--) n = (n << 32n) | BigInt(words[i]!);
  if (words.length > 0 && (words[words.length - 1]! & 0x80000000) !== 0) n -= 1n << BigInt(32 * words.length);
  if (scale <= 0) return Number(n);
  const negative = n < 0n;
  const digits = (negative ? -n : n).toString().padStart(scale + 1, '0');
  // Parsing the exact decimal text gives the correctly rounded double, as DuckDB's own cast does.
  return Number(`${negative ? '-' : ''}${digits.slice(0, -scale)}.${digits.slice(-scale)}`);
}
