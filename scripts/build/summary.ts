// The data build's log on stderr: one line per step with memory figures, and the summary at the end.
import { join } from 'node:path';
import { TABLES } from '../../src/lib/schema/index.ts';
import type { Coverage } from '../../src/lib/coverage.ts';
import type { Manifest } from '../../src/lib/manifest.ts';
import type { CoreFacts } from './manifest.ts';

export type Log = (s: string) => void;

/**
 * A step's line on stderr (nothing when quiet). Each line ends with the process's resident memory and its peak so
 * far, so a maintainer sees where a large build spends it.
 */
export function buildLog(quiet: boolean | undefined): Log {
  return (s) => {
    if (!quiet) process.stderr.write(`${s} [${Math.round(process.memoryUsage.rss() / 2 ** 20)} MB, peak ${Math.round(process.resourceUsage().maxRSS / 1024)} MB]\n`);
  };
}

/** One line for the end of a build: the parts the export has (with their files) and the ones it lacks. */
export function coverageLine(c: Coverage): string {
  const entries = Object.entries(c.parts);
  const present = entries.filter(([, p]) => p.present).map(([name, p]) => `${name} ${p.files}`);
  const missing = entries.filter(([, p]) => !p.present).map(([name]) => name);
  return `export parts: ${present.join(', ') || 'none'}${missing.length ? `; missing ${missing.join(', ')} (the pages that need them say so)` : ''}`;
}

/** What the cache saved: inputs cached, parsed and known by stat, derivations run and tables rebuilt. */
export function cacheLine(manifest: Manifest, derived: readonly string[], rebuilt: readonly string[], files: number): string {
  return `cache: ${manifest.cached_inputs} inputs cached, ${manifest.parsed_inputs} parsed, ${manifest.indexed_inputs} of ${files} files unchanged by stat; ran ${derived.length ? derived.join(', ') : 'no derivations'}; rebuilt ${rebuilt.length ? rebuilt.join(', ') : 'no tables'}`;
}

/** The closing lines: rejects by step (when any), rows per table, and the export's parts. */
export function logSummary(log: Log, quiet: boolean | undefined, s: { out: string; files: number; manifest: Manifest; facts: CoreFacts; coverage: Coverage; seconds: number }): void {
  const counts = TABLES.filter((t) => t.name !== 'rejects')
    .map((t) => `${t.name} ${s.manifest.tables[t.name]?.rows ?? 0}`)
    .join(', ');
  const { rejectCount, rejectSteps } = s.facts;
  if (rejectCount > 0) {
    const bySteps = [...rejectSteps].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([k, n]) => `${k} ${n}`).join(', ');
    log(`${rejectCount} input${rejectCount === 1 ? ' was' : 's were'} rejected (by step: ${bySteps}); each has its reason in ${join(s.out, 'rejects.parquet')} and on the methods page`);
  }
  log(`read ${s.files} files → ${counts}; rejects ${s.manifest.rejects}; wrote ${s.out} in ${s.seconds.toFixed(2)} s`);
  if (!quiet) process.stderr.write(`${coverageLine(s.coverage)}\n`);
}
