// Lineage rule 4 (token): inheritance by fingerprint, the closest earlier result whose token set the child's contains.
import { pushTo } from '../collections.ts';
import { partitionPoint } from '../search.ts';
import { clip, CONFIDENCE, type EdgeCandidate } from './candidates.ts';
import { countBefore, quotedLength, type Graph, type Node, type Quoted } from './graph.ts';
import { textOf } from './text.ts';
import { agentKey, TokenSets } from './token-sets.ts';

/** One child's search: what it quotes, which results other rules link to it, and its short list per set. */
interface ChildSearch {
  c: Node;
  quoted: Quoted;
  linkedTo: ReadonlySet<string>;
  /** Set key → indices (in the set's list) of linked and quoted candidates that can win. */
  special: Map<string, Set<number>>;
}

/** Rule 4: per child (stamped, ≥ 2 tokens), the closest earlier result whose token set the child's strictly contains. */
export function tokenCandidates(g: Graph, linked: ReadonlySet<string>): EdgeCandidate[] {
  const ix = new TokenSets(g);
  const linkedParents = new Map<string, string[]>();
  for (const pc of linked) {
    const [parent = '', child = ''] = pc.split('\u0000');
    pushTo(linkedParents, child, parent);
  }
  const out: EdgeCandidate[] = [];
  for (const c of g.nodes) {
    if (c.t === null || c.set.size < 2) continue;
    const search = childSearch(g, ix, c, new Set(linkedParents.get(c.r.filename) ?? []));
    const best = closestParent(g, ix, search);
    if (best) out.push(tokenEdge(best, c));
  }
  return out;
}

/**
 * The winner by tieKey is always on a short list, so candidates are not scanned one by one (that was quadratic in
 * the size of popular token sets): every linked candidate, and of the quoted ones (a popular method name can be
 * quoted by thousands) per set only the two that can win among them: the child's agent's latest and the
 * best-scoring (latest among equals). closestParent adds per set the latest result of the child's agent and the
 * best-scoring result.
 */
function childSearch(g: Graph, ix: TokenSets, c: Node, linkedTo: ReadonlySet<string>): ChildSearch {
  const special = new Map<string, Set<number>>();
  const addSpecial = (key: string, index: number): void => {
    (special.get(key) ?? special.set(key, new Set()).get(key)!).add(index);
  };
  for (const f of linkedTo) {
    const n = g.byFile.get(f);
    const at = n ? ix.setOf.get(n) : undefined;
    if (n && at && n.t! < c.t!) addSpecial(at.key, at.index);
  }
  const quoted = g.quoted(textOf(c.r));
  for (const [key, q] of quotedWinners(g, ix, c, quoted)) {
    if (q.own >= 0) addSpecial(key, q.own);
    addSpecial(key, q.good);
  }
  return { c, quoted, linkedTo, special };
}

/** Per set, of the earlier results carrying a name the child quotes: its agent's latest, and the best-scoring. */
function quotedWinners(g: Graph, ix: TokenSets, c: Node, quoted: Quoted): Map<string, { own: number; good: number }> {
  const quotedBest = new Map<string, { own: number; good: number }>();
  for (const name of quoted) {
    for (const [key, grp] of ix.quotedGroups(name)) {
      const list = ix.sets.get(key)!;
      const lo = partitionPoint(grp.idx.length, (i) => list[grp.idx[i]!]!.t! < c.t!);
      if (lo === 0) continue;
      const q = quotedBest.get(key) ?? quotedBest.set(key, { own: -1, good: -1 }).get(key)!;
      const own = grp.byAgent.get(agentKey(c.r.agent));
      const ownLo = own ? partitionPoint(own.length, (i) => list[own[i]!]!.t! < c.t!) : 0;
      if (ownLo > 0 && own![ownLo - 1]! > q.own) q.own = own![ownLo - 1]!;
      const cand = grp.best[lo - 1]!;
      if (q.good < 0) q.good = cand;
      else {
        const gq = g.goodness(list[q.good]!);
        const gn = g.goodness(list[cand]!);
        if (gn > gq || (gn === gq && cand > q.good)) q.good = cand;
      }
    }
  }
  return quotedBest;
}

/** The best of the first (largest) level of subsets that has an earlier result, or null. */
function closestParent(g: Graph, ix: TokenSets, s: ChildSearch): Node | null {
  const levels = ix.levelsOf(s.c.tokens);
  for (let li = 0; ; li++) {
    const level = levels.level(li);
    if (level === null) return null;
    const best = bestInLevel(g, ix, s, level);
    if (best) return best;
  }
}

/**
 * Among equally close sets: a result another rule already links to the child, then one whose method or submission
 * name the child's text quotes ("on top of vllm-int4-lmhead-v1"), then the child's own agent's latest
 * (agents iterate on their own work), then the better score, then the most recent.
 */
const tieKey = (g: Graph, n: Node, s: ChildSearch): number[] => [
  s.linkedTo.has(n.r.filename) ? 1 : 0,
  quotedLength(s.quoted, n) > 0 ? 1 : 0,
  n.r.agent === s.c.r.agent ? 1 : 0,
  n.r.agent === s.c.r.agent ? n.t! : g.goodness(n),
  n.t!,
];

const beats = (a: number[], b: number[]): boolean => {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! > b[i]!;
  return false;
};

/** The short list of one level, compared in the order a full scan would meet it (sets in level order, newest first). */
function bestInLevel(g: Graph, ix: TokenSets, s: ChildSearch, level: readonly string[]): Node | null {
  const { c } = s;
  let best: Node | null = null;
  let bestKey: number[] = [];
  for (const sk of level) {
    const list = ix.sets.get(sk)!;
    // Results of this set strictly before the child (lists are in time order).
    const lo = countBefore(list, c.t!);
    if (lo === 0) continue;
    const short = new Set<number>([...(s.special.get(sk) ?? [])].filter((i) => i < lo));
    short.add(ix.bestIndexUpTo(sk, list)[lo - 1]!);
    const own = ix.agentList(sk, list, c.r.agent);
    const ownBefore = countBefore(own, c.t!);
    if (ownBefore > 0) short.add(ix.setOf.get(own[ownBefore - 1]!)!.index);
    for (const i of [...short].sort((a, b) => b - a)) {
      const cand = list[i]!;
      const k = tieKey(g, cand, s);
      if (!best || beats(k, bestKey)) {
        best = cand;
        bestKey = k;
      }
    }
  }
  return best;
}

/** The token edge: confidence 0.2 + 0.3·|parent set| / |child set|, evidence the two sets and what the child adds. */
function tokenEdge(best: Node, c: Node): EdgeCandidate {
  const conf = CONFIDENCE.tokenBase + (CONFIDENCE.tokenSpan * best.set.size) / c.set.size;
  const extra = c.tokens.filter((x) => !best.set.has(x));
  return {
    parent: best.r.filename,
    child: c.r.filename,
    rule: 'token',
    confidence: Math.round(conf * 1000) / 1000,
    evidence_file: c.r.source_file ?? c.r.filename,
    evidence: clip(`tokens {${best.tokens.join(', ')}} of ${best.r.method ?? ''} ⊂ {${c.tokens.join(', ')}} of ${c.r.method ?? ''}; adds ${extra.join(', ')}`),
  };
}
