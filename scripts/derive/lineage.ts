// Lineage of inventions: results as nodes, evidenced parent → child edges between them, method tokens as techniques.
//
// EDGE RULES (strongest first). Every edge points from an earlier result to a strictly later one, or (rule 3 only)
// from an agent-level node, and carries the file and the snippet (≤ 240 characters) that justify it: no edge without
// evidence, none for a result without a stamp, and a baseline result is never a child (baselines are roots by
// definition).
//
// 1. ref: someone wrote the link down.
//    a. A result's own `refs` frontmatter names an earlier result A → A → result                          (1.0)
//    b. A board message by agent X refs two or more results and names one of X's own (in refs or quoted in its
//       body): X's latest named result is the child, every other result in refs that is earlier is a parent (a
//       results-report surfaced as a follow-up to what it built on)                                         (0.9)
//       A message that refs only other agents' results gives nothing: replies and plans ref what they discuss.
//    c. A result's description or body quotes another result's filename or stamp                           (0.7)
// 2. bucket-path: the child's recipe reads files from another agent's bucket.
//    a. The child's `submission` URI lies in another agent's bucket or submissions/<agent>/ prefix         (0.9)
//    b. One of its `artifacts` paths does (hf://buckets/<org>/<bucket>/…, submissions/<agent>/…,
//       artifacts/<slug>_<agent>/…, results/<agent>/<run>/)                                                  (0.85)
//    c. A run of the child has a manifest env pointing into another agent's bucket (runs.bucket_refs). The run
//       belongs to the child by a job id the result quotes, by an artifacts path naming the run dir, or by the
//       child's submission prefix when the run is the child's own agent's (0.8; a reproduction of someone's
//       submission does not inherit their runs); failing those, by score: the only run of the same agent whose
//       score rounds to the posted one and that was not launched after it (0.7; real case: 506.7445 in
//       runs/vllm-hayai-repro-v1 posted as 506.74). One edge per (child, bucket agent).
//    A bucket names its agent through agents.agent_bucket, else by being the handle or ending in -<handle>
//    (gemma-kenyan-duma → kenyan-duma, longest handle wins). The child's own agent never counts.
// 3. credit: the child's text names another agent. results.credits (known handles or their short forms in description
//    or body, from the ingest; scripts/ingest/credit-phrases.ts reads how each is named), or a multi-part handle
//    spelled inside the child's method string (handlesInMethod, 0.7). Confidence 0.75 when a credit cue (credit,
//    thanks, repro…, port, based on, on top of, from, using, byte-identical, 's) is within 60 characters of the name,
//    0.6 otherwise (a bare mention). An agent the text only compares with ("beats X 504.02", "vs @X 418.80") gives no
//    edge, nor does a name whose every mention is a relay role ("@X built the checkpoint", "@Y ran it first (failed
//    at load)", "diagnosed", "benched"…) unless a stronger cue credits them too: the help was a message or a run, not
//    a result (relay chains are another derivation's job).
//    AGENT-LEVEL PARENT: when the named agent has no earlier result in the export (snapshots keep each agent's best,
//    so the reproduced or ported result is often missing), a credit, reproduction, port or delta links from the
//    agent itself: node agent:<handle> (node_kind agent, "result not in this export"), same rule, confidence and
//    evidence. A bare mention of such an agent links nothing.
// 4. token: inheritance by fingerprint. The child's token set strictly contains an earlier result's set that has at
//    least one recipe token (activity labels alone, e.g. {frontier, repro}, are no evidence: ACTIVITY_TOKENS). Only
//    the closest parent is kept: the largest contained set; among earlier results with a set of that size, first one
//    that another rule already links to the child, then one whose method or submission name the child's text quotes
//    ("on top of vllm-int4-lmhead-v1"), then the child's own agent's latest (agents iterate on their own work), then
//    the better eligible score, then the most recent. Confidence 0.2 + 0.3·|parent set| / |child set| (≤ 0.5).
//    Cost: subsets are looked up one size at a time from the child's size down in an index of distinct token sets
//    (memoised per distinct set; a parent one token down costs |set| look-ups); past 4,096 look-ups the remaining
//    sizes come from a token → sets posting index. Never a comparison of all pairs of results.
//
// WHICH RESULT OF AN AGENT (rules 2 and 3 name an agent, not a result). Among that agent's results strictly earlier
// than the child, compare in order:
//    - a method string or submission name of the candidate quoted as a whole word right at the mention (the clause
//      around the name, or the path itself): "builds on @X's `vllm-int4-lmhead-v1`", submissions/X/<name>;
//    - for a stack mention ("Reproduction of X's … stack", "on top of X's …", a submission or artifacts path, a
//      handle in the method): the closest strict token subset of the child (larger first; the same recipe ranks
//      just below the closest strict subset);
//      for an invention mention (the name sits in a credit list, "credit: X drafter, Y keepset", "Credits: @X @Y",
//      or a run reads X's bucket): first a candidate that introduced (used first of all results) a token the child
//      carries and that the mention names ("X lm_head untie" → lmhead) or, for buckets, that goes with reading X's
//      bucket (most readers carry it and most results carrying it read the bucket); then one introducing any token
//      the child carries; then the subset order above;
//    - a name of the candidate quoted anywhere in the child's text; then the number of shared tokens; then the better
//      eligible score; then the most recent.
//    An agent without an earlier result gives no result edge (rule 3 may link to the agent-level node instead).
//
// ONE EDGE PER (parent, child): candidates from all rules are grouped by pair; the edge keeps the strongest rule
// (order above, then the higher confidence) with its evidence; the other rules that found the same pair are listed
// in extra_rules (their evidence is dropped). confidence = 1 − Π(1 − c) over the best confidence of each rule that
// found the pair (noisy-OR: independent evidence agreeing makes the pair surer than any one rule says).
//
// NODES: is_frontier: eligible (score present, not negative, not invalid, not over the secondary cap) and strictly
// better than every earlier eligible result in the configured direction (ties keep the earlier one). is_pareto:
// eligible and not dominated on (score in the configured direction, secondary lower is better); null for eligible
// results without a secondary value, false for ineligible ones. layer: UTC day index from the first result's day.
// depth: 0 without parents, else 1 + the deepest parent (edges go forward in time, so one pass in time order).
// An agent-level node has no time, score or method; its layer is its earliest child's, its depth 0.
//
// TECHNIQUES: one row per token; the earliest result using it names the inventor (a candidate: the first to post
// it, not proof of invention). dead_end_count counts negative, invalid or over-cap results using the token.
import type { CollabConfig } from '../../src/lib/config.ts';
import type { MessageLinkRow, MessageRow, ResultRow, RunRow } from '../../src/lib/schema/core.ts';
import {
  LINEAGE_TABLES,
  type LineageEdgeRow,
  type LineageNodeRow,
  type TechniqueRow,
} from '../../src/lib/schema/lineage.ts';
import { handlesInMethod, recipeTokens, tokenFamily, tokenizeMethod } from '../../src/lib/lineage/tokens.ts';
import { configWords, CREDITING, creditRelations, handleAliases, type CreditRelation } from '../ingest/credit-phrases.ts';
import type { CoreTables } from '../ingest/ingest.ts';
import type { Derivation } from './index.ts';
import { partitionPoint } from './search.ts';

export type LineageRule = 'ref' | 'bucket-path' | 'credit' | 'token';

/** Strongest first: the order used to pick the rule an edge keeps. */
export const RULE_ORDER: readonly LineageRule[] = ['ref', 'bucket-path', 'credit', 'token'];

export const CONFIDENCE = {
  refResult: 1.0,
  refMessage: 0.9,
  refQuoted: 0.7,
  bucketSubmission: 0.9,
  bucketArtifact: 0.85,
  bucketRunJoin: 0.8,
  bucketRunScore: 0.7,
  creditCue: 0.75,
  creditPlain: 0.6,
  creditMethod: 0.7,
  tokenBase: 0.2,
  tokenSpan: 0.3,
} as const;

export const EVIDENCE_MAX = 240;
/** Recipe tokens a token-inheritance parent needs (activity labels alone are no evidence). */
const TOKEN_MIN_PARENT = 1;
const DAY_MS = 86_400_000;

/** One piece of evidence for a (parent, child) pair, before de-duplication. */
export interface EdgeCandidate {
  parent: string;
  child: string;
  rule: LineageRule;
  confidence: number;
  evidence_file: string | null;
  evidence: string;
}

interface Node {
  r: ResultRow;
  /** Epoch ms of the stamp, null when the filename has none. */
  t: number | null;
  tokens: string[];
  set: Set<string>;
  /** Lower-case names text can quote it by: method, submission prefix, submission name (≥ 6 characters). */
  names: string[];
}

export interface LineageInput {
  results: readonly ResultRow[];
  messages?: readonly MessageRow[];
  message_links?: readonly MessageLinkRow[];
  runs?: readonly RunRow[];
  /** Known handles (agents.agent_id); default: the result and message authors. */
  agents?: readonly string[];
  /** agent_id → agent_bucket, for bucket → agent resolution. */
  agentBuckets?: ReadonlyMap<string, string>;
}

export interface LineageTables {
  lineage_nodes: LineageNodeRow[];
  lineage_edges: LineageEdgeRow[];
  techniques: TechniqueRow[];
}

const byTimeThenName = (a: Node, b: Node): number =>
  a.t === b.t ? (a.r.filename < b.r.filename ? -1 : a.r.filename > b.r.filename ? 1 : 0) : a.t === null ? 1 : b.t === null ? -1 : a.t - b.t;

const epoch = (iso: string | null): number | null => {
  if (!iso) return null;
  const v = Date.parse(iso);
  return Number.isFinite(v) ? v : null;
};

/** Collapse whitespace and cut to at most `max` characters around `needle` (… marks a cut). */
export function snippetAround(text: string, needle: string | null, max = EVIDENCE_MAX): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const at = needle ? flat.toLowerCase().indexOf(needle.toLowerCase()) : -1;
  const centre = at < 0 ? 0 : at + Math.floor(needle!.length / 2);
  const room = max - 2;
  let start = Math.max(0, centre - Math.floor(room / 2));
  const end = Math.min(flat.length, start + room);
  start = Math.max(0, end - room);
  return `${start > 0 ? '…' : ''}${flat.slice(start, end)}${end < flat.length ? '…' : ''}`.slice(0, max);
}

const clip = (s: string): string => (s.length <= EVIDENCE_MAX ? s : `${s.slice(0, EVIDENCE_MAX - 1)}…`);

const CREDIT_CUE_RE =
  /\b(?:credit(?:s|ed)?|thanks?|repro\w*|reproduc\w*|port(?:ed)?|based on|on top of|built on|builds? on|from|using|byte-identical|fork(?:ed)?)\b|['’]s\b/i;

/** True when a credit cue sits within 60 characters of `name` in `text`. */
export function hasCreditCue(text: string, name: string): boolean {
  const lower = text.toLowerCase();
  let at = lower.indexOf(name.toLowerCase());
  while (at >= 0) {
    const window = text.slice(Math.max(0, at - 60), at + name.length + 60);
    if (CREDIT_CUE_RE.test(window)) return true;
    at = lower.indexOf(name.toLowerCase(), at + 1);
  }
  return false;
}

const CREDIT_LIST_RE = /\b(?:credits?|thanks|kudos|props)\b(?:\s+to\b)?\s*[:\-–—]?/i;

/**
 * 'invention' when the name sits in a credit list ("credit: X drafter, Y keepset", "Credits: @X @Y") and is not
 * possessive; 'stack' otherwise ("Reproduction of X's stack", "builds on @X's method", "beats X").
 */
export function creditMode(text: string, name: string): PickMode {
  const lower = text.toLowerCase();
  const n = name.toLowerCase();
  for (let at = lower.indexOf(n); at >= 0; at = lower.indexOf(n, at + 1)) {
    if (/^['’]s\b/.test(lower.slice(at + n.length, at + n.length + 3))) continue;
    const before = lower.slice(Math.max(0, at - 120), at);
    const clause = before.split(/[.;!?\n]/).pop() ?? '';
    if (CREDIT_LIST_RE.test(clause)) return 'invention';
  }
  return 'stack';
}

const CLAUSE_END_RE = /[.;!?](?=\s|$)|\n/g;

/** The clauses of `text` that contain `name`, joined: where a quoted method next to a credit is looked for. */
export function clausesWith(text: string, name: string): string {
  const bounds = [0, ...[...text.matchAll(CLAUSE_END_RE)].map((m) => m.index! + 1), text.length];
  const lower = text.toLowerCase();
  const n = name.toLowerCase();
  const out: string[] = [];
  for (let i = 0; i + 1 < bounds.length; i++) {
    const part = lower.slice(bounds[i], bounds[i + 1]);
    if (part.includes(n)) out.push(text.slice(bounds[i], bounds[i + 1]));
  }
  return out.join(' ');
}

/** Description and body of a result, the text its credits and quotes are read from. */
const textOf = (r: ResultRow): string => `${r.description ?? ''}\n${r.body_md ?? ''}`;

const ROLE_VERB_RE = /^[\s)*_`]*(?:built|ran|diagnosed|benched|flagged|tried|staged|fixed|found|debugged|failed|reported)\b/i;

/**
 * True when every mention of `name` is a relay role ("@X built the checkpoint, @Y ran it first (failed at load)"):
 * the person helped with a message or a run, not with a result, so there is no parent result to point at.
 */
export function onlyRoleMentions(text: string, name: string): boolean {
  const lower = text.toLowerCase();
  const n = name.toLowerCase();
  let any = false;
  for (let at = lower.indexOf(n); at >= 0; at = lower.indexOf(n, at + 1)) {
    any = true;
    if (!ROLE_VERB_RE.test(text.slice(at + n.length, at + n.length + 40))) return false;
  }
  return any;
}

/**
 * What a credit list says the agent contributed: the words after the name up to the next comma or clause end,
 * squeezed to [a-z0-9] ("credit: X lm_head untie, Y k7 sweep" → "lmheaduntie" for X), matched against tokens.
 */
export function creditSegment(text: string, name: string): string {
  const lower = text.toLowerCase();
  const n = name.toLowerCase();
  const parts: string[] = [];
  for (let at = lower.indexOf(n); at >= 0; at = lower.indexOf(n, at + 1)) {
    const rest = lower.slice(at + n.length, at + n.length + 60);
    const seg = rest.split(/[,;\n]|[.!?](?=\s|$)/)[0] ?? '';
    parts.push(seg.replace(/^['’]s\b/, '').replace(/[^a-z0-9]/g, ''));
  }
  return parts.join('|');
}

/** Bucket name (last segment of hf://buckets/<org>/<name>, or a bare name) → its agent, or null. */
export function bucketResolver(
  known: ReadonlySet<string>,
  agentBuckets: ReadonlyMap<string, string> = new Map(),
): (bucket: string) => string | null {
  const owner = new Map<string, string>();
  for (const [agent, b] of agentBuckets) {
    const name = b.replace(/^hf:\/\/buckets\//, '').replace(/\/+$/, '').split('/').pop();
    if (name) owner.set(name, agent);
  }
  return (bucket: string): string | null => {
    const name = bucket.replace(/^hf:\/\/buckets\//, '').replace(/\/+$/, '').split('/').pop() ?? '';
    if (!name) return null;
    const o = owner.get(name);
    if (o) return o;
    if (known.has(name)) return name;
    for (let i = name.indexOf('-'); i >= 0; i = name.indexOf('-', i + 1)) {
      const tail = name.slice(i + 1);
      if (known.has(tail)) return tail;
    }
    return null;
  };
}

const BUCKET_PATH_RE = /hf:\/\/buckets\/[A-Za-z0-9._-]+\/([A-Za-z0-9._-]+)/g;
const SUBMISSIONS_RE = /(?:^|\/)submissions\/([a-z0-9][a-z0-9-]*)\//g;
const ARTIFACTS_RE = /(?:^|\/)artifacts\/[^/\s]*_([a-z0-9][a-z0-9-]*)(?:\/|$)/g;
const RESULTS_DIR_RE = /(?:^|\/)results\/([a-z0-9][a-z0-9-]*)\/[^/\s]+/g;

/** Agents whose bucket or folder a path points into, with the matched text. */
export function agentsInPath(
  path: string,
  known: ReadonlySet<string>,
  resolveBucket: (b: string) => string | null,
): { agent: string; match: string }[] {
  const out: { agent: string; match: string }[] = [];
  const add = (agent: string | null, match: string): void => {
    if (agent && known.has(agent) && !out.some((x) => x.agent === agent)) out.push({ agent, match });
  };
  for (const m of path.matchAll(BUCKET_PATH_RE)) add(resolveBucket(m[1]!), m[0]);
  for (const m of path.matchAll(SUBMISSIONS_RE)) add(m[1]!, m[0]);
  for (const m of path.matchAll(ARTIFACTS_RE)) add(m[1]!, m[0]);
  for (const m of path.matchAll(RESULTS_DIR_RE)) add(m[1]!, m[0]);
  return out;
}

/** Half a unit in the last decimal the score was posted with (506.74 → 0.005); full floats match to 1e-6. */
export function scoreTolerance(score: number): number {
  const s = String(score);
  if (/e/i.test(s)) return Math.abs(score) * 1e-9;
  const d = s.includes('.') ? s.length - s.indexOf('.') - 1 : 0;
  return d >= 6 ? 1e-6 : 0.5 * 10 ** -d + 1e-9;
}

/** How a rule names an agent: their stack (built on, reproduced) or something they introduced (credited lever, weights). */
export type PickMode = 'stack' | 'invention';

const isEligible = (r: ResultRow): boolean =>
  r.score !== null && Number.isFinite(r.score) && r.status !== 'negative' && r.verification !== 'invalid' && r.over_cap !== true;
const isDeadEnd = (r: ResultRow): boolean => r.status === 'negative' || r.verification === 'invalid' || r.over_cap === true;

/** Shortest method or submission name worth matching verbatim in text (shorter ones collide with prose). */
const MIN_QUOTE = 6;

/** Names quoted by one text (lower case, as in the name index). */
type Quoted = ReadonlySet<string>;
const NO_QUOTES: Quoted = new Set();

/** Length of the longest of the result's names that the text quotes, 0 when it quotes none. */
function quotedLength(q: Quoted, n: Node): number {
  let len = 0;
  if (q.size) for (const x of n.names) if (x.length > len && q.has(x)) len = x.length;
  return len;
}

class Graph {
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
    for (const m of lower.matchAll(/[a-z0-9_-]+/g)) if (m[0].length >= MIN_QUOTE) hit(m[0]);
    // Submission prefixes span a slash: submissions/<agent>/<name>.
    for (const m of lower.matchAll(/submissions\/[a-z0-9_-]+\/[a-z0-9_.-]+/g)) hit(m[0].replace(/\.+$/, ''));
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

/** Rule 1: refs written by results and by board messages, and result filenames quoted in result text. */
function refCandidates(g: Graph, messages: readonly MessageRow[], links: readonly MessageLinkRow[]): EdgeCandidate[] {
  const out: EdgeCandidate[] = [];
  const edge = (p: Node | undefined, c: Node | undefined, confidence: number, file: string | null, evidence: string): void => {
    if (p && c && p !== c && p.t !== null && c.t !== null && p.t < c.t) {
      out.push({ parent: p.r.filename, child: c.r.filename, rule: 'ref', confidence, evidence_file: file, evidence: clip(evidence) });
    }
  };
  for (const c of g.nodes) {
    for (const ref of c.r.refs ?? []) {
      edge(g.byFile.get(ref), c, CONFIDENCE.refResult, c.r.source_file ?? c.r.filename, `refs: ${ref}`);
    }
  }
  const quotedFrom = new Map<string, MessageLinkRow[]>();
  for (const l of links) {
    if (l.kind !== 'quoted-filename' || l.to_part !== 'results' || !l.to_file) continue;
    const list = quotedFrom.get(l.from_file) ?? [];
    list.push(l);
    quotedFrom.set(l.from_file, list);
  }
  // 1d: a result's text quoting another result.
  for (const c of g.nodes) {
    for (const l of quotedFrom.get(c.r.filename) ?? []) {
      const text = `${c.r.description ?? ''}\n${c.r.body_md ?? ''}`;
      const stamp = l.to_file!.slice(0, 19);
      const needle = text.includes(l.to_file!) ? l.to_file! : stamp;
      edge(g.byFile.get(l.to_file!), c, CONFIDENCE.refQuoted, c.r.source_file ?? c.r.filename, snippetAround(text, needle));
    }
  }
  // 1b: board messages naming one of the author's results.
  for (const m of messages) {
    if (!m.agent) continue;
    const refd = (m.refs ?? []).map((f) => g.byFile.get(f)).filter((n): n is Node => n !== undefined);
    if (refd.length < 2) continue;
    const named = [...refd, ...(quotedFrom.get(m.filename) ?? []).map((l) => g.byFile.get(l.to_file!))].filter(
      (n): n is Node => n !== undefined && n.r.agent === m.agent && n.t !== null,
    );
    if (named.length === 0) continue;
    const child = named.reduce((a, b) => (byTimeThenName(a, b) >= 0 ? a : b));
    for (const p of refd) {
      if (p === child) continue;
      edge(p, child, CONFIDENCE.refMessage, m.source_file ?? m.filename, `message ${m.filename} by ${m.agent} names ${child.r.filename} and refs ${p.r.filename}`);
    }
  }
  return out;
}

/** Rule 2: submission, artifacts and run manifests pointing into another agent's bucket. */
function bucketCandidates(g: Graph, runs: readonly RunRow[], known: ReadonlySet<string>, resolve: (b: string) => string | null): EdgeCandidate[] {
  const out: EdgeCandidate[] = [];
  const edge = (agent: string, c: Node, confidence: number, file: string | null, evidence: string, mode: PickMode, path: string): void => {
    if (agent === c.r.agent) return;
    const p = g.pickParent(agent, c, mode, { near: path.replace(/\/+$/, ''), anywhere: textOf(c.r) });
    if (p) out.push({ parent: p.r.filename, child: c.r.filename, rule: 'bucket-path', confidence, evidence_file: file, evidence: clip(evidence) });
  };
  const canonical = runs.filter((r) => r.duplicate_of === null && (r.bucket_refs?.length ?? 0) > 0);
  const byJob = new Map<string, RunRow>();
  const byPrefix = new Map<string, RunRow[]>();
  const byName = new Map<string, RunRow>();
  const byAgent = new Map<string, RunRow[]>();
  for (const r of runs.filter((x) => x.duplicate_of === null)) {
    if (r.job_id) byJob.set(r.job_id, r);
    if (r.submission_prefix) {
      const list = byPrefix.get(r.submission_prefix);
      if (list) list.push(r);
      else byPrefix.set(r.submission_prefix, [r]);
    }
    if (r.run_name) byName.set(r.run_name, r);
    if (r.agent && r.score !== null) {
      const list = byAgent.get(r.agent);
      if (list) list.push(r);
      else byAgent.set(r.agent, [r]);
    }
  }
  const withRefs = new Set(canonical);
  // First pass: runs joined to each result; second: edges. Between them, which tokens the readers of each agent's
  // bucket carry, so an agent who introduced several techniques is credited for the one that lives in the bucket.
  const pending: { c: Node; r: RunRow; how: string; conf: number }[] = [];
  const observed = new Set<Node>();
  for (const c of g.nodes) {
    if (c.t === null || !c.r.agent) continue;
    const file = c.r.source_file ?? c.r.filename;
    if (c.r.submission) {
      for (const a of agentsInPath(c.r.submission, known, resolve)) {
        edge(a.agent, c, CONFIDENCE.bucketSubmission, file, `submission: ${c.r.submission}`, 'stack', c.r.submission);
      }
    }
    for (const p of c.r.artifacts ?? []) {
      for (const a of agentsInPath(p, known, resolve)) edge(a.agent, c, CONFIDENCE.bucketArtifact, file, `artifacts: ${p}`, 'stack', p);
    }
    // Runs of this result.
    const joined = new Map<RunRow, string>();
    for (const j of c.r.job_ids ?? []) {
      const r = byJob.get(j);
      if (r) joined.set(r, `job ${j}`);
    }
    // Only the child's own runs of its submission: a reproduction of another agent's submission does not inherit
    // that agent's runs (their bucket reads are the parent's evidence, not the child's).
    for (const r of c.r.submission_prefix ? (byPrefix.get(c.r.submission_prefix) ?? []) : []) {
      if (!joined.has(r) && r.agent === c.r.agent) joined.set(r, `submission prefix ${c.r.submission_prefix}`);
    }
    for (const p of c.r.artifacts ?? []) {
      for (const seg of p.split('/')) {
        const r = byName.get(seg);
        if (r && !joined.has(r)) joined.set(r, `artifacts path ${p}`);
      }
    }
    let conf: number = CONFIDENCE.bucketRunJoin;
    if (joined.size === 0 && c.r.score !== null) {
      const tol = scoreTolerance(c.r.score);
      const hits = (byAgent.get(c.r.agent) ?? []).filter((r) => {
        const rt = epoch(r.created_at) ?? epoch(r.finished_at);
        return Math.abs(r.score! - c.r.score!) <= tol && (rt === null || rt <= c.t!);
      });
      if (hits.length === 1) {
        joined.set(hits[0]!, `score ${hits[0]!.score} ≈ ${c.r.score}`);
        conf = CONFIDENCE.bucketRunScore;
      }
    }
    if (joined.size > 0) observed.add(c);
    for (const [r, how] of joined) if (withRefs.has(r)) pending.push({ c, r, how, conf });
  }
  const readers = new Map<string, Set<Node>>();
  for (const { c, r } of pending) {
    for (const b of r.bucket_refs ?? []) {
      const agent = resolve(b);
      if (!agent || agent === c.r.agent) continue;
      const set = readers.get(agent) ?? new Set<Node>();
      set.add(c);
      readers.set(agent, set);
    }
  }
  // weight(X, t) = P(t | reads X's bucket) · P(reads X's bucket | t), over results with a known run: high only for a
  // token that the bucket's readers carry and that its carriers read the bucket for. Tokens accumulate along
  // lineages, so the first factor alone cannot tell the checkpoint's technique from everything stacked under it.
  const carriers = new Map<string, number>();
  for (const n of observed) for (const tok of n.set) carriers.set(tok, (carriers.get(tok) ?? 0) + 1);
  const carried = new Map<string, Map<string, number>>();
  for (const [agent, set] of readers) {
    const count = new Map<string, number>();
    for (const n of set) for (const tok of n.set) count.set(tok, (count.get(tok) ?? 0) + 1);
    const m = new Map<string, number>();
    for (const [tok, k] of count) m.set(tok, (k / set.size) * (k / Math.max(k, carriers.get(tok) ?? k)));
    carried.set(agent, m);
  }
  // One pick per (child, bucket agent): a result's several runs read the same buckets. The strongest join is kept.
  const reads = new Map<string, { c: Node; agent: string; b: string; r: RunRow; how: string; conf: number }>();
  for (const { c, r, how, conf } of pending) {
    for (const b of r.bucket_refs ?? []) {
      const agent = resolve(b);
      if (!agent || agent === c.r.agent) continue;
      const k = `${c.r.filename}\u0000${agent}`;
      const prev = reads.get(k);
      if (!prev || conf > prev.conf) reads.set(k, { c, agent, b, r, how, conf });
    }
  }
  for (const { c, agent, b, r, how, conf } of reads.values()) {
    const share = carried.get(agent);
    const p = g.pickParent(agent, c, 'invention', { weight: (tok) => share?.get(tok) ?? 0, anywhere: textOf(c.r) });
    if (p) {
      out.push({
        parent: p.r.filename,
        child: c.r.filename,
        rule: 'bucket-path',
        confidence: conf,
        evidence_file: `${r.run_dir}/run_request.json`,
        evidence: clip(`manifest env points into ${b} (run ${r.run_dir}, joined by ${how})`),
      });
    }
  }
  return out;
}

/** Id of the agent-level node standing for a credited agent whose matching result is not in this export. */
export const agentNodeId = (agent: string): string => `agent:${agent}`;
export const isAgentNode = (id: string): boolean => id.startsWith('agent:');

/** Rule 3: credits in the child's text, and handles embedded in its method string. */
function creditCandidates(g: Graph, handles: ReadonlySet<string>, aliases: ReadonlyMap<string, string>): EdgeCandidate[] {
  const out: EdgeCandidate[] = [];
  for (const c of g.nodes) {
    if (c.t === null) continue;
    const file = c.r.source_file ?? c.r.filename;
    const desc = c.r.description ?? '';
    const text = textOf(c.r);
    const inDesc = new Map<string, CreditRelation>();
    const inText = new Map<string, CreditRelation>();
    if (c.r.credits?.length) {
      for (const rel of creditRelations(desc, handles, c.r.agent, aliases)) inDesc.set(rel.agent, rel);
      for (const rel of creditRelations(text, handles, c.r.agent, aliases)) inText.set(rel.agent, rel);
    }
    for (const who of c.r.credits ?? []) {
      const rel = inDesc.get(who) ?? inText.get(who);
      const src = inDesc.has(who) || desc.toLowerCase().includes(who) ? desc : text;
      // The name as written: the handle, or a short form such as "dixie" for dixie-flatline.
      const name = rel?.name ?? who;
      // Relay roles link nothing, unless a stronger cue credits the same agent ("Port of X staged …" is a port).
      const credited = rel !== undefined && CREDITING.has(rel.kind) && rel.kind !== 'role';
      if (rel?.kind === 'comparison' || (onlyRoleMentions(src, name) && !credited)) continue;
      const mode = creditMode(src, name);
      const named = creditSegment(src, name);
      const p = g.pickParent(who, c, mode, {
        near: clausesWith(src, name),
        anywhere: text,
        weight: (tok) => (tok.length >= 2 && named.includes(tok) ? 1 : 0),
      });
      // A credit, reproduction, port or delta whose agent has no earlier result here still links: to the agent.
      const parent = p ? p.r.filename : credited ? agentNodeId(who) : null;
      if (!parent) continue;
      const conf = hasCreditCue(src, name) ? CONFIDENCE.creditCue : CONFIDENCE.creditPlain;
      out.push({ parent, child: c.r.filename, rule: 'credit', confidence: conf, evidence_file: file, evidence: snippetAround(src, name) });
    }
    for (const who of handlesInMethod(c.r.method, handles, c.r.agent)) {
      const p = g.pickParent(who, c, 'stack', { near: c.r.method, anywhere: text });
      if (p) out.push({ parent: p.r.filename, child: c.r.filename, rule: 'credit', confidence: CONFIDENCE.creditMethod, evidence_file: file, evidence: clip(`method: ${c.r.method ?? ''}`) });
    }
  }
  return out;
}

/** Subset look-ups allowed before a child's levels are computed from the token postings instead. */
const SUBSET_BUDGET = 4096;

/** Present proper subsets of one token set, grouped by size, largest first; each level is computed on demand. */
class SubsetLevels {
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

/** For each position of a list in time order, the position of the best item up to it (the later one among equals). */
function prefixBest(length: number, goodness: (i: number) => number): number[] {
  const out: number[] = [];
  for (let i = 0; i < length; i++) {
    const b = out[i - 1];
    out.push(b === undefined || goodness(i) >= goodness(b) ? i : b);
  }
  return out;
}

function binomial(n: number, k: number): number {
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return Math.round(r);
}

/** How many nodes of a time-ordered list come strictly before `t` (binary search). */
function countBefore(list: readonly Node[], t: number): number {
  return partitionPoint(list.length, (i) => list[i]!.t! < t);
}

/** Rule 4: closest earlier result whose token set the child's strictly contains. */
function tokenCandidates(g: Graph, linked: ReadonlySet<string>): EdgeCandidate[] {
  const out: EdgeCandidate[] = [];
  // Distinct token sets → their results in time order.
  const sets = new Map<string, Node[]>();
  const keyOf = (toks: readonly string[]): string => [...toks].sort().join('\u0001');
  for (const n of g.nodes) {
    if (n.t === null || recipeTokens(n.tokens).length < TOKEN_MIN_PARENT) continue;
    const k = keyOf([...n.set]);
    const list = sets.get(k) ?? [];
    list.push(n);
    sets.set(k, list);
  }
  const posting = new Map<string, string[]>();
  for (const k of sets.keys()) {
    for (const tok of k.split('\u0001')) {
      const list = posting.get(tok);
      if (list) list.push(k);
      else posting.set(tok, [k]);
    }
  }
  // Present proper subsets of a child's set, one level (size) at a time from the largest, computed lazily and
  // memoised per distinct set: a child usually finds its parent one token down, after |set| look-ups.
  const memo = new Map<string, SubsetLevels>();
  const levelsOf = (toks: readonly string[]): SubsetLevels => {
    const sorted = [...toks].sort();
    const k = sorted.join('\u0001');
    let lv = memo.get(k);
    if (!lv) {
      lv = new SubsetLevels(sorted, sets, posting);
      memo.set(k, lv);
    }
    return lv;
  };
  // Among equally close sets: a result another rule already links to the child, then one whose method or submission
  // name the child's text quotes ("on top of vllm-int4-lmhead-v1"), then the child's own agent's latest
  // (agents iterate on their own work), then the better score, then the most recent.
  const tieKey = (n: Node, c: Node, quoted: Quoted, linkedTo: ReadonlySet<string>): number[] => [
    linkedTo.has(n.r.filename) ? 1 : 0,
    quotedLength(quoted, n) > 0 ? 1 : 0,
    n.r.agent === c.r.agent ? 1 : 0,
    n.r.agent === c.r.agent ? n.t! : g.goodness(n),
    n.t!,
  ];
  const beats = (a: number[], b: number[]): boolean => {
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! > b[i]!;
    return false;
  };
  // The winner by tieKey is always on a short list, so candidates are not scanned one by one (that was
  // quadratic in the size of popular token sets): every linked and every quoted candidate, and per set the latest
  // result of the child's agent and the best-scoring result (latest among equals). The short list is then
  // compared in the order a full scan would meet it (sets in level order, newest first), so ties fall the same way.
  const setOf = new Map<Node, { key: string; index: number }>();
  for (const [k, list] of sets) for (const [i, n] of list.entries()) setOf.set(n, { key: k, index: i });
  const linkedParents = new Map<string, string[]>();
  for (const pc of linked) {
    const [parent = '', child = ''] = pc.split('\u0000');
    (linkedParents.get(child) ?? linkedParents.set(child, []).get(child)!).push(parent);
  }
  const bestUpTo = new Map<string, number[]>();
  const bestIndexUpTo = (k: string, list: readonly Node[]): number[] => {
    let b = bestUpTo.get(k);
    if (!b) {
      b = prefixBest(list.length, (i) => g.goodness(list[i]!));
      bestUpTo.set(k, b);
    }
    return b;
  };
  const byAgentIn = new Map<string, Map<string, Node[]>>();
  const agentList = (k: string, list: readonly Node[], agent: string | null): Node[] => {
    let m = byAgentIn.get(k);
    if (!m) {
      m = new Map();
      for (const n of list) (m.get(n.r.agent ?? '') ?? m.set(n.r.agent ?? '', []).get(n.r.agent ?? '')!).push(n);
      byAgentIn.set(k, m);
    }
    return m.get(agent ?? '') ?? [];
  };
  // Results that carry a quotable name, per name and set: their indices in the set's list (time order), the best
  // (latest among equals) up to each, and per agent. A child quoting a popular name then finds, per set, the two
  // quoted results that can win by binary search instead of visiting every result with that name.
  const agentKey = (a: string | null): string => a ?? '\u0000';
  const groupsByName = new Map<string, Map<string, { idx: number[]; best: number[]; byAgent: Map<string, number[]> }>>();
  const quotedGroups = (name: string): Map<string, { idx: number[]; best: number[]; byAgent: Map<string, number[]> }> => {
    let groups = groupsByName.get(name);
    if (groups) return groups;
    groups = new Map();
    for (const n of g.nameIndex.get(name) ?? []) {
      const at = setOf.get(n);
      if (!at) continue;
      const grp = groups.get(at.key) ?? groups.set(at.key, { idx: [], best: [], byAgent: new Map() }).get(at.key)!;
      if (grp.idx.at(-1) === at.index) continue; // a result whose method and submission name are the same
      grp.idx.push(at.index);
      const ak = agentKey(n.r.agent);
      (grp.byAgent.get(ak) ?? grp.byAgent.set(ak, []).get(ak)!).push(at.index);
    }
    for (const [key, grp] of groups) {
      const list = sets.get(key)!;
      grp.best = prefixBest(grp.idx.length, (i) => g.goodness(list[grp.idx[i]!]!)).map((i) => grp.idx[i]!);
    }
    groupsByName.set(name, groups);
    return groups;
  };
  for (const c of g.nodes) {
    if (c.t === null || c.set.size < 2) continue;
    const quoted = g.quoted(textOf(c.r));
    const levels = levelsOf(c.tokens);
    // Linked candidates (few), by the set they belong to; of the quoted ones (a popular method name can be
    // quoted by thousands), per set only the two that can win among them: the child's agent's latest and the
    // best-scoring (latest among equals).
    const linkedTo = new Set(linkedParents.get(c.r.filename) ?? []);
    const special = new Map<string, Set<number>>();
    const addSpecial = (key: string, index: number): void => {
      (special.get(key) ?? special.set(key, new Set()).get(key)!).add(index);
    };
    for (const f of linkedTo) {
      const n = g.byFile.get(f);
      const at = n ? setOf.get(n) : undefined;
      if (n && at && n.t! < c.t!) addSpecial(at.key, at.index);
    }
    const quotedBest = new Map<string, { own: number; good: number }>();
    for (const name of quoted) {
      for (const [key, grp] of quotedGroups(name)) {
        const list = sets.get(key)!;
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
    for (const [key, q] of quotedBest) {
      if (q.own >= 0) addSpecial(key, q.own);
      addSpecial(key, q.good);
    }
    for (let li = 0; ; li++) {
      const level = levels.level(li);
      if (level === null) break;
      let best: Node | null = null;
      let bestKey: number[] = [];
      for (const sk of level) {
        const list = sets.get(sk)!;
        // Results of this set strictly before the child (lists are in time order).
        const lo = countBefore(list, c.t);
        if (lo === 0) continue;
        const short = new Set<number>([...(special.get(sk) ?? [])].filter((i) => i < lo));
        short.add(bestIndexUpTo(sk, list)[lo - 1]!);
        const own = agentList(sk, list, c.r.agent);
        const ownBefore = countBefore(own, c.t);
        if (ownBefore > 0) short.add(setOf.get(own[ownBefore - 1]!)!.index);
        for (const i of [...short].sort((a, b) => b - a)) {
          const cand = list[i]!;
          const k = tieKey(cand, c, quoted, linkedTo);
          if (!best || beats(k, bestKey)) {
            best = cand;
            bestKey = k;
          }
        }
      }
      if (best) {
        const conf = CONFIDENCE.tokenBase + (CONFIDENCE.tokenSpan * best.set.size) / c.set.size;
        const extra = c.tokens.filter((x) => !best.set.has(x));
        out.push({
          parent: best.r.filename,
          child: c.r.filename,
          rule: 'token',
          confidence: Math.round(conf * 1000) / 1000,
          evidence_file: c.r.source_file ?? c.r.filename,
          evidence: clip(`tokens {${best.tokens.join(', ')}} of ${best.r.method ?? ''} ⊂ {${c.tokens.join(', ')}} of ${c.r.method ?? ''}; adds ${extra.join(', ')}`),
        });
        break;
      }
    }
  }
  return out;
}

/** Group candidates by (parent, child): strongest rule wins, others become extra_rules, confidences combine. */
export function mergeCandidates(cands: readonly EdgeCandidate[], g?: { byFile: ReadonlyMap<string, { r: ResultRow }> }): LineageEdgeRow[] {
  const groups = new Map<string, EdgeCandidate[]>();
  for (const c of cands) {
    const k = `${c.parent}\u0000${c.child}`;
    const list = groups.get(k) ?? [];
    list.push(c);
    groups.set(k, list);
  }
  const rank = (r: LineageRule): number => RULE_ORDER.indexOf(r);
  const out: LineageEdgeRow[] = [];
  for (const list of groups.values()) {
    const best = [...list].sort((a, b) => rank(a.rule) - rank(b.rule) || b.confidence - a.confidence)[0]!;
    const perRule = new Map<LineageRule, number>();
    for (const c of list) perRule.set(c.rule, Math.max(perRule.get(c.rule) ?? 0, c.confidence));
    const miss = [...perRule.values()].reduce((acc, c) => acc * (1 - c), 1);
    out.push({
      parent: best.parent,
      child: best.child,
      parent_agent: isAgentNode(best.parent) ? best.parent.slice('agent:'.length) : (g?.byFile.get(best.parent)?.r.agent ?? null),
      child_agent: g?.byFile.get(best.child)?.r.agent ?? null,
      rule: best.rule,
      confidence: Math.round((1 - miss) * 1000) / 1000,
      extra_rules: RULE_ORDER.filter((r) => r !== best.rule && perRule.has(r)),
      evidence_file: best.evidence_file,
      evidence: best.evidence,
    });
  }
  return out.sort((a, b) => (a.child < b.child ? -1 : a.child > b.child ? 1 : a.parent < b.parent ? -1 : a.parent > b.parent ? 1 : 0));
}

function nodeRows(g: Graph, edges: readonly LineageEdgeRow[], config: CollabConfig): LineageNodeRow[] {
  const hi = config.higher_is_better;
  const better = (a: number, b: number): boolean => (hi ? a > b : a < b);
  const frontier = new Map<Node, boolean | null>();
  let best: number | null = null;
  for (const n of g.nodes) {
    if (n.t === null) {
      frontier.set(n, null);
      continue;
    }
    const ok = isEligible(n.r) && (best === null || better(n.r.score!, best));
    frontier.set(n, ok);
    if (ok) best = n.r.score!;
  }
  // Pareto: sweep by goodness descending, secondary ascending.
  const pareto = new Map<Node, boolean | null>();
  const pts = g.nodes.filter((n) => isEligible(n.r) && n.r.secondary !== null && Number.isFinite(n.r.secondary));
  const hasSecondary = new Set(pts);
  for (const n of g.nodes) pareto.set(n, isEligible(n.r) ? (hasSecondary.has(n) ? false : null) : false);
  const good = (n: Node): number => (hi ? n.r.score! : -n.r.score!);
  pts.sort((a, b) => good(b) - good(a) || a.r.secondary! - b.r.secondary!);
  let minBefore = Infinity;
  for (let i = 0; i < pts.length; ) {
    let j = i;
    while (j < pts.length && good(pts[j]!) === good(pts[i]!)) j++;
    const groupMin = pts[i]!.r.secondary!;
    for (let k = i; k < j; k++) {
      const s = pts[k]!.r.secondary!;
      pareto.set(pts[k]!, s === groupMin && s < minBefore);
    }
    minBefore = Math.min(minBefore, groupMin);
    i = j;
  }
  const parents = new Map<string, string[]>();
  const childCount = new Map<string, number>();
  for (const e of edges) {
    const ps = parents.get(e.child);
    if (ps) ps.push(e.parent);
    else parents.set(e.child, [e.parent]);
    childCount.set(e.parent, (childCount.get(e.parent) ?? 0) + 1);
  }
  const depth = new Map<string, number>();
  const firstT = g.nodes.find((n) => n.t !== null)?.t ?? null;
  const day0 = firstT === null ? null : Math.floor(firstT / DAY_MS) * DAY_MS;
  const rows: LineageNodeRow[] = [];
  for (const n of g.nodes) {
    const ps = parents.get(n.r.filename) ?? [];
    const d = ps.length ? 1 + Math.max(...ps.map((p) => depth.get(p) ?? 0)) : 0;
    depth.set(n.r.filename, d);
    rows.push({
      filename: n.r.filename,
      node_kind: 'result',
      agent: n.r.agent,
      ts: n.r.ts,
      score: n.r.score,
      secondary: n.r.secondary,
      status: n.r.status,
      verification: n.r.verification,
      method: n.r.method,
      tokens: n.tokens,
      is_frontier: frontier.get(n) ?? null,
      is_pareto: pareto.get(n) ?? null,
      layer: n.t === null || day0 === null ? null : Math.floor((n.t - day0) / DAY_MS),
      depth: d,
      parent_count: ps.length,
      child_count: childCount.get(n.r.filename) ?? 0,
    });
  }
  // Agent-level parents: one per credited agent whose matching result is not here, laid out on its first child's day.
  const layerOf = new Map(rows.map((r) => [r.filename, r.layer]));
  for (const [id, children] of [...agentChildren(edges)].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const layers = children.map((ch) => layerOf.get(ch)).filter((l): l is number => l !== null && l !== undefined);
    rows.push({
      filename: id,
      node_kind: 'agent',
      agent: id.slice('agent:'.length),
      ts: null,
      score: null,
      secondary: null,
      status: null,
      verification: null,
      method: null,
      tokens: [],
      is_frontier: null,
      is_pareto: null,
      layer: layers.length ? Math.min(...layers) : null,
      depth: 0,
      parent_count: 0,
      child_count: childCount.get(id) ?? 0,
    });
  }
  return rows.sort((a, b) => (a.filename < b.filename ? -1 : a.filename > b.filename ? 1 : 0));
}

/** Agent-level parent ids → their children. */
function agentChildren(edges: readonly LineageEdgeRow[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const e of edges) if (isAgentNode(e.parent)) (out.get(e.parent) ?? out.set(e.parent, []).get(e.parent)!).push(e.child);
  return out;
}

function techniqueRows(g: Graph, nodes: readonly LineageNodeRow[], config: CollabConfig): TechniqueRow[] {
  const hi = config.higher_is_better;
  const frontier = new Map(nodes.map((n) => [n.filename, n.is_frontier === true]));
  const acc = new Map<string, TechniqueRow & { agentSet: Set<string> }>();
  for (const n of g.nodes) {
    for (const tok of n.tokens) {
      let t = acc.get(tok);
      if (!t) {
        t = {
          token: tok,
          family: tokenFamily(tok),
          first_result: n.r.filename,
          inventor: n.r.agent,
          first_ts: n.r.ts,
          adopters: 0,
          adopter_agents: [],
          results: 0,
          best_score: null,
          best_result: null,
          frontier_count: 0,
          dead_end_count: 0,
          agentSet: new Set(),
        };
        acc.set(tok, t);
      }
      t.results = (t.results ?? 0) + 1;
      if (n.r.agent && !t.agentSet.has(n.r.agent)) {
        t.agentSet.add(n.r.agent);
        t.adopter_agents!.push(n.r.agent);
      }
      if (isEligible(n.r) && (t.best_score === null || (hi ? n.r.score! > t.best_score : n.r.score! < t.best_score))) {
        t.best_score = n.r.score;
        t.best_result = n.r.filename;
      }
      if (frontier.get(n.r.filename)) t.frontier_count = (t.frontier_count ?? 0) + 1;
      if (isDeadEnd(n.r)) t.dead_end_count = (t.dead_end_count ?? 0) + 1;
    }
  }
  return [...acc.values()]
    .map(({ agentSet, ...t }) => ({ ...t, adopters: agentSet.size }))
    .sort((a, b) => (a.token < b.token ? -1 : a.token > b.token ? 1 : 0));
}

/** Nodes, edges and techniques from results (and messages, links, runs when present). Pure. */
export function buildLineage(input: LineageInput, config: CollabConfig): LineageTables {
  const handles = new Set<string>(input.agents ?? []);
  if (!input.agents) {
    for (const r of input.results) if (r.agent) handles.add(r.agent);
    for (const m of input.messages ?? []) if (m.agent) handles.add(m.agent);
  }
  const g = new Graph(input.results, handles, config.higher_is_better);
  const resolve = bucketResolver(handles, input.agentBuckets);
  const aliases = handleAliases(handles, configWords(config.title, config.description));
  const strong = [
    ...refCandidates(g, input.messages ?? [], input.message_links ?? []),
    ...bucketCandidates(g, input.runs ?? [], handles, resolve),
    ...creditCandidates(g, handles, aliases),
  ];
  const linked = new Set(strong.map((c) => `${c.parent}\u0000${c.child}`));
  // Baselines are roots by definition: never a child.
  const cands = [...strong, ...tokenCandidates(g, linked)].filter((c) => !g.byFile.get(c.child)?.r.is_baseline);
  const edges = mergeCandidates(cands, g);
  const nodes = nodeRows(g, edges, config);
  return { lineage_nodes: nodes, lineage_edges: edges, techniques: techniqueRows(g, nodes, config) };
}

/** The lineage tables from the core tables. */
export function lineageFromCore(core: CoreTables, config: CollabConfig): LineageTables {
  const agentBuckets = new Map<string, string>();
  for (const a of core.agents) if (a.agent_bucket) agentBuckets.set(a.agent_id, a.agent_bucket);
  return buildLineage(
    {
      results: core.results,
      messages: core.messages,
      message_links: core.message_links,
      runs: core.runs,
      agents: core.agents.map((a) => a.agent_id),
      agentBuckets,
    },
    config,
  );
}

export const lineageDerivation: Derivation = {
  name: 'lineage',
  tables: LINEAGE_TABLES,
  inputs: ['agents', 'results', 'messages', 'message_links', 'runs'],
  run: (core, config) => ({ ...lineageFromCore(core, config) }),
};
