// Large scatters stay light: above a point limit every point is counted into a density grid and only the points
// that matter (new bests) stay as marks; step lines keep only the rows where their value changes.
import * as Plot from '@observablehq/plot';

/** Above this many points a scatter is drawn as a density plus its notable points (the page's HTML stays small). */
export const POINT_LIMIT = 2000;

/** Rows where any of `keys` differs from the row before, plus the last row (a step line then looks the same). */
export function stepChanges<T>(rows: readonly T[], keys: readonly (keyof T)[]): T[] {
  const out: T[] = [];
  rows.forEach((r, i) => {
    const prev = rows[i - 1];
    if (i === 0 || i === rows.length - 1 || keys.some((k) => prev?.[k] !== r[k])) out.push(r);
  });
  return out;
}

/** Rows (in time order) whose score beats every earlier one in the collaboration's direction. */
export function newBests<T extends { score: number | null }>(rows: readonly T[], higherIsBetter: boolean): T[] {
  let best: number | null = null;
  const out: T[] = [];
  for (const r of rows) {
    if (r.score === null) continue;
    if (best === null || (higherIsBetter ? r.score > best : r.score < best)) {
      best = r.score;
      out.push(r);
    }
  }
  return out;
}

/** Count of points per cell of a grid over x and y, as shades of the text colour, each cell titled with its count. */
export function densityMark<T>(data: readonly T[], x: string, y: string, noun: string): Plot.Markish {
  return Plot.rect(
    data,
    Plot.bin<Plot.RectOptions>(
      { fillOpacity: 'count', title: (values: readonly unknown[]) => `${values.length} ${values.length === 1 ? noun.replace(/s$/, '') : noun}` },
      { x: { value: x, thresholds: 48 }, y: { value: y, thresholds: 20 }, fill: 'currentColor', inset: 0 },
    ),
  );
}
