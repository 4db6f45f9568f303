// Time helpers for the sample: the fixed 6-day window and every stamp format the export uses.
export const START_MS = Date.UTC(2026, 5, 8, 0, 0, 0, 0); // 2026-06-08T00:00:00Z
export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
export const SPAN_MS = 6 * DAY;
export const END_MS = START_MS + SPAN_MS;

const iso = (ms: number): string => new Date(ms).toISOString(); // 2026-06-10T14:03:07.123Z

/** Filename stamp YYYYMMDD-HHmmss-mmm. */
export function fileStamp(ms: number): string {
  const s = iso(ms);
  return `${s.slice(0, 4)}${s.slice(5, 7)}${s.slice(8, 10)}-${s.slice(11, 13)}${s.slice(14, 16)}${s.slice(17, 19)}-${s.slice(20, 23)}`;
}

/** Legacy filename stamp YYYYMMDD-HHmmss (no milliseconds). */
export function legacyStamp(ms: number): string {
  return fileStamp(ms).slice(0, 15);
}

/** Frontmatter timestamp / joined: YYYY-MM-DD HH:MM UTC (minute precision). */
export function minuteStamp(ms: number): string {
  const s = iso(ms);
  return `${s.slice(0, 10)} ${s.slice(11, 16)} UTC`;
}

/** ISO 8601 with milliseconds and Z (job_status.finished_at, meta.generated_at). */
export function isoMs(ms: number): string {
  return iso(ms);
}

/** run_request.created_at and run dir names: YYYYMMDDTHHMMSSZ. */
export function compactStamp(ms: number): string {
  const s = iso(ms);
  return `${s.slice(0, 4)}${s.slice(5, 7)}${s.slice(8, 10)}T${s.slice(11, 13)}${s.slice(14, 16)}${s.slice(17, 19)}Z`;
}

/** Day number within the window, 0-based. */
export function dayOf(ms: number): number {
  return Math.floor((ms - START_MS) / DAY);
}
