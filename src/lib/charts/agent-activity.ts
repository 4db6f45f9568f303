// Agent activity: messages and results per day (UTC) as stacked bars, one agent at a time.
import * as Plot from '@observablehq/plot';
import type { CollabConfig } from '../config.ts';
import type { AgentActivityRow } from '../queries/agents.sql.ts';

export interface ChartEnv {
  document: Document;
  width?: number;
  /** Series to draw; default both (an export without board messages draws results only). */
  series?: readonly (typeof ACTIVITY_SERIES)[number][];
}

export const ACTIVITY_SERIES = ['messages', 'results'] as const;
const COLORS = ['#2563eb', '#d97706'];
const DAY = 86_400_000;
const MIN_DAYS = 7;

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
  return Plot.plot({
    document: env.document,
    width: env.width ?? 760,
    height: 220,
    marginLeft: 44,
    ariaLabel: `Activity of ${agent}: messages and results per day`,
    ariaDescription: 'Stacked bars: board messages and posted results per UTC day; days without either are empty.',
    x: { type: 'utc', label: 'Day (UTC) →', domain },
    y: { label: '↑ posts per day', grid: true, tickFormat: 'd', nice: true },
    color: { legend: true, domain: [...series], range: series.map((s) => COLORS[ACTIVITY_SERIES.indexOf(s)]!) },
    marks: [
      Plot.rectY(data, {
        x: 'date',
        y: 'n',
        fill: 'what',
        interval: 'day',
        inset: 0.5,
        title: (d: { date: Date; what: string; n: number }) => `${d.date.toISOString().slice(0, 10)}: ${d.n} ${d.what}`,
      }),
      Plot.ruleY([0]),
    ],
  });
}
