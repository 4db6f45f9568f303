// Derive and write: stage the core tables in DuckDB (stage.ts) and drop their JS rows, run each derivation whose inputs
// changed on the tables it declares (read back from the stage, only its declared columns, freed after it), then write
// every table (or keep its unchanged file).
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { TABLES, tableByName } from '../../src/lib/schema/index.ts';
import type { TableDef } from '../../src/lib/schema/types.ts';
import type { Manifest, TableEntry, TablePart } from '../../src/lib/manifest.ts';
import { DERIVATIONS, runDerivation, type Derivation, type DerivationMemo, type DerivedTables } from '../derive/index.ts';
import type { BuildCache } from '../ingest/cache.ts';
import { rowsHash } from '../ingest/table-cache.ts';
import type { CoreTables, IngestResult } from '../ingest/ingest.ts';
import { parquetPathIn } from './setup.ts';
import { collectIfLarge, probe } from './memory.ts';
import { Stage } from './stage.ts';
import { parquetSource, SQL_DERIVATIONS, SQL_DERIVED_TABLES } from './sql-derivations.ts';
import { phases } from './phases.ts';

export interface WrittenTables {
  /** Every table's rows, bytes and file, by name. */
  written: Partial<Manifest['tables']>;
  /** Tables whose file this build wrote, in schema order. */
  rebuilt: string[];
  /** Derivations this build ran. */
  derived: string[];
  /** How each derivation's tables were made: kept (inputs unchanged), updated (ran with its memo) or full. */
  modes: Record<string, DerivationMode>;
  writeMs: number;
}

/** Writes one staged table at a time, or keeps its file when the rows hash and the file are last build's. */
class TableWriter {
  readonly written: Partial<Manifest['tables']> = {};
  readonly rebuilt = new Set<string>();
  /** Rows hash of every table staged or kept: decides which tables to write and which derivations to rerun. */
  readonly rowsHashes = new Map<string, string>();
  /** Tables kept from the last build without staging (read from their Parquet file when a derivation needs a derived one). */
  readonly keptFiles = new Set<string>();
  /** Core tables loaded into the stage (read back by the derivations that declare them). */
  readonly staged = new Set<string>();
  writeMs = 0;
  readonly parquetPath: (def: { name: string }) => string;

  constructor(
    private readonly out: string,
    private readonly cache: BuildCache | null,
    readonly stage: Stage,
  ) {
    this.parquetPath = parquetPathIn(out);
  }

  /** Stage a table's rows and write (or keep) its file; a table whose rows are last build's is kept without staging. */
  async emit(def: TableDef, rows: readonly Record<string, unknown>[]): Promise<void> {
    const tw = performance.now();
    if (this.keepUnstaged(def, rows)) {
      this.writeMs += performance.now() - tw;
      return;
    }
    this.rowsHashes.set(def.name, await this.stage.load(def, rows));
    this.writeMs += performance.now() - tw;
    await this.emitStaged(def);
  }

  /** Write (or keep) the file of a table already staged (a parted table: each of its parts). */
  async emitStaged(def: TableDef): Promise<void> {
    const tw = performance.now();
    if (def.partBy) await this.emitParts(def);
    else {
      const file = `${def.name}.parquet`;
      const r = await this.writeOrKeep(def, def.name, this.rowsHashes.get(def.name)!, file);
      this.written[def.name] = { rows: r.rows, bytes: r.bytes, file };
    }
    removeStale(this.out, def, this.written[def.name]!);
    this.writeMs += performance.now() - tw;
  }

  /** Each part of a parted table: kept when its rows hash and file are last build's, else written. */
  private async emitParts(def: TableDef): Promise<void> {
    const parts: TablePart[] = [];
    for (const p of await this.stage.parts(def)) {
      const file = `${def.name}.${p.key}.parquet`;
      const r = await this.writeOrKeep(def, `${def.name}.${p.key}`, p.hash, file, p.key);
      parts.push({ key: p.key, file, rows: r.rows, bytes: r.bytes });
    }
    this.written[def.name] = { rows: sum(parts, 'rows'), bytes: sum(parts, 'bytes'), parts };
    this.cache?.recordParts(def.name, this.rowsHashes.get(def.name)!, this.written[def.name]!.rows, parts.map((p) => p.key));
  }

  /**
   * Keep a table's file (or every part's) without staging it: when last build recorded as many rows, the same rows
   * hash (table-cache.ts `rowsHash`, the bytes the staging pass hashes) and the files are intact. A refresh's
   * unchanged tables (results, runs, the outputs a derivation made again the same) then cost a hash, not a load
   * into DuckDB. A full build has no entries, and a table whose row count moved is staged without hashing it twice.
   * A derived table kept so is read back from its file by a later derivation (`keptFiles`), as one kept whole.
   */
  keepUnstaged(def: TableDef, rows: readonly Record<string, unknown>[]): boolean {
    if (!this.cache || this.cache.knownRows(def.name) !== rows.length) return false;
    const hash = phases.time(`hash/${def.name}`, () => rowsHash(def, rows));
    if (def.partBy) {
      const kept = this.cache.unchangedParts(def.name, hash, (key) => join(this.out, `${def.name}.${key}.parquet`));
      if (!kept) return false;
      const parts = kept.map(({ key, entry }) => ({ key, file: `${def.name}.${key}.parquet`, rows: entry.rows, bytes: entry.bytes }));
      this.written[def.name] = { rows: sum(parts, 'rows'), bytes: sum(parts, 'bytes'), parts };
    } else {
      const file = `${def.name}.parquet`;
      const e = this.cache.unchanged(def, hash, join(this.out, file));
      if (!e) return false;
      this.written[def.name] = { rows: e.rows, bytes: e.bytes, file };
    }
    this.rowsHashes.set(def.name, hash);
    this.keptFiles.add(def.name);
    removeStale(this.out, def, this.written[def.name]!);
    return true;
  }

  /** One file (a table's or a part's, cached under `cacheName`): kept, or copied from the stage and recorded. */
  private async writeOrKeep(def: TableDef, cacheName: string, rowsHash: string, file: string, part?: string): Promise<{ rows: number; bytes: number }> {
    const path = join(this.out, file);
    const entry = { ...def, name: cacheName };
    const kept = this.cache ? this.cache.unchanged(entry, rowsHash, path) : null;
    if (kept) return kept;
    const r = await this.stage.copy(def, path, part);
    if (this.cache) this.cache.recordTable(entry, rowsHash, path, r.rows);
    this.rebuilt.add(def.name);
    return r;
  }

  /** Record a derivation's kept tables as written. */
  keep(tables: readonly TableDef[], kept: readonly { rows: number; bytes: number; rowsHash: string }[]): void {
    for (const [i, def] of tables.entries()) {
      this.written[def.name] = { rows: kept[i]!.rows, bytes: kept[i]!.bytes, file: `${def.name}.parquet` };
      this.rowsHashes.set(def.name, kept[i]!.rowsHash);
      this.keptFiles.add(def.name);
    }
  }
}

const sum = (parts: readonly TablePart[], k: 'rows' | 'bytes'): number => parts.reduce((n, p) => n + p[k], 0);

/** Delete the table's files this build does not list: last build's parts or single file when the layout or days changed. */
function removeStale(out: string, def: TableDef, entry: TableEntry): void {
  const listed = new Set(entry.parts ? entry.parts.map((p) => p.file) : [entry.file]);
  const mine = new RegExp(`^${def.name}(\\.[\\w-]+)?\\.parquet$`);
  for (const f of readdirSync(out)) if (mine.test(f) && !listed.has(f)) rmSync(join(out, f), { force: true });
}

/** A core table with at least this many rows is collected (memory.ts) once staged; smaller ones are not worth a GC. */
const COLLECT_ROWS = 10_000;

/**
 * Stage every core table (rows hash in the same pass) and release its JS rows: each derivation reads its declared
 * columns back from the stage when it runs (inputsOf). A core table a refresh keeps without staging (keepUnstaged) is
 * not in the stage: its readers' columns are held from the ingest (HeldInputs). A large table's released rows are
 * collected before the next table is loaded into DuckDB (its pool grows beside the heap) and once at the end, not after
 * each table: a refresh keeps most core tables without staging them, and collecting after each of those cost a full
 * GC apiece (~1.5 s each at scale 100) with nothing growing between them.
 */
async function stageCore(core: Record<string, Record<string, unknown>[]>, writer: TableWriter, held: HeldInputs): Promise<void> {
  const tw = performance.now();
  probe('stage-start');
  collectIfLarge(); // what the ingest made and no longer holds (records, parsed units), before DuckDB's pool grows beside it
  let garbage = false; // a large table's rows released since the last collection
  for (const def of TABLES) {
    if (!(def.name in core)) continue;
    const rows = core[def.name] ?? [];
    const ts = performance.now();
    if (writer.keepUnstaged(def, rows)) {
      phases.add(`stage/${def.name}`, performance.now() - ts);
      phases.time(`stage/${def.name}/hold`, () => held.keep(def, rows));
    } else {
      if (garbage) collectIfLarge();
      garbage = false;
      writer.rowsHashes.set(def.name, await writer.stage.load(def, rows));
      writer.staged.add(def.name);
      phases.add(`stage/${def.name}`, performance.now() - ts);
    }
    core[def.name] = [];
    if (rows.length >= COLLECT_ROWS) garbage = true; // its rows are garbage now
    probe(`staged/${def.name}`);
  }
  if (garbage) collectIfLarge(); // before the derivations grow the heap
  writer.writeMs += performance.now() - tw;
  phases.add('stage', performance.now() - tw);
}

/**
 * The rows of the core tables a refresh keeps without staging (their rows hash and files are last build's) that a
 * derivation to run still reads: each with the union of the columns its readers declare (all columns when one declares
 * none), handed to each reader as the ingest made them, and released once no derivation still to run reads it. The
 * kept rows are new objects over the ingest's values, so they cost the objects, not a second copy of the text. (Every
 * core table was held so until the derivations read their columns back from the stage: the union of every
 * derivation's columns then stayed in JavaScript until the last reader, ~100 MB of live heap at scale 30.)
 */
export class HeldInputs {
  private readonly held = new Map<string, Record<string, unknown>[]>();

  constructor(private readonly plan: readonly Derivation[]) {}

  /** Keep the columns the derivations read of core table `def` (nothing when none reads it). */
  keep(def: TableDef, rows: readonly Record<string, unknown>[]): void {
    const readers = this.plan.filter((d) => (d.inputs as readonly string[]).includes(def.name));
    if (readers.length === 0) return;
    const declared = readers.map((d) => d.columns?.[def.name as keyof CoreTables]);
    const names = declared.some((c) => !c) ? def.columns.map((c) => c.name) : [...new Set(declared.flatMap((c) => c ?? []))];
    this.held.set(
      def.name,
      rows.map((r) => {
        const o: Record<string, unknown> = {};
        for (const n of names) o[n] = r[n];
        return o;
      }),
    );
  }

  /** The rows of core table `name` (a fresh array: a derivation may sort its own). */
  get(name: string): Record<string, unknown>[] {
    return (this.held.get(name) ?? []).slice();
  }

  /** Release the tables no derivation after plan index `at` reads. */
  release(at: number): void {
    const later = this.plan.slice(at + 1);
    for (const name of [...this.held.keys()]) if (!later.some((d) => (d.inputs as readonly string[]).includes(name))) this.held.delete(name);
  }
}

/**
 * A derivation's declared tables: core ones read back from the stage (only its declared columns, in insertion order)
 * or, for a core table kept without staging (a refresh), from `held`; derived ones read back from the stage (or a
 * kept file).
 */
async function inputsOf(d: Derivation, held: HeldInputs, writer: TableWriter): Promise<{ core: CoreTables; derived: DerivedTables }> {
  const core: Record<string, unknown> = {};
  for (const name of d.inputs) {
    if (!writer.staged.has(name)) {
      core[name] = held.get(name);
      continue;
    }
    const def = TABLES.find((t) => t.name === name)!;
    const rows = await phases.timeAsync(`derive/${d.name}/read/${name}`, () => writer.stage.read(def, { columns: d.columns?.[name] }));
    core[name] = rows;
  }
  const derived: DerivedTables = {};
  for (const name of d.reads ?? []) {
    const def = TABLES.find((t) => t.name === name)!;
    derived[name] = await writer.stage.read(def, writer.keptFiles.has(name) ? { parquetFile: writer.parquetPath(def) } : { derived: true });
  }
  return { core: core as unknown as CoreTables, derived };
}

/**
 * How a derivation's tables were made this build: `kept` (its inputs were last build's: tables kept), `updated` (it ran
 * with last build's memo: only the work its changed inputs need, Derivation.memo) or `full` (it ran from scratch).
 */
export type DerivationMode = 'kept' | 'updated' | 'full';

/** The derivation's memo for this build (Derivation.memo), keyed by the code, configuration and its memo inputs. */
function memoOf(d: Derivation, ingested: IngestResult, cache: BuildCache | null, writer: TableWriter): DerivationMemo | undefined {
  if (!d.memo || !cache) return undefined;
  const hashes = d.memo.inputs.map((k) => writer.rowsHashes.get(k));
  return cache.memo(d.name, cache.derivationKey(JSON.stringify([d.name, 'memo', ingested.config, hashes])));
}

/** Run (or keep) each derivation, staging and writing its tables as soon as they exist and dropping their rows. */
async function deriveAndWrite(ingested: IngestResult, cache: BuildCache | null, writer: TableWriter, held: HeldInputs, log: (s: string) => void, modes: Record<string, DerivationMode>): Promise<string[]> {
  const derived: string[] = [];
  for (const [at, d] of DERIVATIONS.entries()) {
    const td = performance.now();
    const hashes = [...d.inputs, ...(d.reads ?? [])].map((k) => writer.rowsHashes.get(k));
    const key = cache?.derivationKey(JSON.stringify([d.name, ingested.config, hashes]));
    const kept = cache && key ? cache.derivationUnchanged(d.name, key, d.tables, writer.parquetPath) : null;
    if (kept) {
      modes[d.name] = 'kept';
      writer.keep(d.tables, kept);
      held.release(at);
      phases.add(`derive/${d.name}`, performance.now() - td);
      log(`derive ${d.name}: inputs unchanged, tables kept`);
      continue;
    }
    await writer.stage.reading(true);
    const inputs = await inputsOf(d, held, writer);
    collectIfLarge(); // what reading them left (each batch's JSON text), before the derivation grows the heap
    const tr = performance.now();
    await writer.stage.idle(true);
    const memo = memoOf(d, ingested, cache, writer);
    const made = runDerivation(d, inputs.core, ingested.config, inputs.derived, memo);
    modes[d.name] = memo?.value === undefined ? 'full' : 'updated';
    probe(`derive/${d.name}/ran`);
    await writer.stage.idle(false);
    if (cache && key) cache.recordDerivation(d.name, key);
    derived.push(d.name);
    const ms = Math.round(performance.now() - tr);
    phases.add(`derive/${d.name}/inputs`, tr - td);
    phases.add(`derive/${d.name}/run`, ms);
    const tw = performance.now();
    inputs.core = {} as CoreTables; // its inputs are garbage now, but for the tables a later derivation reads
    inputs.derived = {};
    held.release(at);
    for (const def of d.tables) {
      await writer.emit(def, made[def.name] ?? []);
      delete made[def.name];
    }
    collectIfLarge(); // and so are its outputs, staged and written
    probe(`derive/${d.name}/written`);
    phases.add(`derive/${d.name}/write`, performance.now() - tw);
    phases.add(`derive/${d.name}`, performance.now() - td);
    log(`derive ${d.name}: ${ms} ms (${modes[d.name]}; inputs read in ${Math.round(tr - td)} ms), tables written`);
  }
  return derived;
}

/**
 * The SQL derivations (sql-derivations.ts), once every core table's file is written or kept: each SELECT reads the
 * files, its rows are written like a derived table's (kept when unchanged).
 */
async function deriveBySql(ingested: IngestResult, writer: TableWriter, out: string, log: (s: string) => void, modes: Record<string, DerivationMode>): Promise<void> {
  for (const d of SQL_DERIVATIONS) {
    const t = performance.now();
    const from = (name: string): string => {
      const entry = writer.written[name];
      if (!entry) throw new Error(`SQL derivation ${d.name}: table ${name} was not written before it`);
      return parquetSource(out, tableByName(name), entry);
    };
    const rows = await writer.stage.read(d.table, { sql: d.sql(ingested.config, from) });
    await writer.emit(d.table, rows);
    modes[d.name] = 'full';
    const ms = Math.round(performance.now() - t);
    phases.add(`derive-sql/${d.name}`, ms);
    log(`derive ${d.name}: ${ms} ms (SQL over the written tables), ${rows.length} rows`);
  }
}

/**
 * Core tables are staged first and their JS rows released; derived tables are staged and written as they are made;
 * core tables are written last, from the stage. So a full build holds in JavaScript one derivation's declared inputs
 * and outputs at a time.
 */
export async function writeTables(ingested: IngestResult, cache: BuildCache | null, out: string, log: (s: string) => void): Promise<WrittenTables> {
  const core = ingested.tables as unknown as Record<string, Record<string, unknown>[]>;
  const stage = await phases.timeAsync('stage-open', () => Stage.open(join(out, '.tmp')));
  const writer = new TableWriter(out, cache, stage);
  const held = new HeldInputs(DERIVATIONS);
  let derived: string[];
  const modes: Record<string, DerivationMode> = {};
  try {
    await stageCore(core, writer, held);
    log(`stage core tables: ${Math.round(writer.writeMs)} ms`);
    derived = await phases.timeAsync('derive', () => deriveAndWrite(ingested, cache, writer, held, log, modes));
    const tw = performance.now();
    for (const def of TABLES) {
      if (def.name in writer.written || SQL_DERIVED_TABLES.has(def.name)) continue;
      const t = performance.now();
      if (writer.rowsHashes.has(def.name)) await writer.emitStaged(def);
      else await writer.emit(def, []);
      phases.add(`write/${def.name}`, performance.now() - t);
    }
    phases.add('write', performance.now() - tw);
    await phases.timeAsync('derive-sql', () => deriveBySql(ingested, writer, out, log, modes));
  } finally {
    phases.time('stage-close', () => stage.close(true));
  }
  const rebuilt = TABLES.map((t) => t.name).filter((n) => writer.rebuilt.has(n));
  return { written: writer.written, rebuilt, derived, modes, writeMs: writer.writeMs };
}
