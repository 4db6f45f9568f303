// Agents index and agent pages in Chromium: figures equal the same SQL on the Node connector, links, sorting, redirect, bio XSS.
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import type { RunningServer } from '../../scripts/serve.ts';
import { agentFigures, hasAgentPage, maxAgentPages } from '../../src/lib/agent-pages.ts';
import { parseConfig, type CollabConfig } from '../../src/lib/config.ts';
import { runQuery } from '../../src/lib/db/connector.ts';
import { formatCell } from '../../src/lib/db/format.ts';
import { createNodeConnector, type NodeConnector } from '../../src/lib/db/node.ts';
import {
  agentActivity,
  agentCreditedBy,
  agentCredits,
  agentRepliedBy,
  agentRepliesTo,
  agentResults,
  agentSummaries,
  type AgentActivityRow,
  type AgentCreditRow,
  type AgentLinkRow,
  type AgentResultRow,
  type AgentSummaryRow,
} from '../../src/lib/queries/agents.sql.ts';
import { inlineParams } from '../../src/lib/sql-text.ts';
import { launchBrowser, serveSite } from './harness.ts';
import { sharedBrowser } from './sessions.ts';
import { E2E_AGENT_TABLE_LIMIT } from './global-setup.ts';

const OUT = resolve(import.meta.dirname, '../output/e2e');
/** The overlay's agent whose registration carries XSS payloads in its name and bio. */
const XSS_AGENT = 'xss-probe';

const cells = (page: Page, table: string): Promise<string[][]> =>
  page
    .getByRole('table', { name: table, exact: true })
    .locator('tbody tr')
    .evaluateAll((trs) => trs.map((tr) => Array.from(tr.querySelectorAll('td'), (td) => (td.textContent ?? '').trim())));

describe.each(inject('sites'))('agents pages, base $base', (site) => {
  let server: RunningServer;
  let db: NodeConnector;
  let config: CollabConfig;
  let summaries: AgentSummaryRow[];

  beforeAll(async () => {
    server = await serveSite(site);
    db = await createNodeConnector({ dataDir: join(site.outDir, 'data') });
    config = parseConfig(db.manifest?.['config'], 'manifest.json config');
    summaries = await runQuery<AgentSummaryRow>(db, agentSummaries(config));
    expect(summaries.length).toBeGreaterThan(1);
  });
  afterAll(async () => {
    db?.close();
    await server?.close();
  });

  describe('with JavaScript', () => {
    const b = sharedBrowser({ colorScheme: site.name === 'root' ? 'dark' : 'light' });

    test('an agent page shows the figures and tables the same SQL gives on the Node connector', async () => {
      const { page } = b;
      // The most active agent, and the overlay's agent (registered, with a bio).
      for (const id of [summaries[0]!.agent_id, XSS_AGENT]) {
        const res = await page.goto(`${server.url}agents/${encodeURIComponent(id)}/`);
        expect(res?.status(), id).toBe(200);
        expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(id);

        const [s] = await runQuery<AgentSummaryRow>(db, agentSummaries(config, id));
        const shown = await page.locator('ul.figures li').evaluateAll((lis) =>
          lis.map((li) => [li.getAttribute('data-figure'), li.querySelector('[data-value]')?.textContent?.trim(), li.querySelector('.label')?.textContent?.trim()]),
        );
        expect(shown, id).toEqual(agentFigures(s!, config).map((f) => [f.key, f.value, f.label]));

        const results = await runQuery<AgentResultRow>(db, agentResults(id));
        if (results.length) {
          expect((await cells(page, `Results of ${id}`)).map((r) => [r[1], r[3], r[5]]), id).toEqual(
            results.map((r) => [formatCell(r.score), r.state, r.filename]),
          );
        }
        const links: [string, AgentLinkRow[]][] = [
          ['Who they reply to', await runQuery<AgentLinkRow>(db, agentRepliesTo(id))],
          ['Who replies to them', await runQuery<AgentLinkRow>(db, agentRepliedBy(id))],
        ];
        for (const [table, rows] of links) {
          if (rows.length === 0) continue;
          expect(await cells(page, table), `${id} ${table}`).toEqual(rows.map((r) => [r.other, formatCell(r.refs), formatCell(r.mentions), formatCell(r.total)]));
        }
        const credits: [string, AgentCreditRow[]][] = [
          ['Who they credit', await runQuery<AgentCreditRow>(db, agentCredits(id))],
          ['Who credits them', await runQuery<AgentCreditRow>(db, agentCreditedBy(id))],
        ];
        for (const [table, rows] of credits) {
          if (rows.length === 0) continue;
          expect(await cells(page, table), `${id} ${table}`).toEqual(rows.map((r) => [r.other, formatCell(r.results), r.last_result]));
        }
        // One bar segment per day and series with posts.
        const activity = await runQuery<AgentActivityRow>(db, agentActivity(id));
        const segments = activity.reduce((n, r) => n + (r.messages > 0 ? 1 : 0) + (r.results > 0 ? 1 : 0), 0);
        expect(await page.locator('figure.chart svg:visible g[aria-label="rect"] rect').count(), id).toBe(segments);
        // Every figure links to its SQL in the console, parameters inlined.
        const sqlLinks = await page.getByRole('link', { name: 'View the SQL' }).evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));
        expect(sqlLinks.length).toBeGreaterThanOrEqual(8);
        expect(sqlLinks).toContain(`${site.base}sql/?sql=${encodeURIComponent(inlineParams(agentSummaries(config, id)))}`);
        if (id === summaries[0]!.agent_id) await page.screenshot({ path: join(OUT, `agent-${site.name}.png`), fullPage: true });
      }
      expect(b.errors).toEqual([]);
      expect(b.offOrigin(server.origin)).toEqual([]);
    });

    test('the bio and name of the payload agent run nothing', async () => {
      const { page } = b;
      await page.goto(`${server.url}agents/${XSS_AGENT}/`);
      await page.waitForTimeout(500);
      const probe = await page.evaluate(() => ({
        xss: (window as unknown as { __xss?: unknown }).__xss,
        dangerous: document.querySelectorAll('main :is(script, iframe, object, embed, img, style, link, meta)').length,
        handlers: [...document.querySelectorAll('main *')].flatMap((el) => [...el.attributes].filter((a) => /^on/i.test(a.name)).map((a) => a.name)),
        bioLinks: [...document.querySelectorAll<HTMLAnchorElement>('.md.bio a')].map((a) => [a.getAttribute('href'), a.rel]),
      }));
      expect(probe.xss).toBeUndefined();
      expect(probe.dangerous).toBe(0);
      expect(probe.handlers).toEqual([]);
      for (const [href, rel] of probe.bioLinks) {
        expect(href ?? '').not.toMatch(/^\s*javascript:/i);
        expect(rel).toBe('nofollow noopener noreferrer');
      }
      expect(await page.locator('.md.bio').textContent()).toContain('<script>');
      expect(b.errors).toEqual([]);
    });

    test('the index lists the most active agents, lists all on request, links each to its page and sorts by a column', async () => {
      const { page } = b;
      await page.goto(`${server.url}agents/`);
      const rows = page.getByRole('table', { name: 'Agents' }).locator('tbody tr');
      expect(summaries.length).toBeGreaterThan(E2E_AGENT_TABLE_LIMIT);
      expect(await rows.count()).toBe(E2E_AGENT_TABLE_LIMIT);
      const listedIds = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-agent')));
      expect(listedIds).toEqual(summaries.slice(0, E2E_AGENT_TABLE_LIMIT).map((s) => s.agent_id));
      const before = b.requests.length;
      await page.getByRole('button', { name: `List all ${formatCell(summaries.length)}` }).click();
      await expect.poll(() => rows.count(), { timeout: 30_000 }).toBe(summaries.length);
      // The list is one small table made at build time, not an aggregate over messages, results and runs.
      const tables = b.requests.slice(before).flatMap((u) => /\/data\/([a-z_]+)\.[^/]*parquet/.exec(u)?.[1] ?? []);
      expect([...new Set(tables)]).toEqual(['agent_summary']);
      expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-agent')))).toEqual(summaries.map((s) => s.agent_id));
      expect(await page.locator('[data-more]').textContent()).toContain(`All ${formatCell(summaries.length)} handles listed`);
      const first = summaries[0]!;
      const max = maxAgentPages();
      expect(hasAgentPage(first, max)).toBe(true);
      expect(await rows.first().getByRole('link').first().getAttribute('href')).toBe(`${site.base}agents/${encodeURIComponent(first.agent_id)}/`);
      // Sort by messages: most first.
      await page.getByRole('button', { name: /^messages/ }).click();
      const byMessages = [...summaries].sort((a, b2) => b2.messages - a.messages || a.agent_id.localeCompare(b2.agent_id));
      const shownIds = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-agent')));
      expect(shownIds.map((id) => summaries.find((s) => s.agent_id === id)!.messages)).toEqual(byMessages.map((s) => s.messages));
      expect(await page.getByRole('columnheader', { name: /^messages/ }).getAttribute('aria-sort')).toBe('descending');
      await page.getByRole('button', { name: /^messages/ }).click();
      expect(await page.getByRole('columnheader', { name: /^messages/ }).getAttribute('aria-sort')).toBe('ascending');
      await page.getByRole('button', { name: /^agent/ }).click();
      const ids = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-agent') ?? ''));
      expect(ids).toEqual([...ids].sort((a, c) => a.localeCompare(c)));
      expect(b.errors).toEqual([]);
    });

    test('agents/?agent=<id> redirects to the agent page', async () => {
      const { page } = b;
      const id = summaries[1]!.agent_id;
      await page.goto(`${server.url}agents/?agent=${encodeURIComponent(id)}`);
      await page.waitForURL(`${server.url}agents/${encodeURIComponent(id)}/`);
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(id);
      expect(b.offOrigin(server.origin)).toEqual([]);
    });
  });

  test('agent pages are static: figures are there with JavaScript off', async () => {
    const b = await launchBrowser({ javaScriptEnabled: false });
    try {
      const s = summaries[0]!;
      await b.page.goto(`${server.url}agents/${encodeURIComponent(s.agent_id)}/`);
      expect(await b.page.locator('[data-figure="messages"] [data-value]').textContent()).toBe(formatCell(s.messages));
      expect(await b.page.locator('figure.chart svg[aria-label^="Activity of"]:visible').count()).toBe(1);
      expect(b.offOrigin(server.origin)).toEqual([]);
    } finally {
      await b.close();
    }
  });
});
