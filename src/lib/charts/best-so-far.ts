// Best-so-far timeline: every ranked result as a dot, the running best as a step line (all and verified).
import * as Plot from '@observablehq/plot';
import type { CollabConfig } from '../config.ts';
import type { BestSoFarRow } from '../queries/overview.sql.ts';
import { densityMark, POINT_LIMIT, stepChanges } from './thin.ts';

export interface ChartEnv {
  document: Document;
  width?: number;
}

export function bestSoFarChart(rows: readonly BestSoFarRow[], config: CollabConfig, env: ChartEnv): SVGSVGElement | HTMLElement {
  const data = rows.map((r) => ({ ...r, date: new Date(r.ts) }));
  const valid = data.filter((d) => d.best_valid !== null);
  // Many results: a density of all of them, dots only for those that set a new best; lines keep their corners.
  const dense = data.length > POINT_LIMIT;
  const dots = dense ? data.filter((d, i) => i === 0 || d.best !== data[i - 1]!.best) : data;
  const dotTitle = (d: BestSoFarRow): string => `${d.agent ?? ''} ${d.score}`;
  return Plot.plot({
    document: env.document,
    width: env.width ?? 760,
    height: 320,
    marginLeft: 56,
    ariaLabel: `Best ${config.score_label} so far over time`,
    ariaDescription: dense
      ? `${data.length} ranked results, shaded by how many fall in each cell; dots mark the ${dots.length} that set a new best. The step lines show the best ${config.score_label} reached so far, by any result and by verified results only.`
      : `Each dot is a ranked result; the step lines show the best ${config.score_label} reached so far, by any result and by verified results only.`,
    x: { type: 'utc', label: 'Time (UTC) →' },
    y: { label: `${config.higher_is_better ? '↑ ' : '↓ '}${config.score_label} (${config.unit})`, grid: true, reverse: !config.higher_is_better },
    color: { legend: true, domain: ['best so far', 'best verified'], range: ['#2563eb', '#16a34a'] },
    ...(dense
      ? {
          opacity: { label: 'results per cell', range: [0.08, 0.6] },
          caption: `${data.length.toLocaleString('en')} results: darker cells hold more of them; dots mark the ${dots.length} that set a new best.`,
        }
      : {}),
    marks: [
      dense ? densityMark(data, 'date', 'score', 'results') : null,
      Plot.dot(dots, { x: 'date', y: 'score', r: dense ? 2.5 : 2, fill: 'currentColor', fillOpacity: dense ? 0.7 : 0.25, stroke: null, title: dotTitle }),
      Plot.line(stepChanges(data, ['best']), { x: 'date', y: 'best', curve: 'step-after', stroke: () => 'best so far', strokeWidth: 2 }),
      Plot.line(stepChanges(valid, ['best_valid']), { x: 'date', y: 'best_valid', curve: 'step-after', stroke: () => 'best verified', strokeWidth: 2 }),
    ],
  });
}
