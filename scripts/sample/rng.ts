// Seeded random streams for the sample generator: d3's randomLcg behind a small helper API.
import { randomLcg, randomNormal } from 'd3';

/** FNV-1a (32-bit): turns "seed/label" into a stream seed, so each part draws from its own stream. */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** Element i of a list, or a thrown error: the generator never indexes past the end on purpose. */
export function at<T>(list: readonly T[], i: number): T {
  const v = list[i];
  if (v === undefined) throw new Error(`index ${i} out of range (length ${list.length})`);
  return v;
}

export class Rng {
  /** Uniform in [0, 1). */
  readonly next: () => number;
  private readonly gauss: () => number;
  private readonly seed: number;
  private readonly label: string;

  constructor(seed: number, label = 'root') {
    this.seed = seed;
    this.label = label;
    this.next = randomLcg(hash32(`${seed}/${label}`) / 2 ** 32);
    this.gauss = randomNormal.source(this.next)(0, 1);
  }

  /** An independent stream: adding draws to one part never shifts another part's output. */
  fork(label: string): Rng {
    return new Rng(this.seed, `${this.label}/${label}`);
  }

  float(lo = 0, hi = 1): number {
    return lo + (hi - lo) * this.next();
  }

  /** Integer in [lo, hi] inclusive. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  normal(mu: number, sigma: number): number {
    return mu + sigma * this.gauss();
  }

  pick<T>(list: readonly T[]): T {
    return at(list, Math.floor(this.next() * list.length));
  }

  /** Pick with non-negative weights; falls back to uniform when all weights are zero. */
  weighted<T>(list: readonly T[], weight: (item: T) => number): T {
    let total = 0;
    for (const item of list) total += Math.max(0, weight(item));
    if (total <= 0) return this.pick(list);
    let u = this.next() * total;
    for (const item of list) {
      u -= Math.max(0, weight(item));
      if (u < 0) return item;
    }
    return at(list, list.length - 1);
  }

  shuffle<T>(list: readonly T[]): T[] {
    const out = list.slice();
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      const tmp = at(out, i);
      out[i] = at(out, j);
      out[j] = tmp;
    }
    return out;
  }

  /** k distinct items in random order (all of them when k >= length). */
  sample<T>(list: readonly T[], k: number): T[] {
    return this.shuffle(list).slice(0, Math.max(0, k));
  }

  hex(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += Math.floor(this.next() * 16).toString(16);
    return s;
  }
}
