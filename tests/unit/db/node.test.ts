// Node connector over fixture Parquet written by the test itself (see tests/fixtures/README.md).
import { mkdirSync, mkdtempSync, renameSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runQuery } from '../../../src/lib/db/connector.ts';
import { createNodeConnector, defaultDataDir, readManifest, type NodeConnector } from '../../../src/lib/db/node.ts';
import { runsPerAgent, type RunsPerAgentRow } from '../../../src/lib/queries/runs-per-agent.ts';
import { tableByName } from '../../../src/lib/schema/index.ts';
import { FIXTURE_AGENTS, FIXTURE_RUNS, writeFixtureData, writeTableParquet } from '../../fixtures/fixture-data.ts';

let tmp: string;
let dataDir: string;
let db: NodeConnector;

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'atlas-node-db-'));
  dataDir = await writeFixtureData(join(tmp, 'public'));
  db = await createNodeConnector({ dataDir });
});
afterAll(() => {
  db?.close();
  rmSync(tmp, { recursive: true, force: true });
});

/** A fixture row with every schema column present (absent ones null), as the connector returns it. */
const full = (table: string, row: object) =>
  Object.fromEntries(tableByName(table).columns.map((c) => [c.name, (row as Record<string, unknown>)[c.name] ?? null]));

describe('views over the published Parquet', () => {
  test('one view per manifest table, named like the table', async () => {
    expect(db.tables).toEqual(['runs', 'agents']);
    expect(db.manifest?.tables['runs']?.rows).toBe(FIXTURE_RUNS.length);
    const views = await db.query<{ view_name: string }>('SELECT view_name FROM duckdb_views() WHERE NOT internal ORDER BY 1');
    expect(views.map((v) => v.view_name)).toEqual(['agents', 'runs']);
  });

  test('rows come back exactly as written: lists as arrays, timestamps as ISO strings, nulls as null', async () => {
    const runs = await db.query('SELECT * FROM runs ORDER BY run_dir');
    const want = [...FIXTURE_RUNS].sort((a, b) => (a.run_dir! < b.run_dir! ? -1 : 1)).map((r) => full('runs', r));
    expect(runs).toEqual(want);
    const agents = await db.query('SELECT * FROM agents ORDER BY agent_id');
    expect(agents).toEqual(FIXTURE_AGENTS.map((a) => full('agents', a)));
  });

  test('the Parquet columns carry the schema types', async () => {
    const cols = await db.query<{ column_name: string; column_type: string }>('DESCRIBE runs');
    const schema = tableByName('runs').columns.map((c) => ({ column_name: c.name, column_type: c.type }));
    expect(cols.map(({ column_name, column_type }) => ({ column_name, column_type }))).toEqual(schema);
  });
});

describe('a table published in parts', () => {
  test('is one view over every part, rows as written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'atlas-node-parts-'));
    try {
      const def = tableByName('runs');
      const halves = [FIXTURE_RUNS.slice(0, 2), FIXTURE_RUNS.slice(2)];
      const parts = [];
      for (const [i, rows] of halves.entries()) {
        const sub = join(dir, `p${i}`);
        mkdirSync(sub);
        await writeTableParquet(sub, def, rows);
        const file = `runs.p${i}.parquet`;
        renameSync(join(sub, 'runs.parquet'), join(dir, file));
        parts.push({ key: `p${i}`, file, rows: rows.length, bytes: statSync(join(dir, file)).size });
      }
      const m = readManifest(dataDir)!;
      writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ ...m, tables: { runs: { rows: FIXTURE_RUNS.length, bytes: parts.reduce((n, p) => n + p.bytes, 0), parts } } }));
      const parted = await createNodeConnector({ dataDir: dir });
      try {
        expect(parted.tables).toEqual(['runs']);
        const got = await parted.query('SELECT * FROM runs ORDER BY run_dir');
        expect(got).toEqual(await db.query('SELECT * FROM runs ORDER BY run_dir'));
        expect(halves.every((h) => h.length > 0)).toBe(true);
      } finally {
        parted.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('value conversion', () => {
  test('no bigint, no Date, no DuckDB value objects', async () => {
    const [row] = await db.query(`SELECT
      count(*) AS n, sum(completed) AS total, 2::HUGEINT AS h, 1.25::DECIMAL(5,2) AS d,
      12345.678901::DECIMAL(38,6) AS d38, [1, 2]::BIGINT[] AS bl, {'x': 5::BIGINT} AS st,
      DATE '2026-01-02' AS dt, TIME '12:34:56.5' AS tm, TIME '01:02:03' AS tm0,
      TIMESTAMP_NS '2026-06-13 23:04:41.229123456' AS ns, TIMESTAMP_S '2026-06-13 23:04:41' AS s,
      9007199254740993::BIGINT AS over53
      FROM runs`);
    expect(row).toEqual({
      n: 6,
      total: 320, // completed is 80 on the 4 scored runs
      h: 2,
      d: 1.25,
      d38: 12345.678901,
      bl: [1, 2],
      st: { x: 5 },
      dt: '2026-01-02',
      tm: '12:34:56.5',
      tm0: '01:02:03',
      ns: '2026-06-13T23:04:41.229Z',
      s: '2026-06-13T23:04:41.000Z',
      over53: 2 ** 53, // documented: integers beyond 2^53 lose precision
    });
  });

  test('the session runs in UTC', async () => {
    const [row] = await db.query<{ tz: string }>("SELECT current_setting('TimeZone') AS tz");
    expect(row?.tz).toBe('UTC');
  });
});

describe('prepared statements', () => {
  test('binds strings, numbers, booleans and null by position', async () => {
    const rows = await db.query('SELECT run_dir FROM runs WHERE agent = ? AND score > ? ORDER BY run_dir', ['zoë-ünïcode', 1.5]);
    expect(rows).toEqual([{ run_dir: 'runs/zoë/r1' }]);
    expect(await db.query('SELECT ? AS s, ? AS b, ? AS n, $1 AS again', ["it's", true, null])).toEqual([
      { s: "it's", b: true, n: null, again: "it's" },
    ]);
  });

  test('a value is never SQL', async () => {
    const rows = await db.query('SELECT count(*) AS n FROM runs WHERE agent = ?', ["alpha' OR '1'='1"]);
    expect(rows).toEqual([{ n: 0 }]);
  });

  test('an integer parameter works where DuckDB wants an integer', async () => {
    expect(await db.query('SELECT run_dir FROM runs ORDER BY run_dir LIMIT ?', [2])).toHaveLength(2);
  });
});

describe('the example builder', () => {
  test('runsPerAgent matches an aggregation done in plain TypeScript', async () => {
    const byAgent = new Map<string, typeof FIXTURE_RUNS>();
    for (const r of FIXTURE_RUNS) byAgent.set(r.agent!, [...(byAgent.get(r.agent!) ?? []), r]);
    const want: RunsPerAgentRow[] = [...byAgent].map(([agent, rs]) => {
      const scores = rs.map((r) => r.score).filter((s): s is number => s != null);
      return {
        agent,
        runs: rs.length,
        scored: scores.length,
        mean_score: scores.length ? scores.reduce((a, b) => a + b, 0) / scores.length : null,
        last_run: rs.map((r) => r.created_at!).sort().at(-1) ?? null,
        flavors: [...new Set(rs.map((r) => r.flavor).filter((f): f is string => f != null))].sort(),
      };
    });
    want.sort((a, b) => b.runs - a.runs || (a.agent < b.agent ? -1 : 1));
    expect(await runQuery<RunsPerAgentRow>(db, runsPerAgent())).toEqual(want);
    expect(await runQuery(db, runsPerAgent(3))).toEqual(want.filter((r) => r.runs >= 3));
  });
});

describe('concurrency and errors', () => {
  test('concurrent queries on the shared connection all complete', async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => db.query<{ i: number }>('SELECT ? AS i, count(*) AS n FROM runs', [i])),
    );
    expect(results.map((r) => r[0]?.i)).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  test('a failing query rejects with DuckDB\'s message and leaves the connection usable', async () => {
    await expect(db.query('SELECT nope FROM runs')).rejects.toThrow(/nope/);
    await expect(db.query('SELEC 1')).rejects.toThrow(/syntax error/i);
    expect(await db.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
  });

  test('no extension is installed or loaded on demand', async () => {
    await expect(db.query("SELECT * FROM read_csv('https://example.invalid/x.csv')")).rejects.toThrow(/httpfs/i);
  });
});

describe('finding the tables', () => {
  test('without a manifest every *.parquet becomes a view; readManifest says null', async () => {
    const dir = mkdtempSync(join(tmp, 'nomanifest-'));
    await writeTableParquet(dir, tableByName('agents'), FIXTURE_AGENTS);
    expect(readManifest(dir)).toBeNull();
    const c = await createNodeConnector({ dataDir: dir });
    try {
      expect(c.tables).toEqual(['agents']);
      expect(await c.query('SELECT count(*) AS n FROM agents')).toEqual([{ n: 3 }]);
    } finally {
      c.close();
    }
  });

  test('an empty or missing folder gives a connector with no views', async () => {
    const c = await createNodeConnector({ dataDir: join(tmp, 'does-not-exist') });
    try {
      expect(c.tables).toEqual([]);
      expect(await c.query('SELECT 42 AS x')).toEqual([{ x: 42 }]);
    } finally {
      c.close();
    }
  });

  test('explicit tables: a missing file or a bad name is a clear error', async () => {
    await expect(createNodeConnector({ dataDir, tables: ['results'] })).rejects.toThrow(/Table "results" has no Parquet file/);
    await expect(createNodeConnector({ dataDir, tables: ['runs; DROP'] })).rejects.toThrow(/Invalid table name/);
  });

  test('a malformed manifest names the problem', async () => {
    const dir = mkdtempSync(join(tmp, 'bad-'));
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ schema_version: 1, tables: { runs: {} } }));
    expect(() => readManifest(dir)).toThrow(/manifest\.json: generator: .*rebuild the data with npm run data/);
    unlinkSync(join(dir, 'manifest.json'));
  });

  test('defaultDataDir follows ATLAS_DATA_DIR, else ATLAS_PUBLIC_DIR/data, else public/data', () => {
    const saved = { d: process.env['ATLAS_DATA_DIR'], p: process.env['ATLAS_PUBLIC_DIR'] };
    try {
      delete process.env['ATLAS_DATA_DIR'];
      delete process.env['ATLAS_PUBLIC_DIR'];
      expect(defaultDataDir()).toBe(join(process.cwd(), 'public', 'data'));
      process.env['ATLAS_PUBLIC_DIR'] = '/srv/pub';
      expect(defaultDataDir()).toBe('/srv/pub/data');
      process.env['ATLAS_DATA_DIR'] = '/srv/elsewhere';
      expect(defaultDataDir()).toBe('/srv/elsewhere');
    } finally {
      for (const [k, v] of [['ATLAS_DATA_DIR', saved.d], ['ATLAS_PUBLIC_DIR', saved.p]] as const) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });
});
