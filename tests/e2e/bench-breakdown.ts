// Where DuckDB's first answer goes (`npx tsx tests/e2e/bench-breakdown.ts --dist DIR [--runs 3] [--page PATH]`):
// cold loads of one page (default the overview) and of the DuckDB-first reference page, each step printed in ms after
// navigation start — requests as the browser's network stack timed them (the worker's included), marks the page set,
// and wasm compile events from a Chrome trace (v8.wasm) — plus a bare page that only compiles duckdb-eh.wasm
// (`WebAssembly.compileStreaming(fetch(wasm))`): DuckDB's floor on this machine. Figures only: nothing is asserted.
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { CDPSession, Request } from 'playwright-core';
import { removeReferencePage, writeReferencePage } from './bench-duckdb-first.ts';
import { launchBrowser, serveSite } from './harness.ts';

const { values } = parseArgs({
  options: {
    dist: { type: 'string', default: 'dist' },
    base: { type: 'string', default: '/' },
    runs: { type: 'string', default: '3' },
    page: { type: 'string', default: '' },
    trace: { type: 'boolean', default: true },
  },
});
const RUNS = Math.max(1, Number(values.runs));
const outDir = resolve(values.dist!);
const base = values.base!;
const FLOOR_PATH = '__bench/wasm-floor/';

/** The bare page: fetch and compile duckdb-eh.wasm, nothing else (its marks: `wasm_compiled`). */
function writeFloorPage(): string {
  const wasm = readdirSync(join(outDir, '_astro')).find((f) => /^duckdb-eh.*\.wasm$/.test(f));
  if (!wasm) throw new Error('breakdown: no duckdb-eh wasm in _astro/');
  const dir = join(outDir, FLOOR_PATH);
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'app.js'),
    `performance.mark('wasm_start');
WebAssembly.compileStreaming(fetch(${JSON.stringify(`${base}_astro/${wasm}`)})).then(() => performance.mark('wasm_compiled'));`,
  );
  writeFileSync(join(dir, 'index.html'), `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>wasm floor</title><link rel="icon" href="data:,"><script type="module" src="${base}${FLOOR_PATH}app.js"></script></head><body><main><h1>floor</h1></main></body></html>`);
  return FLOOR_PATH;
}

type Row = Record<string, number>;

const short = (url: string): string => {
  const u = new URL(url);
  const name = u.pathname.split('/').pop() || u.pathname;
  return name.replace(/\.[A-Za-z0-9_-]{8}\.(js|wasm|css)$/, '.$1');
};

interface TraceEvent {
  name: string;
  cat: string;
  ph: string;
  ts: number;
  dur?: number;
  tid: number;
  args?: Record<string, unknown>;
}

async function collectTrace(cdp: CDPSession): Promise<TraceEvent[]> {
  const events: TraceEvent[] = [];
  cdp.on('Tracing.dataCollected', (e) => void events.push(...(e.value as unknown as TraceEvent[])));
  const done = new Promise<void>((r) => cdp.once('Tracing.tracingComplete', () => r()));
  await cdp.send('Tracing.end');
  await done;
  return events;
}

/** One cold load; returns step name -> ms after navigation start. */
async function load(url: string, waitMark: string): Promise<Row> {
  const b = await launchBrowser();
  const before = wasmHits;
  const reqs: Request[] = [];
  b.context.on('requestfinished', (r) => reqs.push(r));
  try {
    const cdp = await b.context.newCDPSession(b.page);
    if (values.trace) {
      await cdp.send('Tracing.start', {
        traceConfig: { includedCategories: ['v8.wasm', 'disabled-by-default-v8.wasm.detailed', 'devtools.timeline', 'blink.user_timing'] },
        transferMode: 'ReportEvents',
      });
    }
    await b.page.goto(url);
    await b.page.waitForFunction((m) => performance.getEntriesByName(m).length > 0, waitMark, { timeout: 120_000 });
    const origin = await b.page.evaluate(() => performance.timeOrigin);
    const row: Row = await b.page.evaluate(() =>
      Object.fromEntries(
        [...performance.getEntriesByType('mark'), ...performance.getEntriesByType('paint')].map((m) => [m.name, Math.round(m.startTime)]),
      ),
    );
    for (const r of reqs) {
      const t = r.timing();
      let name = short(r.url());
      for (let k = 2; row[`req ${name} start`] !== undefined; k++) name = `${short(r.url())} #${k}`;
      if (/\.(html|css|svg|json|wasm|parquet|arrow)$/.test(name) || /duckdb|worker|parquet/.test(name)) {
        row[`req ${name} start`] = Math.round(t.startTime - origin);
        row[`req ${name} end`] = Math.round(t.startTime + t.responseEnd - origin);
      }
    }
    if (values.trace) addTrace(row, await collectTrace(cdp));
    row['server: duckdb-eh.wasm responses (count)'] = wasmHits - before;
    return row;
  } finally {
    await b.close();
  }
}

/** Wasm events from the trace, by thread (main, worker, background): first start and last end of each, ms after navigation. */
function addTrace(row: Row, events: TraceEvent[]): void {
  // Trace timestamps are µs on their own clock: the `db_start` (or `wasm_start`) user-timing mark anchors them.
  const anchorName = row['db_start'] !== undefined ? 'db_start' : 'wasm_start';
  const mark = events.find((e) => e.cat.includes('blink.user_timing') && e.name === anchorName);
  if (!mark || row[anchorName] === undefined) return;
  const anchor = mark.ts / 1000 - row[anchorName]!;
  const threads = new Map<number, string>();
  for (const e of events) if (e.ph === 'M' && e.name === 'thread_name') threads.set(e.tid, String(e.args?.['name'] ?? ''));
  const group = (tid: number): string => {
    const n = threads.get(tid) ?? '';
    return n === 'CrRendererMain' ? 'main' : /DedicatedWorker/.test(n) ? 'worker' : 'bg';
  };
  const spans = new Map<string, [number, number]>();
  for (const e of events) {
    if (!/wasm/i.test(e.cat) || !KEEP.has(e.name)) continue;
    const s = e.ts / 1000 - anchor;
    const end = s + (e.dur ?? 0) / 1000;
    const key = `${group(e.tid)} ${e.name}`;
    const cur = spans.get(key);
    spans.set(key, cur ? [Math.min(cur[0], s), Math.max(cur[1], end)] : [s, end]);
  }
  for (const [n, [s, e]] of spans) {
    row[`trace ${n} start`] = Math.round(s);
    row[`trace ${n} end`] = Math.round(e);
  }
}

const KEEP = new Set([
  'wasm.StartStreamingCompilation',
  'wasm.OnBytesReceived',
  'wasm.FinishAsyncCompile',
  'wasm.SyncCompile',
  'wasm.SyncInstantiate',
  'wasm.ExecuteStartFunction',
  'wasm.TopTierCompilation',
  'wasm.CompileLazy',
  'wasm.GetNativeModuleFromCache',
]);

const median = (xs: number[]) => {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)]! : Number.NaN;
};

function print(label: string, rows: Row[]): void {
  const keys = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const med = keys.map((k) => [k, median(rows.map((r) => r[k] ?? Number.NaN))] as const).sort((a, b) => a[1] - b[1]);
  console.log(`\n${label} (median of ${rows.length} cold loads, ms after navigation start)\n`);
  console.log('| step | ms | runs |\n|---|---:|---|');
  for (const [k, v] of med) console.log(`| ${k} | ${Math.round(v)} | ${rows.map((r) => r[k] ?? '–').join(', ')} |`);
}

const ref = await writeReferencePage(outDir, base);
const floor = writeFloorPage();
const server = await serveSite({ name: 'dist', base, outDir });
// Responses the server sent for DuckDB's wasm: one per cold load when the early fetch and the worker's share it.
let wasmHits = 0;
server.server.on('request', (req) => {
  if (/duckdb-eh\.[^/]*\.wasm/.test(req.url ?? '')) wasmHits++;
});
try {
  const targets: [string, string, string][] = [
    ['wasm floor: compileStreaming(fetch(duckdb-eh.wasm))', floor, 'wasm_compiled'],
    ['DuckDB-first reference page', ref, 'first_result'],
    [`our page /${values.page}`, values.page!, 'first_result'],
  ];
  for (const [label, path, mark] of targets) {
    const rows: Row[] = [];
    for (let i = 0; i < RUNS; i++) rows.push(await load(server.url + path, mark));
    print(label, rows);
  }
} finally {
  await server.close();
  removeReferencePage(outDir);
}
