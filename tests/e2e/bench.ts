// Site benchmark (`npm run bench:site`): cold loads of the sample site at several scales, printed as a markdown table.
// Per scale: first paint of the build-time chart and the bytes before it, DuckDB-WASM's first answer, and the latency of
// three typical interactive queries run through `globalThis.atlas.query`. Figures only: nothing here asserts a timing.
//
// Usage: npm run bench:site -- [--scales 1,100] [--runs 3] [--seed 42] [--work DIR] [--rebuild | --reuse]
//        npm run bench:site -- --dist DIR [--base /] [--runs 3]     (an existing build, e.g. dist/)
// Sites are built with scripts/make-sample.ts + the data build into `<work>/scale-<n>-seed-<s>/` (default work:
// $TMPDIR/atlas-bench), then astro build into node_modules/.cache/atlas-bench/ (Astro needs its output inside the
// checkout), each stage reused while no input changed (--reuse: whatever is there). Scale 100 takes
// about 6 min to generate and 10–40 min to ingest on a 2-core machine.
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Page } from 'playwright-core';
import { parseConfig, type CollabConfig } from '../../src/lib/config.ts';
import type { QuerySpec } from '../../src/lib/db/connector.ts';
import { leaderboard } from '../../src/lib/queries/leaderboard.sql.ts';
import { launchBrowser, serveSite, type Site } from './harness.ts';
import { ROOT, SAMPLE_SCRIPT, astroBuild, buildPublicData, copyStaticPublic, newest, prepareExport } from './site-build.ts';

const { values } = parseArgs({
  options: {
    scales: { type: 'string', default: '1,100' },
    runs: { type: 'string', default: '3' },
    seed: { type: 'string', default: '42' },
    work: { type: 'string', default: join(tmpdir(), 'atlas-bench') },
    rebuild: { type: 'boolean', default: false },
    reuse: { type: 'boolean', default: false },
    dist: { type: 'string' },
    base: { type: 'string', default: '/' },
    reps: { type: 'string', default: '7' },
  },
});
const RUNS = Math.max(1, Number(values.runs));
const REPS = Math.max(1, Number(values.reps));
const SEED = Number(values.seed);

// ---------------------------------------------------------------------------------------------------------
// Building the sites (reused while their inputs are older than the stamp).

const at = (...ps: string[]) => ps.map((p) => resolve(ROOT, p));
// --reuse keeps any existing stage however old its inputs (scale 100 takes most of an hour to generate and ingest).
const stampTime = (file: string): number => (!existsSync(file) ? 0 : values.reuse ? Number.POSITIVE_INFINITY : statSync(file).mtimeMs);
const touch = (file: string, note: string) => writeFileSync(file, `${new Date().toISOString()} ${note}\n`);

interface BenchSite {
  label: string;
  site: Site;
  build: Record<string, number>;
}

async function ensureSite(scale: number): Promise<BenchSite> {
  if (!existsSync(SAMPLE_SCRIPT)) throw new Error(`bench: ${SAMPLE_SCRIPT} is missing; the site benchmark runs on the synthetic sample`);
  const work = resolve(values.work!, `scale-${scale}-seed-${SEED}`);
  const sampleDir = join(work, 'sample');
  const publicDir = join(work, 'public');
  // The sample and its data go to --work (/tmp); the site must be built inside the checkout (see astroBuild).
  const site: Site = { name: `scale-${scale}`, base: '/', outDir: resolve(ROOT, `node_modules/.cache/atlas-bench/scale-${scale}-seed-${SEED}/dist`) };
  const build: Record<string, number> = {};
  const timed = async (key: string, fn: () => unknown) => {
    const t0 = performance.now();
    await fn();
    build[key] = (performance.now() - t0) / 1000;
  };
  const sampleStamp = join(sampleDir, '.bench-built');
  const dataStamp = join(publicDir, '.bench-built');
  const siteStamp = join(site.outDir, '.bench-built');
  let stale = values.rebuild || stampTime(sampleStamp) < newest([SAMPLE_SCRIPT, ...at('scripts/sample')]);
  if (stale) {
    await timed('sample', () => prepareExport({ work: sampleDir, scale, seed: SEED, overlay: null }));
    touch(sampleStamp, `scale ${scale} seed ${SEED}`);
  }
  stale ||= stampTime(dataStamp) < newest(at('scripts', 'src/lib', 'package-lock.json'));
  if (stale) {
    copyStaticPublic(publicDir);
    await timed('data', () => buildPublicData(join(sampleDir, 'export'), publicDir));
    touch(dataStamp, 'data');
  }
  stale ||= stampTime(siteStamp) < newest([...at('src', 'astro.config.mjs', 'public', 'package-lock.json')], at('public/data'));
  if (stale) {
    await timed('astro', () => astroBuild(site, publicDir));
    touch(siteStamp, 'site');
  }
  return { label: `scale ${scale}`, site, build };
}

// ---------------------------------------------------------------------------------------------------------
// Measuring one cold load.

/**
 * Runs before any page script: marks `first_chart` once the first <svg> in <main> is complete (the parser has moved
 * past its figure) and a frame has been rendered with it (requestAnimationFrame, then a task after that frame).
 * The figure reported is the later of that mark and the first contentful paint.
 */
const CHART_PROBE = `(() => {
  let seen = false;
  const check = () => {
    if (seen) return;
    const svg = document.querySelector('main svg');
    if (!svg) return;
    const host = svg.closest('main > *') || svg;
    if (!host.nextSibling && document.readyState === 'loading') return;
    seen = true;
    mo.disconnect();
    performance.mark('chart_in_dom');
    requestAnimationFrame(() => setTimeout(() => performance.mark('first_chart'), 0));
  };
  const mo = new MutationObserver(check);
  mo.observe(document, { childList: true, subtree: true });
  document.addEventListener('DOMContentLoaded', check);
})();`;

interface PageSample {
  first_chart: number;
  chart_in_dom: number;
  fcp: number;
  bytes_before_chart: number;
  requests_before_chart: number;
  html_bytes: number;
  db_start: number;
  db_ready: number;
  first_result: number;
  bytes_total: number;
}

/** Navigate a fresh profile to `url`; wait for the chart, and for DuckDB's first answer when `settled` is given. */
async function coldLoad(url: string, settled: string | null, after?: (page: Page) => Promise<void>): Promise<PageSample> {
  const b = await launchBrowser();
  let bytesTotal = 0;
  const sizes: Promise<void>[] = [];
  // Every response, workers' included (the DuckDB wasm is fetched by its worker): body + headers as received.
  b.context.on('requestfinished', (r) =>
    sizes.push(
      r.sizes().then(
        (s) => {
          bytesTotal += s.responseBodySize + s.responseHeadersSize;
        },
        () => undefined,
      ),
    ),
  );
  try {
    await b.context.addInitScript(CHART_PROBE);
    const res = await b.page.goto(url);
    if (res?.status() !== 200) throw new Error(`${url}: HTTP ${res?.status()}`);
    await b.page.waitForFunction(
      () => performance.getEntriesByName('first_chart').length > 0 && performance.getEntriesByName('first-contentful-paint').length > 0,
      null,
      { timeout: 120_000 },
    );
    if (settled) await b.page.waitForSelector(settled, { timeout: 300_000 });
    // No named function inside evaluate(): tsx compiles this file with keepNames, and its __name helper is not in the page.
    const m = await b.page.evaluate(() => {
      const at: Record<string, number> = {};
      for (const n of ['first_chart', 'chart_in_dom', 'first-contentful-paint', 'db_start', 'db_ready', 'first_result']) {
        at[n] = performance.getEntriesByName(n)[0]?.startTime ?? Number.NaN;
      }
      // The chart cannot show before the first contentful paint: when it was in the DOM earlier, that paint shows it.
      const chart = Math.max(at['first_chart']!, at['first-contentful-paint']!);
      const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
      const entries = [nav, ...(performance.getEntriesByType('resource') as PerformanceResourceTiming[])];
      const before = entries.filter((e) => e.responseEnd <= chart);
      return {
        first_chart: chart,
        chart_in_dom: at['chart_in_dom']!,
        fcp: at['first-contentful-paint']!,
        bytes_before_chart: before.reduce((s, e) => s + e.transferSize, 0),
        requests_before_chart: before.length,
        html_bytes: nav.transferSize,
        db_start: at['db_start']!,
        db_ready: at['db_ready']!,
        first_result: at['first_result']!,
      };
    });
    await Promise.all(sizes);
    const total = bytesTotal;
    if (after) await after(b.page);
    const off = b.offOrigin(new URL(url).origin);
    if (off.length > 0 || b.errors.length > 0) throw new Error(`${url}: off-origin ${off.join(', ')}; errors ${b.errors.join('; ')}`);
    return { ...m, bytes_total: total };
  } finally {
    await b.close();
  }
}

// ---------------------------------------------------------------------------------------------------------
// Interactive queries, through the page's own connector.

interface NamedQuery {
  key: string;
  label: string;
  spec: QuerySpec;
}

async function typicalQueries(page: Page, config: CollabConfig): Promise<NamedQuery[]> {
  type Atlas = { query: (s: string, p?: unknown[]) => Promise<Record<string, unknown>[]> };
  const [top] = await page.evaluate(
    () =>
      (globalThis as unknown as { atlas: Atlas }).atlas.query(
        'SELECT agent FROM results WHERE agent IS NOT NULL GROUP BY agent ORDER BY count(*) DESC, agent LIMIT 1',
      ),
  );
  const agent = String(top?.['agent'] ?? '');
  // The board's own builder once it exists; until then the same kind of search written out here.
  const term = 'speculative';
  let search: QuerySpec = {
    tables: ['messages'],
    params: [term],
    sql: `SELECT filename, ts, agent, headline, excerpt FROM messages
WHERE contains(lower(coalesce(headline, '') || chr(10) || coalesce(body_md, '')), lower(?))
ORDER BY ts DESC NULLS LAST, filename DESC LIMIT 50`,
  };
  try {
    const board = (await import('../../src/lib/queries/board.sql.ts')) as {
      boardMessages: (f: { q: string }, p: { limit: number }) => QuerySpec;
    };
    search = board.boardMessages({ q: term }, { limit: 50 });
  } catch {
    // board.sql.ts not there yet
  }
  return [
    { key: 'q_leaderboard', label: `leaderboard, agent filter (\`${agent}\`, most results)`, spec: leaderboard(config, { agent }) },
    { key: 'q_search', label: `board search "${term}" (newest 50)`, spec: search },
    {
      key: 'q_groupby',
      label: 'runs grouped by agent (count, best, median)',
      spec: {
        tables: ['runs'],
        sql: `SELECT agent, count(*) AS runs, count(*) FILTER (WHERE status = 'completed') AS completed,
  max(score) AS best, median(score) AS median_score
FROM runs WHERE duplicate_of IS NULL GROUP BY agent ORDER BY best DESC NULLS LAST, agent`,
      },
    },
  ];
}

/** Load the tables the queries read, then time each query: the first call and the median of `reps` more. */
async function timeQueries(page: Page, queries: NamedQuery[]): Promise<Record<string, number>> {
  return page.evaluate(
    async ({ qs, reps }) => {
      type Atlas = {
        query: (s: string, p?: unknown[]) => Promise<unknown[]>;
        ensureTables: (t: string[]) => Promise<void>;
      };
      const atlas = (globalThis as unknown as { atlas: Atlas }).atlas;
      const out: Record<string, number> = {};
      let t0 = performance.now();
      await atlas.ensureTables([...new Set(qs.flatMap((q) => q.tables))]);
      out['tables_load'] = performance.now() - t0;
      for (const q of qs) {
        t0 = performance.now();
        const rows = await atlas.query(q.sql, q.params);
        out[`${q.key}_first`] = performance.now() - t0;
        out[`${q.key}_rows`] = rows.length;
        const times: number[] = [];
        for (let i = 0; i < reps; i++) {
          t0 = performance.now();
          await atlas.query(q.sql, q.params);
          times.push(performance.now() - t0);
        }
        times.sort((a, b) => a - b);
        out[q.key] = times[Math.floor((times.length - 1) / 2)]!;
      }
      return out;
    },
    { qs: queries.map((q) => ({ key: q.key, sql: q.spec.sql, params: [...(q.spec.params ?? [])], tables: [...q.spec.tables] })), reps: REPS },
  );
}

// ---------------------------------------------------------------------------------------------------------

type Sample = Record<string, number>;

interface Measured {
  label: string;
  samples: Sample[];
  queryLabels: Record<string, string>;
  rows: Record<string, number>;
  build: Record<string, number>;
}

async function measure(b: BenchSite): Promise<Measured> {
  const server = await serveSite(b.site);
  const manifest = JSON.parse(readFileSync(join(b.site.outDir, 'data', 'manifest.json'), 'utf8')) as {
    config: unknown;
    tables: Record<string, { rows: number }>;
  };
  const config = parseConfig(manifest.config, 'manifest.json config');
  const samples: Sample[] = [];
  const queryLabels: Record<string, string> = {};
  console.error(`bench: ${b.label}: ${b.site.outDir} at ${server.url}, ${RUNS} cold runs`);
  try {
    for (let i = 0; i < RUNS; i++) {
      let q: Sample = {};
      const overview = await coldLoad(server.url, 'atlas-figures[data-state]:not([data-state="running"])', async (page) => {
        const queries = await typicalQueries(page, config);
        for (const x of queries) queryLabels[x.key] = x.label;
        q = await timeQueries(page, queries);
      });
      const board = await coldLoad(`${server.url}leaderboard/`, null);
      const s: Sample = { ...prefix('overview', overview), ...prefix('leaderboard', board), ...q };
      samples.push(s);
      console.error(`bench: ${b.label} run ${i + 1}: ${Object.entries(s).map(([k, v]) => `${k}=${Math.round(v)}`).join(' ')}`);
    }
  } finally {
    await server.close();
  }
  const rows = Object.fromEntries(['results', 'messages', 'runs', 'agents'].map((t) => [t, manifest.tables[t]?.rows ?? 0]));
  return { label: b.label, samples, queryLabels, rows, build: b.build };
}

const prefix = (p: string, s: object): Sample =>
  Object.fromEntries(Object.entries(s).map(([k, v]) => [`${p}.${k}`, v as number]));

const median = (xs: number[]) => {
  const s = xs.filter((x) => !Number.isNaN(x)).sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)]! : Number.NaN;
};

function table(ms: Measured[]): string {
  const ms0 = (v: number) => (Number.isNaN(v) ? 'n/a' : `${Math.round(v)}`);
  const kb = (v: number) => (Number.isNaN(v) ? 'n/a' : `${(v / 1024).toFixed(v < 10 * 1024 ? 1 : 0)} KB`);
  const mb = (v: number) => (Number.isNaN(v) ? 'n/a' : `${(v / 1024 / 1024).toFixed(1)} MB`);
  const cell = (m: Measured, key: string, fmt: (v: number) => string) => {
    const v = m.samples.map((s) => s[key] ?? Number.NaN);
    const lo = Math.min(...v.filter((x) => !Number.isNaN(x)));
    const hi = Math.max(...v.filter((x) => !Number.isNaN(x)));
    return v.length > 1 && Number.isFinite(lo) ? `${fmt(median(v))} (${fmt(lo)}–${fmt(hi)})` : fmt(median(v));
  };
  const labels: Record<string, string> = {
    q_leaderboard: 'leaderboard, agent filter (the agent with most results)',
    q_search: ms[0]?.queryLabels['q_search'] ?? 'board search',
    q_groupby: ms[0]?.queryLabels['q_groupby'] ?? 'group-by over runs',
  };
  const lines: [string, string, string, (v: number) => string][] = [
    ['overview: first chart painted, ms after navigation', '< 300', 'overview.first_chart', ms0],
    ['overview: bytes transferred before it', '< 250 KB', 'overview.bytes_before_chart', kb],
    ['overview: requests finished before it', '', 'overview.requests_before_chart', ms0],
    ['overview: HTML document (transferred)', '', 'overview.html_bytes', kb],
    ['overview: first contentful paint, ms', '', 'overview.fcp', ms0],
    ['leaderboard: first chart painted, ms', '< 300', 'leaderboard.first_chart', ms0],
    ['leaderboard: bytes transferred before it', '< 250 KB', 'leaderboard.bytes_before_chart', kb],
    ['leaderboard: HTML document (transferred)', '', 'leaderboard.html_bytes', kb],
    ['DuckDB-WASM start (`db_start`: the figures wait for an idle moment), ms', '', 'overview.db_start', ms0],
    ['DuckDB-WASM ready (`db_ready`), ms', '', 'overview.db_ready', ms0],
    ['DuckDB first answer (`first_result`), ms', '< 2000', 'overview.first_result', ms0],
    ['overview: bytes transferred by then (incl. wasm)', '', 'overview.bytes_total', mb],
    ['load the tables the queries read, ms', '', 'tables_load', ms0],
    ...(['q_leaderboard', 'q_search', 'q_groupby'] as const).flatMap(
      (k): [string, string, string, (v: number) => string][] => [
        [`query: ${labels[k] ?? k}, ms (median of ${REPS})`, '< 100 at scale 100', k, (v) => (Number.isNaN(v) ? 'n/a' : v.toFixed(1))],
        [`  same, first call, ms`, '', `${k}_first`, ms0],
      ],
    ),
  ];
  const out = [
    `| median of ${RUNS} cold runs (min–max) | target | ${ms.map((m) => m.label).join(' | ')} |`,
    `|---|---|${ms.map(() => '---').join('|')}|`,
    ...lines.map(([label, target, key, fmt]) => `| ${label} | ${target} | ${ms.map((m) => cell(m, key, fmt)).join(' | ')} |`),
    `| rows: results / messages / runs / agents | | ${ms.map((m) => Object.values(m.rows).map((n) => n.toLocaleString('en-US')).join(' / ')).join(' | ')} |`,
  ];
  out.push('', `Queries: ${ms.map((m) => `${m.label}: ${m.queryLabels['q_leaderboard'] ?? ''}`).join('; ')}. Browser connector, after loading the tables; \`first call\` includes preparing the statement.`);
  const built = ms.filter((m) => Object.keys(m.build).length > 0);
  if (built.length) {
    out.push(
      '',
      ...built.map((m) => `Built ${m.label} this run: ${Object.entries(m.build).map(([k, s]) => `${k} ${s.toFixed(1)} s`).join(', ')}.`),
    );
  }
  return out.join('\n');
}

const sites: BenchSite[] = values.dist
  ? [{ label: values.dist, site: { name: 'dist', base: values.base!, outDir: resolve(values.dist) }, build: {} }]
  : [];
if (!values.dist) {
  for (const s of values.scales!.split(',').map(Number)) {
    if (!Number.isFinite(s) || s <= 0) throw new Error(`bench: bad --scales ${values.scales}`);
    sites.push(await ensureSite(s));
  }
}
const results: Measured[] = [];
for (const s of sites) results.push(await measure(s));
const md = table(results);
console.log(
  `\nSite benchmark, ${new Date().toISOString().slice(0, 10)}: headless Chromium, fresh profile per run (cold), 127.0.0.1, seed ${SEED}.\n`,
);
console.log(md);
