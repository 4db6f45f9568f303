// Each pooled bucket's sd with its 95 % interval, side by side with the pooled σ and its interval (a forest plot on a log axis).
import * as Plot from '@observablehq/plot';
import type { CollabConfig } from '../config.ts';
import type { BucketSpreadRow } from '../queries/noise-page.sql.ts';
import { fmtShare, fmtSig, shortLabel } from '../ui/noise-format.ts';
import type { ChartEnv } from './best-so-far.ts';
import type { SeriesSpec } from './legend.ts';

/** Buckets drawn: those with the largest share of the sum of squares (they set σ); the table lists more. */
export const SPREAD_CHART_ROWS = 30;
const ROW = 22;

export interface SpreadChartData {
  /** Pooled buckets, largest share of the sum of squares first (bucketSpreadsSql). */
  buckets: readonly BucketSpreadRow[];
  sigma: number | null;
  sigmaLo: number | null;
  sigmaHi: number | null;
  /** Confidence level of the intervals (0.95). */
  level: number;
}

/**
 * One row per bucket: a dot at its sd, a line across its interval. The shaded column is the pooled σ's interval,
 * the solid line σ. The axis is logarithmic because intervals are multiplicative: two runs give one reaching ~32 × sd.
 * Buckets whose runs are all equal (sd 0) have no place on a log axis and are left out (the caption says how many).
 */
const SIGMA = '#2563eb';
/** Below this width: short bucket names, no figures column. */
const NARROW = 560;

/** The chart's legend (charts/legend.ts), from the marks' own colours. */
export function spreadLegend(level: number, sigma: boolean): SeriesSpec[] {
  const pct = `${Math.round(level * 100)} %`;
  return [
    { key: 'sd', label: "bucket's sd (larger: more degrees of freedom)", color: 'currentColor', symbol: 'dot' },
    { key: 'ci', label: `its ${pct} interval`, color: 'currentColor', symbol: 'line', opacity: 0.7 },
    ...(sigma
      ? [
          { key: 'sigma', label: 'pooled σ', color: SIGMA, symbol: 'line' } as SeriesSpec,
          { key: 'sigma-ci', label: `pooled σ's ${pct} interval`, color: SIGMA, symbol: 'band', opacity: 0.1 } as SeriesSpec,
        ]
      : []),
  ];
}

export function spreadChart(data: SpreadChartData, config: CollabConfig, env: ChartEnv): SVGSVGElement | HTMLElement {
  const rows = data.buckets.filter((b) => b.sd > 0 && b.sd_lo !== null && b.sd_hi !== null).slice(0, SPREAD_CHART_ROWS);
  const ids = rows.map((b) => b.bucket_id);
  const byId = new Map(rows.map((b) => [b.bucket_id, b]));
  const unit = config.unit ? ` (${config.unit})` : '';
  const pct = `${Math.round(data.level * 100)} %`;
  const values = rows.flatMap((b) => [b.sd_lo!, b.sd_hi!]).concat(data.sigmaLo ?? [], data.sigmaHi ?? []).filter((x) => x > 0);
  const lo = values.length ? Math.min(...values) : 0.1;
  const hi = values.length ? Math.max(...values) : 1;
  const figures = (b: BucketSpreadRow) => `sd ${fmtSig(b.sd)} · n ${b.n} · ${fmtShare(b.df_share)} df · ${fmtShare(b.ss_share)} SS`;
  const tip = (b: BucketSpreadRow) =>
    `${b.label}\nsd ${fmtSig(b.sd)}${unit}, ${pct} interval ${fmtSig(b.sd_lo)}–${fmtSig(b.sd_hi)}, n = ${b.n}\n` +
    `${fmtShare(b.df_share)} of the pooled degrees of freedom, ${fmtShare(b.ss_share)} of the sum of squares`;
  const width = env.width ?? 960;
  const narrow = width < NARROW;
  return Plot.plot({
    document: env.document,
    width,
    height: 70 + ROW * Math.max(rows.length, 1),
    marginTop: 24,
    marginBottom: 40,
    marginLeft: narrow ? 120 : 250,
    marginRight: narrow ? 14 : 220,
    ariaLabel: `Spread of ${config.score_label} per pooled bucket with ${pct} intervals`,
    ariaDescription:
      `Forest plot of ${rows.length} pooled buckets: each bucket's sd (dot) and its ${pct} chi-square interval (line), on a logarithmic axis. ` +
      (data.sigma !== null ? `The solid vertical line is the pooled σ (${fmtSig(data.sigma)}${unit}), the shaded column its ${pct} interval. ` : '') +
      'The table below has the same numbers.',
    // '~g' keeps d3's thinning of log-axis labels but writes 0.4, not SI's 400m.
    x: { type: 'log', domain: [lo / 1.2, hi * 1.2], label: `Run-to-run sd, ${config.score_label}${unit} (log scale) →`, grid: true, axis: 'both', tickFormat: '~g', ...(narrow ? { ticks: 3 } : {}) },
    y: { domain: ids, label: null, tickFormat: (id: string) => shortLabel(byId.get(id)?.label ?? id, narrow ? 14 : 38), tickSize: 0 },
    marks: [
      data.sigmaLo !== null && data.sigmaHi !== null
        ? Plot.rectX([0], { x1: data.sigmaLo, x2: data.sigmaHi, fill: SIGMA, fillOpacity: 0.1, className: 'noise-pooled-interval' })
        : null,
      data.sigma !== null ? Plot.ruleX([data.sigma], { stroke: SIGMA, strokeWidth: 1.5, className: 'noise-pooled-sigma' }) : null,
      Plot.ruleY(rows, { y: 'bucket_id', x1: 'sd_lo', x2: 'sd_hi', stroke: 'currentColor', strokeOpacity: 0.7, strokeWidth: 1.5, title: tip, className: 'noise-sd-interval' }),
      Plot.dot(rows, { x: 'sd', y: 'bucket_id', fill: 'currentColor', r: (b: BucketSpreadRow) => 2.5 + 4 * Math.sqrt(b.df_share), title: tip, className: 'noise-sd' }),
      Plot.text(narrow ? [] : rows, { y: 'bucket_id', frameAnchor: 'right', textAnchor: 'start', dx: 8, text: figures, fill: 'currentColor', className: 'noise-sd-figures' }),
    ],
  });
}
