// A site built from the newer template's layout (npm run sample -- --layout channels, small scale): a channel room
// opens with its header (theme, members) and its messages, which open in the focus view by their path; broadcasts are
// marked; an agent's page lists its traces with unknown figures shown as unknown and left out of the totals.
// Expected values come from the sample's ground truth, not from the site's tables.
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { RunningServer } from '../../scripts/serve.ts';
import type { GroundTruth } from '../../scripts/sample/generate.ts';
import { writeSampleFolder } from '../../scripts/sample/output.ts';
import { sharedBrowser } from './sessions.ts';
import { serveSite, type Site } from './harness.ts';
import { ROOT, astroBuild, buildPublicData, copyStaticPublic, newest } from './site-build.ts';

const WORK = resolve(ROOT, 'node_modules/.cache/atlas-e2e');
const SAMPLE = join(WORK, 'sample-channels');
const site: Site = { name: 'channels', base: '/', outDir: join(WORK, 'dist-channels') };
const fmt = (n: number) => new Intl.NumberFormat('en-US', { maximumFractionDigits: 3 }).format(n);

/** One small sample, data build and astro build, only when the build code or the site changed since the last. */
async function buildChannelsSite(): Promise<void> {
  const stamp = join(site.outDir, '.built');
  const inputs = ['scripts', 'src', 'astro.config.mjs', 'package-lock.json', 'tests/e2e/site-build.ts', 'tests/e2e/channels.test.ts'].map((p) => resolve(ROOT, p));
  const built = existsSync(stamp) && existsSync(join(SAMPLE, 'ground-truth.json')) ? Date.parse(readFileSync(stamp, 'utf8').trim()) : 0;
  if (process.env['ATLAS_E2E_REBUILD'] !== '1' && built >= newest(inputs)) return;
  const started = new Date().toISOString();
  const run = writeSampleFolder(SAMPLE, { seed: 7, scale: 0.3, lowerIsBetter: false, layout: 'channels' });
  const publicDir = join(WORK, 'public-channels');
  rmSync(publicDir, { recursive: true, force: true });
  copyStaticPublic(publicDir);
  await buildPublicData(run.exportDir, publicDir);
  const staged = `${site.outDir}.new`;
  astroBuild({ ...site, outDir: staged }, publicDir);
  writeFileSync(join(staged, '.built'), `${started}\n`);
  rmSync(site.outDir, { recursive: true, force: true });
  renameSync(staged, site.outDir);
}

describe('the site built from a channels-layout export', () => {
  let server: RunningServer;
  let truth: NonNullable<GroundTruth['channels']>;

  beforeAll(async () => {
    await buildChannelsSite();
    truth = (JSON.parse(readFileSync(join(SAMPLE, 'ground-truth.json'), 'utf8')) as GroundTruth).channels!;
    server = await serveSite(site);
  }, 600_000);
  afterAll(async () => {
    await server?.close();
  });

  const b = sharedBrowser();

  test('a channel room shows its theme, creator and current members, and only its own messages', async () => {
    const { page } = b;
    const room = truth.rooms[0]!;
    await page.goto(`${server.url}board/?room=${encodeURIComponent(room.name)}`);
    const panel = page.locator(`[data-room-panel="${room.name}"]`);
    await expect(panel.isVisible()).resolves.toBe(true);
    for (const other of truth.rooms.slice(1)) await expect(page.locator(`[data-room-panel="${other.name}"]`).isVisible()).resolves.toBe(false);
    await expect(page.getByRole('navigation', { name: 'Rooms' }).getByRole('link', { name: new RegExp(`#${room.name}`) }).getAttribute('aria-current')).resolves.toBe('page');
    const header = panel.locator('header.room-header');
    expect(await header.getByRole('heading', { level: 3 }).innerText()).toBe(`#${room.name}`);
    const text = await header.innerText();
    expect(text).toContain(room.theme);
    expect(text).toContain(`created by ${room.creator}`);
    const members = await header.locator('.members a').allInnerTexts();
    expect(members.sort()).toEqual(room.members);
    expect(members).not.toContain(room.left);
    const inRoom = truth.messages.filter((p) => p.startsWith(`channels/${room.name}/`));
    await expect(panel.locator('ol.room-messages > li').count()).resolves.toBe(inRoom.length);
  });

  test('the same file name in two channels is two messages, each marked; one opens in the focus view by its path', async () => {
    const { page } = b;
    const [pa, pb] = truth.collision.paths;
    const roomOf = (p: string) => p.split('/')[1]!;
    for (const p of [pa, pb]) {
      await page.goto(`${server.url}board/?room=${encodeURIComponent(roomOf(p))}`);
      const link = page.locator(`[data-room-panel="${roomOf(p)}"] a[href*="${encodeURIComponent(p)}"]`);
      await expect(link.count()).resolves.toBe(1);
      await expect(link.locator('xpath=..').locator('.kind').innerText()).resolves.toBe('same name elsewhere');
    }
    const link = page.locator(`[data-room-panel="${roomOf(pb)}"] a[href*="${encodeURIComponent(pb)}"]`);
    const headline = (await link.innerText()).trim();
    await link.click();
    await page.waitForURL((u) => u.searchParams.get('focus') === pb);
    await page.waitForSelector('atlas-board[data-state="ready"]', { timeout: 90_000 });
    expect(await page.locator('#focus-title').textContent()).toContain(headline);
    expect(await page.locator('atlas-board [data-focus-panel]').innerText()).toContain(pb);
  });

  test('broadcasts have a room of their own, each marked', async () => {
    const { page } = b;
    await page.goto(`${server.url}board/?room=broadcasts`);
    const panel = page.locator('[data-room-panel="broadcasts"]');
    await expect(panel.isVisible()).resolves.toBe(true);
    await expect(panel.locator('.kind.broadcast').count()).resolves.toBe(truth.broadcasts.length);
  });

  test("an agent's traces: sessions, tokens and tool calls; unknown shown as unknown and not counted; a replaced copy once", async () => {
    const { page } = b;
    const byAgent = new Map<string, typeof truth.traces>();
    for (const t of truth.traces) byAgent.set(t.agent, [...(byAgent.get(t.agent) ?? []), t]);
    for (const [agent, list] of byAgent) {
      await page.goto(`${server.url}agents/${agent}/`);
      const section = page.locator('[data-traces]');
      await expect(section.getByRole('heading', { level: 2 }).innerText()).resolves.toBe(`Traces (${list.filter((t) => !t.superseded_by).length})`);
      const rows = section.getByRole('table', { name: `Traces of ${agent}` }).locator('tbody tr');
      await expect(rows.count()).resolves.toBe(list.length);
      const counted = list.filter((t) => !t.superseded_by);
      const known = counted.filter((t) => t.total_tokens !== null);
      const totals = await section.locator('[data-trace-totals]').innerText();
      expect(totals).toContain(`${fmt(known.reduce((s, t) => s + t.total_tokens!, 0))} tokens`);
      const unknown = counted.length - known.length;
      if (unknown > 0) {
        expect(totals).toContain('with unknown tokens, not counted');
        await expect(rows.locator('td[data-unknown]').first().innerText()).resolves.toBe('unknown');
      }
      if (list.some((t) => t.superseded_by)) await expect(rows.locator('text=replaced by a later copy').count()).resolves.toBe(1);
      if (list.some((t) => t.log_file)) await expect(section.innerText()).resolves.toContain('session.jsonl');
    }
    expect(b.errors).toEqual([]);
    expect(b.offOrigin(server.origin)).toEqual([]);
  });
});
