// Does a repeat visit reuse DuckDB's compiled wasm? (`npx tsx tests/e2e/bench-wasm-cache.ts --dist DIR [--wait 8000]`)
// Per variant: a fresh profile visits the overview, waits for DuckDB's first answer, runs the console's queries (so some
// of DuckDB's code tiers up), stays `--wait` ms, then visits again with a Chrome trace and prints what the trace says
// about the wasm (streaming compile again, or a module deserialised from Chrome's code cache) and the repeat visit's
// first answer. Variants: DuckDB as shipped (its worker compiles a `new Response(stream)` it builds to report
// progress), the same worker with `TransformStream` removed (so it compiles `fetch(wasm)`, a response with a URL, as
// Chrome's code cache requires), each with V8's defaults and with its caching threshold lowered. Figures only.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium, type Page } from 'playwright-core';
import { CHROMIUM, serveSite } from './harness.ts';

const { values } = parseArgs({ options: { dist: { type: 'string', default: 'dist' }, base: { type: 'string', default: '/' }, wait: { type: 'string', default: '8000' } } });
const outDir = resolve(values.dist!);
const WRAP = '__bench-wasm-wrap.js';
// A classic worker that hides TransformStream from DuckDB's worker script, then loads it (same origin: CSP allows it).
writeFileSync(join(outDir, WRAP), "self.TransformStream = undefined; importScripts(new URL(location.href).searchParams.get('u'));\n");

/** Page-side: construct DuckDB's worker through the wrapper (a script string: no bundler helpers in the page). */
const wrapWorkers = (wrap: string): string => `{
  const Original = window.Worker;
  window.Worker = class extends Original {
    constructor(url, opts) {
      const u = String(url);
      super(u.includes('duckdb-browser-eh.worker') ? new URL(${JSON.stringify(wrap)}, location.href).href + '?u=' + encodeURIComponent(u) : u, opts);
    }
  };
}`;

interface TraceEvent {
  name: string;
  cat: string;
  ts: number;
}

async function visit(page: Page, url: string): Promise<number> {
  await page.goto(url);
  await page.waitForFunction(() => performance.getEntriesByName('first_result').length > 0, null, { timeout: 120_000 });
  return page.evaluate(() => performance.getEntriesByName('first_result')[0]!.startTime);
}

async function variant(label: string, url: string, wrap: boolean, jsFlags: string | null): Promise<void> {
  const profile = mkdtempSync(join(tmpdir(), 'atlas-wasm-cache-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', ...(jsFlags ? [`--js-flags=${jsFlags}`] : [])],
  });
  try {
    if (wrap) await context.addInitScript(wrapWorkers(`${values.base}${WRAP}`));
    const first = context.pages()[0] ?? (await context.newPage());
    const cold = await visit(first, url);
    await first.evaluate(async () => {
      const q = (globalThis as unknown as { atlas: { query: (s: string) => Promise<unknown> } }).atlas.query;
      for (const t of ['runs', 'results', 'messages', 'agents']) await q(`SELECT count(*), count(DISTINCT 1) FROM ${t}`).catch(() => undefined);
    });
    await first.waitForTimeout(Number(values.wait));
    const again = await context.newPage();
    await first.close();
    const cdp = await context.newCDPSession(again);
    const events: TraceEvent[] = [];
    cdp.on('Tracing.dataCollected', (e) => void events.push(...(e.value as unknown as TraceEvent[])));
    await cdp.send('Tracing.start', { traceConfig: { includedCategories: ['v8.wasm', 'disabled-by-default-v8.wasm.detailed', 'devtools.timeline', 'disabled-by-default-devtools.timeline', 'blink', 'loading'] }, transferMode: 'ReportEvents' });
    const repeat = await visit(again, url);
    const done = new Promise<void>((r) => cdp.once('Tracing.tracingComplete', () => r()));
    await cdp.send('Tracing.end');
    await done;
    const counts = new Map<string, number>();
    for (const e of events) if (/wasm|cache/i.test(e.name)) counts.set(e.name, (counts.get(e.name) ?? 0) + 1);
    const names = [...counts].filter(([n]) => /stream|cache|serial|compil/i.test(n)).map(([n, c]) => `${n}×${c}`);
    console.log(`${label}: first answer cold ${cold.toFixed(0)} ms, repeat ${repeat.toFixed(0)} ms; repeat visit's trace: ${names.join(', ') || '(no wasm events)'}`);
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

const server = await serveSite({ name: 'dist', base: values.base!, outDir });
try {
  const url = `${server.url}`;
  const low = '--wasm-caching-threshold=1 --wasm-caching-timeout-ms=0';
  await variant('as shipped, V8 defaults', url, false, null);
  await variant('as shipped, caching threshold lowered', url, false, low);
  await variant('no TransformStream, V8 defaults', url, true, null);
  await variant('no TransformStream, caching threshold lowered', url, true, low);
} finally {
  await server.close();
  rmSync(join(outDir, WRAP), { force: true });
}
