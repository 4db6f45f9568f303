// Markdown files with YAML frontmatter, serialised as the yaml package does (no line folding, insertion key order).
import { stringify } from 'yaml';

// yaml.stringify costs ~50 µs per small document, which dominates a scale-100 run (~200k files). Flat
// frontmatter takes a fast path: plain-safe scalars are written as-is, strings that need quoting are
// quoted by yaml one value at a time; anything else (multi-line or empty strings, nested objects) goes
// through yaml whole. The unit tests check that every generated file's frontmatter equals
// yaml.stringify of its parsed value.
const PLAIN = /^[A-Za-z0-9][A-Za-z0-9 ._/:,+=()-]*$/;
const UNSAFE = /: |:$| #| $|,$/;
const NUMBERISH = /^(?:[-+]?(?:\.\d+|\d+(?:\.\d*)?)(?:[eE][-+]?\d+)?|0x[0-9a-fA-F]+|0o[0-7]+|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;
const KEYWORD = /^(?:true|True|TRUE|false|False|FALSE|null|Null|NULL|~)$/;
const KEY = /^[a-z_][a-z0-9_]*$/;

function plainScalar(v: unknown): string | null {
  if (typeof v === 'number') return Number.isFinite(v) && !Object.is(v, -0) && Math.abs(v) < 1e21 && (Math.abs(v) >= 1e-6 || v === 0) ? String(v) : null;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v !== 'string') return null;
  if (PLAIN.test(v) && !UNSAFE.test(v) && !NUMBERISH.test(v) && !KEYWORD.test(v)) return v;
  // A single-line string that needs quoting: let yaml choose the quoting for just this value.
  if (v.includes('\n') || v.length === 0) return null;
  const one = stringify(v, { lineWidth: 0 });
  return one.endsWith('\n') && !one.slice(0, -1).includes('\n') ? one.slice(0, -1) : null;
}

/** The yaml.stringify output for flat maps of plain scalars and lists of them, or null (use yaml). */
export function fastYaml(doc: Record<string, unknown>): string | null {
  if (!Object.keys(doc).length) return null;
  let out = '';
  for (const key of Object.keys(doc)) {
    if (!KEY.test(key)) return null;
    const v = doc[key];
    if (Array.isArray(v)) {
      if (!v.length) {
        out += `${key}: []\n`;
        continue;
      }
      out += `${key}:\n`;
      for (const item of v) {
        const s = plainScalar(item);
        if (s === null) return null;
        out += `  - ${s}\n`;
      }
      continue;
    }
    const s = plainScalar(v);
    if (s === null) return null;
    out += `${key}: ${s}\n`;
  }
  return out;
}

export function toYaml(doc: Record<string, unknown>): string {
  return fastYaml(doc) ?? stringify(doc, { lineWidth: 0 });
}

/** `---\n<yaml>---\n<body>\n`: the layout the server writes (client keys, then agent, timestamp, via). */
export function mdFile(frontmatter: Record<string, unknown>, body: string): string {
  return `---\n${toYaml(frontmatter)}---\n${body}${body.endsWith('\n') ? '' : '\n'}`;
}
