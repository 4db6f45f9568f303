// The incremental build's table entries: rows hashes, tables.json, and whether a Parquet file is the one last written.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import type { TableDef } from '../../src/lib/schema/types.ts';
import { pkgVersion } from './code-fingerprint.ts';
import { statSignature, vouches, type StatSignature } from './file-index.ts';
import { sha256 } from './source.ts';

export interface TableEntry {
  rowsHash: string;
  fileHash: string;
  rows: number;
  bytes: number;
  /** The Parquet file's stat signature when its hash was last checked, and when: the file index's rule applies. */
  stat?: StatSignature & { checkedAt: number };
  /**
   * A table in parts has, beside each part's entry (`<table>.<key>`), one under its own name: the whole table's rows
   * hash and row count, and its parts' keys (no file of its own: fileHash '' and bytes 0).
   */
  parts?: string[];
}

/** What else decides a table's bytes: the Parquet writer's code and the DuckDB version. */
export function tableFingerprint(): string {
  return sha256(readFileSync(new URL('./write-parquet.ts', import.meta.url)) + pkgVersion('@duckdb/node-api'));
}

/** tables.json's entries when it was written under `fingerprint`; none when missing, damaged or another fingerprint. */
export function readTableEntries(path: string, fingerprint: string): Record<string, TableEntry> {
  if (!existsSync(path)) return {};
  try {
    const v = JSON.parse(readFileSync(path, 'utf8')) as { fingerprint: string; tables: Record<string, TableEntry> };
    return v.fingerprint === fingerprint ? v.tables : {};
  } catch {
    return {};
  }
}

/** Order-dependent hash of a table's rows: the ingest and derivations emit rows in a stable order. */
export function rowsHash(def: TableDef, rows: readonly Record<string, unknown>[]): string {
  const names = def.columns.map((c) => c.name);
  const h = createHash('sha256').update(JSON.stringify(def));
  const vals: unknown[] = new Array(names.length);
  for (const r of rows) {
    for (let i = 0; i < names.length; i++) vals[i] = r[names[i]!] ?? null;
    h.update(JSON.stringify(vals)).update('\n');
  }
  return h.digest('hex');
}

/**
 * Whether the Parquet file on disk is the one the entry describes: by its stat signature when that is unchanged
 * and older than the racy window at the last check (as for inputs), else by its hash. A checked entry is refreshed
 * so the next build can trust the signature.
 */
export function fileIntact(e: TableEntry, parquetPath: string): TableEntry | null {
  const sig = statSignature(parquetPath);
  if (!sig || sig.size !== e.bytes) return null;
  if (e.stat && vouches(e.stat, sig, e.stat.checkedAt)) return e;
  const buf = readFileSync(parquetPath);
  if (sha256(buf) !== e.fileHash) return null;
  return { ...e, stat: { ...sig, checkedAt: Date.now() } };
}

/** A fresh entry for the Parquet file just written at `parquetPath`. */
export function tableEntry(rowsHashValue: string, parquetPath: string, rows: number): TableEntry {
  const buf = readFileSync(parquetPath);
  return { rowsHash: rowsHashValue, fileHash: sha256(buf), rows, bytes: buf.length };
}
