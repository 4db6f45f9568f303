// The relays page in Chromium: build-time swimlanes and roles chart, filters and an open chain in the URL (DuckDB-WASM), a step followed to the board.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import type { RunningServer } from '../../scripts/serve.ts';
import { parseConfig, type CollabConfig } from '../../src/lib/config.ts';
import { runQuery } from '../../src/lib/db/connector.ts';
import { createNodeConnector, type NodeConnector } from '../../src/lib/db/node.ts';
import { RELAY_RULES } from '../../src/lib/relays/rules.ts';
import {
  relayChainsRanked,
  relayStepsOf,
  rolesPerAgent,
  type RelayChainFilters,
  type RelayChainQueryRow,
  type RelayStepQueryRow,
  type RolesPerAgentRow,
} from '../../src/lib/queries/relays.sql.ts';
import { stagedBuilders, type StagedBuilderRow } from '../../src/lib/queries/relays-page.sql.ts';
import { inlineParams } from '../../src/lib/sql-text.ts';
import { scoreText } from '../../src/lib/format.ts';
import { TIE_SQL, tieFromRow } from '../../src/lib/ties.ts';
import { gainText } from '../../src/lib/ui/relay-format.ts';
import { RELAY_TABLE_ROWS } from '../../src/lib/views/relay-table.ts';
import { launchBrowser, serveSite, type BrowserSession } from './harness.ts';
import { chooseFacet, facetValue } from './facets.ts';

const TOP = 10;
const FIRST = 100;
const ROLE_COLOR: Record<string, string> = { build: '#3b82f6', run: '#cc79a7', fail: '#e4572e', diagnose: '#e69f00', ship: '#009e73' };

/** A relay as the test works it out from the tables: the outcome's own state, the board before it started and when posted. */
interface Expected {
  chain_id: string;
  outcome_result: string | null;
  outcome_score: number | null;
  verification: string | null;
  over_cap: boolean | null;
  status: string | null;
  best_start: number | null;
  best_posted: number | null;
}

/**
 * The honest running best, written again here in SQL over `results` (not the derivation's columns): the best
 * agent-run result that is not a baseline, not invalid and not over the cap, posted before a time; before any, the
 * best baseline that is not invalid (or the configured baseline score).
 */
function expectedSql(c: CollabConfig): string {
  const best = c.higher_is_better ? 'max' : 'min';
  const before = (t: string) => `coalesce(
    (SELECT ${best}(r.score) FROM results r WHERE r.score IS NOT NULL AND r.status = 'agent-run' AND NOT coalesce(r.is_baseline, false)
       AND coalesce(r.verification, '') <> 'invalid' AND NOT coalesce(r.over_cap, false) AND r.ts < ${t}),
    (SELECT ${best}(b) FROM (SELECT r.score AS b FROM results r WHERE r.score IS NOT NULL AND (r.status = 'baseline' OR r.is_baseline)
       AND coalesce(r.verification, '') <> 'invalid' AND r.ts < ${t} UNION ALL SELECT ${c.baseline_score ?? 'NULL'}::DOUBLE)))`;
  return `SELECT c.chain_id, c.outcome_result, c.outcome_score, o.verification, o.over_cap, o.status,
  CASE WHEN coalesce(c.start_ts, o.ts) IS NULL THEN NULL ELSE ${before('coalesce(c.start_ts, o.ts)')} END AS best_start,
  CASE WHEN o.ts IS NULL THEN NULL ELSE ${before('o.ts')} END AS best_posted
FROM relay_chains c LEFT JOIN results o ON o.filename = c.outcome_result`;
}

/** The text a title was cut from: the outcome's description, the findings' lines, the steps' evidence (flattened, markdown dropped). */
function titleSourcesSql(): string {
  return `SELECT c.chain_id, list_distinct(list_concat(
    [coalesce(o.description, '')],
    coalesce((SELECT list(e.evidence) FROM relay_evidence e WHERE e.chain_id = c.chain_id), []),
    coalesce((SELECT list(s.evidence) FROM relay_steps s WHERE s.chain_id = c.chain_id), []))) AS texts
FROM relay_chains c LEFT JOIN results o ON o.filename = c.outcome_result`;
}
const flat = (t: string) => t.replace(/\*\*|__|`/g, '').replace(/\s+/g, ' ').trim();

/** A title ends on a word boundary of its source text: the next character there is not a letter, digit or `_`, nor a hyphen inside an @handle. */
function endsOnWord(title: string, sources: readonly string[]): boolean {
  const head = title.endsWith('…') ? title.slice(0, -1) : title;
  if (head === '') return true;
  return sources.map(flat).some((src) => {
    for (let i = src.indexOf(head); i !== -1; i = src.indexOf(head, i + 1)) {
      const next = src[i + head.length] ?? ' ';
      const inHandle = /@[\w-]*$/.test(head) && next === '-';
      if (!/\w/.test(next) && !inHandle) return true;
    }
    return false;
  });
}

const listIds = (page: Page) => page.locator('atlas-relays ol[data-list] > li.relay').evaluateAll((lis) => lis.map((li) => li.getAttribute('data-chain-id')));
const tableIds = (page: Page) => page.locator('atlas-relays tbody[data-rows] > tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-chain-id')));
const basename = (p: string) => p.slice(p.lastIndexOf('/') + 1);

/** Wait until <atlas-relays> has run its queries for the current URL (or failed), and say why when it failed. */
async function settled(page: Page): Promise<void> {
  await page.waitForFunction(
    () => {
      const el = document.querySelector<HTMLElement>('atlas-relays');
      return el?.dataset['state'] === 'ready' || el?.dataset['state'] === 'error';
    },
    null,
    { timeout: 90_000 },
  );
  const el = page.locator('atlas-relays');
  expect(await el.getAttribute('data-state'), (await el.locator('[data-status]').textContent()) ?? '').toBe('ready');
}

describe.each(inject('sites'))('relays page, base $base', (site) => {
  let server: RunningServer;
  let db: NodeConnector;
  let config: CollabConfig;
  let url: string;
  const ranked = (f: RelayChainFilters) => runQuery<RelayChainQueryRow>(db, relayChainsRanked(config, f));
  const stepsOf = (id: string) => runQuery<RelayStepQueryRow>(db, relayStepsOf(id));
  const quiet = (b: BrowserSession) => {
    expect(b.errors).toEqual([]);
    expect(b.offOrigin(new URL(server.url).origin)).toEqual([]);
  };

  beforeAll(async () => {
    server = await serveSite(site);
    db = await createNodeConnector({ dataDir: join(site.outDir, 'data') });
    config = parseConfig(db.manifest?.['config'], 'manifest.json config');
    url = `${server.url}relays/`;
  });
  afterAll(async () => {
    db?.close();
    await server?.close();
  });

  test('first paint without JS: the top chains as swimlanes and the table, ranked as relayChainsRanked; roles per agent; rules', async () => {
    const all = await ranked({ kind: 'chain' });
    expect(all.length).toBeGreaterThan(0);
    const b = await launchBrowser({ javaScriptEnabled: false });
    try {
      const { page } = b;
      expect((await page.goto(url))?.status()).toBe(200);
      expect(await listIds(page)).toEqual(all.slice(0, TOP).map((c) => c.chain_id));
      expect(await tableIds(page)).toEqual(all.slice(0, FIRST).map((c) => c.chain_id));
      const head = await page.locator('atlas-relays table thead').textContent();
      expect(head).toContain(`${config.score_label} (${config.unit})`);

      // One glyph per step, in step order: colour by role, one shape per role; messages and results link to the board.
      for (const c of all.slice(0, TOP)) {
        const steps = await stepsOf(c.chain_id);
        const svg = page.locator(`li.relay[data-chain-id="${c.chain_id}"] figure.swimlane svg`);
        expect(await svg.getAttribute('aria-label')).toMatch(new RegExp(`: ${steps.length} steps across ${new Set(steps.map((s) => s.agent)).size} agents$`));
        const dots = await svg.locator('g[aria-label="dot"] path').evaluateAll((ps) =>
          ps.map((p) => ({ fill: p.getAttribute('fill'), d: p.getAttribute('d'), href: p.closest('a')?.getAttribute('href') ?? null })),
        );
        expect(dots.map((d) => d.fill)).toEqual(steps.map((s) => ROLE_COLOR[s.role ?? '']));
        const shapeOf = new Map<string, string>();
        steps.forEach((s, i) => {
          const d = dots[i]!.d!;
          if (shapeOf.has(s.role!)) expect(shapeOf.get(s.role!)).toBe(d);
          shapeOf.set(s.role!, d);
        });
        expect(new Set(shapeOf.values()).size).toBe(shapeOf.size);
        expect(dots.map((d) => d.href)).toEqual(
          steps.map((s) =>
            s.source_part === 'messages' || s.source_part === 'results' ? `${site.base}board/?focus=${encodeURIComponent(basename(s.source_file!))}` : null,
          ),
        );
        // The step list (in <details>): runs show the run dir, documents the path and the evidence line, as text.
        const items = page.locator(`li.relay[data-chain-id="${c.chain_id}"] ol.steps > li`);
        expect(await items.evaluateAll((lis) => lis.map((li) => li.getAttribute('data-role')))).toEqual(steps.map((s) => s.role));
        expect(await items.locator('q.evidence').allTextContents()).toEqual(steps.filter((s) => s.evidence).map((s) => s.evidence));
        for (const [i, s] of steps.entries()) {
          const src = items.nth(i).locator('[data-source]');
          const want = s.source_part === 'runs' || s.source_part === 'documents' ? s.source_file : basename(s.source_file!);
          expect(await src.textContent()).toBe(want);
        }
      }

      // Legend: the five roles, each with its own glyph.
      expect((await page.locator('atlas-relays .legend .plot-d6a7b5-swatch').allTextContents()).map((t) => t.trim())).toEqual([
        'build',
        'run',
        'fail',
        'diagnose',
        'ship',
      ]);

      // Roles per agent: a labelled stacked bar chart, busiest agents first; staged builders named on the chart.
      const roles = await runQuery<RolesPerAgentRow>(db, rolesPerAgent(1, null));
      const order = [...new Set(roles.map((r) => r.agent))];
      const chart = page.locator('figure.roles svg[aria-label^="Roles per agent"]');
      expect(await chart.count()).toBe(1);
      expect(await chart.locator('g[aria-label="x-axis label"]').textContent()).toContain('Relay steps');
      const ticks = await chart.locator('g[aria-label="y-axis tick label"] text').allTextContents();
      expect(ticks.length).toBeGreaterThan(0);
      expect(ticks).toEqual(order.slice(0, ticks.length));
      const staged = (await runQuery<StagedBuilderRow>(db, stagedBuilders())).filter((s) => ticks.includes(s.agent));
      expect(await chart.locator('g[aria-label="text"] text').allTextContents()).toEqual(staged.map((s) => `stages specs ×${s.staged}`));

      // Rules and "view the SQL".
      expect(await page.locator('dl.rules dt').allTextContents()).toEqual(RELAY_RULES.map((r) => r.topic));
      const sql = await page.locator('a[data-sql-for="relay-table"]').getAttribute('href');
      expect(decodeURIComponent(sql!.split('?sql=')[1]!)).toBe(inlineParams(relayChainsRanked(config, { kind: 'chain' })));
      expect(sql!.startsWith(`${site.base}sql/?sql=`)).toBe(true);
      // CSP: no inline style anywhere in the page.
      expect(await page.locator('[style]').count()).toBe(0);
      expect(await page.locator('body style').count()).toBe(0);
    } finally {
      await b.close();
    }
  });

  test('filters run in DuckDB-WASM with the state in the URL; back and forward restore it', async () => {
    const handoffs = await ranked({ kind: 'handoff' });
    const counts = new Map<string, number>();
    for (const c of handoffs) for (const a of c.agents) counts.set(a, (counts.get(a) ?? 0) + 1);
    const agent = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0] ?? null;
    expect(agent).toBeTruthy();
    const b = await launchBrowser();
    try {
      const { page } = b;
      await page.goto(`${url}?kind=handoff`);
      await settled(page);
      expect(await listIds(page)).toEqual(handoffs.slice(0, TOP).map((c) => c.chain_id));
      expect(await tableIds(page)).toEqual(handoffs.slice(0, RELAY_TABLE_ROWS).map((c) => c.chain_id));
      expect(await page.locator('select[name="kind"]').inputValue()).toBe('handoff');

      await chooseFacet(page, 'agent', agent!);
      await page.waitForURL((u) => u.searchParams.get('agent') === agent && u.searchParams.get('kind') === 'handoff');
      await settled(page);
      const mine = await ranked({ kind: 'handoff', agent });
      expect(mine.length).toBeGreaterThan(0);
      expect(await tableIds(page)).toEqual(mine.slice(0, RELAY_TABLE_ROWS).map((c) => c.chain_id));
      expect(await listIds(page)).toEqual(mine.slice(0, TOP).map((c) => c.chain_id));

      await page.locator('select[name="kind"]').selectOption('all');
      await page.waitForURL((u) => u.searchParams.get('kind') === 'all');
      await settled(page);
      expect(await tableIds(page)).toEqual((await ranked({ agent })).slice(0, RELAY_TABLE_ROWS).map((c) => c.chain_id));

      await page.goBack();
      await page.waitForURL((u) => u.searchParams.get('kind') === 'handoff' && u.searchParams.get('agent') === agent);
      await settled(page);
      expect(await tableIds(page)).toEqual(mine.slice(0, RELAY_TABLE_ROWS).map((c) => c.chain_id));
      await page.goBack();
      await page.waitForURL((u) => u.searchParams.get('kind') === 'handoff' && !u.searchParams.has('agent'));
      await settled(page);
      expect(await facetValue(page, 'agent')).toBe('');
      expect(await tableIds(page)).toEqual(handoffs.slice(0, RELAY_TABLE_ROWS).map((c) => c.chain_id));
      await page.goForward();
      await page.waitForURL((u) => u.searchParams.get('agent') === agent);
      await settled(page);
      expect(await tableIds(page)).toEqual(mine.slice(0, RELAY_TABLE_ROWS).map((c) => c.chain_id));
      quiet(b);
    } finally {
      await b.close();
    }
  });

  test('opens a chain (?chain=) and follows a step to its message on the board', async () => {
    // The best-ranked relay with a message step; open it from the list its kind shows.
    const all = await ranked({});
    let chain: RelayChainQueryRow | undefined;
    let steps: RelayStepQueryRow[] = [];
    for (const c of all) {
      steps = await stepsOf(c.chain_id);
      if (steps.some((s) => s.source_part === 'messages')) {
        chain = c;
        break;
      }
    }
    expect(chain, 'a relay with a message step').toBeTruthy();
    const id = chain!.chain_id;
    const message = steps.find((s) => s.source_part === 'messages')!;
    const file = basename(message.source_file!);
    const b = await launchBrowser();
    try {
      const { page } = b;
      await page.goto(chain!.kind === 'chain' ? url : `${url}?kind=${chain!.kind}`);
      if (chain!.kind !== 'chain') await settled(page);
      await page.locator(`tbody[data-rows] tr[data-chain-id="${id}"] a[data-open]`).click();
      await page.waitForURL((u) => u.searchParams.get('chain') === id);
      await settled(page);
      const panel = page.locator(`atlas-relays section[data-chain-panel][data-chain-id="${id}"]`);
      expect(await panel.isVisible()).toBe(true);
      expect(await panel.locator('figure.swimlane svg g[aria-label="dot"] path').count()).toBe(steps.length);
      const items = panel.locator('ol.steps > li');
      expect(await items.evaluateAll((lis) => lis.map((li) => [li.getAttribute('data-step'), li.getAttribute('data-role')]))).toEqual(
        steps.map((s) => [String(s.step), s.role]),
      );
      expect(await items.locator('q.evidence').allTextContents()).toEqual(steps.filter((s) => s.evidence).map((s) => s.evidence));

      await items.nth(steps.indexOf(message)).locator('a[data-source="board"]').click();
      await page.waitForURL((u) => u.pathname === `${site.base}board/` && u.searchParams.get('focus') === file);
      // The board's focus view names the message once DuckDB-WASM has loaded it (when the build has a board page).
      if (existsSync(join(site.outDir, 'board', 'index.html')))
        await page.waitForFunction((f) => document.querySelector('atlas-board')?.textContent?.includes(f) ?? false, file, { timeout: 90_000 });

      await page.goBack();
      await page.waitForURL((u) => u.pathname === `${site.base}relays/` && u.searchParams.get('chain') === id);
      await settled(page);
      expect(await page.locator(`section[data-chain-panel][data-chain-id="${id}"]`).isVisible()).toBe(true);
      quiet(b);
    } finally {
      await b.close();
    }
  });

  /** What a shown relay must say, from the test's own working: kind of outcome, gain class, margin class. */
  function expectations(e: Expected, threshold: number | null) {
    const diff = (ref: number | null) => (e.outcome_score === null || ref === null ? null : config.higher_is_better ? e.outcome_score - ref : ref - e.outcome_score);
    const gain = diff(e.best_start);
    const margin = e.outcome_result ? diff(e.best_posted) : null;
    const within = (v: number | null) => v !== null && threshold !== null && Math.abs(v) <= threshold;
    const failed = e.verification === 'invalid' || e.over_cap === true || e.status === 'negative';
    const kind = failed ? ['failed'] : !e.outcome_result ? ['no-result'] : margin === null ? ['first-result'] : within(margin) ? ['within-noise'] : margin > 0 ? ['record'] : ['reproduction', 'own-line', 'below-board'];
    return { gain, margin, within, kind };
  }

  async function checkShown(page: Page, rowSel: string, threshold: number | null) {
    const expected = new Map((await runQuery<Expected>(db, { tables: ['relay_chains', 'results'], sql: expectedSql(config) })).map((e) => [e.chain_id, e]));
    const sources = new Map(
      (await runQuery<{ chain_id: string; texts: string[] }>(db, { tables: ['relay_chains', 'results', 'relay_evidence', 'relay_steps'], sql: titleSourcesSql() })).map((r) => [r.chain_id, r.texts]),
    );
    const shown = await page.locator(rowSel).evaluateAll((els) =>
      els.map((r) => ({
        id: r.getAttribute('data-chain-id')!,
        kind: r.querySelector('[data-outcome-kind]')?.getAttribute('data-outcome-kind') ?? null,
        gain: r.querySelector('[data-gain="gain"]')?.textContent ?? '',
        gainClass: r.querySelector('[data-gain="gain"]')?.getAttribute('data-gain-class') ?? null,
        margin: r.querySelector('[data-gain="margin"]')?.textContent ?? null,
        title: r.querySelector('a[data-open]')?.textContent ?? '',
      })),
    );
    expect(shown.length).toBeGreaterThan(0);
    // No two relays share an outcome result.
    const outcomes = shown.map((r) => expected.get(r.id)!.outcome_result).filter((o) => o !== null);
    expect(new Set(outcomes).size, 'one relay per outcome').toBe(outcomes.length);
    for (const r of shown) {
      const e = expected.get(r.id)!;
      const want = expectations(e, threshold);
      expect(want.kind, r.id).toContain(r.kind);
      if (r.kind === 'record') {
        expect(want.gain!, `${r.id}: a record gains`).toBeGreaterThan(0);
        expect(r.gain.startsWith('+'), `${r.id} ${r.gain}`).toBe(true);
        if (r.margin !== null) expect(r.margin.startsWith('+'), `${r.id} ${r.margin}`).toBe(true);
      }
      // The gain shown is the one worked out here, and under the threshold it says so.
      if (want.gain === null) expect(r.gain, r.id).toBe('');
      else {
        const g = gainText(want.gain, config);
        expect(r.gain.startsWith(g) && /^(?:$|[ ,])/.test(r.gain.slice(g.length)), `${r.id}: ${r.gain} (want ${g})`).toBe(true);
      }
      expect(r.gain.includes('within noise'), `${r.id} ${r.gain}`).toBe(want.within(want.gain));
      if (r.margin !== null) expect(r.margin.includes('within noise'), `${r.id} ${r.margin}`).toBe(want.within(want.margin));
      expect(endsOnWord(r.title, sources.get(r.id) ?? []), `${r.id}: ${JSON.stringify(r.title)}`).toBe(true);
    }
    return { records: shown.filter((r) => r.kind === 'record').length, within: shown.filter((r) => r.gain.includes('within noise')).length };
  }

  test('one relay per outcome; records gain; gains under the tie threshold say within noise; titles end on a word (first paint and all relays)', async () => {
    const tie = tieFromRow((await runQuery<Record<string, unknown>>(db, { tables: ['noise_summary'], sql: TIE_SQL }))[0]);
    const b = await launchBrowser({ javaScriptEnabled: false });
    try {
      await b.page.goto(url);
      await checkShown(b.page, 'atlas-relays ol[data-list] > li.relay', tie.threshold);
      await checkShown(b.page, 'atlas-relays tbody[data-rows] > tr', tie.threshold);
      // The one line on the noise: the threshold as the noise page states it, and a link there.
      const note = b.page.locator('[data-noise-note]');
      if (tie.threshold !== null) expect(await note.textContent()).toContain(`${scoreText(tie.threshold)} ${config.unit}`);
      expect(await note.locator('a').getAttribute('href')).toBe(`${site.base}noise/`);
    } finally {
      await b.close();
    }
    const js = await launchBrowser();
    try {
      await js.page.goto(`${url}?kind=all`);
      await settled(js.page);
      const all = await ranked({});
      expect(await tableIds(js.page)).toEqual(all.slice(0, RELAY_TABLE_ROWS).map((c) => c.chain_id));
      const seen = await checkShown(js.page, 'atlas-relays tbody[data-rows] > tr', tie.threshold);
      // The sample has both records and gains within the noise: each branch above was checked.
      if (tie.threshold !== null) expect(seen.within).toBeGreaterThan(0);
      expect(seen.records).toBeGreaterThan(0);
      await checkShown(js.page, 'atlas-relays ol[data-list] > li.relay', tie.threshold);
      quiet(js);
    } finally {
      await js.close();
    }
  });
});
