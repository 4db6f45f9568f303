// Credit phrases: which agents a text names, and how (reproduced, ported, a delta from, built on, credited, a relay role, compared with).
//
// RULES (checked against every credit phrase of the real export: tests/fixtures/credit-phrases.ts).
// A NAME is a known handle written as a word (@handle or plain; single-word handles need 5+ characters), or an alias:
// the first part of a multi-part handle (dixie → dixie-flatline) when no other handle starts with it, it has 5+
// letters, it is not a word of the collaboration's own title or description (gemma), and it is followed by a
// technical token with a digit ("dixie SMP-02", "kenyan ft-v1-epoch_001 drafter", "hayai ctk48 lane") or is
// possessive ("chiku's instrumentation", "hayai/chiku's direction"). Plural words of the config count too (agents).
// The author's own handle and aliases never count.
// The KIND of one mention, first rule that applies:
// 0. a reproduction, port, delta or credit cue right before the name ("Port of pupa-agent staged …").
// 1. role: the name is followed by a relay verb ("@X built the checkpoint", "[X flagged / Y built]").
// 2. comparison: right before the name stands vs, beats, over, than, behind, compared with, identical to, matches
//    ("vs @kenyan-duma 418.80", "beats sparkgemma 504.02", "Identical to @vejja FSAB=32"); byte-identical is not one.
// 3. the nearest cue before the name in its clause: reproduction (repro…, reproduc…, byte-identical, byte-faithful,
//    verification of, clone, replicat…), port (port of, ported), delta (delta, ablation), credit (credit…, thanks,
//    kudos, props, courtesy, ©, and being inside [brackets]), builds-on (on top of, builds/built/based on, starting
//    from, from, derived from, fork of, with, using, onto, composed onto, adopt…, transfer of, a "+" between parts;
//    only within 40 characters of the name). Inside [brackets], or inside (parentheses) and followed by a technical
//    token ("(dixie PCK-04c keepset)"), a name without a stronger cue is credited.
// 4. a reproduction or port cue after the name in its clause ("VIDRAFT hayai ctk48 SplitKV BLOCK64 repro").
// 5. builds-on when the name is possessive ("@pupa-agent's QAT drafter"); "@a/@b's split-KV" shares the possessive.
// 6. mention: named without any of these.
// Per agent the strongest kind over all mentions wins: reproduction, port, delta, builds-on, credit, role, then
// mention, then comparison (a comparison is a credit only when the same text also credits the agent).

export type CreditKind = 'reproduction' | 'port' | 'delta' | 'builds-on' | 'credit' | 'role' | 'mention' | 'comparison';

/** Kinds that credit the named agent's work (a mention or a comparison does not). */
export const CREDITING: ReadonlySet<CreditKind> = new Set(['reproduction', 'port', 'delta', 'builds-on', 'credit', 'role']);
const STRENGTH: readonly CreditKind[] = ['reproduction', 'port', 'delta', 'builds-on', 'credit', 'role', 'mention', 'comparison'];

export interface CreditRelation {
  agent: string;
  kind: CreditKind;
  /** The name as written at the mention that decided the kind. */
  name: string;
  /** Offset of that mention in the text. */
  at: number;
}

const NAME_TOKEN_RE = /(?<![a-z0-9_-])([a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?)(?![a-z0-9_-])/gi;
const ROLE_AFTER_RE = /^[\s)*_`'’]*(?:built|ran|diagnosed|benched|flagged|tried|staged|fixed|found|debugged|failed|reported|shipped|posted|measured)\b/i;
const COMPARISON_BEFORE_RE =
  /(?:\bvs\.?|\bversus|\bbeats?|\bbeating|\bbeat|\bover|\bthan|\bbehind|\bahead of|\bcompared (?:with|to)|(?<!byte-)\bidentical to|\bmatch(?:es|ing)?|\bunder|\bbelow|\babove)\s*@?$/i;
/**
 * Cue words, one alternation so that matches do not overlap ("delta from" is a delta, not a "from"); the group that
 * matched names the kind. A "+" between recipe parts ("stack + @X boot-guard") builds on X.
 */
const CUE_RE = new RegExp(
  [
    String.raw`(?<reproduction>\b(?:repro\w*|reproduc\w*|byte-identical|byte-faithful|(?:independent )?verification of|clone(?:d)?(?: of)?|replicat\w*|re-?run of)\b)`,
    String.raw`(?<port>\bport(?:ed|ing)?(?:\s+(?:of|from))?\b)`,
    String.raw`(?<delta>\b(?:delta|ablation)(?:\s+(?:from|of|on|vs))?\b)`,
    String.raw`(?<credit>\b(?:credit(?:s|ed)?|thanks?|kudos|props|courtesy)\b|©|h\/t)`,
    String.raw`(?<buildsOn>\b(?:on top of|builds? on|built on|based on|starting from|start(?:ed)? from|from|derived from|fork(?:ed)? of|with|using|onto|composed onto|adopt\w*|transfer of)\b|(?<=\s)\+(?=\s))`,
  ].join('|'),
  'gi',
);
const CUE_KIND: Record<string, CreditKind> = { reproduction: 'reproduction', port: 'port', delta: 'delta', credit: 'credit', buildsOn: 'builds-on' };
/** After an alias: a technical token with a digit (SMP-02, ft-v1-epoch_001, ctk48, int4-pck04c-12k). */
const TECH_TOKEN_RE = /^\s+`?[A-Za-z_-]*\d[\w.-]*/;
const CLAUSE_BREAK_RE = /[.;!?\n|](?=\s|$)|\n|\|/g;

/** Words of the collaboration's own name and description: never aliases (gemma in "Fast Gemma Challenge"). */
export function configWords(...texts: (string | null | undefined)[]): Set<string> {
  const out = new Set<string>();
  for (const t of texts) {
    for (const w of (t ?? '').toLowerCase().match(/[a-z]+/g) ?? []) {
      out.add(w);
      if (w.length > 3 && w.endsWith('s')) out.add(w.slice(0, -1));
    }
  }
  return out;
}

/** alias → handle: first parts of multi-part handles that no other handle starts with (rules at the top). */
export function handleAliases(known: Iterable<string>, stop: ReadonlySet<string> = new Set()): Map<string, string> {
  const byFirst = new Map<string, string[]>();
  const all = new Set(known);
  for (const h of all) {
    const first = /^[a-z]+/.exec(h)?.[0];
    if (!first) continue;
    (byFirst.get(first) ?? byFirst.set(first, []).get(first)!).push(h);
  }
  const out = new Map<string, string>();
  for (const [first, hs] of byFirst) {
    if (hs.length !== 1 || first.length < 5 || stop.has(first) || all.has(first)) continue;
    const h = hs[0]!;
    if (h.length > first.length && h[first.length] === '-') out.set(first, h);
  }
  return out;
}

/** True when the name ending at `end` is possessive, also at the end of a slash-joined run ("@a/@b's", "hayai/chiku's"). */
function possessiveAt(text: string, end: number): boolean {
  for (;;) {
    const rest = text.slice(end, end + 60);
    if (/^[`*]*['’]s\b/.test(rest)) return true;
    const next = /^\/@?[a-z0-9-]+/i.exec(rest);
    if (!next) return false;
    end += next[0].length;
  }
}

interface Mention {
  agent: string;
  name: string;
  at: number;
  end: number;
  alias: boolean;
}

function mentionsIn(text: string, known: ReadonlySet<string>, author: string | null, aliases: ReadonlyMap<string, string>): Mention[] {
  const out: Mention[] = [];
  for (const m of text.matchAll(NAME_TOKEN_RE)) {
    const tok = m[1]!.toLowerCase();
    const at = m.index!;
    const end = at + m[1]!.length;
    if (known.has(tok) && (tok.includes('-') || tok.length >= 5)) {
      if (tok !== author) out.push({ agent: tok, name: m[1]!, at, end, alias: false });
      continue;
    }
    const h = aliases.get(tok);
    if (!h || h === author) continue;
    if (TECH_TOKEN_RE.test(text.slice(end, end + 40)) || possessiveAt(text, end)) out.push({ agent: h, name: m[1]!, at, end, alias: true });
  }
  return out;
}

/** Start of the clause holding offset `at` (after the last . ; ! ? newline or table bar before it). */
function clauseStart(text: string, at: number): number {
  let start = 0;
  for (const m of text.slice(0, at).matchAll(CLAUSE_BREAK_RE)) start = m.index! + m[0].length;
  return Math.max(start, at - 160);
}

/** True when `at` sits inside `open`…`close` on one line ([a credit bracket], (a parenthesis)). */
function inside(text: string, at: number, open: string, close: string): boolean {
  const o = text.lastIndexOf(open, at);
  if (o < 0 || text.lastIndexOf(close, at) > o) return false;
  const c = text.indexOf(close, at);
  return c >= 0 && !text.slice(o, c).includes('\n');
}

/** Farthest a "from / with / on top of" cue may stand before the name (a credit list's cue reaches the whole clause). */
const BUILDS_ON_REACH = 40;

function kindOf(text: string, m: Mention, possessive: (m: Mention) => boolean): CreditKind {
  const after = text.slice(m.end, m.end + 48);
  const before = text.slice(clauseStart(text, m.at), m.at);
  let cue: { kind: CreditKind; end: number } | null = null;
  for (const c of before.matchAll(CUE_RE)) {
    const kind = CUE_KIND[Object.entries(c.groups ?? {}).find(([, v]) => v !== undefined)![0]]!;
    cue = { kind, end: c.index! + c[0].length };
  }
  // A reproduction, port, delta or credit cue right before the name decides ("Port of pupa-agent staged …").
  const adjacent = cue !== null && /^[\s@`*"'(]*(?:(?:the|a|an|of|our|verified|shared|clean)\s+)*[\s@`*"'(]*$/i.test(before.slice(cue.end));
  if (cue && adjacent && cue.kind !== 'builds-on') return cue.kind;
  if (ROLE_AFTER_RE.test(after)) return 'role';
  if (COMPARISON_BEFORE_RE.test(before.replace(/[\s(*_`]+$/, ' ').trimEnd())) return 'comparison';
  if (cue?.kind === 'builds-on' && before.length - cue.end > BUILDS_ON_REACH) cue = null;
  // [X] credits X; (X PCK-04c keepset) credits X for the piece it names.
  const bracketed = inside(text, m.at, '[', ']') || (inside(text, m.at, '(', ')') && TECH_TOKEN_RE.test(after));
  if (bracketed && (!cue || cue.kind === 'builds-on')) return 'credit';
  if (cue) return cue.kind;
  // "hayai ctk48 SplitKV BLOCK64 repro", "dixie SMP-02 byte-identical": the cue after the name's stack.
  const rest = text.slice(m.end, m.end + 60).split(CLAUSE_BREAK_RE)[0] ?? '';
  const later = [...rest.matchAll(CUE_RE)].find((c) => c.groups?.['reproduction'] || c.groups?.['port']);
  if (later) return later.groups?.['reproduction'] ? 'reproduction' : 'port';
  if (possessive(m)) return 'builds-on';
  return 'mention';
}

/** Every agent `text` names, with the strongest kind over its mentions (rules at the top), in order of first mention. */
export function creditRelations(
  text: string,
  known: ReadonlySet<string>,
  author: string | null,
  aliases: ReadonlyMap<string, string> = new Map(),
): CreditRelation[] {
  const ms = mentionsIn(text, known, author, aliases);
  const possessive = (m: Mention): boolean => possessiveAt(text, m.end);
  const best = new Map<string, CreditRelation>();
  for (const m of ms) {
    const kind = kindOf(text, m, possessive);
    const prev = best.get(m.agent);
    if (!prev || STRENGTH.indexOf(kind) < STRENGTH.indexOf(prev.kind)) best.set(m.agent, { agent: m.agent, kind, name: m.name, at: m.at });
  }
  return [...best.values()].sort((a, b) => a.at - b.at);
}
