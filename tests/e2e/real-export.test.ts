// The site built from the real export (../shared/gemma-real: runs, leaderboards and documents only): no page shows a
// zero for a part the export lacks; each says what is missing and the command that fills it; the nav marks the board.
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { RunningServer } from '../../scripts/serve.ts';
import type { Manifest } from '../../scripts/build-data.ts';
import { checkedBrowser, sharedBrowser } from './sessions.ts';
import { parseConfig } from '../../src/lib/config.ts';
import { createNodeConnector } from '../../src/lib/db/node.ts';
import { leaderboard, type LeaderboardRow } from '../../src/lib/queries/leaderboard.sql.ts';
import { expectedRanks, expectedSteps, TRUTH_SQL, type Truth } from './story-expected.ts';
import { serveSite, type Site } from './harness.ts';
import { REAL_EXPORT, ROOT, astroBuild, buildPublicData, copyStaticPublic, newest, siteManifest } from './site-build.ts';

const have = existsSync(REAL_EXPORT);
const WORK = resolve(ROOT, 'node_modules/.cache/atlas-e2e');
const site: Site = { name: 'real', base: '/', outDir: join(WORK, 'dist-real') };

/** One extra data build and astro build, only when the export, the build code or the site changed since the last. */
async function buildRealSite(): Promise<void> {
  const stamp = join(site.outDir, '.built');
  const inputs = [REAL_EXPORT, ...['scripts', 'src', 'astro.config.mjs', 'package-lock.json', 'tests/e2e/site-build.ts', 'tests/e2e/real-export.test.ts'].map((p) => resolve(ROOT, p))];
  const built = existsSync(stamp) ? Date.parse(readFileSync(stamp, 'utf8').trim()) : 0;
  if (process.env['ATLAS_E2E_REBUILD'] !== '1' && built >= newest(inputs)) return;
  const started = new Date().toISOString();
  const publicDir = join(WORK, 'public-real');
  rmSync(publicDir, { recursive: true, force: true });
  copyStaticPublic(publicDir);
  await buildPublicData(REAL_EXPORT, publicDir);
  const staged = `${site.outDir}.new`;
  astroBuild({ ...site, outDir: staged }, publicDir);
  writeFileSync(join(staged, '.built'), `${started}\n`);
  rmSync(site.outDir, { recursive: true, force: true });
  renameSync(staged, site.outDir);
}

/** Top-level folders of the export layout, read from the export itself (not from the manifest). */
function foldersInExport(): Set<string> {
  return new Set(readdirSync(REAL_EXPORT, { withFileTypes: true }).map((e) => (e.isDirectory() ? `${e.name}/` : e.name)));
}

/** Phrases that would state a zero for a part the real export lacks. */
const FALSE_ZEROS = [/\b0 (board )?messages\b/i, /\(0 humans?\)/, /\b0 humans\b/, /unregistered/, /\b0 staged\b/, /over 0 days/, /No verifier re-run has both scores/];

describe.skipIf(!have)('the site built from the real export', () => {
  let server: RunningServer;
  let manifest: Manifest;

  beforeAll(async () => {
    await buildRealSite();
    server = await serveSite(site);
    manifest = siteManifest(site);
  });
  afterAll(async () => {
    await server?.close();
  });

  // The first paint is what every reader sees (also without JavaScript): check it as built.
  const b = sharedBrowser({ javaScriptEnabled: false });
  const open = async (path: string) => {
    const res = await b.page.goto(`${server.url}${path}`);
    expect(res?.status(), path).toBe(200);
    const text = await b.page.locator('main').innerText();
    for (const z of FALSE_ZEROS) expect(text, `${path}: ${z}`).not.toMatch(z);
    return text;
  };
  const notices = (need?: string) => b.page.locator(need ? `main [data-missing="${need}"]` : 'main [data-missing]');

  test('the manifest records the parts the export has, as its folders show', () => {
    const folders = foldersInExport();
    const present = Object.entries(manifest.coverage?.parts ?? {}).filter(([, p]) => p.present).map(([k]) => k).sort();
    expect(present).toEqual(['documents', 'leaderboards', 'runs']);
    expect(folders.has('runs/') && folders.has('leaderboard/') && folders.has('shared_resources/')).toBe(true);
    for (const f of ['message_board/', 'results/', 'agents/', 'inbox/', 'taskforces/', 'api/']) expect(folders.has(f), f).toBe(false);
  });

  test('overview: humans, board messages and the baseline gain are unknown, each said why', async () => {
    await open('');
    const value = (key: string) => b.page.locator(`[data-figure="${key}"] [data-value]`).innerText();
    expect(await value('humans')).toBe('unknown');
    expect(await value('messages')).toBe('unknown');
    expect(await value('speedup')).toBe('unknown');
    expect(await value('results')).toBe('91');
    expect(await b.page.locator('[data-figure="results"] .label').innerText()).toBe('results on leaderboard snapshots');
    expect(await notices('messages').innerText()).toContain('npm run pull -- --api');
    expect(await notices('baseline').innerText()).toContain('baseline_score');
  });

  test('board: no counts or empty thread list, one sentence with the command; the nav marks it empty', async () => {
    await open('board/');
    await expect(notices('messages').count()).resolves.toBe(1);
    expect(await b.page.locator('atlas-board form.filters').isVisible()).toBe(false);
    expect(await b.page.locator('[data-list-panel]').isVisible()).toBe(false);
    const nav = b.page.getByRole('navigation', { name: 'Site' });
    expect(await nav.locator('a[data-empty]').evaluateAll((as) => as.map((a) => a.getAttribute('href')))).toEqual(['/board/']);
    expect(await nav.getByRole('link', { name: /Board/ }).getAttribute('title')).toBe('Nothing to show: this export has no board messages');
  });

  test('agents: no messages column and no "unregistered", two notices', async () => {
    await open('agents/');
    const heads = await b.page.locator('table[aria-label="Agents"] thead th').allInnerTexts();
    expect(heads).not.toContain('messages');
    expect(heads).toContain('results');
    // The index's own two notices; the agent panel below it (hidden until ?agent= opens it) has its own.
    expect(await notices().filter({ visible: true }).evaluateAll((ps) => ps.map((p) => p.getAttribute('data-missing')))).toEqual(['messages', 'registrations']);
  });

  test('an agent page: messages unknown, profile and replies say what is missing, results and runs shown', async () => {
    await open('agents/senpai/');
    expect(await b.page.locator('[data-figure="messages"] [data-value]').innerText()).toBe('unknown');
    expect(await notices().evaluateAll((ps) => ps.map((p) => p.getAttribute('data-missing')))).toEqual(['registrations', 'messages']);
    expect(await b.page.locator('table[aria-label="Results of senpai"] tbody tr').count()).toBe(2);
    expect(await b.page.locator('table[aria-label="Runs of senpai"] tbody tr').count()).toBe(2);
  });

  test('leaderboard, lineage, relays and noise show their data and say which part would add more', async () => {
    for (const [path, need] of [['leaderboard/', 'result_files'], ['lineage/', 'messages'], ['relays/', 'messages'], ['noise/', 'messages']] as const) {
      await open(path);
      await expect(notices(need).count(), path).resolves.toBe(1);
      // Scrolled to as a reader would: a section laid out only near the screen (content-visibility) has no rendered
      // text before, and gets it at the next frame.
      await notices(need).scrollIntoViewIfNeeded();
      await expect.poll(() => notices(need).innerText(), { message: path, timeout: 10_000 }).toMatch(/, and this export has none \(.*\): npm run pull -- --api <collaboration API> --out <export dir> adds/);
      expect(await b.page.locator('main svg').count(), path).toBeGreaterThan(0);
    }
  });

  test('overview and leaderboard are noise-aware: the running best and the tie ranks the test computes itself', async () => {
    const db = await createNodeConnector({ dataDir: join(site.outDir, 'data') });
    try {
      const truth = await db.query<Truth>(TRUTH_SQL);
      const threshold = (await db.query<{ t: number | null }>('SELECT tie_threshold AS t FROM noise_summary'))[0]?.t ?? null;
      const higher = manifest.config?.higher_is_better !== false;
      await open('');
      const shown = await b.page.locator('[data-view="overview-changes"] tbody tr').evaluateAll((trs) =>
        trs.map((tr) => ({ filename: tr.getAttribute('data-file') ?? '', counts: tr.querySelectorAll('td')[4]?.textContent ?? '' })),
      );
      const steps = expectedSteps(truth, higher, threshold, false);
      expect(steps.length).toBeGreaterThan(1);
      expect(shown).toEqual(steps);
      // The real export's threshold is wide: some new bests are ties, and the page says so.
      if (threshold !== null) expect(shown.filter((s) => s.counts === 'within noise').length).toBeGreaterThan(0);
      await open('leaderboard/');
      const rows = await db.query<LeaderboardRow>(leaderboard(parseConfig(manifest.config, 'manifest'), {}).sql);
      const ranks = expectedRanks(rows, threshold);
      const cells = await b.page.locator('atlas-leaderboard tbody[data-rows] tr').evaluateAll((trs) =>
        trs.map((tr) => [tr.getAttribute('data-file') ?? '', tr.querySelector('td')?.textContent ?? '']),
      );
      expect(cells.length).toBe(Math.min(10, ranks.size));
      for (const [file, rank] of cells) expect(rank, file).toBe(ranks.get(file!));
      // Ranks are tie groups: the top result shares its rank when the next one is within the threshold.
      expect(cells[0]![1]).toMatch(threshold === null ? /^1$/ : /^1(–\d+)?$/);
    } finally {
      db.close();
    }
  });

  test('methods: every part with present or missing as the export folder has it, and how to fill what is missing', async () => {
    await open('methods/');
    const rows = await b.page.locator('table[aria-label="Export parts"] tbody tr').evaluateAll((trs) => trs.map((tr) => [tr.getAttribute('data-part'), tr.getAttribute('data-present')]));
    const folders = foldersInExport();
    const expected: Record<string, boolean> = {
      board: folders.has('message_board/'),
      results: folders.has('results/'),
      verification: false,
      agents: folders.has('agents/'),
      inbox: folders.has('inbox/'),
      taskforces: folders.has('taskforces/'),
      runs: folders.has('runs/'),
      leaderboards: folders.has('leaderboard/'),
      documents: folders.has('shared_resources/') || folders.has('README.md'),
      api: folders.has('api/'),
    };
    expect(Object.fromEntries(rows)).toEqual(Object.fromEntries(Object.entries(expected).map(([k, v]) => [k, v ? 'yes' : 'no'])));
    expect(await b.page.locator('ul.fill li').evaluateAll((lis) => lis.map((li) => li.getAttribute('data-missing')))).toEqual(['messages', 'registrations', 'result_files', 'taskforces']);
  });

  test('with JavaScript at 360 px in dark mode: a result still opens on the board, and no notice overflows', async () => {
    await checkedBrowser({ viewport: { width: 360, height: 800 }, colorScheme: 'dark' }, server.origin, async (s) => {
      await s.page.goto(`${server.url}board/?focus=${encodeURIComponent('20260613-224956-731_senpai.md')}`);
      const focus = s.page.locator('[data-focus-panel]');
      await focus.waitFor({ state: 'visible', timeout: 60_000 });
      await expect.poll(() => focus.innerText(), { timeout: 60_000 }).toContain('senpai');
      expect(await s.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
      await s.page.goto(server.url);
      await s.page.waitForLoadState('networkidle', { timeout: 90_000 });
      expect(await s.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
      await expect.poll(() => s.page.locator('[data-check-status]').innerText(), { timeout: 60_000 }).toMatch(/identical/);
    });
  });
});
