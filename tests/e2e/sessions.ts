// One browser shared by the tests of a describe block, so each test file says only how to open and settle its page.
import { afterAll, beforeAll, expect } from 'vitest';
import { launchBrowser, type BrowserSession, type LaunchOptions } from './harness.ts';

/**
 * A browser launched before the block's tests (then `open` runs on it: go to the page, wait until it is ready) and
 * closed after them. The returned session forwards to it, so tests use it like one from launchBrowser.
 */
export function sharedBrowser(options: LaunchOptions = {}, open?: (b: BrowserSession) => Promise<void>): BrowserSession {
  let session: BrowserSession | null = null;
  const get = (): BrowserSession => {
    if (!session) throw new Error('the shared browser is not open: use it inside the tests of the block that created it');
    return session;
  };
  beforeAll(async () => {
    session = await launchBrowser(options);
    await open?.(session);
  });
  afterAll(async () => {
    await session?.close();
    session = null;
  });
  return {
    get context() {
      return get().context;
    },
    get page() {
      return get().page;
    },
    get requests() {
      return get().requests;
    },
    get errors() {
      return get().errors;
    },
    offOrigin: (origin) => get().offOrigin(origin),
    close: async () => {
      await session?.close();
      session = null;
    },
  };
}

/**
 * A fresh browser for one test: `check` runs on it, then the page must have stayed on `origin` and logged no errors
 * (console errors, page errors, CSP violations, dialogs). Closed either way.
 */
export async function checkedBrowser(options: LaunchOptions, origin: string, check: (b: BrowserSession) => Promise<void>): Promise<void> {
  const b = await launchBrowser(options);
  try {
    await check(b);
    expect(b.offOrigin(origin)).toEqual([]);
    expect(b.errors).toEqual([]);
  } finally {
    await b.close();
  }
}
