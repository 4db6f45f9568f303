// The rows step for traces: a later copy of the same session replaces the earlier one (both stay as rows; the
// earlier names the later in superseded_by, and only rows without it count in totals).
import type { TraceRow } from '../../src/lib/schema/rooms.ts';

/** The copy that counts for each (agent, session_id): newest promoted_at, then the later path. Pure. */
export function supersedeTraces(rows: readonly TraceRow[]): TraceRow[] {
  const newest = new Map<string, TraceRow>();
  const keyOf = (r: TraceRow): string => `${r.agent ?? ''}\u0000${r.session_id ?? r.path}`;
  const later = (a: TraceRow, b: TraceRow): boolean => {
    const pa = a.promoted_at ?? '';
    const pb = b.promoted_at ?? '';
    return pa > pb || (pa === pb && a.path > b.path);
  };
  for (const r of rows) {
    const cur = newest.get(keyOf(r));
    if (!cur || later(r, cur)) newest.set(keyOf(r), r);
  }
  return rows.map((r) => {
    const keep = newest.get(keyOf(r))!;
    return keep === r ? r : { ...r, superseded_by: keep.path };
  });
}
