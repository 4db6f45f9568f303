// Site benchmark (`npm run bench:site`): cold loads of every page of the sample site at several scales, printed as
// markdown tables. Per page: when its first chart (or first meaningful content, see PAGES) was painted and the bytes
// transferred before it, cold and on a repeat visit; DuckDB-WASM's first answer; the latency of three typical
// interactive queries; and a minimal DuckDB-first page (bench-duckdb-first.ts) built into the same site, timed in the
// same run, as the reference our first charts are divided by. Figures only: nothing here asserts a timing.
//
// Usage: npm run bench:site -- [--scales 1,100] [--runs 3] [--seed 42] [--work DIR] [--rebuild | --reuse] [--pages a,b]
//        npm run bench:site -- --dist DIR[,DIR2] [--base /] [--runs 3]     (existing builds, e.g. dist/)
// Sites are built with scripts/make-sample.ts + the data build into `<work>/scale-<n>-seed-<s>/` (default work:
// $TMPDIR/atlas-bench), then astro build (its post-build step precompresses) into node_modules/.cache/atlas-bench/
// (Astro needs its output inside the checkout), each stage reused while no input changed (--reuse: whatever is
// there). Scale 100 takes a few minutes to generate and to ingest on a 2-core machine.
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parseConfig } from '../../src/lib/config.ts';
import { coldLoad, type LoadSample } from './bench-load.ts';
import { removeReferencePage, writeBarePage, writeReferencePage } from './bench-duckdb-first.ts';
import { INTERACTIONS, timeInteractions, timeQueries, typicalQueries } from './bench-queries.ts';
import { serveSite, type Site } from './harness.ts';
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
    pages: { type: 'string' },
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

type Sample = Record<string, number>;

interface Measured {
  label: string;
  samples: Sample[];
  queryLabels: Record<string, string>;
  rows: Record<string, number>;
  build: Record<string, number>;
  pages: string[];
}

/** A page and what counts as its first content: `[data-first-content]` in <main> when marked, else `selector`. */
interface BenchPage {
  key: string;
  path: string;
  selector: string;
}

/** Every page kind; the agent page is the first agent with a static page. Charts first, else the first content. */
function benchPages(outDir: string): BenchPage[] {
  const agentsDir = join(outDir, 'agents');
  const agent = existsSync(agentsDir)
    ? readdirSync(agentsDir, { withFileTypes: true }).find((e) => e.isDirectory() && existsSync(join(agentsDir, e.name, 'index.html')))?.name
    : undefined;
  const all: BenchPage[] = [
    { key: 'overview', path: '', selector: 'main svg' },
    { key: 'leaderboard', path: 'leaderboard/', selector: 'main svg' },
    { key: 'board', path: 'board/', selector: 'main .lede' },
    { key: 'agents', path: 'agents/', selector: 'main table, main ol' },
    ...(agent ? [{ key: 'agent page', path: `agents/${agent}/`, selector: 'main svg, main table' }] : []),
    { key: 'lineage', path: 'lineage/', selector: 'main svg' },
    { key: 'relays', path: 'relays/', selector: 'main svg' },
    { key: 'interactions', path: 'interactions/', selector: 'main .episode-card' },
    { key: 'noise', path: 'noise/', selector: 'main svg' },
    { key: 'sql', path: 'sql/', selector: 'main textarea' },
    { key: 'methods', path: 'methods/', selector: 'main section' },
  ];
  const only = values.pages?.split(',');
  return all.filter((p) => existsSync(join(outDir, p.path, 'index.html')) && (!only || only.includes(p.key)));
}

interface Running {
  b: BenchSite;
  ref: string;
  bare: string;
  server: Awaited<ReturnType<typeof serveSite>>;
  config: ReturnType<typeof parseConfig>;
  manifest: { tables: Record<string, { rows: number }> };
  pages: BenchPage[];
  samples: Sample[];
  queryLabels: Record<string, string>;
}

async function start(b: BenchSite): Promise<Running> {
  const ref = await writeReferencePage(b.site.outDir, b.site.base);
  const bare = await writeBarePage(b.site.outDir);
  const server = await serveSite(b.site);
  const manifest = JSON.parse(readFileSync(join(b.site.outDir, 'data', 'manifest.json'), 'utf8')) as {
    config: unknown;
    tables: Record<string, { rows: number }>;
  };
  const config = parseConfig(manifest.config, 'manifest.json config');
  const pages = benchPages(b.site.outDir);
  console.error(`bench: ${b.label}: ${b.site.outDir} at ${server.url}, ${RUNS} cold runs of ${pages.length} pages`);
  return { b, ref, bare, server, config, manifest, pages, samples: [], queryLabels: {} };
}

/** One cold run of every page of one site (the reference page first). */
async function runOnce(r: Running, i: number): Promise<void> {
  const { b, server, pages, config, queryLabels } = r;
  let q: Sample = {};
  const s: Sample = prefix('ref', await coldLoad(server.url + r.ref, { selector: 'main svg', waitFirstResult: true }));
  Object.assign(s, prefix('bare', await coldLoad(server.url + r.bare, { selector: 'main svg' })));
  for (const p of pages) {
    const overview = p.key === 'overview';
    const m: LoadSample = await coldLoad(server.url + p.path, {
      selector: p.selector,
      repeat: true,
      waitFirstResult: overview,
      ...(overview
        ? {
            after: async (page) => {
              const queries = await typicalQueries(page, config);
              for (const x of queries) queryLabels[x.key] = x.label;
              q = await timeQueries(page, queries, REPS);
              for (const x of INTERACTIONS) queryLabels[x.key] = x.label;
              const agent = await page.evaluate(async () => {
                const rows = await (globalThis as unknown as { atlas: { query(s: string): Promise<{ agent: string }[]> } }).atlas.query(
                  'SELECT agent FROM results WHERE agent IS NOT NULL GROUP BY agent ORDER BY count(*) DESC, agent LIMIT 1',
                );
                return rows[0]?.agent ?? '';
              });
              Object.assign(q, await timeInteractions(page, agent, REPS));
            },
          }
        : {}),
    });
    Object.assign(s, prefix(p.key, m));
  }
  Object.assign(s, q);
  r.samples.push(s);
  console.error(`bench: ${b.label} run ${i + 1}: ${Object.entries(s).map(([k, v]) => `${k}=${Math.round(v)}`).join(' ')}`);
}

/**
 * Every site's runs, interleaved (run 1 of each site, then run 2, …): when the machine's load drifts during the
 * benchmark, it drifts for every site alike, so two builds compared in one run (`--dist A,B`) stay comparable.
 */
async function measureAll(bs: readonly BenchSite[]): Promise<Measured[]> {
  const running: Running[] = [];
  try {
    for (const b of bs) running.push(await start(b));
    for (let i = 0; i < RUNS; i++) for (const r of running) await runOnce(r, i);
  } finally {
    for (const r of running) {
      await r.server.close();
      removeReferencePage(r.b.site.outDir);
    }
  }
  return running.map(({ b, samples, queryLabels, manifest, pages }) => {
    const rows = Object.fromEntries(['results', 'messages', 'runs', 'agents'].map((t) => [t, manifest.tables[t]?.rows ?? 0]));
    return { label: b.label, samples, queryLabels, rows, build: b.build, pages: pages.map((p) => p.key) };
  });
}

const prefix = (p: string, s: object): Sample =>
  Object.fromEntries(Object.entries(s).map(([k, v]) => [`${p}.${k}`, v as number]));

const median = (xs: number[]) => {
  const s = xs.filter((x) => !Number.isNaN(x)).sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)]! : Number.NaN;
};

const ms0 = (v: number) => (Number.isNaN(v) ? 'n/a' : `${Math.round(v)}`);
const kb = (v: number) => (Number.isNaN(v) ? 'n/a' : `${(v / 1024).toFixed(v < 10 * 1024 ? 1 : 0)} KB`);
const med = (m: Measured, key: string) => median(m.samples.map((s) => s[key] ?? Number.NaN));
/** Median of the runs with their range, e.g. `120 (110–135)`. */
function cell(m: Measured, key: string, fmt: (v: number) => string): string {
  const v = m.samples.map((s) => s[key] ?? Number.NaN).filter((x) => !Number.isNaN(x));
  if (v.length === 0) return 'n/a';
  return v.length > 1 ? `${fmt(median(v))} (${fmt(Math.min(...v))}–${fmt(Math.max(...v))})` : fmt(v[0]!);
}
/** Per run, our page's time minus the bare page's in the same run (what the page adds to the browser's floor); median. */
function overBare(m: Measured, key: string): string {
  const d = median(m.samples.map((s) => (s[key] ?? Number.NaN) - (s['bare.first_content'] ?? Number.NaN)));
  return Number.isNaN(d) ? 'n/a' : `${Math.round(d)}`;
}

/** Per run, our page's time over the reference page's in the same run; the median of those ratios. */
function ratio(m: Measured, key: string): string {
  const r = median(m.samples.map((s) => (s[key] ?? Number.NaN) / (s['ref.first_content'] ?? Number.NaN)));
  return Number.isNaN(r) ? 'n/a' : r.toFixed(2);
}

const BUDGET_MS = 150;
const BUDGET_BYTES = 100 * 1024;

/** One table per site: a row per page, the budget's two figures, the ratio to the DuckDB-first page, a repeat visit. */
function pageTable(m: Measured): string {
  const head = [
    `#### ${m.label}: first chart (or first content), median of ${RUNS} cold runs (min–max)`,
    '',
    '| page | first chart, ms | over the bare page, ms | bytes before it | requests | × DuckDB-first page | repeat visit: ms | repeat: bytes before | budget (≤ 150 ms, ≤ 100 KB) |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  const rows = m.pages.map((p) => {
    const t = med(m, `${p}.first_content`);
    const bytes = med(m, `${p}.bytes_before`);
    const over = [t > BUDGET_MS ? 'time' : '', bytes > BUDGET_BYTES ? 'bytes' : ''].filter(Boolean).join(', ');
    return `| ${p} | ${cell(m, `${p}.first_content`, ms0)} | ${overBare(m, `${p}.first_content`)} | ${cell(m, `${p}.bytes_before`, kb)} | ${ms0(med(m, `${p}.requests_before`))} | ${ratio(m, `${p}.first_content`)} | ${cell(m, `${p}.repeat_first_content`, ms0)} | ${cell(m, `${p}.repeat_bytes_before`, kb)} | ${over ? `over: ${over}` : 'within'} |`;
  });
  const ref = `| DuckDB-first page (reference) | ${cell(m, 'ref.first_content', ms0)} | ${overBare(m, 'ref.first_content')} | ${cell(m, 'ref.bytes_before', kb)} | ${ms0(med(m, 'ref.requests_before'))} | 1.00 | | | |`;
  const bare = `| bare page (a heading and an SVG, no CSS or script: the browser's floor) | ${cell(m, 'bare.first_content', ms0)} | 0 | ${cell(m, 'bare.bytes_before', kb)} | ${ms0(med(m, 'bare.requests_before'))} | ${ratio(m, 'bare.first_content')} | | | |`;
  return [...head, ...rows, ref, bare].join('\n');
}

function table(ms: Measured[]): string {
  // Every query bench-queries.ts times, in its order.
  const labels: Record<string, string> = Object.assign({}, ...ms.map((m) => m.queryLabels)) as Record<string, string>;
  const lines: [string, string, string, (v: number) => string][] = [
    ['overview: DuckDB-WASM start (`db_start`, after the first paint), ms', '', 'overview.db_start', ms0],
    ['overview: DuckDB-WASM ready (`db_ready`), ms', '', 'overview.db_ready', ms0],
    ['overview: DuckDB first answer (`first_result`), ms', '≤ 1000', 'overview.first_result', ms0],
    ['overview: DuckDB first answer on a repeat visit, ms', '', 'overview.repeat_first_result', ms0],
    ['DuckDB-first page: DuckDB ready, ms', '', 'ref.db_ready', ms0],
    ['DuckDB-first page: first answer, ms', '', 'ref.first_result', ms0],
    ['DuckDB-first page: first chart, ms', '', 'ref.first_content', ms0],
    ['load the tables the queries read, ms', '', 'tables_load', ms0],
    ['then load the board search index, ms', '', 'index_load', ms0],
    ...Object.keys(labels).flatMap(
      (k): [string, string, string, (v: number) => string][] => [
        [`${k.startsWith('p_') ? '' : 'query: '}${labels[k] ?? k}, ms (median of ${REPS})`, '< 100 at scale 100', k, (v) => (Number.isNaN(v) ? 'n/a' : v.toFixed(1))],
        ...(k.startsWith('p_')
          ? [[`  same, until its chart is drawn too (n/a: no chart), ms`, '', `${k}_chart`, (v: number) => (Number.isNaN(v) ? 'n/a' : v.toFixed(1))] as [string, string, string, (v: number) => string]]
          : []),
        ...(k.startsWith('q_console_')
          ? [[`  same, until its first rows are on screen (a result of more than one batch is drawn from its first while the rest is read), ms`, '< 100 at scale 100', `${k}_firstrows`, (v: number) => (Number.isNaN(v) ? 'n/a' : v.toFixed(1))] as [string, string, string, (v: number) => string]]
          : []),
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
  for (const m of ms) out.push('', pageTable(m));
  out.push(
    '',
    '× DuckDB-first page: our first chart over the reference page\'s (load DuckDB-WASM, query, draw with Plot) in the same run, median of the per-run ratios. Over the bare page: our first chart minus the first paint of a page with only a heading and an SVG in the same run (median of the per-run differences): what the page itself adds to what any page costs on this machine. Repeat visit: the same page again in the same profile (HTTP cache warm).',
  );
  const built = ms.filter((m) => Object.keys(m.build).length > 0);
  if (built.length) {
    out.push(
      '',
      ...built.map((m) => `Built ${m.label} this run: ${Object.entries(m.build).map(([k, s]) => `${k} ${s.toFixed(1)} s`).join(', ')}.`),
    );
  }
  return out.join('\n');
}

const sites: BenchSite[] = (values.dist ?? '').split(',').filter(Boolean).map((d) => ({ label: d, site: { name: 'dist', base: values.base!, outDir: resolve(d) }, build: {} }));
if (!values.dist) {
  for (const s of values.scales!.split(',').map(Number)) {
    if (!Number.isFinite(s) || s <= 0) throw new Error(`bench: bad --scales ${values.scales}`);
    sites.push(await ensureSite(s));
  }
}
const results = await measureAll(sites);
const md = table(results);
console.log(
  `\nSite benchmark, ${new Date().toISOString().slice(0, 10)}: headless Chromium, fresh profile per run (cold), 127.0.0.1, seed ${SEED}.\n`,
);
console.log(md);
