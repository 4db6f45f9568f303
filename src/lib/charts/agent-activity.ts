// Agent activity: messages and results per day (UTC) as stacked bars, one agent at a time.
import * as Plot from '@observablehq/plot';
import type { CollabConfig } from '../config.ts';
import { dayText, plural } from '../format.ts';
import type { AgentActivityRow } from '../queries/agents.sql.ts';
import { colorScale, type SeriesSpec } from './legend.ts';

export interface ChartEnv {
  document: Document;
  width?: number;
  /** Series to draw; default both (an export without board messages draws results only). */
  series?: readonly (typeof ACTIVITY_SERIES)[number][];
}

export const ACTIVITY_SERIES = ['messages', 'results'] as const;
type Series = (typeof ACTIVITY_SERIES)[number];
/** The marks and their legend (legend.ts) share this spec. */
const SPEC: Record<Series, SeriesSpec> = {
  messages: { key: 'messages', label: 'board messages', color: '#2563eb', symbol: 'square' },
  results: { key: 'results', label: 'results', color: '#d97706', symbol: 'square' },
};
const ONE: Record<Series, string> = { messages: 'message', results: 'result' };
const DAY = 86_400_000;
const MIN_DAYS = 7;
/** Below this width the chart is laid out for a phone: fewer ticks, a narrower margin. */
export const NARROW = 480;

/** The legend entries of the series drawn, in the marks' order. */
export const activitySeries = (series: readonly Series[] = ACTIVITY_SERIES): SeriesSpec[] => series.map((s) => SPEC[s]);

/** Stacked daily bars; days are UTC calendar days, so a bar is the same day at build time and in the browser. */
export function agentActivityChart(
  rows: readonly AgentActivityRow[],
  _config: Pick<CollabConfig, 'score_label'>,
  env: ChartEnv,
): SVGSVGElement | HTMLElement {
  const series = env.series ?? ACTIVITY_SERIES;
  const data = rows.flatMap((r) =>
    series.map((what) => ({ date: new Date(`${r.day}T00:00:00Z`), what, n: r[what] })).filter((d) => d.n > 0),
  );
  const agent = rows[0]?.agent ?? '';
  // At least MIN_DAYS on the axis, so one busy day is a bar and not the whole plot.
  const days = rows.map((r) => Date.parse(`${r.day}T00:00:00Z`)).filter(Number.isFinite);
  const first = days.length ? Math.min(...days) : 0;
  const last = days.length ? Math.max(...days) + DAY : DAY;
  const pad = Math.max(0, Math.ceil((MIN_DAYS * DAY - (last - first)) / DAY / 2)) * DAY;
  const domain = [new Date(first - pad), new Date(last + pad)];
  const width = env.width ?? 760;
  const narrow = width < NARROW;
  return Plot.plot({
    document: env.document,
    width,
    height: narrow ? 200 : 220,
    marginLeft: narrow ? 36 : 44,
    marginRight: narrow ? 12 : 20,
    ariaLabel: `Activity of ${agent}: messages and results per day`,
    ariaDescription: 'Stacked bars: board messages and posted results per UTC day; days without either are empty.',
    x: { type: 'utc', label: 'Day (UTC) →', domain, ticks: narrow ? 4 : 8 },
    y: { label: '↑ posts per day', grid: true, tickFormat: 'd', nice: true, ticks: narrow ? 4 : 6 },
    color: { legend: false, ...colorScale(activitySeries(series)) },
    marks: [
      Plot.rectY(data, {
        x: 'date',
        y: 'n',
        fill: 'what',
        interval: 'day',
        inset: 0.5,
        title: (d: { date: Date; what: Series; n: number }) => `${dayText(d.date)}: ${plural(d.n, ONE[d.what])}`,
      }),
      Plot.ruleY([0]),
    ],
  });
}

/** One sentence for the chart's caption: totals and the busiest day, from the same rows. */
export function activitySummary(rows: readonly AgentActivityRow[], series: readonly Series[] = ACTIVITY_SERIES): string {
  const total = (s: Series) => rows.reduce((sum, r) => sum + r[s], 0);
  const posts = (r: AgentActivityRow) => series.reduce((sum, s) => sum + r[s], 0);
  const busiest = rows.reduce<AgentActivityRow | null>((best, r) => (best === null || posts(r) > posts(best) ? r : best), null);
  const counts = series.map((s) => plural(total(s), ONE[s] === 'message' ? 'board message' : ONE[s]));
  const active = rows.filter((r) => posts(r) > 0).length;
  return `${counts.join(' and ')} on ${plural(active, 'day')}${busiest && posts(busiest) > 0 ? `; the busiest, ${dayText(busiest.day)}, had ${plural(posts(busiest), 'post')}` : ''}.`;
}
