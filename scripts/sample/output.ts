// Writes <out>/export and <out>/ground-truth.json: build beside the target, then swap by rename.
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { generateSample, type GroundTruth, type Log } from './generate.ts';
import { writeJsonStream } from './json-stream.ts';
import { ThreadedFsSink } from './sink.ts';
import type { SampleOptions } from './types.ts';

export interface SampleRun {
  exportDir: string;
  groundTruthPath: string;
  groundTruth: GroundTruth;
  counts: Map<string, number>;
  bytes: number;
}

export function writeSampleFolder(out: string, opts: SampleOptions, log: Log = () => {}): SampleRun {
  mkdirSync(out, { recursive: true });
  const exportDir = join(out, 'export');
  const tmp = join(out, '.export-tmp');
  const old = join(out, '.export-old');
  // Leftovers from an interrupted run are ours to clear.
  for (const d of [tmp, old]) if (existsSync(d)) rmSync(d, { recursive: true, force: true });
  const sink = new ThreadedFsSink(tmp);
  let groundTruth: GroundTruth;
  try {
    groundTruth = generateSample(opts, sink, log);
    sink.close();
  } catch (e) {
    sink.abort();
    throw e;
  }
  const gtTmp = join(out, '.ground-truth.json.tmp');
  writeJsonStream(gtTmp, groundTruth);
  if (existsSync(exportDir)) renameSync(exportDir, old);
  renameSync(tmp, exportDir);
  const groundTruthPath = join(out, 'ground-truth.json');
  renameSync(gtTmp, groundTruthPath);
  if (existsSync(old)) {
    log('removing the previous export');
    rmSync(old, { recursive: true, force: true });
  }
  return { exportDir, groundTruthPath, groundTruth, counts: sink.counts, bytes: sink.bytes };
}
