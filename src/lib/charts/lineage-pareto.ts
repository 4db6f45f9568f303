// Pareto frontier: score against the secondary metric for eligible results, the non-dominated ones joined as a staircase.
import * as Plot from '@observablehq/plot';
import type { CollabConfig } from '../config.ts';
import type { ChartEnv } from './best-so-far.ts';

/** Most non-Pareto results drawn one by one; beyond, hexagonal bins (a 5,000-result sample drew 870 KB of dots). */
export const DOTS_MAX = 600;

export interface ParetoPoint {
  filename: string;
  agent: string | null;
  score: number | null;
  secondary: number | null;
  is_pareto: boolean | null;
  method: string | null;
}

/**
 * Small scatter: every result with both metrics (Pareto results filled, the rest faint), the Pareto
 * results joined in secondary order, and the secondary cap. Labels come from the config; null without a secondary.
 */
export function lineagePareto(rows: readonly ParetoPoint[], config: CollabConfig, env: ChartEnv): SVGSVGElement | HTMLElement | null {
  const data = rows.filter((r) => r.score !== null && r.secondary !== null);
  if (!config.secondary_field || data.length === 0) return null;
  const front = data.filter((r) => r.is_pareto).sort((a, b) => a.secondary! - b.secondary! || a.score! - b.score!);
  const rest = data.filter((d) => !d.is_pareto);
  const cap = config.secondary_cap;
  const tip = (d: ParetoPoint): string =>
    `${d.agent ?? ''} · ${d.score} ${config.unit} · ${config.secondary_label} ${d.secondary}${d.is_pareto ? ' · Pareto' : ''}\n${d.method ?? ''}`;
  return Plot.plot({
    document: env.document,
    width: env.width ?? 480,
    height: 260,
    marginLeft: 56,
    marginRight: 20,
    ariaLabel: `Pareto frontier: ${config.score_label} against ${config.secondary_label}`,
    ariaDescription: `${front.length} of ${data.length} results with both metrics are not beaten on both ${config.score_label} (${config.higher_is_better ? 'higher' : 'lower'} is better) and ${config.secondary_label} (lower is better)${cap !== null ? `; ${config.secondary_label} cap ${cap}` : ''}.`,
    x: { label: `← ${config.secondary_label} (lower is better)`, grid: true },
    y: { label: `${config.higher_is_better ? '↑' : '↓'} ${config.score_label} (${config.unit})`, grid: true, reverse: !config.higher_is_better },
    r: { range: [0, 4] },
    marks: [
      cap !== null ? Plot.ruleX([cap], { stroke: '#dc2626', strokeDasharray: '4,3' }) : null,
      cap !== null ? Plot.text([cap], { x: (d: number) => d, text: () => `cap ${cap}`, frameAnchor: 'top', dx: 4, dy: 4, textAnchor: 'start', fill: '#dc2626' }) : null,
      // The rest as faint rings, or past DOTS_MAX as hexagonal bins sized by count (the markup stays small).
      rest.length <= DOTS_MAX
        ? Plot.dot(rest, { x: 'secondary', y: 'score', r: 2.5, stroke: 'currentColor', strokeOpacity: 0.35 })
        : Plot.dot(rest, Plot.hexbin({ r: 'count' }, { x: 'secondary', y: 'score', binWidth: 12, fill: 'currentColor', fillOpacity: 0.3 })),
      Plot.line(front, { x: 'secondary', y: 'score', curve: 'step-after', stroke: '#0a5fb4', strokeWidth: 1.5 }),
      Plot.dot(front, { x: 'secondary', y: 'score', r: 4, fill: '#0a5fb4', title: tip }),
    ],
  });
}
