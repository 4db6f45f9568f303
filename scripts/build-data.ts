// npm run data: export folder → public/data/*.parquet + manifest.json. Progress on stderr, summary at the end.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { execFileSync } from 'node:child_process';
import { SCHEMA_VERSION, TABLES, tableByName } from '../src/lib/schema/index.ts';
import type { TableDef } from '../src/lib/schema/types.ts';
import { parseConfig } from '../src/lib/config.ts';
import { ingestExport, type CoreTables } from './ingest/ingest.ts';
import { DERIVATIONS, runDerivation } from './derive/index.ts';
import { openParquetWriter, writeJsonAtomic, type ParquetWriter } from './ingest/write-parquet.ts';
import { BuildCache } from './ingest/cache.ts';
import { contentHash, listFiles, NO_MEMO, sha256, type InputFile } from './ingest/source.ts';
import { progressReporter } from './lib/progress.ts';
import { exportCoverage, notAnExport } from './ingest/coverage.ts';
import { chooseSource, LAST_SOURCE_FILE, rememberSource } from './lib/last-source.ts';
import type { Coverage } from '../src/lib/coverage.ts';

export const DEFAULT_SOURCE = 'data/sample/export';
export const DEFAULT_OUT = 'public/data';

export interface BuildOptions {
  source: string;
  out: string;
  configFile?: string | undefined;
  quiet?: boolean;
  /** Use and update the build cache (parse cache, unchanged tables keep their Parquet file). The CLI sets it. */
  incremental?: boolean;
  /** With incremental: ignore the cache on disk (a full build) but record a fresh one. */
  full?: boolean;
}

export interface BuildSummary {
  manifest: Manifest;
  seconds: number;
}

export type { Manifest } from '../src/lib/manifest.ts';
import type { Manifest } from '../src/lib/manifest.ts';

/** sha256 over every input's path and content hash (hashes the ingest or the file index already know are reused). */
function inputHash(files: InputFile[], hashOf: (f: InputFile) => string): string {
  const h = createHash('sha256');
  for (const f of files) h.update(f.rel).update('\0').update(hashOf(f)).update('\n');
  return h.digest('hex');
}

export async function buildData(opts: BuildOptions): Promise<BuildSummary> {
  const t0 = performance.now();
  const source = resolve(opts.source);
  if (!existsSync(source) || !statSync(source).isDirectory()) {
    throw new UsageError(`Source folder ${opts.source} does not exist or is not a folder. Pass --source <export dir>, or run \`npm run sample\` to create the default sample.`);
  }
  // Each step's line ends with the process's resident memory and its peak so far, so a maintainer sees where a large
  // build spends it.
  const log = (s: string): void => {
    if (!opts.quiet) process.stderr.write(`${s} [${Math.round(process.memoryUsage.rss() / 2 ** 20)} MB, peak ${Math.round(process.resourceUsage().maxRSS / 1024)} MB]\n`);
  };
  const progress = progressReporter('ingest', opts.quiet ?? false);
  const config = opts.configFile ? parseConfig(JSON.parse(readFileSync(opts.configFile, 'utf8')), opts.configFile) : undefined;
  const out = resolve(opts.out);
  const manifestPath = join(out, 'manifest.json');
  const optionsKey = opts.configFile ? sha256(readFileSync(opts.configFile)) : '';
  const cache = opts.incremental ? new BuildCache(out, { read: !opts.full, optionsKey }) : null;
  const files = listFiles(source);
  const wrongFolder = notAnExport(opts.source, files);
  if (wrongFolder) throw new UsageError(wrongFolder);
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { name: string; version: string };
  const parquetPath = (def: { name: string }): string => join(out, `${def.name}.parquet`);

  // Nothing new since the last build (same files and stat signatures, code and options; outputs as written): keep it all.
  const previous = cache && !opts.full ? readPreviousManifest(manifestPath) : null;
  if (cache && previous && cache.nothingChanged(files, previous.text) && cache.keepAll(Object.keys(previous.manifest.tables), (name) => parquetPath({ name }))) {
    const p = previous.manifest;
    const manifest: Manifest = {
      ...p,
      generator: { name: pkg.name, version: pkg.version },
      rebuilt: [],
      derived: [],
      cached_inputs: (p.cached_inputs ?? 0) + (p.parsed_inputs ?? 0),
      parsed_inputs: 0,
      indexed_inputs: files.length,
    };
    cache.save(writeJsonAtomic(manifestPath, manifest));
    const seconds = (performance.now() - t0) / 1000;
    progress.done();
    log(`nothing changed since the last build (${files.length} files known by their stat signature): kept every table; ${opts.out} in ${seconds.toFixed(2)} s`);
    return { manifest, seconds };
  }

  const ingested = ingestExport(source, { files, ...(config ? { config } : {}), onProgress: progress.update, memo: cache ?? NO_MEMO });
  cache?.snapshotUnits();
  cache?.releaseUnits();
  progress.done();
  log(`ingest: ${Math.round(performance.now() - t0)} ms${cache ? ` (${cache.cachedInputs} inputs from the cache, ${cache.parsedInputs} parsed)` : ''}`);
  const core = ingested.tables as unknown as Record<string, Record<string, unknown>[]>;
  const coverage = exportCoverage(source, ingested.files, ingested.tables);

  // Row hashes of the core tables decide both which tables to write and which derivations to rerun.
  const rowsHashes = new Map<string, string>();
  if (cache) for (const def of TABLES) if (def.name in core) rowsHashes.set(def.name, cache.rowsHash(def, core[def.name] ?? []));

  // Tables are written as soon as they exist (a derivation's right after it runs) and their rows dropped, so a
  // large build never holds every derived table at once. DuckDB is started only when a table has to be written.
  const tmpDir = join(out, '.tmp');
  const writer: { open: ParquetWriter | null } = { open: null };
  const written: Partial<Manifest['tables']> = {};
  const rebuiltSet = new Set<string>();
  let writeMs = 0;
  const emit = async (def: TableDef, rows: readonly Record<string, unknown>[]): Promise<void> => {
    const tw = performance.now();
    const file = `${def.name}.parquet`;
    const rowsHash = rowsHashes.get(def.name) ?? cache?.rowsHash(def, rows);
    const kept = cache && rowsHash ? cache.unchanged(def, rowsHash, parquetPath(def)) : null;
    if (kept) written[def.name] = { rows: kept.rows, bytes: kept.bytes, file };
    else {
      writer.open ??= await openParquetWriter(out, tmpDir);
      const r = await writer.open.write(tableByName(def.name), rows);
      if (cache && rowsHash) cache.recordTable(def, rowsHash, parquetPath(def), r.rows);
      written[def.name] = { ...r, file };
      rebuiltSet.add(def.name);
    }
    writeMs += performance.now() - tw;
  };

  const derived: string[] = [];
  // Read before the core tables' rows are released.
  const rejectCount = ingested.tables.rejects.length;
  const rejectSteps = new Map<string, number>();
  for (const r of ingested.tables.rejects) rejectSteps.set(r.step ?? 'unknown', (rejectSteps.get(r.step ?? 'unknown') ?? 0) + 1);
  const times = [
    ...ingested.tables.messages.map((m) => m.ts),
    ...ingested.tables.results.map((r) => r.ts),
    ...ingested.tables.leaderboard_snapshots.map((s) => s.generated_at),
    ...ingested.tables.runs.map((r) => r.finished_at ?? r.created_at),
  ].filter((t): t is string => t !== null);
  try {
    for (const d of DERIVATIONS) {
      const td = performance.now();
      const key = cache?.derivationKey(JSON.stringify([d.name, ingested.config, d.inputs.map((k) => rowsHashes.get(k))]));
      const kept = cache && key ? cache.derivationUnchanged(d.name, key, d.tables, parquetPath) : null;
      if (kept) {
        for (const [i, def] of d.tables.entries()) written[def.name] = { rows: kept[i]!.rows, bytes: kept[i]!.bytes, file: `${def.name}.parquet` };
        log(`derive ${d.name}: inputs unchanged, tables kept`);
        continue;
      }
      const made = runDerivation(d, ingested.tables as CoreTables, ingested.config);
      if (cache && key) cache.recordDerivation(d.name, key);
      derived.push(d.name);
      const ms = Math.round(performance.now() - td);
      for (const def of d.tables) {
        await emit(def, made[def.name] ?? []);
        delete made[def.name];
      }
      log(`derive ${d.name}: ${ms} ms, tables written`);
    }
    // Core tables last (every derivation reads some of them), each released once written or kept.
    for (const def of TABLES) {
      if (def.name in written) continue;
      await emit(def, core[def.name] ?? []);
      if (def.name in core) core[def.name] = [];
    }
  } finally {
    writer.open?.close();
    rmSync(tmpDir, { recursive: true, force: true });
  }
  const rebuilt = TABLES.map((t) => t.name).filter((n) => rebuiltSet.has(n));
  const tablesInOrder = Object.fromEntries(TABLES.map((t) => [t.name, written[t.name]!])) as Manifest['tables'];
  log(`write ${rebuilt.length} of ${TABLES.length} tables: ${Math.round(writeMs)} ms`);
  const manifest: Manifest = {
    schema_version: SCHEMA_VERSION,
    generator: { name: pkg.name, version: pkg.version },
    source: {
      name: ingested.config.title,
      synthetic: ingested.config.synthetic,
      input_hash: inputHash(ingested.files, (f) => cache?.hash(f) ?? contentHash(f)),
      files: ingested.files.length,
      files_per_part: ingested.filesPerPart,
    },
    coverage,
    config: ingested.config,
    data_as_of: times.sort().at(-1) ?? null,
    tables: tablesInOrder,
    rejects: rejectCount,
    rebuilt,
    derived,
    cached_inputs: cache?.cachedInputs ?? 0,
    parsed_inputs: cache?.parsedInputs ?? ingested.files.length,
    indexed_inputs: cache?.indexedFiles ?? 0,
  };
  const manifestText = writeJsonAtomic(manifestPath, manifest);
  cache?.save(manifestText);
  if (cache) {
    log(`cache: ${manifest.cached_inputs} inputs cached, ${manifest.parsed_inputs} parsed, ${manifest.indexed_inputs} of ${ingested.files.length} files unchanged by stat; ran ${derived.length ? derived.join(', ') : 'no derivations'}; rebuilt ${rebuilt.length ? rebuilt.join(', ') : 'no tables'}`);
  }
  const seconds = (performance.now() - t0) / 1000;
  const counts = TABLES.filter((t) => t.name !== 'rejects')
    .map((t) => `${t.name} ${written[t.name]?.rows ?? 0}`)
    .join(', ');
  if (rejectCount > 0) {
    const bySteps = [...rejectSteps].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([k, n]) => `${k} ${n}`).join(', ');
    log(`${rejectCount} input${rejectCount === 1 ? ' was' : 's were'} rejected (by step: ${bySteps}); each has its reason in ${join(opts.out, 'rejects.parquet')} and on the methods page`);
  }
  log(`read ${ingested.files.length} files → ${counts}; rejects ${manifest.rejects}; wrote ${opts.out} in ${seconds.toFixed(2)} s`);
  if (!opts.quiet) process.stderr.write(`${coverageLine(coverage)}\n`);
  return { manifest, seconds };
}

/** One line for the end of a build: the parts the export has (with their files) and the ones it lacks. */
export function coverageLine(c: Coverage): string {
  const entries = Object.entries(c.parts);
  const present = entries.filter(([, p]) => p.present).map(([name, p]) => `${name} ${p.files}`);
  const missing = entries.filter(([, p]) => !p.present).map(([name]) => name);
  return `export parts: ${present.join(', ') || 'none'}${missing.length ? `; missing ${missing.join(', ')} (the pages that need them say so)` : ''}`;
}

/** Last build's manifest.json, as text and parsed; null when it is missing or unreadable. */
function readPreviousManifest(path: string): { text: string; manifest: Manifest } | null {
  try {
    const text = readFileSync(path, 'utf8');
    const manifest = JSON.parse(text) as Manifest;
    return manifest && typeof manifest.tables === 'object' ? { text, manifest } : null;
  } catch {
    return null;
  }
}

export class UsageError extends Error {}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      source: { type: 'string' },
      out: { type: 'string', default: DEFAULT_OUT },
      config: { type: 'string' },
      quiet: { type: 'boolean', default: false },
      'if-missing-sample': { type: 'boolean', default: false },
      full: { type: 'boolean', default: false },
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
        '--full ignores the cache (and records a fresh one). manifest.json lists what was rebuilt and derived.\n',
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
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((e: unknown) => {
    const msg = e instanceof Error ? e.message : String(e);
    process.stderr.write(`\nerror: ${msg}\n`);
    if (!(e instanceof UsageError) && e instanceof Error && e.stack) process.stderr.write(`${e.stack}\n`);
    process.exit(1);
  });
}
