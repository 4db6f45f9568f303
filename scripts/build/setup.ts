// The data build's first step: resolve and check the source folder, list its files, read --config, open the cache.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseConfig, type CollabConfig } from '../../src/lib/config.ts';
import { BuildCache } from '../ingest/cache.ts';
import { notAnExport } from '../ingest/coverage.ts';
import { listFiles, sha256, type InputFile } from '../ingest/source.ts';
import { phases } from './phases.ts';
import { probe } from './memory.ts';

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

/** A mistake in how the build was asked for: reported in one sentence, without a stack. */
export class UsageError extends Error {}

/** What every later step reads: the checked source, its files, the output folder and the cache (null unless incremental). */
export interface BuildSetup {
  opts: BuildOptions;
  source: string;
  out: string;
  manifestPath: string;
  config: CollabConfig | undefined;
  cache: BuildCache | null;
  files: InputFile[];
  generator: { name: string; version: string };
}

/** The source folder, resolved; a UsageError when it is missing or not a folder. */
export function resolveSource(opts: BuildOptions): string {
  const source = resolve(opts.source);
  if (!existsSync(source) || !statSync(source).isDirectory()) {
    throw new UsageError(`Source folder ${opts.source} does not exist or is not a folder. Pass --source <export dir>, or run \`npm run sample\` to create the default sample.`);
  }
  return source;
}

/** Read --config, open the cache, list the source's files and refuse a folder that is not an export. */
export function prepareBuild(opts: BuildOptions, source: string): BuildSetup {
  const config = opts.configFile ? parseConfig(JSON.parse(readFileSync(opts.configFile, 'utf8')), opts.configFile) : undefined;
  const out = resolve(opts.out);
  const optionsKey = opts.configFile ? sha256(readFileSync(opts.configFile)) : '';
  const cache = phases.time('cache-open', () => (opts.incremental ? new BuildCache(out, { read: !opts.full, optionsKey }) : null));
  const files = phases.time('listing', () => listFiles(source));
  probe('listed');
  const wrongFolder = notAnExport(opts.source, files);
  if (wrongFolder) throw new UsageError(wrongFolder);
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { name: string; version: string };
  return { opts, source, out, manifestPath: join(out, 'manifest.json'), config, cache, files, generator: { name: pkg.name, version: pkg.version } };
}

/** Where a table's Parquet file goes. */
export function parquetPathIn(out: string): (def: { name: string }) => string {
  return (def) => join(out, `${def.name}.parquet`);
}
