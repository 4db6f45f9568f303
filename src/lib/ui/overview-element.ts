// <atlas-overview>: the overview's story panels (timeline with moments, what changed when) under one toggle, verified
// only or verified and pending, kept in the URL (`?verified=1`). The panels are the same views as the first paint.
import { overviewChanges, overviewTimeline } from '../views/overview-story.ts';
import { ViewElement, type Panel } from './view-element.ts';

const DEFAULTS = { verified: false } as { verified: boolean };
type State = typeof DEFAULTS;

export class AtlasOverview extends ViewElement<State> {
  protected readonly defaults = DEFAULTS;

  override connectedCallback(): void {
    super.connectedCallback();
    // The build-time chart is drawn for a desktop; on a narrow screen it is redrawn at the screen's width.
    if (location.search.length <= 1 && this.#width() !== null) void this.update();
  }

  /** The chart slot's width when it is narrower than the build-time chart, else null. */
  #width(): number | null {
    const w = this.querySelector<HTMLElement>('[data-view="overview-timeline"]')?.clientWidth ?? 0;
    return w > 0 && w < 700 ? Math.max(300, w) : null;
  }

  protected panels(s: State): Panel[] {
    const filters = { verified: s.verified, width: this.#width() };
    return [{ view: overviewTimeline, filters } as Panel, { view: overviewChanges, filters } as Panel];
  }
}

export function defineOverview(): void {
  if (!customElements.get('atlas-overview')) customElements.define('atlas-overview', AtlasOverview);
}
