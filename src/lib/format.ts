// One place for display text: numbers, times, durations and plurals, on build-time pages, in the browser and in
// tooltips. Downloads and the SQL console keep full precision; this is only what a reader sees.
export { formatCell as num, isNumeric } from './db/format.ts';
import { formatCell } from './db/format.ts';

/** `2026-06-15 09:01` (UTC, to the minute) from an ISO timestamp; '' for null. Compact, for the console and ids. */
export const minuteText = (ts: string | null | undefined): string => (ts ? ts.slice(0, 16).replace('T', ' ') : '');

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** Date parts of an ISO timestamp read as UTC (a bare `2026-06-16 15:16` is UTC too); null when it is not one. */
function utcParts(ts: string | Date | null | undefined): { y: number; m: number; d: number; hh: string; mm: string } | null {
  if (ts === null || ts === undefined || ts === '') return null;
  const t = ts instanceof Date ? ts : new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(ts) ? ts : `${ts.replace(' ', 'T')}Z`);
  if (Number.isNaN(t.getTime())) return null;
  const pad = (n: number) => String(n).padStart(2, '0');
  return { y: t.getUTCFullYear(), m: t.getUTCMonth(), d: t.getUTCDate(), hh: pad(t.getUTCHours()), mm: pad(t.getUTCMinutes()) };
}

/** `16 Jun 2026, 15:16 UTC`: a time as a reader reads it, the zone stated; '' for null, the input for unreadable text. */
export function timeText(ts: string | Date | null | undefined): string {
  const p = utcParts(ts);
  if (!p) return typeof ts === 'string' ? ts : '';
  return `${p.d} ${MONTHS[p.m]} ${p.y}, ${p.hh}:${p.mm} UTC`;
}

/** `16 Jun 2026`: a UTC calendar day. */
export function dayText(ts: string | Date | null | undefined): string {
  const p = utcParts(ts);
  return p ? `${p.d} ${MONTHS[p.m]} ${p.y}` : typeof ts === 'string' ? ts : '';
}

/** `16 Jun`: a UTC day within the year the text around it names; '' for null, the input for unreadable text. */
export function dayMonthText(ts: string | Date | null | undefined): string {
  const p = utcParts(ts);
  return p ? `${p.d} ${MONTHS[p.m]}` : typeof ts === 'string' ? ts : '';
}

/** `45 s`, `12 min`, `3 h 5 min`, `2 days 4 h`: a duration in its two largest units; '' for null or negative. */
export function durationText(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) return '';
  const s = Math.round(ms / 1000);
  if (s < 60) return ms < 1000 ? `${Math.round(ms)} ms` : `${s} s`;
  const min = Math.round(s / 60);
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  if (h < 24) return min % 60 ? `${h} h ${min % 60} min` : `${h} h`;
  const days = Math.floor(h / 24);
  return h % 24 ? `${plural(days, 'day')} ${h % 24} h` : plural(days, 'day');
}

/** `3 days ago`, `in 2 h`, `just now`: a time relative to `now` (injected, so builds stay deterministic). */
export function relativeText(ts: string | Date, now: Date): string {
  const t = ts instanceof Date ? ts : new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(ts) ? ts : `${ts.replace(' ', 'T')}Z`);
  const diff = now.getTime() - t.getTime();
  if (!Number.isFinite(diff)) return '';
  if (Math.abs(diff) < 60_000) return 'just now';
  return diff > 0 ? `${durationText(diff)} ago` : `in ${durationText(-diff)}`;
}

/** `1 reply`, `3 replies`: the count grouped, the noun agreeing with it. */
export const plural = (n: number, one: string, many = `${one}s`): string => `${formatCell(n)} ${n === 1 ? one : many}`;

/** `was` or `were`, agreeing with a count ("1 submission was split", "2 submissions were split"). */
export const wasWere = (n: number): string => (n === 1 ? 'was' : 'were');

/** A difference with its sign (a real minus sign), or – for unknown. */
export const signed = (x: number | null, f: (x: number) => string = formatCell): string =>
  x === null ? '–' : `${x > 0 ? '+' : x < 0 ? '−' : ''}${f(Math.abs(x))}`;

/**
 * Decimals a score can honestly show when runs of the same code scatter by σ (the pooled σ of noise_summary): down to
 * the first significant digit of σ and one more (σ 1.24 → 1 decimal, σ 0.05 → 3), never more than 4; 2 when σ is
 * unknown.
 */
export function scoreDecimals(sigma: number | null | undefined): number {
  if (sigma === null || sigma === undefined || !(sigma > 0) || !Number.isFinite(sigma)) return 2;
  return Math.min(4, Math.max(0, 1 - Math.floor(Math.log10(sigma))));
}

/** A score as a reader sees it: grouped, to the decimals σ supports (`1,234.6` for σ ≈ 1), else two (`1,234.57`). */
export function scoreText(x: number, sigma?: number | null): string {
  const d = scoreDecimals(sigma);
  return new Intl.NumberFormat('en-US', { minimumFractionDigits: sigma ? d : 0, maximumFractionDigits: d }).format(x);
}

/** A score with the configured unit (`486.6 tok/s`); '' for null. */
export const scoreWithUnit = (x: number | null | undefined, unit: string, sigma?: number | null): string =>
  x === null || x === undefined ? '' : unit ? `${scoreText(x, sigma)} ${unit}` : scoreText(x, sigma);

/** A ratio to one decimal with a times sign (`2.4×`). */
export const ratioText = (x: number): string => `${x.toFixed(1)}×`;

/** A headline figure's value: a grouped count, a score or a ratio; – when there is none. */
export const figureText = (x: number | null, kind: 'count' | 'score' | 'ratio'): string =>
  x === null ? '–' : kind === 'ratio' ? ratioText(x) : kind === 'score' ? scoreText(x) : formatCell(x);

/** A file size: `812 B`, `14.2 kB`, `3.1 MB`, `60 MB` (1024-based, at most one decimal); '' when unknown. */
export const bytesText = (bytes: unknown): string => {
  if (typeof bytes !== 'number') return '';
  const one = (x: number) => new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 }).format(x);
  return bytes < 1024 ? `${bytes} B` : bytes < 1024 * 1024 ? `${one(bytes / 1024)} kB` : `${one(bytes / 1024 / 1024)} MB`;
};
