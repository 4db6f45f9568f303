// The overview end to end: build-time figures and chart without JS, DuckDB-WASM parity with Node, connector lockdown.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import type { RunningServer } from '../../scripts/serve.ts';
import { runQuery } from '../../src/lib/db/connector.ts';
import { bestSoFar, headlineFigures, type BestSoFarRow, type Figure } from '../../src/lib/queries/overview.sql.ts';
import { scoreText } from '../../src/lib/format.ts';
import { figureText, nodeSide, type NodeSide } from './expected.ts';
import { expectedSteps, TRUTH_SQL, type Truth } from './story-expected.ts';
import { browserQuery, browserQueryError, marks, serveSite } from './harness.ts';
import { checkedBrowser, sharedBrowser } from './sessions.ts';

const OUT = resolve(import.meta.dirname, '../output/e2e');
const SETTLED = 'atlas-figures[data-state="done"], atlas-figures[data-state="mismatch"], atlas-figures[data-state="error"]';

/** Every type the connectors convert, no table needed. */
const TYPE_SWEEP = `SELECT
  1::BIGINT AS b, [1, 2]::BIGINT[] AS bl, {'x': 5::BIGINT, 'd': 1.25::DECIMAL(5,2)} AS st,
  123::UBIGINT AS ub, 170141183460469231731687303715884105727::HUGEINT AS huge, 3::TINYINT AS ti,
  -1.25::DECIMAL(4,2) AS dn, 12345.678901::DECIMAL(38,6) AS d38, [1.5, 2.25]::DECIMAL(4,2)[] AS dl,
  0.1::DOUBLE AS dbl, 2.5::FLOAT AS fl, true AS bo,
  'ünï''cøde ✓ <b>' AS s, NULL::VARCHAR AS n, []::VARCHAR[] AS el, [NULL, 'a']::VARCHAR[] AS nl,
  DATE '2026-01-02' AS dt, TIME '12:34:56.5' AS tm,
  TIMESTAMP '2026-06-13 23:04:41.229' AS ts, TIMESTAMP_MS '2026-06-13 23:04:41.229' AS ts_ms,
  TIMESTAMP_NS '2026-06-13 23:04:41.229123456' AS ts_ns, TIMESTAMP_S '2026-06-13 23:04:41' AS ts_s,
  [TIMESTAMP '2026-01-01 00:00:01.5'] AS tl, [DATE '2026-01-02'] AS dtl`;

/** Whole published tables, every column, in key order: the sample's real text, lists, nulls and timestamps. */
const TABLE_SWEEPS = [
  'SELECT * FROM runs ORDER BY run_dir',
  'SELECT * FROM agents ORDER BY agent_id',
  'SELECT * FROM results ORDER BY filename',
  'SELECT * FROM messages ORDER BY filename',
];

const metrics: Record<string, Record<string, number>> = {};

const CHANGES = '[data-view="overview-changes"] tbody tr';
const changesShown = (page: import('playwright-core').Page) =>
  page.locator(CHANGES).evaluateAll((trs) => trs.map((tr) => ({ filename: tr.getAttribute('data-file') ?? '', counts: tr.querySelectorAll('td')[4]?.textContent ?? '' })));

describe.each(inject('sites'))('overview page, base $base', (site) => {
  let server: RunningServer;
  let node: NodeSide;
  let figures: (Figure & { value: number | null })[];
  let series: BestSoFarRow[];
  let truth: Truth[];
  let threshold: number | null;

  beforeAll(async () => {
    server = await serveSite(site);
    // Expected values come from the files the site serves, through the other connector and the page's own builders.
    node = await nodeSide(site);
    figures = await Promise.all(
      headlineFigures(node.config).map(async (f) => ({ ...f, value: (await runQuery<{ value: number | null }>(node.db, f.spec))[0]?.value ?? null })),
    );
    series = await runQuery<BestSoFarRow>(node.db, bestSoFar(node.config));
    truth = await node.db.query<Truth>(TRUTH_SQL);
    threshold = (await node.db.query<{ t: number | null }>('SELECT tie_threshold AS t FROM noise_summary'))[0]?.t ?? null;
    expect(figures.find((f) => f.key === 'results')?.value).toBeGreaterThan(0);
    expect(series.length).toBeGreaterThan(0);
  });
  afterAll(async () => {
    node?.db.close();
    await server?.close();
  });

  test('shows the build-time figures and the best-so-far chart with JavaScript off', async () => {
    await checkedBrowser({ javaScriptEnabled: false }, server.origin, async (b) => {
      const { page } = b;
      const res = await page.goto(server.url);
      expect(res?.status()).toBe(200);
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(node.config.title);
      const list = page.getByRole('list', { name: 'Headline figures' });
      for (const f of figures) {
        const value = list.locator(`li[data-figure="${f.key}"] [data-value]`);
        expect(await value.textContent(), f.key).toBe(figureText(f.format, f.value));
      }
      expect(await list.locator('li[data-figure]').count()).toBe(figures.length);
      // Each figure links to the SQL console with its own query.
      for (const f of figures) {
        const href = await list.locator(`li[data-figure="${f.key}"] a.sql`).getAttribute('href');
        expect(href, f.key).toMatch(new RegExp(`^${site.base}sql/\\?sql=`));
      }
      // The chart is build-time SVG: one mark per ranked result (records beyond noise also get a ring).
      const chart = page.locator(`main figure.chart svg[aria-label="Best ${node.config.score_label} so far over time"]`);
      expect(await chart.count()).toBe(1);
      const steps = expectedSteps(truth, node.config.higher_is_better, threshold, false);
      const rings = steps.filter((s) => s.counts === 'record' || s.counts === 'new best (noise unknown)').length;
      expect(await chart.locator('g[aria-label="dot"] circle, g[aria-label="dot"] path').count()).toBe(series.length + rings);
      // Invalid and over-cap results are drawn greyed, each as a cross, and never step the line.
      const excluded = truth.filter((r) => r.verification === 'invalid' || r.over_cap === true);
      expect(await chart.locator('g.series-excluded[aria-label="dot"] path').count()).toBe(excluded.length);
      // "What changed when" is the test's own running best: never at an invalid or over-cap result; every gain no
      // larger than the tie threshold says "within noise", every larger one "record".
      const shown = await changesShown(page);
      expect(shown).toEqual(steps);
      const bad = new Set(excluded.map((r) => r.filename));
      expect(shown.filter((s) => bad.has(s.filename))).toEqual([]);
      if (threshold !== null) expect(shown.some((s) => s.counts === 'within noise')).toBe(true);
      // The current best is labelled with its agent and value; the legend names every series drawn, by its class.
      const last = truth.find((r) => r.filename === steps.at(-1)?.filename)!;
      expect(await page.locator('figure.chart .current-best').textContent()).toContain(`${scoreText(last.score)} ${node.config.unit}`);
      const legend = await page.locator('figure.chart ul.legend li svg').evaluateAll((ss) => ss.map((s) => s.getAttribute('class')!.replace('legend-glyph', '').trim()));
      const drawn = await chart.locator('g[class^="series-"]').evaluateAll((gs) => gs.map((g) => g.getAttribute('class')!.split(' ')[0]));
      expect(new Set(legend)).toEqual(new Set(drawn));
      expect(await page.locator('atlas-overview .tie-note a').getAttribute('href')).toBe(`${site.base}noise/`);
      await page.screenshot({ path: join(OUT, `index-${site.name}-nojs.png`), fullPage: true });
    });
  });

  describe('with JavaScript', () => {
    const b = sharedBrowser({ colorScheme: site.name === 'root' ? 'light' : 'dark' }, async (b) => {
      await b.page.goto(server.url);
      // <atlas-figures> recomputes every figure in DuckDB-WASM once the browser is idle.
      await b.page.waitForSelector(SETTLED, { timeout: 90_000 });
    });

    test('DuckDB-WASM recomputes the same figures as the Node connector, loading only the tables they read', async () => {
      const { page } = b;
      const el = page.locator('atlas-figures');
      const status = await el.locator('[data-check-status]').textContent();
      expect(await el.getAttribute('data-state'), status ?? '').toBe('done');
      const result = await el.evaluate((e) => (e as unknown as { result: Record<string, unknown> }).result);
      expect(result).toEqual(Object.fromEntries(figures.map((f) => [f.key, f.value])));
      expect(await el.locator('li[data-checked="same"]').count()).toBe(figures.length);

      const needed = new Set(figures.flatMap((f) => f.spec.tables));
      const fetched = b.requests.map((u) => new URL(u).pathname).filter((u) => u.endsWith('.parquet')).map((u) => u.split('/').pop()!.replace(/\.parquet$/, '').split('.')[0]!);
      // A table in parts is fetched as its parts (`messages.2026-06-08.parquet`): each counts as its table.
      expect(new Set(fetched)).toEqual(needed);
      const m = await marks(page);
      expect(Object.keys(m)).toEqual(expect.arrayContaining(['db_start', 'db_ready', 'first_result', ...[...needed].map((t) => `table_loaded:${t}`)]));
      metrics[site.name] = m;
      await page.screenshot({ path: join(OUT, `index-${site.name}.png`), fullPage: true });
    });

    test('verified only: the toggle goes into the URL and the running best is the verified one', async () => {
      const { page } = b;
      await page.locator('atlas-overview input[name="verified"]').check();
      await page.waitForURL((u) => u.searchParams.get('verified') === '1');
      await page.waitForFunction(() => document.querySelector<HTMLElement>('atlas-overview')?.dataset['state'] === 'ready', null, { timeout: 90_000 });
      expect(await changesShown(page)).toEqual(expectedSteps(truth, node.config.higher_is_better, threshold, true));
      expect(await page.locator('[data-view="overview-timeline"] .story').getAttribute('data-scope')).toBe('verified');
      await page.goBack();
      await page.waitForFunction(() => document.querySelector<HTMLElement>('atlas-overview')?.dataset['state'] === 'ready', null, { timeout: 90_000 });
      expect(await changesShown(page)).toEqual(expectedSteps(truth, node.config.higher_is_better, threshold, false));
    });

    test('every type converts the same way in both connectors, also after a Parquet round trip', async () => {
      for (const sql of [TYPE_SWEEP, ...TABLE_SWEEPS]) {
        expect(await browserQuery(b.page, sql), sql).toEqual(await node.db.query(sql));
      }
      const types = await browserQuery(b.page, 'SELECT typeof(created_at) AS t, typeof(files) AS f FROM runs LIMIT 1');
      expect(types).toEqual([{ t: 'TIMESTAMP', f: 'VARCHAR[]' }]);
    });

    test('prepared statements bind parameters like the Node connector', async () => {
      const [top] = await node.db.query<{ agent: string }>(
        'SELECT agent FROM results WHERE agent IS NOT NULL GROUP BY agent ORDER BY count(*) DESC, agent LIMIT 1',
      );
      expect(top).toBeDefined();
      const cases: [string, (string | number | boolean | null)[]][] = [
        ['SELECT count(*) AS n, min(score) AS lo FROM results WHERE agent = ? AND score > ?', [top!.agent, 1.5]],
        ['SELECT count(*) AS n FROM results WHERE agent = ?', ['zoë-ünïcode']],
        ['SELECT filename FROM results ORDER BY filename LIMIT ?', [2]],
        ["SELECT ? AS s, ? AS b, ?::INTEGER IS NULL AS isnull", ["it's; DROP TABLE runs", true, null]],
      ];
      for (const [sql, params] of cases) {
        expect(await browserQuery(b.page, sql, params), sql).toEqual(await node.db.query(sql, params));
      }
    });

    test('the browser database reaches no file, URL or extension, and its settings are locked', async () => {
      const refused: [string, RegExp][] = [
        [`SELECT * FROM read_csv('${server.origin}/data/manifest.json')`, /disabled by configuration/],
        [`SELECT * FROM read_csv('http://example.invalid/x.csv')`, /disabled by configuration/],
        [`SELECT * FROM read_csv('/etc/passwd')`, /disabled by configuration/],
        [`SELECT * FROM 'data/runs.parquet'`, /does not exist/],
        [`LOAD json`, /disabled through configuration/],
        [`ATTACH 'x.db'`, /disabled by configuration/],
        [`COPY runs TO 'out.csv'`, /disabled by configuration/],
        [`SET enable_external_access = true`, /locked/],
        [`SET autoload_known_extensions = true`, /locked/],
        [`SET lock_configuration = false`, /locked/],
      ];
      for (const [sql, why] of refused) expect(await browserQueryError(b.page, sql), sql).toMatch(why);
      expect(b.offOrigin(server.origin)).toEqual([]);
      expect(b.errors).toEqual([]);
    });
  });
});

afterAll(() => {
  mkdirSync(OUT, { recursive: true });
  writeFileSync(join(OUT, 'metrics.json'), JSON.stringify(metrics, null, 2) + '\n');
  for (const [name, m] of Object.entries(metrics)) {
    console.log(
      `e2e ${name}: db_start ${m['db_start']} ms, db_ready ${m['db_ready']} ms (init ${(m['db_ready'] ?? 0) - (m['db_start'] ?? 0)} ms), ` +
        `first_result ${m['first_result']} ms after navigation (cold profile)`,
    );
  }
});
