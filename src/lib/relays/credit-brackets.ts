// Credit brackets in shared documents: `[a flagged / b built / c benched]` (role credits) and `[a]` (plain credit).
//
// Grammar (one bracket): `[` part (sep part)* `]`, sep one of `/` `,` `;` `+` `&`, part = handle [verb],
// handle = agent-id charset (lower-case letters, digits, inner hyphens, 2–40 chars, not all digits),
// verb = one lower-case word. Not a bracket: markdown links `[x](url)` / `[x][ref]` / `[x]: url`, images,
// anything inside inline code or fenced code, checkboxes `[ ]`/`[x]`, labels such as `[S]` or `[--json]`.
// A bracket is multi-role when two or more parts carry a verb we can map to a role (roles.ts,
// bracketVerbRole); only those make relays. The score the line quotes (number + score label/unit, last one
// before the bracket) is the relay's outcome; the best score quoted on earlier lines of the same section
// (the previous levers of a cumulative recipe) is what it gained over.
import { beats, bracketVerbRole, EVIDENCE_MAX, plain, scoreMentionRe, type RelayRole } from './roles.ts';

export interface CreditPart {
  agent: string;
  /** The verb as written (flagged, built, benched), null for a plain credit. */
  verb: string | null;
  /** Documented role of the verb, null for a plain credit or an unknown verb. */
  role: RelayRole | null;
}

export interface CreditBracket {
  /** The bracket as written, brackets included. */
  raw: string;
  parts: CreditPart[];
  /** 1-based line number in the document. */
  line: number;
  /** The lever line as plain text, ≤ 240 characters (head … tail around the bracket when longer). */
  evidence: string;
  /** Two or more parts with a known role verb. */
  multiRole: boolean;
  /** Score the line quotes before the bracket (e.g. 118 from "~118 TPS"), null when none. */
  score: number | null;
  /** Best score quoted on earlier lines of the same section, null when none. */
  previousBest: number | null;
  /** First bold phrase of the line, e.g. "Untie + int4 the lm_head". */
  title: string | null;
}

const HANDLE = '[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])';
const PART_RE = new RegExp(`^(${HANDLE})(?:\\s+([a-z]+))?$`);
const BRACKET_RE = /(?<![!\]\w])\[([^[\]\n]{2,200})\](?![([:])/g;
const SEP_RE = /\s*(?:\/|,|;|\+|&)\s*/;

/** Parts of a bracket body, or null when it is not a credit bracket. */
export function parseBracketBody(body: string): { agent: string; verb: string | null }[] | null {
  const raw = body.trim().split(SEP_RE);
  const parts: { agent: string; verb: string | null }[] = [];
  for (const p of raw) {
    const m = PART_RE.exec(p.trim());
    if (!m) return null;
    const agent = m[1]!;
    if (/^\d+$/.test(agent)) return null;
    parts.push({ agent, verb: m[2] ?? null });
  }
  return parts.length ? parts : null;
}

/** Inline code spans and fenced blocks blanked out (same length, so offsets and lines stay put). */
function maskCode(text: string): string {
  const blank = (s: string): string => s.replace(/[^\n]/g, ' ');
  return text.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, blank).replace(/`[^`\n]*`/g, blank);
}

/** Lever line for evidence: whole when short, else its head and the tail that holds the score and bracket. */
export function leverEvidence(line: string, max = EVIDENCE_MAX): string {
  const flat = plain(line.replace(/^\s*(?:[-*+]|\d+[.)])\s+/, ''));
  if (flat.length <= max) return flat;
  const sep = ' … ';
  const tailBudget = Math.floor((max - sep.length) * 0.55);
  // Start the tail at a sentence start when one fits, else at a word boundary.
  let tailStart = flat.length - tailBudget;
  const sentence = flat.slice(tailStart).search(/(?<=[.;:] )\S/);
  tailStart = sentence >= 0 && sentence < tailBudget / 2 ? tailStart + sentence : flat.indexOf(' ', tailStart) + 1 || tailStart;
  const tail = flat.slice(tailStart);
  const headBudget = max - sep.length - tail.length;
  let head = flat.slice(0, headBudget);
  const cut = head.lastIndexOf(' ');
  if (cut > headBudget / 2) head = head.slice(0, cut);
  return `${head.trimEnd()}${sep}${tail}`.slice(0, max);
}

export interface ParseOptions {
  /** Score label, unit and field (from the configuration) for reading quoted scores. */
  scoreLabels: readonly string[];
  higherIsBetter: boolean;
}

/** Every credit bracket in a markdown text, in reading order. */
export function parseCreditBrackets(text: string, opts: ParseOptions): CreditBracket[] {
  const masked = maskCode(text);
  const lines = text.split('\n');
  const maskedLines = masked.split('\n');
  const scoreRe = new RegExp(scoreMentionRe(opts.scoreLabels).source, 'gi');
  const out: CreditBracket[] = [];
  let sectionBest: number | null = null;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const mline = maskedLines[i] ?? '';
    // A heading starts a new section; its own numbers (e.g. a noise band) are not lever scores.
    const heading = /^#{1,6}\s/.test(line);
    if (heading) sectionBest = null;
    // Scores are read from the real text (code spans may hold them), brackets from the masked one.
    const scores = [...line.matchAll(scoreRe)].map((m) => ({ at: m.index, v: Number.parseFloat(m[1]!) }));
    for (const m of mline.matchAll(BRACKET_RE)) {
      if (/^\s*[-*+]\s*$/.test(mline.slice(0, m.index)) && /^[ xX]$/.test(m[1]!)) continue;
      const parts = parseBracketBody(m[1]!);
      if (!parts) continue;
      const before = scores.filter((s) => s.at < m.index);
      const score = before.length ? before[before.length - 1]!.v : null;
      const withVerb = parts.filter((p) => p.verb !== null);
      const typed: CreditPart[] = parts.map((p, k) => ({
        agent: p.agent,
        verb: p.verb,
        role: p.verb ? bracketVerbRole(p.verb, { last: k === parts.length - 1, lineHasScore: score !== null }) : null,
      }));
      out.push({
        raw: `[${m[1]!}]`,
        parts: typed,
        line: i + 1,
        evidence: leverEvidence(line),
        multiRole: withVerb.length >= 2 && typed.filter((p) => p.role !== null).length >= 2,
        score,
        previousBest: sectionBest,
        title: ((t) => (t ? plain(t) : null))(/\*\*([^*]+)\*\*/.exec(line)?.[1]),
      });
    }
    if (!heading) for (const s of scores) if (sectionBest === null || beats(s.v, sectionBest, opts.higherIsBetter)) sectionBest = s.v;
  }
  return out;
}
