import { describe, expect, it } from 'vitest';
import { autoRunVerdict, MAX_CHARS, MAX_ROWS, stripLiterals, tableMentions } from '../../../src/lib/console/auto-run.ts';

const TABLES = { runs: { rows: 84, bytes: 20_000 }, results: { rows: 91 }, messages: { rows: 400_000, bytes: 30_000_000 }, agents: { rows: 78 } };

describe('auto-run of linked queries', () => {
  it('runs small queries over small tables at once', () => {
    expect(autoRunVerdict('SELECT * FROM runs LIMIT 5', TABLES)).toEqual({ run: true, reason: 'Small query: reads runs (84 rows).' });
    expect(autoRunVerdict('SELECT 1', TABLES).run).toBe(true);
    expect(autoRunVerdict('SELECT r.agent FROM results r JOIN agents a ON a.agent_id = r.agent;', TABLES).run).toBe(true);
  });

  it('waits for the reader on empty, long, multi-statement and recursive queries', () => {
    expect(autoRunVerdict('  -- nothing\n', TABLES)).toMatchObject({ run: false, reason: 'The query is empty.' });
    expect(autoRunVerdict(`SELECT 1 -- ${'x'.repeat(MAX_CHARS)}`, TABLES).reason).toMatch(/long query/);
    expect(autoRunVerdict('CREATE TEMP TABLE t AS SELECT 1; SELECT * FROM t', TABLES).reason).toMatch(/more than one statement/);
    expect(autoRunVerdict('WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t) SELECT * FROM t', TABLES).run).toBe(false);
  });

  it('waits on row generators, file readers and cross joins', () => {
    expect(autoRunVerdict('SELECT count(*) FROM range(1000000000)', TABLES).reason).toMatch(/range\(\)/);
    expect(autoRunVerdict('SELECT * FROM generate_series(1, 10)', TABLES).run).toBe(false);
    expect(autoRunVerdict("SELECT * FROM read_csv('/etc/passwd')", TABLES).reason).toMatch(/read_csv\(\)/);
    expect(autoRunVerdict('SELECT * FROM runs CROSS JOIN results', TABLES).reason).toMatch(/CROSS JOIN/);
  });

  it('waits when the tables are large or a self-join could explode', () => {
    expect(autoRunVerdict('SELECT count(*) FROM messages', TABLES).reason).toBe(`It reads messages (${(400_000).toLocaleString('en-US')} rows).`);
    expect(400_000).toBeGreaterThan(MAX_ROWS);
    const big = { t: { rows: 10_000 } };
    expect(autoRunVerdict('SELECT * FROM t a, t b', big).reason).toMatch(/joins t/);
    expect(autoRunVerdict('SELECT * FROM t', big).run).toBe(true);
    // Branches of a union add up; they do not multiply.
    expect(autoRunVerdict('SELECT 1 FROM t UNION ALL SELECT 2 FROM t UNION SELECT 3 FROM t', big).run).toBe(true);
    expect(autoRunVerdict('SELECT 1 FROM t UNION ALL SELECT 2 FROM t x JOIN t y ON true', big).run).toBe(false);
    expect(autoRunVerdict('SELECT * FROM runs', { runs: { rows: 10, bytes: 60 * 1024 * 1024 } }).reason).toMatch(/downloads 60 MB/);
  });

  it('ignores words inside strings, quoted identifiers keep their name, table.column is not a relation', () => {
    expect(autoRunVerdict("SELECT 'range(1e9) CROSS JOIN messages; x' AS s FROM runs", TABLES).run).toBe(true);
    expect(stripLiterals(`SELECT "runs" FROM x -- messages\n/* messages */ WHERE a = 'it''s'`)).toBe("SELECT runs FROM x  \n  WHERE a = ''");
    expect([...tableMentions('SELECT runs.agent FROM "runs" JOIN results USING (agent)', TABLES)]).toEqual([
      ['runs', 1],
      ['results', 1],
    ]);
  });
});
