// Incremental data build: a file index, a cache of parsed units, derivation keys and table hashes, so a refresh
// does work in proportion to what changed.
//
// Rules:
// - Files: the index keeps each input's stat signature (size, mtime, ctime, inode) and sha256. While the
//   signature is unchanged the stored hash is trusted and the file is not read; any change means read and hash.
//   A file modified within 2 s of the last build is always re-read (its mtime may not have moved: "racy" stat).
//   `--full` ignores the index.
// - Units: the ingest's units of work (one board file, one run folder, one agent, taskforce or document file) are
//   cached by their files' paths and content hashes plus whatever else they read (the unit's `extra`, for
//   example the configured score field). A hit replays the unit's rejects and returns its parsed value.
// - Derivations: each derivation lists the core tables it reads; when the hashes of those tables, the
//   configuration and the code are unchanged, and every table it writes still has its Parquet file intact,
//   the derivation is not run and its tables are kept.
// - Memos: a derivation may keep work between builds (memo-<name>.v8, memo-cache.ts), keyed by the code, the
//   configuration and the rows hashes of the tables that work reads; `--full` ignores them and writes fresh ones.
// - Tables: a table is rewritten only when the sha256 of its rows (row JSON in schema column order, plus the
//   table definition and the DuckDB version) differs from the last build's, or when its Parquet file is not
//   byte-for-byte the one the last build wrote (checked by hash once, then by stat signature as for inputs).
//   Otherwise the existing file stays, byte-identical. A table in parts also has a whole-table entry (its rows hash,
//   count and part keys), so a refresh can keep it, every part, without staging it.
// - Nothing new: when every input has the stat signature the index holds (older than the racy window), no file
//   was added or removed, the code, --config and the manifest are the last build's and every table file is
//   intact, the build keeps all outputs without reading an input or units.v8 (read only when the ingest asks).
// - Code: the unit and derivation caches are keyed by a fingerprint of the build's own source (build-data.ts and
//   every module it imports, followed through relative imports) and the lockfile: a change to it is a full miss.
// - Storage: outside the published folder (never shipped with the site), under $ATLAS_CACHE_DIR or
//   node_modules/.cache/atlas-data/, one folder per output path: head.v8 (file index, derivation keys, options and
//   manifest hashes), tables.json (table hashes) and
//   units.v8 (parsed units, in chunks so neither writing nor reading holds a second copy of the whole cache),
//   each written to a temporary file and renamed after a successful build; a generation id ties the pair.
//   Only entries used by this build are kept, so the cache never outgrows the export.
// The file index's rule is in file-index.ts, units.v8 in unit-cache.ts, table entries in table-cache.ts and the code
// fingerprint in code-fingerprint.ts; this module ties them into the cache one build uses.
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { randomBytes } from 'node:crypto';
import type { TableDef } from '../../src/lib/schema/types.ts';
import { readForHash, Rejects, sha256, type InputFile, type UnitMemo } from './source.ts';
import { codeFingerprint } from './code-fingerprint.ts';
import { phases } from '../build/phases.ts';
import { vouches, writeAtomic, type IndexEntry } from './file-index.ts';
import { readUnits, UnitWriter, writeUnits, type UnitEntry } from './unit-cache.ts';
import { readMemo, stageMemo } from './memo-cache.ts';
import { fileIntact, readTableEntries, rowsHash, tableEntry, tableFingerprint, type TableEntry } from './table-cache.ts';

export type { TableEntry } from './table-cache.ts';

interface CacheHead {
  fingerprint: string;
  generation: string;
  savedAt: number;
  index: Map<string, IndexEntry>;
  derivations: Record<string, string>;
  /** What else decides the output (the configuration file passed with --config), and the manifest written. */
  optionsKey?: string;
  manifestHash?: string;
}

/** The file index of the entries hashed (the last entry of a path wins, as a Map's set does). */
function indexOf(files: readonly InputFile[]): Map<string, IndexEntry> {
  const index = new Map<string, IndexEntry>();
  for (const f of files) index.set(f.rel, { size: f.size, mtimeMs: f.mtimeMs, ctimeMs: f.ctimeMs, ino: f.ino, hash: f.hash! });
  return index;
}

export class BuildCache implements UnitMemo {
  readonly dir: string;
  /** Input files whose unit came from the cache, and those read and parsed by this build. */
  cachedInputs = 0;
  parsedInputs = 0;
  /** Input files whose content hash came from the index (not read to be hashed). */
  indexedFiles = 0;
  readonly fingerprint: string;
  private readonly tableFingerprint: string;
  private readonly old: CacheHead;
  /** Last build's units, read from units.v8 when the ingest first asks for one (a build with nothing new never does). */
  private oldUnitsMap: Map<string, UnitEntry> | null = null;
  private readonly optionsKey: string;
  /**
   * This build's file index: the entries hashed, each its own stat signature and hash, made the index's Map only when
   * saved (a Map of new entries was ~100 bytes a file for the whole build: ~50 MB at scale 100); or, for a build with
   * nothing new, last build's index kept whole.
   */
  private indexed: InputFile[] = [];
  private keptIndex: Map<string, IndexEntry> | null = null;
  private readonly units = new Map<string, UnitEntry>();
  private readonly derivations: Record<string, string> = {};
  private readonly oldTables: Record<string, TableEntry>;
  private readonly newTables: Record<string, TableEntry> = {};
  /** Units written by snapshotUnits (a temporary file, renamed by save), or null when last build's file stands. */
  private unitsTmp: string | null = null;
  /**
   * A build with no units of last build's to reuse (--full, a first build, a code change) writes each unit to
   * unitsTmp as it is made instead of holding it until the snapshot; undefined until the first unit decides.
   */
  private unitWriter: UnitWriter | null | undefined;
  private generation: string;
  private misses = 0;
  /** Whether last build's cache is read (not --full). */
  private readonly readOld: boolean;
  /** Memo files written by this build, renamed into place by save (memo-cache.ts rule 2). */
  private readonly memoRenames: (() => void)[] = [];

  /**
   * `read: false` (--full) ignores what is on disk but still records a fresh cache for the next build.
   * `optionsKey` names whatever else decides the output (a --config file's content).
   */
  constructor(out: string, opts: { read: boolean; optionsKey?: string }) {
    const root = process.env['ATLAS_CACHE_DIR'] ?? resolve('node_modules/.cache/atlas-data');
    this.dir = join(root, sha256(resolve(out)).slice(0, 16));
    this.fingerprint = codeFingerprint();
    this.optionsKey = opts.optionsKey ?? '';
    this.tableFingerprint = tableFingerprint();
    const empty: CacheHead = { fingerprint: this.fingerprint, generation: '', savedAt: 0, index: new Map(), derivations: {} };
    this.readOld = opts.read;
    this.old = opts.read ? this.load() ?? empty : empty;
    this.generation = this.old.generation;
    this.oldTables = opts.read ? readTableEntries(join(this.dir, 'tables.json'), this.tableFingerprint) : {};
  }

  private load(): CacheHead | null {
    const headPath = join(this.dir, 'head.v8');
    if (!existsSync(headPath)) return null;
    try {
      const head = deserialize(readFileSync(headPath)) as CacheHead;
      if (!(head.index instanceof Map)) return null;
      // The file index holds no parse results, so it stays valid across code changes; units and derivations do not.
      if (head.fingerprint !== this.fingerprint) return { ...head, generation: '', derivations: {}, manifestHash: '' };
      return head;
    } catch {
      return null; // a damaged cache is only a slower build
    }
  }

  /** Last build's units (read on first use); none when units.v8 is missing, damaged or not this head's pair. */
  private get oldUnits(): Map<string, UnitEntry> {
    if (!this.oldUnitsMap) {
      let units: Map<string, UnitEntry> | null = null;
      try {
        units = this.generation ? phases.time('ingest/units-read', () => readUnits(join(this.dir, 'units.v8'), this.generation)) : null;
      } catch {
        units = null; // a damaged cache is only a slower build
      }
      if (!units) this.generation = '';
      this.oldUnitsMap = units ?? new Map();
    }
    return this.oldUnitsMap;
  }

  /**
   * Nothing to do: the export holds exactly the files of the last build, each with its stat signature and older than
   * the racy window then, the code and options are the same, and the manifest and every table file are the ones last
   * written. Then the build keeps every output without reading the parse cache or a single input.
   */
  nothingChanged(files: readonly InputFile[], manifestText: string | null): boolean {
    const old = this.old;
    if (old.fingerprint !== this.fingerprint || !old.generation || !old.manifestHash || old.optionsKey !== this.optionsKey) return false;
    if (old.index.size !== files.length) return false;
    if (manifestText === null || sha256(manifestText) !== old.manifestHash) return false;
    return files.every((f) => vouches(old.index.get(f.rel), f, old.savedAt));
  }

  /**
   * For a build with nothing new: keep the index, units, derivations and the entries of these tables, when each
   * table's file is the one last written (false, and nothing kept, otherwise).
   */
  keepAll(tables: readonly string[], tablePath: (name: string) => string): boolean {
    const checked: Record<string, TableEntry> = {};
    for (const name of tables) {
      const e = this.oldTables[name];
      const ok = e ? fileIntact(e, tablePath(name)) : null;
      if (!ok) return false;
      checked[name] = ok;
    }
    Object.assign(this.newTables, checked);
    // A table in parts: its whole-table entry stands when every one of its parts was kept.
    for (const [name, e] of Object.entries(this.oldTables)) if (e.parts?.every((k) => checked[`${name}.${k}`])) this.newTables[name] = e;
    this.keptIndex = this.old.index;
    Object.assign(this.derivations, this.old.derivations);
    return true;
  }

  /**
   * The content hash of an input: from the index while its stat signature holds, else by reading it. With `keep`
   * the bytes read stay on the file for the unit about to decode them (units release them when done).
   */
  hash(f: InputFile, keep = false): string {
    if (f.hash) {
      // Read by the ingest itself (a whole-collection file): recorded, so a build with nothing new can tell.
      this.indexed.push(f);
      return f.hash;
    }
    const e = this.old.index.get(f.rel);
    if (e && vouches(e, f, this.old.savedAt)) {
      f.hash = e.hash;
      this.indexedFiles++;
    } else {
      const buf = readForHash(f);
      if (buf && keep) f.buf = buf;
    }
    this.indexed.push(f);
    return f.hash!;
  }

  /** Whether last build's index vouches for no file (a --full or first build): every input will be read. */
  get readsEveryFile(): boolean {
    return this.old.index.size === 0;
  }

  unit<T>(kind: string, files: readonly InputFile[], extra: string, rejects: Rejects, compute: (rejects: Rejects) => T): T {
    let key = `${kind}\0${extra}`;
    for (const f of files) key += `\0${f.rel}\0${this.hash(f, true)}`;
    const hit = this.units.get(key) ?? this.oldUnits.get(key);
    if (hit) {
      rejects.rows.push(...hit.rejects);
      this.units.set(key, hit);
      this.cachedInputs += files.length;
      for (const f of files) delete f.buf;
      return hit.value as T;
    }
    const local = new Rejects();
    const value = compute(local);
    this.misses++;
    for (const f of files) delete f.buf; // bytes the unit did not decode (files of a run folder it only lists)
    rejects.rows.push(...local.rows);
    const writer = this.writer();
    if (writer) writer.add(key, { value, rejects: local.rows });
    else this.units.set(key, { value, rejects: local.rows });
    this.parsedInputs += files.length;
    return value;
  }

  /**
   * Freeze the unit cache as it stands after the ingest: later steps may build on the parsed values but must
   * not be able to change what the next build reads back.
   */
  snapshotUnits(): void {
    if (this.unitWriter) {
      // Written as they were made (the units are not mutated after: the ingest builds new rows from them).
      this.unitWriter.close();
      this.unitWriter = null;
      return;
    }
    // Nothing new and nothing dropped: last build's units.v8 already holds exactly these units.
    if (this.misses === 0 && this.units.size === this.oldUnits.size && this.generation) return;
    writeUnits(this.newUnitsFile(), this.generation, this.units);
  }

  /** A new generation and its temporary units file (renamed into place by save). */
  private newUnitsFile(): string {
    mkdirSync(this.dir, { recursive: true });
    // Leftovers of builds that stopped before saving.
    for (const f of readdirSync(this.dir)) if (f.endsWith('.tmp') && !f.endsWith(`.${process.pid}.tmp`)) rmSync(join(this.dir, f), { force: true });
    this.generation = randomBytes(8).toString('hex');
    this.unitsTmp = join(this.dir, `units.v8.${process.pid}.tmp`);
    return this.unitsTmp;
  }

  /**
   * The writer of units as they are made, when no unit of last build's can be reused (decided at the first unit).
   * A refresh keeps last build's units in memory anyway and writes units.v8 only when something changed.
   */
  private writer(): UnitWriter | null {
    if (this.unitWriter === undefined) {
      this.unitWriter = null;
      if (this.oldUnits.size === 0) {
        const path = this.newUnitsFile();
        this.unitWriter = new UnitWriter(path, this.generation);
      }
    }
    return this.unitWriter;
  }

  /** After the snapshot the parsed units are on disk; drop this build's references so they can be collected. */
  releaseUnits(): void {
    this.units.clear();
    this.oldUnitsMap?.clear();
  }

  /** Order-dependent hash of a table's rows (see table-cache.ts). */
  rowsHash(def: TableDef, rows: readonly Record<string, unknown>[]): string {
    return rowsHash(def, rows);
  }

  /** Key a derivation by its code, the configuration and the hashes of the tables it reads. */
  derivationKey(inputs: string): string {
    return sha256(`${this.fingerprint}\0${inputs}`);
  }

  /** The derivation's tables may be kept when its key is last build's and each table's Parquet file is intact. */
  derivationUnchanged(name: string, key: string, tables: readonly TableDef[], pathOf: (def: TableDef) => string): TableEntry[] | null {
    const old = this.old.derivations[name];
    if (old !== key) return null;
    const kept: TableEntry[] = [];
    for (const def of tables) {
      const old = this.oldTables[def.name];
      const e = old ? fileIntact(old, pathOf(def)) : null;
      if (!e) return null;
      kept.push(e);
    }
    tables.forEach((def, i) => {
      this.newTables[def.name] = kept[i]!;
    });
    this.derivations[name] = key;
    return kept;
  }

  /**
   * A derivation's memo (memo-cache.ts) under `key`: last build's value (none on --full), and `set` for this build's.
   */
  memo(name: string, key: string): { value: unknown; set(value: unknown): void } {
    mkdirSync(this.dir, { recursive: true });
    const value = this.readOld ? readMemo(this.dir, name, key) : undefined;
    return { value, set: (v: unknown) => void this.memoRenames.push(stageMemo(this.dir, name, key, v)) };
  }

  recordDerivation(name: string, key: string): void {
    this.derivations[name] = key;
  }

  /** The previous entry when the rows are unchanged and the Parquet file on disk is the one it describes. */
  unchanged(def: TableDef, rowsHash: string, parquetPath: string): TableEntry | null {
    const old = this.oldTables[def.name];
    const e = old && old.rowsHash === rowsHash ? fileIntact(old, parquetPath) : null;
    if (!e) return null;
    this.newTables[def.name] = e;
    return e;
  }

  /** The row count last build recorded for table `name` (a table in parts: the whole table's), or null. */
  knownRows(name: string): number | null {
    return this.oldTables[name]?.rows ?? null;
  }

  /**
   * A table in parts kept whole: last build's rows hash of the whole table is `rowsHash` and each of its parts' files
   * is intact. Returns each part's key and entry (recorded for the next build), or null (nothing recorded).
   */
  unchangedParts(name: string, rowsHash: string, pathOf: (key: string) => string): { key: string; entry: TableEntry }[] | null {
    const old = this.oldTables[name];
    if (!old?.parts || old.rowsHash !== rowsHash) return null;
    const kept: { key: string; entry: TableEntry }[] = [];
    for (const key of old.parts) {
      const e = this.oldTables[`${name}.${key}`];
      const ok = e ? fileIntact(e, pathOf(key)) : null;
      if (!ok) return null;
      kept.push({ key, entry: ok });
    }
    for (const p of kept) this.newTables[`${name}.${p.key}`] = p.entry;
    this.newTables[name] = old;
    return kept;
  }

  /** Record a table written in parts: its whole rows hash and count, and its parts' keys (each part has its own entry). */
  recordParts(name: string, rowsHash: string, rows: number, keys: readonly string[]): void {
    this.newTables[name] = { rowsHash, fileHash: '', rows, bytes: 0, parts: [...keys] };
  }

  recordTable(def: TableDef, rowsHash: string, parquetPath: string, rows: number): TableEntry {
    const e = tableEntry(rowsHash, parquetPath, rows);
    this.newTables[def.name] = e;
    return e;
  }

  /** Write the cache for the next build; `manifestText` is the manifest.json this build wrote. */
  save(manifestText: string): void {
    mkdirSync(this.dir, { recursive: true });
    if (!this.unitsTmp && !this.generation) this.snapshotUnits();
    if (this.unitsTmp) renameSync(this.unitsTmp, join(this.dir, 'units.v8'));
    for (const rename of this.memoRenames.splice(0)) rename();
    const head: CacheHead = {
      fingerprint: this.fingerprint,
      generation: this.generation,
      savedAt: Date.now(),
      index: this.keptIndex ?? indexOf(this.indexed),
      derivations: this.derivations,
      optionsKey: this.optionsKey,
      manifestHash: sha256(manifestText),
    };
    writeAtomic(join(this.dir, 'head.v8'), serialize(head));
    writeAtomic(join(this.dir, 'tables.json'), `${JSON.stringify({ fingerprint: this.tableFingerprint, tables: this.newTables }, null, 2)}\n`);
    // Files of the earlier single-file layout.
    for (const f of ['cache.v8', 'parse.v8']) rmSync(join(this.dir, f), { force: true });
  }
}
