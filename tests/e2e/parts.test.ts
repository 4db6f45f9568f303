// A table published in parts is one table in the browser: the loader fetches every part (each URL versioned by its own
// size) and appends them in manifest order. The test sites are copied with one table split in three parts and its
// manifest entry rewritten, so the same SQL must give the same answer from the parts as from the one file.
import { cpSync, mkdtempSync, renameSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import type { RunningServer } from '../../scripts/serve.ts';
import { parseManifest } from '../../src/lib/manifest.ts';
import { tableFiles } from '../../src/lib/db/connector.ts';
import { browserQuery, launchBrowser, serveSite, type BrowserSession } from './harness.ts';
import { siteManifest } from './site-build.ts';

const TABLE = 'messages';
const PARTS = 3;
const FINGERPRINT = `SELECT count(*)::INTEGER AS n, count(DISTINCT filename)::INTEGER AS files, sum(hash(filename || coalesce(body_md, '')) % 1000003)::BIGINT AS h FROM ${TABLE}`;

describe.each(inject('sites').slice(0, 1))('a table in parts, base $base', (site) => {
  let copy: string;
  let server: RunningServer;
  let original: RunningServer;
  let b: BrowserSession;
  const requested: string[] = [];

  beforeAll(async () => {
    copy = mkdtempSync(join(tmpdir(), 'atlas-parts-'));
    cpSync(site.outDir, copy, { recursive: true });
    const data = join(copy, 'data');
    const manifest = siteManifest(site);
    // The table as the site publishes it (one file or already parts), re-split into PARTS parts of its own.
    const files = tableFiles(manifest, TABLE).map((f) => join(data, f.file));
    const whole = `[${files.map((f) => `'${f}'`).join(', ')}]`;
    // Split by row number into three parts, as the data build will write a table that grows with time.
    const db = await DuckDBInstance.create(':memory:');
    const c = await db.connect();
    const parts = [];
    const rows = manifest.tables[TABLE]!.rows;
    for (let i = 0; i < PARTS; i++) {
      const key = `split${i}`;
      const file = `${TABLE}.${key}.parquet`;
      const lo = Math.floor((rows * i) / PARTS);
      const hi = Math.floor((rows * (i + 1)) / PARTS);
      await c.run(`COPY (SELECT * FROM read_parquet(${whole}) ORDER BY ALL LIMIT ${hi - lo} OFFSET ${lo}) TO '${join(data, `${file}.new`)}' (FORMAT parquet)`);
      parts.push({ key, file, rows: hi - lo });
    }
    c.closeSync();
    for (const f of files) unlinkSync(f);
    for (const p of parts) renameSync(join(data, `${p.file}.new`), join(data, p.file));
    const listed = parts.map((p) => ({ ...p, bytes: statSync(join(data, p.file)).size }));
    const entry = { rows, bytes: listed.reduce((n, p) => n + p.bytes, 0), parts: listed };
    const next = parseManifest({ ...manifest, tables: { ...manifest.tables, [TABLE]: entry } });
    writeFileSync(join(data, 'manifest.json'), JSON.stringify(next));
    for (const ext of ['.br', '.gz']) rmSync(join(data, `manifest.json${ext}`), { force: true });
    server = await serveSite({ ...site, outDir: copy });
    original = await serveSite(site);
    b = await launchBrowser();
    b.page.on('request', (r) => requested.push(r.url()));
  });
  afterAll(async () => {
    await b?.close();
    await server?.close();
    await original?.close();
    if (copy) rmSync(copy, { recursive: true, force: true });
  });

  test('answers the same SQL as the one-file table, having fetched each part once', async () => {
    await b.page.goto(`${original.url}sql/`);
    const [want] = await browserQuery(b.page, FINGERPRINT);
    await b.page.goto(`${server.url}sql/`);
    requested.length = 0;
    const [got] = await browserQuery(b.page, FINGERPRINT);
    expect(got).toEqual(want);
    expect(want!['n']).toBe(siteManifest(site).tables[TABLE]!.rows);
    const manifest = parseManifest((await (await fetch(`${server.url}data/manifest.json`)).json()) as unknown);
    const fetchedParts = requested.filter((u) => new URL(u).pathname.includes(`/data/${TABLE}.`));
    expect(fetchedParts.map((u) => new URL(u).pathname.split('/').at(-1)).sort()).toEqual(manifest.tables[TABLE]!.parts!.map((p) => p.file).sort());
    // Each part's URL carries its own size in the version, so rewriting one part changes only that URL.
    for (const p of manifest.tables[TABLE]!.parts!) {
      const u = fetchedParts.find((x) => x.includes(`/${p.file}?`));
      expect(new URL(u!).searchParams.get('v')).toBe(`${manifest.source.input_hash.slice(0, 16)}-${p.bytes}`);
    }
  });
});
