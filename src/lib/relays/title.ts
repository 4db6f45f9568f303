// Relay titles: the first sentence of a text, cut on a word boundary with an ellipsis, never inside an @handle.

/** Longest title kept (characters, the ellipsis included). */
export const TITLE_MAX = 120;

/** The first sentence: up to a `.`, `!` or `?` followed by a space and a capital, an @handle or a digit (`v1. Relay:`). */
export function firstSentence(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const m = /[.!?](?=\s+[A-Z@0-9])/.exec(flat);
  return m ? flat.slice(0, m.index + 1) : flat;
}

/**
 * `text` when it fits in `max` characters; else its longest prefix that ends before a space (for one long token,
 * after a `-`, `/` or `_` that comes before any `@` in it: never inside an @handle), trailing punctuation dropped,
 * then `…`. Handles hold no spaces, so a cut at a space never splits one.
 */
export function clipWords(text: string, max = TITLE_MAX): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const limit = max - 1; // one character for the ellipsis
  let cut = flat.lastIndexOf(' ', limit);
  if (cut <= 0) {
    const at = flat.indexOf('@');
    const room = flat.slice(0, at >= 0 ? Math.min(at, limit) : limit);
    cut = Math.max(room.lastIndexOf('-'), room.lastIndexOf('/'), room.lastIndexOf('_')) + 1;
  }
  const head = flat.slice(0, Math.max(0, cut)).replace(/[\s,;:(\-/_–—.]+$/, '');
  return `${head}…`;
}
