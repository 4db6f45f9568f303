// The build's staging database: an in-memory DuckDB with its temp directory under <out>/.tmp that holds every table
// between the ingest and the Parquet files, so the rows do not stay in JavaScript. DuckDB keeps at most its
// memory_limit in memory and spills the rest to the temp directory. (It was a database file: at scale 100 an in-memory
// one with the same limit gives the same peak and spends less time writing blocks the build reads once or twice.)
//
// Rules:
// 1. Each core table is loaded once, right after the ingest (rows hash computed in the same pass), and its JS rows are
//    dropped (but for the columns the derivations read: write-tables.ts `HeldInputs` keeps those, as the ingest made
//    them). Each derived table is loaded when its derivation returns it.
// 2. A derivation that reads another's tables is handed them read back from here, in their stable Parquet order
//    (orderClause), whether they were made by this build or kept from the last one (then read from their Parquet
//    file), so a derivation sees the same rows either way. (Core tables were read back too, in insertion order: a
//    plain scan under preserve_insertion_order; `read` still can.)
// 3. Values come back as the ingest made them: TIMESTAMP as an ISO-8601 string (toISOString, millisecond precision),
//    NULL as null, VARCHAR[] as an array (read through NDJSON, which DuckDB writes with shortest round-trip doubles).
// 4. Parquet files are COPYs of the staged tables (write-parquet.ts `copyTable`), as before; a table declared in parts
//    (TableDef.partBy) is one COPY per part, each part with its own rows hash so a refresh rewrites only changed parts.
// 5. Memory is one budget: DuckDB's buffer pool is cut to IDLE_LIMIT while a derivation runs in JavaScript (no query
//    runs then). Not while staging: reading NDJSON needs buffers of twice its maximum object size (128 MB), and a
//    limit below what a query needs is an out-of-memory error, not a spill.
import { createReadStream, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { TableDef } from '../../src/lib/schema/types.ts';
import { copyTable, duckDbMemoryLimit, ident, loadRows, openDuckDb, orderClause, partHashes, sqlString } from '../ingest/write-parquet.ts';

const IDLE_LIMIT = '64MB';

type Rows = Record<string, unknown>[];

/** Call `fn` on each non-empty line of a UTF-8 file, reading it in chunks. */
async function eachLine(path: string, fn: (line: string) => void): Promise<void> {
  const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 22 });
  let rest = '';
  for await (const chunk of stream as AsyncIterable<string>) {
    const text = rest + chunk;
    let start = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
      if (nl > start) fn(text.slice(start, nl));
      start = nl + 1;
    }
    rest = text.slice(start);
  }
  if (rest) fn(rest);
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
    try {
      await this.conn.run(`SET memory_limit=${sqlString(on ? IDLE_LIMIT : duckDbMemoryLimit())}`);
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
   * or from `parquetFile` (a kept derived table) in stable order.
   */
  async read(def: TableDef, opts: { derived?: boolean; parquetFile?: string; columns?: readonly string[] | undefined } = {}): Promise<Rows> {
    const wanted = opts.columns ? def.columns.filter((c) => opts.columns!.includes(c.name)) : def.columns;
    const cols = wanted.map((c) => (c.type === 'TIMESTAMP' ? `epoch_ms(${ident(c.name)}) AS ${ident(c.name)}` : ident(c.name)));
    const from = opts.parquetFile ? `read_parquet(${sqlString(opts.parquetFile)})` : ident(def.name);
    // A core table comes back in insertion order without a sort: preserve_insertion_order (set in open) keeps a
    // plain scan's order in COPY's output, and sorting by rowid cost a sort of every row with its text.
    const order = opts.parquetFile || opts.derived ? ` ORDER BY ${orderClause(def)}` : '';
    // Through NDJSON: DuckDB writes it and JSON.parse reads it several times faster than the Node API's row objects.
    const nd = join(this.tmpDir, `read-${def.name}.ndjson`);
    await this.conn.run(`COPY (SELECT ${cols.join(', ')} FROM ${from}${order}) TO ${sqlString(nd)} (FORMAT json)`);
    const times = wanted.filter((c) => c.type === 'TIMESTAMP').map((c) => c.name);
    const rows: Rows = [];
    await eachLine(nd, (line) => {
      const r = JSON.parse(line) as Record<string, unknown>;
      for (const c of wanted) if (!(c.name in r)) r[c.name] = null;
      for (const name of times) if (typeof r[name] === 'number') r[name] = new Date(r[name]).toISOString();
      rows.push(r);
    });
    rmSync(nd, { force: true });
    return rows;
  }

  /** Close the database (with `removeDir`, delete the whole temp folder). */
  close(removeDir = false): void {
    this.closeDb();
    if (removeDir) rmSync(this.tmpDir, { recursive: true, force: true });
  }
}
