// --mirror: copy a local mirror of a bucket into the export folder: known parts only, atomically, identical files skipped.
import { readFileSync } from 'node:fs';
import { listFiles, partOf } from '../ingest/source.ts';
import { ExportWriter, type PartCounts } from './files.ts';

export interface MirrorSummary {
  parts: Record<string, PartCounts>;
  skipped: string[];
  seconds: number;
}

/** Same folder names as the export layout, so the ingest's own part rules decide what is known. */
export function pullMirror(src: string, out: string, log: (s: string) => void = (s) => process.stderr.write(`${s}\n`)): MirrorSummary {
  const t0 = performance.now();
  const writer = new ExportWriter(out);
  const skipped: string[] = [];
  const files = listFiles(src);
  let done = 0;
  let last = performance.now();
  for (const f of files) {
    // Temp files of a mirror being written, and our own state, are never part of an export.
    if (partOf(f.rel) === 'unknown' || f.rel.endsWith('.tmp')) skipped.push(f.rel);
    else writer.write(f.rel, readFileSync(f.abs));
    done++;
    if (performance.now() - last > 2000) {
      last = performance.now();
      log(`mirror: ${done}/${files.length} files`);
    }
  }
  if (skipped.length) log(`mirror: skipped ${skipped.length} files outside the export layout (first: ${skipped[0]})`);
  const parts = Object.fromEntries([...writer.counts.entries()].sort());
  return { parts, skipped, seconds: (performance.now() - t0) / 1000 };
}
