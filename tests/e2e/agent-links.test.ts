// Agent links when not every agent has a static page (beyond ATLAS_MAX_AGENT_PAGES, as at scale 100 where 8,000
// handles share a 3,000-page cap): a site built with a small cap over the e2e sample, each page's agent links
// collected after the browser has drawn, and each checked against the pages the build really wrote.
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { RunningServer } from '../../scripts/serve.ts';
import { hasAgentPage } from '../../src/lib/agent-pages.ts';
import { parseConfig } from '../../src/lib/config.ts';
import { runQuery } from '../../src/lib/db/connector.ts';
import { createNodeConnector } from '../../src/lib/db/node.ts';
import { agentSummaries, type AgentSummaryRow } from '../../src/lib/queries/agents.sql.ts';
import { serveSite, type Site } from './harness.ts';
import { sharedBrowser } from './sessions.ts';
import { ROOT, astroBuild, newest } from './site-build.ts';

const WORK = resolve(ROOT, 'node_modules/.cache/atlas-e2e');
/** Well below the sample's ~110 handles, so most agents have no page. */
const CAP = 25;
const site: Site = { name: 'capped', base: '/capped/', outDir: join(WORK, 'dist-capped'), env: { ATLAS_MAX_AGENT_PAGES: String(CAP) } };
/** Pages with agent links, some with a state that makes the browser redraw the list. */
const PAGES = ['', 'leaderboard/', 'leaderboard/?best=1', 'relays/', 'relays/?kind=all', 'noise/', 'lineage/', 'board/'];

/** One extra astro build over the global setup's data, only when it or the site changed since the last. */
function buildCappedSite(): void {
  const publicDir = join(WORK, 'public');
  const stamp = join(site.outDir, '.built');
  const inputs = [join(publicDir, '.built.json'), ...['src', 'astro.config.mjs', 'package-lock.json', 'tests/e2e/agent-links.test.ts'].map((p) => resolve(ROOT, p))];
  const built = existsSync(stamp) ? Date.parse(readFileSync(stamp, 'utf8').trim()) : 0;
  if (process.env['ATLAS_E2E_REBUILD'] !== '1' && built >= newest(inputs)) return;
  const started = new Date().toISOString();
  const staged = `${site.outDir}.new`;
  astroBuild({ ...site, outDir: staged }, publicDir);
  writeFileSync(join(staged, '.built'), `${started}\n`);
  rmSync(site.outDir, { recursive: true, force: true });
  renameSync(staged, site.outDir);
}

describe('agent links with a page cap', () => {
  let server: RunningServer;
  let paged: Set<string>;
  let all: AgentSummaryRow[];

  beforeAll(async () => {
    buildCappedSite();
    server = await serveSite(site);
    const db = await createNodeConnector({ dataDir: join(site.outDir, 'data') });
    all = await runQuery<AgentSummaryRow>(db, agentSummaries(parseConfig(db.manifest?.['config'], 'manifest.json config')));
    db.close();
    paged = new Set(all.filter((r) => hasAgentPage(r, CAP)).map((r) => r.agent_id));
  });
  afterAll(async () => {
    await server?.close();
  });

  test('the build wrote a page for exactly the agents within the cap', () => {
    expect(paged.size).toBe(CAP);
    expect(all.length).toBeGreaterThan(CAP * 2);
    for (const a of all) expect(existsSync(join(site.outDir, 'agents', a.agent_id, 'index.html')), a.agent_id).toBe(paged.has(a.agent_id));
    expect(JSON.parse(readFileSync(join(site.outDir, 'agents', 'unpaged.json'), 'utf8'))).toEqual(all.filter((a) => !paged.has(a.agent_id)).map((a) => a.agent_id).sort());
  });

  const b = sharedBrowser();
  test('every agent link goes to a page that exists, or to the index panel for an agent without one', async () => {
    const seen = { page: 0, panel: 0 };
    const wrong: string[] = [];
    for (const path of PAGES) {
      await b.page.goto(`${server.url}${path}`);
      await b.page.waitForLoadState('networkidle', { timeout: 90_000 });
      await b.page.waitForTimeout(300);
      const hrefs = await b.page.locator('main a[href*="/agents/"]').evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).href));
      for (const href of new Set(hrefs)) {
        const url = new URL(href);
        const panel = url.pathname === '/capped/agents/' ? url.searchParams.get('agent') : null;
        const page = /^\/capped\/agents\/([^/]+)\/$/.exec(url.pathname)?.[1];
        if (panel !== null) {
          seen.panel++;
          if (paged.has(panel)) wrong.push(`${path}: ${panel} has a page but links to the panel`);
        } else if (page !== undefined) {
          const id = decodeURIComponent(page);
          seen.page++;
          if (!paged.has(id)) wrong.push(`${path}: ${id} has no page but links to agents/${id}/`);
        }
      }
    }
    expect(wrong).toEqual([]);
    // Both kinds of link were seen, so the check above could fail.
    expect(seen.page).toBeGreaterThan(0);
    expect(seen.panel).toBeGreaterThan(0);
    expect(b.errors).toEqual([]);
  });
});
