// The "past the browser" snippets: every URL they name is served (with the byte ranges native readers use), and the
// SQL they hold attaches every table. Native DuckDB cannot fetch its httpfs extension on these offline machines, so
// the SQL is run with each URL swapped for the bytes that URL served: same statements, same files.
import { DuckDBInstance } from '@duckdb/node-api';
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../../scripts/serve.ts';
import { parseByteRange } from '../../../scripts/lib/byte-range.ts';
import { dataFolderUrl, duckdbCliSnippet, publishedTables, pythonSnippet } from '../../../src/lib/remote-snippet.ts';
import { parseManifest } from '../../../src/lib/manifest.ts';

const root = mkdtempSync(join(tmpdir(), 'atlas-remote-'));
const TABLES = { results: 7, messages: 3 } as const;
let server: RunningServer;

beforeAll(async () => {
  mkdirSync(join(root, 'data'));
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  for (const [name, n] of Object.entries(TABLES)) {
    await c.run(`COPY (SELECT range AS id, 'it''s ' || range AS label FROM range(${n})) TO '${join(root, 'data', `${name}.parquet`)}' (FORMAT parquet)`);
  }
  // A table in two parts, as the data build writes the tables that grow with time.
  await c.run(`COPY (SELECT range AS id FROM range(2)) TO '${join(root, 'data', 'runs-1.parquet')}' (FORMAT parquet)`);
  await c.run(`COPY (SELECT range AS id FROM range(5)) TO '${join(root, 'data', 'runs-2.parquet')}' (FORMAT parquet)`);
  c.closeSync();
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>x</title>');
  server = await startServer({ root, base: '/atlas/', port: 0 });
});
afterAll(async () => server?.close());

const entry = (file: string, rows: number) => ({ rows, bytes: 1, file });
const manifestWith = (tables: Record<string, unknown>) =>
  parseManifest({
    schema_version: 1,
    generator: { name: 'collab-atlas', version: '0' },
    source: { name: 'Test', synthetic: true, input_hash: 'abc', files: 0, files_per_part: {} },
    config: {},
    data_as_of: null,
    tables,
    rejects: 0,
  });
const manifest = manifestWith({
  results: entry('results.parquet', TABLES.results),
  messages: entry('messages.parquet', TABLES.messages),
  runs: { rows: 7, bytes: 2, parts: [{ key: '1', file: 'runs-1.parquet', rows: 2, bytes: 1 }, { key: '2', file: 'runs-2.parquet', rows: 5, bytes: 1 }] },
});

describe('remote snippets', () => {
  it('name the data folder from the page URL and the base path', () => {
    expect(dataFolderUrl('https://example.org/atlas/sql/?q=1', '/atlas/')).toBe('https://example.org/atlas/data/');
    expect(dataFolderUrl('http://127.0.0.1:4321/methods/', '/')).toBe('http://127.0.0.1:4321/data/');
  });

  it('refuse a table name that is not a plain identifier', () => {
    expect(() => publishedTables({ ...manifest, tables: { 'x; DROP': entry('x.parquet', 1) } })).toThrow(/Invalid table name/);
  });

  it('serve every URL they name, whole and by byte range', async () => {
    const dataUrl = dataFolderUrl(`${server.url}sql/`, '/atlas/');
    const sql = duckdbCliSnippet(dataUrl, publishedTables(manifest));
    const urls = [...sql.matchAll(/'(http[^']+)'/g)].map((m) => m[1]!);
    expect(urls).toHaveLength(4);
    for (const url of urls) {
      const file = readFileSync(join(root, 'data', new URL(url).pathname.split('/').at(-1)!));
      const head = await fetch(url, { method: 'HEAD' });
      expect(head.headers.get('content-length')).toBe(String(file.length));
      expect(head.headers.get('accept-ranges')).toBe('bytes');
      const tail = await fetch(url, { headers: { range: 'bytes=-8' } }); // the Parquet footer a reader asks first
      expect(tail.status).toBe(206);
      expect(Buffer.from(await tail.arrayBuffer())).toEqual(file.subarray(file.length - 8));
      expect(tail.headers.get('content-range')).toBe(`bytes ${file.length - 8}-${file.length - 1}/${file.length}`);
    }
  });

  it('attach every table, parts as one table, in the CLI and in Python', async () => {
    const dataUrl = dataFolderUrl(`${server.url}methods/`, '/atlas/');
    const tables = publishedTables(manifest);
    const cli = duckdbCliSnippet(dataUrl, tables);
    const py = pythonSnippet(dataUrl, tables);
    // Python: the same CREATE VIEW statements, each as one string literal.
    const pyStatements = [...py.matchAll(/con\.sql\(("CREATE[^\n]*")\)/g)].map((m) => JSON.parse(m[1]!) as string);
    const cliStatements = cli.split('\n').filter((l) => l.startsWith('CREATE')).map((l) => l.replace(/;$/, ''));
    expect(pyStatements).toEqual(cliStatements);

    const dl = mkdtempSync(join(tmpdir(), 'atlas-dl-'));
    let local = cli.replace(/^(INSTALL|LOAD) httpfs;$/gm, '');
    for (const url of new Set([...cli.matchAll(/'(http[^']+)'/g)].map((m) => m[1]!))) {
      const path = join(dl, new URL(url).pathname.split('/').at(-1)!);
      writeFileSync(path, Buffer.from(await (await fetch(url)).arrayBuffer()));
      local = local.replaceAll(`'${url}'`, `'${path}'`);
    }
    const db = await DuckDBInstance.create(':memory:');
    const c = await db.connect();
    await c.run(local);
    const count = async (t: string) => Number((await c.runAndReadAll(`SELECT count(*) FROM ${t}`)).getRows()[0]![0]);
    expect(await count('results')).toBe(TABLES.results);
    expect(await count('messages')).toBe(TABLES.messages);
    expect(await count('runs')).toBe(7);
    c.closeSync();
  });

  it('parse byte ranges as static hosts answer them', () => {
    expect(parseByteRange(undefined, 10)).toBeNull();
    expect(parseByteRange('bytes=2-4', 10)).toEqual({ start: 2, end: 4 });
    expect(parseByteRange('bytes=8-', 10)).toEqual({ start: 8, end: 9 });
    expect(parseByteRange('bytes=-3', 10)).toEqual({ start: 7, end: 9 });
    expect(parseByteRange('bytes=5-100', 10)).toEqual({ start: 5, end: 9 });
    expect(parseByteRange('bytes=10-', 10)).toBe('unsatisfiable');
    expect(parseByteRange('bytes=0-1,4-5', 10)).toBeNull();
  });
});
