// Builds the site twice (base `/` and base `/atlas/`) over the fixture data, once per run, only when stale.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { TestProject } from 'vitest/node';
import { writeFixtureData } from '../fixtures/fixture-data.ts';
import type { Site } from './harness.ts';

const ROOT = resolve(import.meta.dirname, '../..');
// Builds live outside the source tree so type checkers and linters never see the bundles.
const WORK = resolve(ROOT, 'node_modules/.cache/atlas-e2e');

declare module 'vitest' {
  export interface ProvidedContext {
    sites: Site[];
  }
}

/** Newest modification time under the given paths (files and folders, recursively). */
function newest(paths: string[]): number {
  let max = 0;
  const walk = (p: string) => {
    if (!existsSync(p)) return;
    const st = statSync(p);
    max = Math.max(max, st.mtimeMs);
    if (st.isDirectory()) for (const f of readdirSync(p)) walk(join(p, f));
  };
  paths.forEach(walk);
  return max;
}

export default async function setup(project: TestProject): Promise<void> {
  const inputs = ['src', 'astro.config.mjs', 'package-lock.json', 'tsconfig.json', 'tests/fixtures', 'public'].map((p) =>
    resolve(ROOT, p),
  );
  const inputsChanged = newest(inputs);
  const publicDir = join(WORK, 'public');
  const sites: Site[] = [
    { name: 'root', base: '/', outDir: join(WORK, 'dist-root') },
    { name: 'subpath', base: '/atlas/', outDir: join(WORK, 'dist-atlas') },
  ];
  const stamp = (s: Site) => join(s.outDir, '.built');
  const stale = sites.filter((s) => process.env['ATLAS_E2E_REBUILD'] === '1' || !existsSync(stamp(s)) || statSync(stamp(s)).mtimeMs < inputsChanged);
  if (stale.length > 0) {
    // The site's own public/ (icons and the like) without its data, plus the fixture tables.
    rmSync(publicDir, { recursive: true, force: true });
    mkdirSync(publicDir, { recursive: true });
    const realPublic = resolve(ROOT, 'public');
    if (existsSync(realPublic)) {
      cpSync(realPublic, publicDir, { recursive: true, filter: (src) => src !== join(realPublic, 'data') });
    }
    await writeFixtureData(publicDir);
  }
  // Vitest puts Vite's own variables (BASE_URL, MODE, PROD, NODE_ENV=test, …) into process.env;
  // an astro build started with them renders BASE_URL as "/" whatever `base` says.
  const env = Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => !['BASE_URL', 'MODE', 'DEV', 'PROD', 'SSR', 'NODE_ENV', 'TEST'].includes(k) && !k.startsWith('VITEST'),
    ),
  );
  for (const site of stale) {
    const t0 = performance.now();
    rmSync(site.outDir, { recursive: true, force: true });
    try {
      execFileSync(resolve(ROOT, 'node_modules/.bin/astro'), ['build', '--silent'], {
        cwd: ROOT,
        stdio: ['ignore', 'ignore', 'inherit'],
        env: { ...env, ATLAS_BASE: site.base, ATLAS_PUBLIC_DIR: publicDir, ATLAS_OUT_DIR: site.outDir },
      });
    } catch {
      throw new Error(`e2e: astro build of the ${site.name} site (base ${site.base}) over the fixture data failed; its error is above`);
    }
    writeFileSync(stamp(site), new Date().toISOString() + '\n');
    console.error(`e2e: built ${site.name} (base ${site.base}) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  project.provide('sites', sites);
}
