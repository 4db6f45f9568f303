// Method-string tokenizer: the recipe fingerprint the lineage derivation compares (pure, no I/O).
//
// Rules, in order (why: method strings are `-`-joined recipe tokens, e.g. `osoi5-feopt2-w20-e1-lmhead12k-v1`,
// and two results share an idea when they share a token, not when they share a version number or a name):
//  1. Lower-case (Unicode NFKC first) and turn `k=7` into `k7`.
//  2. Split on `-`, `_`, `+`, `/`, `,` and whitespace. Dots stay inside tokens (`0.22`).
//  3. Handles: drop every contiguous run of parts that spells the author's handle (`gemma-slayer` in
//     `w160-ctk44-noprecache-gemma-slayer-v2` by gemma-slayer), and a single part equal to the handle without its
//     hyphens (`sparkgemma2` by sparkgemma-2, `rockai` by rock-ai). Other agents' handles are dropped only when they
//     have two or more parts (`gemma-slayer` inside another agent's method), because one-word handles collide with
//     real tokens. A lone part of a handle is never dropped: `gemma` is a real token for most agents, and `hayai`
//     (first part of hayai-agent) names the hayai stack that others reproduce. Embedded handles are reported by
//     {@link handlesInMethod} so the derivation can turn them into credit edges.
//  4. Glue a short letters-only part (≤ 4 letters) to a following digits-only part: `ctk-48` → `ctk48`, `k-7` → `k7`.
//  5. Normalise spellings: `epochN` is written `eN` (both spellings of the drafter epoch occur in real methods).
//     Numbers are otherwise kept as written: `pck04` and `smp02` name patches (PCK-04, SMP-02), so stripping
//     leading zeros would merge names, and `w192` vs `w160` are different settings of one knob ({@link tokenFamily}
//     groups them).
//  6. Drop version-ish tokens: `v1`, `v2.1`, `v3b`, repeat counters (`run2`, `draw2`, `try3`, `rerun1`, `iter4`),
//     and bare numbers (left over from handles like `fast-and-furious-3`).
//  7. Deduplicate, keeping the order of first appearance.

const SPLIT_RE = /[-_+/,\s]+/;
const VERSION_RE = /^(?:v\d+(?:\.\d+)*[a-z]?|(?:run|rerun|draw|try|attempt|take|iter|round)\d+|\d+)$/;
const SHORT_LETTERS_RE = /^[a-z]{1,4}$/;
const DIGITS_RE = /^\d+$/;

/**
 * Tokens that label the activity rather than the recipe (a reproduction, a variance draw, a clean rerun). They stay in
 * the fingerprint, since "who reproduced what" is worth seeing, but they are not evidence of a shared technique:
 * the lineage derivation does not count them towards the minimum size of a token-inheritance parent.
 */
export const ACTIVITY_TOKENS: ReadonlySet<string> = new Set([
  'repro',
  'reproduction',
  'rerun',
  'reroll',
  'frontier',
  'sota',
  'clean',
  'final',
  'best',
  'test',
  'trial',
  'probe',
  'variance',
  'independent',
]);

/** Tokens that name a recipe choice (not an activity label). */
export function recipeTokens(tokens: readonly string[]): string[] {
  return tokens.filter((t) => !ACTIVITY_TOKENS.has(t));
}

/** True for tokens that carry a version or repeat counter rather than a recipe choice. */
export function isVersionToken(token: string): boolean {
  return VERSION_RE.test(token);
}

function rawParts(method: string): string[] {
  return method
    .normalize('NFKC')
    .toLowerCase()
    .replace(/([a-z])=(\d)/g, '$1$2')
    .split(SPLIT_RE)
    .filter((p) => p !== '');
}

interface Span {
  start: number;
  end: number;
  handle: string;
}

/** Multi-part handles by first part, and every multi-part handle by its glued form: built once per handle set. */
interface HandleIndex {
  byFirst: Map<string, { parts: string[]; handle: string }[]>;
  byGlued: Map<string, string>;
}

const indexCache = new WeakMap<object, HandleIndex>();

function handleIndex(handles: Iterable<string>): HandleIndex {
  const cached = typeof handles === 'object' ? indexCache.get(handles) : undefined;
  if (cached) return cached;
  const idx: HandleIndex = { byFirst: new Map(), byGlued: new Map() };
  for (const raw of handles) {
    const h = raw.toLowerCase();
    const parts = h.split('-').filter((x) => x !== '');
    // One-word handles of other agents collide with real tokens (rule 3): only the author's own is dropped.
    if (parts.length < 2) continue;
    const list = idx.byFirst.get(parts[0]!) ?? [];
    list.push({ parts, handle: h });
    idx.byFirst.set(parts[0]!, list);
    idx.byGlued.set(parts.join(''), h);
  }
  if (typeof handles === 'object') indexCache.set(handles, idx);
  return idx;
}

/** Spans of `parts` that spell a handle: its hyphen-separated parts in a row, or one part equal to it without hyphens. */
function handleSpans(parts: readonly string[], idx: HandleIndex, author: string | null): Span[] {
  const spans: Span[] = [];
  const authorParts = author ? author.split('-').filter((x) => x !== '') : [];
  const authorGlued = authorParts.join('');
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!;
    if (author && p === authorGlued) spans.push({ start: i, end: i + 1, handle: author });
    else if (authorParts.length > 1 && authorParts.every((x, j) => parts[i + j] === x)) {
      spans.push({ start: i, end: i + authorParts.length, handle: author! });
    }
    const glued = idx.byGlued.get(p);
    if (glued) spans.push({ start: i, end: i + 1, handle: glued });
    for (const c of idx.byFirst.get(p) ?? []) {
      if (c.parts.every((x, j) => parts[i + j] === x)) spans.push({ start: i, end: i + c.parts.length, handle: c.handle });
    }
  }
  return spans;
}

function normalise(token: string): string {
  return token.replace(/^epoch(\d+)$/, 'e$1');
}

export interface TokenizeOptions {
  /** The result's author: their handle is dropped from the fingerprint. */
  author?: string | null;
  /** Other known handles: multi-part ones embedded in the method are dropped too. Pass the same Set each time: its index is cached. */
  handles?: Iterable<string>;
}

/** The fingerprint of a method string (rules at the top of this module). Empty for a missing method. */
export function tokenizeMethod(method: string | null | undefined, opts: TokenizeOptions = {}): string[] {
  if (!method) return [];
  const parts = rawParts(method);
  const author = opts.author ? opts.author.toLowerCase() : null;
  const drop = new Set<number>();
  for (const s of handleSpans(parts, handleIndex(opts.handles ?? []), author)) for (let i = s.start; i < s.end; i++) drop.add(i);
  const kept = parts.filter((_, i) => !drop.has(i));
  const glued: string[] = [];
  for (let i = 0; i < kept.length; i++) {
    const p = kept[i]!;
    const next = kept[i + 1];
    if (next !== undefined && SHORT_LETTERS_RE.test(p) && DIGITS_RE.test(next)) {
      glued.push(p + next);
      i++;
    } else glued.push(p);
  }
  const out: string[] = [];
  for (const g of glued) {
    const t = normalise(g);
    if (t !== '' && !isVersionToken(t) && !out.includes(t)) out.push(t);
  }
  return out;
}

/** Handles (other than the author's) spelled inside a method string, in order of appearance. */
export function handlesInMethod(method: string | null | undefined, handles: Iterable<string>, author?: string | null): string[] {
  if (!method) return [];
  const a = author ? author.toLowerCase() : null;
  const spans = handleSpans(rawParts(method), handleIndex(handles), null).sort((x, y) => x.start - y.start || y.end - x.end);
  const out: string[] = [];
  for (const s of spans) if (s.handle !== a && !out.includes(s.handle)) out.push(s.handle);
  return out;
}

/** A token's knob family: digit runs replaced by `#` (`ctk48` → `ctk#`, `lmhead12k` → `lmhead#k`, `w4a16` → `w#a#`). */
export function tokenFamily(token: string): string {
  return token.replace(/\d+(?:\.\d+)?/g, '#');
}
