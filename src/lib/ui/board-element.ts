// <atlas-board>: search, filters and the focus view of the board, run in DuckDB-WASM, state in the URL. The list is
// the board-list view (the same render as the first paint); the focus view is the five board-focus views.
import { boardList, boardListCount } from '../views/board-list.ts';
import { FOCUS_VIEWS, focusCount, focusItemView } from '../views/board-focus.ts';
import { markdownKit } from './markdown-kit.ts';
import type { FocusItemRow } from '../queries/board.sql.ts';
import { ViewElement, type Panel } from './view-element.ts';

const DEFAULTS = { q: null, agent: null, type: null, kind: null, day: null, mention: null, focus: null } as {
  q: string | null;
  agent: string | null;
  type: string | null;
  kind: string | null;
  day: string | null;
  mention: string | null;
  /** A message or result filename shown with its thread. */
  focus: string | null;
};
type State = typeof DEFAULTS;

const filtersOf = (s: State) => ({ q: s.q, agent: s.agent, type: s.type, kind: s.kind, day: s.day, mention: s.mention });

export class AtlasBoard extends ViewElement<State> {
  protected readonly defaults = DEFAULTS;
  /** Items per page of the list; "Show more" adds as many. */
  #first = 50;
  #limit = 50;
  #typingPushed = false;
  #debounce: ReturnType<typeof setTimeout> | undefined;

  override connectedCallback(): void {
    this.#first = Number(this.dataset['first'] ?? 50) || 50;
    this.#limit = this.#first;
    const form = this.querySelector('form');
    form?.addEventListener('input', (e) => {
      if ((e.target as HTMLInputElement | null)?.name !== 'q') return;
      clearTimeout(this.#debounce);
      // While typing, the first change adds a history entry and later ones replace it (see set).
      this.#debounce = setTimeout(() => {
        this.set(this.fromForm(form), !this.#typingPushed);
        this.#typingPushed = true;
      }, 300);
    });
    this.addEventListener('click', (e) => this.#onClick(e));
    window.addEventListener('popstate', () => (this.#limit = this.#first));
    super.connectedCallback();
  }

  /** A new state starts the list at its first page; a change after typing replaces the typing's history entry. */
  override set(next: State, push = true): void {
    clearTimeout(this.#debounce);
    const typed = this.#typingPushed;
    this.#typingPushed = false;
    this.#limit = this.#first;
    super.set(next, push && !typed);
  }

  /** A filter change leaves the focus view for the list. */
  protected override fromForm(form: HTMLFormElement): State {
    return { ...super.fromForm(form), focus: null };
  }

  protected async panels(s: State): Promise<Panel[]> {
    if (!s.focus) return [{ view: boardList, filters: { ...filtersOf(s), limit: this.#limit } } as Panel];
    const markdown = await markdownKit((spec) => this.run(spec));
    return FOCUS_VIEWS.map((view) => ({ view, filters: { filename: s.focus, markdown } }) as Panel);
  }

  protected override afterRender(s: State): void {
    const item = (this.answers[focusItemView.name] as FocusItemRow[] | undefined)?.[0];
    const focusPanel = this.querySelector<HTMLElement>('[data-focus-panel]');
    const listPanel = this.querySelector<HTMLElement>('[data-list-panel]');
    if (focusPanel) focusPanel.hidden = !s.focus;
    if (listPanel) listPanel.hidden = !!s.focus;
    // A file not in the export: only the "not found" note, not empty thread and link sections.
    for (const rest of this.querySelectorAll<HTMLElement>(`[data-focus-panel] [data-view]:not([data-view="${focusItemView.name}"])`)) rest.hidden = !item;
    const count = this.querySelector<HTMLElement>('[data-count]');
    if (count) count.textContent = s.focus ? focusCount(item) : boardListCount(this.answers[boardList.name] as [], filtersOf(s));
  }

  /** In-page links: focus links (headlines, thread items, filenames in bodies) and "all threads" keep the page. */
  #onClick(e: MouseEvent): void {
    const target = (e.target as Element | null)?.closest?.('a, button');
    if (!target || !this.contains(target)) return;
    if (target.matches('button[data-more]')) {
      this.#limit += this.#first;
      void this.update();
      return;
    }
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    const focus = target.getAttribute('data-focus');
    if (target.hasAttribute('data-clear-focus') || focus) {
      e.preventDefault();
      this.set({ ...this.state, focus: focus || null });
      if (focus) this.scrollIntoView({ block: 'start' });
    }
  }

}

export function defineBoard(): void {
  if (!customElements.get('atlas-board')) customElements.define('atlas-board', AtlasBoard);
}
