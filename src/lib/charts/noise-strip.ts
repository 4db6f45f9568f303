// Noise buckets as a strip plot: one row per bucket, its runs as dots around the bucket mean, mean ± sd as a band.
import * as Plot from '@observablehq/plot';
import type { CollabConfig } from '../config.ts';
import type { BucketStripRow, StripRunRow } from '../queries/noise-page.sql.ts';
import { scoreText } from '../format.ts';
import { fmtSig, shortLabel } from '../ui/noise-format.ts';
import type { ChartEnv } from './best-so-far.ts';
import type { SeriesSpec } from './legend.ts';

/** Bucket categories by colour: behind the pooled σ, listed only, or wider than noise explains. */
export const STRIP_KINDS = {
  pooled: { label: 'in the pooled σ', color: '#2563eb' },
  listed: { label: 'not in the pooled σ', color: '#64748b' },
  wide: { label: 'wide: range > 6 pooled σ', color: '#ea580c' },
} as const;
type StripKind = keyof typeof STRIP_KINDS;
const KINDS = Object.keys(STRIP_KINDS) as StripKind[];
/** Below this width the strip is laid out for a phone: short bucket names, no figures column. */
export const STRIP_NARROW = 560;

/** The legend of the strip (charts/legend.ts), from the same colours and opacities the marks below use. */
export function stripLegend(sigma: boolean): SeriesSpec[] {
  return [
    ...KINDS.map((k): SeriesSpec => ({ key: k, label: `run, bucket ${STRIP_KINDS[k].label}`, color: STRIP_KINDS[k].color, symbol: 'dot' })),
    { key: 'result', label: 'posted result standing in for a run', color: STRIP_KINDS.pooled.color, symbol: 'ring' },
    { key: 'sd', label: "bucket's mean ± sd", color: STRIP_KINDS.pooled.color, symbol: 'band', opacity: 0.22 },
    ...(sigma
      ? [
          { key: 'sigma', label: '± pooled σ', color: 'currentColor', symbol: 'band', opacity: 0.07 } as SeriesSpec,
          { key: 'sigma2', label: '± 2σ', color: 'currentColor', symbol: 'dash', opacity: 0.45 } as SeriesSpec,
        ]
      : []),
  ];
}

export const kindOf = (b: Pick<BucketStripRow, 'wide' | 'in_pooled'>): StripKind => (b.wide ? 'wide' : b.in_pooled ? 'pooled' : 'listed');

/** Pixels per bucket row. */
export const STRIP_ROW = 16;
const MARGIN_TOP = 30;
const MARGIN_BOTTOM = 40;

/** Index of the bucket row at y (in the chart's own SVG coordinates), or -1 outside the rows: rows are exactly STRIP_ROW apart. */
export function stripRowIndex(y: number, count: number): number {
  const i = Math.floor((y - MARGIN_TOP) / STRIP_ROW);
  return i >= 0 && i < count ? i : -1;
}

export interface StripData {
  buckets: readonly BucketStripRow[];
  runs: readonly StripRunRow[];
  /** Pooled σ (score units): the shaded ±σ band and the dashed ±2σ lines; null draws neither. */
  sigma: number | null;
  /** Bucket drawn highlighted. */
  selected?: string | null;
}

export function noiseStripChart(data: StripData, config: CollabConfig, env: ChartEnv): SVGSVGElement | HTMLElement {
  const { buckets, sigma } = data;
  const byId = new Map(buckets.map((b) => [b.bucket_id, b]));
  const runs = data.runs.filter((r) => byId.has(r.bucket_id));
  // Symmetric x domain wide enough for every run, every sd band and the ±2σ lines.
  let reach = sigma !== null ? 2.2 * sigma : 0;
  for (const r of runs) reach = Math.max(reach, Math.abs(r.deviation));
  for (const b of buckets) reach = Math.max(reach, b.sd ?? 0);
  reach = reach > 0 ? reach * 1.05 : 1;
  const unit = config.unit ? ` (${config.unit})` : '';
  const kind = (id: string): StripKind => kindOf(byId.get(id)!);
  // Scores to the decimals the pooled σ supports (format.ts scoreDecimals).
  const score = (x: number | null) => (x === null ? '–' : scoreText(x, sigma));
  const tip = (d: StripRunRow): string =>
    `${d.run_dir}\n${config.score_label} ${score(d.score)}${unit} · ${d.deviation >= 0 ? '+' : '−'}${fmtSig(Math.abs(d.deviation))} from the mean`;
  const ids = buckets.map((b) => b.bucket_id);
  const selected = data.selected && byId.has(data.selected) ? [byId.get(data.selected)!] : [];
  const width = env.width ?? 960;
  const narrow = width < STRIP_NARROW;
  return Plot.plot({
    document: env.document,
    width,
    height: MARGIN_TOP + MARGIN_BOTTOM + STRIP_ROW * Math.max(buckets.length, 1),
    marginTop: MARGIN_TOP,
    marginBottom: MARGIN_BOTTOM,
    marginLeft: narrow ? 120 : 250,
    marginRight: narrow ? 12 : 190,
    ariaLabel: `${config.score_label} runs per noise bucket, around each bucket's mean`,
    ariaDescription:
      `Strip plot of ${buckets.length} noise buckets (rows) and their ${runs.length} runs (dots), as the distance of each run from its bucket's mean. ` +
      `The band on each row is the bucket's mean ± sd; the shaded column is ± the pooled σ${sigma !== null ? ` (${fmtSig(sigma)}${config.unit ? ` ${config.unit}` : ''})` : ''} and the dashed lines ± 2σ. ` +
      `Filled dots are run dirs, hollow dots posted results standing in for a run. The bucket list below has the same numbers.`,
    x: { domain: [-reach, reach], label: `Run − bucket mean${narrow ? '' : `, ${config.score_label}${unit}`} →`, grid: true, nice: true, axis: 'both', ticks: narrow ? 4 : 10 },
    y: { domain: ids, label: null, padding: 0, tickFormat: (id: string) => shortLabel(byId.get(id)?.label ?? id, narrow ? 14 : 38), tickSize: 0 },
    // The legend is drawn beside the chart from stripLegend (charts/legend.ts), with every mark type in it.
    color: { legend: false, domain: KINDS, range: KINDS.map((k) => STRIP_KINDS[k].color) },
    marks: [
      sigma !== null ? Plot.rectX([sigma], { x1: (s: number) => -s, x2: (s: number) => s, fill: 'currentColor', fillOpacity: 0.07 }) : null,
      sigma !== null ? Plot.ruleX([-2 * sigma, 2 * sigma], { stroke: 'currentColor', strokeOpacity: 0.45, strokeDasharray: '4,3' }) : null,
      Plot.barX(selected, { x1: -reach, x2: reach, y: 'bucket_id', fill: '#2563eb', fillOpacity: 0.14, ariaDescription: 'selected bucket', className: 'noise-selected-bucket' }),
      Plot.ruleX([0], { stroke: 'currentColor', strokeOpacity: 0.6 }),
      Plot.barX(
        buckets.filter((b) => b.sd !== null),
        {
          x1: (b: BucketStripRow) => -(b.sd ?? 0),
          x2: (b: BucketStripRow) => b.sd ?? 0,
          y: 'bucket_id',
          fill: (b: BucketStripRow) => kindOf(b),
          fillOpacity: 0.22,
          insetTop: 3,
          insetBottom: 3,
          title: (b: BucketStripRow) => `${b.label}\nmean ${score(b.mean)} ± sd ${fmtSig(b.sd)}${unit}, n = ${b.n}`,
          ariaDescription: 'mean ± sd', className: 'noise-mean-sd',
        },
      ),
      Plot.dot(
        runs.filter((r) => r.source !== 'result'),
        { x: 'deviation', y: 'bucket_id', fill: (r: StripRunRow) => kind(r.bucket_id), r: 3, title: tip, ariaDescription: 'run', className: 'noise-run' },
      ),
      Plot.dot(
        runs.filter((r) => r.source === 'result'),
        { x: 'deviation', y: 'bucket_id', stroke: (r: StripRunRow) => kind(r.bucket_id), r: 3, strokeWidth: 1.5, title: tip, ariaDescription: 'posted result', className: 'noise-posted-result' },
      ),
      Plot.text(narrow ? [] : buckets, {
        y: 'bucket_id',
        frameAnchor: 'right',
        textAnchor: 'start',
        dx: 8,
        text: (b: BucketStripRow) => `mean ${score(b.mean)} · sd ${fmtSig(b.sd)} · n ${b.n}`,
        fill: 'currentColor',
        ariaDescription: 'bucket figures', className: 'noise-bucket-figures',
      }),
    ],
  });
}
