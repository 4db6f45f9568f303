// The build's memory: V8 collects garbage when its heap nears its limit, not when the build has dropped a table, so
// a build that releases rows step by step still grows to the heap it had at its fullest, and more. These helpers let
// the build collect at the points where it has just released rows.
//
// Rules:
// 1. collect() runs a full garbage collection, where the build has just released a table's JS rows (a core table
//    staged, a derivation's inputs and outputs written); a few hundred ms at scale 100, none when nothing is held.
// 2. The build calls collectIfLarge(): a full GC only when the heap holds more than LARGE_HEAP (live and garbage).
//    Below that the collections cost more time than the memory they return is worth: at scale 10 the nine collections
//    of a build took 1.66 s of a 16 s build (one run, load ~10) for a peak of 371 MB; with this threshold one runs
//    (50–70 ms) and the peak is 470–540 MB (main: 560–600 MB). At scale 100 the heap is over it at every call.
// 3. Nothing else is tuned: a V8 heap cap (--max-old-space-size 1400) and glibc's allocator settings
//    (MALLOC_ARENA_MAX=2, a fixed MALLOC_MMAP_THRESHOLD_) were measured at scale 100 next to these collections and
//    moved the peak by less than runs of the same code vary (README, Data build), and a heap cap below what the
//    ingest holds (~1 GB of rows at scale 100) is an out-of-memory crash, not a slower build. Either can still be
//    set from outside (NODE_OPTIONS, the environment).
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
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


/** Rule 2: a heap holding more than this (bytes, live and garbage) is worth a full collection where rows were released. */
export const LARGE_HEAP = 256 * 1024 * 1024;

/** Rule 2: collect() when the heap is over LARGE_HEAP; returns whether it collected. */
export function collectIfLarge(): boolean {
  if (getHeapStatistics().used_heap_size < LARGE_HEAP) return false;
  collect();
  return true;
}

/**
 * With $ATLAS_MEMORY_PROBE set, one `memory <at> rss <MB> heap <MB> live <MB> external <MB>` line on stderr: the
 * process's resident memory, V8's heap as it stands, and after a full collection (`live`, what is still held) —
 * where a maintainer measures what each step holds. A collection apiece, so only when asked.
 */
export function probe(at: string): void {
  if (!process.env['ATLAS_MEMORY_PROBE']) return;
  const mb = (n: number): string => (n / 2 ** 20).toFixed(0);
  const heap = getHeapStatistics().used_heap_size;
  collect();
  const live = getHeapStatistics().used_heap_size;
  process.stderr.write(`memory ${at} rss ${mb(process.memoryUsage.rss())} heap ${mb(heap)} live ${mb(live)} external ${mb(process.memoryUsage().external)} peak ${mb(process.resourceUsage().maxRSS * 1024)}\n`);
}
