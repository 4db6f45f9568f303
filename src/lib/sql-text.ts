// SQL text helpers: quoting literals, inlining bound parameters for display, console permalinks.
import type { Param, QuerySpec } from './db/connector.ts';

/** A SQL literal for a parameter value: strings quoted with '' escaping, numbers checked, null as NULL. */
export function sqlLiteral(v: Param): string {
  if (v === null) return 'NULL';
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error(`Cannot inline non-finite number ${v}`);
    return String(v);
  }
  return `'${v.replaceAll("'", "''")}'`;
}

/**
 * The SQL with its `?` placeholders replaced by literals, for "view the SQL" and console links.
 * Placeholders inside string literals and comments are left alone.
 */
export function inlineParams(spec: Pick<QuerySpec, 'sql' | 'params'>): string {
  const params = spec.params ?? [];
  let i = 0;
  let out = '';
  let inString = false;
  for (let k = 0; k < spec.sql.length; k++) {
    const ch = spec.sql[k]!;
    if (ch === "'") inString = !inString;
    if (ch === '?' && !inString) {
      if (i >= params.length) throw new Error('More ? placeholders than parameters');
      out += sqlLiteral(params[i++]!);
    } else out += ch;
  }
  if (i !== params.length) throw new Error(`Expected ${params.length} placeholders, found ${i}`);
  return out;
}

/** Link to the SQL console with this query filled in (the console shows it before running). */
export function consoleHref(base: string, spec: Pick<QuerySpec, 'sql' | 'params'>): string {
  return `${base}sql/?sql=${encodeURIComponent(inlineParams(spec))}`;
}
