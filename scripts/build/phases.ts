// Where a data build's wall time goes: named phases with their milliseconds, printed by `build-data.ts --phases` (one
// `phase <ms> <name>` line each on stderr, in the order they ended) and summed by `bench-refresh.ts --phases`.
// Rules:
// 1. A phase is timed where it runs (`time`/`timeAsync`, or `add` with a measured span); nested phases are allowed and
//    are named with a `/` (`derive/lineage/run` inside `derive/lineage`), so the top level sums to the build.
// 2. Recording costs a clock read and an array push: it is always on; only printing is asked for.

export interface Phase {
  name: string;
  ms: number;
}

class PhaseClock {
  readonly phases: Phase[] = [];

  add(name: string, ms: number): void {
    this.phases.push({ name, ms });
  }

  time<T>(name: string, fn: () => T): T {
    const t = performance.now();
    try {
      return fn();
    } finally {
      this.add(name, performance.now() - t);
    }
  }

  async timeAsync<T>(name: string, fn: () => Promise<T>): Promise<T> {
    const t = performance.now();
    try {
      return await fn();
    } finally {
      this.add(name, performance.now() - t);
    }
  }

  /** One `phase <ms> <name>` line per phase, in the order they ended. */
  lines(): string {
    return this.phases.map((p) => `phase ${p.ms.toFixed(1)} ${p.name}\n`).join('');
  }
}

/** The build's phases (one build per process). */
export const phases = new PhaseClock();

/** Parse `phase <ms> <name>` lines out of a build's stderr: milliseconds by name (repeated names summed). */
export function parsePhaseLines(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const m of text.matchAll(/^phase (\d+(?:\.\d+)?) (\S+)$/gm)) out.set(m[2]!, (out.get(m[2]!) ?? 0) + Number(m[1]));
  return out;
}
