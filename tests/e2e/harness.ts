// Browser-test harness: serve a built site on 127.0.0.1:0 and drive Debian's Chromium, recording every request.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { startServer, type RunningServer } from '../../scripts/serve.ts';

export const CHROMIUM = process.env['ATLAS_CHROMIUM'] ?? '/usr/bin/chromium';

/** A built copy of the site (see global-setup.ts). */
export interface Site {
  readonly name: string;
  /** Folder the site was built into. */
  readonly outDir: string;
  /** Base path it was built with, e.g. `/` or `/atlas/`. */
  readonly base: string;
  /** Extra environment for its astro build (build-time limits). */
  readonly env?: Readonly<Record<string, string>>;
}

export function serveSite(site: Site): Promise<RunningServer> {
  return startServer({ root: site.outDir, base: site.base, port: 0 });
}

export interface BrowserSession {
  readonly context: BrowserContext;
  readonly page: Page;
  /** Every URL requested by the page and its workers, in order. */
  readonly requests: string[];
  /** console.error messages, uncaught page errors (CSP violations show up here) and dialogs (alert() from a payload). */
  readonly errors: string[];
  /** Requests that left `origin`; a test asserts this is empty. */
  offOrigin(origin: string): string[];
  close(): Promise<void>;
}

export interface LaunchOptions {
  readonly javaScriptEnabled?: boolean;
  readonly viewport?: { width: number; height: number };
  readonly colorScheme?: 'light' | 'dark';
}

/** Chromium with a fresh profile (empty cache: every run is cold) and the background traffic switched off. */
export async function launchBrowser(options: LaunchOptions = {}): Promise<BrowserSession> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`No Chromium at ${CHROMIUM}: apt-get install -y chromium (or set ATLAS_CHROMIUM)`);
  }
  const profile = mkdtempSync(join(tmpdir(), 'atlas-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    javaScriptEnabled: options.javaScriptEnabled ?? true,
    viewport: options.viewport ?? { width: 1100, height: 900 },
    colorScheme: options.colorScheme ?? 'light',
  });
  const requests: string[] = [];
  const errors: string[] = [];
  context.on('request', (r) => requests.push(r.url()));
  const watch = (page: Page) => {
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(`console: ${m.text()}`);
    });
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    // alert()/confirm()/prompt() is what an XSS payload in agent text would call: record it and dismiss.
    page.on('dialog', (d) => {
      errors.push(`dialog (${d.type()}): ${d.message()}`);
      void d.dismiss().catch(() => undefined);
    });
    page.on('worker', (w) => w.on('console', (m) => m.type() === 'error' && errors.push(`worker: ${m.text()}`)));
  };
  context.pages().forEach(watch);
  context.on('page', watch);
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    requests,
    errors,
    offOrigin: (origin) => requests.filter((u) => !u.startsWith(`${origin}/`) && !/^(data|blob|about):/.test(u)),
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Performance marks the browser connector sets (`db_ready`, `table_loaded:<name>`, `first_result`), in ms since navigation. */
export async function marks(page: Page): Promise<Record<string, number>> {
  return page.evaluate(() =>
    Object.fromEntries(performance.getEntriesByType('mark').map((m) => [m.name, Math.round(m.startTime)])),
  );
}

/** Run SQL through the page's browser connector (`globalThis.atlas`, set once the page has loaded DuckDB-WASM). */
export async function browserQuery(page: Page, sql: string, params: readonly (string | number | boolean | null)[] = []) {
  await page.waitForFunction(() => 'atlas' in globalThis, null, { timeout: 60_000 });
  type Atlas = { query: (s: string, p: unknown[]) => Promise<Record<string, unknown>[]> };
  return page.evaluate(
    ({ s, p }) => (globalThis as unknown as { atlas: Atlas }).atlas.query(s, p),
    { s: sql, p: [...params] as unknown[] },
  );
}

/** Like {@link browserQuery} but resolves to the error message (or null when the query succeeded). */
export async function browserQueryError(page: Page, sql: string): Promise<string | null> {
  return browserQuery(page, sql).then(
    () => null,
    (e: unknown) => (e instanceof Error ? e.message : String(e)),
  );
}
