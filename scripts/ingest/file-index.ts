// The incremental build's file index: stat signatures and the rule for when one still vouches for a stored hash.
import { renameSync, statSync, writeFileSync } from 'node:fs';

/** A file modified within this long of its last check is always re-read (its mtime may not have moved: "racy" stat). */
export const RACY_MS = 2000;

export interface StatSignature {
  size: number;
  mtimeMs: number;
  ctimeMs: number;
  ino: number;
}

/** An input's stat signature and the sha256 of its content when it had that signature. */
export interface IndexEntry extends StatSignature {
  hash: string;
}

/** Stat signature of a file, or null when it is missing. */
export function statSignature(path: string): StatSignature | null {
  const st = statSync(path, { throwIfNoEntry: false });
  return st ? { size: st.size, mtimeMs: st.mtimeMs, ctimeMs: st.ctimeMs, ino: st.ino } : null;
}

/**
 * The index's rule: a stored signature still vouches for the content hashed with it when the file's signature is
 * unchanged and the file was already older than the racy window when it was checked.
 */
export function vouches(stored: StatSignature | undefined, now: StatSignature, checkedAt: number): boolean {
  return (
    stored !== undefined &&
    stored.size === now.size &&
    stored.mtimeMs === now.mtimeMs &&
    stored.ctimeMs === now.ctimeMs &&
    stored.ino === now.ino &&
    now.mtimeMs < checkedAt - RACY_MS
  );
}

/** Write to a temporary file beside `path`, then rename it into place. */
export function writeAtomic(path: string, data: string | Buffer): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}
