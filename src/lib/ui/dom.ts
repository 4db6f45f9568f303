// Small DOM helpers for custom elements: build elements with text (never HTML), and fill tables.
import { formatCell, isNumeric } from '../db/format.ts';

type Attrs = Record<string, string | number | boolean | null | undefined>;

/** Create an element; children are nodes or text (set as textContent, so data never becomes markup). */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: (Node | string | null | undefined)[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children) if (c !== null && c !== undefined) el.append(typeof c === 'string' ? document.createTextNode(c) : c);
  return el;
}

export interface ColumnSpec<R> {
  key: string;
  label: string;
  /** Cell content: text or a node (links); default formats the row's value. */
  cell?: (row: R) => Node | string;
  numeric?: boolean;
}

export function tableRows<R extends Record<string, unknown>>(rows: readonly R[], cols: readonly ColumnSpec<R>[]): HTMLTableRowElement[] {
  return rows.map((r) => {
    const tr = document.createElement('tr');
    for (const c of cols) {
      const v = c.cell ? c.cell(r) : formatCell(r[c.key]);
      const td = h('td', { class: (c.numeric ?? isNumeric(r[c.key])) ? 'num' : null });
      td.append(typeof v === 'string' ? document.createTextNode(v) : v);
      tr.append(td);
    }
    return tr;
  });
}

/**
 * A filter form applies in place: Enter (submit) does not load a page, and the clear button of a text filter
 * (src/components/facet-filter.astro at scale) fires `search`, which does not bubble, so it is heard on each field.
 */
export function applyInPlace(form: HTMLFormElement | null, apply: () => void): void {
  form?.addEventListener('submit', (e) => {
    e.preventDefault();
    apply();
  });
  for (const input of form?.querySelectorAll<HTMLInputElement>('input[list]') ?? []) input.addEventListener('search', apply);
}
