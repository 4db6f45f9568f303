// The benchmark's reference page: the usual DuckDB-first pattern (load DuckDB-WASM, then query, then draw with Plot),
// written into a built site under `__bench/duckdb-first/` so it is served by the same server with the same files
// (the same wasm, worker and precompressed variants). Our pages' first-chart times are printed as ratios to it.
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { precompressDir } from '../../scripts/precompress.ts';
import { parseManifest, tableFiles } from '../../src/lib/db/connector.ts';
import { ROOT } from './site-build.ts';

export const REFERENCE_PATH = '__bench/duckdb-first/';

// Data in the built site under `data/`; parquet-wasm decodes it (DuckDB-WASM has no Parquet reader without
// downloading it from another host) and DuckDB ingests the Arrow stream, as any page under a strict CSP must.
const APP = `
import * as duckdb from '@duckdb/duckdb-wasm';
import * as Plot from '@observablehq/plot';
import initParquet, { readParquet } from 'parquet-wasm/esm';

const cfg = JSON.parse(document.body.dataset.cfg);
performance.mark('db_start');
const db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), new Worker(cfg.worker));
const [conn] = await Promise.all([
  db.instantiate(cfg.wasm).then(() => (performance.mark('db_instantiated'), db.open({}))).then(() => (performance.mark('db_opened'), db.connect())),
  initParquet({ module_or_path: cfg.parquet }),
]);
performance.mark('db_ready');
// The table's files as the manifest lists them (one, or one per part), fetched together, inserted in order.
const files = await Promise.all(cfg.tables.map(async (u) => new Uint8Array(await (await fetch(u)).arrayBuffer())));
for (const [k, bytes] of files.entries()) await conn.insertArrowFromIPCStream(readParquet(bytes).intoIPCStream(), { name: 'results', create: k === 0 });
const rows = (await conn.query(cfg.sql)).toArray().map((r) => ({ t: new Date(Number(r.t)), score: Number(r.score) }));
performance.mark('first_result');
document.querySelector('main').append(Plot.plot({ marks: [Plot.dot(rows, { x: 't', y: 'score' })] }));
`;

const SQL = `SELECT epoch_ms(ts) AS t, score FROM results WHERE score IS NOT NULL AND ts IS NOT NULL ORDER BY ts`;

const find = (dir: string, re: RegExp): string => {
  const name = readdirSync(dir).find((f) => re.test(f));
  if (!name) throw new Error(`bench: no file matching ${re} in ${dir}`);
  return name;
};

/** The results table's files in the built site, as its manifest lists them (a table in parts has one per day). */
function resultsFiles(outDir: string): string[] {
  const manifestPath = join(outDir, 'data', 'manifest.json');
  if (!existsSync(manifestPath)) throw new Error(`bench: the site has no data/manifest.json (${outDir})`);
  const files = tableFiles(parseManifest(JSON.parse(readFileSync(manifestPath, 'utf8'))), 'results').map((f) => f.file);
  for (const f of files) if (!existsSync(join(outDir, 'data', f))) throw new Error(`bench: the site has no data/${f}`);
  return files;
}

/** Write the reference page into `outDir` (a built site) for `base`; returns its path under the base. */
export async function writeReferencePage(outDir: string, base: string): Promise<string> {
  const dir = join(outDir, REFERENCE_PATH);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const entry = join(dir, 'entry.mjs');
  writeFileSync(entry, APP);
  await build({
    entryPoints: [entry],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    outfile: join(dir, 'app.js'),
    nodePaths: [resolve(ROOT, 'node_modules')],
    logLevel: 'error',
  });
  rmSync(entry);
  const astro = join(outDir, '_astro');
  const cfg = {
    wasm: `${base}_astro/${find(astro, /^duckdb-eh.*\.wasm$/)}`,
    worker: `${base}_astro/${find(astro, /^duckdb-browser-eh\.worker.*\.js$/)}`,
    parquet: `${base}_astro/${find(astro, /^parquet_wasm_bg.*\.wasm$/)}`,
    tables: resultsFiles(outDir).map((f) => `${base}data/${f}`),
    sql: SQL,
  };
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>DuckDB-first reference</title><link rel="icon" href="data:,">
<script type="module" src="${base}${REFERENCE_PATH}app.js"></script></head>
<body data-cfg='${JSON.stringify(cfg).replaceAll("'", '&#39;')}'><main><h1>DuckDB-first reference</h1></main></body></html>`;
  writeFileSync(join(dir, 'index.html'), html);
  await precompressDir(dir);
  return REFERENCE_PATH;
}

/** A page with nothing but a heading and a small SVG, no stylesheet and no script: the first paint's floor on this
 * machine and browser, timed in the same run as our pages so their figures can be read against it. */
export const BARE_PATH = '__bench/bare/';

export async function writeBarePage(outDir: string): Promise<string> {
  const dir = join(outDir, BARE_PATH);
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'index.html'),
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Bare page</title><link rel="icon" href="data:,"></head>
<body><main><h1>Bare page</h1><svg width="320" height="160" role="img" aria-label="A rectangle"><rect width="200" height="100"></rect></svg></main></body></html>`,
  );
  await precompressDir(dir);
  return BARE_PATH;
}

export const removeReferencePage = (outDir: string): void => rmSync(join(outDir, '__bench'), { recursive: true, force: true });
