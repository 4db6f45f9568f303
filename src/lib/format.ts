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
