// One place for display text: numbers, times and plurals, on build-time pages, in the browser and in tooltips.
// Downloads and the SQL console keep full precision; this is only what a reader sees.
export { formatCell as num, isNumeric } from './db/format.ts';
import { formatCell } from './db/format.ts';

/** `2026-06-15 09:01` (UTC, to the minute) from an ISO timestamp; '' for null. */
export const minuteText = (ts: string | null | undefined): string => (ts ? ts.slice(0, 16).replace('T', ' ') : '');

/** `1 reply`, `3 replies`: the count grouped, the noun agreeing with it. */
export const plural = (n: number, one: string, many = `${one}s`): string => `${formatCell(n)} ${n === 1 ? one : many}`;

/** A difference with its sign (a real minus sign), or – for unknown. */
export const signed = (x: number | null, f: (x: number) => string = formatCell): string =>
  x === null ? '–' : `${x > 0 ? '+' : x < 0 ? '−' : ''}${f(Math.abs(x))}`;

/** A score as a reader sees it: rounded to two decimals, grouped (`1,234.57`). */
export const scoreText = (x: number): string => formatCell(Math.round(x * 100) / 100);

/** A ratio to one decimal with a times sign (`2.4×`). */
export const ratioText = (x: number): string => `${x.toFixed(1)}×`;

/** A headline figure's value: a grouped count, a score or a ratio; – when there is none. */
export const figureText = (x: number | null, kind: 'count' | 'score' | 'ratio'): string =>
  x === null ? '–' : kind === 'ratio' ? ratioText(x) : kind === 'score' ? scoreText(x) : formatCell(x);

/** A file size: `812 B`, `14.2 kB`, `3.1 MB` (1024-based); '' when unknown. */
export const bytesText = (bytes: unknown): string => {
  if (typeof bytes !== 'number') return '';
  return bytes < 1024 ? `${bytes} B` : bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} kB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
};
