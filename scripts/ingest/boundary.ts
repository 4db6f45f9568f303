// The per-file boundary: any failure while reading, parsing, validating or turning one input into rows becomes a
// rejects row (file, part, step, reason) and the build goes on. Also the bounded checks that keep one file's work
// small: JSON nesting on the text, and a budgeted walk over parsed values (alias expansion, depth, keys, strings).
import { LIMITS } from './limits.ts';
import type { Rejects } from './source.ts';

/** The step of the ingest a reject happened in, in the order a file passes through them. */
export type Step = 'list' | 'read' | 'decode' | 'parse' | 'validate' | 'rows' | 'serialise';

/** A failure the ingest raises on purpose, with the step and a reason a person understands. */
export class InputError extends Error {
  constructor(
    readonly step: Step,
    readonly reason: string,
    readonly detail: string | null = null,
  ) {
    super(`${reason}${detail ? `: ${detail}` : ''}`);
  }
}

/** First line of an error's message, bounded, for the rejects table. */
export function describeError(e: unknown): string {
  const msg = e instanceof Error ? `${e.name === 'Error' ? '' : `${e.name}: `}${e.message}` : String(e);
  return clip(msg.split('\n')[0] ?? '', 300);
}

/** At most `n` characters, never splitting a surrogate pair, ending in `suffix` when cut. */
/**
 * The same string as one flat run of characters. V8 builds many strings as trees of pieces (a template or `+`, a
 * `replace`, JSON.stringify with a replacer: ~30 pieces of 32 bytes for a 280-character excerpt), and keeps the tree
 * for as long as the string lives; a row held to the end of the ingest holds it whole. A JSON round trip gives an
 * identical string (lone surrogates included) stored flat.
 */
export function flat(s: string): string {
  return s.length < 16 ? s : (JSON.parse(JSON.stringify(s)) as string);
}

export function clip(s: string, n: number, suffix = '…'): string {
  if (s.length <= n) return s;
  let end = n - suffix.length;
  const c = s.charCodeAt(end - 1);
  if (c >= 0xd800 && c <= 0xdbff) end--;
  return `${s.slice(0, end)}${suffix}`;
}

/**
 * Run `fn` for the input `files` (one reject row each when it fails) and return its value, or `fallback` when it
 * throws. An InputError keeps its own step and reason; anything else (a parser bug, a stack overflow, an I/O error)
 * is recorded as an unexpected failure of `step`.
 */
export function isolate<T>(rejects: Rejects, files: readonly string[], part: string | null, step: Step, fn: () => T, fallback: T): T {
  try {
    return fn();
  } catch (e) {
    for (const file of files) {
      if (e instanceof InputError) rejects.add(file, part, e.step, e.reason, e.detail);
      else rejects.add(file, part, step, `could not ${STEP_VERB[step]} this file (unexpected error)`, describeError(e));
    }
    return fallback;
  }
}

const STEP_VERB: Record<Step, string> = {
  list: 'list',
  read: 'read',
  decode: 'decode',
  parse: 'parse',
  validate: 'validate',
  rows: 'build rows from',
  serialise: 'serialise',
};

/** Lone UTF-16 surrogates (from `\ud800`-style escapes) are not text: DuckDB and Parquet refuse them. */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;
export const isWellFormed = (s: string): boolean => !LONE_SURROGATE.test(s);
/** The text with each lone surrogate replaced by U+FFFD (for rejects, which must hold whatever they are given). */
export const toWellFormed = (s: string): string => (isWellFormed(s) ? s : s.replace(/[\uD800-\uDFFF]/gu, '\uFFFD'));

/** Deepest nesting of [ and { in JSON text (strings skipped), stopping as soon as it passes `max`. */
export function jsonNestingExceeds(text: string, max: number = LIMITS.jsonDepth): boolean {
  // Nesting deeper than `max` needs more than `max` brackets: most texts have fewer, counted without a walk.
  let brackets = 0;
  for (const open of ['[', '{']) {
    for (let i = text.indexOf(open); i >= 0 && brackets <= max; i = text.indexOf(open, i + 1)) brackets++;
  }
  if (brackets <= max) return false;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 || c === 123) {
      if (++depth > max) return true;
    } else if (c === 93 || c === 125) depth--;
  }
  return false;
}

export interface ValueBudget {
  /** Collections reached more than once (YAML aliases); JSON values never share. */
  aliases: number;
  values: number;
  chars: number;
  depth: number;
  keys: number;
  fieldChars: number;
}

export const YAML_BUDGET: ValueBudget = {
  aliases: LIMITS.yamlAliases,
  values: LIMITS.yamlExpandedValues,
  chars: LIMITS.yamlExpandedChars,
  depth: LIMITS.yamlDepth,
  keys: LIMITS.yamlKeys,
  fieldChars: LIMITS.fieldChars,
};

/** A JSON record (run files): no aliases; bounded like its file; strings like frontmatter fields. */
export const JSON_BUDGET: ValueBudget = {
  aliases: 0,
  values: 1_000_000,
  chars: LIMITS.listingBytes,
  depth: LIMITS.jsonDepth,
  keys: 1_000_000,
  fieldChars: LIMITS.fieldChars,
};

/**
 * Walk a parsed value as serialising it would (aliases expanded), within `budget`. Returns why it is too big or
 * malformed, or null. Iterative, so depth never costs stack; stops at the first limit passed.
 */
export function checkValue(root: unknown, budget: ValueBudget = YAML_BUDGET, what = 'frontmatter'): string | null {
  const seen = new Set<object>();
  let aliases = 0;
  let values = 0;
  let chars = 0;
  let keys = 0;
  // Each value with its depth and where it sits (its parent's entry and its key or index): a path is spelled only
  // for a message.
  type Entry = { v: unknown; depth: number; parent: Entry | null; key: string | number };
  const pathOf = (e: Entry): string => {
    if (e.parent === null) return '';
    const up = pathOf(e.parent);
    return typeof e.key === 'number' ? `${up}[${e.key}]` : up ? `${up}.${e.key.slice(0, 40)}` : e.key.slice(0, 40);
  };
  const stack: Entry[] = [{ v: root, depth: 0, parent: null, key: '' }];
  while (stack.length > 0) {
    const e = stack.pop()!;
    const { v, depth } = e;
    if (++values > budget.values) return `${what} expands to more than ${budget.values.toLocaleString('en')} values (YAML aliases?)`;
    if (typeof v === 'string') {
      if (v.length > budget.fieldChars) return `${what} field ${pathOf(e) || '(top)'} is longer than ${budget.fieldChars.toLocaleString('en')} characters (${v.length.toLocaleString('en')})`;
      if (!isWellFormed(v)) return `${what} field ${pathOf(e) || '(top)'} holds a lone UTF-16 surrogate (an escape such as \\ud800), which is not text`;
      chars += v.length;
    } else if (typeof v === 'object' && v !== null) {
      if (depth >= budget.depth) return `${what} nests deeper than ${budget.depth} levels`;
      if (seen.has(v) && ++aliases > budget.aliases) return `${what} repeats collections through more than ${budget.aliases} aliases`;
      seen.add(v);
      if (Array.isArray(v)) for (let i = v.length - 1; i >= 0; i--) stack.push({ v: v[i], depth: depth + 1, parent: e, key: i });
      else {
        const entries = Object.entries(v);
        keys += entries.length;
        if (keys > budget.keys) return `${what} has more than ${budget.keys.toLocaleString('en')} keys`;
        for (let i = entries.length - 1; i >= 0; i--) {
          const [k, x] = entries[i]!;
          chars += k.length;
          if (k.length > budget.fieldChars || !isWellFormed(k)) return `${what} has a malformed or oversized key`;
          stack.push({ v: x, depth: depth + 1, parent: e, key: k });
        }
      }
    }
    if (chars > budget.chars) return `${what} expands to more than ${budget.chars.toLocaleString('en')} characters (YAML aliases?)`;
  }
  return null;
}

/** Fields the schema reads as one value; a list or mapping there is an error, not a value to stringify. */
export function expectScalars(data: Record<string, unknown>, fields: readonly string[], what = 'frontmatter'): string | null {
  for (const f of fields) {
    if (!Object.hasOwn(data, f)) continue;
    const v = data[f];
    if (typeof v === 'object' && v !== null) return `${what} field ${f} must be a single value, found ${Array.isArray(v) ? 'a list' : 'a mapping'}`;
  }
  return null;
}

/** Fields the schema reads as a value or a list of values (refs, artifacts, tools). */
export function expectScalarLists(data: Record<string, unknown>, fields: readonly string[], what = 'frontmatter'): string | null {
  for (const f of fields) {
    if (!Object.hasOwn(data, f)) continue;
    const v = data[f];
    if (typeof v !== 'object' || v === null) continue;
    if (!Array.isArray(v) || v.some((x) => typeof x === 'object' && x !== null)) return `${what} field ${f} must be a value or a list of values`;
  }
  return null;
}
