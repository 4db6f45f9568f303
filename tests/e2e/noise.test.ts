// The noise page end to end: build-time headline, strip, ties and selection bias (each long table's first screen);
// "Show more", bucket runs and the significance calculator in the browser.
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import type { RunningServer } from '../../scripts/serve.ts';
import { runQuery } from '../../src/lib/db/connector.ts';
import { bucketRunsQuery, bucketStripQuery } from '../../src/lib/queries/noise.sql.ts';
import { compareRuns, tieThreshold } from '../../src/lib/stats/significance.ts';
import { FIRST_ROWS, MENU_LIMIT, MORE_ROWS } from '../../src/lib/ui/noise-format.ts';
import { studentTTwoSidedP } from '../../src/lib/stats/p-values.ts';
import { launchBrowser, serveSite } from './harness.ts';
import { calcOut, calcReady, cellTexts, ciText, expectedHeadline, firstScreenNote, interval, moreLine, nodeSide, q, sig, stripReady } from './noise-expected.ts';
import type { Bucket, NodeSide, Summary, Tie } from './noise-expected.ts';
import { checkedBrowser, sharedBrowser } from './sessions.ts';

const OUT = resolve(import.meta.dirname, '../output/e2e');
/** The values of side A's menu group (`results` or `buckets`). */
const menuValues = (page: Page, group: string) =>
  page.locator(`select[name="a-pick"] optgroup[data-menu="${group}"] option`).evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));

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
      // The first screen of the pooled buckets, the count of all, and where every row is (the SQL console, no JavaScript).
      expect(spreadIds).toEqual(wantOrder.slice(0, FIRST_ROWS).map((b) => b.id));
      expect(own.length, 'the sample has more pooled buckets than a first screen').toBeGreaterThan(FIRST_ROWS);
      const spreadMore = await moreLine(page, 'noise-spreads');
      expect(spreadMore).toMatchObject({ total: own.length, text: firstScreenNote(own.length), button: false });
      expect(spreadMore!.sql).toContain('FROM noise_buckets');
      expect(spreadMore!.sql).not.toContain('row_no');
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

      // Strip plot: its first screen, one row per bucket with n ≥ 2 in sd order (y tick labels), one dot per run of
      // those buckets; the status and the list say how many buckets there are.
      expect(strip.length, 'the sample has more buckets than a first screen').toBeGreaterThan(FIRST_ROWS);
      const firstIds = strip.slice(0, FIRST_ROWS).map((s) => s.bucket_id);
      const svg = page.locator(`[data-strip] svg[aria-label="${node.config.score_label} runs per noise bucket, around each bucket's mean"]:visible`);
      expect(await svg.count()).toBe(1);
      expect(await svg.getAttribute('aria-description')).toContain(`${FIRST_ROWS} noise buckets`);
      expect(await svg.locator('g[aria-label="y-axis tick label"] text').count()).toBe(FIRST_ROWS);
      const [{ runs }] = (await q<{ runs: number }>(
        node,
        `SELECT count(*)::INTEGER AS runs FROM noise_runs WHERE bucket_id IN (${firstIds.map((id) => `'${id.replaceAll("'", "''")}'`).join(', ')})`,
        ['noise_runs'],
      )) as [{ runs: number }];
      const dots = await svg.locator('g.noise-run circle, g.noise-posted-result circle').count();
      expect(dots).toBe(runs);
      expect(await svg.locator('text', { hasText: /^Run − bucket mean/ }).count()).toBeGreaterThan(0);
      expect(await page.locator('[data-strip-status]').textContent()).toBe(`${strip.length} buckets; the first ${FIRST_ROWS} in this order are drawn and listed`);
      // The bucket list is in the chart's order and every entry is a button.
      const listIds = await page.locator('[data-bucket-rows] tr').evaluateAll((trs) => trs.map((t) => (t as HTMLElement).dataset['bucket']));
      expect(listIds).toEqual(firstIds);
      expect(await page.locator('[data-bucket-rows] button[data-bucket]').count()).toBe(FIRST_ROWS);
      expect(await moreLine(page, 'noise-bucket-list')).toMatchObject({ total: strip.length, text: firstScreenNote(strip.length), button: false });

      // Tie leaderboard: the frontier's first screen, members of a group share one rank.
      const tieCells = await cellTexts(page, '[data-tie-rows] tr');
      expect(tieCells.map((c) => [Number(c[0]), Number(c[1])])).toEqual(ties.slice(0, FIRST_ROWS).map((t) => [t.rank, t.group_id]));
      expect(tieCells.map((c) => c.at(-1))).toEqual(ties.slice(0, FIRST_ROWS).map((t) => t.filename));
      // The calculator's menu lists the frontier's first screen (the calculator needs JavaScript; it lists more then).
      expect(await menuValues(page, 'results')).toEqual(ties.slice(0, FIRST_ROWS).map((t) => `r:${t.filename}`));
      const tieMore = await moreLine(page, 'noise-ties');
      expect(tieMore).toMatchObject({ total: ties.length, text: firstScreenNote(ties.length), button: false });
      expect(tieMore!.sql).toContain('FROM tie_groups');
      expect(await page.locator(`figure[data-ties] svg[aria-label="Frontier by ${node.config.score_label} with tie groups as bands"]:visible`).count()).toBe(1);

      // Selection bias: the results whose posted value is their bucket's best, with the median and the excess.
      const bias = await q<{ filename: string; score: number; bucket_median: number; excess_over_median: number }>(
        node,
        `SELECT filename, score, bucket_median, excess_over_median FROM result_buckets
         WHERE is_bucket_max AND bucket_n >= 2 ORDER BY excess_over_median DESC NULLS LAST, filename`,
        ['result_buckets'],
      );
      const biasCells = await cellTexts(page, '[data-bias-rows] tr');
      expect(biasCells.map((c) => c[0])).toEqual(bias.slice(0, FIRST_ROWS).map((r) => r.filename));
      expect(await page.locator('[data-bias-count]').textContent()).toBe(bias.length.toLocaleString('en-US'));
      expect(await moreLine(page, 'noise-bias')).toMatchObject({ total: bias.length, text: firstScreenNote(bias.length), button: false });
      // Verifier re-runs: the first screen of the newest, and the count of all.
      const [{ gaps }] = (await q<{ gaps: number }>(node, 'SELECT count(*)::INTEGER AS gaps FROM verify_gaps', ['verify_gaps'])) as [{ gaps: number }];
      expect(await page.locator('[data-gap-rows] tr').count()).toBe(Math.min(gaps, FIRST_ROWS));
      expect((await moreLine(page, 'noise-gaps'))?.total ?? gaps).toBe(gaps);
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
      // Once DuckDB-WASM runs, the menus list the top MENU_LIMIT of the frontier and of the buckets by sd.
      expect(await menuValues(page, 'results')).toEqual(ties.slice(0, MENU_LIMIT).map((t) => `r:${t.filename}`));
      expect(await menuValues(page, 'buckets')).toEqual(strip.slice(0, MENU_LIMIT).map((x) => `b:${x.bucket_id}`));
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
      // The biggest bucket of the list's first screen.
      const biggest = strip.slice(0, FIRST_ROWS).sort((x, y) => y.n - x.n || x.bucket_id.localeCompare(y.bucket_id))[0]!;
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

      // A link to a bucket past the first screen: the list and the strip keep their first screen and add it, selected.
      const far = strip.at(-1)!;
      await page.goto(`${server.url}noise/?bucket=${encodeURIComponent(far.bucket_id)}`);
      await page.waitForSelector(`[data-runs-panel][data-bucket="${far.bucket_id}"][data-state="ready"]`, { timeout: 90_000 });
      const listed = await page.locator('[data-bucket-rows] tr').evaluateAll((trs) => trs.map((t) => (t as HTMLElement).dataset['bucket']));
      expect(listed).toEqual([...strip.slice(0, FIRST_ROWS).map((x) => x.bucket_id), far.bucket_id]);
      expect(await page.locator(`[data-bucket-rows] button[data-bucket="${far.bucket_id}"]`).getAttribute('aria-pressed')).toBe('true');
      expect(await page.locator('[data-runs-rows] tr').count()).toBe(far.n);
      expect(await page.locator('[data-strip] svg[aria-label]:visible g[aria-label="y-axis tick label"] text').count()).toBe(FIRST_ROWS + 1);
    });

    test('"Show more" draws the next rows from DuckDB-WASM in the table\'s own order and moves the focus to the first new one', async () => {
      const { page } = b;
      await page.goto(`${server.url}noise/`);
      await stripReady(page);
      const rowsOf = (sel: string, key: string) => page.locator(`${sel} tr`).evaluateAll((trs, k) => trs.map((t) => (t as HTMLElement).dataset[k]), key);
      // The bucket list: its next buckets in sd order, with the strip drawn for the same buckets.
      const more = Math.min(strip.length, FIRST_ROWS + MORE_ROWS);
      await page.locator('button[data-more="noise-bucket-list"]').click();
      await page.waitForFunction((n) => document.querySelectorAll('[data-bucket-rows] tr').length === n, more, { timeout: 90_000 });
      await stripReady(page);
      expect(await rowsOf('[data-bucket-rows]', 'bucket')).toEqual(strip.slice(0, more).map((x) => x.bucket_id));
      expect(await page.locator('[data-strip] svg[aria-label]:visible g[aria-label="y-axis tick label"] text').count()).toBe(more);
      expect(await page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset['bucket'])).toBe(strip[FIRST_ROWS]!.bucket_id);
      expect(await page.locator('[data-more-rows="noise-bucket-list"]').count()).toBe(strip.length > more ? 1 : 0);
      // A new order starts again from its first screen, over every bucket.
      await page.locator('select[name="sort"]').selectOption('n');
      await page.waitForFunction((n) => document.querySelectorAll('[data-bucket-rows] tr').length === n, FIRST_ROWS, { timeout: 90_000 });
      await stripReady(page);

      // The tie leaderboard: its next results in frontier order; the focus on the first new row's first link.
      const tiesMore = Math.min(ties.length, FIRST_ROWS + MORE_ROWS);
      await page.locator('button[data-more="noise-ties"]').click();
      await page.waitForFunction((n) => document.querySelectorAll('[data-tie-rows] tr').length === n, tiesMore, { timeout: 90_000 });
      const tieCells = await cellTexts(page, '[data-tie-rows] tr');
      expect(tieCells.map((c) => c.at(-1))).toEqual(ties.slice(0, tiesMore).map((t) => t.filename));
      expect(tieCells.map((c) => Number(c[0]))).toEqual(ties.slice(0, tiesMore).map((t) => t.rank));
      const focusRow = await page.evaluate(() => {
        const tr = document.activeElement?.closest('tr');
        return tr ? Array.from(tr.parentElement!.children).indexOf(tr) : -1;
      });
      expect(focusRow).toBe(FIRST_ROWS);
      expect(await page.locator('[data-more-rows="noise-ties"]').count()).toBe(ties.length > tiesMore ? 1 : 0);
      expect(b.errors).toEqual([]);
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
      // The first screen in the new order is taken from every bucket, not re-sorted from the first screen by sd.
      const want = (await runQuery<{ bucket_id: string }>(node.db, bucketStripQuery({ orderBy: 'n', minN: 2 }))).slice(0, FIRST_ROWS);
      const firstBySd = new Set(strip.slice(0, FIRST_ROWS).map((x) => x.bucket_id));
      expect(want.some((r) => !firstBySd.has(r.bucket_id)), 'some of the first buckets by n are not among the first by sd').toBe(true);
      const ids = await page.locator('[data-bucket-rows] tr').evaluateAll((trs) => trs.map((t) => (t as HTMLElement).dataset['bucket']));
      expect(ids).toEqual(want.map((r) => r.bucket_id));
      const ticks = await page.locator('[data-strip] svg[aria-label]:visible g[aria-label="y-axis tick label"] text').count();
      expect(ticks).toBe(FIRST_ROWS);
      await page.reload();
      await stripReady(page);
      expect(await page.locator('select[name="sort"]').inputValue()).toBe('n');
      expect(b.offOrigin(server.origin)).toEqual([]);
      expect(b.errors).toEqual([]);
    });
  });
});
