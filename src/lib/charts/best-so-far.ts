// Best-so-far timeline: every ranked result as a dot, the running best as a step line (all and verified).
import * as Plot from '@observablehq/plot';
import type { CollabConfig } from '../config.ts';
import type { BestSoFarRow } from '../queries/overview.sql.ts';

export interface ChartEnv {
  document: Document;
  width?: number;
}

export function bestSoFarChart(rows: readonly BestSoFarRow[], config: CollabConfig, env: ChartEnv): SVGSVGElement | HTMLElement {
  const data = rows.map((r) => ({ ...r, date: new Date(r.ts) }));
  const valid = data.filter((d) => d.best_valid !== null);
  return Plot.plot({
    document: env.document,
    width: env.width ?? 760,
    height: 320,
    marginLeft: 56,
    ariaLabel: `Best ${config.score_label} so far over time`,
    ariaDescription: `Each dot is a ranked result; the step lines show the best ${config.score_label} reached so far, by any result and by verified results only.`,
    x: { type: 'utc', label: 'Time (UTC) →' },
    y: { label: `${config.higher_is_better ? '↑ ' : '↓ '}${config.score_label} (${config.unit})`, grid: true, reverse: !config.higher_is_better },
    color: { legend: true, domain: ['best so far', 'best verified'], range: ['#2563eb', '#16a34a'] },
    marks: [
      Plot.dot(data, { x: 'date', y: 'score', r: 2, fill: 'currentColor', fillOpacity: 0.25, stroke: null, title: (d: BestSoFarRow) => `${d.agent ?? ''} ${d.score}` }),
      Plot.line(data, { x: 'date', y: 'best', curve: 'step-after', stroke: () => 'best so far', strokeWidth: 2 }),
      Plot.line(valid, { x: 'date', y: 'best_valid', curve: 'step-after', stroke: () => 'best verified', strokeWidth: 2 }),
    ],
  });
}
