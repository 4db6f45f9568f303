import { describe, expect, it } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
import { charWidth, errorPosition, explainError, normalizeError, positionAt, utf16Offset, codePointOffset } from '../../../src/lib/console/errors.ts';

/** DuckDB's own message for a failing statement (the Node API carries the same LINE/caret text as the browser). */
async function duckdbError(sql: string): Promise<string> {
  const inst = await DuckDBInstance.create(':memory:');
  const conn = await inst.connect();
  try {
    await conn.run('CREATE TABLE runs (run_dir VARCHAR, agent VARCHAR, score DOUBLE)');
    await conn.run(sql);
    return '';
  } catch (e) {
    return (e as Error).message;
  } finally {
    conn.closeSync();
    inst.closeSync();
  }
}

describe('error positions', () => {
  it('finds the column from the caret on a one-line query', async () => {
    const sql = 'SELECT nope FROM runs';
    const msg = await duckdbError(sql);
    expect(msg).toMatch(/LINE 1:/);
    expect(errorPosition(msg, sql)).toEqual({ line: 1, column: 8, offset: 7 });
  });

  it('counts lines, and columns inside a later line', async () => {
    const sql = 'SELECT agent,\n  count(*) AS n,\n  avg(scor) AS s\nFROM runs GROUP BY agent';
    const msg = await duckdbError(sql);
    const pos = errorPosition(msg, sql)!;
    expect(pos.line).toBe(3);
    expect(sql.slice(pos.offset, pos.offset + 4)).toBe('scor');
    expect(pos.column).toBe(7);
  });

  it('finds the column when DuckDB cuts a long line with "..."', async () => {
    const sql = `SELECT '${'a'.repeat(120)}' AS s, agent, missing_column_here, '${'b'.repeat(120)}' AS t FROM runs`;
    const msg = await duckdbError(sql);
    expect(msg).toMatch(/LINE 1: \.\.\./);
    const pos = errorPosition(msg, sql)!;
    expect(sql.slice(pos.offset, pos.offset + 'missing_column_here'.length)).toBe('missing_column_here');
  });

  it('counts display width for wide characters before the error (binder errors)', async () => {
    const sql = "SELECT '中文😀ünï' AS s, bad_col FROM runs";
    const msg = await duckdbError(sql);
    const pos = errorPosition(msg, sql)!;
    expect(sql.slice(pos.offset, pos.offset + 7)).toBe('bad_col');
  });

  it('returns null when the message has no position', () => {
    expect(errorPosition('Catalog Error: something', 'SELECT 1')).toBeNull();
  });

  it('reads JSON-shaped errors: code-point positions checked against the token', () => {
    // As DuckDB-WASM 1.32's worker sends parser errors (position in code points).
    const sql = "SELECT 'ünï😀' AS s, * FORM runs";
    const raw = `Error: {"exception_type":"Parser","exception_message":"syntax error at or near \\"runs\\"\\n\\nLINE 1: SELECT 'ünï😀' AS s, * FORM runs\\n                               ^","error_subtype":"SYNTAX_ERROR","position":"27"}`;
    const n = normalizeError(raw, sql);
    expect(n.message.startsWith('Parser Error: syntax error at or near "runs"')).toBe(true);
    expect(sql.slice(n.offset!, n.offset! + 4)).toBe('runs');
    const ex = explainError(raw, sql);
    expect(ex.title).toBe('Syntax error');
    expect(ex.position).toEqual(positionAt(sql, n.offset!));
    expect(ex.position?.column).toBe(29);
    // If a position turns out to be in bytes, the token check picks that reading.
    const bytes = new TextEncoder().encode(sql.slice(0, sql.indexOf('runs'))).length;
    const asBytes = normalizeError(raw.replace('"position":"27"', `"position":"${bytes}"`), sql);
    expect(sql.slice(asBytes.offset!, asBytes.offset! + 4)).toBe('runs');
  });

  it('converts offsets between encodings', () => {
    expect(utf16Offset('ü😀x', 6)).toBe(3);
    expect(codePointOffset('ü😀x', 2)).toBe(3);
    expect(positionAt('a\nbc', 3)).toEqual({ line: 2, column: 2, offset: 3 });
    expect(charWidth('中'.codePointAt(0)!)).toBe(2);
    expect(charWidth('\u0301'.codePointAt(0)!)).toBe(0);
  });
});

describe('plain words', () => {
  it('explains a syntax error with the token', async () => {
    const sql = 'SELECT * FORM runs';
    const ex = explainError(await duckdbError(sql), sql);
    expect(ex.title).toBe('Syntax error');
    expect(ex.plain).toContain('“runs”');
    expect(ex.position?.column).toBe(15);
    expect(ex.detail).not.toMatch(/LINE/);
  });

  it('explains unknown tables, columns and functions', async () => {
    const tables = ['runs', 'results'];
    let sql = 'SELECT * FROM rusn';
    let ex = explainError(await duckdbError(sql), sql, tables);
    expect(ex.title).toBe('Unknown table');
    expect(ex.plain).toContain('“rusn”');
    expect(ex.plain).toContain('runs, results');
    sql = 'SELECT scroe FROM runs';
    ex = explainError(await duckdbError(sql), sql, tables);
    expect(ex.title).toBe('Unknown column');
    expect(ex.plain).toContain('“scroe”');
    expect(ex.plain).toMatch(/Close matches: .*score/);
    sql = 'SELECT nosuchfn(score) FROM runs';
    ex = explainError(await duckdbError(sql), sql, tables);
    expect(ex.title).toBe('Unknown function');
    sql = 'SELECT agent, score FROM runs GROUP BY agent';
    ex = explainError(await duckdbError(sql), sql, tables);
    expect(ex.title).toBe('Grouping error');
  });

  it('says a file name is not a table', async () => {
    const sql = "SELECT * FROM 'data/runs.parquet'";
    const ex = explainError('Catalog Error: Table with name data/runs.parquet does not exist!', sql, ['runs']);
    expect(ex.title).toBe('Not a table');
    expect(ex.plain).toMatch(/looks like a file/);
  });

  it('says clearly that files, URLs and settings are off', () => {
    for (const msg of [
      'Permission Error: Cannot access file "/etc/passwd" - file system operations are disabled by configuration',
      'Permission Error: Scanning CSV files is disabled through configuration',
      '{"exception_type":"Permission","exception_message":"Cannot access file \\"http://example.com/x.csv\\" - file system operations are disabled by configuration","position":"14"}',
    ]) {
      const ex = explainError(msg, "SELECT * FROM read_csv('x')", ['runs']);
      expect(ex.title).toBe('Not allowed here');
      expect(ex.plain).toMatch(/reads only the site's published tables/);
      expect(ex.plain).toMatch(/files or URLs/);
    }
    expect(explainError('Invalid Input Error: Cannot change configuration option "x" - the configuration has been locked', 'SET x = 1').title).toBe(
      'Settings are locked',
    );
    expect(explainError('INTERRUPT Error: Interrupted!', 'SELECT 1').title).toBe('Stopped');
    const ext = explainError(
      'Catalog Error: Table Function with name "read_parquet" is not in the catalog, but it exists in the parquet extension.\n\nPlease try installing and loading the parquet extension by running:\nINSTALL parquet;',
      "SELECT * FROM read_parquet('x')",
    );
    expect(ext.title).toBe('Not allowed here');
    expect(ext.plain).toMatch(/^read_parquet\(\) comes from DuckDB's parquet extension, which this console does not load: it reads only the site's published tables/);
  });

  it('falls back to DuckDB’s first line', () => {
    const ex = explainError('Invalid Input Error: Something odd\nmore', 'SELECT 1');
    expect(ex.title).toBe('Invalid Input error');
    expect(ex.plain).toBe('Something odd');
  });
});
