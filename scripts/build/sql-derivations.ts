// Tables made at build time by SQL over the published core tables (the list: src/lib/sql-derived.ts), after those
// are written: DuckDB reads only the columns the SQL names from the Parquet files (every part of a parted table), so
// the rows never pass through a derivation in JavaScript and the browser reads a small table instead of aggregating
// large ones.
//
// Rules:
// 1. A SQL derivation's inputs are core tables; it runs on every build (full or refresh) over their files as this
//    build lists them, so it is never stale. Its rows come back to JavaScript (one small row per key) and are written
//    like any table: kept when their rows hash is last build's.
// 2. The SQL is the site's own (src/lib/queries): the methods page shows it, and the tests run it over the same
//    files and compare.
import { join } from 'node:path';
import type { TableEntry } from '../../src/lib/manifest.ts';
import type { TableDef } from '../../src/lib/schema/types.ts';
import { ident, sqlString } from '../ingest/write-parquet.ts';

export { SQL_DERIVATIONS, SQL_DERIVED_TABLES, type SqlDerivation } from '../../src/lib/sql-derived.ts';

/**
 * `read_parquet([...])` of a written table's files (each part's, or its one file) in `dir`; a parted table with no
 * parts (no rows) is an empty SELECT of its columns.
 */
export function parquetSource(dir: string, def: TableDef, entry: TableEntry): string {
  const files = entry.parts ? entry.parts.map((p) => p.file) : entry.file ? [entry.file] : [];
  if (files.length === 0) return `(SELECT ${def.columns.map((c) => `CAST(NULL AS ${c.type}) AS ${ident(c.name)}`).join(', ')} WHERE false)`;
  return `read_parquet([${files.map((f) => sqlString(join(dir, f))).join(', ')}])`;
}
