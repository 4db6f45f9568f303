// Board filenames and timestamps: the stamp forms, agent ids and the date formats of the export.
import { isValid } from 'date-fns';

/** Agent id charset (AC naming.py): 1-40 of [a-z0-9-], alphanumeric at both ends, so no underscore. */
export const AGENT_ID_RE = /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/;

const MS_NAME_RE = /^(\d{8}-\d{6}-\d{3})_([^_]+)\.md$/;
const LEGACY_NAME_RE = /^(\d{8}-\d{6})_([^_]+)(?:_(.+))?\.md$/;

export interface BoardName {
  /** ISO-8601 UTC time from the stamp. */
  ts: string;
  agent: string;
  form: 'ms' | 'legacy';
  topic: string | null;
}

/** One piece of a date format: a literal, or a field of 1 to `max` ASCII digits (date-fns `parse`'s tokens). */
type FormatPiece = { lit: string } | { field: 'y' | 'M' | 'd' | 'H' | 'm' | 's' | 'S'; max: number };

const FIELD_LETTERS = 'yMdHmsS';
const compiledFormats = new Map<string, FormatPiece[]>();

/** A format of the letters yMdHmsS (a run of one letter is one field), 'quoted' literals and other literal characters. */
function compileFormat(format: string): FormatPiece[] {
  const pieces: FormatPiece[] = [];
  for (let i = 0; i < format.length; ) {
    const c = format[i]!;
    if (c === "'") {
      const end = format.indexOf("'", i + 1);
      pieces.push({ lit: format.slice(i + 1, end) });
      i = end + 1;
    } else if (FIELD_LETTERS.includes(c)) {
      let j = i;
      while (format[j] === c) j++;
      pieces.push({ field: c as 'y', max: j - i });
      i = j;
    } else {
      pieces.push({ lit: c });
      i++;
    }
  }
  return pieces;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const NOT_WHITESPACE = /\S/;

/**
 * `text` read with `format` as UTC, as ISO-8601, or null: what date-fns `parse(text, format, new Date(0), { in: utc })`
 * gives for these formats (each field takes 1 to its length of ASCII digits, greedily; literals must match; only
 * whitespace may follow; year ≥ 1, month 1–12, a day of that month, hours 0–23, minutes and seconds 0–59), without its
 * per-call tokenising and setters (it was ~5% of a scale-100 build). tests/unit/ingest/names.test.ts compares the two.
 */
export function parseUtc(text: string, format: string): string | null {
  let pieces = compiledFormats.get(format);
  if (!pieces) compiledFormats.set(format, (pieces = compileFormat(format)));
  let y = 1970;
  let mo = 1;
  let d = 1;
  let h = 0;
  let mi = 0;
  let s = 0;
  let ms = 0;
  let pos = 0;
  for (const p of pieces) {
    if ('lit' in p) {
      if (!text.startsWith(p.lit, pos)) return null;
      pos += p.lit.length;
      continue;
    }
    let v = 0;
    let k = 0;
    for (; k < p.max && pos + k < text.length; k++) {
      const c = text.charCodeAt(pos + k) - 48;
      if (c < 0 || c > 9) break;
      v = v * 10 + c;
    }
    if (k === 0) return null;
    pos += k;
    if (p.field === 'y') y = v;
    else if (p.field === 'M') mo = v;
    else if (p.field === 'd') d = v;
    else if (p.field === 'H') h = v;
    else if (p.field === 'm') mi = v;
    else if (p.field === 's') s = v;
    else ms = p.max === 3 ? v : Math.trunc(v * 10 ** (3 - p.max));
  }
  if (pos < text.length && NOT_WHITESPACE.test(text.slice(pos))) return null;
  const leap = y % 400 === 0 || (y % 4 === 0 && y % 100 !== 0);
  if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > (mo === 2 && leap ? 29 : DAYS_IN_MONTH[mo - 1]!) || h > 23 || mi > 59 || s > 59) return null;
  const date = new Date(0);
  date.setUTCFullYear(y, mo - 1, d);
  date.setUTCHours(h, mi, s, ms);
  return date.toISOString();
}

/**
 * Parse `YYYYMMDD-HHmmss-mmm_<agent>.md` or the legacy `YYYYMMDD-HHmmss_<agent>[_<topic>].md`.
 * Returns a reason string when the name is not a board filename.
 */
export function parseBoardFilename(name: string): BoardName | string {
  const ms = MS_NAME_RE.exec(name);
  const legacy = ms ? null : LEGACY_NAME_RE.exec(name);
  const m = ms ?? legacy;
  if (!m) return 'filename is not <YYYYMMDD-HHmmss-mmm>_<agent>.md (nor the legacy <YYYYMMDD-HHmmss>_<agent>[_<topic>].md)';
  const stamp = m[1]!;
  const agent = m[2]!;
  const ts = parseUtc(stamp, ms ? 'yyyyMMdd-HHmmss-SSS' : 'yyyyMMdd-HHmmss');
  if (!ts) return `filename stamp ${stamp} is not a real date and time`;
  if (!AGENT_ID_RE.test(agent)) return `agent id "${agent}" in the filename is not 1-40 characters of a-z, 0-9 and -`;
  return { ts, agent, form: ms ? 'ms' : 'legacy', topic: legacy?.[3] ?? null };
}

/** Frontmatter `timestamp` / agent `joined`: `YYYY-MM-DD HH:MM UTC` (minute precision). Also accepts ISO. */
export function parseMinuteStamp(value: unknown): string | null {
  if (value instanceof Date) return isValid(value) ? value.toISOString() : null;
  if (typeof value !== 'string') return null;
  const v = value.trim();
  return (
    parseUtc(v, "yyyy-MM-dd HH:mm 'UTC'") ??
    parseUtc(v, 'yyyy-MM-dd HH:mm') ??
    parseIsoUtc(v)
  );
}

/** ISO 8601 with Z or offset (job_status.finished_at, meta.generated_at). */
export function parseIsoUtc(value: unknown): string | null {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(value)) {
    return null;
  }
  const d = new Date(value);
  return isValid(d) ? d.toISOString() : null;
}

/** run_request.created_at: `YYYYMMDDTHHMMSSZ`. */
export function parseCompactStamp(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  return parseUtc(value, "yyyyMMdd'T'HHmmss'Z'") ?? parseIsoUtc(value);
}

/** server.json ready_at_unix: float epoch seconds. */
export function parseUnixSeconds(value: unknown): string | null {
  if (typeof value !== 'number' || !Number.isFinite(value)) return null;
  return new Date(Math.round(value * 1000)).toISOString();
}

/** Strip folder prefixes (results/, message_board/, inbox/x/) from a reference token. */
export function baseName(token: string): string {
  const i = token.lastIndexOf('/');
  return i >= 0 ? token.slice(i + 1) : token;
}
