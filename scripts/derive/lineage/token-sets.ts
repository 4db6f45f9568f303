// Lineage rule 4's index: distinct token sets and their results, and the look-ups that keep the closest-parent search short.
import { recipeTokens } from '../../../src/lib/lineage/tokens.ts';
import { pushTo } from '../collections.ts';
import type { Graph, Node } from './graph.ts';
import { SubsetLevels } from './subset-levels.ts';

/** Recipe tokens a token-inheritance parent needs (activity labels alone are no evidence). */
const TOKEN_MIN_PARENT = 1;

/** Results that carry one quotable name, in one token set: indices in the set's list, best up to each, per agent. */
export interface QuotedGroup {
  idx: number[];
  best: number[];
  byAgent: Map<string, number[]>;
}

/** For each position of a list in time order, the position of the best item up to it (the later one among equals). */
function prefixBest(length: number, goodness: (i: number) => number): number[] {
  const out: number[] = [];
  for (let i = 0; i < length; i++) {
    const b = out[i - 1];
    out.push(b === undefined || goodness(i) >= goodness(b) ? i : b);
  }
  return out;
}

export const agentKey = (a: string | null): string => a ?? '\u0000';

/** Distinct token sets of stamped results with a recipe token, each with its results in time order (memoised views). */
export class TokenSets {
  /** Set key (sorted tokens joined by U+0001) → its results in time order. */
  readonly sets = new Map<string, Node[]>();
  /** Result → its set and its index in the set's list. */
  readonly setOf = new Map<Node, { key: string; index: number }>();
  private readonly posting = new Map<string, string[]>();
  private readonly memo = new Map<string, SubsetLevels>();
  private readonly bestUpTo = new Map<string, number[]>();
  private readonly byAgentIn = new Map<string, Map<string, Node[]>>();
  private readonly groupsByName = new Map<string, Map<string, QuotedGroup>>();

  constructor(private readonly g: Graph) {
    const keyOf = (toks: readonly string[]): string => [...toks].sort().join('\u0001');
    for (const n of g.nodes) {
      if (n.t === null || recipeTokens(n.tokens).length < TOKEN_MIN_PARENT) continue;
      pushTo(this.sets, keyOf([...n.set]), n);
    }
    for (const k of this.sets.keys()) for (const tok of k.split('\u0001')) pushTo(this.posting, tok, k);
    for (const [k, list] of this.sets) for (const [i, n] of list.entries()) this.setOf.set(n, { key: k, index: i });
  }

  /**
   * Present proper subsets of a child's set, one level (size) at a time from the largest, computed lazily and
   * memoised per distinct set: a child usually finds its parent one token down, after |set| look-ups.
   */
  levelsOf(toks: readonly string[]): SubsetLevels {
    const sorted = [...toks].sort();
    const k = sorted.join('\u0001');
    let lv = this.memo.get(k);
    if (!lv) {
      lv = new SubsetLevels(sorted, this.sets, this.posting);
      this.memo.set(k, lv);
    }
    return lv;
  }

  /** Per position of a set's list, the index of the best-scoring result up to it (latest among equals). */
  bestIndexUpTo(k: string, list: readonly Node[]): number[] {
    let b = this.bestUpTo.get(k);
    if (!b) {
      b = prefixBest(list.length, (i) => this.g.goodness(list[i]!));
      this.bestUpTo.set(k, b);
    }
    return b;
  }

  /** The results of one agent in a set's list, in time order. */
  agentList(k: string, list: readonly Node[], agent: string | null): Node[] {
    let m = this.byAgentIn.get(k);
    if (!m) {
      m = new Map();
      for (const n of list) pushTo(m, n.r.agent ?? '', n);
      this.byAgentIn.set(k, m);
    }
    return m.get(agent ?? '') ?? [];
  }

  /**
   * Results that carry a quotable name, per set: their indices in the set's list (time order), the best (latest
   * among equals) up to each, and per agent. A child quoting a popular name then finds, per set, the two quoted
   * results that can win by binary search instead of visiting every result with that name.
   */
  quotedGroups(name: string): Map<string, QuotedGroup> {
    let groups = this.groupsByName.get(name);
    if (groups) return groups;
    groups = new Map();
    for (const n of this.g.nameIndex.get(name) ?? []) {
      const at = this.setOf.get(n);
      if (!at) continue;
      const grp = groups.get(at.key) ?? groups.set(at.key, { idx: [], best: [], byAgent: new Map() }).get(at.key)!;
      if (grp.idx.at(-1) === at.index) continue; // a result whose method and submission name are the same
      grp.idx.push(at.index);
      pushTo(grp.byAgent, agentKey(n.r.agent), at.index);
    }
    for (const [key, grp] of groups) {
      const list = this.sets.get(key)!;
      grp.best = prefixBest(grp.idx.length, (i) => this.g.goodness(list[grp.idx[i]!]!)).map((i) => grp.idx[i]!);
    }
    this.groupsByName.set(name, groups);
    return groups;
  }
}
