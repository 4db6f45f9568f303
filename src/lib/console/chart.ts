// Quick chart of a console result: the reader picks x, y and a mark; Observable Plot draws it.
//
// Pure (rows in, element out) so it can be rendered with any document. Timestamp and date columns become
// Dates on a UTC axis; a bar chart with a numeric or time x draws one rect per value. "(count)" as y
// counts rows per x. At most CHART_CAP rows are drawn; the caller says so when it cuts.
import * as Plot from '@observablehq/plot';
import type { ResultColumn, Row } from './format.ts';

export const CHART_CAP = 20_000;
export const COUNT = '(count)';
export type ChartMark = 'dot' | 'line' | 'bar';

export interface ChartSpec {
  readonly x: string;
  readonly y: string;
  readonly mark: ChartMark;
}

export interface ChartEnv {
  readonly document?: Document;
  readonly width?: number;
}

const temporal = (c: ResultColumn | undefined) => c?.kind === 'timestamp' || c?.kind === 'date';

/** Columns worth offering as x (anything displayable) and as y (numbers, or count). */
export function chartColumns(columns: readonly ResultColumn[]): { x: ResultColumn[]; y: ResultColumn[] } {
  const plain = columns.filter((c) => !['list', 'struct', 'binary', 'other'].includes(c.kind));
  return { x: plain, y: plain.filter((c) => c.kind === 'number' || temporal(c)) };
}

/** A first guess: a time or text column against the first number; a line when x is time, else bars or dots. */
export function defaultChart(columns: readonly ResultColumn[]): ChartSpec | null {
  const { x, y } = chartColumns(columns);
  const num = y.find((c) => c.kind === 'number');
  const xc = x.find((c) => temporal(c)) ?? x.find((c) => c.kind === 'string') ?? x.find((c) => c !== num);
  if (!xc) return null;
  if (!num) return { x: xc.name, y: COUNT, mark: 'bar' };
  return { x: xc.name, y: num.name, mark: temporal(xc) ? 'line' : xc.kind === 'number' ? 'dot' : 'bar' };
}

function value(c: ResultColumn | undefined, v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (temporal(c) && typeof v === 'string') return new Date(c?.kind === 'date' ? `${v}T00:00:00Z` : v);
  if (c?.kind === 'boolean' || c?.kind === 'string') return String(v);
  return v;
}

export function quickChart(rows: readonly Row[], columns: readonly ResultColumn[], spec: ChartSpec, env: ChartEnv = {}): SVGSVGElement | HTMLElement {
  const xc = columns.find((c) => c.name === spec.x);
  const yc = spec.y === COUNT ? undefined : columns.find((c) => c.name === spec.y);
  const data = rows.slice(0, CHART_CAP).map((r) => ({ x: value(xc, r[spec.x]), y: spec.y === COUNT ? 1 : value(yc, r[spec.y]) }));
  const shown = data.filter((d) => d.x !== null && d.y !== null);
  const xOrdinal = !xc || !(xc.kind === 'number' || temporal(xc));
  const title = (d: { x: unknown; y: unknown }) => `${spec.x}: ${d.x instanceof Date ? d.x.toISOString() : String(d.x)}\n${spec.y}: ${String(d.y)}`;
  const marks: Plot.Markish[] = [];
  if (spec.mark === 'bar') {
    if (xOrdinal) marks.push(Plot.barY(shown, Plot.groupX({ y: 'sum' }, { x: 'x', y: 'y', fill: 'currentColor', fillOpacity: 0.75, tip: false })));
    // Plot sums the `y` channel per bin (documented), but its types leave `y` out of binX's inputs.
    else marks.push(Plot.rectY(shown, Plot.binX({ y: 'sum' }, { x: 'x', y: 'y', fill: 'currentColor', fillOpacity: 0.75 } as Plot.BinXInputs<Plot.RectYOptions>)));
    marks.push(Plot.ruleY([0]));
  } else if (spec.mark === 'line') {
    const sorted = [...shown].sort((a, b) => (a.x as number) < (b.x as number) ? -1 : (a.x as number) > (b.x as number) ? 1 : 0);
    marks.push(Plot.lineY(sorted, { x: 'x', y: 'y', stroke: 'currentColor', marker: sorted.length <= 60 ? 'circle-stroke' : null }));
  } else {
    marks.push(Plot.dot(shown, { x: 'x', y: 'y', stroke: 'currentColor', r: 3, title }));
  }
  return Plot.plot({
    ...(env.document ? { document: env.document } : {}),
    width: env.width ?? 760,
    height: 360,
    marginLeft: 64,
    marginBottom: xOrdinal ? 70 : 40,
    ariaLabel: `${spec.mark} chart of ${spec.y} by ${spec.x}`,
    ariaDescription: `${shown.length} rows drawn${rows.length > CHART_CAP ? ` (the first ${CHART_CAP} of ${rows.length})` : ''}.`,
    x: { label: spec.x, ...(temporal(xc) ? { type: 'utc' as const } : {}), ...(xOrdinal ? { tickRotate: -30 } : {}) },
    y: { label: spec.y === COUNT ? 'rows' : spec.y, grid: true, ...(temporal(yc) ? { type: 'utc' as const } : {}) },
    marks,
  });
}
