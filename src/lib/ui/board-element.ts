// <atlas-board>: search, filters and the focus view of the board, run in DuckDB-WASM, state in the URL. The list is
// the board-list view (the same render as the first paint); the focus view is the five board-focus views.
import { boardFeedCount, boardFeedView } from '../views/board-feed.ts';
import { boardList, boardListCount } from '../views/board-list.ts';
import { FOCUS_VIEWS, focusCount, focusItemView } from '../views/board-focus.ts';
import { markdownKit } from './markdown-kit.ts';
import type { FocusItemRow } from '../queries/board.sql.ts';
import { ViewElement, type Panel } from './view-element.ts';

const DEFAULTS = { view: 'threads', order: 'new', q: null, agent: null, type: null, kind: null, day: null, mention: null, focus: null } as {
  /** threads (rebuilt from refs) or feed (every message in time order). */
  view: string;
  /** The feed's order: new (newest first) or old. */
  order: string;
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
  /** Items per page of the list and of the feed; "Show more" adds a page. */
  #first = 50;
  #feedFirst = 10;
  #pages = 1;
  #typingPushed = false;
  /** The view to keep through a form reset (Reset clears filters, it does not leave the feed). */
  #keepView: string | null = null;
  #debounce: ReturnType<typeof setTimeout> | undefined;

  override connectedCallback(): void {
    this.#first = Number(this.dataset['first'] ?? 50) || 50;
    this.#feedFirst = Number(this.dataset['feedFirst'] ?? 10) || 10;
    // Without JavaScript the Feed tab is `?view=feed#feed` (CSS shows the feed for that :target); here the state decides.
    this.dataset['js'] = '';
    if (location.hash === '#feed') history.replaceState(history.state, '', `${location.pathname}${location.search}`);
    document.addEventListener('keydown', (e) => this.#onKey(e));
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
    form?.addEventListener('reset', () => (this.#keepView = this.state.view));
    this.addEventListener('click', (e) => this.#onClick(e));
    window.addEventListener('popstate', () => (this.#pages = 1));
    super.connectedCallback();
  }

  /** A new state starts the list at its first page; a change after typing replaces the typing's history entry. */
  override set(next: State, push = true): void {
    clearTimeout(this.#debounce);
    const typed = this.#typingPushed;
    this.#typingPushed = false;
    this.#pages = 1;
    const view = this.#keepView;
    this.#keepView = null;
    super.set(view ? { ...next, view } : next, push && !typed);
  }

  /** A filter change leaves the focus view for the list. */
  protected override fromForm(form: HTMLFormElement): State {
    return { ...super.fromForm(form), view: this.state.view, focus: null };
  }

  protected async panels(s: State): Promise<Panel[]> {
    if (!s.focus && s.view === 'feed') return [{ view: boardFeedView, filters: this.#feedFilters(s) } as Panel];
    if (!s.focus) return [{ view: boardList, filters: { ...filtersOf(s), limit: this.#first * this.#pages } } as Panel];
    const markdown = await markdownKit((spec) => this.run(spec));
    return FOCUS_VIEWS.map((view) => ({ view, filters: { filename: s.focus, markdown } }) as Panel);
  }

  protected override afterRender(s: State): void {
    const item = (this.answers[focusItemView.name] as FocusItemRow[] | undefined)?.[0];
    const feed = !s.focus && s.view === 'feed';
    this.dataset['mode'] = s.focus ? 'focus' : feed ? 'feed' : 'threads';
    this.#show('[data-focus-panel]', !!s.focus);
    this.#show('[data-list-panel]', !s.focus && !feed);
    this.#show('[data-feed-panel]', feed);
    for (const tab of this.querySelectorAll<HTMLElement>('[data-tab]')) {
      if (tab.dataset['tab'] === (feed ? 'feed' : 'threads')) tab.setAttribute('aria-current', 'page');
      else tab.removeAttribute('aria-current');
    }
    // A file not in the export: only the "not found" note, not empty thread and link sections.
    for (const rest of this.querySelectorAll<HTMLElement>(`[data-focus-panel] [data-view]:not([data-view="${focusItemView.name}"])`)) rest.hidden = !item;
    const count = this.querySelector<HTMLElement>('[data-count]');
    if (count) {
      count.textContent = s.focus
        ? focusCount(item)
        : feed
          ? boardFeedCount(this.answers[boardFeedView.name] as [], this.#feedFilters(s))
          : boardListCount(this.answers[boardList.name] as [], filtersOf(s));
    }
  }

  /** In-page links: focus links (headlines, thread items, filenames in bodies) and "all threads" keep the page. */
  #onClick(e: MouseEvent): void {
    const target = (e.target as Element | null)?.closest?.('a, button');
    if (!target || !this.contains(target)) return;
    if (target.matches('button[data-more]')) {
      this.#pages += 1;
      void this.update();
      return;
    }
    const tab = target.getAttribute('data-tab');
    if (tab && !e.defaultPrevented && e.button === 0 && !(e.metaKey || e.ctrlKey || e.shiftKey || e.altKey)) {
      e.preventDefault();
      this.set({ ...this.state, view: tab, focus: null });
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

  #feedFilters(s: State) {
    return { ...filtersOf(s), order: s.order === 'old' ? ('old' as const) : ('new' as const), limit: this.#feedFirst * this.#pages };
  }

  #show(selector: string, on: boolean): void {
    const panel = this.querySelector<HTMLElement>(selector);
    if (panel) panel.hidden = !on;
  }

  /** `/` focuses the search box, unless a field (or an editable element) has the keys. */
  #onKey(e: KeyboardEvent): void {
    if (e.key !== '/' || e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return;
    const t = e.target as HTMLElement | null;
    if (t?.closest?.('input, textarea, select, [contenteditable=""], [contenteditable="true"]')) return;
    const search = this.querySelector<HTMLInputElement>('input[name="q"]');
    if (!search || search.offsetParent === null) return;
    e.preventDefault();
    search.focus();
    search.select();
  }
}

export function defineBoard(): void {
  if (!customElements.get('atlas-board')) customElements.define('atlas-board', AtlasBoard);
}
