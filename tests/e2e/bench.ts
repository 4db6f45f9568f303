// Browser timing benchmark: cold and warm loads of the overview page, DuckDB-WASM marks, printed as a table.
// Usage: npx tsx tests/e2e/bench.ts [--dist DIR] [--base /] [--runs 5]   (default DIR: the e2e build, else dist/)
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { launchBrowser, marks, serveSite } from './harness.ts';

const { values } = parseArgs({
  options: {
    dist: { type: 'string' },
    base: { type: 'string', default: process.env['ATLAS_BASE'] ?? '/' },
    runs: { type: 'string', default: '5' },
  },
});
const e2eBuild = resolve(import.meta.dirname, '../../node_modules/.cache/atlas-e2e/dist-root');
const outDir = resolve(values.dist ?? (existsSync(e2eBuild) ? e2eBuild : 'dist'));
const runs = Number(values.runs);
const server = await serveSite({ name: 'bench', outDir, base: values.base });
console.error(`bench: ${outDir} at ${server.url}, ${runs} cold + warm runs`);

type Sample = Record<string, number>;
const samples: { cold: Sample[]; warm: Sample[] } = { cold: [], warm: [] };
const load = async (page: import('playwright-core').Page): Promise<Sample> => {
  await page.goto(server.url);
  await page.waitForSelector('atlas-query[data-state="done"]', { timeout: 60_000 });
  const m = await marks(page);
  const at = (k: string) => m[k] ?? Number.NaN;
  return {
    db_start: at('db_start'),
    db_ready: at('db_ready'),
    init: at('db_ready') - at('db_start'),
    'table_loaded:runs': at('table_loaded:runs'),
    first_result: at('first_result'),
    'start→result': at('first_result') - at('db_start'),
  };
};
try {
  for (let i = 0; i < runs; i++) {
    const b = await launchBrowser();
    try {
      samples.cold.push(await load(b.page));
      samples.warm.push(await load(b.page)); // same profile: HTTP cache and V8 code cache are warm
      const off = b.offOrigin(server.origin);
      if (off.length > 0 || b.errors.length > 0) throw new Error(`off-origin ${off.join(', ')}; errors ${b.errors.join('; ')}`);
    } finally {
      await b.close();
    }
  }
} finally {
  await server.close();
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)] ?? Number.NaN;
};
const keys = Object.keys(samples.cold[0] ?? {});
console.log(`| ms after navigation (median of ${runs}, min–max) | cold | warm |`);
console.log('|---|---|---|');
for (const k of keys) {
  const cell = (xs: Sample[]) => {
    const v = xs.map((s) => s[k] ?? Number.NaN);
    return `${median(v)} (${Math.min(...v)}–${Math.max(...v)})`;
  };
  console.log(`| ${k} | ${cell(samples.cold)} | ${cell(samples.warm)} |`);
}
