// Noise rule 3: members of one identity key, in time order, split at level shifts into buckets.
import { createHash } from 'node:crypto';
import { median } from '../../../src/lib/stats/significance.ts';
import { byTime, type Bucket, type Member } from './members.ts';

/** Relative jump from the running segment median that starts a new segment (rule 3). */
export const SHIFT_REL = 0.1;

/** Split members (already in time order) at level shifts (rule 3). */
export function splitAtShifts<T extends { score: number }>(members: readonly T[], shiftRel: number = SHIFT_REL): T[][] {
  const out: T[][] = [];
  let cur: T[] = [];
  for (const m of members) {
    if (cur.length > 0) {
      const ref = median(cur.map((x) => x.score))!;
      if (Math.abs(m.score - ref) > shiftRel * Math.abs(ref)) {
        out.push(cur);
        cur = [];
      }
    }
    cur.push(m);
  }
  if (cur.length) out.push(cur);
  return out;
}

const bucketIdOf = (key: string, segment: number): string =>
  `nb_${createHash('sha256').update(`${key}#${segment}`).digest('hex').slice(0, 10)}`;

/** Rule 3: group members by identity key (in key order) and split each key's members at level shifts; sets bucketId. */
export function bucketsOf(list: readonly Member[]): Bucket[] {
  const buckets: Bucket[] = [];
  const byKey = new Map<string, Member[]>();
  for (const m of list) byKey.set(m.key, [...(byKey.get(m.key) ?? []), m]);
  for (const [key, ms] of [...byKey].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const parts = splitAtShifts([...ms].sort(byTime));
    parts.forEach((part, i) => {
      const b: Bucket = {
        id: bucketIdOf(key, i + 1),
        key,
        kind: part[0]!.kind,
        segment: i + 1,
        segments: parts.length,
        baseLabel: part[0]!.label,
        members: part,
      };
      for (const m of part) m.bucketId = b.id;
      buckets.push(b);
    });
  }
  return buckets;
}
