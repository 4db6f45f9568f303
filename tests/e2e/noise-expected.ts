// The noise page's browser tests' own side: the data read straight from the tables, the headline and the σ
// interval computed here from σ and df alone, and readers of what the page shows (tables, "Show more" lines, calculator).
import { join } from 'node:path';
import chisquareQuantile from '@stdlib/stats-base-dists-chisquare-quantile';
import type { Page } from 'playwright-core';
import { runQuery } from '../../src/lib/db/connector.ts';
import { parseConfig, type CollabConfig } from '../../src/lib/config.ts';
import { createNodeConnector, type NodeConnector } from '../../src/lib/db/node.ts';
import { FIRST_ROWS } from '../../src/lib/ui/noise-format.ts';
import type { Site } from './harness.ts';

export interface NodeSide {
  db: NodeConnector;
  config: CollabConfig;
}

/** The Node connector over the data folder the site serves, and the configuration in its manifest. */
export async function nodeSide(site: Site): Promise<NodeSide> {
  const db = await createNodeConnector({ dataDir: join(site.outDir, 'data') });
  return { db, config: parseConfig(db.manifest?.['config'], 'manifest.json config') };
}

/** The text of every cell of the rows matching `selector`. */
export const cellTexts = (page: Page, selector: string): Promise<string[][]> =>
  page.locator(selector).evaluateAll((trs) => trs.map((tr) => Array.from(tr.querySelectorAll('td'), (td) => (td.textContent ?? '').trim())));

export interface Summary {
  runs: number;
  buckets: number;
  results_as_runs: number;
  result_only_buckets: number;
  pooled_basis: string;
  pooled_df: number;
  pooled_sigma: number | null;
  median_bucket_sd: number | null;
  z: number;
  tie_threshold: number | null;
  ci_level: number;
  rests_on_few: boolean | null;
  bartlett_p: number | null;
}
export interface Tie {
  position: number;
  rank: number;
  group_id: number;
  score: number;
  filename: string;
}
export interface Bucket {
  bucket_id: string;
  n: number;
}

// Read straight from the tables, not through the page's builders, so the page is checked against the data itself.
export const q = <T>(n: NodeSide, sql: string, tables: string[]) => runQuery<T>(n.db, { sql, tables });

export const sig = (x: number | null) => new Intl.NumberFormat('en-US', { maximumSignificantDigits: 3 }).format(x ?? Number.NaN);

/** The chi-square interval for σ, computed here from σ and df alone: σ·√(df/χ²(1 − a/2)) … σ·√(df/χ²(a/2)). */
export function interval(sigma: number, df: number, level: number): [number, number] {
  const a = (1 - level) / 2;
  return [sigma * Math.sqrt(df / chisquareQuantile(1 - a, df)), sigma * Math.sqrt(df / chisquareQuantile(a, df))];
}
export const ciText = ([lo, hi]: [number, number], level: number, unit: string) => `${level * 100}\u00a0% CI ${sig(lo)}–${sig(hi)}${unit ? ` ${unit}` : ''}`;

/** The headline as the brief words it, formatted here on its own: three significant digits, counts grouped. */
export function expectedHeadline(s: Summary, unit: string): string {
  const u = (x: number | null) => (unit ? `${sig(x)} ${unit}` : sig(x));
  const results = s.pooled_basis === 'results';
  const n = results ? s.results_as_runs : s.runs;
  const m = results ? s.result_only_buckets : s.buckets;
  const head = `${n.toLocaleString('en-US')} ${results ? 'posted results' : n === 1 ? 'run' : 'runs'} across ${m.toLocaleString('en-US')} bucket${m === 1 ? '' : 's'}; `;
  if (s.pooled_sigma === null) return `${head}no bucket has two runs or more, so there is no pooled σ and no tie threshold.`;
  const ci = interval(s.pooled_sigma, s.pooled_df, s.ci_level);
  const k = s.z * Math.SQRT2;
  return (
    `${head}pooled σ = ${u(s.pooled_sigma)} (${ciText(ci, s.ci_level, unit)}; df ${s.pooled_df.toLocaleString('en-US')}, median bucket sd ${u(s.median_bucket_sd)}); ` +
    `tie threshold = ${sig(s.z)}·σ·√2 = ${u(s.tie_threshold)} (${ciText([k * ci[0], k * ci[1]], s.ci_level, unit)})`
  );
}

/** The line under a long table: the count it states, its words, its SQL console link, and whether its button shows. */
export async function moreLine(page: Page, view: string) {
  const line = page.locator(`[data-more-rows="${view}"]`);
  if (!(await line.count())) return null;
  return {
    total: Number(await line.getAttribute('data-total')),
    text: ((await line.locator('span').textContent()) ?? '').replace(/\s+/g, ' '),
    sql: decodeURIComponent(((await line.locator('a').getAttribute('href')) ?? '').split('sql=')[1] ?? ''),
    button: await line.locator('button[data-more]').isVisible(),
  };
}
/** What a table whose query has `total` rows says under its first screen, as the brief words it. */
export const firstScreenNote = (total: number) => (total > FIRST_ROWS ? `Showing ${FIRST_ROWS} of ${total.toLocaleString('en-US')}; the SQL console lists all.` : null);

export const calcReady = (page: Page) => page.waitForSelector('[data-calc-out][data-state="ready"]', { state: 'attached', timeout: 90_000 });
export const stripReady = (page: Page) => page.waitForSelector('atlas-noise[data-state="ready"]', { state: 'attached', timeout: 90_000 });
export const calcOut = async (page: Page) => {
  const out = page.locator('[data-calc-out]');
  return {
    verdict: await out.getAttribute('data-verdict'),
    method: await out.getAttribute('data-method'),
    stat: Number(await out.getAttribute('data-stat')),
    df: await out.getAttribute('data-df'),
    text: (await out.locator('[data-stat-text]').textContent()) ?? '',
  };
};
