// Episodes rules 2–4 and 6–8: the kinds found on the board (integrity, debugging, reversals, diagnoses).
import * as C from './cues.ts';
import { addressed, othersReplies, type BoardContext, type Msg } from './context.ts';
import { confidence, msgEvidence, plural, type Episode, type Evidence } from './episode.ts';

const resultEvidence = (ctx: BoardContext, m: Msg, role: string): Evidence[] =>
  (ctx.resultsOf.get(m.file) ?? []).map((r) => ({ file: `results/${r.filename}`, role, agent: r.agent, ts: r.ts, snippet: C.clip(r.description ?? r.method ?? r.filename) }));

/** Rule 2: off-platform request: a private channel named with an invitation to move there. */
export function offPlatform(ctx: BoardContext, m: Msg): Episode | null {
  if (!C.CHANNEL.test(m.text) || !C.MOVE.test(m.text)) return null;
  const replies = othersReplies(ctx, m);
  const refusals = replies.filter((r) => C.REFUSE.test(r.text));
  const ruled = replies.filter((r) => r.isHuman);
  if (replies.length === 0 && addressed(ctx, m).length === 0 && !/@all\b/.test(m.text)) return null;
  return {
    kind: 'off-platform-request', start: m.path, title: m.title, rule: 'offplatform:channel+move',
    confidence: confidence(0.45, [[replies.length > 0, 0.25], [refusals.length > 0, 0.2], [ruled.length > 0, 0.1]]),
    outcome: replies.length === 0 ? 'no reply on the board' : `${plural(refusals.length, 'refusal')} in ${plural(replies.length, 'reply', 'replies')}${ruled.length ? ', the organisers said to stay on the board' : ''}`,
    evidence: [msgEvidence(m, 'trigger', C.CHANNEL), ...replies.map((r) => msgEvidence(r, r.isHuman ? 'ruling' : 'response', C.REFUSE))],
  };
}

/** Rule 3: loophole report: a gameable rule, flagged for a ruling (or to an organiser), with its ruling. */
export function loophole(ctx: BoardContext, m: Msg): Episode | null {
  if (!C.GAMING.test(m.text)) return null;
  const toOrganiser = m.mentions.some((a) => ctx.organisers.has(a));
  if (!toOrganiser && !C.RULING_ASK.test(m.text)) return null;
  const replies = othersReplies(ctx, m);
  const rulings = replies.filter((r) => r.isHuman && C.RULED.test(r.text));
  const affected = resultEvidence(ctx, m, 'affected-result');
  const invalid = affected.filter((a) => (ctx.verdicts.get(a.file.slice(8)) ?? []).some((v) => v.verdict === 'invalid'));
  if (replies.length === 0 && affected.length === 0) return null;
  return {
    kind: 'loophole-report', start: m.path, title: m.title, rule: toOrganiser ? 'loophole:gaming+organiser' : 'loophole:gaming+ruling-ask',
    confidence: confidence(0.4, [[replies.length > 0, 0.2], [rulings.length > 0, 0.25], [affected.length > 0, 0.1], [toOrganiser, 0.05]]),
    outcome: [rulings.length ? 'ruled on by the organisers' : 'no ruling on the board', plural(replies.length, 'response'), affected.length ? `${plural(affected.length, 'result')} affected${invalid.length ? ` (${invalid.length} verified invalid)` : ''}` : ''].filter(Boolean).join('; '),
    evidence: [msgEvidence(m, 'trigger', C.GAMING), ...replies.map((r) => msgEvidence(r, rulings.includes(r) ? 'ruling' : 'response', C.RULED)), ...affected],
  };
}

/** Rule 4: overfitting warning: fitting the public evaluation, addressed to another agent, answered. */
export function overfitting(ctx: BoardContext, m: Msg): Episode | null {
  if (!C.OVERFIT.test(m.text)) return null;
  const targets = addressed(ctx, m);
  const replies = othersReplies(ctx, m);
  if (targets.length === 0 || replies.length === 0) return null;
  const byTarget = replies.filter((r) => targets.includes(r.agent));
  return {
    kind: 'overfitting-warning', start: m.path, title: m.title, rule: 'overfit:public-eval+addressed+reply',
    confidence: confidence(0.5, [[byTarget.length > 0, 0.25], [(ctx.resultsOf.get(m.file) ?? []).length > 0, 0.15], [replies.length > 1, 0.1]]),
    outcome: byTarget.length ? `answered by ${byTarget[0]!.agent}, the agent warned` : `${plural(replies.length, 'reply', 'replies')} from others`,
    evidence: [msgEvidence(m, 'trigger', C.OVERFIT), ...replies.map((r) => msgEvidence(r, 'response')), ...resultEvidence(ctx, m, 'affected-result')],
  };
}

/** Rules 6 and 8: a failure or anomaly answered by another agent with a fix (debugging) or a cause (diagnosis). */
export function debugOrDiagnosis(ctx: BoardContext, m: Msg): Episode | null {
  if (!C.FAILURE.test(m.text) && !C.ANOMALY.test(m.text)) return null;
  const replies = othersReplies(ctx, m);
  const fixes = replies.filter((r) => C.FIX.test(r.text) && !C.CLAIM.test(r.title));
  const causes = replies.filter((r) => !fixes.includes(r) && C.CAUSE.test(r.text));
  const first = fixes[0] ?? causes[0];
  if (!first) return null;
  const debug = fixes.length > 0;
  const confirmed = (ctx.replies.get(first.file) ?? []).some((r) => r.agent !== first.agent);
  const onFix = (ctx.replies.get(first.file) ?? []).filter((r) => r !== m && !replies.includes(r));
  const later = [...replies.filter((r) => r !== first), ...onFix].sort((a, b) => a.tms - b.tms);
  return {
    kind: debug ? 'cross-agent-debugging' : 'diagnosis', start: m.path, title: m.title,
    rule: debug ? 'debug:failure+others-fix' : 'diagnosis:anomaly+others-cause',
    confidence: confidence(0.5, [[first.mentions.includes(m.agent), 0.2], [confirmed, 0.2], [C.FAILURE.test(m.text) === debug, 0.1]]),
    outcome: `${debug ? 'fix' : 'cause'} posted by ${first.agent}${confirmed ? ', confirmed in a reply' : ''}`,
    evidence: [msgEvidence(m, 'trigger', debug ? C.FAILURE : C.ANOMALY), msgEvidence(first, debug ? 'fix' : 'diagnosis', debug ? C.FIX : C.CAUSE), ...later.map((r) => msgEvidence(r, 'response'))],
  };
}

/** Rule 7: reversal: a named claim about a limit, refuted by another agent's reply (and the result it cites). */
export function reversal(ctx: BoardContext, m: Msg): Episode | null {
  if (!C.CLAIM.test(m.text)) return null;
  const refutations = othersReplies(ctx, m).filter((r) => C.REFUTE.test(r.text) && !C.AGREE.test(r.text));
  const first = refutations[0];
  if (!first) return null;
  const broke = resultEvidence(ctx, first, 'affected-result');
  return {
    kind: 'reversal', start: m.path, title: m.title, rule: 'reversal:claim+refuting-reply',
    confidence: confidence(0.5, [[broke.length > 0, 0.25], [first.mentions.includes(m.agent), 0.15], [C.CLAIM.test(m.title), 0.1]]),
    outcome: `refuted by ${first.agent}${broke.length ? ` with ${plural(broke.length, 'result')}` : ''}`,
    evidence: [msgEvidence(m, 'claim', C.CLAIM), ...refutations.map((r) => msgEvidence(r, 'refutation', C.REFUTE)), ...broke],
  };
}

/** Rule 5 (board part): an offer or request of compute, taken up by another agent. */
export function computeOffer(ctx: BoardContext, m: Msg): Episode | null {
  if (!C.COMPUTE.test(m.text) || !C.RUN_FOR.test(m.text)) return null;
  const replies = othersReplies(ctx, m);
  if (replies.length === 0) return null;
  const ran = replies.filter((r) => C.RUN_FOR.test(r.text) || C.COMPUTE.test(r.text));
  const thread = [...replies, ...replies.flatMap((r) => ctx.replies.get(r.file) ?? [])].filter((r, i, a) => a.indexOf(r) === i && r !== m);
  return {
    kind: 'compute-sharing', start: m.path, title: m.title, rule: 'compute:offer-or-staged+taken-up',
    confidence: confidence(0.5, [[ran.length > 0, 0.3], [replies.length > 1, 0.1], [addressed(ctx, m).length > 0, 0.1]]),
    outcome: ran.length ? `taken up by ${[...new Set(ran.map((r) => r.agent))].join(', ')}` : `${plural(replies.length, 'reply', 'replies')}`,
    evidence: [msgEvidence(m, 'trigger', C.COMPUTE), ...thread.sort((a, b) => a.tms - b.tms).map((r) => msgEvidence(r, ran.includes(r) ? 'run' : 'response', C.RUN_FOR))],
  };
}
