// Wires everyday chatter: replies point at earlier messages or results (threads several deep), plans, questions, errors, status posts.
import type { AgentPicker } from './agents.ts';
import { ERRORS, errorBody, planBody, questionBody, replyBody, statusBody } from './chatter-bodies.ts';
import type { ChatterInput } from './chatter.ts';
import type { MessagePlan } from './plan.ts';
import { pickRefShape } from './plan.ts';
import { at, type Rng } from './rng.ts';
import { LEVERS } from './techniques.ts';
import { MINUTE, dayOf } from './time.ts';
import type { MsgSpec, ResultRec } from './types.ts';

/** First index in a sorted list whose value is >= t. */
function before(list: readonly number[], t: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (at(list, mid) < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** What a chatter post can point at: a recent result or a recent message, drawn near its time. */
class Targets {
  private readonly ordered: MsgSpec[];
  private readonly resultTimes: number[];
  private readonly specTimes: number[];

  constructor(
    private readonly rng: Rng,
    private readonly results: readonly ResultRec[],
    plan: MessagePlan,
  ) {
    this.ordered = plan.specs.slice().sort((a, b) => a.ms - b.ms || a.seq - b.seq);
    this.resultTimes = results.map((r) => r.ms);
    this.specTimes = this.ordered.map((s) => s.ms);
  }

  recentResult(t: number): ResultRec | null {
    const k = before(this.resultTimes, t);
    if (!k) return null;
    return at(this.results, Math.max(0, k - 1 - Math.floor(Math.abs(this.rng.normal(0, 25)))));
  }

  recentMessage(t: number, self: MsgSpec): MsgSpec | null {
    const k = before(this.specTimes, t - MINUTE);
    if (!k) return null;
    const cand = at(this.ordered, Math.max(0, k - 1 - Math.floor(Math.abs(this.rng.normal(0, 30)))));
    return cand === self || cand.inboxOnly ? null : cand;
  }
}

interface Wiring {
  rng: Rng;
  input: ChatterInput;
  targets: Targets;
  posters: AgentPicker;
  emailDecoys: MsgSpec[];
}

/** Give chatter its refs and bodies; a reply with nothing to point at becomes a status post. */
export function wireChatter(rng: Rng, input: ChatterInput, plan: MessagePlan, chatter: MsgSpec[], emailDecoys: MsgSpec[], posters: AgentPicker): void {
  const w: Wiring = { rng, input, targets: new Targets(rng, input.results, plan), posters, emailDecoys };
  for (const s of chatter) {
    if (s.kind === 'reply' && wireReply(w, s)) continue;
    if (s.kind === 'plan') wirePlan(w, s);
    else if (s.kind === 'question') wireQuestion(w, s);
    else if (s.kind === 'error') wireError(w, s);
    else wireStatus(w, s);
  }
}

/** One or two targets; false (and the post turns into a status) when there is none. */
function wireReply(w: Wiring, s: MsgSpec): boolean {
  const { rng, targets: find } = w;
  const t = s.ms;
  const targets: Array<ResultRec | MsgSpec> = [];
  const first = rng.chance(0.3) ? find.recentResult(t) : find.recentMessage(t, s);
  if (first) targets.push(first);
  if (first && rng.chance(0.12)) {
    const second = find.recentMessage(t, s);
    if (second && second !== first) targets.push(second);
  }
  if (!targets.length) {
    s.kind = 'status';
    return false;
  }
  s.refs = targets;
  s.refShape = pickRefShape(rng, targets.length);
  const mention = rng.chance(0.5);
  s.body = (ctx) => replyBody(ctx, targets, mention);
  return true;
}

function wirePlan(w: Wiring, s: MsgSpec): void {
  const rng = w.rng;
  const base = w.targets.recentResult(s.ms);
  const fresh = LEVERS.filter((l) => !base?.tokens.includes(l.token));
  const tok = rng.pick(fresh.length ? fresh : LEVERS);
  if (base && rng.chance(0.4)) {
    s.refs = [base];
    s.refShape = pickRefShape(rng, 1);
  }
  s.body = (ctx) => planBody(ctx, base, tok.token);
}

function wireQuestion(w: Wiring, s: MsgSpec): void {
  const rng = w.rng;
  const t = s.ms;
  const base = rng.chance(0.3) ? w.targets.recentResult(t) : null;
  if (base) {
    s.refs = [base];
    s.refShape = pickRefShape(rng, 1);
  }
  const other = w.posters.pick(rng, t, new Set([s.agent.id]));
  const r = rng.next();
  const who = r < 0.1 ? 'all' : r < 0.2 ? w.input.roster.organiser.id : other ? other.id : 'all';
  if (who === 'all') s.notes = ['at-all'];
  s.body = (ctx) => questionBody(ctx, who, base);
}

function wireError(w: Wiring, s: MsgSpec): void {
  const a = s.agent;
  const [cls, msg] = w.rng.pick(ERRORS);
  s.body = (ctx) => errorBody(ctx, a, cls, msg);
}

function wireStatus(w: Wiring, s: MsgSpec): void {
  const rng = w.rng;
  const a = s.agent;
  const decoy = rng.chance(0.03);
  if (decoy) {
    s.notes = ['email-decoy'];
    w.emailDecoys.push(s);
  }
  const noHeadline = rng.chance(0.05);
  if (noHeadline) s.notes = [...(s.notes ?? []), 'no-headline'];
  const day = dayOf(s.ms) + 1;
  s.body = (ctx) => statusBody(ctx, a, decoy, noHeadline, day);
}
