// Incremental data build: a parse cache keyed by content hash, and row hashes that let unchanged tables keep their Parquet file.
//
// Rules:
// - Inputs: the YAML frontmatter parse (the slowest part of the ingest) is memoised by
//   sha256 of the file text. The entry is the parse result itself, so any file with the same bytes (an inbox copy,
//   an unchanged file next run) reuses it; what the ingest does with it depends on the path and is recomputed.
//   The key also holds a fingerprint of the parser (frontmatter.ts and the YAML library versions): a parser change is a miss.
// - Tables: a table is rewritten only when the sha256 of its rows (sorted row JSON, in schema column order, plus
//   the table definition and the DuckDB version) differs from the last build's, or when its Parquet file is not
//   byte-for-byte the one the last build wrote. Otherwise the existing file stays, byte-identical.
// - Both caches live outside the published folder (never shipped with the site): under $ATLAS_CACHE_DIR or
//   node_modules/.cache/atlas-data/, one folder per output path. They are written atomically after a successful
//   build. Only entries used by this build are kept, so the cache never outgrows the export.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import type { TableDef } from '../../src/lib/schema/types.ts';
import type { Parsed } from './frontmatter.ts';

const sha256 = (b: string | Buffer): string => createHash('sha256').update(b).digest('hex');

function pkgVersion(name: string): string {
  try {
    const p = new URL(`../../node_modules/${name}/package.json`, import.meta.url);
    return (JSON.parse(readFileSync(p, 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

function writeAtomic(path: string, data: string | Buffer): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

type ParseResult = Parsed | string;

export interface TableEntry {
  rowsHash: string;
  fileHash: string;
  rows: number;
  bytes: number;
}

export class BuildCache {
  readonly dir: string;
  cachedInputs = 0;
  parsedInputs = 0;
  private readonly parseFingerprint: string;
  private readonly tableFingerprint: string;
  private readonly oldParses: Map<string, ParseResult>;
  private readonly newParses = new Map<string, ParseResult>();
  private readonly oldTables: Record<string, TableEntry>;
  private readonly newTables: Record<string, TableEntry> = {};

  /** `read: false` (--full) ignores what is on disk but still records a fresh cache for the next build. */
  constructor(out: string, opts: { read: boolean }) {
    const root = process.env['ATLAS_CACHE_DIR'] ?? resolve('node_modules/.cache/atlas-data');
    this.dir = join(root, sha256(resolve(out)).slice(0, 16));
    this.parseFingerprint = sha256(readFileSync(new URL('./frontmatter.ts', import.meta.url)) + pkgVersion('yaml') + pkgVersion('js-yaml'));
    this.tableFingerprint = sha256(readFileSync(new URL('./write-parquet.ts', import.meta.url)) + pkgVersion('@duckdb/node-api'));
    this.oldParses = opts.read ? this.loadParses() : new Map();
    this.oldTables = opts.read ? this.loadTables() : {};
  }

  private loadParses(): Map<string, ParseResult> {
    const p = join(this.dir, 'parse.v8');
    if (!existsSync(p)) return new Map();
    try {
      const v = deserialize(readFileSync(p)) as { fingerprint: string; entries: Map<string, ParseResult> };
      return v.fingerprint === this.parseFingerprint && v.entries instanceof Map ? v.entries : new Map();
    } catch {
      return new Map(); // a damaged cache is only a slower build
    }
  }

  private loadTables(): Record<string, TableEntry> {
    const p = join(this.dir, 'tables.json');
    if (!existsSync(p)) return {};
    try {
      const v = JSON.parse(readFileSync(p, 'utf8')) as { fingerprint: string; tables: Record<string, TableEntry> };
      return v.fingerprint === this.tableFingerprint ? v.tables : {};
    } catch {
      return {};
    }
  }

  /** The memo handed to parseFrontmatter: cached result for known text, else parse and remember. */
  readonly frontmatter = (text: string, parse: (t: string) => ParseResult): ParseResult => {
    const key = sha256(text);
    const fresh = this.newParses.get(key);
    if (fresh !== undefined) return fresh;
    let v = this.oldParses.get(key);
    if (v !== undefined) this.cachedInputs++;
    else {
      v = parse(text);
      this.parsedInputs++;
    }
    this.newParses.set(key, v);
    return v;
  };

  /** Order-independent: the Parquet writer sorts rows, so the same set of rows gives the same file. */
  rowsHash(def: TableDef, rows: readonly Record<string, unknown>[]): string {
    const names = def.columns.map((c) => c.name);
    const lines = rows.map((r) => JSON.stringify(names.map((n) => r[n] ?? null)));
    lines.sort();
    const h = createHash('sha256').update(JSON.stringify(def));
    for (const l of lines) h.update(l).update('\n');
    return h.digest('hex');
  }

  /** The previous entry when the rows are unchanged and the Parquet file on disk is the one it describes. */
  unchanged(def: TableDef, rowsHash: string, parquetPath: string): TableEntry | null {
    const old = this.oldTables[def.name];
    if (!old || old.rowsHash !== rowsHash || !existsSync(parquetPath)) return null;
    const buf = readFileSync(parquetPath);
    if (buf.length !== old.bytes || sha256(buf) !== old.fileHash) return null;
    this.newTables[def.name] = old;
    return old;
  }

  recordTable(def: TableDef, rowsHash: string, parquetPath: string, rows: number): TableEntry {
    const buf = readFileSync(parquetPath);
    const e = { rowsHash, fileHash: sha256(buf), rows, bytes: buf.length };
    this.newTables[def.name] = e;
    return e;
  }

  save(): void {
    mkdirSync(this.dir, { recursive: true });
    writeAtomic(join(this.dir, 'parse.v8'), serialize({ fingerprint: this.parseFingerprint, entries: this.newParses }));
    writeAtomic(join(this.dir, 'tables.json'), `${JSON.stringify({ fingerprint: this.tableFingerprint, tables: this.newTables }, null, 2)}\n`);
  }
}
