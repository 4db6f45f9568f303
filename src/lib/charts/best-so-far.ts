// Best-so-far timeline (overview): every ranked result as a dot, the honest running best as a step line with its tie
// band, the current best labelled, the moments that mattered numbered. Each series is defined once (SERIES below): the
// marks and the legend are both generated from it, so colour (a CSS class: light and dark), shape and fill match.
import * as Plot from '@observablehq/plot';
import type { CollabConfig } from '../config.ts';
import { scoreText } from '../format.ts';
import type { BestSoFarRow } from '../queries/overview.sql.ts';
import type { Moment } from '../story/moments.ts';
import { currentBest, isRecord, type Story } from '../story/story.ts';
import { eligibleForBest, ineligibleReason } from '../ties.ts';
import { densityMark, POINT_LIMIT } from './thin.ts';
import { tidyChart } from './tidy.ts';
import { legend, type MarkSymbol, type SeriesSpec } from './legend.ts';

export interface ChartEnv {
  document: Document;
  width?: number;
}

type Datum = BestSoFarRow & { date: Date };
interface StepDatum {
  date: Date;
  best: number;
  lo: number;
  hi: number;
}

/** A series: how its marks and its legend glyph look (charts/legend.ts, one spec for both) and the marks it draws. */
export interface Series extends SeriesSpec {
  marks: Plot.Markish[];
}

/** A series drawn in its CSS class's colour (currentColor; light and dark from src/styles/series.css). */
const classed = (key: string, label: string, cls: string, symbol: MarkSymbol, marks: Plot.Markish[], opacity?: number): Series => ({
  key, label, cls, color: 'currentColor', symbol, marks, ...(opacity === undefined ? {} : { opacity }),
});

/** The running best as step data, extended to `end` so the line reaches the present; lo..hi is the tie band. */
export function stepData(points: readonly { ts: string; score: number }[], threshold: number | null, higherIsBetter: boolean, end: Date): StepDatum[] {
  const thr = threshold ?? 0;
  const toward = higherIsBetter ? -1 : 1; // the band lies on the worse side of the best
  const pts = points.map((s) => ({ date: new Date(s.ts), best: s.score }));
  const last = pts.at(-1);
  if (last && end > last.date) pts.push({ date: end, best: last.best });
  return pts.map((p) => ({ ...p, lo: Math.min(p.best, p.best + toward * thr), hi: Math.max(p.best, p.best + toward * thr) }));
}

/** The tie band, the running-best step line and rings on the records beyond noise: shared by both timelines. */
export function runningBestSeries(steps: readonly StepDatum[], records: readonly { date: Date; score: number }[], threshold: number | null, bestLabel: string, unit: string): Series[] {
  return [
    classed('band', threshold === null ? '' : `within noise of the best (${scoreText(threshold)} ${unit})`, 'series-band', 'band',
      threshold === null || steps.length === 0 ? [] : [Plot.areaY(steps, { x: 'date', y1: 'lo', y2: 'hi', curve: 'step-after', fill: 'currentColor', fillOpacity: 0.18, className: 'series-band' })], 0.18),
    classed('best', bestLabel, 'series-best', 'step',
      steps.length ? [Plot.line(steps, { x: 'date', y: 'best', curve: 'step-after', stroke: 'currentColor', strokeWidth: 2, className: 'series-best' })] : []),
    classed('record', threshold === null ? 'new best' : 'new best beyond noise', 'series-best', 'ring',
      records.length ? [Plot.dot(records, { x: 'date', y: 'score', r: 6, stroke: 'currentColor', strokeWidth: 1.5, fill: 'none', className: 'series-best' })] : []),
  ];
}

const dotTitle = (d: BestSoFarRow): string => `${d.agent ?? ''} · ${scoreText(d.score)} · ${d.verification ?? 'pending'}${d.over_cap ? ' · over the cap' : ''}`;

/** Every series for this story; only those with something to draw are returned (and so named in the legend). */
export function storySeries(story: Story, config: CollabConfig, moments: readonly Moment[], scale: TimeScale): Series[] {
  const data: Datum[] = story.rows.map((r) => ({ ...r, date: new Date(r.ts) }));
  const dense = data.length > POINT_LIMIT;
  const stepFiles = new Set(story.steps.map((s) => s.item.filename));
  const shown = dense ? data.filter((d) => stepFiles.has(d.filename) || !eligibleForBest(d, 'verified-pending')) : data;
  const verified = shown.filter((d) => eligibleForBest(d, 'verified'));
  const pending = shown.filter((d) => eligibleForBest(d, 'verified-pending') && !eligibleForBest(d, 'verified'));
  const excluded = shown.filter((d) => ineligibleReason(d, 'verified-pending') !== null);
  const steps = stepData(story.steps.map((st) => ({ ts: st.item.ts, score: st.score })), story.tie.threshold, story.higherIsBetter, data.at(-1)?.date ?? new Date(0));
  const records = story.steps.filter(isRecord).map((s) => ({ date: new Date(s.item.ts), score: s.score }));
  const dot = { x: 'date', y: 'score', title: dotTitle } as const;
  const onlyVerified = story.scope === 'verified';
  const all: Series[] = [
    ...runningBestSeries(steps, records, story.tie.threshold, onlyVerified ? 'best so far (verified only)' : 'best so far (verified and pending)', config.unit),
    classed('verified', 'verified result', 'series-valid', 'dot',
      verified.length ? [Plot.dot(verified, { ...dot, r: 2.5, fill: 'currentColor', className: 'series-valid' })] : []),
    classed('pending', onlyVerified ? 'pending result (not counted: verified only)' : 'pending result', onlyVerified ? 'series-excluded' : 'series-pending', 'ring',
      pending.length ? [Plot.dot(pending, { ...dot, r: 2.5, stroke: 'currentColor', fill: 'none', className: onlyVerified ? 'series-excluded' : 'series-pending' })] : []),
    classed('excluded', 'invalid or over the cap (never counted)', 'series-excluded', 'cross',
      excluded.length ? [Plot.dot(excluded, { ...dot, r: 3, symbol: 'times', stroke: 'currentColor', className: 'series-excluded' })] : []),
    classed('moment', 'moment that mattered (numbered below)', 'series-moment', 'rule', momentMarks(moments, scale)),
  ];
  return all.filter((s) => s.marks.length > 0);
}

/** Numbered dashed rules at each moment, the numbers matching the list under the chart. */
/** Where the chart puts time: the pixels one millisecond takes across its inner width (labels are laid out with it). */
export interface TimeScale {
  pxPerMs: number;
  /** The domain's first time (ms) and the inner width (px): a label that would run past the right edge ends at its rule. */
  start?: number;
  innerPx?: number;
}

function momentMarks(moments: readonly Moment[], scale: TimeScale): Plot.Markish[] {
  if (moments.length === 0) return [];
  const ms = moments.map((m, i) => ({ date: new Date(m.ts), n: i + 1, label: m.label }));
  return [
    Plot.ruleX(ms, { x: 'date', stroke: 'currentColor', strokeDasharray: '2,3', strokeOpacity: 0.6, className: 'series-moment' }),
    // Each label starts at its first moment's rule and runs right, so a label only ever meets the next one; the last
    // one ends at its rule instead when it would run past the frame.
    ...(['start', 'end'] as const).map((anchor) =>
      Plot.text(
        momentLabels(ms, scale).filter((l) => (overflows(l, scale) ? 'end' : 'start') === anchor),
        { x: 'date', text: 'n', frameAnchor: 'top', textAnchor: anchor, dx: anchor === 'start' ? -2 : 2, dy: -6, fill: 'currentColor', title: 'label', className: 'series-moment' },
      ),
    ),
  ];
}

/** Width of a label of `chars` characters at the chart's 10-px font (digits and the dash are ~6 px; rounded up). */
const labelPx = (chars: number): number => chars * 6.5;
const LABEL_GAP_PX = 5;

const overflows = (l: { date: Date; n: string }, scale: TimeScale): boolean =>
  scale.start !== undefined && scale.innerPx !== undefined && (l.date.getTime() - scale.start) * scale.pxPerMs + labelPx(l.n.length) > scale.innerPx + MARGIN.right;

/**
 * Moment numbers laid out left to right without overprinting: a moment whose rule falls inside the previous label (plus
 * a gap) joins it, and the label becomes the range (`8–11`, or `8, 9` for two). Each label's tooltip lists its moments.
 */
export function momentLabels(ms: readonly { date: Date; n: number; label: string }[], scale: TimeScale): { date: Date; n: string; label: string }[] {
  const out: { date: Date; first: number; last: number; labels: string[] }[] = [];
  const text = (g: { first: number; last: number }): string => (g.first === g.last ? String(g.first) : g.last === g.first + 1 ? `${g.first}, ${g.last}` : `${g.first}–${g.last}`);
  for (const m of ms) {
    const cur = out.at(-1);
    if (cur && (m.date.getTime() - cur.date.getTime()) * scale.pxPerMs < labelPx(text(cur).length) + LABEL_GAP_PX) {
      cur.last = m.n;
      cur.labels.push(`${m.n}. ${m.label}`);
    } else out.push({ date: m.date, first: m.n, last: m.n, labels: [`${m.n}. ${m.label}`] });
  }
  return out.map((g) => ({ date: g.date, n: text(g), label: g.labels.join('\n') }));
}

/** The permanent label on the current best: agent, value, verified or not. */
export function currentBestLabel(story: Story, config: CollabConfig): string | null {
  const cur = currentBest(story);
  if (!cur) return null;
  return `${cur.item.agent ?? 'unknown'} · ${scoreText(cur.score)} ${config.unit} · ${cur.item.verification === 'valid' ? 'verified' : 'not yet verified'}`;
}

const MARGIN = { left: 56, right: 24 };

/** The chart's time scale: its x domain spans the results and the moments, across the width inside the margins. */
function timeScale(story: Story, moments: readonly Moment[], width: number): TimeScale {
  const times = [...story.rows.map((r) => r.ts), ...moments.map((m) => m.ts)].map((t) => new Date(t).getTime()).filter(Number.isFinite);
  const span = times.length ? Math.max(...times) - Math.min(...times) : 0;
  const innerPx = width - MARGIN.left - MARGIN.right;
  return { pxPerMs: span > 0 ? innerPx / span : 0, start: times.length ? Math.min(...times) : 0, innerPx };
}

export function bestSoFarChart(story: Story, config: CollabConfig, moments: readonly Moment[], env: ChartEnv): HTMLElement {
  const width = env.width ?? 760;
  const series = storySeries(story, config, moments, timeScale(story, moments, width));
  const dense = story.rows.length > POINT_LIMIT;
  const cur = currentBest(story);
  const label = currentBestLabel(story, config);
  const plot = Plot.plot({
    document: env.document,
    width,
    height: 340,
    marginLeft: MARGIN.left,
    marginTop: 24,
    marginRight: MARGIN.right,
    ariaLabel: `Best ${config.score_label} so far over time`,
    ariaDescription: `${dense ? `${story.rows.length} ranked results, shaded by how many fall in each cell; marks show the ${story.steps.length} that set a new best and every result that never counted. ` : 'Each mark is a ranked result; '}the step line is the best ${config.score_label} reached so far by eligible results (${story.scope === 'verified' ? 'verified only' : 'verified and pending'}); invalid and over-cap results never raise it.${label ? ` Current best: ${label}.` : ''}`,
    x: { type: 'utc', label: 'Time (UTC) →' },
    y: { label: `${config.higher_is_better ? '↑ ' : '↓ '}${config.score_label} (${config.unit})`, grid: true, reverse: !config.higher_is_better },
    ...(dense
      ? {
          opacity: { label: 'results per cell', range: [0.08, 0.6] },
          caption: `${story.rows.length.toLocaleString('en')} results: darker cells hold more of them; marks show the ${story.steps.length} that set a new best.`,
        }
      : {}),
    marks: [
      dense ? densityMark(story.rows.map((r) => ({ ...r, date: new Date(r.ts) })), 'date', 'score', 'results') : null,
      ...series.flatMap((s) => s.marks),
      cur && label
        ? // Below the step line (the numbered moments take the band above the frame), haloed against the dots under it.
          Plot.text([{ score: cur.score }], { y: 'score', text: () => label, textAnchor: 'end', frameAnchor: 'right', dy: 14, fill: 'currentColor', className: 'series-best current-best' })
        : null,
    ],
  });
  const wrap = env.document.createElement('div');
  wrap.setAttribute('class', 'story-chart');
  wrap.append(legend(env.document, series), tidyChart(plot));
  return wrap;
}
