// What stands between navigation and the first paint of a page (`npx tsx tests/e2e/bench-paint.ts --dist DIR
// --pages overview,noise [--runs 3]`): cold loads with a Chrome trace (devtools.timeline), printing each request's
// start and end and the main thread's work (parse, style, layout, script, paint) before first-contentful-paint, ms after
// navigation start, median over runs. Figures only: nothing is asserted.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Request } from 'playwright-core';
import { launchBrowser, serveSite } from './harness.ts';

const { values } = parseArgs({
  options: {
    dist: { type: 'string', default: 'dist' },
    base: { type: 'string', default: '/' },
    runs: { type: 'string', default: '3' },
    pages: { type: 'string', default: ',leaderboard/,board/,agents/,lineage/,relays/,noise/,sql/,methods/' },
  },
});
const RUNS = Math.max(1, Number(values.runs));

interface TraceEvent {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  tid: number;
  pid: number;
  args?: Record<string, unknown>;
}

type Row = Map<string, number>;

const short = (url: string): string => !URL.canParse(url) ? url : (new URL(url).pathname.split('/').pop() || new URL(url).pathname).replace(/\.[A-Za-z0-9_-]{8}\.(js|css|svg)$/, '.$1');

/** Main-thread work the renderer does before the first paint, by trace event name (summed ms). */
const WORK = new Set(['ParseHTML', 'ParseAuthorStyleSheet', 'UpdateLayoutTree', 'Layout', 'EvaluateScript', 'v8.evaluateModule', 'FunctionCall', 'Paint', 'PrePaint', 'Layerize', 'CompileScript', 'v8.compileModule', 'TimerFire', 'EventDispatch', 'RunMicrotasks', 'HitTest']);

async function load(url: string): Promise<Row> {
  const b = await launchBrowser();
  const reqs: Request[] = [];
  b.context.on('requestfinished', (r) => reqs.push(r));
  try {
    const cdp = await b.context.newCDPSession(b.page);
    await cdp.send('Tracing.start', { traceConfig: { includedCategories: ['devtools.timeline', 'blink.user_timing', 'loading', 'v8'] }, transferMode: 'ReportEvents' });
    await b.page.goto(url, { waitUntil: 'load' });
    await b.page.waitForFunction(() => performance.getEntriesByName('first-contentful-paint').length > 0);
    await new Promise((r) => setTimeout(r, 300));
    const origin = await b.page.evaluate(() => performance.timeOrigin);
    const fcp = await b.page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]!.startTime);
    const row: Row = new Map([['FCP', fcp]]);
    for (const r of reqs) {
      const t = r.timing();
      if (t.startTime - origin > fcp) continue;
      row.set(`req ${short(r.url())} start`, t.startTime - origin);
      row.set(`req ${short(r.url())} end`, t.startTime + t.responseEnd - origin);
    }
    const events: TraceEvent[] = [];
    cdp.on('Tracing.dataCollected', (e) => void events.push(...(e.value as unknown as TraceEvent[])));
    const done = new Promise<void>((r) => cdp.once('Tracing.tracingComplete', () => r()));
    await cdp.send('Tracing.end');
    await done;
    const navStart = events.find((e) => e.name === 'navigationStart' || e.name === 'markAsMainFrame');
    const fcpEv = events.find((e) => e.name === 'firstContentfulPaint');
    if (!fcpEv || !navStart) return row;
    const anchor = fcpEv.ts / 1000 - fcp;
    const main = fcpEv.tid;
    const mainPid = fcpEv.pid;
    const sums = new Map<string, number>();
    const firsts = new Map<string, number>();
    for (const e of events) {
      if (e.tid !== main || e.pid !== mainPid || e.ph !== 'X' || !WORK.has(e.name)) continue;
      const s = e.ts / 1000 - anchor;
      if (s > fcp) continue;
      const d = Math.min((e.dur ?? 0) / 1000, fcp - s);
      const data = (e.args?.['data'] ?? e.args ?? {}) as { url?: string; fileName?: string };
      const key = /Script|Module/.test(e.name) ? `${e.name} ${short(String(data.url ?? data.fileName ?? '')) || '?'}` : e.name;
      sums.set(key, (sums.get(key) ?? 0) + d);
      if (!firsts.has(key)) firsts.set(key, s);
    }
    for (const [k, v] of sums) if (v >= 1) {
      row.set(`main ${k}: total ms`, v);
      row.set(`main ${k}: first at`, firsts.get(k)!);
    }
    return row;
  } finally {
    await b.close();
  }
}

const median = (xs: number[]) => {
  const s = xs.filter(Number.isFinite).sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)]! : Number.NaN;
};

const server = await serveSite({ name: 'dist', base: values.base!, outDir: resolve(values.dist!) });
try {
  for (const path of values.pages!.split(',')) {
    const rows: Row[] = [];
    for (let i = 0; i < RUNS; i++) rows.push(await load(server.url + path));
    const keys = [...new Set(rows.flatMap((r) => [...r.keys()]))];
    const med = keys.map((k) => [k, median(rows.map((r) => r.get(k) ?? Number.NaN))] as const).sort((a, b) => (a[0].startsWith('main') ? 1 : 0) - (b[0].startsWith('main') ? 1 : 0) || a[1] - b[1]);
    console.log(`\n/${path} (median of ${RUNS} cold loads, ms after navigation start)\n\n| step | ms |\n|---|---:|`);
    for (const [k, v] of med) console.log(`| ${k} | ${v.toFixed(1)} |`);
  }
} finally {
  await server.close();
}
