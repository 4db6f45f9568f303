// Leaderboard timeline: every result over time; state by shape and colour, baseline lines, the secondary cap.
import * as Plot from '@observablehq/plot';
import type { CollabConfig } from '../config.ts';
import type { BaselineRow, TimelineRow } from '../queries/leaderboard.sql.ts';
import { scoreText } from '../format.ts';
import { eligibleForBest, runningBest, type BestStep, type Tie, NO_TIE } from '../ties.ts';
import { runningBestSeries, stepData, type ChartEnv } from './best-so-far.ts';
import { densityMark, newBests, POINT_LIMIT } from './thin.ts';
import { legend, type MarkSymbol, type SeriesSpec } from './legend.ts';
import { tidyChart } from './tidy.ts';

/** Shape and colour per state, so states stay distinct without colour. */
export const STATE_STYLE = {
  valid: { symbol: 'circle', color: '#16a34a', label: 'valid (verified)' },
  pending: { symbol: 'triangle', color: '#d97706', label: 'pending' },
  invalid: { symbol: 'times', color: '#dc2626', label: 'invalid' },
  negative: { symbol: 'diamond', color: '#7c3aed', label: 'negative (dead end)' },
  baseline: { symbol: 'square', color: '#64748b', label: 'baseline' },
} as const;
const STATES = Object.keys(STATE_STYLE) as (keyof typeof STATE_STYLE)[];

const tip = (config: CollabConfig) => (d: TimelineRow): string =>
  `${d.agent ?? ''} · ${d.score} ${config.unit} · ${d.state}\n${d.method ?? ''}`;

/** The honest running best over the rows as filtered, in time order: only rows that may rank raise it. */
export function leaderboardSteps(rows: readonly TimelineRow[], config: Pick<CollabConfig, 'higher_is_better'>): BestStep<TimelineRow>[] {
  const timed = rows.filter((r) => r.ts !== null).sort((a, b) => (a.ts! < b.ts! ? -1 : a.ts! > b.ts! ? 1 : a.filename < b.filename ? -1 : 1));
  const tie: Tie = { ...NO_TIE, threshold: rows[0]?.tie_threshold ?? null };
  const eligible = (r: TimelineRow): boolean => eligibleForBest({ ...r, is_baseline: r.state === 'baseline' }, 'verified-pending');
  return runningBest(timed, { score: (r) => r.score, eligible, higherIsBetter: config.higher_is_better, tie });
}

/** The chart with its two legends, the running best's and the result states', each drawn from the specs its marks use. */
export function leaderboardTimeline(
  rows: readonly TimelineRow[],
  baselines: readonly BaselineRow[],
  config: CollabConfig,
  env: ChartEnv,
): HTMLElement {
  const threshold = rows[0]?.tie_threshold ?? null;
  const best = leaderboardSteps(rows, config);
  const end = new Date(Math.max(0, ...rows.flatMap((r) => (r.ts ? [new Date(r.ts).getTime()] : []))));
  const steps = stepData(best.map((s) => ({ ts: s.item.ts!, score: s.score })), threshold, config.higher_is_better, end);
  const records = best.filter((s) => s.gainClass === 'beyond' || s.gainClass === 'unknown').map((s) => ({ date: new Date(s.item.ts!), score: s.score }));
  const series = runningBestSeries(steps, records, threshold, 'best so far (eligible results shown)', config.unit).filter((s) => s.marks.length > 0);
  const cur = best.at(-1);
  const label = cur ? `${cur.item.agent ?? 'unknown'} · ${scoreText(cur.score)} ${config.unit} · ${cur.item.verification === 'valid' ? 'verified' : 'not yet verified'}` : null;
  const points = timelinePoints(rows, config);
  const plot = timelinePlot(points, baselines, config, env, [
    ...series.flatMap((s) => s.marks),
    cur && label ? Plot.text([{ score: cur.score }], { y: 'score', text: () => label, textAnchor: 'end', frameAnchor: 'right', dy: -10, fill: 'currentColor', className: 'series-best current-best' }) : null,
  ]);
  const wrap = env.document.createElement('div');
  wrap.setAttribute('class', 'story-chart');
  // The states' legend names the states drawn as symbols (a dense chart draws only the new bests; its caption explains the shading).
  wrap.append(legend(env.document, series), stateLegend(env.document, points.data, baselines.length ? [BASELINE_RULE] : []), tidyChart(plot));
  return wrap;
}

/** The legend glyph of each state, as the dots draw it: verified results filled, every other state an outline. */
const STATE_GLYPH: Record<keyof typeof STATE_STYLE, MarkSymbol> = { valid: 'dot', pending: 'triangle', invalid: 'cross', negative: 'diamond', baseline: 'box' };

/** One legend entry per state the chart draws (same colour and shape as its dots), and the baseline rule when drawn. */
function stateLegend(doc: Document, drawnRows: readonly TimelineRow[], rules: readonly SeriesSpec[]): HTMLElement {
  const drawn = new Set(drawnRows.map((r) => r.state));
  const series: SeriesSpec[] = STATES.filter((s) => drawn.has(s)).map((s) => ({ key: s, label: STATE_STYLE[s].label, color: STATE_STYLE[s].color, symbol: STATE_GLYPH[s] }));
  return legend(doc, [...series, ...rules], 'Result states');
}

const BASELINE_RULE: SeriesSpec = { key: 'baseline-rule', label: 'baseline score (rule)', color: '#64748b', symbol: 'dash' };

type Point = TimelineRow & { date: Date };

/** The timeline's points: every dated result, and those drawn as symbols (all of them, or when dense only those that set a new best). */
function timelinePoints(rows: readonly TimelineRow[], config: CollabConfig): { all: Point[]; dense: boolean; data: Point[] } {
  const all = rows.filter((r) => r.ts !== null).map((r) => ({ ...r, date: new Date(r.ts!) }));
  // Many results: a density of all of them, symbols only for those that set a new best when posted.
  const dense = all.length > POINT_LIMIT;
  return { all, dense, data: dense ? newBests([...all].sort((a, b) => a.date.getTime() - b.date.getTime()), config.higher_is_better) : all };
}

function timelinePlot({ all, dense, data }: ReturnType<typeof timelinePoints>, baselines: readonly BaselineRow[], config: CollabConfig, env: ChartEnv, extra: Plot.Markish[]): SVGSVGElement | HTMLElement {
  return Plot.plot({
    document: env.document,
    width: env.width ?? 760,
    height: 360,
    marginLeft: 56,
    marginTop: 24,
    ariaLabel: `${config.score_label} of every result over time`,
    ariaDescription: `${dense ? `${all.length} results, shaded by how many fall in each cell; symbols mark the ${data.length} that set a new best.` : `Scatter plot of ${data.length} results.`} Shape and colour give the state: ${STATES.map((s) => `${STATE_STYLE[s].label} ${STATE_STYLE[s].symbol}`).join(', ')}. Horizontal rules mark baselines. The step line is the best so far among results that may rank (never an invalid or over-cap one), with the band of results within noise of it.`,
    x: { type: 'utc', label: 'Posted (UTC) →' },
    y: { label: `${config.higher_is_better ? '↑ ' : '↓ '}${config.score_label} (${config.unit})`, grid: true, reverse: !config.higher_is_better },
    symbol: { domain: STATES, range: STATES.map((s) => STATE_STYLE[s].symbol) },
    color: { domain: STATES, range: STATES.map((s) => STATE_STYLE[s].color) },
    ...(dense
      ? {
          opacity: { label: 'results per cell', range: [0.08, 0.6] },
          caption: `${all.length.toLocaleString('en')} results: darker cells hold more of them; symbols mark the ${data.length} that set a new best. Filter the list or narrow the time range to see every result.`,
        }
      : {}),
    marks: [
      dense ? densityMark(all, 'date', 'score', 'results') : null,
      Plot.ruleY(baselines, { y: 'score', stroke: '#64748b', strokeDasharray: '4,3' }),
      Plot.text(baselines, { y: 'score', text: (d: BaselineRow) => `baseline: ${d.label}`, frameAnchor: 'right', textAnchor: 'end', dx: -4, dy: -6, fill: '#64748b' }),
      // Verified results are filled; every other state is drawn as an outline of its own shape.
      Plot.dot(data.filter((d) => d.state !== 'valid'), { x: 'date', y: 'score', symbol: 'state', stroke: 'state', r: 3.5, strokeWidth: 1.5, title: tip(config) }),
      Plot.dot(data.filter((d) => d.state === 'valid'), { x: 'date', y: 'score', symbol: 'state', fill: 'state', r: 4, title: tip(config) }),
      ...extra,
    ],
  });
}

/** Scatter of score against the secondary metric with the cap drawn, when the collaboration has one. */
export function secondaryChart(rows: readonly TimelineRow[], config: CollabConfig, env: ChartEnv): SVGSVGElement | HTMLElement | null {
  const all = rows.filter((r) => r.secondary !== null);
  if (!config.secondary_field || all.length === 0) return null;
  // Many results: a density, and symbols for the trade-off frontier (no other result has a better score at a
  // lower secondary value; the secondary is a guardrail capped from above, so lower is the safe side).
  const dense = all.length > POINT_LIMIT;
  const data = dense ? newBests([...all].sort((a, b) => a.secondary! - b.secondary!), config.higher_is_better) : all;
  const plot = Plot.plot({
    document: env.document,
    width: env.width ?? 760,
    height: 280,
    marginLeft: 56,
    ariaLabel: `${config.score_label} against ${config.secondary_label}, with the ${config.secondary_label} cap`,
    x: { label: `${config.secondary_label} →`, grid: true },
    y: { label: `${config.score_label} (${config.unit})`, grid: true, reverse: !config.higher_is_better },
    symbol: { domain: STATES, range: STATES.map((s) => STATE_STYLE[s].symbol) },
    color: { domain: STATES, range: STATES.map((s) => STATE_STYLE[s].color) },
    ...(dense
      ? {
          opacity: { label: 'results per cell', range: [0.08, 0.6] },
          caption: `${all.length.toLocaleString('en')} results: darker cells hold more of them; symbols mark the ${data.length} on the trade-off frontier (no other result has a better ${config.score_label} at a lower ${config.secondary_label}).`,
        }
      : {}),
    marks: [
      dense ? densityMark(all, 'secondary', 'score', 'results') : null,
      config.secondary_cap !== null ? Plot.ruleX([config.secondary_cap], { stroke: '#dc2626', strokeDasharray: '4,3' }) : null,
      config.secondary_cap !== null
        ? Plot.text([config.secondary_cap], { x: (d: number) => d, text: () => `cap ${config.secondary_cap}`, frameAnchor: 'top', dx: 4, textAnchor: 'start', fill: '#dc2626' })
        : null,
      // As on the timeline: verified results filled, every other state an outline of its own shape.
      Plot.dot(data.filter((d) => d.state !== 'valid'), { x: 'secondary', y: 'score', symbol: 'state', stroke: 'state', r: 3, strokeWidth: 1.5, title: secTip }),
      Plot.dot(data.filter((d) => d.state === 'valid'), { x: 'secondary', y: 'score', symbol: 'state', fill: 'state', r: 3.5, title: secTip }),
    ],
  });
  const wrap = env.document.createElement('div');
  const cap: SeriesSpec[] = config.secondary_cap !== null ? [{ key: 'cap', label: `${config.secondary_label} cap`, color: '#dc2626', symbol: 'dash' }] : [];
  wrap.append(stateLegend(env.document, data, cap), tidyChart(plot));
  return wrap;
}

const secTip = (d: TimelineRow): string => `${d.agent ?? ''} · ${scoreText(d.score)} · ${d.secondary}`;
