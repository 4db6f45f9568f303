// Expected values for the browser tests: the pages' own SQL builders run on the Node connector over the data the site serves.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { parseConfig, type CollabConfig } from '../../src/lib/config.ts';
import { createNodeConnector, type NodeConnector } from '../../src/lib/db/node.ts';
import { formatCell } from '../../src/lib/db/format.ts';
import type { Figure } from '../../src/lib/queries/overview.sql.ts';
import type { Site } from './harness.ts';

export interface NodeSide {
  readonly db: NodeConnector;
  readonly config: CollabConfig;
}

/** The Node connector over `<outDir>/data` (the files the server hands the browser) and the manifest's config. */
export async function nodeSide(site: Site): Promise<NodeSide> {
  const db = await createNodeConnector({ dataDir: join(site.outDir, 'data') });
  const raw = db.manifest?.['config'];
  if (typeof raw !== 'object' || raw === null) throw new Error(`${site.outDir}/data/manifest.json has no config`);
  return { db, config: parseConfig(raw, 'manifest.json config') };
}

/**
 * A headline figure's text, as src/pages/index.astro shows it (`show` in its frontmatter): en dash for null,
 * `1.2×` for ratios, scores rounded to 2 decimals, counts grouped.
 */
export function figureText(format: Figure['format'], value: number | null): string {
  if (value === null) return '–';
  if (format === 'ratio') return `${value.toFixed(1)}×`;
  if (format === 'score') return formatCell(Math.round(value * 100) / 100);
  return formatCell(value);
}

/** The text of every cell of the rows matching `selector`, row by row. */
export function cellTexts(page: Page, selector: string): Promise<string[][]> {
  return page
    .locator(selector)
    .evaluateAll((trs) => trs.map((tr) => Array.from(tr.querySelectorAll('td'), (td) => (td.textContent ?? '').trim())));
}
