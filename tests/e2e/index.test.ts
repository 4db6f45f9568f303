// The overview placeholder end to end: build-time chart without JS, DuckDB-WASM parity with Node, lockdown, sub-path.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import type { RunningServer } from '../../scripts/serve.ts';
import { runQuery } from '../../src/lib/db/connector.ts';
import { formatCell } from '../../src/lib/db/format.ts';
import { createNodeConnector, type NodeConnector } from '../../src/lib/db/node.ts';
import { runsPerAgent, type RunsPerAgentRow } from '../../src/lib/queries/runs-per-agent.ts';
import { browserQuery, browserQueryError, launchBrowser, marks, serveSite, type BrowserSession } from './harness.ts';

const OUT = resolve(import.meta.dirname, '../output/e2e');
const DONE = 'atlas-query[data-state="done"], atlas-query[data-state="mismatch"], atlas-query[data-state="error"]';

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

const metrics: Record<string, Record<string, number>> = {};

describe.each(inject('sites'))('overview page, base $base', (site) => {
  let server: RunningServer;
  let node: NodeConnector;
  let expected: RunsPerAgentRow[];

  beforeAll(async () => {
    server = await serveSite(site);
    // The expected rows come from the files the site serves, through the other connector.
    node = await createNodeConnector({ dataDir: join(site.outDir, 'data') });
    expected = await runQuery<RunsPerAgentRow>(node, runsPerAgent());
    expect(expected.length).toBeGreaterThan(0);
  });
  afterAll(async () => {
    node?.close();
    await server?.close();
  });

  test('renders the build-time chart and table with JavaScript off', async () => {
    const b = await launchBrowser({ javaScriptEnabled: false });
    try {
      const res = await b.page.goto(server.url);
      expect(res?.status()).toBe(200);
      const { page } = b;
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Overview');
      // One bar per agent, labelled with the agents the Node connector finds.
      const svg = page.getByRole('figure').locator('svg[aria-label="Runs per agent"]');
      expect(await svg.locator('g[aria-label="bar"] rect').count()).toBe(expected.length);
      const labels = await svg.locator('g[aria-label="y-axis tick label"] text').allTextContents();
      expect(labels.sort()).toEqual(expected.map((r) => r.agent).sort());
      // The build-time table shows exactly the Node connector's rows.
      const table = page.getByRole('table', { name: 'Runs per agent (computed at build time)' });
      const cells = await table.locator('tbody tr').evaluateAll((trs) =>
        trs.map((tr) => Array.from(tr.querySelectorAll('td'), (td) => td.textContent ?? '')),
      );
      expect(cells).toEqual(expected.map((r) => Object.values(r).map(formatCell)));
      // Nav links carry the base path; the synthetic banner is shown for the fixture data.
      expect(await page.getByRole('navigation', { name: 'Site' }).getByRole('link', { name: 'SQL' }).getAttribute('href')).toBe(
        `${site.base}sql/`,
      );
      expect(await page.getByRole('note').textContent()).toContain('Synthetic data');
      expect(await page.getByRole('button', { name: 'Run in your browser' }).isVisible()).toBe(false);
      await page.screenshot({ path: join(OUT, `index-${site.name}-nojs.png`), fullPage: true });
      expect(b.offOrigin(server.origin)).toEqual([]);
      expect(b.errors).toEqual([]);
    } finally {
      await b.close();
    }
  });

  describe('with JavaScript', () => {
    let b: BrowserSession;
    beforeAll(async () => {
      b = await launchBrowser({ colorScheme: site.name === 'root' ? 'light' : 'dark' });
      await b.page.goto(server.url);
      await b.page.getByRole('button', { name: 'Run in your browser' }).click();
      await b.page.waitForSelector(DONE, { timeout: 90_000 });
    });
    afterAll(async () => {
      await b?.close();
    });

    test('DuckDB-WASM returns the same rows as the Node connector, loading only the tables it needs', async () => {
      const { page } = b;
      const state = await page.locator('atlas-query').getAttribute('data-state');
      const status = await page.locator('atlas-query [role="status"]').textContent();
      expect(state, status ?? '').toBe('done');
      const result = await page.locator('atlas-query').evaluate((el) => (el as unknown as { result: unknown }).result);
      expect(result).toEqual(expected);
      const browserTable = page.getByRole('table', { name: 'Runs per agent (computed in your browser)' });
      const cells = await browserTable.locator('tbody tr').evaluateAll((trs) =>
        trs.map((tr) => Array.from(tr.querySelectorAll('td'), (td) => td.textContent ?? '')),
      );
      expect(cells).toEqual(expected.map((r) => Object.values(r).map(formatCell)));

      const m = await marks(page);
      expect(Object.keys(m)).toEqual(expect.arrayContaining(['db_start', 'db_ready', 'table_loaded:runs', 'first_result']));
      expect(m).not.toHaveProperty('table_loaded:agents');
      expect(b.requests.some((u) => u.endsWith('/data/agents.parquet'))).toBe(false);
      metrics[site.name] = m;
      await page.screenshot({ path: join(OUT, `index-${site.name}.png`), fullPage: true });
    });

    test('every type converts the same way in both connectors, also after a Parquet round trip', async () => {
      for (const sql of [TYPE_SWEEP, 'SELECT * FROM runs ORDER BY run_dir', 'SELECT * FROM agents ORDER BY agent_id']) {
        expect(await browserQuery(b.page, sql), sql).toEqual(await node.query(sql));
      }
      const types = await browserQuery(b.page, 'SELECT typeof(created_at) AS t, typeof(files) AS f FROM runs LIMIT 1');
      expect(types).toEqual([{ t: 'TIMESTAMP', f: 'VARCHAR[]' }]);
    });

    test('prepared statements bind parameters like the Node connector', async () => {
      const cases: [string, (string | number | boolean | null)[]][] = [
        ['SELECT count(*) AS n, min(score) AS lo FROM runs WHERE agent = ? AND score > ?', ['zoë-ünïcode', 1.5]],
        ['SELECT run_dir FROM runs ORDER BY run_dir LIMIT ?', [2]],
        ["SELECT ? AS s, ? AS b, ?::INTEGER IS NULL AS isnull", ["it's; DROP TABLE runs", true, null]],
      ];
      for (const [sql, params] of cases) {
        expect(await browserQuery(b.page, sql, params), sql).toEqual(await node.query(sql, params));
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
        `table_loaded:runs ${m['table_loaded:runs']} ms, first_result ${m['first_result']} ms after navigation (cold profile)`,
    );
  }
});
