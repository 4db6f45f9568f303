// Words of board text, the one definition shared by the search index (scripts/derive/search-index/) and the board's
// search box (src/lib/queries/board-search.sql.ts), so the index and the query cut text the same way.
//
// A word is a maximal run of letters, combining marks and digits (Unicode \p{L}\p{M}\p{N}) in the lower-cased text:
// `KV_cache-2b` has the words `kv`, `cache` and `2b`; `naïve`, `Straße` and `東京` are one word each.

const WORD = /[\p{L}\p{M}\p{N}]+/gu;
const ONLY_WORD = /^[\p{L}\p{M}\p{N}]+$/u;
const WORD_START = /[\p{L}\p{M}\p{N}]/u;

// The two characters whose full lower-casing (JavaScript's) differs from the simple, per-character one that DuckDB's
// lower() uses: İ (U+0130, to i + U+0307) and Σ (U+03A3, to ς at the end of a word).
const SPECIAL_LOWER = /[\u0130\u03a3]/;

/**
 * Lower-casing as DuckDB's lower() does it (simple case mapping, character by character), so the index, the search
 * terms and the SQL that matches text terms agree: `İstanbul` → `istanbul`, `ΟΔΟΣ` → `οδοσ`.
 */
export function lowerText(s: string): string {
  if (!SPECIAL_LOWER.test(s)) return s.toLowerCase();
  return s.replace(/[\u0130\u03a3]/g, (c) => (c === '\u0130' ? 'i' : '\u03c3')).toLowerCase();
}

/** The distinct words of a text, in order of first appearance. */
export function wordsOf(text: string): string[] {
  return [...new Set(lowerText(text).match(WORD) ?? [])];
}

/** One term of a search: a `word` must start a word of the message; a `text` must appear in it as typed. */
export type SearchTerm = { kind: 'word' | 'text'; text: string };

/**
 * A search box's text as terms, all of which must match (AND): "quoted phrases" and any whitespace-separated piece
 * with a character that is not a letter, mark or digit (`kv_cache`, `50%`, `gemma-2b`, a filename) are `text` terms,
 * matched as typed (case-insensitive substring); every other piece is a `word` term, matched at the start of a word.
 * Duplicates are dropped; the order is the order typed.
 */
export function parseSearch(q: string | null | undefined): SearchTerm[] {
  const out: SearchTerm[] = [];
  const seen = new Set<string>();
  const push = (t: SearchTerm) => {
    const k = `${t.kind}:${t.text}`;
    if (!seen.has(k)) {
      seen.add(k);
      out.push(t);
    }
  };
  const s = q ?? '';
  // Quoted phrases first (an unmatched quote is a plain character), then the rest split on whitespace.
  const rest = s.replace(/"([^"]*)"/g, (_m, phrase: string) => {
    const p = lowerText(phrase.trim());
    if (p) push({ kind: 'text', text: p });
    return ' ';
  });
  for (const piece of rest.split(/\s+/)) {
    const p = lowerText(piece);
    if (!p) continue;
    push({ kind: ONLY_WORD.test(p) ? 'word' : 'text', text: p });
  }
  return out;
}

/** True when `c` is a letter, mark or digit (a word character). */
export const isWordChar = (c: string | undefined): boolean => c !== undefined && WORD_START.test(c);

/**
 * Where the terms match in a text, as sorted, non-overlapping [start, end) ranges: a word term at the start of a word,
 * a text term anywhere (case-insensitive). For highlighting; [] when lower-casing changes the text's length.
 */
export function matchRanges(text: string, terms: readonly SearchTerm[]): [number, number][] {
  const low = lowerText(text);
  if (low.length !== text.length) return [];
  const found: [number, number][] = [];
  for (const t of terms) {
    for (let i = low.indexOf(t.text); i >= 0; i = low.indexOf(t.text, i + 1)) {
      if (t.kind === 'word' && isWordChar(charBefore(low, i))) continue;
      found.push([i, i + t.text.length]);
    }
  }
  found.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  const out: [number, number][] = [];
  for (const r of found) {
    const last = out[out.length - 1];
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else out.push([...r]);
  }
  return out;
}

/** The character (code point) ending just before index `i`, surrogate pairs included. */
function charBefore(s: string, i: number): string | undefined {
  if (i <= 0) return undefined;
  const lo = s.charCodeAt(i - 1);
  const start = lo >= 0xdc00 && lo <= 0xdfff && i >= 2 ? i - 2 : i - 1;
  return String.fromCodePoint(s.codePointAt(start) ?? 0);
}
