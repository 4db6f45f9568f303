// Every page the build produced, on both bases: loads, has an h1, stays on its origin, logs no error, links under the base.
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import type { RunningServer } from '../../scripts/serve.ts';
import { launchBrowser, serveSite, type BrowserSession } from './harness.ts';
import { sitePages } from './site-build.ts';

/**
 * Every top-level page, and a few of each family of generated pages (`agents/<id>/`: the first, the last, and any
 * page of the overlay's XSS probes and of the hostile corpus' agent), so the loop stays small at any sample size.
 */
function pagesToVisit(all: readonly string[]): string[] {
  const top = all.filter((p) => p.split('/').length <= 2);
  const families = new Map<string, string[]>();
  for (const p of all.filter((q) => q.split('/').length > 2)) {
    const key = p.split('/')[0]!;
    families.set(key, [...(families.get(key) ?? []), p]);
  }
  const picked = [...families.values()].flatMap((ps) => [ps[0]!, ps[ps.length - 1]!, ...ps.filter((p) => /xss|hostile/i.test(p))]);
  return [...new Set([...top, ...picked])].sort();
}

describe.each(inject('sites'))('every page, base $base', (site) => {
  const pages = pagesToVisit(sitePages(site));
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

  test('the build has the overview, leaderboard and methods pages', () => {
    expect(pages).toEqual(expect.arrayContaining(['', 'leaderboard/', 'methods/']));
  });

  test.each(pages)(`${site.base}%s`, async (path) => {
    const { page } = b;
    const errorsBefore = b.errors.length;
    const requestsBefore = b.requests.length;
    const res = await page.goto(`${server.url}${path}`);
    expect(res?.status()).toBe(200);
    // Pages start DuckDB-WASM when idle: let that finish so its errors (and its requests) are seen here.
    await page.waitForLoadState('networkidle', { timeout: 90_000 });
    await page.waitForTimeout(500);
    // The hostile corpus and the overlay carry script payloads (in bodies, names, reject details): none may run.
    expect(await page.evaluate(() => [(window as unknown as Record<string, unknown>)['__hostile'], (window as unknown as Record<string, unknown>)['__xss']])).toEqual([undefined, undefined]);
    expect(await page.locator('h1').count()).toBe(1);
    expect((await page.locator('h1').textContent())?.trim()).not.toBe('');

    const nav = await page.getByRole('navigation', { name: 'Site' }).getByRole('link').evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));
    expect(nav.length).toBeGreaterThan(2);
    for (const href of nav) expect(href.startsWith(site.base), href).toBe(true);
    expect(nav).toContain(site.base);
    expect(await page.getByRole('navigation', { name: 'Site' }).getByRole('link', { name: 'SQL' }).getAttribute('href')).toBe(`${site.base}sql/`);
    // Every root-relative URL in the page (links, scripts, styles, icons) carries the base too.
    const rooted = await page
      .locator('[href^="/"], [src^="/"]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('href') ?? e.getAttribute('src') ?? ''));
    expect(rooted.filter((u) => !u.startsWith(site.base))).toEqual([]);

    expect(b.requests.slice(requestsBefore).filter((u) => !u.startsWith(`${server.origin}/`) && !/^(data|blob|about):/.test(u))).toEqual([]);
    expect(b.errors.slice(errorsBefore)).toEqual([]);
  });

  test('a scroll box drawn after load is made focusable, and stops being so when it no longer scrolls', async () => {
    const { page } = b;
    await page.goto(`${server.url}methods/`);
    const frame = () => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0))));
    // A panel redrawn with a table wider than its box, as a view does.
    await page.evaluate(() => {
      const panel = document.createElement('section');
      panel.id = 'probe';
      // Styles set through the CSSOM: the site's CSP drops style attributes in markup.
      panel.innerHTML = '<div class="table-wrap"><table aria-label="Probe table"><tr><td>' + 'wide '.repeat(200) + '</td></tr></table></div>';
      const wrap = panel.querySelector<HTMLElement>('.table-wrap')!;
      wrap.style.maxWidth = '200px';
      wrap.style.overflow = 'auto';
      panel.querySelector<HTMLElement>('td')!.style.whiteSpace = 'nowrap';
      document.querySelector('main')!.append(panel);
    });
    await frame();
    const box = page.locator('#probe .table-wrap');
    expect(await box.getAttribute('tabindex')).toBe('0');
    expect(await box.getAttribute('role')).toBe('region');
    // Its content redrawn narrow: the box no longer scrolls, so it leaves the tab order.
    await page.evaluate(() => {
      document.querySelector('#probe td')!.textContent = 'narrow';
    });
    await frame();
    expect(await box.getAttribute('tabindex')).toBeNull();
  });
});
