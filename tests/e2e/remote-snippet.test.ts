// Past the browser, in the page: the SQL console and the methods page give snippets naming every published table by
// its URL on this host (base path included), and every URL answers with the table's bytes and byte ranges.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import type { RunningServer } from '../../scripts/serve.ts';
import { launchBrowser, serveSite, type BrowserSession } from './harness.ts';
import { siteManifest } from './site-build.ts';
import { tableFiles } from '../../src/lib/db/connector.ts';

describe.each(inject('sites'))('remote snippets, base $base', (site) => {
  let server: RunningServer;
  let b: BrowserSession;

  beforeAll(async () => {
    server = await serveSite(site);
    b = await launchBrowser();
  });
  afterAll(async () => {
    await b?.close();
    await server?.close();
  });

  test.each(['sql/', 'methods/'])('%s names every published table by a URL this host serves', async (path) => {
    const manifest = siteManifest(site);
    await b.page.goto(`${server.url}${path}`);
    const box = b.page.locator('[data-remote-snippet]');
    await box.locator('summary').click();
    await expect.poll(() => box.locator('[data-remote-cli]').textContent()).toContain(server.url);
    const cli = (await box.locator('[data-remote-cli]').textContent()) ?? '';
    // One view per table over its files: read_parquet('…') for one, read_parquet(['…', '…']) for a table in parts.
    const views = [...cli.matchAll(/CREATE OR REPLACE VIEW (\w+) AS SELECT \* FROM read_parquet\((\[[^\]]*\]|'[^']*')\);/g)].map((m) => ({
      name: m[1]!,
      urls: [...m[2]!.matchAll(/'([^']+)'/g)].map((u) => u[1]!),
    }));
    expect(views.map((v) => v.name).sort()).toEqual(Object.keys(manifest.tables).sort());
    const python = (await box.locator('[data-remote-python]').textContent()) ?? '';
    for (const { name, urls } of views) {
      expect(urls).toEqual(tableFiles(manifest, name).map((f) => `${server.url}data/${f.file}`));
      for (const url of urls) {
        expect(python).toContain(url);
        const res = await fetch(url, { headers: { range: 'bytes=-4' } });
        expect(res.status).toBe(206);
        expect(Buffer.from(await res.arrayBuffer()).toString('latin1')).toBe('PAR1'); // Parquet's closing magic
      }
    }
    const first = views[0]!.urls[0]!;
    const whole = Buffer.from(await (await fetch(first)).arrayBuffer());
    expect(whole).toEqual(readFileSync(join(site.outDir, 'data', new URL(first).pathname.split('/').at(-1)!)));
  });
});
