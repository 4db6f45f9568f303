// <atlas-episodes>: the interactions page's cards under the kind and agent filters (URL state), redrawn in the
// browser by the same view as the first paint (views/episode-cards.ts). The first paint draws the first cards of
// each kind; "Show more" draws the next ones of that kind, and a link to a card further down (`#ep-…`) draws every
// card up to it.
import { FIRST_CARDS, MORE_CARDS, type EpisodeCardRow } from '../queries/episodes.sql.ts';
import { episodeCardsView } from '../views/episode-cards.ts';
import { ViewElement, type Panel } from './view-element.ts';

/** URL parameters: `kind` (one episode kind), `agent` (episodes the agent takes part in). */
export const EPISODE_DEFAULTS = { kind: null, agent: null } as { kind: string | null; agent: string | null };
type State = typeof EPISODE_DEFAULTS;

export class AtlasEpisodes extends ViewElement<State> {
  protected readonly defaults = EPISODE_DEFAULTS;
  /** Cards drawn per kind beyond the first screen ("Show more"); a new filter starts again from the first screen. */
  #perKind: Record<string, number> = {};
  /** After "Show more": the first new card of that kind gets the keyboard focus (the button is redrawn away). */
  #focusNext: { kind: string; index: number } | null = null;

  override connectedCallback(): void {
    this.dataset['js'] = '';
    this.addEventListener('click', (e) => {
      const button = (e.target as Element | null)?.closest?.('button[data-more]');
      const kind = button?.getAttribute('data-more');
      if (!button || !kind || !this.contains(button)) return;
      const shown = this.#cardsOf(kind).length;
      this.#perKind = { ...this.#perKind, [kind]: Math.max(shown, FIRST_CARDS) + MORE_CARDS };
      this.#focusNext = { kind, index: shown };
      void this.update();
    });
    window.addEventListener('popstate', () => (this.#perKind = {}));
    window.addEventListener('hashchange', () => this.#openAnchor());
    super.connectedCallback();
    // A link to a card not in the first screen: draw the cards up to it (the URL's filters, if any, already redraw).
    if (location.search.length <= 1) this.#openAnchor();
  }

  override set(next: State, push = true): void {
    this.#perKind = {};
    this.#focusNext = null;
    super.set(next, push);
  }

  /** Evidence rows under the current filters, once DuckDB-WASM has answered (null before). */
  get rows(): EpisodeCardRow[] | null {
    return (this.answers[episodeCardsView.name] as EpisodeCardRow[] | undefined) ?? null;
  }

  protected panels(s: State): Panel[] {
    const noMessages = this.dataset['noMessages'] === 'true';
    return [{ view: episodeCardsView, filters: { kind: s.kind, agent: s.agent, noMessages, perKind: this.#perKind, anchor: anchorOf(location.hash) } } as Panel];
  }

  protected override afterRender(): void {
    const next = this.#focusNext;
    this.#focusNext = null;
    if (next) {
      this.#cardsOf(next.kind)[next.index]?.querySelector<HTMLElement>('h4 a')?.focus();
      return;
    }
    // A card's anchor in the URL: bring it into view once the cards under the filters are drawn.
    const id = anchorOf(location.hash);
    if (id) document.getElementById(id)?.scrollIntoView({ block: 'start' });
  }

  /** The cards of one kind drawn now, in order. */
  #cardsOf(kind: string): NodeListOf<HTMLElement> {
    return this.querySelectorAll<HTMLElement>(`section[data-kind-section="${CSS.escape(kind)}"] article.episode-card`);
  }

  #openAnchor(): void {
    const id = anchorOf(location.hash);
    if (id && !document.getElementById(id)) void this.update();
  }
}

/** The card anchor a URL fragment names (`#ep-…`), or null. */
function anchorOf(hash: string): string | null {
  const id = decodeURIComponent(hash.slice(1));
  return id.startsWith('ep-') ? id : null;
}

export function defineEpisodes(): void {
  if (!customElements.get('atlas-episodes')) customElements.define('atlas-episodes', AtlasEpisodes);
}
