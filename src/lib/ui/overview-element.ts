// <atlas-overview>: the overview's story panels (timeline with moments, what changed when) under one toggle, verified
// only or verified and pending, kept in the URL (`?verified=1`). The panels are the same views as the first paint.
import { overviewChanges, overviewTimeline } from '../views/overview-story.ts';
import { ViewElement, type Panel } from './view-element.ts';

const DEFAULTS = { verified: false } as { verified: boolean };
type State = typeof DEFAULTS;

export class AtlasOverview extends ViewElement<State> {
  protected readonly defaults = DEFAULTS;

  protected panels(s: State): Panel[] {
    const filters = { verified: s.verified };
    return [{ view: overviewTimeline, filters } as Panel, { view: overviewChanges, filters } as Panel];
  }
}

export function defineOverview(): void {
  if (!customElements.get('atlas-overview')) customElements.define('atlas-overview', AtlasOverview);
}
