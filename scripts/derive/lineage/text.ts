// Lineage text helpers: evidence snippets and how a child's text names a credited agent (rules 1–3).
import type { ResultRow } from '../../../src/lib/schema/core.ts';
import { EVIDENCE_MAX } from './candidates.ts';
import type { PickMode } from './graph.ts';

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
export const textOf = (r: ResultRow): string => `${r.description ?? ''}\n${r.body_md ?? ''}`;

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
