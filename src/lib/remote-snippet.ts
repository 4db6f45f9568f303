// Past the browser: copyable snippets that attach every published table by URL, for the DuckDB CLI and for Python.
// DuckDB-WASM is bounded by the browser's memory; a researcher who outgrows it reads the same Parquet files with
// native DuckDB (its httpfs extension fetches them with range requests, reading only the columns and row groups a
// query needs). A table published in parts is one `read_parquet([...])` over its files.
import { assertTableName, tableFiles, type Manifest } from './db/connector.ts';

/** A published table and the Parquet files it is made of (one, or its parts). */
export interface PublishedTable {
  name: string;
  files: readonly string[];
}

/** The tables a manifest publishes, each with its files, in name order. */
export function publishedTables(manifest: Manifest): PublishedTable[] {
  return Object.keys(manifest.tables)
    .map((name) => ({ name: assertTableName(name), files: tableFiles(manifest, name).map((f) => f.file) }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** The data folder's absolute URL from the page's own: `https://host/atlas/data/` for `https://host/atlas/sql/`. */
export const dataFolderUrl = (pageHref: string, base: string): string => new URL(`${base}data/`, pageHref).href;

/** A SQL string literal (single quotes doubled). */
const lit = (s: string): string => `'${s.replaceAll("'", "''")}'`;

/** `read_parquet('…')` or `read_parquet(['…', '…'])` over a table's files under the data folder URL. */
export function readParquetSql(dataUrl: string, t: PublishedTable): string {
  const urls = t.files.map((f) => lit(new URL(f, dataUrl).href));
  return `read_parquet(${urls.length === 1 ? urls[0] : `[${urls.join(', ')}]`})`;
}

/** For the DuckDB CLI: one view per table; httpfs is installed on first use (DuckDB ≥ 0.10 autoloads it too). */
export function duckdbCliSnippet(dataUrl: string, tables: readonly PublishedTable[]): string {
  return [
    '-- DuckDB CLI: every published table as a view over its Parquet files, read over HTTP(S).',
    'INSTALL httpfs;',
    'LOAD httpfs;',
    ...tables.map((t) => `CREATE OR REPLACE VIEW ${t.name} AS SELECT * FROM ${readParquetSql(dataUrl, t)};`),
    'SHOW TABLES;',
  ].join('\n');
}

/** For Python (`pip install duckdb`): the same views on an in-memory connection. */
export function pythonSnippet(dataUrl: string, tables: readonly PublishedTable[]): string {
  return [
    'import duckdb',
    '',
    'con = duckdb.connect()',
    'con.sql("INSTALL httpfs; LOAD httpfs;")',
    ...tables.map((t) => `con.sql(${JSON.stringify(`CREATE OR REPLACE VIEW ${t.name} AS SELECT * FROM ${readParquetSql(dataUrl, t)}`)})`),
    'con.sql("SHOW TABLES").show()',
  ].join('\n');
}
