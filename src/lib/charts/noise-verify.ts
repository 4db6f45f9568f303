// Public vs private: each verifier re-run's relative gap against the reported score, with the verifier's tolerance as a band.
import * as Plot from '@observablehq/plot';
import type { CollabConfig } from '../config.ts';
import type { VerifyGapRow } from '../queries/noise-page.sql.ts';
import { fmtPct, fmtScore } from '../ui/noise-format.ts';
import type { ChartEnv } from './best-so-far.ts';
import type { SeriesSpec } from './legend.ts';

const STYLE = {
  within: { label: 'within tolerance', symbol: 'circle', color: '#16a34a' },
  outside: { label: 'outside tolerance', symbol: 'times', color: '#dc2626' },
} as const;
type Within = keyof typeof STYLE;
const WITHIN = Object.keys(STYLE) as Within[];

/** The chart's legend (charts/legend.ts): the two symbols in their colours, the tolerance band and its edges. */
export function verifyLegend(tolerance: number): SeriesSpec[] {
  return [
    { key: 'within', label: STYLE.within.label, color: STYLE.within.color, symbol: 'ring' },
    { key: 'outside', label: STYLE.outside.label, color: STYLE.outside.color, symbol: 'cross' },
    { key: 'band', label: `tolerance ± ${fmtPct(tolerance, false)}`, color: 'currentColor', symbol: 'band', opacity: 0.08 },
    { key: 'edge', label: 'its edges', color: 'currentColor', symbol: 'dash', opacity: 0.4 },
  ];
}

type Point = VerifyGapRow & { reported: number; rerun: number; gap: number; side: Within };

export function verifyGapChart(rows: readonly VerifyGapRow[], config: CollabConfig, env: ChartEnv): SVGSVGElement | HTMLElement | null {
  const data: Point[] = rows
    .filter((r): r is VerifyGapRow & { reported: number; rerun: number; gap: number } => r.reported !== null && r.rerun !== null && r.gap !== null)
    .map((r) => ({ ...r, side: r.within_tolerance ? 'within' : 'outside' }));
  if (data.length === 0) return null;
  const tol = data[0]!.tolerance ?? config.verifier_tolerance;
  const unit = config.unit ? ` (${config.unit})` : '';
  const reach = Math.max(tol * 1.3, ...data.map((d) => Math.abs(d.gap))) * 1.05;
  return Plot.plot({
    document: env.document,
    width: env.width ?? 760,
    height: (env.width ?? 760) < 480 ? 280 : 340,
    marginLeft: 60,
    marginRight: 20,
    ariaLabel: `Verifier re-run gap against reported ${config.score_label}`,
    ariaDescription:
      `${data.length} verifier re-runs on the private set: the relative gap (re-run − reported) / reported against the reported ${config.score_label}. ` +
      `The shaded band is ± ${fmtPct(tol, false)}, the verifier's tolerance; circles are within it, crosses outside.`,
    x: { label: `Reported ${config.score_label}${unit} →`, grid: true, nice: true },
    // percent: true scales the values by 100, so the domain is given in percent.
    y: { domain: [-reach * 100, reach * 100], label: '↑ Re-run vs reported (%)', grid: true, percent: true },
    symbol: { legend: false, domain: WITHIN, range: WITHIN.map((w) => STYLE[w].symbol), tickFormat: (w: Within) => STYLE[w].label },
    color: { domain: WITHIN, range: WITHIN.map((w) => STYLE[w].color) },
    marks: [
      Plot.rectY([tol], { y1: (t: number) => -t, y2: (t: number) => t, fill: 'currentColor', fillOpacity: 0.08, ariaDescription: 'tolerance band', className: 'noise-tolerance-band' }),
      Plot.ruleY([0], { stroke: 'currentColor', strokeOpacity: 0.6 }),
      Plot.ruleY([-tol, tol], { stroke: 'currentColor', strokeOpacity: 0.4, strokeDasharray: '4,3' }),
      Plot.dot(data, {
        x: 'reported',
        y: 'gap',
        symbol: 'side',
        stroke: 'side',
        r: 4,
        strokeWidth: 1.5,
        title: (d: Point) => `${d.agent ?? ''} · reported ${fmtScore(d.reported)}, re-run ${fmtScore(d.rerun)} (${fmtPct(d.gap)}) · ${d.verdict ?? ''}`,
        ariaDescription: 're-run', className: 'noise-re-run',
      }),
    ],
  });
}
