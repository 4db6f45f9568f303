// Write rows as zstd Parquet through DuckDB's Node API: NDJSON → typed table → COPY, temp file then rename.
import { mkdirSync, renameSync, rmSync, writeFileSync, createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { TableDef } from '../../src/lib/schema/types.ts';
import { toWellFormed } from './boundary.ts';

const LONE_ESCAPE = /\\ud[89a-f][0-9a-f]{2}/i;

const sqlString = (s: string): string => `'${s.replaceAll("'", "''")}'`;
const ident = (s: string): string => `"${s.replaceAll('"', '""')}"`;

export interface ParquetWriter {
  write(def: TableDef, rows: readonly Record<string, unknown>[]): Promise<{ rows: number; bytes: number }>;
  close(): void;
}

async function writeNdjson(path: string, def: TableDef, rows: readonly Record<string, unknown>[]): Promise<void> {
  const out = createWriteStream(path);
  const names = def.columns.map((c) => c.name);
  let buf = '';
  for (const r of rows) {
    const o: Record<string, unknown> = {};
    for (const n of names) o[n] = r[n] ?? null;
    let line = JSON.stringify(o);
    // JSON.stringify writes a lone surrogate as a \udXXX escape, which DuckDB's reader refuses for the whole table.
    // Inputs are checked for them; this keeps a slip (a cut string, say) from stopping the build.
    if (LONE_ESCAPE.test(line)) line = JSON.stringify(o, (_k, v: unknown) => (typeof v === 'string' ? toWellFormed(v) : v));
    buf += `${line}\n`;
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await once(out, 'drain');
      buf = '';
    }
  }
  out.end(buf);
  await once(out, 'finish');
}

/** Stable ORDER BY: the table's orderBy columns, then every other column, so ties never reorder. */
export function orderClause(def: TableDef): string {
  const cols = [...def.orderBy, ...def.columns.map((c) => c.name).filter((n) => !def.orderBy.includes(n))];
  return cols
    .filter((n) => def.columns.find((c) => c.name === n)?.type !== 'VARCHAR[]')
    .map((n) => `${ident(n)} NULLS LAST`)
    .join(', ');
}

export async function openParquetWriter(outDir: string, tmpDir: string): Promise<ParquetWriter> {
  mkdirSync(outDir, { recursive: true });
  mkdirSync(tmpDir, { recursive: true });
  // Loaded here, not at start-up: a build that writes no table does not pay for DuckDB's native module.
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const db = await DuckDBInstance.create(':memory:', { threads: '2' });
  const conn: DuckDBConnection = await db.connect();
  await conn.run(`SET TimeZone='UTC'`);
  // DuckDB keeps what it allocates for its buffer pool; with the default limit (80% of RAM) that is most of a
  // large table again next to the rows in JavaScript. 1 GB is plenty for one table at a time; sorts spill beyond it.
  await conn.run(`SET memory_limit='1GB'`);
  await conn.run(`SET temp_directory=${sqlString(tmpDir)}`);
  return {
    async write(def, rows) {
      const nd = join(tmpDir, `${def.name}.ndjson`);
      const target = join(outDir, `${def.name}.parquet`);
      const tmp = `${target}.tmp`;
      const colsDdl = def.columns.map((c) => `${ident(c.name)} ${c.type}`).join(', ');
      await conn.run(`CREATE OR REPLACE TABLE ${ident(def.name)} (${colsDdl})`);
      if (rows.length > 0) {
        await writeNdjson(nd, def, rows);
        const colsJson = `{${def.columns.map((c) => `${sqlString(c.name)}: ${sqlString(c.type)}`).join(', ')}}`;
        await conn.run(
          `INSERT INTO ${ident(def.name)} SELECT * FROM read_json(${sqlString(nd)}, format='newline_delimited', columns=${colsJson}, maximum_object_size=67108864)`,
        );
        rmSync(nd, { force: true });
      }
      await conn.run(
        `COPY (SELECT * FROM ${ident(def.name)} ORDER BY ${orderClause(def)}) TO ${sqlString(tmp)} (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 122880)`,
      );
      renameSync(tmp, target);
      const r = await conn.runAndReadAll(`SELECT count(*)::INTEGER AS n FROM ${ident(def.name)}`);
      await conn.run(`DROP TABLE ${ident(def.name)}`);
      const n = Number(r.getRowObjectsJson()[0]?.['n'] ?? 0);
      const { statSync } = await import('node:fs');
      return { rows: n, bytes: statSync(target).size };
    },
    close() {
      conn.closeSync();
      db.closeSync();
    },
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
