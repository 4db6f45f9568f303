// Lineage rule 4's cost bound: the present proper subsets of a token set, one size at a time, computed on demand.

/** Subset look-ups allowed before a child's levels are computed from the token postings instead. */
const SUBSET_BUDGET = 4096;

/** Present proper subsets of one token set, grouped by size, largest first; each level is computed on demand. */
export class SubsetLevels {
  private readonly levels: string[][] = [];
  private removed = 0;
  private spent = 0;
  private done = false;

  constructor(
    private readonly sorted: readonly string[],
    private readonly sets: ReadonlyMap<string, unknown>,
    private readonly posting: ReadonlyMap<string, readonly string[]>,
  ) {}

  /** The i-th non-empty level (set keys of one size), or null past the smallest. */
  level(i: number): string[] | null {
    while (this.levels.length <= i && !this.done) this.next();
    return this.levels[i] ?? null;
  }

  private next(): void {
    const n = this.sorted.length;
    const d = this.removed + 1;
    if (d >= n) {
      this.done = true;
      return;
    }
    const combos = binomial(n, d);
    if (this.spent + combos > SUBSET_BUDGET) {
      this.fromPostings(n - d);
      return;
    }
    this.spent += combos;
    this.removed = d;
    const found: string[] = [];
    // Every way of removing d tokens: indices in increasing order.
    const idx = Array.from({ length: d }, (_, j) => j);
    for (;;) {
      const drop = new Set(idx);
      const key = this.sorted.filter((_, j) => !drop.has(j)).join('\u0001');
      if (this.sets.has(key)) found.push(key);
      let j = d - 1;
      while (j >= 0 && idx[j] === n - d + j) j--;
      if (j < 0) break;
      idx[j]!++;
      for (let m = j + 1; m < d; m++) idx[m] = idx[m - 1]! + 1;
    }
    if (found.length) this.levels.push(found);
  }

  /** All remaining levels (sizes ≤ maxSize) at once, by counting each set's tokens over the child's postings. */
  private fromPostings(maxSize: number): void {
    const mine = new Set(this.sorted);
    const bySize = new Map<number, string[]>();
    const seen = new Set<string>();
    for (const tok of this.sorted) {
      for (const sk of this.posting.get(tok) ?? []) {
        if (seen.has(sk)) continue;
        seen.add(sk);
        const parts = sk.split('\u0001');
        if (parts.length <= maxSize && parts.every((x) => mine.has(x))) {
          const list = bySize.get(parts.length);
          if (list) list.push(sk);
          else bySize.set(parts.length, [sk]);
        }
      }
    }
    for (const [, ks] of [...bySize.entries()].sort((a, b) => b[0] - a[0])) this.levels.push(ks);
    this.done = true;
  }
}

function binomial(n: number, k: number): number {
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return Math.round(r);
}
