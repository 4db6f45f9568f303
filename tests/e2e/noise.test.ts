// The noise page end to end: build-time headline, strip, ties and selection bias; bucket runs and the significance calculator in the browser.
import { join, resolve } from 'node:path';
import chisquareQuantile from '@stdlib/stats-base-dists-chisquare-quantile';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import type { RunningServer } from '../../scripts/serve.ts';
import { runQuery } from '../../src/lib/db/connector.ts';
import { bucketRunsQuery, bucketStripQuery } from '../../src/lib/queries/noise.sql.ts';
import { compareRuns, tieThreshold } from '../../src/lib/stats/significance.ts';
import { studentTTwoSidedP } from '../../src/lib/stats/p-values.ts';
import { parseConfig, type CollabConfig } from '../../src/lib/config.ts';
import { createNodeConnector, type NodeConnector } from '../../src/lib/db/node.ts';
import { launchBrowser, serveSite, type Site } from './harness.ts';
import { checkedBrowser, sharedBrowser } from './sessions.ts';

const OUT = resolve(import.meta.dirname, '../output/e2e');

interface NodeSide {
  db: NodeConnector;
  config: CollabConfig;
}

/** The Node connector over the data folder the site serves, and the configuration in its manifest. */
async function nodeSide(site: Site): Promise<NodeSide> {
  const db = await createNodeConnector({ dataDir: join(site.outDir, 'data') });
  return { db, config: parseConfig(db.manifest?.['config'], 'manifest.json config') };
}

/** The text of every cell of the rows matching `selector`. */
const cellTexts = (page: Page, selector: string): Promise<string[][]> =>
  page.locator(selector).evaluateAll((trs) => trs.map((tr) => Array.from(tr.querySelectorAll('td'), (td) => (td.textContent ?? '').trim())));

interface Summary {
  runs: number;
  buckets: number;
  results_as_runs: number;
  result_only_buckets: number;
  pooled_basis: string;
  pooled_df: number;
  pooled_sigma: number | null;
  median_bucket_sd: number | null;
  z: number;
  tie_threshold: number | null;
  ci_level: number;
  rests_on_few: boolean | null;
  bartlett_p: number | null;
}
interface Tie {
  position: number;
  rank: number;
  group_id: number;
  score: number;
  filename: string;
}
interface Bucket {
  bucket_id: string;
  n: number;
}

// Read straight from the tables, not through the page's builders, so the page is checked against the data itself.
const q = <T>(n: NodeSide, sql: string, tables: string[]) => runQuery<T>(n.db, { sql, tables });

const sig = (x: number | null) => new Intl.NumberFormat('en-US', { maximumSignificantDigits: 3 }).format(x ?? Number.NaN);

/** The chi-square interval for σ, computed here from σ and df alone: σ·√(df/χ²(1 − a/2)) … σ·√(df/χ²(a/2)). */
function interval(sigma: number, df: number, level: number): [number, number] {
  const a = (1 - level) / 2;
  return [sigma * Math.sqrt(df / chisquareQuantile(1 - a, df)), sigma * Math.sqrt(df / chisquareQuantile(a, df))];
}
const ciText = ([lo, hi]: [number, number], level: number, unit: string) => `${level * 100}\u00a0% CI ${sig(lo)}–${sig(hi)}${unit ? ` ${unit}` : ''}`;

/** The headline as the brief words it, formatted here on its own: three significant digits, counts grouped. */
function expectedHeadline(s: Summary, unit: string): string {
  const u = (x: number | null) => (unit ? `${sig(x)} ${unit}` : sig(x));
  const results = s.pooled_basis === 'results';
  const n = results ? s.results_as_runs : s.runs;
  const m = results ? s.result_only_buckets : s.buckets;
  const head = `${n.toLocaleString('en-US')} ${results ? 'posted results' : n === 1 ? 'run' : 'runs'} across ${m.toLocaleString('en-US')} bucket${m === 1 ? '' : 's'}; `;
  if (s.pooled_sigma === null) return `${head}no bucket has two runs or more, so there is no pooled σ and no tie threshold.`;
  const ci = interval(s.pooled_sigma, s.pooled_df, s.ci_level);
  const k = s.z * Math.SQRT2;
  return (
    `${head}pooled σ = ${u(s.pooled_sigma)} (${ciText(ci, s.ci_level, unit)}; df ${s.pooled_df.toLocaleString('en-US')}, median bucket sd ${u(s.median_bucket_sd)}); ` +
    `tie threshold = ${sig(s.z)}·σ·√2 = ${u(s.tie_threshold)} (${ciText([k * ci[0], k * ci[1]], s.ci_level, unit)})`
  );
}

const calcReady = (page: Page) => page.waitForSelector('[data-calc-out][data-state="ready"]', { state: 'attached', timeout: 90_000 });
const stripReady = (page: Page) => page.waitForSelector('atlas-noise[data-state="ready"]', { state: 'attached', timeout: 90_000 });
const calcOut = async (page: Page) => {
  const out = page.locator('[data-calc-out]');
  return {
    verdict: await out.getAttribute('data-verdict'),
    method: await out.getAttribute('data-method'),
    stat: Number(await out.getAttribute('data-stat')),
    df: await out.getAttribute('data-df'),
    text: (await out.locator('[data-stat-text]').textContent()) ?? '',
  };
};

describe.each(inject('sites'))('noise page, base $base', (site) => {
  let server: RunningServer;
  let node: NodeSide;
  let summary: Summary;
  let ties: Tie[];
  let strip: Bucket[];

  beforeAll(async () => {
    server = await serveSite(site);
    node = await nodeSide(site);
    [summary] = (await q<Summary>(node, 'SELECT * FROM noise_summary', ['noise_summary'])) as [Summary];
    ties = await q<Tie>(node, 'SELECT position, rank, group_id, score, filename FROM tie_groups ORDER BY position', ['tie_groups']);
    strip = await q<Bucket>(node, 'SELECT bucket_id, n FROM noise_buckets WHERE n >= 2 ORDER BY sd DESC NULLS LAST, bucket_id', ['noise_buckets']);
    expect(summary.pooled_sigma, 'the sample has repeat runs').not.toBeNull();
    expect(ties.length).toBeGreaterThan(2);
    expect(strip.length).toBeGreaterThan(2);
  });
  afterAll(async () => {
    node?.db.close();
    await server?.close();
  });

  test('build time, JavaScript off: headline equals noise_summary, strip, tie leaderboard and selection bias are there', async () => {
    await checkedBrowser({ javaScriptEnabled: false }, server.origin, async (b) => {
      const { page } = b;
      const res = await page.goto(`${server.url}noise/`);
      expect(res?.status()).toBe(200);
      const headline = ((await page.locator('[data-headline]').textContent()) ?? '').replace(/\s+/g, ' ').trim();
      expect(headline).toBe(expectedHeadline(summary, node.config.unit).replace(/\s+/g, ' '));
      // The threshold the page quotes is the one the tie groups were cut with: z·σ·√2.
      expect(summary.tie_threshold).toBeCloseTo(tieThreshold(summary.pooled_sigma!, summary.z), 10);
      const sqlHref = (await page.locator('a[data-sql="headline"]').getAttribute('href')) ?? '';
      expect(sqlHref.startsWith(`${site.base}sql/?sql=`)).toBe(true);
      expect(decodeURIComponent(sqlHref.split('sql=')[1] ?? '')).toContain('FROM noise_summary');

      // How sure σ is: the interval and df in words, no few-buckets warning on the sample, the pooled buckets side by side.
      const ci = interval(summary.pooled_sigma!, summary.pooled_df, summary.ci_level);
      expect(await page.locator('[data-sigma-ci]').textContent()).toBe(ciText(ci, summary.ci_level, node.config.unit));
      const k = summary.z * Math.SQRT2;
      expect(await page.locator('[data-threshold-ci]').textContent()).toBe(ciText([k * ci[0], k * ci[1]], summary.ci_level, node.config.unit));
      expect(summary.rests_on_few, 'the sample has many buckets').toBe(false);
      expect(await page.locator('[data-pool-warning]').count()).toBe(0);
      // Each pooled bucket's sd, interval and shares, recomputed from its runs.
      const pooledRuns = await q<{ bucket_id: string; label: string; score: number }>(
        node,
        'SELECT r.bucket_id, b.label, r.score FROM noise_runs r JOIN noise_buckets b USING (bucket_id) WHERE b.in_pooled',
        ['noise_runs', 'noise_buckets'],
      );
      const byBucket = new Map<string, { label: string; xs: number[] }>();
      for (const r of pooledRuns) {
        const e = byBucket.get(r.bucket_id) ?? { label: r.label, xs: [] };
        e.xs.push(r.score);
        byBucket.set(r.bucket_id, e);
      }
      const own = [...byBucket].map(([id, { label, xs }]) => {
        const m = xs.reduce((a, b) => a + b, 0) / xs.length;
        const ss = xs.reduce((a, b) => a + (b - m) ** 2, 0);
        return { id, label, n: xs.length, ss, sd: Math.sqrt(ss / (xs.length - 1)) };
      });
      const dfTotal = own.reduce((a, b) => a + b.n - 1, 0);
      const ssTotal = own.reduce((a, b) => a + b.ss, 0);
      expect(dfTotal).toBe(summary.pooled_df);
      const share = (x: number) => (x < 0.01 ? `${(x * 100).toFixed(1)} %` : `${Math.round(x * 100)} %`);
      const spreadCells = await cellTexts(page, '[data-spread-rows] tr');
      const spreadIds = await page.locator('[data-spread-rows] tr').evaluateAll((trs) => trs.map((t) => (t as HTMLElement).dataset['bucket']));
      const wantOrder = [...own].sort((a, b) => b.ss - a.ss || b.n - a.n || (a.id < b.id ? -1 : 1));
      expect(spreadIds).toEqual(wantOrder.slice(0, 200).map((b) => b.id));
      spreadCells.slice(0, 10).forEach((c, i) => {
        const b = wantOrder[i]!;
        const [lo, hi] = interval(b.sd, b.n - 1, summary.ci_level);
        expect(c).toEqual([b.label, String(b.n), sig(b.sd), `${sig(lo)}–${sig(hi)}`, share((b.n - 1) / dfTotal), share(b.ss / ssTotal)]);
      });
      expect(await page.locator('figure[data-spreads] svg:visible g.noise-sd circle').count()).toBe(Math.min(30, own.filter((b) => b.sd > 0).length));
      // Bartlett's statistic by its textbook formula over the same buckets; the page quotes it with its df.
      const usable = own.filter((b) => b.sd > 0);
      const N = usable.reduce((a, b) => a + b.n - 1, 0);
      const T =
        (N * Math.log(usable.reduce((a, b) => a + b.ss, 0) / N) - usable.reduce((a, b) => a + (b.n - 1) * Math.log(b.sd ** 2), 0)) /
        (1 + (usable.reduce((a, b) => a + 1 / (b.n - 1), 0) - 1 / N) / (3 * (usable.length - 1)));
      const test = ((await page.locator('[data-spreads-test]').textContent()) ?? '').replace(/\s+/g, ' ');
      expect(test).toContain(`T = ${T.toFixed(2)}, df ${usable.length - 1}, `);
      expect(test).toContain(summary.bartlett_p! < 0.05 ? 'differ more than one common σ explains' : 'no clear difference');

      // Strip plot: one row per bucket with n ≥ 2 (y tick labels), one dot per run of those buckets.
      const svg = page.locator(`[data-strip] svg[aria-label="${node.config.score_label} runs per noise bucket, around each bucket's mean"]:visible`);
      expect(await svg.count()).toBe(1);
      expect(await svg.getAttribute('aria-description')).toContain(`${strip.length} noise buckets`);
      expect(await svg.locator('g[aria-label="y-axis tick label"] text').count()).toBe(strip.length);
      const [{ runs }] = (await q<{ runs: number }>(
        node,
        'SELECT count(*)::INTEGER AS runs FROM noise_runs JOIN noise_buckets USING (bucket_id) WHERE n >= 2',
        ['noise_runs', 'noise_buckets'],
      )) as [{ runs: number }];
      const dots = await svg.locator('g.noise-run circle, g.noise-posted-result circle').count();
      expect(dots).toBe(runs);
      expect(await svg.locator('text', { hasText: /^Run − bucket mean/ }).count()).toBeGreaterThan(0);
      // The bucket list is in the chart's order and every entry is a button.
      const listIds = await page.locator('[data-bucket-rows] tr').evaluateAll((trs) => trs.map((t) => (t as HTMLElement).dataset['bucket']));
      expect(listIds).toEqual(strip.map((s) => s.bucket_id));
      expect(await page.locator('[data-bucket-rows] button[data-bucket]').count()).toBe(strip.length);

      // Tie leaderboard: every frontier result, members of a group share one rank.
      const tieCells = await cellTexts(page, '[data-tie-rows] tr');
      expect(tieCells.map((c) => [Number(c[0]), Number(c[1])])).toEqual(ties.map((t) => [t.rank, t.group_id]));
      expect(tieCells.map((c) => c.at(-1))).toEqual(ties.map((t) => t.filename));
      expect(await page.locator(`figure[data-ties] svg[aria-label="Frontier by ${node.config.score_label} with tie groups as bands"]:visible`).count()).toBe(1);

      // Selection bias: the results whose posted value is their bucket's best, with the median and the excess.
      const bias = await q<{ filename: string; score: number; bucket_median: number; excess_over_median: number }>(
        node,
        `SELECT filename, score, bucket_median, excess_over_median FROM result_buckets
         WHERE is_bucket_max AND bucket_n >= 2 ORDER BY excess_over_median DESC NULLS LAST, filename`,
        ['result_buckets'],
      );
      const biasCells = await cellTexts(page, '[data-bias-rows] tr');
      expect(biasCells.map((c) => c[0])).toEqual(bias.map((r) => r.filename));
      const num = (t: string | undefined) => Number((t ?? '').replace(/[,+]/g, '').replace('−', '-'));
      biasCells.forEach((c, i) => {
        expect(num(c[4])).toBeCloseTo(bias[i]!.score, 1);
        expect(num(c[5])).toBeCloseTo(bias[i]!.bucket_median, 1);
        expect(num(c[6])).toBeCloseTo(bias[i]!.excess_over_median, 1);
      });
    });
  });

  describe('with JavaScript', () => {
    const b = sharedBrowser({}, async (b) => {
      await b.page.goto(`${server.url}noise/`);
      await stripReady(b.page);
    });

    test('two results in the calculator: verdict and z equal compareRuns in Node; the URL restores them', async () => {
      const { page } = b;
      const [x, y] = [ties[0]!, ties.find((t) => t.score !== ties[0]!.score)!];
      await page.locator('select[name="a-pick"]').selectOption(`r:${x.filename}`);
      await page.locator('select[name="b-pick"]').selectOption(`r:${y.filename}`);
      await page.waitForURL((u) => u.searchParams.get('a') === `r:${x.filename}` && u.searchParams.get('b') === `r:${y.filename}`);
      await calcReady(page);
      const want = compareRuns([x.score], [y.score], { sigma: summary.pooled_sigma });
      const got = await calcOut(page);
      expect(got.method).toBe('z');
      expect(got.verdict).toBe(want.verdict);
      expect(got.stat).toBeCloseTo(want.stat!, 9);
      expect(got.text).toBe(`z = ${want.stat!.toLocaleString('en-US', { maximumFractionDigits: 2 })}`);
      expect(await page.locator('[data-calc-out] [data-verdict-text]').textContent()).toBe(
        { tie: 'Tie: inside the noise', 'likely real': 'Likely real', real: 'Real' }[want.verdict!],
      );

      // A fresh load of the URL shows the same picks and the same verdict.
      await page.reload();
      await calcReady(page);
      expect(await page.locator('select[name="a-pick"]').inputValue()).toBe(`r:${x.filename}`);
      expect(await page.locator('select[name="b-pick"]').inputValue()).toBe(`r:${y.filename}`);
      expect(await calcOut(page)).toEqual(got);
      await page.locator('#calc-h').scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(OUT, `noise-${site.name}-calculator.png`) });

      // Two results of one tie group are, by construction, a tie.
      const group = ties.find((t, i) => i > 0 && t.group_id === ties[i - 1]!.group_id && t.score !== ties[i - 1]!.score);
      if (group) {
        const first = ties[ties.indexOf(group) - 1]!;
        await page.locator('select[name="a-pick"]').selectOption(`r:${first.filename}`);
        await page.locator('select[name="b-pick"]').selectOption(`r:${group.filename}`);
        await page.waitForURL((u) => u.searchParams.get('b') === `r:${group.filename}`);
        await calcReady(page);
        const tie = compareRuns([first.score], [group.score], { sigma: summary.pooled_sigma });
        expect(tie.verdict).toBe('tie');
        expect(await calcOut(page)).toMatchObject({ verdict: 'tie', method: 'z' });
        expect((await calcOut(page)).stat).toBeCloseTo(tie.stat!, 9);
      }
    });

    test('typed runs work without DuckDB: Welch t and df equal compareRuns; they survive a reload', async () => {
      // A browser of its own in which DuckDB-WASM and the Parquet files cannot load at all.
      const nodb = await launchBrowser();
      try {
        const { page } = nodb;
        await nodb.context.route(/duckdb|parquet|\.wasm/, (r) => r.abort());
        await page.goto(`${server.url}noise/`);
        const A = [412.3, 410.9, 413.0, 411.6];
        const B = [409.1, 408.7, 410.2];
        await page.locator('input[name="a-values"]').fill('412.3, 410.9 413.0;411.6');
        await page.locator('input[name="b-values"]').fill(B.join(' '));
        await page.waitForURL((u) => u.searchParams.get('a') === A.join(',') && u.searchParams.get('b') === B.join(','));
        await calcReady(page);
        const want = compareRuns(A, B, { sigma: summary.pooled_sigma });
        expect(want.method).toBe('welch');
        const got = await calcOut(page);
        expect(got.method).toBe('welch');
        expect(got.verdict).toBe(want.verdict);
        expect(got.stat).toBeCloseTo(want.stat!, 9);
        expect(Number(got.df)).toBeCloseTo(want.df!, 9);
        expect(got.text).toBe(`t = ${want.stat!.toLocaleString('en-US', { maximumFractionDigits: 2 })}, df ${want.df!.toFixed(1)}`);
        // The p-value's code (@stdlib's Student t) loads on demand and the arithmetic quotes it.
        const p = studentTTwoSidedP(want.stat!, want.df!);
        const lines = await page.locator('[data-calc-out] ol[aria-label="Arithmetic"] li').allTextContents();
        expect(lines).toContain(`two-sided p ${p < 0.0001 ? '< 0.0001' : `= ${p.toFixed(4)}`}`);
        await page.reload();
        await calcReady(page);
        expect((await calcOut(page)).stat).toBeCloseTo(want.stat!, 9);
        expect(await page.locator('input[name="b-values"]').inputValue()).toBe(B.join(', '));
        expect(nodb.requests.some((u) => new URL(u).pathname.endsWith('.parquet')), 'no table was fetched').toBe(false);
      } finally {
        await nodb.close();
      }
    });

    test('a bucket from the list (keyboard) and from the chart (click) lists its runs, as bucketRunsQuery in Node', async () => {
      const { page } = b;
      await page.goto(`${server.url}noise/`);
      await stripReady(page);
      const biggest = [...strip].sort((x, y) => y.n - x.n || x.bucket_id.localeCompare(y.bucket_id))[0]!;
      await page.locator(`[data-bucket-rows] button[data-bucket="${biggest.bucket_id}"]`).focus();
      await page.keyboard.press('Enter');
      await page.waitForURL((u) => u.searchParams.get('bucket') === biggest.bucket_id);
      await page.waitForSelector(`[data-runs-panel][data-bucket="${biggest.bucket_id}"][data-state="ready"]`, { timeout: 90_000 });
      const want = await runQuery<{ run_dir: string; result_filename: string | null }>(node.db, bucketRunsQuery(biggest.bucket_id));
      expect(want.length).toBe(biggest.n);
      const cells = await cellTexts(page, '[data-runs-rows] tr');
      expect(cells.map((c) => c[0]!.split(' also ')[0])).toEqual(want.map((r) => r.run_dir));
      const resultHrefs = await page.locator('[data-runs-rows] tr td:last-child a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
      expect(resultHrefs).toEqual(
        want.filter((r) => r.result_filename).map((r) => `${site.base}board/?focus=${encodeURIComponent(r.result_filename!)}`),
      );
      expect(await page.locator(`[data-bucket-rows] button[data-bucket="${biggest.bucket_id}"]`).getAttribute('aria-pressed')).toBe('true');
      await page.screenshot({ path: join(OUT, `noise-${site.name}-bucket.png`) });

      // Clicking a row of the strip plot (here its axis label) selects that bucket.
      const ids = strip.map((s) => s.bucket_id);
      const i = ids.findIndex((id) => id !== biggest.bucket_id);
      await page.locator('[data-strip] svg[aria-label]:visible g[aria-label="y-axis tick label"] text').nth(i).click();
      await page.waitForURL((u) => u.searchParams.get('bucket') === ids[i]);
      await page.waitForSelector(`[data-runs-panel][data-bucket="${ids[i]}"][data-state="ready"]`, { timeout: 90_000 });
      const rows = await runQuery(node.db, bucketRunsQuery(ids[i]!));
      expect(await page.locator('[data-runs-rows] tr').count()).toBe(rows.length);

      // Back returns to the first bucket.
      await page.goBack();
      await page.waitForSelector(`[data-runs-panel][data-bucket="${biggest.bucket_id}"][data-state="ready"]`, { timeout: 90_000 });
    });

    test('sorting by n redraws in DuckDB-WASM in the order of bucketStripQuery in Node; sort=n is in the URL', async () => {
      const { page } = b;
      await page.goto(`${server.url}noise/`);
      await stripReady(page);
      await page.locator('select[name="sort"]').selectOption('n');
      await page.waitForURL((u) => u.searchParams.get('sort') === 'n');
      await page.waitForFunction(
        (first) => document.querySelector<HTMLElement>('[data-bucket-rows] tr')?.dataset['bucket'] === first && document.querySelector<HTMLElement>('atlas-noise')?.dataset['state'] === 'ready',
        (await runQuery<{ bucket_id: string }>(node.db, bucketStripQuery({ orderBy: 'n', minN: 2 })))[0]!.bucket_id,
        { timeout: 90_000 },
      );
      const want = await runQuery<{ bucket_id: string }>(node.db, bucketStripQuery({ orderBy: 'n', minN: 2 }));
      const ids = await page.locator('[data-bucket-rows] tr').evaluateAll((trs) => trs.map((t) => (t as HTMLElement).dataset['bucket']));
      expect(ids).toEqual(want.map((r) => r.bucket_id));
      const ticks = await page.locator('[data-strip] svg[aria-label]:visible g[aria-label="y-axis tick label"] text').count();
      expect(ticks).toBe(want.length);
      await page.reload();
      await stripReady(page);
      expect(await page.locator('select[name="sort"]').inputValue()).toBe('n');
      expect(b.offOrigin(server.origin)).toEqual([]);
      expect(b.errors).toEqual([]);
    });
  });
});
