// Page filters built by src/components/facet-filter.astro: a menu, or beyond the site's menu limit a text field
// with suggestions. Tests choose values through these helpers, so each site exercises the form it was built with.
import type { Page } from 'playwright-core';
import { facetMenuLimit } from '../../src/lib/agent-pages.ts';
import type { Site } from './harness.ts';

const control = (page: Page, name: string) => page.locator(`select[name="${name}"], input[list][name="${name}"]`);

/** The menu limit the site was built with. */
export const siteFacetLimit = (site: Site): number => facetMenuLimit(site.env ?? {});

/** Choose a value as a reader would: pick it from the menu, or type it and press Enter. */
export async function chooseFacet(page: Page, name: string, value: string): Promise<void> {
  const menu = page.locator(`select[name="${name}"]`);
  if ((await menu.count()) > 0) {
    await menu.selectOption(value);
    return;
  }
  const field = page.locator(`input[list][name="${name}"]`);
  await field.fill(value);
  await field.press('Enter');
}

/** The filter's current value ('' for none), whichever form it has. */
export const facetValue = (page: Page, name: string): Promise<string> => control(page, name).inputValue();

/** Which form the filter has, and how many values it offers (menu options without "all", or suggestions). */
export async function facetForm(page: Page, name: string): Promise<{ kind: 'menu' | 'text'; offered: number; label: string }> {
  const menu = page.locator(`select[name="${name}"]`);
  const label = (await page.locator('label').filter({ has: control(page, name) }).textContent()) ?? '';
  if ((await menu.count()) > 0) return { kind: 'menu', offered: (await menu.locator('option').count()) - 1, label };
  const list = await page.locator(`input[list][name="${name}"]`).getAttribute('list');
  return { kind: 'text', offered: await page.locator(`datalist[id="${list}"] option`).count(), label };
}
