// Read the export folder: list every file, decode text, and sort files into the parts of the layout.
import { createHash } from 'node:crypto';
import { closeSync, constants, fstatSync, lstatSync, openSync, readdirSync, readlinkSync, readSync, type Dirent, type Stats } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import type { RejectRow } from '../../src/lib/schema/core.ts';
import { clip, flat, InputError, jsonNestingExceeds, toWellFormed, type Step } from './boundary.ts';
import { LIMITS } from './limits.ts';

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
  /**
   * Set for an entry that is not a regular file (symbolic link, FIFO, socket, device, a folder named like a file, a
   * name that is not UTF-8, a folder that cannot be listed): it is rejected by the listing step and never opened.
   */
  special?: { reason: string; detail: string | null };
}

export const sha256 = (b: string | Buffer): string => createHash('sha256').update(b).digest('hex');

/** A file's content hash: the one already known, else read the file (once) to get it. */
export function contentHash(f: InputFile): string {
  if (!f.hash) readForHash(f);
  return f.hash!;
}

/**
 * Read a file for its hash, keeping the bytes for the caller; a file unreadable now is hashed as such (the ingest
 * rejects it when it tries to read it) and gives no bytes.
 */
export function readForHash(f: InputFile): Buffer | null {
  try {
    return readBytes(f);
  } catch (e) {
    f.hash = sha256(`unreadable\0${e instanceof InputError ? e.message : String(e)}`);
    return null;
  }
}

/**
 * Read a file's bytes once: hashing and decoding share the same read. Opened without following a symbolic link and
 * without blocking (a FIFO swapped in after the listing cannot hang the build), and checked to be a regular file on
 * the open descriptor. A file larger than LIMITS.hashInMemoryBytes is hashed in chunks and an empty buffer returned:
 * no part reads text that large, so it is rejected by size before its bytes are needed.
 */
export function readBytes(f: InputFile): Buffer {
  if (f.buf) {
    const buf = f.buf;
    delete f.buf;
    return buf;
  }
  if (f.special) throw new InputError('read', f.special.reason, f.special.detail);
  let fd: number;
  try {
    fd = openSync(f.abs, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'error';
    throw new InputError('read', code === 'ELOOP' ? 'symbolic link: not read' : 'file cannot be opened', code);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new InputError('read', 'not a regular file', kindOf(st));
    if (st.size > LIMITS.hashInMemoryBytes) {
      const h = createHash('sha256');
      const chunk = Buffer.allocUnsafe(1 << 20);
      for (let n = readSync(fd, chunk, 0, chunk.length, null); n > 0; n = readSync(fd, chunk, 0, chunk.length, null)) h.update(chunk.subarray(0, n));
      f.hash ??= h.digest('hex');
      return Buffer.alloc(0);
    }
    const buf = Buffer.allocUnsafe(st.size);
    let off = 0;
    while (off < buf.length) {
      const n = readSync(fd, buf, off, buf.length - off, null);
      if (n === 0) break;
      off += n;
    }
    const bytes = off === buf.length ? buf : buf.subarray(0, off);
    f.hash ??= sha256(bytes);
    return bytes;
  } finally {
    closeSync(fd);
  }
}

function kindOf(st: Stats | Dirent): string {
  if (st.isSymbolicLink()) return 'symbolic link';
  if (st.isFIFO()) return 'FIFO (named pipe)';
  if (st.isSocket()) return 'socket';
  if (st.isBlockDevice() || st.isCharacterDevice()) return 'device';
  if (st.isDirectory()) return 'folder';
  return 'not a regular file';
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
  | 'channels'
  | 'broadcasts'
  | 'traces'
  | 'runs'
  | 'leaderboard'
  | 'api'
  | 'shared_resources'
  | 'unknown';

/**
 * A regular file's entry. Its absolute path is made when the file is opened rather than held: the build keeps every
 * entry until the end (511,000 at scale 100), and a second copy of each path was ~50 MB of its peak.
 */
class ListedFile implements InputFile {
  readonly size: number;
  readonly mtimeMs: number;
  readonly ctimeMs: number;
  readonly ino: number;
  // Set later, as on a plain entry (declared only: a field defined here and deleted later would slow every entry).
  declare hash?: string;
  declare buf?: Buffer;

  constructor(
    private readonly root: string,
    readonly rel: string,
    st: Stats,
  ) {
    this.size = st.size;
    this.mtimeMs = st.mtimeMs;
    this.ctimeMs = st.ctimeMs;
    this.ino = st.ino;
  }

  get abs(): string {
    return join(this.root, this.rel);
  }
}

/** A folder whose name says it is a file: what the layout expects there is a file. */
const FILE_LIKE_FOLDER = /\.(md|json|jsonl|txt)$/i;

/**
 * Every entry under `root`, sorted by path. Regular files are listed with their stat signature (lstat: a link is
 * never followed). Anything else is listed as a special entry that the ingest rejects without opening: symbolic
 * links (with their target, and whether it leaves the export), FIFOs, sockets, devices, a folder named like a file
 * (listed as `name/`; its contents are listed too), a name that is not UTF-8, a folder that cannot be listed.
 * Only an unreadable `root` throws.
 */
export function listFiles(root: string): InputFile[] {
  const out: InputFile[] = [];
  const rootAbs = resolve(root);
  const special = (rel: string, abs: string, reason: string, detail: string | null, st?: Stats): void => {
    out.push({
      rel,
      abs,
      size: 0,
      mtimeMs: st?.mtimeMs ?? 0,
      ctimeMs: st?.ctimeMs ?? 0,
      ino: st?.ino ?? 0,
      hash: sha256(`special\0${reason}\0${detail ?? ''}`),
      special: { reason, detail },
    });
  };
  const dirs: string[] = [''];
  while (dirs.length > 0) {
    const dirRel = dirs.pop()!;
    const dirAbs = dirRel ? join(rootAbs, dirRel) : rootAbs;
    let entries: Dirent[];
    try {
      entries = readdirSync(dirAbs, { withFileTypes: true });
    } catch (e) {
      if (dirRel === '') throw e;
      const code = (e as NodeJS.ErrnoException).code ?? 'error';
      special(`${dirRel}/`, dirAbs, code === 'ENOENT' ? 'folder name is not UTF-8 or vanished while listing' : 'folder cannot be listed', code);
      continue;
    }
    for (const e of entries) {
      const rel = dirRel ? `${dirRel}/${e.name}` : e.name;
      const abs = join(dirAbs, e.name);
      if (e.isDirectory()) {
        if (FILE_LIKE_FOLDER.test(e.name)) special(`${rel}/`, abs, 'a folder where a file is expected', 'a folder named like a file; its contents are listed separately');
        dirs.push(rel);
        continue;
      }
      let st: Stats;
      try {
        st = lstatSync(abs);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code ?? 'error';
        special(rel, abs, code === 'ENOENT' && e.name.includes('\uFFFD') ? 'file name is not UTF-8' : 'file cannot be inspected', code);
        continue;
      }
      if (st.isFile()) {
        out.push(new ListedFile(rootAbs, flat(rel), st)); // held to the end of the build: one string, not a tree (boundary.ts flat)
      } else if (st.isSymbolicLink()) {
        let target = '';
        try {
          target = readlinkSync(abs);
        } catch {
          target = '(unreadable)';
        }
        const to = resolve(dirAbs, target);
        const inside = !isAbsolute(relative(rootAbs, to)) && !relative(rootAbs, to).startsWith('..');
        special(rel, abs, `symbolic link: not followed${inside ? '' : ' (it points outside the export)'}`, clip(`→ ${target}`, 300), st);
      } else {
        special(rel, abs, `${kindOf(st)}: not a regular file, not opened`, null, st);
      }
    }
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
    // channels/<name>/README.md, channels/<name>/<stamp>_<agent>.md, channels/<name>/members/<handle>.md
    case 'channels':
      return segs.length === 3 || (segs.length === 4 && segs[2] === 'members') ? 'channels' : 'unknown';
    case 'broadcasts':
      return segs.length === 2 ? 'broadcasts' : 'unknown';
    // traces/<agent>/<session>/manifest.md and, for a full trace, the native log beside it
    case 'traces':
      return segs.length === 4 ? 'traces' : 'unknown';
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
  /** A reject row; the detail is clipped so an oversized offending value cannot make the row itself huge. */
  add(file: string, part: string | null, step: Step, reason: string, detail: string | null = null): void {
    this.rows.push({ file: toWellFormed(clip(file, 1000)), part, step, reason: toWellFormed(reason), detail: detail === null ? null : toWellFormed(clip(detail, 500)) });
  }
}

/** Read a text input, or record why it cannot be read and return null. */
export function readText(f: InputFile, part: Part, rejects: Rejects, maxBytes: number = LIMITS.textBytes): string | null {
  if (f.size === 0) {
    rejects.add(f.rel, part, 'read', 'empty file', null);
    return null;
  }
  if (f.size > maxBytes) {
    rejects.add(f.rel, part, 'read', `file too large (over ${Math.round(maxBytes / 1024)} KiB)`, `${f.size} bytes`);
    return null;
  }
  let buf: Buffer;
  try {
    buf = readBytes(f);
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    rejects.add(f.rel, part, e.step, e.reason, e.detail);
    return null;
  }
  if (buf.length > maxBytes) {
    rejects.add(f.rel, part, 'read', `file too large (over ${Math.round(maxBytes / 1024)} KiB)`, `${buf.length} bytes when read`);
    return null;
  }
  try {
    const text = decoder.decode(buf);
    if (text.trim() === '') {
      rejects.add(f.rel, part, 'read', 'empty file', 'only whitespace');
      return null;
    }
    return text;
  } catch {
    rejects.add(f.rel, part, 'decode', 'not UTF-8 text', 'the bytes are not valid UTF-8; re-export the file as UTF-8');
    return null;
  }
}

/** Read and parse a JSON input (nesting checked on the text first), or record why not. */
export function readJson(f: InputFile, part: Part, rejects: Rejects, maxBytes: number = LIMITS.textBytes): unknown {
  const text = readText(f, part, rejects, maxBytes);
  if (text === null) return undefined;
  if (jsonNestingExceeds(text)) {
    rejects.add(f.rel, part, 'parse', `JSON nests deeper than ${LIMITS.jsonDepth} levels`, null);
    return undefined;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    rejects.add(f.rel, part, 'parse', 'invalid JSON', (e as Error).message);
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
