// Write rows as zstd Parquet through DuckDB's Node API: NDJSON → typed table → COPY, temp file then rename.
// The same steps serve the data build's staging database (scripts/build/stage.ts): a table is loaded once (its rows
// hash computed in the same pass), read back by the derivations that declare it, and copied to Parquet from there.
import { mkdirSync, renameSync, rmSync, statSync, writeFileSync, createWriteStream } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { once } from 'node:events';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { TableDef } from '../../src/lib/schema/types.ts';
import { toWellFormed } from './boundary.ts';

const LONE_ESCAPE = /\\ud[89a-f][0-9a-f]{2}/i;

export const sqlString = (s: string): string => `'${s.replaceAll("'", "''")}'`;
export const ident = (s: string): string => `"${s.replaceAll('"', '""')}"`;

export interface ParquetWriter {
  write(def: TableDef, rows: readonly Record<string, unknown>[]): Promise<{ rows: number; bytes: number }>;
  close(): void;
}

/**
 * Write the rows as NDJSON in schema column order and return their rows hash (table-cache.ts `rowsHash`: the same
 * bytes hashed, computed in this pass so the table is walked once).
 */
async function writeNdjson(path: string, def: TableDef, rows: readonly Record<string, unknown>[]): Promise<{ hash: string; longest: number }> {
  const out = createWriteStream(path);
  const names = def.columns.map((c) => c.name);
  // Each value is written as JSON once: the line is `{"name":value,...}` and the hashed text `[value,...]`, the
  // same text JSON.stringify gives for the row object and for the array of its values.
  const keys = names.map((n, i) => `${i === 0 ? '{' : ','}${JSON.stringify(n)}:`);
  const h = createHash('sha256').update(JSON.stringify(def));
  let buf = '';
  let longest = 0;
  for (const r of rows) {
    let line = '';
    let vals = '';
    for (let i = 0; i < names.length; i++) {
      const j = JSON.stringify(r[names[i]!] ?? null);
      line += keys[i]! + j;
      vals += (i === 0 ? '[' : ',') + j;
    }
    line += '}';
    h.update(`${vals}]\n`);
    // JSON.stringify writes a lone surrogate as a \udXXX escape, which DuckDB's reader refuses for the whole table.
    // Inputs are checked for them; this keeps a slip (a cut string, say) from stopping the build.
    if (line.includes('\\u') && LONE_ESCAPE.test(line)) line = JSON.stringify(rowObject(names, r), (_k, v: unknown) => (typeof v === 'string' ? toWellFormed(v) : v));
    if (line.length > longest) longest = line.length;
    buf += `${line}\n`;
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await once(out, 'drain');
      buf = '';
    }
  }
  out.end(buf);
  await once(out, 'finish');
  return { hash: h.digest('hex'), longest };
}

/** The row's columns in schema order (a missing value as null). */
function rowObject(names: readonly string[], r: Record<string, unknown>): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (const n of names) o[n] = r[n] ?? null;
  return o;
}

/**
 * read_json's maximum_object_size for lines of at most `longest` UTF-16 units: their UTF-8 bytes (≤ 3 a unit), as a
 * power of two of at least 1 MB. DuckDB sizes its read buffers from it, so a fixed 64 MB cost 128 MB of buffers for
 * tables whose longest row is a few KB, and made a memory_limit of 256 MB an out-of-memory error.
 */
export function maxObjectSize(longest: number): number {
  let n = 1 << 20;
  while (n < longest * 3 + 1) n *= 2;
  return n;
}

/** Stable ORDER BY: the table's orderBy columns, then every other column, so ties never reorder. */
export function orderClause(def: TableDef): string {
  const cols = [...def.orderBy, ...def.columns.map((c) => c.name).filter((n) => !def.orderBy.includes(n))];
  return cols
    .filter((n) => def.columns.find((c) => c.name === n)?.type !== 'VARCHAR[]')
    .map((n) => `${ident(n)} NULLS LAST`)
    .join(', ');
}

/**
 * Load rows into a typed DuckDB table named `table` (replacing it), in their order (insertion order is kept), and
 * return their rows hash. The JS rows may be dropped afterwards: the table holds them, spilling past memory_limit.
 */
export async function loadRows(conn: DuckDBConnection, tmpDir: string, def: TableDef, table: string, rows: readonly Record<string, unknown>[]): Promise<string> {
  const colsDdl = def.columns.map((c) => `${ident(c.name)} ${c.type}`).join(', ');
  await conn.run(`CREATE OR REPLACE TABLE ${ident(table)} (${colsDdl})`);
  const nd = join(tmpDir, `${table}.ndjson`);
  const { hash, longest } = await writeNdjson(nd, def, rows);
  if (rows.length > 0) {
    const colsJson = `{${def.columns.map((c) => `${sqlString(c.name)}: ${sqlString(c.type)}`).join(', ')}}`;
    await conn.run(
      `INSERT INTO ${ident(table)} SELECT * FROM read_json(${sqlString(nd)}, format='newline_delimited', columns=${colsJson}, maximum_object_size=${maxObjectSize(longest)})`,
    );
  }
  rmSync(nd, { force: true });
  return hash;
}

/** COPY a loaded table (with `part`, only that part's rows) to `target` in its stable order (temp file, then rename). */
export async function copyTable(conn: DuckDBConnection, def: TableDef, table: string, target: string, part?: string): Promise<{ rows: number; bytes: number }> {
  const tmp = `${target}.tmp`;
  const where = part === undefined ? '' : ` WHERE ${partFilter(def, part)}`;
  // COPY answers with the number of rows it wrote: no second scan to count them.
  const r = await conn.runAndReadAll(`COPY (SELECT * FROM ${ident(table)}${where} ORDER BY ${orderClause(def)}) TO ${sqlString(tmp)} (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 122880)`);
  renameSync(tmp, target);
  return { rows: Number(r.getRows()[0]?.[0] ?? 0), bytes: statSync(target).size };
}

/** The SQL naming a row's part (TableDef.partBy): the UTC day of its partBy column, `undated` when that is null. */
export function partKeyExpr(def: TableDef): string {
  if (!def.partBy) throw new Error(`${def.name} is not published in parts`);
  // A far-off year prints as, say, '-0044-03-15 (BC)': anything but [A-Za-z0-9_-] becomes '_' (a valid part key).
  return `regexp_replace(coalesce(strftime(${ident(def.partBy)}, '%Y-%m-%d'), 'undated'), '[^A-Za-z0-9_-]', '_', 'g')`;
}

/**
 * The rows of part `key`: a day written as YYYY-MM-DD is a range of the partBy column (no per-row formatting, and
 * DuckDB skips row groups outside it), which holds exactly the rows whose partKeyExpr is that key; any other key
 * ('undated', a far-off year) compares partKeyExpr itself.
 */
export function partFilter(def: TableDef, key: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(key)) return `${partKeyExpr(def)} = ${sqlString(key)}`;
  const col = ident(def.partBy!);
  return `${col} >= DATE ${sqlString(key)} AND ${col} < DATE ${sqlString(key)} + INTERVAL 1 DAY`;
}

/** The key of the one (empty) part of a parted table with no rows. */
export const EMPTY_PART = 'empty';

/**
 * Each part of a loaded table with its row count and a hash of its rows (the sum of each row's 64-bit DuckDB `hash`
 * of all its columns and each DOUBLE's sign, with the table definition's hash), in key order; an empty table is one empty part. A part whose
 * hash is last build's and whose file is intact keeps its file. The sum does not depend on the rows' order, which is
 * what a part's file needs (it is written in stable order). One streaming aggregate: no sort, nothing held per row
 * (an ordered string_agg of each row's JSON md5 cost a sort and a JSON text of every row). DuckDB's hash is not
 * promised stable across its versions: table entries carry its version (table-cache.ts `tableFingerprint`).
 */
export async function partHashes(conn: DuckDBConnection, def: TableDef, table: string): Promise<{ key: string; rows: number; hash: string }[]> {
  // hash() takes -0.0 for 0.0 (they compare equal) while Parquet keeps the sign: each DOUBLE's sign bit is hashed too.
  const cols = def.columns.map((c) => (c.type === 'DOUBLE' ? `${ident(c.name)}, signbit(${ident(c.name)})` : ident(c.name))).join(', ');
  const r = await conn.runAndReadAll(
    `SELECT ${partKeyExpr(def)} AS k, count(*)::INTEGER AS n, sum(hash(${cols})::HUGEINT)::VARCHAR AS h
     FROM ${ident(table)} GROUP BY k ORDER BY k`,
  );
  const defHash = createHash('sha256').update(JSON.stringify(def)).digest('hex');
  const parts = r.getRowObjectsJson().map((o) => ({ key: String(o['k']), rows: Number(o['n']), hash: `${defHash}:${String(o['n'])}:${String(o['h'])}` }));
  return parts.length > 0 ? parts : [{ key: EMPTY_PART, rows: 0, hash: `${defHash}:empty` }];
}

/** DuckDB's memory_limit for the build: $ATLAS_DUCKDB_MEMORY, default 512 MB. */
export const duckDbMemoryLimit = (): string => process.env['ATLAS_DUCKDB_MEMORY'] ?? '512MB';

/**
 * A DuckDB connection for the build: UTC, 2 threads, a memory limit (default 512 MB, $ATLAS_DUCKDB_MEMORY) and a
 * temp directory, so large sorts and tables spill to disk instead of growing the process. `path` ':memory:' or a
 * database file (the build's staging database).
 */
export async function openDuckDb(path: string, tmpDir: string): Promise<{ conn: DuckDBConnection; close(): void }> {
  mkdirSync(tmpDir, { recursive: true });
  // Loaded here, not at start-up: a build that writes no table does not pay for DuckDB's native module.
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const db = await DuckDBInstance.create(path, { threads: '2' });
  const conn: DuckDBConnection = await db.connect();
  await conn.run(`SET TimeZone='UTC'`);
  // DuckDB keeps what it allocates for its buffer pool (default: 80% of RAM), next to the JavaScript heap.
  await conn.run(`SET memory_limit=${sqlString(duckDbMemoryLimit())}`);
  await conn.run(`SET temp_directory=${sqlString(tmpDir)}`);
  return {
    conn,
    close() {
      conn.closeSync();
      db.closeSync();
    },
  };
}

export async function openParquetWriter(outDir: string, tmpDir: string): Promise<ParquetWriter> {
  mkdirSync(outDir, { recursive: true });
  const db = await openDuckDb(':memory:', tmpDir);
  return {
    async write(def, rows) {
      await loadRows(db.conn, tmpDir, def, def.name, rows);
      const r = await copyTable(db.conn, def, def.name, join(outDir, `${def.name}.parquet`));
      await db.conn.run(`DROP TABLE ${ident(def.name)}`);
      return r;
    },
    close: () => db.close(),
  };
}

/** Write JSON through a temporary file and a rename; returns the text written. */
export function writeJsonAtomic(path: string, value: unknown): string {
  const tmp = `${path}.tmp`;
  const text = `${JSON.stringify(value, null, 2)}\n`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
  return text;
}
