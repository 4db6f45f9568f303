// npm run data: export folder → public/data/*.parquet + manifest.json. Progress on stderr, summary at the end.
import { existsSync, mkdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { execFileSync } from 'node:child_process';
import { TABLES } from '../src/lib/schema/index.ts';
import { ingestExport, type IngestResult } from './ingest/ingest.ts';
import { writeJsonAtomic } from './ingest/write-parquet.ts';
import { NO_MEMO } from './ingest/source.ts';
import { progressReporter, type Progress } from './lib/progress.ts';
import { exportCoverage } from './ingest/coverage.ts';
import { chooseSource, LAST_SOURCE_FILE, rememberSource } from './lib/last-source.ts';
import { prepareBuild, resolveSource, UsageError, type BuildOptions, type BuildSetup } from './build/setup.ts';
import { buildManifest, coreFacts, keptManifest, readPreviousManifest } from './build/manifest.ts';
import { writeTables } from './build/write-tables.ts';
import { buildLog, cacheLine, logSummary, type Log } from './build/summary.ts';
import { phases } from './build/phases.ts';
import { probe } from './build/memory.ts';

export { UsageError, type BuildOptions } from './build/setup.ts';
export { coverageLine } from './build/summary.ts';

export const DEFAULT_SOURCE = 'data/sample/export';
export const DEFAULT_OUT = 'public/data';

export interface BuildSummary {
  manifest: Manifest;
  seconds: number;
}

export type { Manifest } from '../src/lib/manifest.ts';
import type { Manifest } from '../src/lib/manifest.ts';

/**
 * Nothing new since the last build (same files and stat signatures, code and options; outputs as written): keep it
 * all and rewrite only the manifest's build facts. Null when the build has work to do.
 */
function keepIfNothingNew(b: BuildSetup, t0: number, progress: Progress, log: Log): BuildSummary | null {
  const { cache, opts, files } = b;
  const previous = cache && !opts.full ? readPreviousManifest(b.manifestPath) : null;
  // Every file last build listed, by the name its cache entry has (a part's: `<table>.<key>`).
  const listed = new Map<string, string>();
  for (const [name, t] of Object.entries(previous?.manifest.tables ?? {})) {
    if (t.parts) for (const p of t.parts) listed.set(`${name}.${p.key}`, join(b.out, p.file));
    else listed.set(name, join(b.out, t.file ?? `${name}.parquet`));
  }
  if (!cache || !previous || !cache.nothingChanged(files, previous.text) || !cache.keepAll([...listed.keys()], (name) => listed.get(name)!)) return null;
  const manifest = keptManifest(previous.manifest, b.generator, files.length);
  cache.save(writeJsonAtomic(b.manifestPath, manifest));
  const seconds = (performance.now() - t0) / 1000;
  progress.done();
  log(`nothing changed since the last build (${files.length} files known by their stat signature): kept every table; ${opts.out} in ${seconds.toFixed(2)} s`);
  return { manifest, seconds };
}

/** Read and parse the export (units from the cache where their files are unchanged), then freeze the unit cache. */
function ingest(b: BuildSetup, t0: number, progress: Progress, log: Log): IngestResult {
  const { cache } = b;
  const ingested = phases.time('ingest', () => ingestExport(b.source, { files: b.files, ...(b.config ? { config: b.config } : {}), onProgress: progress.update, memo: cache ?? NO_MEMO }));
  phases.time('units-save', () => {
    cache?.snapshotUnits();
    cache?.releaseUnits();
  });
  progress.done();
  log(`ingest: ${Math.round(performance.now() - t0)} ms${cache ? ` (${cache.cachedInputs} inputs from the cache, ${cache.parsedInputs} parsed)` : ''}`);
  return ingested;
}

export async function buildData(opts: BuildOptions): Promise<BuildSummary> {
  const t0 = performance.now();
  phases.add('startup', t0); // the process's own start: Node, tsx and the build's modules
  const source = resolveSource(opts);
  const log = buildLog(opts.quiet);
  const progress = progressReporter('ingest', opts.quiet ?? false);
  const b = prepareBuild(opts, source);
  const kept = phases.time('nothing-new', () => keepIfNothingNew(b, t0, progress, log));
  if (kept) return kept;

  const ingested = ingest(b, t0, progress, log);
  probe('units-saved');
  const coverage = phases.time('coverage', () => exportCoverage(source, ingested.files, ingested.tables));
  const facts = phases.time('core-facts', () => coreFacts(ingested.tables)); // read before the core tables' rows are released
  const { written, rebuilt, derived, modes, writeMs } = await writeTables(ingested, b.cache, b.out, log);
  log(`write ${rebuilt.length} of ${TABLES.length} tables: ${Math.round(writeMs)} ms`);
  const tm = performance.now();
  const manifest = buildManifest({ generator: b.generator, ingested, coverage, facts, written, rebuilt, derived, modes, cache: b.cache });
  const manifestText = writeJsonAtomic(b.manifestPath, manifest); // written with or without a cache
  phases.add('manifest', performance.now() - tm);
  probe('manifest-written');
  phases.time('cache-save', () => b.cache?.save(manifestText));
  probe('cache-saved');
  if (b.cache) log(cacheLine(manifest, derived, rebuilt, ingested.files.length));
  const seconds = (performance.now() - t0) / 1000;
  logSummary(log, opts.quiet, { out: opts.out, files: ingested.files.length, manifest, facts, coverage, seconds });
  return { manifest, seconds };
}


async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      source: { type: 'string' },
      out: { type: 'string', default: DEFAULT_OUT },
      config: { type: 'string' },
      quiet: { type: 'boolean', default: false },
      'if-missing-sample': { type: 'boolean', default: false },
      full: { type: 'boolean', default: false },
      phases: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(
      'Usage: npm run data -- [--source <export dir>] [--out public/data] [--config collab.json] [--full] [--quiet]\n' +
        `Reads an export folder (--source, else $ATLAS_SOURCE, else the one last built into --out, remembered in ${LAST_SOURCE_FILE}, else ${DEFAULT_SOURCE})\n` +
        'and writes Parquet tables and manifest.json. A folder with files but none in a part of the export layout is refused.\n' +
        'Incremental by default (cache in node_modules/.cache/atlas-data or $ATLAS_CACHE_DIR): files with an unchanged stat signature are not read,\n' +
        'unchanged files are not parsed, a derivation reruns only when a table it reads changed, and unchanged tables keep their file.\n' +
        '--full ignores the cache (and records a fresh one). manifest.json lists what was rebuilt and derived.\n' +
        '--phases prints where the time went on stderr, one `phase <ms> <name>` line per phase (nested ones named a/b).\n',
    );
    return;
  }
  // --source, else $ATLAS_SOURCE, else the source last built into this data folder, else the sample.
  const { source, why } = chooseSource({ flag: values.source, env: process.env['ATLAS_SOURCE'], out: values.out, fallback: DEFAULT_SOURCE });
  const shown = relative(process.cwd(), resolve(source)) || '.';
  if (resolve(source) === resolve(DEFAULT_SOURCE) && !existsSync(DEFAULT_SOURCE)) {
    if (!values['if-missing-sample']) {
      throw new UsageError(`The sample export ${DEFAULT_SOURCE} does not exist yet. Run \`npm run sample\` first, or pass --source <export dir>.`);
    }
    process.stderr.write(`No export at ${DEFAULT_SOURCE}: generating the synthetic sample first.\n`);
    execFileSync(process.execPath, ['--import', 'tsx', 'scripts/make-sample.ts'], { stdio: 'inherit' });
  } else if (why !== '--source' && why !== 'ATLAS_SOURCE' && !existsSync(source)) {
    throw new UsageError(
      `The source last built into ${values.out}, ${shown} (remembered in ${LAST_SOURCE_FILE}), is gone: pass --source <export dir> or set ATLAS_SOURCE, or delete ${LAST_SOURCE_FILE} to go back to the sample.`,
    );
  }
  if (!values.quiet) process.stderr.write(`source: ${shown} (${why})\n`);
  mkdirSync(values.out, { recursive: true });
  const { manifest } = await buildData({ source: shown, out: values.out, configFile: values.config, quiet: values.quiet, incremental: true, full: values.full });
  rememberSource(values.out, source, manifest);
  if (values.phases) process.stderr.write(phases.lines());
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((e: unknown) => {
    const msg = e instanceof Error ? e.message : String(e);
    process.stderr.write(`\nerror: ${msg}\n`);
    if (!(e instanceof UsageError) && e instanceof Error && e.stack) process.stderr.write(`${e.stack}\n`);
    process.exit(1);
  });
}
