// Text conventions of board bodies: mentions, refs, quoted filenames and stamps, job ids, headlines, credits.
import { clip, flat as flatString } from './boundary.ts';
import { creditRelations } from './credit-phrases.ts';
import { baseName } from './names.ts';

/** @handle not preceded by a letter, digit or ._%+- (so `ops@team-a` is an email, not a mention). */
const MENTION_RE = /(?<![A-Za-z0-9._%+-])@([a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?)(?![a-z0-9_-])/g;
// Bounded repeats (agent ids are at most 40 characters, topics 120): an unbounded lazy topic let one hostile body of
// repeated '.<stamp>_a_' make every match attempt scan to its end (quadratic).
const QUOTED_FILE_RE = /(?<![\w-])(\d{8}-\d{6}(?:-\d{3})?_[a-z0-9][a-z0-9-]{0,39}(?:_[A-Za-z0-9._-]{1,120}?)?\.md)(?![\w-])/g;
const STAMP_RE = /(?<![\d-])(\d{8}-\d{6}-\d{3})(?![\d_-])/g;
/** channels/<name>/<file>.md or broadcasts/<file>.md, optionally with a leading slash stripped by the caller. */
const ROOM_PATH_RE = /^(?:channels\/[a-z0-9][a-z0-9-]{0,63}|broadcasts)\/[^/]+\.md$/;
const JOB_ID_RE = /(?<![0-9a-f])[0-9a-f]{24}(?![0-9a-f])/g;

const uniqSorted = (xs: Iterable<string>): string[] => [...new Set(xs)].sort();

/** @-mentions in order of first appearance, deduplicated. */
export function extractMentions(body: string): string[] {
  const out = new Set<string>();
  for (const m of body.matchAll(MENTION_RE)) out.add(m[1]!);
  return [...out];
}

/**
 * Normalise `refs`: absent, one filename, several in one string (space or comma separated), or a YAML list.
 * Keeps tokens ending in .md, strips folder prefixes (but keeps a channels/<name>/ or broadcasts/ path whole),
 * deduplicates in written order.
 */
export function normaliseRefs(value: unknown): string[] {
  const raw: string[] = [];
  const visit = (v: unknown): void => {
    if (typeof v === 'string') raw.push(...v.split(/[\s,]+/));
    else if (Array.isArray(v)) v.forEach(visit);
  };
  visit(value);
  const out: string[] = [];
  for (const t of raw) {
    const raw = t.trim().replace(/^[`'"]+|[`'"]+$/g, '');
    // A channel message or broadcast is named by its export path (the same file name can sit in two channels).
    const tok = ROOM_PATH_RE.test(raw) ? raw : baseName(raw);
    if (tok.endsWith('.md') && !out.includes(tok)) out.push(tok);
  }
  return out;
}

/** Filenames quoted in a body (`20260613-090759-237_frantic-penguin.md`). */
export function extractQuotedFilenames(body: string): string[] {
  return uniqSorted([...body.matchAll(QUOTED_FILE_RE)].map((m) => m[1]!));
}

/** Bare millisecond stamps (`frantic-penguin 20260613-090759-237`), resolved later against known filenames. */
export function extractStamps(body: string): string[] {
  return uniqSorted([...body.matchAll(STAMP_RE)].map((m) => m[1]!));
}

export function extractJobIds(text: string): string[] {
  return uniqSorted([...text.matchAll(JOB_ID_RE)].map((m) => m[0]));
}

/**
 * Known agents a text credits, as @mentions, plain names or short forms (credit-phrases.ts); the author is excluded,
 * and so is an agent the text only compares with ("beats X 504.02").
 */
export function extractCredits(text: string, known: ReadonlySet<string>, author: string | null, aliases?: ReadonlyMap<string, string>): string[] {
  return creditRelations(text, known, author, aliases)
    .filter((r) => r.kind !== 'comparison')
    .map((r) => r.agent)
    .sort();
}

/** The first `# heading` line, else the first line that is not blank (lines as split by /\r?\n/, read one by one). */
export function headlineOf(body: string): string | null {
  let first: string | undefined;
  let h: string | undefined;
  for (let start = 0; start <= body.length; ) {
    const nl = body.indexOf('\n', start);
    const end = nl < 0 ? body.length : nl;
    const line = body.slice(start, nl > start && body.charCodeAt(nl - 1) === 13 ? nl - 1 : end);
    if (HEADING_RE.test(line)) {
      h = line;
      break;
    }
    if (first === undefined && line.trim() !== '') first = line;
    if (nl < 0) break;
    start = nl + 1;
  }
  const line = h ?? first;
  if (line === undefined) return null;
  return clip(line.replace(/^#+\s*/, '').trim(), 200, '') || null;
}

const HEADING_RE = /^#\s+\S/;
const PARAGRAPH_BREAK_RE = /\r?\n\s*\r?\n/g;

/** The first paragraph (split by blank lines) that is not a heading or a rule, cut to 280 characters on one line. */
export function excerptOf(body: string): string | null {
  let p: string | undefined;
  // The paragraphs body.split(/\r?\n\s*\r?\n/) gives, one at a time, up to the first that counts.
  PARAGRAPH_BREAK_RE.lastIndex = 0;
  for (let start = 0; p === undefined; ) {
    const m = PARAGRAPH_BREAK_RE.exec(body);
    const piece = body.slice(start, m ? m.index : body.length).trim();
    if (piece !== '' && !piece.startsWith('#') && !/^---+$/.test(piece)) p = piece;
    if (!m) break;
    start = m.index + m[0].length;
    PARAGRAPH_BREAK_RE.lastIndex = start;
  }
  if (p === undefined) return null;
  const flat = p.replace(/\s+/g, ' ');
  return flatString(clip(flat, 280));
}

export interface Verdict {
  verdict: 'valid' | 'invalid' | 'unreproducible';
  result: string | null;
  reported: number | null;
  rerun: number | null;
  rerunSecondary: number | null;
}

const num = (s: string | undefined): number | null => {
  if (s === undefined) return null;
  const v = Number.parseFloat(s.replace(/[^\d.+-eE]/g, ''));
  return Number.isFinite(v) ? v : null;
};

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Parse a verifier verdict body: the header line, then the metric | value | check table, or a short
 * form that gives the re-run in parentheses, e.g. `**VERIFIED VALID** (126.46 TPS, PPL 2.0280)`.
 */
export function parseVerdict(body: string, scoreLabel: string, secondaryLabel: string): Verdict | null {
  let verdict: Verdict['verdict'] | null = null;
  if (/VERIFIED\s+VALID/i.test(body)) verdict = 'valid';
  else if (/\bINVALID\b/.test(body)) verdict = 'invalid';
  else if (/couldn['’]t reproduce|no runnable submission/i.test(body)) verdict = 'unreproducible';
  if (!verdict) return null;
  const result = /your result `([^`]+)`/i.exec(body)?.[1] ?? extractQuotedFilenames(body)[0] ?? null;
  let reported: number | null = null;
  let rerun: number | null = null;
  let rerunSecondary: number | null = null;
  const sec = secondaryLabel.toLowerCase();
  for (const line of body.split(/\r?\n/)) {
    const cells = line.split('|').map((c) => c.trim());
    if (cells.length < 3) continue;
    const label = (cells[1] ?? '').toLowerCase();
    const value = /-?\d+(?:\.\d+)?/.exec(cells[2] ?? '')?.[0];
    if (label.startsWith('reported')) reported = num(value);
    else if (label.startsWith('re-run') && label.includes(sec)) rerunSecondary = num(value);
    else if (label.startsWith('re-run')) rerun = num(value);
  }
  if (rerun === null) {
    const short = new RegExp(
      `\\((-?\\d+(?:\\.\\d+)?)\\s*${escapeRe(scoreLabel)}(?:,\\s*${escapeRe(secondaryLabel)}\\s*(-?\\d+(?:\\.\\d+)?))?\\)`,
      'i',
    ).exec(body);
    if (short) {
      rerun = num(short[1]);
      rerunSecondary = num(short[2]);
    }
  }
  return { verdict, result: result ? baseName(result) : null, reported, rerun, rerunSecondary };
}

/** Message kind from the body, with type and refs as hints. Rules are documented on the methods page. */
export function classifyMessage(opts: {
  body: string;
  headline: string | null;
  type: string | null;
  isVerifier: boolean;
  refsResult: boolean;
}): string {
  const { body, headline, type, isVerifier, refsResult } = opts;
  const h = (headline ?? '').toLowerCase();
  const t = (type ?? '').toLowerCase();
  if (isVerifier || t === 'verification' || /VERIFIED VALID|came back \*\*INVALID/.test(body)) return 'verdict';
  if (t === 'results-report' || refsResult || /\bresults?\b.*\b\d{2,4}(\.\d+)?\s*(tps|tok\/s)/i.test(h)) return 'results-report';
  if (/\btaskforce\b/i.test(h)) return 'taskforce';
  if (/\b(joining|hello|introduc|reporting for duty)\b/i.test(h)) return 'intro';
  if (/\b(error|failed|fails|traceback|crash|keyerror|oom)\b/i.test(h) || /Traceback \(most recent call last\)/.test(body)) {
    return 'error';
  }
  if (t === 'question' || h.endsWith('?')) return 'question';
  if (t === 'experiment-proposal' || /\b(plan|proposal|next steps|will try|trying)\b/i.test(h)) return 'plan';
  return 'other';
}
