// Runs console SQL on the page's DuckDB-WASM: loads the tables it reads, streams the result, can be cancelled.
//
// The connector's `query()` returns plain rows only; the console also needs the Arrow result (column types,
// and IPC for the Parquet download) and a way to stop a query, so it uses `conn.send()`, whose pending-query
// polling lets `conn.cancelSent()` interrupt work between polls. Statements run one at a time (DuckDB-WASM
// streams a single statement); the result is the last one's. At most FETCH_CAP rows are kept as Arrow batches.
// A long result is shown from its first batch while the rest is read (`onFirstRows`): the reader sees rows as soon
// as DuckDB has them, and the grid grows when the read ends.
// Rows become JS objects lazily (ResultRows): the grid converts the ~50 rows it shows, a sort or a chart one
// column; converting 100,000 rows of lists and structs up front took seconds. Downloads convert batch by batch.
import { Table, tableToIPC, type RecordBatch, type Schema } from 'apache-arrow';
import { arrowToRows, ensureTables, getDb, tablesInSql } from '../db/browser.ts';
import type { Cell } from '../db/connector.ts';
import { columnKind, duckdbTypeName, type ArrowTypeLike, type ResultColumn, type Row, type RowSource } from './format.ts';
import { splitStatements, type Statement } from './statements.ts';

export const DISPLAY_CAP = 100_000;
export const FETCH_CAP = 1_000_000;

export type Phase = 'starting' | 'loading' | 'running' | 'reading';

/** DuckDB's vector size: a first batch shorter than this is (almost always) the whole result, so it is not previewed. */
export const PREVIEW_MIN_ROWS = 2048;

/** The first batch of a result that may have more: shown while the rest is read. */
export interface FirstRows {
  readonly columns: readonly ResultColumn[];
  readonly rows: ResultRows;
}

/** The first `cap` rows of Arrow batches, converted to row objects 64 at a time as they are read. */
export class ResultRows implements RowSource {
  static readonly CHUNK = 64;
  readonly length: number;
  readonly #batches: readonly RecordBatch[];
  readonly #starts: number[] = [];
  readonly #names: readonly string[];
  readonly #rows: (Row | undefined)[];
  readonly #columns = new Map<string, Cell[]>();

  constructor(batches: readonly RecordBatch[], names: readonly string[], cap = Infinity) {
    this.#batches = batches;
    this.#names = names;
    let n = 0;
    for (const b of batches) {
      this.#starts.push(n);
      n += b.numRows;
    }
    this.length = Math.min(n, cap);
    this.#rows = new Array<Row | undefined>(this.length);
  }

  row(i: number): Row {
    if (i < 0 || i >= this.length) throw new RangeError(`row ${i} of ${this.length}`);
    const hit = this.#rows[i];
    if (hit) return hit;
    const from = i - (i % ResultRows.CHUNK);
    const to = Math.min(this.length, from + ResultRows.CHUNK);
    let k = this.#batchAt(from);
    for (let at = from; at < to; k++) {
      const b = this.#batches[k]!;
      const local = at - this.#starts[k]!;
      const take = Math.min(to - at, b.numRows - local);
      const rows = batchRows(local === 0 && take === b.numRows ? b : b.slice(local, local + take), this.#names);
      for (let r = 0; r < rows.length; r++) this.#rows[at + r] = rows[r];
      at += take;
    }
    return this.#rows[i]!;
  }

  /** Every value of one column (converted once, cached). */
  column(name: string): readonly Cell[] {
    const cached = this.#columns.get(name);
    if (cached) return cached;
    const j = this.#names.indexOf(name);
    const out: Cell[] = [];
    if (j >= 0) {
      for (const b of this.#batches) {
        if (out.length >= this.length) break;
        const view = {
          numRows: Math.min(b.numRows, this.length - out.length),
          schema: { fields: [{ name, type: b.schema.fields[j]!.type }] },
          getChildAt: () => b.getChildAt(j),
        };
        for (const r of arrowToRows(view as unknown as ArrowLike)) out.push(r[name] ?? null);
      }
    }
    this.#columns.set(name, out);
    return out;
  }

  toArray(): Row[] {
    return Array.from({ length: this.length }, (_, i) => this.row(i));
  }

  #batchAt(i: number): number {
    let lo = 0;
    let hi = this.#starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.#starts[mid]! <= i) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
}

export interface ConsoleResult {
  readonly columns: readonly ResultColumn[];
  /** The first min(rowCount, DISPLAY_CAP) rows, converted as they are read. */
  readonly rows: ResultRows;
  /** Rows kept (all of the result unless `complete` is false). */
  readonly rowCount: number;
  /** False when the result had more than FETCH_CAP rows and the rest was dropped. */
  readonly complete: boolean;
  readonly schema: Schema;
  readonly batches: readonly RecordBatch[];
  readonly tables: readonly string[];
  readonly statements: number;
  /** Milliseconds: DuckDB start-up, table loading, running the query, reading the result, converting rows for the grid. */
  readonly timings: {
    readonly start: number;
    readonly load: number;
    readonly query: number;
    readonly read: number;
    readonly convert: number;
    readonly total: number;
  };
}

/** Thrown when a statement fails: the message is DuckDB's, `statement` says where it sits in the text. */
export class StatementError extends Error {
  constructor(
    message: string,
    readonly statement: Statement,
  ) {
    super(message);
    this.name = 'StatementError';
  }
}

export class CancelledError extends Error {
  constructor() {
    super('INTERRUPT Error: Interrupted!');
    this.name = 'CancelledError';
  }
}

interface Active {
  cancelled: boolean;
  phase: Phase;
}
let active: Active | null = null;

/** Stop the running query (if any). Resolves once DuckDB has been asked to interrupt it. */
export async function cancelConsoleQuery(): Promise<void> {
  const run = active;
  if (!run) return;
  run.cancelled = true;
  if (run.phase === 'running' || run.phase === 'reading') {
    const { conn } = await getDb();
    await conn.cancelSent().catch(() => false);
  }
}

export const isRunning = (): boolean => active !== null;

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** Unique column names: DuckDB allows `SELECT 1 AS a, 2 AS a`; the second becomes `a:1` (as the Node API names it). */
export function uniqueNames(names: readonly string[]): string[] {
  const seen = new Map<string, number>();
  const taken = new Set(names);
  return names.map((name, j) => {
    const k = seen.get(name) ?? 0;
    seen.set(name, k + 1);
    if (k === 0 && names.indexOf(name) === j) return name;
    let i = k;
    let candidate = `${name}:${i}`;
    while (taken.has(candidate)) candidate = `${name}:${++i}`;
    taken.add(candidate);
    return candidate;
  });
}

type ArrowLike = Parameters<typeof arrowToRows>[0];

/** Plain rows of a batch (or a slice of it), under the given unique column names. */
export function batchRows(batch: RecordBatch, names: readonly string[], limit = batch.numRows): Record<string, Cell>[] {
  const part = limit < batch.numRows ? batch.slice(0, limit) : batch;
  const view = {
    numRows: part.numRows,
    schema: { fields: part.schema.fields.map((f, j) => ({ name: names[j]!, type: f.type })) },
    getChildAt: (j: number) => part.getChildAt(j),
  };
  return arrowToRows(view as unknown as ArrowLike);
}

type Conn = Awaited<ReturnType<typeof getDb>>['conn'];
type Reader = NonNullable<Awaited<ReturnType<Conn['send']>>>;
type PhaseFn = (p: Phase, detail: string) => void;

/** What one statement returned: its schema, the batches kept (the last statement's, up to FETCH_CAP rows) and timings. */
interface StatementResult {
  schema: Schema | null;
  batches: RecordBatch[];
  rowCount: number;
  complete: boolean;
  queryMs: number;
  readMs: number;
}

/** Stream a statement's result: only the last statement's batches are kept, up to FETCH_CAP rows. */
async function readBatches(reader: Reader, last: boolean, run: Active, stmt: Statement, onFirst?: (batch: RecordBatch) => void): Promise<Pick<StatementResult, 'batches' | 'rowCount' | 'complete'>> {
  const batches: RecordBatch[] = [];
  let rowCount = 0;
  let complete = true;
  try {
    for await (const batch of reader) {
      if (!last) continue;
      batches.push(batch);
      rowCount += batch.numRows;
      if (run.cancelled) break;
      if (batches.length === 1 && onFirst && batch.numRows >= PREVIEW_MIN_ROWS) onFirst(batch);
      if (rowCount >= FETCH_CAP) {
        complete = false;
        break;
      }
    }
  } catch (e) {
    if (run.cancelled) throw new CancelledError();
    throw new StatementError(message(e), stmt);
  }
  return { batches, rowCount, complete };
}

/** Send one statement and read its result; a failure names the statement, a cancel throws CancelledError. */
async function runStatement(conn: Conn, stmt: Statement, k: number, count: number, run: Active, phase: PhaseFn, onFirst?: (batch: RecordBatch) => void): Promise<StatementResult> {
  const check = () => {
    if (run.cancelled) throw new CancelledError();
  };
  phase('running', count > 1 ? `Running statement ${k + 1} of ${count}…` : 'Running…');
  const ts = performance.now();
  let reader: Awaited<ReturnType<Conn['send']>> | undefined;
  try {
    reader = await conn.send(stmt.text, true);
  } catch (e) {
    if (run.cancelled) throw new CancelledError();
    throw new StatementError(message(e), stmt);
  }
  const queryMs = performance.now() - ts;
  check();
  if (!reader) throw new Error('The database worker stopped.');
  phase('reading', 'Reading the result…');
  const tr = performance.now();
  const { batches, rowCount, complete } = await readBatches(reader, k === count - 1, run, stmt, onFirst);
  check();
  if (!complete) {
    // Drop the rest of the streamed result so the connection is free for the next query.
    await conn.cancelSent().catch(() => false);
  }
  const schema = reader.schema ?? batches[0]?.schema ?? null;
  return { schema, batches, rowCount, complete, queryMs, readMs: performance.now() - tr };
}

/** The result's columns under unique names, with DuckDB's type name and the grid's kind of each. */
function resultColumns(schema: Schema, names: readonly string[]): ResultColumn[] {
  return schema.fields.map((f, j) => {
    const t = f.type as unknown as ArrowTypeLike;
    return { name: names[j]!, type: duckdbTypeName(t), kind: columnKind(t) };
  });
}

/**
 * Run the console's SQL: start DuckDB, load the tables it reads, run each statement and read the last one's result.
 * `onFirstRows` gets the last statement's first batch when it is a full one (more may follow), before the rest is read.
 */
export async function runConsoleQuery(sql: string, onPhase: PhaseFn = () => {}, onFirstRows?: (first: FirstRows) => void): Promise<ConsoleResult> {
  if (active) throw new Error('A query is already running: cancel it first.');
  const run: Active = { cancelled: false, phase: 'starting' };
  active = run;
  const phase: PhaseFn = (p, detail) => {
    run.phase = p;
    onPhase(p, detail);
  };
  const check = () => {
    if (run.cancelled) throw new CancelledError();
  };
  const t0 = performance.now();
  try {
    const statements = splitStatements(sql);
    if (statements.length === 0) throw new Error('The query is empty.');
    phase('starting', 'Starting DuckDB in your browser…');
    const { conn } = await getDb();
    const t1 = performance.now();
    check();
    const tables = await tablesInSql(sql);
    if (tables.length) phase('loading', `Loading ${tables.join(', ')}…`);
    await ensureTables(tables);
    const t2 = performance.now();
    check();
    let res: StatementResult | null = null;
    let tQuery = 0;
    let tRead = 0;
    const onFirst = onFirstRows
      ? (batch: RecordBatch): void => {
          const names = uniqueNames(batch.schema.fields.map((f) => f.name));
          onFirstRows({ columns: resultColumns(batch.schema, names), rows: new ResultRows([batch], names) });
        }
      : undefined;
    for (const [k, stmt] of statements.entries()) {
      res = await runStatement(conn, stmt, k, statements.length, run, phase, onFirst);
      tQuery += res.queryMs;
      tRead += res.readMs;
    }
    const schema = res?.schema ?? null;
    if (!res || !schema) throw new Error('The query returned no result.');
    const { batches, rowCount, complete } = res;
    const names = uniqueNames(schema.fields.map((f) => f.name));
    const columns = resultColumns(schema, names);
    const tc = performance.now();
    const rows = new ResultRows(batches, names, DISPLAY_CAP);
    const tConvert = performance.now() - tc;
    return {
      columns,
      rows,
      rowCount,
      complete,
      schema,
      batches,
      tables,
      statements: statements.length,
      timings: { start: t1 - t0, load: t2 - t1, query: tQuery, read: tRead, convert: tConvert, total: performance.now() - t0 },
    };
  } finally {
    active = null;
  }
}

/** Every kept row, batch by batch (for CSV / JSON downloads of results larger than the grid shows). */
export function* resultRows(result: Pick<ConsoleResult, 'batches' | 'columns'>): Generator<Record<string, Cell>[]> {
  const names = result.columns.map((c) => c.name);
  for (const b of result.batches) yield batchRows(b, names);
}

/** The kept result as an Arrow IPC stream (for the Parquet writer). */
export function resultIpc(result: Pick<ConsoleResult, 'batches' | 'schema'>): Uint8Array {
  return tableToIPC(new Table(result.schema, [...result.batches]), 'stream');
}
