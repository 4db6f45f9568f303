// Score and secondary metric of a result, recovered from its frontmatter, its text and the run records it links to, each with its source.
//
// RULES. The words looked for come from the collaboration config (score_label / score_field / unit, secondary_label /
// secondary_field), never from a fixed list of metrics.
// 1. A value written in the frontmatter (or the leaderboard row that copies it) wins: source `frontmatter`.
// 2. Else the first value the description states, then the body (`description`, `body`):
//    - "LABEL 2.3813", "LABEL: 2.38", "LABEL=2.38"; "LABEL 2.0021 -> 2.0776" gives the value after the arrow (a change
//      from the parent to this result);
//    - "2.3683 LABEL" (also "506.74 tok/s" with the unit), unless the number is a difference: signed (+0.82, −4.65),
//      approximate (~1.7), after "by" or "within", or followed by over/under/behind/vs… ("0.74 TPS behind");
//    - for the secondary only, "412.96 / 2.3806" without labels, when the first number is the result's score as
//      posted (rounded): the pair is "score / secondary";
//    never a bound ("<= cap 2.4151", "LABEL within cap (<= 2.4151)") or a percentage.
// 3. Else a run the result links to (`run`): a run whose job id or run name the text quotes, or whose directory an
//    artifacts path names, takes precedence; failing those, the runs of the result's submission prefix (its own
//    agent's) and of its agent whose score rounds to the posted one and that were not launched after it. The run
//    whose score matches the posted one is preferred; an ambiguous choice (two matching runs that disagree) gives none.
// CONFLICTS. Every other source that states a value is compared with the kept one at the precision it was written
// (half a unit in its last decimal); a disagreement is listed in value_conflicts, never averaged.
import type { CollabConfig } from '../../src/lib/config.ts';
import type { RunRow } from '../../src/lib/schema/core.ts';

export type ValueSource = 'frontmatter' | 'description' | 'body' | 'run';

/** How a metric is written: its label (TPS), field name (tps) and, for the score, its unit (tok/s). */
export interface MetricWords {
  label: string;
  field: string;
  unit?: string | null;
}

export interface StatedValue {
  value: number;
  /** Decimals as written (the precision to compare at). */
  decimals: number;
  /** The matched text, e.g. "PPL 2.3813". */
  snippet: string;
}

const NUM = String.raw`(\d+(?:\.\d+)?)`;
const NUM_START = String.raw`(?<![\w.])`;
const NUM_END = String.raw`(?![\w]|\.\d)(?!\s*%)`;
const ARROW = String.raw`\s*(?:->|→|=>)\s*`;
const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** Words after a number that make it a difference, not a value ("0.74 TPS behind", "+1.17 TPS over"). */
const DELTA_AFTER_RE = /^\s*(?:over|under|behind|ahead|above|below|vs\.?|versus|better|worse|faster|slower|short|gain|improvement|lower|higher|less|more|up|down|off)\b/i;
/** Just before a number: a sign, ~, ±, Δ, or the words by / within / of (a difference or a bound). */
const DELTA_BEFORE_RE = /(?:[+\-−~±Δ≈<>≤≥]\s*|\b(?:by|within|cap|threshold|margin)\s+)$/i;

const decimalsOf = (s: string): number => (s.includes('.') ? s.length - s.indexOf('.') - 1 : 0);

/** Decimals a number was posted with: as written for short ones, exact for full floats. */
export function postedDecimals(v: number): number {
  const s = String(v);
  if (/e/i.test(s)) return 12;
  const d = decimalsOf(s);
  return d >= 6 ? 12 : d;
}

/** True when two values agree at the coarser of the two precisions (half a unit in its last decimal). */
export function agrees(a: number, aDecimals: number, b: number, bDecimals: number): boolean {
  const d = Math.min(aDecimals, bDecimals);
  return Math.abs(a - b) <= 0.5 * 10 ** -d + 1e-9;
}

function labelAlternatives(w: MetricWords, withUnit: boolean): string {
  const words = [w.label, w.field].filter((x) => x.trim().length > 0);
  const alts = words.map((x) => `(?<![A-Za-z0-9_])${escapeRe(x.trim())}(?![A-Za-z0-9_])`);
  // A unit is a label only after a number and only when it cannot be an ordinary word ("tok/s", not "s").
  if (withUnit && w.unit && w.unit.trim().length >= 3) alts.push(`(?<![A-Za-z0-9_])${escapeRe(w.unit.trim())}(?![A-Za-z0-9_])`);
  return `(?:${[...new Set(alts)].join('|')})`;
}

const PAIR_RE = new RegExp(`${NUM_START}(\\d+\\.\\d+)\\s*/\\s*(\\d+\\.\\d+)${NUM_END}`, 'g');
const metricPatternCache = new Map<string, { labelFirst: RegExp; numberFirst: RegExp }>();

/** The label-first and number-first patterns of a metric, made once per metric (matchAll copies a pattern per use). */
function metricPatterns(w: MetricWords): { labelFirst: RegExp; numberFirst: RegExp } {
  const key = JSON.stringify([w.label, w.field, w.unit ?? null]);
  let p = metricPatternCache.get(key);
  if (!p) {
    p = {
      labelFirst: new RegExp(`${labelAlternatives(w, false)}\\s*(?:[:=]\\s*)?${NUM_START}${NUM}${NUM_END}(?:${ARROW}${NUM}${NUM_END})?`, 'gi'),
      numberFirst: new RegExp(`${NUM_START}${NUM}\\s*${labelAlternatives(w, true)}`, 'gi'),
    };
    metricPatternCache.set(key, p);
  }
  return p;
}

/**
 * The first value of the metric `w` that `text` states (rules at the top). `score`, when given, lets the unlabelled
 * "score / value" pair count (use it for the secondary metric only).
 */
export function statedValue(text: string | null | undefined, w: MetricWords, score: number | null = null): StatedValue | null {
  if (!text) return null;
  const found: (StatedValue & { at: number })[] = [];
  const { labelFirst, numberFirst } = metricPatterns(w);
  for (const m of text.matchAll(labelFirst)) {
    const raw = m[2] ?? m[1]!;
    found.push({ value: Number(raw), decimals: decimalsOf(raw), snippet: m[0], at: m.index! });
  }
  for (const m of text.matchAll(numberFirst)) {
    const before = text.slice(Math.max(0, m.index! - 12), m.index!);
    const after = text.slice(m.index! + m[0].length, m.index! + m[0].length + 14);
    if (DELTA_BEFORE_RE.test(before) || DELTA_AFTER_RE.test(after)) continue;
    found.push({ value: Number(m[1]), decimals: decimalsOf(m[1]!), snippet: m[0], at: m.index! });
  }
  if (score !== null && Number.isFinite(score)) {
    for (const m of text.matchAll(PAIR_RE)) {
      if (DELTA_BEFORE_RE.test(text.slice(Math.max(0, m.index! - 12), m.index!))) continue;
      if (!agrees(Number(m[1]), decimalsOf(m[1]!), score, postedDecimals(score))) continue;
      found.push({ value: Number(m[2]), decimals: decimalsOf(m[2]!), snippet: m[0], at: m.index! });
    }
  }
  found.sort((a, b) => a.at - b.at);
  const first = found.find((f) => Number.isFinite(f.value));
  return first ? { value: first.value, decimals: first.decimals, snippet: first.snippet } : null;
}

/** A run a result links to, and how. */
export interface RunLink {
  run: RunRow;
  how: string;
  /** Quoted job id, quoted run name or an artifacts path naming the run dir: the run is this result's own. */
  direct: boolean;
}

export interface ResultRunKeys {
  agent: string | null;
  ts: string | null;
  score: number | null;
  job_ids: readonly string[] | null;
  submission_prefix: string | null;
  artifacts: readonly string[] | null;
  /** Description and body: run names are looked for here. */
  text: string;
}

const isAlnum = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 48 && c <= 57);
const isNameChar = (c: number): boolean => isAlnum(c) || c === 95 || c === 46 || c === 45; // a-z 0-9 _ . -

/**
 * The tokens of lowercased text that can be run names, in order: what /[a-z0-9][a-z0-9_.-]*[a-z0-9]/g matches (each
 * longest run of [a-z0-9_.-] without its leading and trailing _ . -), kept only when at least 8 long and holding a
 * '-', as every indexed run name does. One pass over the characters: no match object per word.
 */
export function runNamesIn(text: string): string[] {
  const out: string[] = [];
  const n = text.length;
  for (let i = 0; i < n; ) {
    if (!isNameChar(text.charCodeAt(i))) {
      i++;
      continue;
    }
    let end = i;
    while (end < n && isNameChar(text.charCodeAt(end))) end++;
    let a = i;
    let b = end;
    while (a < b && !isAlnum(text.charCodeAt(a))) a++;
    while (b > a && !isAlnum(text.charCodeAt(b - 1))) b--;
    if (b - a >= 8) {
      const dash = text.indexOf('-', a);
      if (dash >= 0 && dash < b) out.push(text.slice(a, b));
    }
    i = end;
  }
  return out;
}

/** Canonical runs indexed for joining results to them. */
export class RunIndex {
  private readonly byJob = new Map<string, RunRow>();
  private readonly byName = new Map<string, RunRow>();
  private readonly byPrefix = new Map<string, RunRow[]>();
  private readonly byAgent = new Map<string, RunRow[]>();

  constructor(runs: readonly RunRow[]) {
    for (const r of runs) {
      if (r.duplicate_of !== null) continue;
      if (r.job_id) this.byJob.set(r.job_id, r);
      // Generic leaf names (run1, eval2) say nothing when quoted; a run name must look like a name.
      if (r.run_name && r.run_name.length >= 8 && r.run_name.includes('-')) this.byName.set(r.run_name.toLowerCase(), r);
      if (r.submission_prefix) (this.byPrefix.get(r.submission_prefix) ?? this.byPrefix.set(r.submission_prefix, []).get(r.submission_prefix)!).push(r);
      if (r.agent) (this.byAgent.get(r.agent) ?? this.byAgent.set(r.agent, []).get(r.agent)!).push(r);
    }
  }

  get size(): number {
    return this.byJob.size + this.byAgent.size + this.byPrefix.size;
  }

  /** Runs of one result (rule 3 at the top), direct links first. */
  linksOf(k: ResultRunKeys): RunLink[] {
    const out = new Map<RunRow, RunLink>();
    const add = (run: RunRow | undefined, how: string, direct: boolean): void => {
      if (run && !out.has(run)) out.set(run, { run, how, direct });
    };
    for (const j of k.job_ids ?? []) add(this.byJob.get(j), `job ${j}`, true);
    if (this.byName.size && k.text) for (const name of runNamesIn(k.text.toLowerCase())) add(this.byName.get(name), `run name ${name}`, true);
    for (const p of k.artifacts ?? []) for (const seg of p.split('/')) add(this.byName.get(seg.toLowerCase()), `artifacts path ${p}`, true);
    if (k.score !== null) {
      const dec = postedDecimals(k.score);
      const t = k.ts ? Date.parse(k.ts) : Number.NaN;
      const matches = (r: RunRow): boolean => {
        if (r.score === null || !agrees(r.score, 12, k.score!, dec)) return false;
        const launched = r.created_at ? Date.parse(r.created_at) : r.finished_at ? Date.parse(r.finished_at) : Number.NaN;
        return !(Number.isFinite(t) && Number.isFinite(launched) && launched > t);
      };
      const own = k.submission_prefix ? (this.byPrefix.get(k.submission_prefix) ?? []).filter((r) => r.agent === k.agent) : [];
      for (const r of own) if (matches(r)) add(r, `submission prefix ${k.submission_prefix}, score ${r.score} ≈ ${k.score}`, false);
      if (![...out.values()].some((l) => !l.direct) && k.agent) {
        const hits = (this.byAgent.get(k.agent) ?? []).filter(matches);
        if (hits.length === 1) add(hits[0], `score ${hits[0]!.score} ≈ ${k.score}`, false);
      }
    }
    return [...out.values()];
  }
}

export interface RecoveredValues {
  score: number | null;
  score_source: ValueSource | null;
  score_evidence: string | null;
  secondary: number | null;
  secondary_source: ValueSource | null;
  secondary_evidence: string | null;
  value_conflicts: string[];
}

interface Candidate {
  source: ValueSource;
  value: number;
  decimals: number;
  evidence: string;
}

/** The value a run gives for a metric: the score-matching direct run, else any direct run, else a score-matched one. */
function fromRuns(links: readonly RunLink[], pick: (r: RunRow) => number | null, score: number | null): Candidate | null {
  const cands = links.filter((l) => pick(l.run) !== null);
  if (!cands.length) return null;
  const matching = (l: RunLink): boolean => score !== null && l.run.score !== null && agrees(l.run.score, 12, score, postedDecimals(score));
  const direct = cands.filter((l) => l.direct);
  const pool = direct.filter(matching).length ? direct.filter(matching) : direct.length ? direct : cands.filter(matching);
  if (!pool.length) return null;
  const values = new Set(pool.map((l) => pick(l.run)));
  if (values.size > 1) return null;
  const l = pool[0]!;
  return { source: 'run', value: pick(l.run)!, decimals: 12, evidence: `${l.run.run_dir} (${l.how})` };
}

const show = (c: Candidate): string => `${c.source} ${c.decimals >= 12 ? String(Math.round(c.value * 1e6) / 1e6) : c.value.toFixed(c.decimals)}`;

function settle(label: string, cands: (Candidate | null)[]): { kept: Candidate | null; conflicts: string[] } {
  const list = cands.filter((c): c is Candidate => c !== null);
  const kept = list[0] ?? null;
  const conflicts: string[] = [];
  if (kept) {
    for (const c of list.slice(1)) {
      if (!agrees(kept.value, kept.decimals, c.value, c.decimals)) conflicts.push(`${label}: ${show(kept)} vs ${show(c)}${c.source === 'run' ? ` (${c.evidence})` : ''}`);
    }
  }
  return { kept, conflicts };
}

export interface RecoverInput {
  /** Values from the frontmatter or the leaderboard row (null when absent). */
  score: number | null;
  secondary: number | null;
  description: string | null;
  body: string | null;
  runs: readonly RunLink[];
}

/** Score and secondary with their sources and conflicts (rules at the top). Pure. */
export function recoverValues(input: RecoverInput, config: Pick<CollabConfig, 'score_field' | 'score_label' | 'unit' | 'secondary_field' | 'secondary_label'>): RecoveredValues {
  const scoreWords: MetricWords = { label: config.score_label, field: config.score_field, unit: config.unit };
  const fm = (v: number | null, what: string): Candidate | null =>
    v === null ? null : { source: 'frontmatter', value: v, decimals: postedDecimals(v), evidence: what };
  const stated = (source: 'description' | 'body', text: string | null, w: MetricWords, score: number | null): Candidate | null => {
    const s = statedValue(text, w, score);
    return s ? { source, value: s.value, decimals: s.decimals, evidence: s.snippet } : null;
  };
  const sc = settle(config.score_label, [
    fm(input.score, config.score_field),
    stated('description', input.description, scoreWords, null),
    stated('body', input.body, scoreWords, null),
    fromRuns(input.runs, (r) => r.score, input.score),
  ]);
  const score = sc.kept?.value ?? null;
  let sec: { kept: Candidate | null; conflicts: string[] } = { kept: null, conflicts: [] };
  if (config.secondary_field) {
    const w: MetricWords = { label: config.secondary_label, field: config.secondary_field };
    sec = settle(config.secondary_label, [
      fm(input.secondary, config.secondary_field),
      stated('description', input.description, w, score),
      stated('body', input.body, w, score),
      fromRuns(input.runs, (r) => r.secondary, score),
    ]);
  }
  const evidence = (c: Candidate | null): string | null => (c && c.source !== 'frontmatter' ? c.evidence : null);
  return {
    score,
    score_source: sc.kept?.source ?? null,
    score_evidence: evidence(sc.kept),
    secondary: sec.kept?.value ?? null,
    secondary_source: sec.kept?.source ?? null,
    secondary_evidence: evidence(sec.kept),
    value_conflicts: [...sc.conflicts, ...sec.conflicts],
  };
}
