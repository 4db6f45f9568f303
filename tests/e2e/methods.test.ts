// The methods page end to end: every published table with its row count and a working Parquet download; every reject
// (the hostile corpus' with their steps and reasons); the sample banner.
import { lstatSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { writeHostileCorpus } from '../fixtures/hostile-corpus.ts';
import type { RunningServer } from '../../scripts/serve.ts';
import type { Manifest } from '../../scripts/build-data.ts';
import { formatCell } from '../../src/lib/db/format.ts';
import { tableFiles } from '../../src/lib/db/connector.ts';
import { browserQuery, launchBrowser, serveSite, type BrowserSession } from './harness.ts';
import { siteManifest } from './site-build.ts';

const data = inject('e2eData');

describe.each(inject('sites'))('methods page, base $base', (site) => {
  let server: RunningServer;
  let manifest: Manifest;
  let b: BrowserSession;

  beforeAll(async () => {
    server = await serveSite(site);
    manifest = siteManifest(site);
    b = await launchBrowser();
    const res = await b.page.goto(`${server.url}methods/`);
    expect(res?.status()).toBe(200);
  });
  afterAll(async () => {
    await b?.close();
    await server?.close();
  });

  test('lists every table in the manifest with its row count and a download that is Parquet', async () => {
    const rows = await b.page.locator('section[aria-labelledby="tables"] table[aria-label="Published tables"] tbody tr').evaluateAll((trs) =>
      trs.map((tr) => {
        const td = Array.from(tr.querySelectorAll('td'));
        const links = Array.from(td[3]?.querySelectorAll('a') ?? []);
        return { name: td[0]?.textContent?.trim() ?? '', rows: td[1]?.textContent?.trim() ?? '', links: links.map((a) => ({ href: a.getAttribute('href') ?? '', url: a.href })) };
      }),
    );
    const listed = new Map(rows.map((r) => [r.name, r]));
    const tables = Object.entries(manifest.tables);
    expect(tables.length).toBeGreaterThan(5);
    // Every published table is listed, and every table with a download is a published one.
    expect(new Set(rows.filter((r) => r.links.length > 0).map((r) => r.name))).toEqual(new Set(tables.map(([n]) => n)));
    for (const [name, t] of tables) {
      const row = listed.get(name);
      expect(row, name).toBeDefined();
      expect(row!.rows, name).toBe(formatCell(t.rows));
      // One link per file the table is read from: its file, or each of its parts.
      const files = tableFiles(manifest, name);
      expect(row!.links.map((l) => l.href), name).toEqual(files.map((f) => `${site.base}data/${f.file}`));
      for (const [i, link] of row!.links.entries()) {
        // Downloaded the way the reader's browser would: the link's URL, same origin.
        const got = await b.page.evaluate(async (url) => {
          const res = await fetch(url);
          const bytes = new Uint8Array(await res.arrayBuffer());
          const text = (a: Uint8Array) => String.fromCharCode(...a);
          return { status: res.status, size: bytes.length, head: text(bytes.slice(0, 4)), tail: text(bytes.slice(-4)) };
        }, link.url);
        expect(got, name).toEqual({ status: 200, size: files[i]!.bytes, head: 'PAR1', tail: 'PAR1' });
      }
    }
  });

  test('lists every reject, each hostile case with the step and reason the corpus expects', async () => {
    const rows = await b.page.getByRole('table', { name: 'Rejected inputs' }).locator('tbody tr').evaluateAll((trs) =>
      trs.map((tr) => Array.from(tr.querySelectorAll('td')).map((td) => td.textContent ?? '')),
    );
    expect(rows.length).toBe(Math.min(manifest.rejects, 500));
    // The corpus is rewritten (not read back from the site) to know what each case must give.
    const cases = writeHostileCorpus(mkdtempSync(join(tmpdir(), 'atlas-hostile-e2e-')));
    const missing: string[] = [];
    for (const c of cases) {
      if (!('reject' in c.expect)) continue;
      // A socket or device the site's own build could not make (a long checkout path, no root) is not in its export.
      if (c.optional && !lstatSync(join(data.dir, c.path), { throwIfNoEntry: false })) continue;
      const { reject, step } = c.expect;
      const mine = rows.filter(([file]) => file === c.path || file?.startsWith(`${c.path}#`));
      if (!mine.some(([, , s, reason, detail]) => s === step && reject.test(`${reason} ${detail}`))) missing.push(`${c.path}: ${step} ${reject}`);
    }
    expect(missing).toEqual([]);
    // Markup in file names and details is shown as text.
    expect(rows.some(([file]) => file?.includes('<img src=x onerror='))).toBe(true);
    expect(await b.page.evaluate(() => (window as unknown as Record<string, unknown>)['__hostile'])).toBeUndefined();
  });

  test('shows the SQL a table is made by at build time, linked to the console; run in the page it gives the table', async () => {
    const block = b.page.locator('#t-agent_summary [data-sql-derived="agent_summary"]');
    const sql = (await block.locator('pre.sql code').textContent()) ?? '';
    expect(sql).toContain('FROM messages');
    expect(sql).toContain('row_number() OVER (ORDER BY activity DESC, agent_id) AS activity_rank');
    const href = (await block.locator('a', { hasText: 'run it in the console' }).getAttribute('href')) ?? '';
    expect(href.startsWith(`${site.base}sql/?sql=`)).toBe(true);
    expect(decodeURIComponent(href.slice(href.indexOf('?sql=') + 5))).toBe(sql);
    // The SQL over the published tables in this page's DuckDB-WASM gives the published table, row for row.
    const live = await browserQuery(b.page, `SELECT * FROM (${sql}) ORDER BY activity_rank`);
    const stored = await browserQuery(b.page, 'SELECT * FROM agent_summary ORDER BY activity_rank');
    expect(live.length).toBe(manifest.tables['agent_summary']!.rows);
    expect(live).toEqual(stored);
  });

  test('says when the data is the synthetic sample', async () => {
    const banner = b.page.getByRole('note');
    if (data.kind === 'sample') {
      // The e2e sites are built from scripts/make-sample.ts, whose export says it is synthetic.
      expect(manifest.config.synthetic).toBe(true);
      expect(await banner.textContent()).toContain('Synthetic data');
      expect(await b.page.locator('.callout').textContent()).toContain('synthetic sample collaboration');
    } else {
      // Fallback (no generator yet): real runs and leaderboards, so no banner.
      expect(await banner.count()).toBe(manifest.config.synthetic ? 1 : 0);
    }
    expect(b.offOrigin(server.origin)).toEqual([]);
    expect(b.errors).toEqual([]);
  });
});
