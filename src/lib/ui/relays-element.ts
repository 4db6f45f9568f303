// <atlas-relays>: relay filters, the ranked swimlanes and table, and a relay opened by id, run in DuckDB-WASM; state in
// the URL. Each panel is a view (views/relay-lanes.ts, views/relay-table.ts), the same render as the first paint.
import type { RelayChainQueryRow } from '../queries/relays.sql.ts';
import { relayChainView, relayLanesView } from '../views/relay-lanes.ts';
import { RELAY_TABLE_ROWS, relayTable } from '../views/relay-table.ts';
import { RELAY_DEFAULTS, relayCount, relayFilters, type RelayState } from './relay-format.ts';
import { readState, stateSearch } from './url-state.ts';
import { ViewElement, type Panel } from './view-element.ts';

/** Below this width (px) the build-time swimlanes are too small to read: they are redrawn in the browser. */
const NARROW = 700;

export class AtlasRelays extends ViewElement<RelayState> {
  protected readonly defaults = RELAY_DEFAULTS;
  /** Swimlanes per "show more" step, and drawn now (back to one step when the filters change). */
  #top = 10;
  #shown = 10;
  #filters = '';

  /** The table's relays under the current filters (the first RELAY_TABLE_ROWS, each with the count of all), once DuckDB-WASM has run the query. */
  get rows(): RelayChainQueryRow[] | null {
    return (this.answers[relayTable.name] as RelayChainQueryRow[] | undefined) ?? null;
  }

  override connectedCallback(): void {
    this.#top = Number(this.dataset['top'] ?? 10) || 10;
    this.#shown = this.#top;
    super.connectedCallback();
    // The build-time swimlanes are drawn 1000 px wide; a narrow screen redraws them at its own width when idle.
    const narrow = this.#width() > 0 && this.#width() < NARROW;
    if (narrow && location.search.length <= 1 && !this.hasAttribute('data-stale')) {
      const start = (): void => void this.update();
      if ('requestIdleCallback' in window) requestIdleCallback(start, { timeout: 3000 });
      else setTimeout(start, 300);
    }
    this.addEventListener('click', (e) => this.#onClick(e));
    const more = this.querySelector<HTMLButtonElement>('[data-show-more]');
    if (more) {
      more.disabled = false;
      more.addEventListener('click', () => {
        this.#shown += this.#top;
        void this.update();
      });
    }
  }

  protected panels(s: RelayState): Panel[] {
    const filters = JSON.stringify(relayFilters(s));
    if (filters !== this.#filters) this.#shown = this.#top;
    this.#filters = filters;
    const width = Math.max(280, Math.min(this.#width() || 900, 1000));
    const panels: Panel[] = [
      { view: relayLanesView, filters: { state: s, top: this.#shown, width } } as Panel,
      { view: relayTable, filters: { state: s, limit: RELAY_TABLE_ROWS } } as Panel,
    ];
    if (s.chain) panels.push({ view: relayChainView, filters: { state: s, width } } as Panel);
    return panels;
  }

  /** Width the swimlanes have: their slot's (the element itself is inline, with no width of its own). */
  #width(): number {
    return this.querySelector<HTMLElement>(`[data-view="${relayLanesView.name}"]`)?.clientWidth ?? 0;
  }

  /** Changing the filters closes the open relay: the page is about the list again. */
  protected override fromForm(form: HTMLFormElement): RelayState {
    const next = super.fromForm(form);
    return { ...next, kind: next.kind ?? 'all', chain: null };
  }

  protected override afterRender(s: RelayState): void {
    const rows = this.rows ?? [];
    const total = rows[0]?.total ?? rows.length;
    const count = this.querySelector<HTMLElement>('[data-count]');
    if (count) count.textContent = relayCount(total, s);
    const more = this.querySelector<HTMLButtonElement>('[data-show-more]');
    if (more) {
      more.hidden = total <= this.#shown;
      more.textContent = `Show ${Math.min(this.#top, total - this.#shown)} more`;
    }
    const panel = this.querySelector<HTMLElement>('[data-chain-panel]');
    if (!panel) return;
    panel.hidden = !s.chain;
    if (s.chain) panel.dataset['chainId'] = s.chain;
    else {
      panel.replaceChildren();
      delete panel.dataset['chainId'];
    }
  }

  /** Links to this page (open a relay, close it, an agent's bars in the roles chart) change the state without a reload. */
  #onClick(e: MouseEvent): void {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    const a = (e.target as Element | null)?.closest?.('a');
    if (!a || !this.contains(a)) return;
    const raw = a.getAttribute('href') ?? a.getAttribute('xlink:href');
    if (!raw) return;
    const url = new URL(raw, location.href);
    // Other pages, and in-page anchors (#rules), are the browser's.
    if (url.origin !== location.origin || url.pathname !== location.pathname || url.hash) return;
    e.preventDefault();
    const next = readState(RELAY_DEFAULTS, url.search);
    if (stateSearch(next, RELAY_DEFAULTS) !== stateSearch(this.state, RELAY_DEFAULTS)) this.set(next);
    this.querySelector<HTMLElement>(next.chain ? '[data-chain-panel]' : '[data-list]')?.scrollIntoView({ block: 'start' });
  }
}

export function defineRelays(): void {
  if (!customElements.get('atlas-relays')) customElements.define('atlas-relays', AtlasRelays);
}
