// One cold (and optionally one repeat) page load for the site benchmark: when the page's first chart or first
// content was painted, and the bytes transferred before it. Figures only: nothing here asserts a timing.
import type { Page } from 'playwright-core';
import { launchBrowser } from './harness.ts';

/**
 * The element that counts as a page's first meaningful content: an element marked `data-first-content` when the
 * page has one, else the page's own selector (the first chart: `main svg`). Complete once the parser has moved past
 * the element's top-level block (or the document is parsed), painted once a frame has been rendered with it
 * (requestAnimationFrame, then a task after that frame). The figure reported is the later of that and the FCP.
 */
export const probeScript = (selector: string): string => `(() => {
  let seen = false;
  const check = () => {
    if (seen) return;
    const el = document.querySelector('main [data-first-content]') || document.querySelector(${JSON.stringify(selector)});
    if (!el) return;
    const host = el.closest('main > *') || el;
    if (!host.nextSibling && document.readyState === 'loading') return;
    seen = true;
    mo.disconnect();
    performance.mark('content_in_dom');
    requestAnimationFrame(() => setTimeout(() => performance.mark('first_content'), 0));
  };
  const mo = new MutationObserver(check);
  mo.observe(document, { childList: true, subtree: true });
  document.addEventListener('DOMContentLoaded', check);
})();`;

export interface LoadSample {
  /** ms after navigation start: first chart / first content painted. */
  first_content: number;
  fcp: number;
  /** Bytes as transferred (Chromium counts 300 for the headers) of the document and every resource finished before first_content. */
  bytes_before: number;
  requests_before: number;
  html_bytes: number;
  db_start: number;
  db_ready: number;
  first_result: number;
  /** The same figures on a second visit in the same profile (HTTP cache warm), when asked for. */
  repeat_first_content: number;
  repeat_bytes_before: number;
  repeat_requests_before: number;
  /** DuckDB's first answer on the repeat visit (compiled wasm from the cache), when waited for. */
  repeat_first_result: number;
}

export interface LoadOptions {
  /** Selector of the page's first chart or content (see {@link probeScript}). */
  selector: string;
  /** Wait for DuckDB's first answer too (`first_result`), e.g. the overview's figures. */
  waitFirstResult?: boolean;
  /** Visit the page a second time in the same profile and measure that too. */
  repeat?: boolean;
  /** Run after the first visit's figures are read (interactive queries). */
  after?: (page: Page) => Promise<void>;
}

/** Read the marks and the bytes before `first_content` (a function without inner named functions: see evaluate). */
async function readMarks(page: Page) {
  return page.evaluate(() => {
    const at: Record<string, number> = {};
    for (const n of ['first_content', 'first-contentful-paint', 'db_start', 'db_ready', 'first_result']) {
      at[n] = performance.getEntriesByName(n)[0]?.startTime ?? Number.NaN;
    }
    const shown = Math.max(at['first_content']!, at['first-contentful-paint']!);
    const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
    // The whole document counts, even when its last bytes arrive after the first content painted.
    const before = [nav, ...(performance.getEntriesByType('resource') as PerformanceResourceTiming[]).filter((e) => e.responseEnd <= shown)];
    return {
      first_content: shown,
      fcp: at['first-contentful-paint']!,
      bytes_before: before.reduce((s, e) => s + e.transferSize, 0),
      requests_before: before.length,
      html_bytes: nav.transferSize,
      db_start: at['db_start']!,
      db_ready: at['db_ready']!,
      first_result: at['first_result']!,
    };
  });
}

async function waitShown(page: Page, waitFirstResult: boolean): Promise<void> {
  await page.waitForFunction(
    () => performance.getEntriesByName('first_content').length > 0 && performance.getEntriesByName('first-contentful-paint').length > 0,
    null,
    { timeout: 120_000 },
  );
  if (waitFirstResult) await page.waitForFunction(() => performance.getEntriesByName('first_result').length > 0, null, { timeout: 300_000 });
}

/** Navigate a fresh profile to `url` and measure; with `repeat`, visit it again from the warm profile. */
export async function coldLoad(url: string, opts: LoadOptions): Promise<LoadSample> {
  const b = await launchBrowser();
  try {
    await b.context.addInitScript(probeScript(opts.selector));
    const res = await b.page.goto(url);
    if (res?.status() !== 200) throw new Error(`${url}: HTTP ${res?.status()}`);
    await waitShown(b.page, opts.waitFirstResult ?? false);
    const first = await readMarks(b.page);
    if (opts.after) await opts.after(b.page);
    let repeat = { first_content: Number.NaN, bytes_before: Number.NaN, requests_before: Number.NaN, first_result: Number.NaN };
    if (opts.repeat) {
      // Let late requests (DuckDB, tables) finish into the cache, as a reader who stayed a moment would.
      await b.page.waitForLoadState('networkidle', { timeout: 60_000 }).catch(() => undefined);
      const again = await b.context.newPage();
      await b.page.close();
      const r2 = await again.goto(url);
      if (!r2 || (r2.status() !== 200 && r2.status() !== 304)) throw new Error(`${url} (repeat): HTTP ${r2?.status()}`);
      await waitShown(again, opts.waitFirstResult ?? false);
      repeat = await readMarks(again);
    }
    const off = b.offOrigin(new URL(url).origin);
    if (off.length > 0 || b.errors.length > 0) throw new Error(`${url}: off-origin ${off.join(', ')}; errors ${b.errors.join('; ')}`);
    return {
      ...first,
      repeat_first_content: repeat.first_content,
      repeat_bytes_before: repeat.bytes_before,
      repeat_requests_before: repeat.requests_before,
      repeat_first_result: repeat.first_result,
    };
  } finally {
    await b.close();
  }
}
