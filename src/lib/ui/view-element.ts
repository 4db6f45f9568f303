// The one base element for interactive panels (in the spirit of a Mosaic client under its coordinator): URL state →
// each panel's query → the panel's own render → swap into its slot. Stale answers are dropped, loading and error
// states, caching and "view the SQL" are written once here; a page's element only names its state and its panels.
import type { CollabConfig } from '../config.ts';
import type { QuerySpec } from '../db/connector.ts';
import { consoleHref } from '../sql-text.ts';
import { labelTableCells } from '../views/parts.ts';
import { el, type View, type ViewCtx } from '../views/view.ts';
import { unpagedAgents } from './agent-links.ts';
import { applyInPlace } from './dom.ts';
import { readState, writeState, type StateValue } from './url-state.ts';

/** One panel of the element: a view and the filters it takes from the element's state. */
export interface Panel<F = unknown, R = unknown> {
  view: View<F, R>;
  filters: F;
}

export type State = Record<string, StateValue>;

export abstract class ViewElement<S extends State> extends HTMLElement {
  state!: S;
  /** Rows of each panel as last drawn, by view name (for tests and subclasses). */
  answers: Record<string, readonly unknown[]> = {};
  protected config!: CollabConfig;
  protected base = '/';
  #seq = 0;
  #cache = new Map<string, Promise<unknown[]>>();

  /** The URL state and its defaults (a key absent from the URL takes its default). */
  protected abstract readonly defaults: S;
  /**
   * The panels to draw for a state. A promise when a panel needs something loaded first (the markdown renderer, a
   * lookup through `run`); it is awaited like the queries, so a newer state still wins.
   */
  protected abstract panels(state: S): Panel[] | Promise<Panel[]>;
  /**
   * Called after every panel has been drawn for `state` (charts that share a panel's rows, counts); the element is
   * ready when its promise settles, and a newer state's answer still wins.
   */
  protected afterRender(_state: S): void | Promise<void> {}

  connectedCallback(): void {
    this.config = JSON.parse(this.dataset['config'] ?? '{}') as CollabConfig;
    this.base = this.dataset['base'] ?? '/';
    this.state = readState(this.defaults);
    this.syncForm();
    const form = this.querySelector('form');
    form?.addEventListener('change', () => this.set(this.fromForm(form)));
    form?.addEventListener('reset', () => setTimeout(() => this.set({ ...this.defaults })));
    applyInPlace(form, () => form && this.set(this.fromForm(form)));
    window.addEventListener('popstate', () => {
      this.state = readState(this.defaults);
      this.syncForm();
      void this.update();
    });
    // DuckDB-WASM loads only when needed: a URL that asks for a view now, a build-time panel that is not the whole
    // answer (data-stale) when the browser is idle, otherwise on the first interaction.
    const start = (): void => void this.update();
    if (location.search.length > 1) start();
    else if (this.hasAttribute('data-stale')) {
      if ('requestIdleCallback' in window) requestIdleCallback(start, { timeout: 3000 });
      else setTimeout(start, 300);
    }
  }

  /** Change the state: into the URL (back and forward work; `push` false replaces the entry, as typing does), into the form, then redraw. */
  set(next: S, push = true): void {
    this.state = next;
    writeState(next, this.defaults, push);
    this.syncForm();
    void this.update();
  }

  /** Run every panel's query for the current state and redraw; a newer state's answer wins. */
  async update(): Promise<void> {
    const seq = ++this.#seq;
    const state = this.state;
    const status = this.querySelector<HTMLElement>('[data-status]');
    this.dataset['state'] = 'loading';
    if (status) status.textContent = 'Running the query in your browser…';
    try {
      const panels = await this.panels(state);
      const [unpaged, ...answers] = await Promise.all([unpagedAgents(this.base), ...panels.map((p) => this.#load(p.view, p.filters))]);
      if (seq !== this.#seq) return;
      const ctx: ViewCtx = { doc: document, base: this.base, config: this.config, unpaged };
      panels.forEach((p, i) => {
        this.#draw(p, answers[i] ?? [], ctx);
      });
      this.removeAttribute('data-stale');
      await this.afterRender(state);
      if (seq !== this.#seq) return;
      if (status) status.textContent = '';
      this.dataset['state'] = 'ready';
    } catch (e) {
      if (seq !== this.#seq) return;
      if (status) status.textContent = `Could not run the query in your browser: ${e instanceof Error ? e.message : String(e)}. Reload the page to try again.`;
      this.dataset['state'] = 'error';
    }
  }

  /**
   * One panel into its slot, and its "view the SQL" links. A slot marked `data-sql` (a panel drawn only in the browser,
   * with no link in the page) gets its link after the panel.
   */
  #draw(p: Panel, rows: readonly unknown[], ctx: ViewCtx): void {
    const name = p.view.name;
    this.answers[name] = rows;
    const slot = this.querySelector(`[data-view="${name}"]`);
    const node = p.view.render(rows, ctx, p.filters);
    labelTableCells(node);
    slot?.replaceChildren(node);
    if (slot?.hasAttribute('data-sql')) slot.append(el(document, 'p', { class: 'sql' }, el(document, 'a', { 'data-sql-for': name }, 'View the SQL')));
    for (const a of this.querySelectorAll<HTMLAnchorElement>(`a[data-sql-for="${name}"]`)) a.href = consoleHref(this.base, p.view.query(p.filters, this.config));
  }

  /** One view drawn outside the URL state (a detail panel that a click opens), with the same queries and cache. */
  protected async drawView<F, R>(view: View<F, R>, filters: F): Promise<Element> {
    const [unpaged, rows] = await Promise.all([unpagedAgents(this.base), this.#load(view, filters)]);
    const node = view.render(rows, { doc: document, base: this.base, config: this.config, unpaged }, filters);
    labelTableCells(node);
    return node;
  }

  /** A view's rows: its own `load` when it has one (several queries), else its query. */
  #load<F, R>(view: View<F, R>, filters: F): Promise<R[]> {
    if (view.load) return view.load(filters, this.config, <T>(spec: QuerySpec) => this.run<T>(spec));
    return this.run<R>(view.query(filters, this.config));
  }

  /** A query's rows from DuckDB-WASM, cached by its SQL and parameters (a failed query is not cached). */
  protected run<T = unknown>(spec: QuerySpec): Promise<T[]> {
    const key = JSON.stringify([spec.sql, spec.params ?? []]);
    let hit = this.#cache.get(key);
    if (!hit) {
      hit = import('../db/browser.ts').then(({ query }) => query<unknown>(spec.sql, spec.params));
      hit.catch(() => this.#cache.delete(key));
      this.#cache.set(key, hit);
    }
    return hit as Promise<T[]>;
  }

  /** The state as the form says: each key of the defaults that names a form control. */
  protected fromForm(form: HTMLFormElement): S {
    const next: State = { ...this.state };
    for (const [k, d] of Object.entries(this.defaults)) {
      const c = form.elements.namedItem(k);
      if (c instanceof HTMLInputElement && c.type === 'checkbox') next[k] = c.checked;
      else if (c instanceof HTMLInputElement || c instanceof HTMLSelectElement) next[k] = c.value.trim() || (typeof d === 'boolean' ? false : null);
    }
    return next as S;
  }

  /** Show the state in the form; a value from a link that a menu lacks is added as an option (it still filters). */
  protected syncForm(): void {
    const form = this.querySelector('form');
    if (!form) return;
    for (const k of Object.keys(this.defaults)) {
      const c = form.elements.namedItem(k);
      const v = this.state[k];
      if (c instanceof HTMLInputElement && c.type === 'checkbox') c.checked = v === true;
      else if (c instanceof HTMLSelectElement) {
        const s = typeof v === 'string' ? v : '';
        if (s && ![...c.options].some((o) => o.value === s)) c.append(new Option(s, s));
        c.value = s;
      } else if (c instanceof HTMLInputElement) c.value = typeof v === 'string' ? v : '';
    }
  }
}
