// The lineage page end to end: the build-time spine is the default view (it fits the page, labels the honest frontier,
// keeps to its edge budget), the full graph is one click away, filters go through the URL, edges open their evidence.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import type { RunningServer } from '../../scripts/serve.ts';
import { runQuery } from '../../src/lib/db/connector.ts';
import { LINEAGE_RULES } from '../../src/lib/lineage/rules.ts';
import { SPINE_EDGE_BUDGET } from '../../src/lib/lineage/spine.ts';
import { FOCUS_DEPTH, GRAPH_CAP, READABLE } from '../../src/lib/lineage/view.ts';
import { scoreText } from '../../src/lib/format.ts';
import {
  lineageEdges,
  lineageNeighbourhood,
  lineageNodes,
  techniqueAdopters,
  techniquesList,
  type LineageFilters,
} from '../../src/lib/queries/lineage.sql.ts';
import { lineageFrontierView } from '../../src/lib/queries/lineage-page.sql.ts';
import { nodeSide, type NodeSide } from './expected.ts';
import { expectedSteps, tokenUses } from './lineage-expected.ts';
import { serveSite } from './harness.ts';
import { checkedBrowser, sharedBrowser } from './sessions.ts';
import { siteFacetLimit } from './facets.ts';

const OUT = resolve(import.meta.dirname, '../output/e2e');
const NODES = '[data-graph] .lineage-graph .nodes > .n';
/** First-paint budget (issue 21): the page's HTML up to the end of the spine, the first chart. */
const FIRST_PAINT_BYTES = 100_000;

/** Wait until <atlas-lineage> has drawn the view for the current URL (or failed). */
async function settled(page: Page): Promise<void> {
  await page.waitForFunction(
    () => {
      const el = document.querySelector<HTMLElement>('atlas-lineage');
      return el?.dataset['state'] === 'ready' || el?.dataset['state'] === 'error';
    },
    null,
    { timeout: 90_000 },
  );
  const el = page.locator('atlas-lineage');
  expect(await el.getAttribute('data-state'), (await el.locator('[data-count]').textContent()) ?? '').toBe('ready');
}

const drawnNodes = (page: Page): Promise<string[]> => page.locator(NODES).evaluateAll((ns) => ns.map((n) => n.getAttribute('data-f') ?? ''));
const drawnEdges = (page: Page): Promise<string[]> =>
  page.locator('[data-graph] .lineage-graph path.e').evaluateAll((es) => {
    const names = [...document.querySelectorAll('[data-graph] .lineage-graph .nodes > .n')].map((n) => n.getAttribute('data-f'));
    return es.map((e) => `${names[Number(e.getAttribute('data-p'))]} > ${names[Number(e.getAttribute('data-c'))]}`);
  });

describe.each(inject('sites'))('lineage page, base $base', (site) => {
  let server: RunningServer;
  let node: NodeSide;
  const q = <T>(spec: Parameters<typeof runQuery>[1]) => runQuery<T>(node.db, spec);
  /** What the graph should draw for filters `f` in the default mode: every match up to READABLE, else the frontier view in SQL. */
  const expectedView = async (f: LineageFilters): Promise<{ nodes: string[]; edges: string[] }> => {
    const matched = await q<{ filename: string }>(lineageNodes(f));
    const names = matched.length <= READABLE ? matched.map((r) => r.filename) : (await q<{ filename: string }>(lineageFrontierView(node.config, f))).map((r) => r.filename);
    expect(names.length).toBeLessThanOrEqual(GRAPH_CAP);
    const set = new Set(names);
    const edges = (await q<{ parent: string; child: string }>(lineageEdges(f))).filter((e) => set.has(e.parent) && set.has(e.child));
    return { nodes: names.sort(), edges: edges.map((e) => `${e.parent} > ${e.child}`).sort() };
  };
  let all: { filename: string; is_frontier: boolean | null; verification: string | null; status: string | null }[];

  beforeAll(async () => {
    server = await serveSite(site);
    node = await nodeSide(site);
    all = await q(lineageNodes({}));
    expect(all.length).toBeGreaterThan(0);
  });
  afterAll(async () => {
    node?.db.close();
    await server?.close();
  });

  test('the build-time spine is the default view: the honest frontier, labelled, gains classed, within the edge budget', async () => {
    await checkedBrowser({ javaScriptEnabled: false }, server.origin, async (b) => {
      const { page } = b;
      const res = await page.goto(`${server.url}lineage/`);
      expect(res?.status()).toBe(200);
      const steps = await expectedSteps(node);
      expect(steps.length).toBeGreaterThan(1);
      const rows = page.locator('[data-spine-wrap] .spine-row.fr');
      expect(await rows.evaluateAll((rs) => rs.map((r) => r.getAttribute('data-f')))).toEqual(steps.map((s) => s.filename));
      // Each step is labelled with its value and agent, and its gain class is the tie threshold's.
      const labels = await rows.evaluateAll((rs) => rs.map((r) => [r.querySelector('.l1')?.textContent ?? '', /g-(\w+)/.exec(r.className)?.[1] ?? '']));
      steps.forEach((s, i) => {
        expect(labels[i]![0]).toContain(scoreText(s.score));
        if (s.agent) expect(labels[i]![0]).toContain(s.agent);
        expect(labels[i]![1], s.filename).toBe(s.cls);
      });
      // Side lines: at most the budget, each an edge of lineage_edges into a frontier step.
      const lines = await page.locator('[data-spine-wrap] .spine-body .spine-line').evaluateAll((ls) => ls.map((l) => [l.getAttribute('data-p') ?? '', l.getAttribute('data-c') ?? '']));
      expect(lines.length).toBeLessThanOrEqual(SPINE_EDGE_BUDGET);
      const edges = new Set((await q<{ parent: string; child: string }>(lineageEdges({}))).map((e) => `${e.parent} > ${e.child}`));
      const stepNames = new Set(steps.map((s) => s.filename));
      for (const [p, c] of lines) {
        expect(edges.has(`${p} > ${c}`), `${p} > ${c}`).toBe(true);
        expect(stepNames.has(c ?? '')).toBe(true);
      }
      expect(await page.locator('[data-spine-wrap] .spine').getAttribute('data-edges')).toBe(String(lines.length));
      // The full graph is not drawn at build time; one link away.
      expect(await page.locator('[data-graph-wrap]').isHidden()).toBe(true);
      expect(await page.locator('a[data-set-view="graph"]').getAttribute('href')).toBe(`${site.base}lineage/?view=graph`);

      // Techniques: only tokens that recur, none a bare number; the rest are listed with a reason.
      const uses = await tokenUses(node);
      const ranked = await page.locator('table[aria-label="Techniques"] tbody tr').evaluateAll((trs) => trs.map((t) => t.getAttribute('data-token') ?? ''));
      const stopped = (await page.locator('.stop-list dd').allTextContents()).flatMap((t) => t.split(' ').filter(Boolean));
      expect([...ranked, ...stopped].sort()).toEqual([...uses.keys()].sort());
      for (const t of ranked) {
        const u = uses.get(t)!;
        expect(u.results > 1 || u.baseline, t).toBe(true);
        expect(/^\d+(?:\.\d+)?[kmgbx]?$/.test(t), t).toBe(false);
      }
      for (const [t, u] of uses) if (u.results === 1 && !u.baseline) expect(ranked, t).not.toContain(t);
      expect(await page.locator('dl.rules dt').count()).toBe(LINEAGE_RULES.length);
      expect(await page.locator('figure.pareto svg').count()).toBe(node.config.secondary_field ? 1 : 0);

      // First paint: the HTML up to the end of the spine stays under budget; no inline styles (CSP).
      const html = readFileSync(join(site.outDir, 'lineage/index.html'), 'utf8');
      const spineEnd = html.indexOf('</ol>', html.indexOf('class="spine-rows"')) + 5;
      expect(spineEnd).toBeGreaterThan(5);
      console.log(`lineage first paint (${site.name}): ${Buffer.byteLength(html.slice(0, spineEnd))} bytes to the end of the spine, ${Buffer.byteLength(html)} in all`);
      expect(Buffer.byteLength(html.slice(0, spineEnd))).toBeLessThan(FIRST_PAINT_BYTES);
      expect(html).not.toMatch(/<style|\sstyle="/);
    });
  });

  for (const [width, scheme] of [[360, 'dark'], [1440, 'light']] as const) {
    test(`the spine fits the page at ${width} px (${scheme}): no sideways scroll, text at least 11 px`, async () => {
      await checkedBrowser({ viewport: { width, height: 800 }, colorScheme: scheme }, server.origin, async (b) => {
        await b.page.goto(`${server.url}lineage/`);
        await b.page.locator('[data-spine-wrap] .spine-row').first().waitFor();
        const m = await b.page.evaluate(() => {
          const body = document.querySelector('[data-spine-wrap] .spine-body')!;
          const sizes = [...document.querySelectorAll('[data-spine-wrap] .spine-row span')].map((e) => Number.parseFloat(getComputedStyle(e).fontSize));
          return { page: document.documentElement.scrollWidth, view: window.innerWidth, body: body.scrollWidth, bodyBox: body.clientWidth, right: body.getBoundingClientRect().right, minFont: Math.min(...sizes) };
        });
        expect(m.page).toBeLessThanOrEqual(m.view);
        expect(m.body).toBeLessThanOrEqual(m.bodyBox);
        expect(m.right).toBeLessThanOrEqual(m.view);
        expect(m.minFont).toBeGreaterThanOrEqual(11);
        await b.page.locator('[data-spine-wrap]').screenshot({ path: join(OUT, `lineage-${site.name}-spine-${width}.png`) });
      });
    });
  }

  describe('with JavaScript', () => {
    const b = sharedBrowser({}, async (b) => {
      await b.page.goto(`${server.url}lineage/`);
      await settled(b.page);
    });

    test('the full graph is one click away (view=graph in the URL), and one click back to the spine', async () => {
      const { page } = b;
      await page.goto(`${server.url}lineage/`);
      await settled(page);
      expect(await page.locator('[data-graph-wrap]').isHidden()).toBe(true);
      await page.getByRole('link', { name: 'Show the full graph' }).click();
      await page.waitForURL((u) => u.searchParams.get('view') === 'graph');
      await settled(page);
      const want = await expectedView({});
      expect((await drawnNodes(page)).sort()).toEqual(want.nodes);
      expect((await drawnEdges(page)).sort()).toEqual(want.edges);
      expect(await page.locator('[data-spine-wrap]').isHidden()).toBe(true);
      expect(await page.locator('[data-node-rows] tr').count()).toBe(want.nodes.length);
      await page.getByRole('link', { name: 'Back to the spine' }).click();
      await page.waitForURL((u) => u.search === '');
      await settled(page);
      expect(await page.locator('[data-graph-wrap]').isHidden()).toBe(true);
      expect(await page.locator('[data-spine-wrap] .spine-row.fr').count()).toBe((await expectedSteps(node)).length);
    });

    test('an agent filter narrows the graph and goes into the URL; reload and back restore it', async () => {
      const { page } = b;
      const counts = new Map<string, number>();
      for (const r of await q<{ agent: string | null }>(lineageNodes({}))) if (r.agent) counts.set(r.agent, (counts.get(r.agent) ?? 0) + 1);
      // The agent with the most results that still fits a readable picture whole.
      const agent = [...counts].filter(([, n]) => n <= READABLE).sort((a, c) => c[1] - a[1] || a[0].localeCompare(c[0]))[0]![0];
      const want = await expectedView({ agent });
      const before = await drawnNodes(page);
      // The field suggests the most active agents, up to the site's menu limit; any handle can be typed.
      const suggested = await page.locator('datalist#lineage-agents option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
      // lineageAgentFacets' order: most results first, then the handle (byte order, as DuckDB sorts).
      const ranked = [...counts].sort((a, c) => c[1] - a[1] || (a[0] < c[0] ? -1 : a[0] > c[0] ? 1 : 0)).map(([a]) => a);
      expect(suggested).toEqual(ranked.slice(0, siteFacetLimit(site)));
      const box = page.locator('input[name="agent"]');
      await box.fill(agent);
      await box.press('Enter');
      await page.waitForURL((u) => u.searchParams.get('agent') === agent);
      await settled(page);
      expect(new URL(page.url()).pathname).toBe(`${site.base}lineage/`);
      expect((await drawnNodes(page)).sort()).toEqual(want.nodes);
      expect((await drawnEdges(page)).sort()).toEqual(want.edges);
      expect(want.nodes).not.toEqual(before.sort());
      expect(await page.locator('[data-node-rows] tr').count()).toBe(want.nodes.length);

      await page.reload();
      await settled(page);
      expect(await box.inputValue()).toBe(agent);
      expect((await drawnNodes(page)).sort()).toEqual(want.nodes);
      await page.screenshot({ path: join(OUT, `lineage-${site.name}-agent.png`) });

      await page.goBack();
      await page.waitForURL((u) => u.search === '');
      await page.waitForFunction(() => (document.querySelector('atlas-lineage') as unknown as { state: { agent: string | null } }).state.agent === null);
      await settled(page);
      expect(await box.inputValue()).toBe('');
      // Without a filter the page is back on the spine.
      expect(await page.locator('[data-spine-wrap]').isVisible()).toBe(true);
      expect(await page.locator('[data-graph-wrap]').isHidden()).toBe(true);
    });

    test('clicking an edge opens its rule, confidence and evidence as in lineage_edges', async () => {
      const { page } = b;
      await page.goto(`${server.url}lineage/?view=graph`);
      await settled(page);
      // A point on an edge where the edge itself (not a node) is what the mouse hits.
      const spot = await page.evaluate(() => {
        const svg = document.querySelector<SVGSVGElement>('[data-graph] .lineage-graph')!;
        for (const hit of svg.querySelectorAll<SVGPathElement>('.hits .hit')) {
          const len = hit.getTotalLength();
          if (len < 40) continue;
          const p = hit.getPointAtLength(len / 2);
          hit.scrollIntoView({ block: 'center', inline: 'center' });
          const m = hit.getScreenCTM()!;
          const r = new DOMPoint(p.x, p.y).matrixTransform(m);
          const at = document.elementFromPoint(r.x, r.y);
          if (at?.classList.contains('hit')) return { x: r.x, y: r.y, p: at.getAttribute('data-p'), c: at.getAttribute('data-c') };
        }
        return null;
      });
      expect(spot).not.toBeNull();
      const names = await drawnNodes(page);
      const parent = names[Number(spot!.p)]!;
      const child = names[Number(spot!.c)]!;
      await page.mouse.click(spot!.x, spot!.y);
      await page.waitForFunction(() => ['edge', 'error'].includes(document.querySelector<HTMLElement>('atlas-lineage')?.dataset['panelState'] ?? ''), null, { timeout: 90_000 });
      const panel = page.locator('aside[data-panel]');
      expect(await panel.getAttribute('data-edge')).toBe(`${parent}\n${child}`);
      const [edge] = await q<{ rule: string; confidence: number; evidence: string | null; evidence_file: string | null }>({
        tables: ['lineage_edges'],
        sql: 'SELECT rule, confidence, evidence, evidence_file FROM lineage_edges WHERE parent = ? AND child = ?',
        params: [parent, child],
      });
      expect(edge).toBeDefined();
      expect(await panel.locator('[data-field="rule"]').textContent()).toBe(edge!.rule);
      expect(await panel.locator('[data-field="confidence"]').textContent()).toBe(edge!.confidence.toFixed(2));
      expect(await panel.locator('[data-field="evidence_file"]').textContent()).toBe(edge!.evidence_file ?? '–');
      // The snippet is text: exactly the stored string, no elements made from it.
      const quote = panel.locator('[data-field="evidence"]');
      expect(await quote.textContent()).toBe(edge!.evidence ?? '');
      expect(await quote.evaluate((el) => el.childElementCount)).toBe(0);
      expect(await page.locator(`[data-graph] path.e.sel[data-p="${spot!.p}"][data-c="${spot!.c}"]`).count()).toBe(1);
      await page.screenshot({ path: join(OUT, `lineage-${site.name}-edge.png`) });
    });

    test('keyboard: arrows move along the nodes and Enter opens a result with board and agent links', async () => {
      const { page } = b;
      await page.goto(`${server.url}lineage/?view=graph`);
      await settled(page);
      const names = await drawnNodes(page);
      await page.locator(`${NODES}[tabindex="0"]`).focus();
      await page.keyboard.press('Home');
      await page.keyboard.press('ArrowRight');
      expect(await page.evaluate(() => document.activeElement?.getAttribute('data-f'))).toBe(names[1]);
      expect(await page.locator(`${NODES}[tabindex="0"]`).getAttribute('data-f')).toBe(names[1]);
      await page.keyboard.press('Enter');
      await page.waitForFunction(() => ['node', 'error'].includes(document.querySelector<HTMLElement>('atlas-lineage')?.dataset['panelState'] ?? ''), null, { timeout: 90_000 });
      const panel = page.locator('aside[data-panel]');
      expect(await panel.locator('[data-field="filename"]').textContent()).toBe(names[1]);
      expect(await panel.locator('a', { hasText: 'On the board' }).getAttribute('href')).toBe(`${site.base}board/?focus=${encodeURIComponent(names[1]!)}`);
      const [row] = await q<{ agent: string | null }>({ tables: ['lineage_nodes'], sql: 'SELECT agent FROM lineage_nodes WHERE filename = ?', params: [names[1]!] });
      if (row?.agent) expect(await panel.locator('a', { hasText: 'Agent page' }).getAttribute('href')).toBe(`${site.base}agents/${encodeURIComponent(row.agent)}/`);
      expect(await panel.getByRole('heading', { name: /^Runs \(\d+\)$/ }).count()).toBe(1);

      // The table twin: its "details" buttons open the same panel, and focus moves to the panel's heading.
      await page.locator('details.node-table summary').click();
      const tr = page.locator('[data-node-rows] tr').nth(2);
      const file = await tr.locator('td a').first().textContent();
      expect(await tr.locator('td a').first().getAttribute('href')).toBe(`${site.base}board/?focus=${encodeURIComponent(file!)}`);
      await tr.getByRole('button', { name: 'details' }).focus();
      await page.keyboard.press('Enter');
      await page.waitForFunction((f) => document.querySelector('aside[data-panel] [data-field="filename"]')?.textContent === f, file, { timeout: 90_000 });
      expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('H3');
    });

    test('"Show its lineage" widens the view to a result neighbourhood (lineageNeighbourhood), kept in the URL', async () => {
      const { page } = b;
      await page.goto(`${server.url}lineage/?view=graph`);
      await settled(page);
      // A frontier result with children outside the frontier view: its neighbourhood adds them.
      const names = await drawnNodes(page);
      let focus: string | null = null;
      let hood: string[] = [];
      for (const f of names) {
        hood = (await q<{ filename: string }>(lineageNeighbourhood(f, FOCUS_DEPTH, 0))).map((r) => r.filename).sort();
        if (hood.some((x) => !names.includes(x))) {
          focus = f;
          break;
        }
      }
      expect(focus).not.toBeNull();
      await page.locator(`${NODES}[data-f="${focus}"]`).dispatchEvent('click');
      await page.waitForFunction(() => document.querySelector<HTMLElement>('atlas-lineage')?.dataset['panelState'] === 'node', null, { timeout: 90_000 });
      await page.getByRole('button', { name: 'Show its lineage' }).click();
      await page.waitForURL((u) => u.searchParams.get('focus') === focus);
      await settled(page);
      expect((await drawnNodes(page)).sort()).toEqual(hood);
      expect(await page.locator('[data-focus]').textContent()).toContain(focus!);
      await page.reload();
      await settled(page);
      expect((await drawnNodes(page)).sort()).toEqual(hood);
      await page.getByRole('button', { name: 'back to the whole graph' }).click();
      await page.waitForURL((u) => !u.searchParams.has('focus') && u.searchParams.get('view') === 'graph');
      await settled(page);
      expect((await drawnNodes(page)).sort()).toEqual(names.sort());
    });

    test('a technique filter answers "who already tried this" from techniqueAdopters', async () => {
      const { page } = b;
      // The most adopted technique (the menu lists techniques only, not the stop-listed tokens).
      const top = (await q<{ token: string; stop_reason: string | null }>(techniquesList({}))).find((t) => t.stop_reason === null);
      const token = top!.token;
      const adopters = await q<{ agent: string; dead_ends: number }>(techniqueAdopters(node.config, token));
      await page.locator('select[name="technique"]').selectOption(token);
      await page.waitForURL((u) => u.searchParams.get('technique') === token);
      await settled(page);
      expect((await drawnNodes(page)).sort()).toEqual((await expectedView({ technique: token })).nodes);
      const box = page.locator('[data-adopters]');
      await box.locator('tbody tr').first().waitFor({ timeout: 60_000 });
      expect(await box.getByRole('heading').textContent()).toBe(`Who already tried ${token}`);
      const agents = await box.locator('tbody tr td:first-child a').allTextContents();
      expect(agents).toEqual(adopters.map((a) => a.agent));
      expect(await box.locator('tbody tr td:last-child').allTextContents()).toEqual(adopters.map((a) => String(a.dead_ends)));
      expect(b.offOrigin(server.origin)).toEqual([]);
      expect(b.errors).toEqual([]);
    });
  });
});
