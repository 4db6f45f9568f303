// Node connector: DuckDB's native Node API over the published Parquet files, for build-time pages and unit tests.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  DuckDBInstance,
  DuckDBTypeId,
  JSDuckDBValueConverter,
  type DuckDBConnection,
  type JS,
  type DuckDBValueConverter,
  type DuckDBValue,
} from '@duckdb/node-api';
import {
  assertTableName,
  isoDateFromEpochMs,
  isoFromEpochMs,
  parseManifest,
  tableFiles,
  timeFromMicros,
  type Cell,
  type Connector,
  type Manifest,
  type Param,
} from './connector.ts';

export interface NodeConnectorOptions {
  /** Folder holding `<table>.parquet` and `manifest.json`; default {@link defaultDataDir}. */
  readonly dataDir?: string;
  /** Tables to expose as views; default: the manifest's tables, else every `*.parquet` in `dataDir`. */
  readonly tables?: readonly string[];
}

export interface NodeConnector extends Connector {
  readonly dataDir: string;
  /** The views created, one per table, named like the table. */
  readonly tables: readonly string[];
  /** The parsed manifest.json, or null when the folder has none. */
  readonly manifest: Manifest | null;
  close(): void;
}

/**
 * `ATLAS_DATA_DIR`, else `<ATLAS_PUBLIC_DIR or public>/data`, resolved against the working directory.
 * astro.config.mjs reads the same `ATLAS_PUBLIC_DIR`, so the pages query exactly the files the site ships.
 */
export function defaultDataDir(): string {
  const env = process.env;
  return resolve(env['ATLAS_DATA_DIR'] ?? resolve(env['ATLAS_PUBLIC_DIR'] ?? 'public', 'data'));
}

/** The manifest in `dataDir`, or null when there is none (no data built yet). */
export function readManifest(dataDir: string = defaultDataDir()): Manifest | null {
  const file = resolve(dataDir, 'manifest.json');
  if (!existsSync(file)) return null;
  return parseManifest(JSON.parse(readFileSync(file, 'utf8')), file);
}

const sqlString = (s: string) => `'${s.replaceAll("'", "''")}'`;

export async function createNodeConnector(options: NodeConnectorOptions = {}): Promise<NodeConnector> {
  const dataDir = resolve(options.dataDir ?? defaultDataDir());
  const manifest = readManifest(dataDir);
  const tables = (
    options.tables ??
    (manifest
      ? Object.keys(manifest.tables)
      : existsSync(dataDir)
        ? readdirSync(dataDir)
            .filter((f) => f.endsWith('.parquet'))
            .map((f) => f.slice(0, -'.parquet'.length))
        : [])
  ).map(assertTableName);

  // Build-time SQL must not reach the network either: no extension downloads, UTC for determinism.
  const instance = await DuckDBInstance.create(':memory:', {
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
  });
  const conn = await instance.connect();
  // parquet and icu are linked into the binary; loading them reads no file and fetches nothing.
  await conn.run(`LOAD parquet; LOAD icu; SET TimeZone = 'UTC'`);
  for (const name of tables) {
    // A table in parts is one view over all of them (one file: the same read_parquet of a one-item list).
    const files = tableFiles(manifest, name).map(({ file }) => resolve(dataDir, file));
    const missing = files.find((f) => !existsSync(f));
    if (missing) throw new Error(`Table "${name}" has no Parquet file at ${missing}`);
    await conn.run(`CREATE VIEW "${name}" AS SELECT * FROM read_parquet([${files.map(sqlString).join(', ')}])`);
  }

  // One connection, one statement at a time: pages render concurrently during a build.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <R>(fn: () => Promise<R>): Promise<R> => {
    const next = queue.then(fn, fn);
    queue = next.catch(() => undefined);
    return next;
  };

  return {
    dataDir,
    tables,
    manifest,
    query<T = Record<string, unknown>>(sql: string, params?: readonly Param[]): Promise<T[]> {
      return serial(async () => {
        const reader = await runSql(conn, sql, params);
        return reader.convertRowObjects(plainConverter) as T[];
      });
    },
    close() {
      conn.closeSync();
      instance.closeSync();
    },
  };
}

async function runSql(conn: DuckDBConnection, sql: string, params?: readonly Param[]) {
  if (!params || params.length === 0) return conn.runAndReadAll(sql);
  const prepared = await conn.prepare(sql);
  try {
    // Bind like DuckDB-WASM does: integers as BIGINT/INTEGER, other numbers as DOUBLE, strings, booleans, NULL.
    prepared.bind([...params]);
    return await prepared.runAndReadAll();
  } finally {
    prepared.destroySync();
  }
}

const epochMs = (d: unknown): number => (d instanceof Date ? d.getTime() : Number.NaN);

/** DuckDB value -> {@link Cell}, the conversions documented in connector.ts. */
const plainConverter: DuckDBValueConverter<Cell> = (value: DuckDBValue, type, converter) => {
  if (value === null) return null;
  switch (type.typeId) {
    case DuckDBTypeId.TIMESTAMP:
    case DuckDBTypeId.TIMESTAMP_S:
    case DuckDBTypeId.TIMESTAMP_MS:
    case DuckDBTypeId.TIMESTAMP_NS:
    case DuckDBTypeId.TIMESTAMP_TZ: {
      const ms = epochMs(JSDuckDBValueConverter(value, type, JSDuckDBValueConverter));
      return Number.isNaN(ms) ? String(value) : isoFromEpochMs(ms);
    }
    case DuckDBTypeId.DATE: {
      const ms = epochMs(JSDuckDBValueConverter(value, type, JSDuckDBValueConverter));
      return Number.isNaN(ms) ? String(value) : isoDateFromEpochMs(ms);
    }
    case DuckDBTypeId.TIME:
      return timeFromMicros(JSDuckDBValueConverter(value, type, JSDuckDBValueConverter) as bigint);
    case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.UBIGINT:
    case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.UHUGEINT:
    case DuckDBTypeId.BIGNUM:
      return Number(JSDuckDBValueConverter(value, type, JSDuckDBValueConverter) as bigint);
    case DuckDBTypeId.INTERVAL: // the browser refuses these: cast in SQL (iv::VARCHAR)
    case DuckDBTypeId.TIME_TZ:
    case DuckDBTypeId.TIME_NS:
      return String(value);
    default:
      // Scalars convert as node-api does; LIST/STRUCT/MAP/ARRAY recurse through this converter.
      return JSDuckDBValueConverter(value, type, converter as unknown as DuckDBValueConverter<JS>) as Cell;
  }
};

let shared: Promise<NodeConnector> | undefined;

/**
 * The build's shared connector over {@link defaultDataDir}, created on first use.
 * Astro pages call this in their frontmatter; every page of one build shares the instance.
 */
export function getBuildConnector(): Promise<NodeConnector> {
  shared ??= createNodeConnector();
  return shared;
}
