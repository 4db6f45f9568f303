// Memos keyed by text (scripts/derive/index.ts Derivation.memo): the search index keeps each message's words and relays
// each text's tests, both in a Map from a hash of the text to what was found in it.
import { createHash } from 'node:crypto';
import type { DerivationMemo } from './index.ts';

/** The memo key of a text given in pieces (hashed in order, as one text). */
export function textKey(...pieces: readonly string[]): string {
  const h = createHash('sha1');
  for (const p of pieces) h.update(p);
  return h.digest('base64');
}

/** Last build's map of a memo keyed by text, or an empty one (no memo, or a value of another shape). */
export function lastTextMap<V>(memo: DerivationMemo | undefined): Map<string, V> {
  return memo?.value instanceof Map ? (memo.value as Map<string, V>) : new Map<string, V>();
}
