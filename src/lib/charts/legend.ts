// Legends generated from the marks they explain: one series spec gives the marks their colour, symbol, fill and
// stroke, and the legend draws each entry's glyph from the same spec, so the two cannot disagree, in either theme
// (a series drawn in currentColor is drawn in the page's text colour in the legend too).

/** How a series is drawn. */
/** Outlined shapes (`triangle`, `diamond`, `box`) are Plot's symbols drawn with a stroke and no fill. */
/** `step` is a step line (a running best), `rule` a dashed vertical rule (a marked moment). */
export type MarkSymbol = 'dot' | 'ring' | 'cross' | 'square' | 'box' | 'triangle' | 'diamond' | 'band' | 'line' | 'dash' | 'step' | 'rule';

export interface SeriesSpec {
  /** The value the marks' channel holds (Plot's colour domain). */
  readonly key: string;
  /** What the legend calls it. */
  readonly label: string;
  /** A colour, or `currentColor` for the text colour of the theme (or of `cls`). */
  readonly color: string;
  /** A CSS class that gives the series its colour in each theme (marks and glyph both draw in currentColor). */
  readonly cls?: string;
  readonly symbol: MarkSymbol;
  /** Opacity of a filled symbol (bands are drawn faint). */
  readonly opacity?: number;
}

/** Plot's colour scale for these series: the marks take their colours from the spec. */
export const colorScale = (series: readonly SeriesSpec[]) => ({ domain: series.map((s) => s.key), range: series.map((s) => s.color) });

/** The colour a series key is drawn in; the first series' when the key is unknown. */
export const colorOf = (series: readonly SeriesSpec[], key: string): string => (series.find((s) => s.key === key) ?? series[0])?.color ?? 'currentColor';

const SVG = 'http://www.w3.org/2000/svg';
const W = 18;
const H = 12;

/** The glyph of one series, drawn as the mark draws it (same fill, stroke, dash and opacity). */
export function glyph(doc: Document, s: SeriesSpec): SVGSVGElement {
  const svg = doc.createElementNS(SVG, 'svg') as SVGSVGElement;
  for (const [k, v] of [['width', W], ['height', H], ['viewBox', `0 0 ${W} ${H}`], ['aria-hidden', 'true'], ['class', s.cls ? `legend-glyph ${s.cls}` : 'legend-glyph']] as const) svg.setAttribute(k, String(v));
  const shape = (tag: string, attrs: Record<string, string | number>) => {
    const e = doc.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
    svg.append(e);
  };
  const c = s.color;
  const op = s.opacity ?? 1;
  if (s.symbol === 'dot') shape('circle', { cx: W / 2, cy: H / 2, r: 3.5, fill: c, 'fill-opacity': op });
  else if (s.symbol === 'ring') shape('circle', { cx: W / 2, cy: H / 2, r: 3.5, fill: 'none', stroke: c, 'stroke-width': 1.5 });
  else if (s.symbol === 'cross') shape('path', { d: `M${W / 2 - 3.5},${H / 2 - 3.5}L${W / 2 + 3.5},${H / 2 + 3.5}M${W / 2 - 3.5},${H / 2 + 3.5}L${W / 2 + 3.5},${H / 2 - 3.5}`, fill: 'none', stroke: c, 'stroke-width': 1.5 });
  else if (s.symbol === 'square') shape('rect', { x: 3, y: 1, width: W - 6, height: H - 2, fill: c, 'fill-opacity': op });
  else if (s.symbol === 'box') shape('rect', { x: W / 2 - 3.5, y: H / 2 - 3.5, width: 7, height: 7, fill: 'none', stroke: c, 'stroke-width': 1.5 });
  else if (s.symbol === 'triangle') shape('path', { d: `M${W / 2},${H / 2 - 4.5}L${W / 2 + 4},${H / 2 + 3}L${W / 2 - 4},${H / 2 + 3}Z`, fill: 'none', stroke: c, 'stroke-width': 1.5 });
  else if (s.symbol === 'diamond') shape('path', { d: `M${W / 2},${H / 2 - 4.5}L${W / 2 + 4},${H / 2}L${W / 2},${H / 2 + 4.5}L${W / 2 - 4},${H / 2}Z`, fill: 'none', stroke: c, 'stroke-width': 1.5 });
  else if (s.symbol === 'band') shape('rect', { x: 0, y: 2, width: W, height: H - 4, fill: c, 'fill-opacity': op });
  else if (s.symbol === 'step') shape('path', { d: `M0,${H - 3}H${W / 2 - 2}V3H${W}`, fill: 'none', stroke: c, 'stroke-width': 2 });
  else if (s.symbol === 'rule') shape('path', { d: `M${W / 2},0V${H}`, fill: 'none', stroke: c, 'stroke-dasharray': '2,2' });
  else shape('line', { x1: 0, x2: W, y1: H / 2, y2: H / 2, stroke: c, 'stroke-width': s.symbol === 'dash' ? 1.5 : 2, ...(s.symbol === 'dash' ? { 'stroke-dasharray': '4,3' } : {}), 'stroke-opacity': op });
  return svg;
}

/** The legend: a list of glyph + label, named for what it explains; an entry per series the chart draws. */
export function legend(doc: Document, series: readonly SeriesSpec[], label = 'Legend'): HTMLElement {
  const ul = doc.createElement('ul');
  ul.setAttribute('class', 'legend');
  ul.setAttribute('aria-label', label);
  for (const s of series) {
    const li = doc.createElement('li');
    li.setAttribute('data-series', s.key);
    li.append(glyph(doc, s), doc.createTextNode(s.label));
    ul.append(li);
  }
  return ul;
}
