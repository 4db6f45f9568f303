// Lineage graph: results as nodes in time order, their names and first token uses, and which result of an agent a rule means.
import type { ResultRow } from '../../../src/lib/schema/core.ts';
import { tokenizeMethod } from '../../../src/lib/lineage/tokens.ts';
import { partitionPoint } from '../search.ts';

export interface Node {
  r: ResultRow;
  /** Epoch ms of the stamp, null when the filename has none. */
  t: number | null;
  tokens: string[];
  set: Set<string>;
  /** Lower-case names text can quote it by: method, submission prefix, submission name (≥ 6 characters). */
  names: string[];
}

export const byTimeThenName = (a: Node, b: Node): number =>
  a.t === b.t ? (a.r.filename < b.r.filename ? -1 : a.r.filename > b.r.filename ? 1 : 0) : a.t === null ? 1 : b.t === null ? -1 : a.t - b.t;

export const epoch = (iso: string | null): number | null => {
  if (!iso) return null;
  const v = Date.parse(iso);
  return Number.isFinite(v) ? v : null;
};

/** How a rule names an agent: their stack (built on, reproduced) or something they introduced (credited lever, weights). */
export type PickMode = 'stack' | 'invention';

export const isEligible = (r: ResultRow): boolean =>
  r.score !== null && Number.isFinite(r.score) && r.status !== 'negative' && r.verification !== 'invalid' && r.over_cap !== true;
export const isDeadEnd = (r: ResultRow): boolean => r.status === 'negative' || r.verification === 'invalid' || r.over_cap === true;

/** Shortest method or submission name worth matching verbatim in text (shorter ones collide with prose). */
const MIN_QUOTE = 6;

/** a-z, 0-9, _ and -: the characters of a quotable word. */
const isWordChar = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95 || c === 45;

/** Names quoted by one text (lower case, as in the name index). */
export type Quoted = ReadonlySet<string>;
const NO_QUOTES: Quoted = new Set();

/** Length of the longest of the result's names that the text quotes, 0 when it quotes none. */
export function quotedLength(q: Quoted, n: Node): number {
  let len = 0;
  if (q.size) for (const x of n.names) if (x.length > len && q.has(x)) len = x.length;
  return len;
}

export class Graph {
  readonly nodes: Node[];
  readonly byFile = new Map<string, Node>();
  readonly byAgent = new Map<string, Node[]>();
  private readonly quotedCache = new Map<string, Quoted>();
  /** Quotable name → results with that name. */
  readonly nameIndex = new Map<string, Node[]>();
  /** token → earliest stamped result using it. */
  readonly firstUse = new Map<string, Node>();
  /** 1 for higher-is-better, -1 otherwise: multiply scores to compare "better". */
  readonly sign: number;

  constructor(results: readonly ResultRow[], handles: ReadonlySet<string>, higherIsBetter: boolean) {
    this.sign = higherIsBetter ? 1 : -1;
    this.nodes = results.map((r) => {
      const tokens = tokenizeMethod(r.method, { author: r.agent, handles });
      return { r, t: epoch(r.ts), tokens, set: new Set(tokens), names: namesOf(r) };
    });
    this.nodes.sort(byTimeThenName);
    for (const n of this.nodes) {
      this.byFile.set(n.r.filename, n);
      for (const x of n.names) {
        const list = this.nameIndex.get(x);
        if (list) list.push(n);
        else this.nameIndex.set(x, [n]);
      }
      if (n.t === null) continue;
      for (const tok of n.tokens) if (!this.firstUse.has(tok)) this.firstUse.set(tok, n);
      if (!n.r.agent) continue;
      const list = this.byAgent.get(n.r.agent) ?? [];
      list.push(n);
      this.byAgent.set(n.r.agent, list);
    }
  }

  /** Results of `agent` strictly earlier than `t`, newest last. */
  earlier(agent: string, t: number): Node[] {
    const list = this.byAgent.get(agent) ?? [];
    return list.slice(0, countBefore(list, t));
  }

  /** Eligible score in the "higher is better" sense, -Infinity when not eligible. */
  goodness(n: Node): number {
    return isEligible(n.r) ? this.sign * n.r.score! : Number.NEGATIVE_INFINITY;
  }

  /**
   * The result names (method, submission prefix or name) that `text` quotes as a whole word (not inside a longer
   * method or path segment). Words are runs of [a-z0-9_-], looked up in the name index: linear in the text. A popular
   * name can belong to thousands of results, so the names are kept, not the results (see quotedLength).
   */
  quoted(text: string | null | undefined): Quoted {
    if (!text) return NO_QUOTES;
    const cached = this.quotedCache.get(text);
    if (cached) return cached;
    const out = new Set<string>();
    this.quotedCache.set(text, out);
    const lower = text.toLowerCase();
    const hit = (name: string): void => {
      if (this.nameIndex.has(name)) out.add(name);
    };
    // The words /[a-z0-9_-]+/g matches (each longest run of those characters), in one pass: no match object per word.
    for (let i = 0, n = lower.length; i < n; ) {
      if (!isWordChar(lower.charCodeAt(i))) {
        i++;
        continue;
      }
      let end = i + 1;
      while (end < n && isWordChar(lower.charCodeAt(end))) end++;
      if (end - i >= MIN_QUOTE) hit(lower.slice(i, end));
      i = end;
    }
    // Submission prefixes span a slash: submissions/<agent>/<name>.
    if (lower.includes('submissions/')) for (const m of lower.matchAll(/submissions\/[a-z0-9_-]+\/[a-z0-9_.-]+/g)) hit(m[0].replace(/\.+$/, ''));
    return out;
  }

  /** Which earlier result of `agent` a rule means (WHICH RESULT OF AN AGENT at the top). */
  pickParent(agent: string, child: Node, mode: PickMode, hints: PickHints = {}): Node | null {
    if (child.t === null) return null;
    const list = this.earlier(agent, child.t);
    if (list.length === 0) return null;
    const near = this.quoted(hints.near);
    const anywhere = this.quoted(hints.anywhere);
    const key = (n: Node): number[] => {
      let overlap = 0;
      let invents = 0;
      let w = 0;
      for (const tok of n.set) {
        if (!child.set.has(tok)) continue;
        overlap++;
        if (this.firstUse.get(tok) === n) {
          invents++;
          if (hints.weight) w = Math.max(w, hints.weight(tok));
        }
      }
      // A strict subset (the child adds to it) ranks by size; the same recipe ranks just below the closest strict
      // subset (a re-post or reproduction of it), above anything further away.
      const subset = overlap !== n.set.size || n.set.size === 0 ? -1 : n.set.size < child.set.size ? n.set.size : child.set.size - 1.5;
      const tail = [quotedLength(anywhere, n), overlap, this.goodness(n), n.t!];
      const q = quotedLength(near, n);
      return mode === 'stack' ? [q, subset, ...tail] : [q, w, invents, subset, ...tail];
    };
    let best: Node | null = null;
    let bestKey: number[] = [];
    for (const n of list) {
      const k = key(n);
      let cmp = 0;
      for (let i = 0; i < k.length && cmp === 0; i++) cmp = k[i]! - (bestKey[i] ?? Number.NEGATIVE_INFINITY);
      if (!best || cmp > 0) {
        best = n;
        bestKey = k;
      }
    }
    return best;
  }
}

export interface PickHints {
  /** Text right around the mention (its clause, or the path): a method or submission name quoted here decides. */
  near?: string | null;
  /** The child's whole text: a quoted name here breaks ties between equally close candidates. */
  anywhere?: string | null;
  /** Weight of a token the candidate introduced (the technique named next to the credit, or read from the bucket). */
  weight?: (token: string) => number;
}

/** Method string, submission prefix and submission name of a result: the names by which text can quote it. */
function namesOf(r: ResultRow): string[] {
  const out: string[] = [];
  for (const x of [r.method, r.submission_prefix, r.submission_prefix?.split('/').pop() ?? null]) {
    if (x && x.length >= MIN_QUOTE) out.push(x.toLowerCase());
  }
  return out;
}

/** How many nodes of a time-ordered list come strictly before `t` (binary search). */
export function countBefore(list: readonly Node[], t: number): number {
  return partitionPoint(list.length, (i) => list[i]!.t! < t);
}
