// Read the export folder: list every file, decode text, and sort files into the parts of the layout.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { RejectRow } from '../../src/lib/schema/core.ts';

export interface InputFile {
  /** Export-relative path with forward slashes. */
  rel: string;
  abs: string;
  size: number;
  /** Stat signature: an incremental build trusts the last build's content hash while these are unchanged. */
  mtimeMs: number;
  ctimeMs: number;
  ino: number;
  /** sha256 of the bytes, once known (read, or taken from the last build's index). */
  hash?: string;
  /** Bytes read for hashing and not yet decoded (read once, then released by readText). */
  buf?: Buffer;
}

export const sha256 = (b: string | Buffer): string => createHash('sha256').update(b).digest('hex');

/** A file's content hash: the one already known, else read the file (once) to get it. */
export function contentHash(f: InputFile): string {
  if (!f.hash) readBytes(f);
  return f.hash!;
}

/** Read a file's bytes once: hashing and decoding share the same read. */
export function readBytes(f: InputFile): Buffer {
  const buf = f.buf ?? readFileSync(f.abs);
  delete f.buf;
  f.hash ??= sha256(buf);
  return buf;
}

/**
 * How the ingest reads its units of work (one board file, one run folder, ...). The plain one computes every
 * unit; the incremental build's (scripts/ingest/cache.ts) answers units whose files are unchanged from its cache.
 * A unit's result must depend only on the bytes and paths of `files` and on `extra`, and the ingest never mutates it.
 */
export interface UnitMemo {
  unit<T>(kind: string, files: readonly InputFile[], extra: string, rejects: Rejects, compute: (rejects: Rejects) => T): T;
}

export const NO_MEMO: UnitMemo = {
  unit: (_kind, _files, _extra, rejects, compute) => compute(rejects),
};

export type Part =
  | 'config'
  | 'readme'
  | 'message_board'
  | 'results'
  | 'verification'
  | 'agents'
  | 'inbox'
  | 'taskforces'
  | 'runs'
  | 'leaderboard'
  | 'api'
  | 'shared_resources'
  | 'unknown';

/** Larger markdown or JSON inputs are rejected: no board file legitimately comes near this. */
export const MAX_TEXT_BYTES = 2 * 1024 * 1024;

export function listFiles(root: string): InputFile[] {
  const out: InputFile[] = [];
  const entries = readdirSync(root, { recursive: true, withFileTypes: true });
  for (const e of entries) {
    if (!e.isFile()) continue;
    const abs = join(e.parentPath, e.name);
    const rel = relative(root, abs).split(sep).join('/');
    const st = statSync(abs);
    out.push({ rel, abs, size: st.size, mtimeMs: st.mtimeMs, ctimeMs: st.ctimeMs, ino: st.ino });
  }
  return out.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
}

export function partOf(rel: string): Part {
  const segs = rel.split('/');
  const top = segs[0]!;
  if (segs.length === 1) {
    if (rel === 'collab-atlas.json') return 'config';
    if (/^readme\.md$/i.test(rel)) return 'readme';
    return 'unknown';
  }
  switch (top) {
    case 'message_board':
      return segs.length === 2 ? 'message_board' : 'unknown';
    case 'results':
      if (segs.length !== 2) return 'unknown';
      return segs[1] === 'verification_status.json' ? 'verification' : 'results';
    case 'agents':
      return segs.length === 2 ? 'agents' : 'unknown';
    case 'inbox':
      return segs.length === 3 ? 'inbox' : 'unknown';
    case 'taskforces':
      return segs.length === 3 ? 'taskforces' : 'unknown';
    case 'runs':
      return segs.length >= 3 ? 'runs' : 'unknown';
    case 'leaderboard':
      return segs.length === 2 ? 'leaderboard' : 'unknown';
    case 'api':
      return segs.length === 2 ? 'api' : 'unknown';
    case 'shared_resources':
      return 'shared_resources';
    default:
      return 'unknown';
  }
}

const decoder = new TextDecoder('utf-8', { fatal: true });

export class Rejects {
  readonly rows: RejectRow[] = [];
  add(file: string, part: string | null, reason: string, detail: string | null = null): void {
    this.rows.push({ file, part, reason, detail });
  }
}

/** Read a text input, or record why it cannot be read and return null. */
export function readText(f: InputFile, part: Part, rejects: Rejects, maxBytes = MAX_TEXT_BYTES): string | null {
  if (f.size === 0) {
    rejects.add(f.rel, part, 'empty file', null);
    return null;
  }
  if (f.size > maxBytes) {
    rejects.add(f.rel, part, `file too large (over ${Math.round(maxBytes / 1024)} KiB)`, `${f.size} bytes`);
    return null;
  }
  const buf = readBytes(f);
  try {
    const text = decoder.decode(buf);
    if (text.trim() === '') {
      rejects.add(f.rel, part, 'empty file', 'only whitespace');
      return null;
    }
    return text;
  } catch {
    rejects.add(f.rel, part, 'not UTF-8 text', 'the bytes are not valid UTF-8; re-export the file as UTF-8');
    return null;
  }
}

/** Read and parse a JSON input, or record why not. */
export function readJson(f: InputFile, part: Part, rejects: Rejects): unknown {
  const text = readText(f, part, rejects);
  if (text === null) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    rejects.add(f.rel, part, 'invalid JSON', (e as Error).message);
    return undefined;
  }
}

export const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export const str = (v: unknown): string | null =>
  typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : null;

/** Numbers may arrive as YAML strings ("506.74"). */
export const numOrNull = (v: unknown): number | null => {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return null;
};

export const strList = (v: unknown): string[] | null => {
  if (v === undefined || v === null) return null;
  if (Array.isArray(v)) return v.map((x) => str(x)).filter((x): x is string => x !== null);
  const s = str(v);
  return s === null ? null : [s];
};
