// Split a markdown file into YAML frontmatter (parsed with js-yaml, core schema) and body.
import { CORE_SCHEMA, load } from 'js-yaml';

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
    return `frontmatter is not valid YAML: ${(e as Error).message.split('\n')[0]}`;
  }
  if (data === null || data === undefined) data = {};
  if (typeof data !== 'object' || Array.isArray(data)) return 'frontmatter is not a key: value mapping';
  return { data: data as Record<string, unknown>, body: src.slice(m[0].length), hasFrontmatter: true };
}

/** JSON of frontmatter with stable key order as written; non-JSON values (Date, undefined) become strings. */
export function frontmatterJson(data: Record<string, unknown>): string {
  return JSON.stringify(data, (_k, v: unknown) => (v instanceof Date ? v.toISOString() : v));
}
