// The noise page's significance calculator in the browser: its form ↔ URL state, and the verdict with its arithmetic
// as text. <atlas-noise> resolves the sides (DuckDB-WASM) and runs compareRuns; this module only reads and draws.
import type { CollabConfig } from '../config.ts';
import type { BucketStripRow, TieRow } from '../queries/noise-page.sql.ts';
import type { Comparison } from '../stats/significance.ts';
import { h } from './dom.ts';
import { arithmeticLines, bucketGroupLabel, bucketOptionText, fmtScore, parsePick, parseRuns, resultGroupLabel, resultOptionText, withUnit } from './noise-format.ts';

/** The calculator's keys of the page state: sides `a` and `b` (`r:<result>`, `b:<bucket id>`, or runs) and σ. */
export interface CalcState {
  a: string | null;
  b: string | null;
  sigma: string | null;
}

/** What one calculator side resolved to. */
export interface Resolved {
  values: number[];
  /** How the side reads in the output, e.g. "result 2026…md (rapid-iguana)". */
  label: string;
  notes: string[];
}

const VERDICT_TEXT = { tie: 'Tie: inside the noise', 'likely real': 'Likely real', real: 'Real' } as const;

const field = <T extends HTMLInputElement | HTMLSelectElement>(form: HTMLFormElement, name: string): T | null =>
  (form.elements.namedItem(name) as T | null) ?? null;

/** The calculator's state after a change of `target` (a side's menu or runs, or σ); null when it is none of them. */
export function calcChange<S extends CalcState>(form: HTMLFormElement, target: Element, state: S): S | null {
  const name = target.getAttribute('name') ?? '';
  if (name === 'sigma') return { ...state, sigma: (target as HTMLInputElement).value.trim() || null };
  const side = name.slice(0, 1);
  if (side !== 'a' && side !== 'b') return null;
  const select = field<HTMLSelectElement>(form, `${side}-pick`);
  const typed = parseRuns(field<HTMLInputElement>(form, `${side}-values`)?.value ?? '').values;
  if (name.endsWith('-values')) {
    // Typing runs switches the side to typed numbers.
    if (select) select.value = '';
    return { ...state, [side]: typed.length ? typed.join(',') : null };
  }
  return { ...state, [side]: select?.value || typed.join(',') || null };
}

/**
 * Both sides' menus with these frontier results and buckets (DuckDB-WASM's, up to MENU_LIMIT), in the entries the page
 * drew its first ones with; each group's total is the page's (`data-total`). The state is shown again after (syncCalc).
 */
export function fillMenus(form: HTMLFormElement, ties: readonly TieRow[], buckets: readonly BucketStripRow[]): void {
  for (const group of form.querySelectorAll<HTMLOptGroupElement>('optgroup[data-menu]')) {
    const total = Number(group.dataset['total']);
    if (group.dataset['menu'] === 'results') {
      group.label = resultGroupLabel(ties.length, total);
      group.replaceChildren(...ties.map((r) => h('option', { value: `r:${r.filename}`, 'data-score': String(r.score), 'data-label': r.agent ?? r.filename }, resultOptionText(r))));
    } else if (group.dataset['menu'] === 'buckets') {
      group.label = bucketGroupLabel(buckets.length, total);
      group.replaceChildren(...buckets.map((b) => h('option', { value: `b:${b.bucket_id}` }, bucketOptionText(b))));
    }
  }
}

/** Show the state in the calculator's form; a result or bucket from a link that the menu lacks is added as an option. */
export function syncCalc(form: HTMLFormElement, state: CalcState): void {
  for (const side of ['a', 'b'] as const) {
    const p = parsePick(state[side]);
    const select = field<HTMLSelectElement>(form, `${side}-pick`);
    const input = field<HTMLInputElement>(form, `${side}-values`);
    if (select) {
      const v = p && p.kind !== 'values' ? (state[side] ?? '') : '';
      if (v && ![...select.options].some((o) => o.value === v)) select.append(h('option', { value: v }, v.slice(2)));
      select.value = v;
    }
    if (input && p?.kind === 'values') {
      // Keep what the reader typed when it parses to the same numbers (spaces, trailing commas).
      if (parseRuns(input.value).values.join(',') !== p.values.join(',')) input.value = p.values.join(', ');
    } else if (input && !p) input.value = '';
  }
  const sigma = field<HTMLInputElement>(form, 'sigma');
  if (sigma && (sigma.value.trim() || null) !== state.sigma) sigma.value = state.sigma ?? '';
}

/** The comparison's figures as data attributes of the output (tests and styles read them); absent when unknown. */
function setFigures(out: HTMLElement, c: Comparison | null): void {
  const figures: Record<string, string | null> = {
    method: c?.method ?? null,
    verdict: c?.verdict ?? null,
    stat: c?.stat === null || c?.stat === undefined ? null : String(c.stat),
    df: c?.df === null || c?.df === undefined ? null : String(c.df),
  };
  for (const [k, v] of Object.entries(figures)) {
    if (v === null) delete out.dataset[k];
    else out.dataset[k] = v;
  }
}

/** The output when a side is missing. */
export function showIdle(out: HTMLElement, oneSide: boolean): void {
  setFigures(out, null);
  out.dataset['state'] = 'idle';
  out.replaceChildren(h('p', { class: 'muted' }, `Pick or type ${oneSide ? 'the other side' : 'two sides'} to compare.`));
}

export interface Shown {
  a: Resolved;
  b: Resolved;
  sigma: number | null;
  /** Where σ came from: `typed` or `pooled σ`. */
  source: string;
  notes: string[];
}

/** The verdict line, the sides, the arithmetic and the caveats. */
export function showComparison(out: HTMLElement, c: Comparison, { a, b, sigma, source, notes }: Shown, config: Pick<CollabConfig, 'unit' | 'higher_is_better'>): void {
  setFigures(out, c);
  const verdict = c.verdict
    ? h('span', { class: `verdict verdict-${c.verdict.replace(' ', '-')}`, 'data-verdict-text': '' }, VERDICT_TEXT[c.verdict])
    : h('span', { class: 'verdict verdict-none', 'data-verdict-text': '' }, 'No verdict');
  const head = h('p', { class: 'verdict-line' }, verdict);
  if (c.stat !== null) {
    const stat = c.method === 'z' ? `z = ${fmtScore(c.stat)}` : `t = ${fmtScore(c.stat)}, df ${c.df === null ? '–' : c.df.toFixed(1)}`;
    head.append(' ', h('span', { class: 'stat', 'data-stat-text': '' }, stat));
  }
  if (c.method !== 'none' && c.verdict !== 'tie' && c.diff !== null && c.diff !== 0) {
    const aBetter = config.higher_is_better ? c.diff > 0 : c.diff < 0;
    head.append(` · ${aBetter ? 'A' : 'B'} is better by ${withUnit(fmtScore(Math.abs(c.diff)), config.unit)}`);
  }
  const parts: Node[] = [head];
  // compareRuns' sentence says why when there is no verdict; otherwise the arithmetic below says it all.
  if (c.method === 'none') parts.push(h('p', { 'data-words': '' }, c.words));
  parts.push(h('p', { class: 'muted' }, `A: ${a.label} · B: ${b.label}`));
  const lines = arithmeticLines(c, { a: a.values, b: b.values }, sigma, source, config.unit);
  parts.push(h('ol', { 'aria-label': 'Arithmetic' }, ...lines.map((l) => h('li', {}, l))));
  const caveats = [...a.notes.map((n) => `A: ${n}`), ...b.notes.map((n) => `B: ${n}`), ...notes, ...c.caveats];
  if (caveats.length) parts.push(h('ul', { class: 'caveats', 'aria-label': 'Caveats' }, ...caveats.map((x) => h('li', {}, x))));
  out.replaceChildren(...parts);
  out.dataset['state'] = 'ready';
}
