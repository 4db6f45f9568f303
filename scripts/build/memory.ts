// The build's memory: V8 collects garbage when its heap nears its limit, not when the build has dropped a table, so
// a build that releases rows step by step still grows to the heap it had at its fullest, and more. These helpers let
// the build collect at the points where it has just released rows.
//
// Rules:
// 1. collect() runs a full garbage collection, where the build has just released a table's JS rows (a core table
//    staged, a derivation's inputs and outputs written); a few hundred ms at scale 100, none when nothing is held.
// 2. Nothing else is tuned: a V8 heap cap (--max-old-space-size 1400) and glibc's allocator settings
//    (MALLOC_ARENA_MAX=2, a fixed MALLOC_MMAP_THRESHOLD_) were measured at scale 100 next to these collections and
//    moved the peak by less than runs of the same code vary (README, Data build), and a heap cap below what the
//    ingest holds (~1 GB of rows at scale 100) is an out-of-memory crash, not a slower build. Either can still be
//    set from outside (NODE_OPTIONS, the environment).
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let gcFn: (() => void) | null | undefined;

/** Rule 1: a full garbage collection (exposed for this call only, through a fresh context, when not already). */
export function collect(): void {
  if (gcFn === undefined) {
    const g = (globalThis as { gc?: () => void }).gc;
    if (g) gcFn = g;
    else {
      try {
        setFlagsFromString('--expose-gc');
        gcFn = runInNewContext('gc') as () => void;
      } catch {
        gcFn = null;
      }
    }
  }
  gcFn?.();
}

