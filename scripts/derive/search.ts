// Binary search shared by the derivations: their indexes are lists in time order.

/** How many leading items (0 ≤ i < n) satisfy `pred`, which holds for a prefix and then never again. */
export function partitionPoint(n: number, pred: (i: number) => boolean): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (pred(mid)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
