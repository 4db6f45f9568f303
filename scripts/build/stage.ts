// The build's staging database: an in-memory DuckDB with its temp directory under <out>/.tmp that holds every table
// between the ingest and the Parquet files, so the rows do not stay in JavaScript. DuckDB keeps at most its
// memory_limit in memory and spills the rest to the temp directory. (It was a database file: at scale 100 an in-memory
// one with the same limit gives the same peak and spends less time writing blocks the build reads once or twice.)
//
// Rules:
// 1. Each core table is loaded once, right after the ingest (rows hash computed in the same pass), and its JS rows are
//    dropped. Each derived table is loaded when its derivation returns it.
// 2. A derivation is handed the core tables it declares read back from here, only its declared columns, in insertion
//    order (the ingest's order: a staged table is only appended to, so its rowid is that order), freed after it runs.
//    The tables a derivation reads of another's come back in their stable Parquet order (orderClause), whether made
//    by this build or kept from the last one (then read from their Parquet file), so it sees the same rows either way.
//    (A refresh hands a core table kept without staging from its JS rows: write-tables.ts `HeldInputs`.)
// 3. Values come back as the ingest made them: TIMESTAMP as an ISO-8601 string (toISOString, millisecond precision),
//    BIGINT and DOUBLE as numbers, VARCHAR[] and INTEGER[] as arrays, NULL as null. They cross as JSON that DuckDB
//    writes (shortest round-trip doubles) and JSON.parse reads: a batch of rows' column is one string, where reading
//    each value from the result cost a native call and a buffer apiece (at scale 100, 10–12 s of CPU time against
//    7–8 s for every derivation's reads).
// 4. Parquet files are COPYs of the staged tables (write-parquet.ts `copyTable`), as before; a table declared in parts
//    (TableDef.partBy) is one COPY per part, each part with its own rows hash so a refresh rewrites only changed parts.
// 5. Memory is one budget: DuckDB's buffer pool is cut to IDLE_LIMIT while a derivation runs in JavaScript (no query
//    runs then), and to READ_LIMIT while its inputs are read back (a batch at a time; the staged tables spill to the
//    temp directory). Not while staging: reading NDJSON needs buffers of twice its maximum object size, and a limit
//    below what a query needs is an out-of-memory error, not a spill (a read batch that needs more is run again at the
//    build's limit).
import { rmSync } from 'node:fs';
import type { DuckDBConnection, DuckDBResultReader } from '@duckdb/node-api';
import type { TableDef } from '../../src/lib/schema/types.ts';
import { copyTable, duckDbMemoryLimit, ident, loadRows, openDuckDb, orderClause, partHashes, sqlString } from '../ingest/write-parquet.ts';

const IDLE_LIMIT = '64MB';
const READ_LIMIT = '128MB';

type Rows = Record<string, unknown>[];

/** Rows per query when reading a core table back (`read`): each column of a batch crosses into JS as one JSON text. */
const READ_BATCH = 8192;

/**
 * A column as read back (rule 3): TIMESTAMP as epoch milliseconds (made an ISO string in JS, as the ingest writes
 * it), the rest as JSON writes them (BIGINT a number, DOUBLE its shortest round-trip text, a list an array).
 */
function columnValue(c: { name: string; type: string }): string {
  return c.type === 'TIMESTAMP' ? `epoch_ms(${ident(c.name)})` : ident(c.name);
}

export class Stage {
  private constructor(
    private readonly conn: DuckDBConnection,
    private readonly closeDb: () => void,
    private readonly tmpDir: string,
  ) {}

  static async open(tmpDir: string): Promise<Stage> {
    const db = await openDuckDb(':memory:', tmpDir);
    // Tables are read back in insertion order (rule 2); DuckDB keeps it by default, said here so it stays so.
    await db.conn.run('SET preserve_insertion_order=true');
    return new Stage(db.conn, db.close, tmpDir);
  }

  /**
   * Rule 5: while JavaScript works (a derivation running) DuckDB needs almost nothing: its buffer pool is cut to
   * IDLE_LIMIT (blocks of staged tables are spilled to the temp directory), and given back afterwards.
   */
  async idle(on: boolean): Promise<void> {
    await this.limit(on ? IDLE_LIMIT : duckDbMemoryLimit());
  }

  /** Rule 5: the buffer pool while a derivation's inputs are read back (READ_LIMIT), or the build's (full). */
  async reading(on: boolean): Promise<void> {
    await this.limit(on ? READ_LIMIT : duckDbMemoryLimit());
  }

  private async limit(limit: string): Promise<void> {
    try {
      await this.conn.run(`SET memory_limit=${sqlString(limit)}`);
    } catch {
      // DuckDB refuses a limit below what it cannot evict: it keeps its pool, the build goes on (only a larger peak).
    }
  }

  /** Load a table's rows (rule 1); returns their rows hash. */
  load(def: TableDef, rows: readonly Record<string, unknown>[]): Promise<string> {
    return loadRows(this.conn, this.tmpDir, def, def.name, rows);
  }

  /** Write a loaded table's Parquet file (with `part`, that part's file). */
  copy(def: TableDef, target: string, part?: string): Promise<{ rows: number; bytes: number }> {
    return copyTable(this.conn, def, def.name, target, part);
  }

  /** A loaded parted table's parts (TableDef.partBy) with their rows and rows hashes. */
  parts(def: TableDef): Promise<{ key: string; rows: number; hash: string }[]> {
    return partHashes(this.conn, def, def.name);
  }

  /**
   * A table's rows as JS objects (rules 2–3), only `columns` when given: from the staged table, in insertion order (`derived`: in stable order),
   * from `parquetFile` (a kept derived table) in stable order, or from the SELECT `sql` (a SQL derivation's, with the
   * table's columns) in stable order.
   */
  async read(def: TableDef, opts: { derived?: boolean; parquetFile?: string; sql?: string; columns?: readonly string[] | undefined } = {}): Promise<Rows> {
    const wanted = opts.columns ? def.columns.filter((c) => opts.columns!.includes(c.name)) : def.columns;
    const from = opts.sql !== undefined ? `(${opts.sql})` : opts.parquetFile ? `read_parquet(${sqlString(opts.parquetFile)})` : ident(def.name);
    const order = opts.sql !== undefined || opts.parquetFile || opts.derived ? ` ORDER BY ${orderClause(def)}` : '';
    const rows: Rows = [];
    if (wanted.length === 0) {
      const r = await this.conn.runAndReadAll(`SELECT count(*)::DOUBLE FROM ${from}`);
      const n = Number(r.getRows()[0]?.[0] ?? 0);
      for (let i = 0; i < n; i++) rows.push({});
      return rows;
    }
    const fields = wanted.map((c) => `${sqlString(c.name)}: ${columnValue(c)}`).join(', ');
    const times = wanted.filter((c) => c.type === 'TIMESTAMP').map((c) => c.name);
    const add = (r: Record<string, unknown>): void => {
      for (const name of times) {
        const v = r[name];
        if (typeof v === 'number') r[name] = new Date(v).toISOString();
      }
      rows.push(r);
    };
    if (order) {
      // A derived table, in its stable order (small beside the core tables): a row crosses into JS as one JSON text.
      const result = await this.conn.stream(`SELECT to_json({${fields}})::VARCHAR FROM ${from}${order}`);
      for (let chunk = await result.fetchChunk(); chunk && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
        const vec = chunk.getColumnVector(0);
        for (let i = 0, n = chunk.rowCount; i < n; i++) add(JSON.parse(vec.getItem(i) as string) as Record<string, unknown>);
      }
      return rows;
    }
    // A core table, in insertion order (its rowid: it is only appended to), a batch of rows per query (DuckDB holds
    // one batch): each column of a batch crosses into JS as one JSON array made by DuckDB, not one string per value
    // (each costs a native call and a buffer), and JSON.parse makes flat strings.
    const count = await this.conn.runAndReadAll(`SELECT count(*)::DOUBLE FROM ${from}`);
    const total = Number(count.getRows()[0]?.[0] ?? 0);
    const names = wanted.map((c) => c.name);
    const isTime = wanted.map((c) => c.type === 'TIMESTAMP');
    const lists = wanted.map((c) => `to_json(list(${columnValue(c)} ORDER BY rowid))::VARCHAR`).join(', ');
    for (let at = 0; at < total; at += READ_BATCH) {
      const r = await this.runWithRoom(`SELECT ${lists} FROM ${from} WHERE rowid >= ${at} AND rowid < ${at + READ_BATCH}`);
      const texts = r.getRows()[0] ?? [];
      const cols = names.map((_, c) => JSON.parse(texts[c] as string) as unknown[]);
      const n = Math.min(READ_BATCH, total - at);
      if (cols.some((col) => col.length !== n)) throw new Error(`reading ${def.name}: a batch at row ${at} is not ${n} rows`);
      for (let i = 0; i < n; i++) {
        const o: Record<string, unknown> = {};
        for (let c = 0; c < names.length; c++) {
          const v = cols[c]![i];
          o[names[c]!] = isTime[c] && v !== null ? new Date(v as number).toISOString() : v;
        }
        rows.push(o);
      }
    }
    return rows;
  }

  /** A query; when it needs more than the pool as cut (READ_LIMIT: a batch of very long rows), again at the build's limit. */
  private async runWithRoom(sql: string): Promise<DuckDBResultReader> {
    try {
      return await this.conn.runAndReadAll(sql);
    } catch (e) {
      if (!/out of memory/i.test(String(e))) throw e;
      await this.limit(duckDbMemoryLimit());
      return this.conn.runAndReadAll(sql);
    }
  }

  /** Close the database (with `removeDir`, delete the whole temp folder). */
  close(removeDir = false): void {
    this.closeDb();
    if (removeDir) rmSync(this.tmpDir, { recursive: true, force: true });
  }
}
