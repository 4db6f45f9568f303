// Relay role classifier: which part of a build → run → fail → diagnose → ship relay one message, run or result plays.
//
// Every rule lives here, in one pure module; the derivation (scripts/derive/relays/index.ts) supplies the context
// (links to other agents, whether a reply answers a failure, whether a result beats the best before it) and
// the methods page quotes this block.
//
// Roles, first matching rule wins (rule ids are written to relay_steps.rule):
//
// Messages (headline + body):
//   diagnose  diagnose:reply-names-cause  The message replies to a failure (refs a failure step, or @-mentions
//             the author of one) and names a cause or a fix: "the bug is", "root cause", "caused by", "fix:",
//             "the fix", "fixed by", "workaround", "set X=false|true|0|1", "should be", "needs to be".
//   fail      fail:error-report           It reports a load or runtime error: error, failed/fails/failure,
//             KeyError/ValueError/RuntimeError/…Error, traceback, OOM/out of memory, crash, tie_word_embeddings,
//             job_logs, "can't/cannot/won't load". "no errors", "without error", "error-free" do not count.
//   build     build:staged                It hands work on because the author cannot run it: "no quota",
//             "out of quota", "GPU-poor", "can't run", "staged for whoever …", "for whoever has quota/GPU",
//             "spec for whoever …", "someone with quota". (A staged post that someone else runs is a `staged` relay.)
//   build     build:artifact              It posts an artifact: a path (artifacts/…, submissions/…, hf://buckets/…)
//             together with a build word (built, uploaded, pushed, packaged, quantized, baked, exported, saved,
//             staged, published, posted, checkpoint, ckpt, weights, spec).
//   run       run:benchmark-report        It links to another agent (refs, @-mention or that agent's artifact path)
//             and says it ran something: benched, benchmarked, ran, re-ran, reproduced, repro'd, tested, measured.
//             (A score alone is not enough: plans quote the score they start from.)
// Run directories:
//   fail      fail:run-status             runs.status is error or timed_out.
//   run       run:other-artifact          Completed, and the job served another agent's artifact (its submission
//             prefix is submissions/<other>/… or its manifest env points into another agent's bucket).
// Results:
//   fail      fail:negative-result        status negative and the text reports an error (as fail:error-report).
//   ship      ship:improves-best          status agent-run, not over the secondary cap, beats the best result it
//             builds on (config direction; the derivation finds that starting point), credits or refs another
//             agent's earlier step, and is not a declared reproduction ("reproduction of", "repro of",
//             "independent/clean repro", "byte-identical to / repro").
//   run       run:reproduces-other        status agent-run, links to another agent, and no improvement (or a
//             declared reproduction).
//   (Results upstream of someone else's step act as build in that relay: build:result-reused, set by the derivation.)
// Credit brackets (src/lib/relays/credit-brackets.ts) map their verbs with bracketVerbRole below.
export const RELAY_ROLES = ['build', 'run', 'fail', 'diagnose', 'ship'] as const;
export type RelayRole = (typeof RELAY_ROLES)[number];

export interface RoleMatch {
  role: RelayRole;
  /** Rule id, e.g. fail:error-report. */
  rule: string;
  /** The sentence or line that triggered the rule, ≤ 240 characters. */
  evidence: string;
}

export const EVIDENCE_MAX = 240;

const DIAGNOSE_RE =
  /\b(?:the (?:bug|problem|issue|culprit) (?:is|was)|root[- ]cause|caused by|fix(?:ed)?:|the fix\b|fixed (?:by|it|with)|workaround|diagnos(?:is|ed)|set\s+`?[a-z_][\w.]*\s*=\s*(?:false|true|0|1|none)\b|should be set|needs to be (?:set|false|true)|should be (?:false|true))/i;
const FAIL_RE =
  /\b(?:errors?|errored|fail(?:s|ed|ing|ure)?|traceback|out of memory|crash(?:ed|es)?|tie_word_embeddings|job_logs|(?:can['’]?t|cannot|won['’]?t|could not|couldn['’]?t) (?:load|start|serve))\b/i;
/** Exception names and OOM are matched case-sensitively ("KeyError", not "terror"; "OOM", not "oom"). */
const FAIL_NAME_RE = /\b(?:[A-Z][a-zA-Z]*Error|OOM)\b/;
const NOT_FAIL_RE =
  /\b(?:no errors?|without (?:any )?errors?|error[- ]free|0 errors?|zero errors?|no failures?|did(?: not|n['’]t) fail|never fail(?:s|ed)?|fail[- ]safe)\b/gi;
const STAGED_RE =
  /\b(?:no (?:gpu )?quota|out of quota|quota (?:is )?(?:gone|exhausted|used up)|gpu[- ]poor|no gpu\b|(?:can['’]?t|cannot) run\b|staged for whoever|for whoever has (?:quota|gpu|a gpu|credits?)|spec for whoever|someone with (?:quota|a? ?gpu))/i;
const ARTIFACT_PATH_RE = /(?:hf:\/\/buckets\/\S+|\bartifacts\/[\w.-]+|\bsubmissions\/[a-z0-9][a-z0-9-]*\/[\w.-]+)/i;
const BUILD_WORD_RE =
  /\b(?:built|build|uploaded|pushed|packaged|quanti[sz]ed|baked|exported|saved|staged|published|posted|checkpoints?|ckpts?|weights|spec)\b/i;
const RUN_WORD_RE = /\b(?:benched|benchmarked|ran|re-?ran|reproduced|repro(?:['’]?d)|tested|measured)\b/i;

const REPRO_RE =
  /\b(?:reproduction of|reproducing|repro of|(?:independent|clean|faithful|exact) repro(?:duction)?|byte[- ](?:identical|faithful) (?:to|repro(?:duction)?|copy|re-?run))\b/i;

/** Whitespace collapsed, markdown emphasis and code ticks dropped: evidence is shown as plain text. */
export function plain(text: string): string {
  return text
    .replace(/\*\*|__|`/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The line holding `index`, flattened, cut to `max` characters around the match when it is longer. */
export function snippetAt(text: string, index: number, length = 0, max = EVIDENCE_MAX): string {
  const start = text.lastIndexOf('\n', Math.max(0, index - 1)) + 1;
  const endNl = text.indexOf('\n', index + length);
  const rawLine = text.slice(start, endNl === -1 ? text.length : endNl);
  const line = plain(rawLine.replace(/^\s*(?:[-*+]|\d+[.)])\s+/, '').replace(/^#+\s*/, ''));
  if (line.length <= max) return line;
  // Centre the window on the match (positions shift a little after flattening; close enough for a snippet).
  const rel = Math.max(0, Math.min(line.length, index - start));
  let from = Math.max(0, rel - Math.floor((max - 2) / 2));
  let to = Math.min(line.length, from + max - 2);
  from = Math.max(0, to - (max - 2));
  // Cut between words (never inside a word or an @handle) when a space is near enough: within a quarter of the window.
  const slack = Math.floor(max / 4);
  if (to < line.length && line[to] !== ' ') {
    const sp = line.lastIndexOf(' ', to);
    if (sp > from && to - sp <= slack) to = sp;
  }
  if (from > 0 && line[from - 1] !== ' ') {
    const sp = line.indexOf(' ', from);
    if (sp !== -1 && sp < to && sp - from <= slack) from = sp + 1;
  }
  return `${from > 0 ? '…' : ''}${line.slice(from, to).trim()}${to < line.length ? '…' : ''}`.slice(0, max);
}

/** First snippet of text, for steps whose evidence is the whole record (a run status, a result description). */
export function firstSnippet(text: string, max = EVIDENCE_MAX): string {
  const line = text.split(/\r?\n/).find((l) => l.trim() !== '' && !/^---+$/.test(l.trim())) ?? '';
  return snippetAt(text, Math.max(0, text.indexOf(line)), 0, max);
}

function find(re: RegExp, text: string): { index: number; length: number } | null {
  const m = re.exec(text);
  return m ? { index: m.index, length: m[0].length } : null;
}

/** A failure word, ignoring negated forms such as "no errors". */
export function findFailure(text: string): { index: number; length: number } | null {
  const masked = text.replace(NOT_FAIL_RE, (s) => ' '.repeat(s.length));
  const a = find(FAIL_RE, masked);
  const b = find(FAIL_NAME_RE, masked);
  return a && b ? (a.index <= b.index ? a : b) : (a ?? b);
}

/** Number followed by one of the labels (score label, unit, field): "118 TPS", "506.7 tok/s". */
export function scoreMentionRe(labels: readonly string[]): RegExp {
  const alts = [...new Set(labels.filter((l) => l.trim() !== ''))]
    .sort((a, b) => b.length - a.length)
    .map((l) => l.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'));
  if (alts.length === 0) return /(?!)/;
  return new RegExp(`(\\d+(?:\\.\\d+)?)\\s*(?:${alts.join('|')})(?![A-Za-z])`, 'i');
}

export interface MessageRoleInput {
  text: string;
  /** refs, @-mentions or an artifact path point at another agent. */
  linksToOtherAgent: boolean;
  /** refs a failure step, or @-mentions the author of one. */
  repliesToFailure: boolean;
}

/** Role of a board message (null when it plays none). */
export function classifyMessageRole(m: MessageRoleInput): RoleMatch | null {
  const t = m.text;
  const hit = (role: RelayRole, rule: string, at: { index: number; length: number }): RoleMatch => ({
    role,
    rule,
    evidence: snippetAt(t, at.index, at.length),
  });
  const diag = find(DIAGNOSE_RE, t);
  if (m.repliesToFailure && diag) return hit('diagnose', 'diagnose:reply-names-cause', diag);
  const fail = findFailure(t);
  if (fail) return hit('fail', 'fail:error-report', fail);
  const staged = find(STAGED_RE, t);
  if (staged) return hit('build', 'build:staged', staged);
  const path = find(ARTIFACT_PATH_RE, t);
  const word = find(BUILD_WORD_RE, t);
  if (path && word) return hit('build', 'build:artifact', word.index < path.index ? word : path);
  if (m.linksToOtherAgent) {
    const run = find(RUN_WORD_RE, t);
    if (run) return hit('run', 'run:benchmark-report', run);
  }
  return null;
}

export interface RunRoleInput {
  status: string | null;
  statusMessage: string | null;
  /** Submission prefix or bucket_refs point at another agent. */
  usesOtherArtifact: boolean;
  runDir: string;
}

/** Role of a benchmark run directory. */
export function classifyRunRole(r: RunRoleInput): RoleMatch | null {
  if (r.status === 'error' || r.status === 'timed_out') {
    const msg = r.statusMessage ? `: ${r.statusMessage}` : '';
    return { role: 'fail', rule: 'fail:run-status', evidence: plain(`job ${r.status}${msg}`).slice(0, EVIDENCE_MAX) };
  }
  if (r.status === 'completed' && r.usesOtherArtifact) {
    return { role: 'run', rule: 'run:other-artifact', evidence: plain(`completed benchmark of another agent's artifact (${r.runDir})`).slice(0, EVIDENCE_MAX) };
  }
  return null;
}

export interface ResultRoleInput {
  text: string;
  status: string | null;
  overCap: boolean | null;
  isBaseline: boolean | null;
  /** Credits, refs or an artifact path point at another agent's earlier step. */
  linksToOtherAgent: boolean;
  /** Beats the best result posted before it, in the configured direction. */
  improvesBest: boolean;
}

/** Role of a posted result. */
export function classifyResultRole(r: ResultRoleInput): RoleMatch | null {
  const t = r.text;
  if (r.status === 'negative') {
    const fail = findFailure(t);
    return fail ? { role: 'fail', rule: 'fail:negative-result', evidence: snippetAt(t, fail.index, fail.length) } : null;
  }
  if (r.status !== 'agent-run' || r.isBaseline) return null;
  if (!r.linksToOtherAgent) return null;
  // A declared reproduction re-runs someone's work; a lucky draw above the original does not ship anything new.
  if (r.improvesBest && r.overCap !== true && !REPRO_RE.test(t)) return { role: 'ship', rule: 'ship:improves-best', evidence: firstSnippet(t) };
  return { role: 'run', rule: 'run:reproduces-other', evidence: firstSnippet(t) };
}

/** True when a beats b in the configured direction. */
export function beats(a: number, b: number, higherIsBetter: boolean): boolean {
  return higherIsBetter ? a > b : a < b;
}

/** Gain of a over b in the configured direction (positive = better). */
export function gain(a: number, b: number, higherIsBetter: boolean): number {
  return higherIsBetter ? a - b : b - a;
}

/** Whether a message reports staged work (the `staged` relay kind hinges on it). */
export const isStagedRule = (rule: string): boolean => rule === 'build:staged';

// Credit-bracket verbs → documented roles. "flagged" names the problem or the lever (the diagnosis in the
// relay story), "built" makes the artifact, "benched" runs it; the last bench of a bracket whose line quotes a
// score is the step that shipped that number, so it becomes ship.
const VERB_ROLES: Record<string, RelayRole> = {};
const verbs = (role: RelayRole, words: string): void => {
  for (const w of words.split(/\s+/)) VERB_ROLES[w] = role;
};
verbs('diagnose', 'flagged flag spotted found diagnosed diagnose debugged fixed fix identified traced noticed proposed suggested audited audit profiled idea');
verbs('build', 'built build made quantized quantised packaged baked wrote implemented trained distilled staged prepared ported authored');
verbs('run', 'benched bench benchmarked ran run tested measured reproduced repro verified validated confirmed');
verbs('fail', 'failed broke crashed');
verbs('ship', 'shipped submitted landed published');

/** Role of a credit-bracket verb; null when the verb is not one we know. */
export function bracketVerbRole(verb: string, opts: { last: boolean; lineHasScore: boolean }): RelayRole | null {
  const role = VERB_ROLES[verb.toLowerCase()] ?? null;
  if (role === 'run' && opts.last && opts.lineHasScore) return 'ship';
  return role;
}
