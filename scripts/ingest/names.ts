// Board filenames and timestamps: the stamp forms, agent ids and the date formats of the export.
import { isValid, parse } from 'date-fns';
import { utc } from '@date-fns/utc';

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

function parseUtc(text: string, format: string): string | null {
  const d = parse(text, format, new Date(0), { in: utc });
  return isValid(d) ? d.toISOString() : null;
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
