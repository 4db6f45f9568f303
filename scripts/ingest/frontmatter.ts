// Split a markdown file into YAML frontmatter (parsed with js-yaml, core schema) and body; check it within bounds.
import { CORE_SCHEMA, load } from 'js-yaml';
import { checkValue, describeError, expectScalarLists, expectScalars, flat, InputError, isWellFormed } from './boundary.ts';

export interface Parsed {
  data: Record<string, unknown>;
  body: string;
  hasFrontmatter: boolean;
}

const FENCE_RE = /^---[ \t]*\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/;

/** Returns the parsed file, or an error string a person understands. */
export function parseFrontmatter(text: string): Parsed | string {
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const m = FENCE_RE.exec(src);
  if (!m) {
    if (src.startsWith('---')) return 'frontmatter has no closing --- line';
    return { data: {}, body: src, hasFrontmatter: false };
  }
  let data: unknown;
  try {
    // Core schema: dates stay strings (we parse them ourselves), numbers stay numbers. `json: true` lets a
    // repeated key override the earlier one instead of failing the file. js-yaml is ~3x faster than yaml here.
    data = load(m[1] ?? '', { schema: CORE_SCHEMA, json: true });
  } catch (e) {
    // js-yaml recurses per nesting level: a deeply nested document overflows the stack instead of failing to parse.
    if (e instanceof RangeError) return 'frontmatter nests too deeply to parse';
    return `frontmatter is not valid YAML: ${(e as Error).message.split('\n')[0]}`;
  }
  if (data === null || data === undefined) data = {};
  if (typeof data !== 'object' || Array.isArray(data)) return 'frontmatter is not a key: value mapping';
  return { data: data as Record<string, unknown>, body: src.slice(m[0].length), hasFrontmatter: true };
}

/** Which frontmatter fields a kind of file reads as one value, and which as a value or a list of values. */
export interface FieldShape {
  scalars: readonly string[];
  lists: readonly string[];
}

export const BOARD_FIELDS: FieldShape = {
  scalars: ['agent', 'timestamp', 'via', 'type', 'priority', 'method', 'status', 'description', 'submission', 'channel'],
  lists: ['refs', 'artifacts'],
};
export const AGENT_FIELDS: FieldShape = {
  scalars: ['agent_name', 'hf_user', 'agent_model', 'agent_harness', 'agent_bucket', 'joined'],
  lists: ['agent_tools'],
};
/** channels/<name>/README.md and members/<handle>.md. */
export const CHANNEL_FIELDS: FieldShape = { scalars: ['channel', 'creator', 'created', 'via', 'subscribed', 'notify'], lists: [] };
/** traces/<agent>/<session>/manifest.md: identity and provenance as single values (figures are checked where read). */
export const TRACE_FIELDS: FieldShape = {
  scalars: ['schema_version', 'harness', 'session_id', 'agent', 'promoted_at', 'via', 'share', 'completeness', 'model', 'started_at', 'ended_at', 'result_ref'],
  lists: [],
};
export const TASKFORCE_FIELDS: FieldShape = { scalars: ['creator', 'created', 'agent', 'timestamp'], lists: [] };

/**
 * The validate step for parsed frontmatter (and an API item's frontmatter and body): within the limits (aliases,
 * expanded size, depth, keys, field length), well-formed text, and single values where the schema reads one.
 * Returns why not, or null.
 */
export function validateFrontmatter(data: Record<string, unknown>, body: string, shape: FieldShape): string | null {
  if (!isWellFormed(body)) return 'body holds a lone UTF-16 surrogate (an escape such as \\ud800), which is not text';
  return checkValue(data) ?? expectScalars(data, shape.scalars) ?? expectScalarLists(data, shape.lists);
}

/**
 * JSON of frontmatter with stable key order as written; a Date becomes its ISO string (its toJSON; JSON.stringify
 * calls it before any replacer, so a replacer for Dates changed nothing and only kept JSON.stringify off its fast path).
 */
export function frontmatterJson(data: Record<string, unknown>): string {
  try {
    return flat(JSON.stringify(data));
  } catch (e) {
    throw new InputError('serialise', 'frontmatter cannot be written as JSON', describeError(e));
  }
}
