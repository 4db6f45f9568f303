// Lineage page benchmark: first-paint bytes and filter latency (query, dagre layout, render) on a built, served site.
// Usage: npx tsx tests/e2e/lineage-bench.ts --site <dist folder> [--base /]   (serves it on 127.0.0.1:0, prints a table)
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { launchBrowser, serveSite } from './harness.ts';

const { values } = parseArgs({ options: { site: { type: 'string' }, base: { type: 'string', default: '/' } } });
if (!values.site) throw new Error('--site <dist folder> is required');
const site = { name: 'bench', outDir: values.site, base: values.base ?? '/' };

const html = readFileSync(join(site.outDir, 'lineage/index.html'), 'utf8');
// The build-time view is the spine (the full graph is laid out in the browser on request).
const start = html.indexOf('<div class="spine"');
const end = html.indexOf('</ol>', html.indexOf('class="spine-rows"')) + 5;
const kb = (s: string) => `${(Buffer.byteLength(s) / 1024).toFixed(1)} KB (gzip ${(gzipSync(s).length / 1024).toFixed(1)} KB)`;
console.log(`page ${kb(html)}; up to the end of the spine ${kb(html.slice(0, end))}; spine ${kb(html.slice(start, end))}`);

const server = await serveSite(site);
const b = await launchBrowser({ viewport: { width: 1400, height: 1000 } });
const page = b.page;
const state = (p: Page) => p.evaluate(() => document.querySelector<HTMLElement>('atlas-lineage')?.dataset['state']);
const ready = (p: Page) => p.waitForFunction(() => document.querySelector<HTMLElement>('atlas-lineage')?.dataset['state'] === 'ready', null, { timeout: 180_000 });
try {
  const t0 = performance.now();
  await page.goto(`${server.url}lineage/`);
  await ready(page);
  console.log(`build-time spine ready in ${Math.round(performance.now() - t0)} ms, ${await page.locator('[data-spine-wrap] .spine-row').count()} rows`);
  // The page warms DuckDB-WASM up when idle; measure filters once the lineage tables are in.
  await page.waitForFunction(() => performance.getEntriesByType('mark').some((m) => m.name === 'table_loaded:lineage_nodes'), null, { timeout: 180_000 });
  const agent = await page.evaluate(() => document.querySelector<HTMLOptionElement>('#lineage-agents option')?.value ?? '');
  const token = await page.evaluate(() => document.querySelectorAll<HTMLOptionElement>('select[name=technique] option')[1]?.value ?? '');
  const steps: [string, () => Promise<unknown>][] = [
    ['full graph', () => page.click('a[data-set-view="graph"]')],
    ['rule = ref', () => page.selectOption('select[name=rule]', 'ref')],
    ['+ confidence ≥ 0.7', () => page.selectOption('select[name=conf]', '0.7')],
    ['reset (cached)', () => page.click('button[type=reset]')],
    [`technique = ${token}`, () => page.selectOption('select[name=technique]', token)],
    ['reset (cached)', () => page.click('button[type=reset]')],
    [`agent = ${agent}`, () => page.fill('input[name=agent]', agent).then(() => page.press('input[name=agent]', 'Enter'))],
    ['show all (≤ 600)', () => page.selectOption('select[name=view]', 'all')],
    ['back (cached)', () => page.goBack()],
  ];
  console.log('| step | wall ms | query ms | layout ms | render ms | nodes | edges |\n|---|---|---|---|---|---|---|');
  for (const [name, act] of steps) {
    const before = await page.evaluate(() => location.search);
    const t = performance.now();
    await act();
    await page.waitForFunction((s) => location.search !== s, before, { timeout: 30_000 });
    await ready(page);
    const wall = Math.round(performance.now() - t);
    const r = await page.evaluate(() => ({
      t: (document.querySelector('atlas-lineage') as unknown as { timings: Record<string, number> | null }).timings,
      n: document.querySelectorAll('[data-graph] .nodes > .n').length,
      e: document.querySelectorAll('[data-graph] path.e').length,
    }));
    const ms = (k: string) => Math.round(r.t?.[k] ?? 0);
    console.log(`| ${name} | ${wall} | ${ms('query')} | ${ms('layout')} | ${ms('render')} | ${r.n} | ${r.e} |`);
  }
  if ((await state(page)) !== 'ready' || b.errors.length) console.error('errors:', b.errors);
} finally {
  await b.close();
  await server.close();
}
