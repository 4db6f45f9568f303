// Builds the e2e sites (base `/` and `/atlas/`) from the synthetic sample plus the e2e overlay and the hostile corpus,
// once per run, only when stale.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { TestProject } from 'vitest/node';
import type { Site } from './harness.ts';
import {
  BROKEN_EXPORT,
  OVERLAY,
  REAL_EXPORT,
  ROOT,
  SAMPLE_SCRIPT,
  astroBuild,
  buildPublicData,
  copyStaticPublic,
  newest,
  prepareExport,
  type ExportInfo,
} from './site-build.ts';

// Builds live outside the source tree so type checkers and linters never see the bundles.
const WORK = resolve(ROOT, 'node_modules/.cache/atlas-e2e');
/** The sample the browser tests run on: scale 1 (the reference sizes). */
export const E2E_SCALE = 1;
/** make-sample's default seed, so the e2e data is `npm run sample`'s plus the overlay. */
export const E2E_SEED = 42;
/** The agents index lists this many handles at build time in the test sites (below the sample's count, so the
 * "list all" path runs too). */
export const E2E_AGENT_TABLE_LIMIT = 40;
/** The sub-path site turns filters of more than this many values into text fields (the root site keeps menus up to
 * the default 300), so the browser tests run both forms. */
export const E2E_FACET_MENU_LIMIT = 12;

declare module 'vitest' {
  export interface ProvidedContext {
    sites: Site[];
    /** What the sites' data was built from (sample, or the fallback until the generator lands). */
    e2eData: ExportInfo;
  }
}

interface Stamp {
  built: string;
  data: ExportInfo;
}

const readStamp = (file: string): Stamp | null => {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Stamp;
  } catch {
    return null;
  }
};

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * One setup at a time per checkout: several engineers (and CI) may start vitest in the same folder, and two setups
 * building into the same cache would delete each other's files. A lock left by a dead process is taken over.
 */
async function withLock<T>(fn: () => Promise<T>): Promise<T> {
  const lock = join(WORK, '.lock');
  mkdirSync(WORK, { recursive: true });
  const deadline = Date.now() + 30 * 60_000;
  for (let waited = false; ; ) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, 'pid'), String(process.pid));
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const pid = Number(existsSync(join(lock, 'pid')) ? readFileSync(join(lock, 'pid'), 'utf8') : Number.NaN);
      const age = Date.now() - statSync(lock).mtimeMs;
      if ((Number.isInteger(pid) && !alive(pid)) || (!Number.isInteger(pid) && age > 60_000)) {
        rmSync(lock, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`e2e: ${lock} held by pid ${pid} for 30 min; remove it if that process is gone`);
      if (!waited) console.error(`e2e: another test run (pid ${pid}) is building the e2e sites; waiting`);
      waited = true;
      await new Promise((r) => setTimeout(r, 2000));
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** Replace `dir` by `staged` in two renames, so a reader never sees a half-written folder for long. */
function swapIn(staged: string, dir: string): void {
  const old = `${dir}.old-${process.pid}`;
  if (existsSync(dir)) renameSync(dir, old);
  renameSync(staged, dir);
  rmSync(old, { recursive: true, force: true });
}

export default async function setup(project: TestProject): Promise<void> {
  const at = (...ps: string[]) => ps.map((p) => resolve(ROOT, p));
  const kind: ExportInfo['kind'] = existsSync(SAMPLE_SCRIPT) ? 'sample' : 'fallback';
  // What the data depends on: the generator and data build (scripts/, with the schema and config in src/lib), the
  // overlay and fixtures, and the fallback export while it is in use.
  const dataInputs = [
    ...at('scripts', 'src/lib', 'tests/fixtures', 'package-lock.json', 'tests/e2e/site-build.ts', 'tests/e2e/global-setup.ts'),
    ...(kind === 'fallback' ? [REAL_EXPORT, BROKEN_EXPORT] : []),
  ];
  const siteInputs = [...dataInputs, ...at('src', 'astro.config.mjs', 'tsconfig.json', 'public')];
  const ignore = at('public/data');
  const rebuild = process.env['ATLAS_E2E_REBUILD'] === '1';
  const sites: Site[] = [
    { name: 'root', base: '/', outDir: join(WORK, 'dist-root'), env: { ATLAS_AGENT_TABLE_LIMIT: String(E2E_AGENT_TABLE_LIMIT) } },
    {
      name: 'subpath',
      base: '/atlas/',
      outDir: join(WORK, 'dist-atlas'),
      env: { ATLAS_AGENT_TABLE_LIMIT: String(E2E_AGENT_TABLE_LIMIT), ATLAS_FACET_MENU_LIMIT: String(E2E_FACET_MENU_LIMIT) },
    },
  ];

  const stamp = await withLock(async () => {
    const publicDir = join(WORK, 'public');
    const dataStamp = join(publicDir, '.built.json');
    let current = readStamp(dataStamp);
    const dataStale =
      rebuild ||
      !current ||
      current.data.kind !== kind ||
      current.data.scale !== (kind === 'sample' ? E2E_SCALE : null) ||
      current.data.seed !== (kind === 'sample' ? E2E_SEED : null) ||
      Date.parse(current.built) < newest(dataInputs, ignore);
    if (dataStale || !current) {
      // Stamps record when a build started: an input edited while it ran makes the next run build again.
      const started = new Date().toISOString();
      const staged = `${publicDir}.new`;
      rmSync(staged, { recursive: true, force: true });
      const data = prepareExport({ work: join(WORK, 'sample'), scale: E2E_SCALE, seed: E2E_SEED, overlay: OVERLAY, hostile: true });
      copyStaticPublic(staged);
      await buildPublicData(data.dir, staged);
      current = { built: started, data };
      writeFileSync(join(staged, '.built.json'), JSON.stringify(current, null, 2) + '\n');
      swapIn(staged, publicDir);
    }

    const changed = Math.max(Date.parse(current.built), newest(siteInputs, ignore));
    for (const site of sites) {
      const siteStamp = join(site.outDir, '.built');
      const built = existsSync(siteStamp) ? Date.parse(readFileSync(siteStamp, 'utf8').trim()) : 0;
      if (!rebuild && !dataStale && built >= changed) continue;
      const started = new Date().toISOString();
      const staged = `${site.outDir}.new`;
      astroBuild({ ...site, outDir: staged }, publicDir);
      writeFileSync(join(staged, '.built'), started + '\n');
      swapIn(staged, site.outDir);
    }
    return current;
  });
  project.provide('sites', sites);
  project.provide('e2eData', stamp.data);
}
