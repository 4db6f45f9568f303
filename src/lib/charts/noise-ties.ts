// The frontier redrawn with tie groups: one row per result, best first; each tie group a band as wide as the tie threshold.
import * as Plot from '@observablehq/plot';
import type { CollabConfig } from '../config.ts';
import type { TieRow } from '../queries/noise-page.sql.ts';
import { fmtScore, fmtSig } from '../ui/noise-format.ts';
import type { ChartEnv } from './best-so-far.ts';
import type { SeriesSpec } from './legend.ts';

/** Rows drawn by default: the top of the frontier, where ties decide the order; the table lists every result. */
export const TIE_CHART_ROWS = 30;
const ROW = 18;
/** Below this width: short names, no group sizes column. */
const NARROW = 560;
const BAND = '#2563eb';

/** The chart's legend (charts/legend.ts), from the marks' own colours. */
export function tieLegend(threshold: boolean): SeriesSpec[] {
  return [
    ...(threshold ? [{ key: 'band', label: 'tie group: within the tie threshold of its top', color: BAND, symbol: 'band', opacity: 0.22 } as SeriesSpec] : []),
    { key: 'valid', label: 'verified result', color: 'currentColor', symbol: 'dot' },
    { key: 'pending', label: 'result not verified', color: 'currentColor', symbol: 'ring' },
  ];
}

export interface TieChartOptions {
  /** Tie threshold z·σ·√2 in score units; null (no σ) draws no bands. */
  threshold: number | null;
  /** At most this many frontier positions. */
  limit?: number;
}

export function tieGroupsChart(rows: readonly TieRow[], opts: TieChartOptions, config: CollabConfig, env: ChartEnv): SVGSVGElement | HTMLElement {
  const data = [...rows].sort((a, b) => a.position - b.position).slice(0, opts.limit ?? TIE_CHART_ROWS);
  const t = opts.threshold;
  const better = config.higher_is_better ? 1 : -1;
  // A group's tie window runs from its top score to threshold worse: every member lies inside it.
  const windowOf = (r: TieRow): [number, number] => {
    const far = r.group_top - better * (t ?? 0);
    return config.higher_is_better ? [far, r.group_top] : [r.group_top, far];
  };
  const unit = config.unit ? ` (${config.unit})` : '';
  const firsts = data.filter((r, i) => r.group_size > 1 && (i === 0 || data[i - 1]!.group_id !== r.group_id));
  const width = env.width ?? 960;
  const narrow = width < NARROW;
  const name = (a: string | null) => (a === null ? '(unknown)' : narrow && a.length > 12 ? `${a.slice(0, 11)}…` : a);
  const label = new Map(data.map((r) => [r.position, `${r.rank}. ${name(r.agent)}`]));
  const groups = new Set(data.map((r) => r.group_id)).size;
  const tip = (r: TieRow): string =>
    `rank ${r.rank} · ${r.agent ?? ''} · ${fmtScore(r.score)}${unit}\ntie group ${r.group_id} (${r.group_size}), ${fmtSig(r.delta_from_top)} below its top · ${r.verification ?? ''}`;
  return Plot.plot({
    document: env.document,
    width,
    height: 60 + ROW * Math.max(data.length, 1),
    marginTop: 20,
    marginLeft: narrow ? 122 : 170,
    marginRight: narrow ? 14 : 130,
    ariaLabel: `Frontier by ${config.score_label} with tie groups as bands`,
    ariaDescription:
      `The best result of each agent, best first (${data.length} of ${rows.length} shown, ${groups} tie groups). ` +
      (t !== null
        ? `Each band spans a tie group's top score and the tie threshold ${fmtSig(t)}${unit} below it; results in one band share a rank. `
        : 'There is no noise estimate, so every result is its own group. ') +
      'Filled dots are verified results, hollow dots pending ones.',
    x: { label: `${config.score_label}${unit}, better →`, grid: true, reverse: !config.higher_is_better, nice: true, ticks: narrow ? 4 : 10 },
    y: { domain: data.map((r) => r.position), label: null, padding: 0, tickFormat: (p: number) => label.get(p) ?? String(p), tickSize: 0 },
    marks: [
      t !== null
        ? Plot.barX(data, {
            x1: (r: TieRow) => windowOf(r)[0],
            x2: (r: TieRow) => windowOf(r)[1],
            y: 'position',
            fill: BAND,
            // Neighbouring groups alternate in strength so two adjacent bands never read as one.
            fillOpacity: (r: TieRow) => (r.group_id % 2 ? 0.22 : 0.1),
            title: (r: TieRow) => `tie group ${r.group_id}: ${r.group_size} result${r.group_size === 1 ? '' : 's'} within ${fmtSig(t)} of ${fmtScore(r.group_top)}`,
            ariaDescription: 'tie group band', className: 'noise-tie-group-band',
          })
        : null,
      Plot.dot(
        data.filter((r) => r.verification === 'valid'),
        { x: 'score', y: 'position', fill: 'currentColor', r: 3.5, title: tip, ariaDescription: 'verified result', className: 'noise-verified-result' },
      ),
      Plot.dot(
        data.filter((r) => r.verification !== 'valid'),
        { x: 'score', y: 'position', stroke: 'currentColor', strokeWidth: 1.5, r: 3.5, title: tip, ariaDescription: 'pending result', className: 'noise-pending-result' },
      ),
      Plot.text(narrow ? [] : firsts, {
        y: 'position',
        frameAnchor: 'right',
        textAnchor: 'start',
        dx: 8,
        text: (r: TieRow) => `${r.group_size} tied at rank ${r.rank}`,
        fill: 'currentColor',
        ariaDescription: 'tie group size', className: 'noise-tie-group-size',
      }),
    ],
  });
}
