// Builds a test copy of the site from the synthetic sample: make the export, lay the overlay on it, build the data, astro build.
// Shared by the e2e global setup (scale 1, under node_modules/.cache) and the site benchmark (any scale, under /tmp).
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import type { Manifest } from '../../scripts/build-data.ts';
import type { Site } from './harness.ts';
import { writeHostileCorpus } from '../fixtures/hostile-corpus.ts';

export const ROOT = resolve(import.meta.dirname, '../..');
export const SAMPLE_SCRIPT = resolve(ROOT, 'scripts/make-sample.ts');
/** Export-shaped files laid on top of the sample (XSS payloads and other inputs the generator does not make). */
export const OVERLAY = resolve(ROOT, 'tests/fixtures/e2e-overlay');
/** Used only while scripts/make-sample.ts does not exist: the real export plus the broken fixture export. */
export const REAL_EXPORT = resolve(ROOT, '../shared/gemma-real');
export const BROKEN_EXPORT = resolve(ROOT, 'tests/fixtures/broken-export');

/** Where the export a test site is built from came from. */
export interface ExportInfo {
  /** `sample`: scripts/make-sample.ts; `fallback`: gemma-real + broken-export (until the generator lands). */
  readonly kind: 'sample' | 'fallback';
  /** The export folder (overlay already applied when asked for). */
  readonly dir: string;
  readonly scale: number | null;
  readonly seed: number | null;
  /** `<out>/ground-truth.json` of the sample, when there is one. */
  readonly groundTruth: string | null;
}

/** Newest modification time under the given paths (files and folders, recursively), skipping `ignore`. */
export function newest(paths: readonly string[], ignore: readonly string[] = []): number {
  let max = 0;
  const walk = (p: string): void => {
    if (!existsSync(p) || ignore.includes(p)) return;
    const st = statSync(p);
    max = Math.max(max, st.mtimeMs);
    if (st.isDirectory()) for (const f of readdirSync(p)) walk(join(p, f));
  };
  paths.forEach(walk);
  return max;
}

/**
 * The environment for child builds. Vitest puts Vite's own variables (BASE_URL, MODE, PROD, NODE_ENV=test, …)
 * into process.env; an astro build started with them renders BASE_URL as "/" whatever `base` says.
 */
export function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => !['BASE_URL', 'MODE', 'DEV', 'PROD', 'SSR', 'NODE_ENV', 'TEST'].includes(k) && !k.startsWith('VITEST'),
    ),
  );
  return { ...env, TZ: 'UTC', ...extra };
}

/** Copy `overlay` over `exportDir`, file by file; the overlay's own README.md describes it and is not export data. */
export function applyOverlay(overlay: string, exportDir: string): number {
  if (!existsSync(overlay)) return 0;
  let files = 0;
  const skip = join(overlay, 'README.md');
  cpSync(overlay, exportDir, {
    recursive: true,
    filter: (src) => {
      if (src === skip) return false;
      if (statSync(src).isFile()) files++;
      return true;
    },
  });
  return files;
}

export interface PrepareOptions {
  /** Folder to generate into; it is emptied first. The export ends up in `<work>/export`. */
  readonly work: string;
  readonly scale: number;
  readonly seed: number;
  /** Overlay folder to lay on top, or null for the plain sample. */
  readonly overlay: string | null;
  /** Also write the hostile corpus (tests/fixtures/hostile-corpus.ts) into the export. */
  readonly hostile?: boolean;
}

/** Generate the sample export (or assemble the fallback) and apply the overlay. Logs to stderr. */
export function prepareExport(o: PrepareOptions): ExportInfo {
  rmSync(o.work, { recursive: true, force: true });
  mkdirSync(o.work, { recursive: true });
  const dir = join(o.work, 'export');
  let info: ExportInfo;
  if (existsSync(SAMPLE_SCRIPT)) {
    const t0 = performance.now();
    try {
      execFileSync(process.execPath, ['--import', 'tsx', SAMPLE_SCRIPT, '--scale', String(o.scale), '--seed', String(o.seed), '--out', o.work], {
        cwd: ROOT,
        stdio: ['ignore', 'ignore', 'inherit'],
        env: childEnv(),
      });
    } catch {
      throw new Error(`make-sample --scale ${o.scale} --seed ${o.seed} --out ${o.work} failed; its error is above`);
    }
    if (!existsSync(dir)) throw new Error(`make-sample wrote no ${dir}`);
    const gt = join(o.work, 'ground-truth.json');
    info = { kind: 'sample', dir, scale: o.scale, seed: o.seed, groundTruth: existsSync(gt) ? gt : null };
    console.error(`site-build: sample scale ${o.scale} seed ${o.seed} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  } else {
    // Until the generator lands: real runs/leaderboards plus the broken fixture's board, results and agents.
    if (!existsSync(REAL_EXPORT)) throw new Error(`No ${SAMPLE_SCRIPT} and no ${REAL_EXPORT} to fall back on`);
    cpSync(REAL_EXPORT, dir, { recursive: true });
    cpSync(BROKEN_EXPORT, dir, { recursive: true, force: false, filter: (src) => src !== join(BROKEN_EXPORT, 'README.md') });
    info = { kind: 'fallback', dir, scale: null, seed: null, groundTruth: null };
    console.error(`site-build: no scripts/make-sample.ts yet; using ${REAL_EXPORT} + tests/fixtures/broken-export`);
  }
  if (o.overlay) {
    const n = applyOverlay(o.overlay, dir);
    if (n > 0) console.error(`site-build: overlay ${o.overlay}: ${n} files`);
  }
  if (o.hostile) console.error(`site-build: hostile corpus: ${writeHostileCorpus(dir).length} cases`);
  return info;
}

/** The data build (scripts/build-data.ts) into `<publicDir>/data`, imported lazily so a current build needs none of it. */
export async function buildPublicData(exportDir: string, publicDir: string): Promise<Manifest> {
  const { buildData } = await import('../../scripts/build-data.ts');
  const out = join(publicDir, 'data');
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const t0 = performance.now();
  const { manifest } = await buildData({ source: exportDir, out, quiet: true });
  const rows = Object.entries(manifest.tables)
    .filter(([, t]) => t.rows > 0)
    .map(([n, t]) => `${n} ${t.rows}`)
    .join(', ');
  console.error(`site-build: data in ${((performance.now() - t0) / 1000).toFixed(1)} s (${rows}; rejects ${manifest.rejects})`);
  return manifest;
}

/** The site's own public/ (icons and the like) without its data folder. */
export function copyStaticPublic(publicDir: string): void {
  const realPublic = resolve(ROOT, 'public');
  mkdirSync(publicDir, { recursive: true });
  if (existsSync(realPublic)) cpSync(realPublic, publicDir, { recursive: true, filter: (src) => src !== join(realPublic, 'data') });
}

/**
 * `astro build` of the site at `site.base` over `publicDir`, into `site.outDir`, which must be inside the checkout:
 * Astro writes its server chunks next to an outDir under the working directory, but to the shared `<root>/.astro/`
 * for any other outDir, where parallel builds (other checkouts' tests, a bench in /tmp) delete each other's chunks,
 * and chunks elsewhere could not resolve node_modules.
 */
export function astroBuild(site: Site, publicDir: string): void {
  if (!resolve(site.outDir).startsWith(ROOT + sep)) throw new Error(`astroBuild: ${site.outDir} is not inside ${ROOT}`);
  const t0 = performance.now();
  // Astro keeps generated files in the project's own .astro/ folder, so a build someone else starts in the same
  // checkout at the same moment can pull them from under ours ("Cannot find module .astro/renderers.mjs"): retry.
  for (let attempt = 1; ; attempt++) {
    rmSync(site.outDir, { recursive: true, force: true });
    try {
      execFileSync(resolve(ROOT, 'node_modules/.bin/astro'), ['build', '--silent'], {
        cwd: ROOT,
        stdio: ['ignore', 'ignore', 'inherit'],
        env: childEnv({ ...site.env, ATLAS_BASE: site.base, ATLAS_PUBLIC_DIR: publicDir, ATLAS_OUT_DIR: site.outDir }),
      });
      break;
    } catch {
      if (attempt >= 3) throw new Error(`astro build of the ${site.name} site (base ${site.base}) over ${publicDir} failed ${attempt} times; its error is above`);
      console.error(`site-build: astro build ${site.name} failed (attempt ${attempt}); retrying in 5 s`);
      execFileSync('sleep', ['5']);
    }
  }
  console.error(`site-build: astro build ${site.name} (base ${site.base}) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

/** The manifest of a built site (`<outDir>/data/manifest.json`). */
export function siteManifest(site: Site): Manifest {
  return JSON.parse(readFileSync(join(site.outDir, 'data', 'manifest.json'), 'utf8')) as Manifest;
}

/** Every page of a built site as a URL path under its base (`/`, `/leaderboard/`, …), from the index.html files in dist. */
export function sitePages(site: Site): string[] {
  const pages: string[] = [];
  const walk = (dir: string, rel: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory() && !['_astro', 'data'].includes(e.name)) walk(join(dir, e.name), `${rel}${e.name}/`);
      else if (e.isFile() && e.name === 'index.html') pages.push(rel);
    }
  };
  walk(site.outDir, '');
  return pages.sort();
}
