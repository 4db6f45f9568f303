// Checks of one screen for tests/e2e/screens.test.ts (and for a quick look at any built dist/): axe-core run in the page,
// chart text sizes as rendered, charts' text alternatives.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

/** axe-core's source from node_modules (no CDN). */
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

export interface ScreenReport {
  /** axe violations of impact serious or critical. */
  axe: AxeViolation[];
  scrollWidth: number;
  clientWidth: number;
  /** Chart texts drawn under the minimum: `"<text>" <px>px in <figure>`. */
  smallText: string[];
  /** Charts without a name (figcaption, aria-label) or without a table or summary. */
  chartsWithoutAlt: string[];
}

/** Runs in the page: chart text sizes and text alternatives. */
export function inspectCharts(min: number): Pick<ScreenReport, 'smallText' | 'chartsWithoutAlt'> {
  const smallText: string[] = [];
  const chartsWithoutAlt: string[] = [];
  const where = (e: Element): string => {
    const f = e.closest('figure, [data-view], section');
    return f ? `${f.tagName.toLowerCase()}${f.className ? `.${String(f.className).split(' ').join('.')}` : ''}${f.getAttribute('data-view') ? `[data-view=${f.getAttribute('data-view')}]` : ''}` : 'page';
  };
  for (const svg of document.querySelectorAll<SVGSVGElement>('main svg')) {
    const box = svg.getBoundingClientRect();
    if (box.width === 0 || svg.closest('[hidden], details:not([open])')) continue;
    const vb = svg.viewBox?.baseVal;
    const scale = vb && vb.width > 0 ? box.width / vb.width : 1;
    for (const t of svg.querySelectorAll('text')) {
      if (!t.textContent?.trim() || t.getClientRects().length === 0) continue;
      const px = Number.parseFloat(getComputedStyle(t).fontSize) * scale;
      if (px < min - 0.05) smallText.push(`"${t.textContent.trim().slice(0, 30)}" ${px.toFixed(1)}px in ${where(svg)}`);
    }
  }
  const byId = (ids: string | null): string =>
    (ids ?? '').split(/\s+/).map((id) => (id ? (document.getElementById(id)?.textContent ?? '') : '')).join(' ').trim();
  for (const fig of document.querySelectorAll<HTMLElement>('main figure.chart')) {
    const svg = fig.querySelector('svg');
    if (!svg || fig.closest('[hidden]')) continue;
    const name =
      fig.querySelector('figcaption')?.textContent?.trim() ||
      fig.getAttribute('aria-label') ||
      svg.getAttribute('aria-label') ||
      byId(fig.getAttribute('aria-labelledby')) ||
      byId(svg.getAttribute('aria-labelledby'));
    const described = [fig.getAttribute('aria-describedby'), svg.getAttribute('aria-describedby')]
      .flatMap((ids) => (ids ?? '').split(/\s+/))
      .some((id) => id && (document.getElementById(id)?.textContent?.trim().length ?? 0) > 0);
    const alternative = described || fig.querySelector('table, .chart-summary') !== null;
    if (!name || !alternative) chartsWithoutAlt.push(`${where(fig)}: ${name ? '' : 'no name'}${!name && !alternative ? ', ' : ''}${alternative ? '' : 'no table or summary'}`);
  }
  return { smallText, chartsWithoutAlt };
}

/** A failing check's message: the violations grouped by rule, a few targets each. */
export const axeText = (vs: AxeViolation[]): string =>
  vs.map((v) => `${v.id} (${v.impact}): ${v.help}\n${v.nodes.slice(0, 5).map((n) => `    ${n.target.join(' ')}`).join('\n')}${v.nodes.length > 5 ? `\n    … ${v.nodes.length - 5} more` : ''}`).join('\n');


/**
 * axe-core run over the whole document; serious and critical violations only. It is evaluated through the DevTools
 * protocol rather than added as a <script> (addScriptTag): the site's CSP rightly refuses inline scripts.
 */
export async function runAxe(page: Page): Promise<AxeViolation[]> {
  if (!(await page.evaluate(() => 'axe' in globalThis))) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    type Axe = { run: (ctx: Document, o: object) => Promise<{ violations: AxeViolation[] }> };
    const r = await (globalThis as unknown as { axe: Axe }).axe.run(document, { resultTypes: ['violations'] });
    return r.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target.map(String) })) }));
  });
}

/**
 * {@link inspectCharts} run in the page. tsx (esbuild's keepNames) wraps inner functions in `__name(...)`, which the
 * page does not define: a no-op stands in for it.
 */
export async function inspectScreen(page: Page, min: number): Promise<Pick<ScreenReport, 'smallText' | 'chartsWithoutAlt'>> {
  await page.evaluate('globalThis.__name ??= (f) => f');
  return page.evaluate(inspectCharts, min);
}
