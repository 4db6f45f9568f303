// Record keys and how a written token finds its record. Board messages and results are keyed by their bare file
// name (one namespace, as before); channel messages and broadcasts by their export path, because the same file
// name can sit in two channels.
//
// Rules:
// 1. A token that is a key (a bare board or result name, or a channels/… or broadcasts/… path) names that record.
// 2. A bare name that is no board or result key names the channel message or broadcast with that file name when
//    exactly one has it; when several have it, the token is ambiguous: it stays unresolved and the candidates are
//    recorded (ref_ambiguities), never guessed.
import type { MessageRow, ResultRow } from '../../src/lib/schema/core.ts';
import type { RefAmbiguityRow } from '../../src/lib/schema/rooms.ts';
import { baseName } from './names.ts';

export type Resolution = { key: string } | { candidates: string[] } | null;

export const isRoomKey = (key: string): boolean => key.startsWith('channels/') || key.startsWith('broadcasts/');

export class RecordKeys {
  /** Keys of channel messages and broadcasts by their bare file name. */
  private readonly byBare = new Map<string, string[]>();

  constructor(private readonly has: (key: string) => boolean, roomKeys: Iterable<string>) {
    for (const k of roomKeys) {
      const b = baseName(k);
      (this.byBare.get(b) ?? this.byBare.set(b, []).get(b)!).push(k);
    }
    for (const list of this.byBare.values()) list.sort();
  }

  get hasRooms(): boolean {
    return this.byBare.size > 0;
  }

  resolve(token: string): Resolution {
    if (this.has(token)) return { key: token };
    if (token.includes('/')) return null;
    const c = this.byBare.get(token);
    if (!c) return null;
    return c.length === 1 ? { key: c[0]! } : { candidates: c };
  }

  /** How many records have this bare name (board and result keys count once). */
  sameName(bare: string): number {
    return (this.byBare.get(bare)?.length ?? 0) + (this.has(bare) ? 1 : 0);
  }
}

/**
 * Refs of messages and results rewritten to the keys they resolve to (rule 2); ambiguous ones stay as written and are
 * listed. Rows are changed in place only when some ref resolves to a different key, so an export without channels or
 * broadcasts gives exactly the rows it gave before.
 */
export function resolveRefs(keys: RecordKeys, messages: MessageRow[], results: ResultRow[]): RefAmbiguityRow[] {
  const ambiguous: RefAmbiguityRow[] = [];
  if (!keys.hasRooms) return ambiguous;
  const fix = (from: string, refs: string[] | null): string[] | null => {
    if (!refs?.length) return refs;
    const out: string[] = [];
    for (const t of refs) {
      const r = keys.resolve(t);
      if (r && 'candidates' in r) ambiguous.push({ from_file: from, target: t, kind: 'ref', candidates: r.candidates });
      const k = r && 'key' in r ? r.key : t;
      if (!out.includes(k)) out.push(k);
    }
    return out;
  };
  for (const m of messages) m.refs = fix(m.filename, m.refs);
  for (const r of results) r.refs = fix(r.filename, r.refs);
  return ambiguous;
}
