// A chart as a figure a reader can read on any screen: a caption naming it, its legend, the chart drawn for a
// desktop and for a phone (CSS shows the one that fits: atlas.css `.chart-wide` / `.chart-narrow`, so text is
// never shrunk under 11 px), and a one-sentence summary as its text alternative. Works at build time (linkedom)
// and in the browser.
import { tidyChart } from './tidy.ts';

/** Widths a chart is drawn at: the page's content column on a laptop, and on a 360 px phone. */
export const WIDE = 760;
export const NARROW = 320;

export interface FigureSpec {
  caption: string;
  /** What the chart shows, in words (totals, extremes): its text alternative, visible under it. */
  summary?: string;
  /** Id of an element on the page that has the chart's numbers (a table): the figure is described by it. */
  describedBy?: string;
  /** Further attributes of the figure (data-* hooks of the page's element and tests). */
  attrs?: Record<string, string>;
  legend?: Element | null;
  /** The chart at a width. */
  draw: (width: number) => Element;
  wide?: number;
  narrow?: number;
  cls?: string;
}

export function chartFigure(doc: Document, spec: FigureSpec): HTMLElement {
  const fig = doc.createElement('figure');
  fig.setAttribute('class', `chart two-widths${spec.cls ? ` ${spec.cls}` : ''}`);
  for (const [k, v] of Object.entries(spec.attrs ?? {})) fig.setAttribute(k, v);
  if (spec.describedBy) fig.setAttribute('aria-describedby', spec.describedBy);
  const cap = doc.createElement('figcaption');
  cap.textContent = spec.caption;
  fig.append(cap);
  if (spec.legend) fig.append(spec.legend);
  for (const [cls, width] of [['chart-wide', spec.wide ?? WIDE], ['chart-narrow', spec.narrow ?? NARROW]] as const) {
    const box = doc.createElement('div');
    box.setAttribute('class', cls);
    box.append(tidyChart(spec.draw(width)));
    fig.append(box);
  }
  if (spec.summary) {
    const p = doc.createElement('p');
    p.setAttribute('class', 'chart-summary');
    p.textContent = spec.summary;
    fig.append(p);
  }
  return fig;
}
