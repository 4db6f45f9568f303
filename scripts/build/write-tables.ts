// Derive and write: run each derivation whose inputs changed, then write every table (or keep its unchanged file).
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { TABLES, tableByName } from '../../src/lib/schema/index.ts';
import type { TableDef } from '../../src/lib/schema/types.ts';
import type { Manifest } from '../../src/lib/manifest.ts';
import { DERIVATIONS, runDerivation } from '../derive/index.ts';
import type { BuildCache } from '../ingest/cache.ts';
import type { CoreTables, IngestResult } from '../ingest/ingest.ts';
import { openParquetWriter, type ParquetWriter } from '../ingest/write-parquet.ts';
import { parquetPathIn } from './setup.ts';

export interface WrittenTables {
  /** Every table's rows, bytes and file, by name. */
  written: Partial<Manifest['tables']>;
  /** Tables whose file this build wrote, in schema order. */
  rebuilt: string[];
  /** Derivations this build ran. */
  derived: string[];
  writeMs: number;
}

type Rows = readonly Record<string, unknown>[];

/**
 * Writes one table at a time, or keeps its file when the rows hash and the file are last build's. DuckDB is started
 * only when a table has to be written.
 */
class TableWriter {
  readonly written: Partial<Manifest['tables']> = {};
  readonly rebuilt = new Set<string>();
  writeMs = 0;
  private open: ParquetWriter | null = null;
  private readonly tmpDir: string;
  private readonly parquetPath: (def: { name: string }) => string;

  constructor(
    private readonly out: string,
    private readonly cache: BuildCache | null,
    private readonly rowsHashes: Map<string, string>,
  ) {
    this.tmpDir = join(out, '.tmp');
    this.parquetPath = parquetPathIn(out);
  }

  async emit(def: TableDef, rows: Rows): Promise<void> {
    const tw = performance.now();
    const file = `${def.name}.parquet`;
    const cache = this.cache;
    const rowsHash = this.rowsHashes.get(def.name) ?? cache?.rowsHash(def, rows);
    const kept = cache && rowsHash ? cache.unchanged(def, rowsHash, this.parquetPath(def)) : null;
    if (kept) this.written[def.name] = { rows: kept.rows, bytes: kept.bytes, file };
    else {
      this.open ??= await openParquetWriter(this.out, this.tmpDir);
      const r = await this.open.write(tableByName(def.name), rows);
      if (cache && rowsHash) cache.recordTable(def, rowsHash, this.parquetPath(def), r.rows);
      this.written[def.name] = { ...r, file };
      this.rebuilt.add(def.name);
    }
    this.writeMs += performance.now() - tw;
  }

  /** Record a derivation's kept tables as written. */
  keep(tables: readonly TableDef[], kept: readonly { rows: number; bytes: number }[]): void {
    for (const [i, def] of tables.entries()) this.written[def.name] = { rows: kept[i]!.rows, bytes: kept[i]!.bytes, file: `${def.name}.parquet` };
  }

  close(): void {
    this.open?.close();
    rmSync(this.tmpDir, { recursive: true, force: true });
  }
}

/** Row hashes of the core tables: they decide both which tables to write and which derivations to rerun. */
function coreRowsHashes(cache: BuildCache | null, core: Record<string, Record<string, unknown>[]>): Map<string, string> {
  const rowsHashes = new Map<string, string>();
  if (cache) for (const def of TABLES) if (def.name in core) rowsHashes.set(def.name, cache.rowsHash(def, core[def.name] ?? []));
  return rowsHashes;
}

/** Run (or keep) each derivation, writing its tables as soon as they exist and dropping their rows. */
async function deriveAndWrite(ingested: IngestResult, cache: BuildCache | null, writer: TableWriter, rowsHashes: Map<string, string>, parquetPath: (def: TableDef) => string, log: (s: string) => void): Promise<string[]> {
  const derived: string[] = [];
  for (const d of DERIVATIONS) {
    const td = performance.now();
    const key = cache?.derivationKey(JSON.stringify([d.name, ingested.config, d.inputs.map((k) => rowsHashes.get(k))]));
    const kept = cache && key ? cache.derivationUnchanged(d.name, key, d.tables, parquetPath) : null;
    if (kept) {
      writer.keep(d.tables, kept);
      log(`derive ${d.name}: inputs unchanged, tables kept`);
      continue;
    }
    const made = runDerivation(d, ingested.tables as CoreTables, ingested.config);
    if (cache && key) cache.recordDerivation(d.name, key);
    derived.push(d.name);
    const ms = Math.round(performance.now() - td);
    for (const def of d.tables) {
      await writer.emit(def, made[def.name] ?? []);
      delete made[def.name];
    }
    log(`derive ${d.name}: ${ms} ms, tables written`);
  }
  return derived;
}

/**
 * Derived tables first, core tables last (every derivation reads some of them), each released once written or kept,
 * so a large build never holds every derived table at once.
 */
export async function writeTables(ingested: IngestResult, cache: BuildCache | null, out: string, log: (s: string) => void): Promise<WrittenTables> {
  const core = ingested.tables as unknown as Record<string, Record<string, unknown>[]>;
  const rowsHashes = coreRowsHashes(cache, core);
  const writer = new TableWriter(out, cache, rowsHashes);
  let derived: string[];
  try {
    derived = await deriveAndWrite(ingested, cache, writer, rowsHashes, parquetPathIn(out), log);
    for (const def of TABLES) {
      if (def.name in writer.written) continue;
      await writer.emit(def, core[def.name] ?? []);
      if (def.name in core) core[def.name] = [];
    }
  } finally {
    writer.close();
  }
  const rebuilt = TABLES.map((t) => t.name).filter((n) => writer.rebuilt.has(n));
  return { written: writer.written, rebuilt, derived, writeMs: writer.writeMs };
}
