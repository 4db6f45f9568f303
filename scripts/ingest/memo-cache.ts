// memo-<derivation>.v8: the work a derivation keeps between builds (scripts/derive/index.ts `Derivation.memo`).
// Rules:
// 1. One file per derivation in the cache folder: its key (derivationKey over the code, the configuration and the
//    rows hashes of the tables the memo depends on) and its value, serialized with node:v8. A value is handed back
//    only under the same key; a missing, damaged or other-key file is no value (only a slower build).
// 2. A value set by this build is serialized at once to a temporary file (so later changes to its objects do not
//    reach the next build), and renamed over the derivation's file when the cache is saved: a build that stops
//    before saving leaves last build's memo, as it leaves the rest of the cache.
// 3. A derivation kept whole (inputs unchanged) does not touch its memo file: it stays the one its tables were made with.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';

const fileOf = (dir: string, name: string): string => join(dir, `memo-${name.replace(/[^A-Za-z0-9_-]/g, '_')}.v8`);

/** Rule 1: the value kept under `key` for derivation `name`, or undefined. */
export function readMemo(dir: string, name: string, key: string): unknown {
  const path = fileOf(dir, name);
  if (!existsSync(path)) return undefined;
  try {
    const v = deserialize(readFileSync(path)) as { key?: unknown; value?: unknown };
    return v && v.key === key ? v.value : undefined;
  } catch {
    return undefined;
  }
}

/** Rule 2: write the value to a temporary file now; returns the rename that makes it the derivation's memo. */
export function stageMemo(dir: string, name: string, key: string, value: unknown): () => void {
  const path = fileOf(dir, name);
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, serialize({ key, value }));
  return () => renameSync(tmp, path);
}
