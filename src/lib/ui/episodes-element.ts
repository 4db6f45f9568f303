// <atlas-episodes>: the interactions page's cards under the kind and agent filters (URL state), redrawn in the
// browser by the same view as the first paint (views/episode-cards.ts).
import type { EpisodeCardRow } from '../queries/episodes.sql.ts';
import { episodeCardsView } from '../views/episode-cards.ts';
import { ViewElement, type Panel } from './view-element.ts';

/** URL parameters: `kind` (one episode kind), `agent` (episodes the agent takes part in). */
export const EPISODE_DEFAULTS = { kind: null, agent: null } as { kind: string | null; agent: string | null };
type State = typeof EPISODE_DEFAULTS;

export class AtlasEpisodes extends ViewElement<State> {
  protected readonly defaults = EPISODE_DEFAULTS;

  /** Evidence rows under the current filters, once DuckDB-WASM has answered (null before). */
  get rows(): EpisodeCardRow[] | null {
    return (this.answers[episodeCardsView.name] as EpisodeCardRow[] | undefined) ?? null;
  }

  protected panels(s: State): Panel[] {
    const noMessages = this.dataset['noMessages'] === 'true';
    return [{ view: episodeCardsView, filters: { kind: s.kind, agent: s.agent, noMessages } } as Panel];
  }

  protected override afterRender(): void {
    // A card's anchor in the URL: bring it into view once the cards under the filters are drawn.
    const id = location.hash.slice(1);
    if (id) document.getElementById(id)?.scrollIntoView({ block: 'start' });
  }
}

export function defineEpisodes(): void {
  if (!customElements.get('atlas-episodes')) customElements.define('atlas-episodes', AtlasEpisodes);
}
