// The console's side lists: the query history (kept in this browser only) and the schema browser's filter.
import { minuteText, plural } from '../format.ts';
import { h } from '../ui/dom.ts';
import type { HistoryEntry } from './history.ts';

export { plural };

/** A duration as the console shows it: `840 ms`, `2.35 s`, `12.4 s`. */
export const msText = (t: number): string => (t < 1000 ? `${Math.round(t)} ms` : `${(t / 1000).toFixed(t < 10_000 ? 2 : 1)} s`);

/** Draw the history list; picking an entry hands its SQL to `onPick`. */
export function renderHistoryList(list: HTMLElement, clear: HTMLButtonElement, history: readonly HistoryEntry[], onPick: (sql: string) => void): void {
  clear.hidden = history.length === 0;
  if (history.length === 0) {
    list.replaceChildren(h('li', { class: 'muted' }, 'Queries you run are kept here, in this browser only.'));
    return;
  }
  list.replaceChildren(
    ...history.map((e) => {
      const first = e.sql.split('\n').find((l) => l.trim() && !l.trim().startsWith('--'))?.trim() ?? e.sql.trim();
      const meta = e.ok ? `${e.rows === null ? '' : plural(e.rows, 'row')} · ${e.ms === null ? '' : msText(e.ms)}` : 'failed or stopped';
      const b = h('button', { type: 'button', class: 'history-item', title: e.sql }, h('code', {}, first.length > 90 ? `${first.slice(0, 89)}…` : first), h('span', { class: 'muted' }, `${minuteText(e.at)} UTC · ${meta}`));
      b.addEventListener('click', () => onPick(e.sql));
      return h('li', {}, b);
    }),
  );
}

/** The schema browser's filter: hides tables and columns that do not match, opening tables matched by a column. */
export function wireSchemaFilter(root: Element): void {
  const input = root.querySelector<HTMLInputElement>('[data-schema-filter]');
  input?.addEventListener('input', () => {
    const q = input.value.trim().toLowerCase();
    for (const t of root.querySelectorAll<HTMLDetailsElement>('details[data-table]')) {
      const cols = [...t.querySelectorAll<HTMLElement>('li[data-column]')];
      const tableHit = !q || (t.dataset['table'] ?? '').includes(q);
      let any = false;
      for (const c of cols) {
        const hit = tableHit || (c.dataset['column'] ?? '').includes(q) || (c.textContent ?? '').toLowerCase().includes(q);
        c.hidden = !hit;
        any ||= hit;
      }
      t.hidden = !(tableHit || any);
      if (q && any && !tableHit) t.open = true;
    }
  });
}

