// Chart snapshots in the manner of Observable Plot's tests: shipped markup → normalised, indented text → committed file.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseHTML } from 'linkedom';
import { expect, it } from 'vitest';
import { chartMarkup } from '../../../src/lib/charts/ssr.ts';

export const SNAPSHOT_DIR = join(dirname(fileURLToPath(import.meta.url)), 'snapshots');
const SVG_NS = 'http://www.w3.org/2000/svg';
const ROOT = join(SNAPSHOT_DIR, '..', '..', '..', '..');

/** CI runs `CI=true bash .ci/run`: there a missing snapshot is an error, never a new file. */
const inCI = (): boolean => !!process.env.CI && process.env.CI !== 'false' && process.env.CI !== '0';
const mayWrite = (): boolean => process.env.ATLAS_UPDATE_SNAPSHOTS === '1' && !inCI();

// ---- normalisation ----------------------------------------------------------------------------------------------

/** Numbers with three or more decimals (Plot writes up to 17) rounded to two; -0 becomes 0. */
const LONG_NUMBER = /-?\d*\.\d{3,}/g;
const round2 = (m: string): string => String(Math.round(Number(m) * 100) / 100 || 0);
/** Attributes that hold names and text, not geometry: left exactly as written. */
const VERBATIM = /^(aria-|data-|href$|id$|class$)/;

/**
 * Plot numbers clip paths, markers and patterns with process-wide counters (`plot-clip-7`), so an id depends on
 * what rendered before. Renumber them per kind in document order and rewrite the references (`url(#…)`, `#…`).
 */
function reindexIds(root: Element): void {
  const map = new Map<string, string>();
  const counts = new Map<string, number>();
  for (const el of [root, ...root.querySelectorAll('[id]')]) {
    const id = el.getAttribute('id');
    const m = id ? /^plot-([a-z]+)-\d+$/.exec(id) : null;
    if (!id || !m) continue;
    if (!map.has(id)) {
      const n = (counts.get(m[1]!) ?? 0) + 1;
      counts.set(m[1]!, n);
      map.set(id, `plot-${m[1]}-${n}`);
    }
    el.setAttribute('id', map.get(id)!);
  }
  if (!map.size) return;
  for (const el of [root, ...root.querySelectorAll('*')]) {
    for (const a of [...el.attributes]) {
      if (a.name === 'id') continue;
      const v = a.value.replace(/#(plot-[a-z]+-\d+)(?!\d)/g, (whole, id: string) => (map.has(id) ? `#${map.get(id)}` : whole));
      if (v !== a.value) el.setAttribute(a.name, v);
    }
  }
}

const escapeText = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const escapeAttr = (s: string): string => escapeText(s).replace(/"/g, '&quot;');

function openTag(el: Element): string {
  const attrs = [...el.attributes]
    .map((a) => [a.name, VERBATIM.test(a.name) ? a.value : a.value.replace(LONG_NUMBER, round2)] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => ` ${k}="${escapeAttr(v)}"`)
    .join('');
  return `<${el.localName}${attrs}`;
}

/** Elements whose content is text, where added line breaks would change what is shown. */
const TEXT_ELEMENTS = new Set(['text', 'tspan', 'title', 'span']);

/** An element on one line: used for elements holding text (<title>, <text>, legend swatches), whose spaces matter. */
function inline(el: Element): string {
  const inner = [...el.childNodes]
    .map((c) => (c.nodeType === 1 ? inline(c as Element) : c.nodeType === 3 ? escapeText(c.textContent ?? '') : ''))
    .join('');
  if (!inner && el.namespaceURI === SVG_NS) return `${openTag(el)}/>`;
  return `${openTag(el)}>${inner}</${el.localName}>`;
}

/** One element per line, indented by depth, attributes sorted; an element holding text stays on one line. */
function pretty(el: Element, depth: number, out: string[]): void {
  const pad = '  '.repeat(depth);
  const hasText = [...el.childNodes].some((c) => c.nodeType === 3 && (c.textContent ?? '').trim() !== '');
  const children = [...el.children];
  if (hasText || children.length === 0 || TEXT_ELEMENTS.has(el.localName)) {
    out.push(pad + inline(el));
    return;
  }
  out.push(`${pad}${openTag(el)}>`);
  for (const c of children) pretty(c, depth + 1, out);
  out.push(`${pad}</${el.localName}>`);
}

/**
 * What the site ships (chartMarkup: no inline styles, geometry to 1/100 px), parsed again and written one element a
 * line with sorted attributes, renumbered Plot ids and long decimals rounded. Plot's class name (plot-d6a7b5) is
 * kept: it is a constant hash of Plot's stylesheet, and the site CSS selects on it, so a change must show here.
 */
export function normaliseChart(node: Element): { text: string; ext: 'svg' | 'html' } {
  const markup = chartMarkup(node);
  const { document } = parseHTML(`<!doctype html><html><body>${markup}</body></html>`);
  const root = document.body.firstElementChild as unknown as Element;
  const ext = root.localName === 'svg' ? 'svg' : 'html';
  // A standalone .svg file needs its namespace to open in a viewer (inline SVG in a page does not).
  if (ext === 'svg' && !root.hasAttribute('xmlns')) root.setAttribute('xmlns', SVG_NS);
  reindexIds(root);
  const out: string[] = [];
  pretty(root, 0, out);
  return { text: `${out.join('\n')}\n`, ext };
}

// ---- comparison -------------------------------------------------------------------------------------------------

const registered = new Set<string>();

/**
 * Compare a rendered chart with tests/unit/charts/snapshots/<name>.svg (or .html for a figure with a legend).
 * On a mismatch <name>-changed.<ext> is written beside it and the test fails with the diff. A missing snapshot
 * fails in CI; locally it is written only with ATLAS_UPDATE_SNAPSHOTS=1.
 */
export function expectChartSnapshot(name: string, chart: Element): void {
  const { text, ext } = normaliseChart(chart);
  const file = join(SNAPSHOT_DIR, `${name}.${ext}`);
  const changed = join(SNAPSHOT_DIR, `${name}-changed.${ext}`);
  const shown = relative(ROOT, file);
  const other = join(SNAPSHOT_DIR, `${name}.${ext === 'svg' ? 'html' : 'svg'}`);
  if (existsSync(other)) throw new Error(`${relative(ROOT, other)} exists, but the chart now renders as .${ext}: delete it and rerun with ATLAS_UPDATE_SNAPSHOTS=1.`);
  if (!existsSync(file)) {
    if (mayWrite()) {
      mkdirSync(SNAPSHOT_DIR, { recursive: true });
      writeFileSync(file, text);
      console.warn(`chart snapshot: wrote new ${shown}; look at it before committing it.`);
      return;
    }
    mkdirSync(SNAPSHOT_DIR, { recursive: true });
    writeFileSync(changed, text);
    throw new Error(
      inCI()
        ? `No snapshot ${shown}: CI never creates snapshots. Create it locally with ATLAS_UPDATE_SNAPSHOTS=1, look at it, and commit it.`
        : `No snapshot ${shown} (this render is in ${name}-changed.${ext}). Rerun with ATLAS_UPDATE_SNAPSHOTS=1 to write it, look at it, and commit it.`,
    );
  }
  const expected = readFileSync(file, 'utf8');
  if (text === expected) {
    rmSync(changed, { force: true });
    return;
  }
  writeFileSync(changed, text);
  expect(
    text,
    `${name} differs from ${shown}; the new render is in ${name}-changed.${ext}. If the change is intended, delete ${shown} and rerun with ATLAS_UPDATE_SNAPSHOTS=1 (or move the -changed file over it), and commit the new snapshot.`,
  ).toBe(expected);
}

/** A test named after its snapshot; the name is registered so that a snapshot no test renders is reported. */
export function snapshotTest(name: string, render: () => Element): void {
  if (registered.has(name)) throw new Error(`duplicate chart snapshot name: ${name}`);
  registered.add(name);
  it(name, () => expectChartSnapshot(name, render()));
}

/** Committed snapshots whose name no snapshotTest declared (a chart or variant that was removed or renamed). */
export function orphanSnapshots(): string[] {
  if (!existsSync(SNAPSHOT_DIR)) return [];
  return readdirSync(SNAPSHOT_DIR)
    .filter((f) => /\.(svg|html)$/.test(f) && !/-changed\.(svg|html)$/.test(f))
    .filter((f) => !registered.has(f.replace(/\.(svg|html)$/, '')));
}
