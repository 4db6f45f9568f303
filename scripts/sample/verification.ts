// The verifier: SOTA claims re-run on the private set, verdict messages, and the verification index.
import type { Roster } from './agents.ts';
import type { MessagePlan } from './plan.ts';
import type { Rng } from './rng.ts';
import { PPL_CAP } from './techniques.ts';
import { DAY, END_MS, HOUR, MINUTE, START_MS } from './time.ts';
import type { BodyContext, MsgSpec, ResultRec, ScoreMode } from './types.ts';

export interface Verdict {
  result: ResultRec;
  spec: MsgSpec;
  verdict: 'valid' | 'invalid' | 'unreproducible';
  form: 'table' | 'short';
  reported: number;
  rerun: number | null;
  rerunPpl: number | null;
  deltaPct: number | null;
}

/** Hand-written, table-less verdicts before the verifier was automated. */
const AUTOMATED_FROM = START_MS + 2 * DAY;
const TOLERANCE = 0.05;

const fmt = (x: number, d = 2): string => x.toFixed(d);

type QueueState = 'valid' | 'invalid' | 'pending';

export function runVerifier(rng: Rng, roster: Roster, results: readonly ResultRec[], plan: MessagePlan, mode: ScoreMode): Verdict[] {
  for (const r of results) if (r.status === 'baseline' && r.tokens[0] === 'vllm') r.verification = 'valid';
  const verifier = new Verifier(rng, roster, plan, mode, results.find((r) => r.status === 'baseline' && r.tokens[0] === 'vllm')?.tps ?? 0);
  for (const r of results) verifier.consider(r);
  return verifier.finish();
}

/** The verifier's state as results arrive: the champion, the standing claim, and verdicts not yet issued. */
class Verifier {
  readonly verdicts: Verdict[] = [];
  private readonly claims: ResultRec[] = [];
  private readonly queue: Array<{ ms: number; r: ResultRec; state: QueueState }> = [];
  /** Highest score still standing on the board (claims not yet invalidated): a new claim must beat it. */
  private standing: number;
  /** Guarantee one "no runnable submission" case: a mid-collaboration claim without a bucket behind it. */
  private unreproduciblePlanted = false;

  constructor(
    private readonly rng: Rng,
    private readonly roster: Roster,
    private readonly plan: MessagePlan,
    private readonly mode: ScoreMode,
    private champion: number,
  ) {
    this.standing = champion;
  }

  /** A SOTA claim gets a verdict a few hours later: unreproducible without a submission, else valid or invalid. */
  consider(r: ResultRec): void {
    this.applyDue(r.ms);
    if (r.status !== 'agent-run' || r.malformed) return;
    if (!(r.tps > this.standing)) return;
    const ms = r.ms + Math.floor(this.rng.float(0.5, 6) * HOUR);
    if (ms > END_MS - 10 * MINUTE) return;
    this.claims.push(r);
    this.standing = r.tps;
    this.maybeDropSubmission(r);
    const v = r.submission ? this.rerun(r, ms) : this.unreproducible(r, ms);
    r.verdictMs = ms;
    this.verdicts.push(v);
    this.queue.push({ ms, r, state: v.verdict === 'unreproducible' ? 'pending' : v.verdict });
  }

  finish(): Verdict[] {
    for (const q of this.queue) q.r.verification = q.state;
    return this.verdicts;
  }

  /** Apply verdicts issued before ms (the champion moves only on VALID). */
  private applyDue(ms: number): void {
    const queue = this.queue;
    queue.sort((a, b) => a.ms - b.ms);
    while (queue.length && (queue[0]?.ms ?? Infinity) <= ms) {
      const q = queue.shift();
      if (!q) break;
      q.r.verification = q.state;
      if (q.state === 'valid') this.champion = Math.max(this.champion, q.r.tps);
      if (q.state === 'invalid') this.recompute();
      else this.standing = Math.max(this.standing, this.champion);
    }
  }

  private recompute(): void {
    this.standing = this.champion;
    for (const c of this.claims) if (c.verification !== 'invalid' && c.tps > this.standing) this.standing = c.tps;
  }

  /** The planted unreproducible claim: a plain mid-collaboration result loses its submission pointer. */
  private maybeDropSubmission(r: ResultRec): void {
    if (!this.unreproduciblePlanted && r.ms > START_MS + 2.2 * DAY && !r.runDir && !r.totalTpsMistake && !r.overCapClaim && !r.extraDescription.length) {
      r.submission = null;
      this.unreproduciblePlanted = true;
    }
  }

  private unreproducible(r: ResultRec, ms: number): Verdict {
    this.unreproduciblePlanted = true;
    const v: Verdict = { result: r, spec: null as unknown as MsgSpec, verdict: 'unreproducible', form: 'short', reported: r.tps, rerun: null, rerunPpl: null, deltaPct: null };
    v.spec = this.plan.add({
      ms,
      agent: this.roster.verifier,
      kind: 'verdict',
      refs: [r],
      refShape: 'list',
      body: (ctx) =>
        `@${r.agent.id} couldn't reproduce your result \`${ctx.name(r)}\`: no runnable submission could be located (no \`submission:\` URI, and \`artifacts:\` has no manifest.json + serve.py). It stays **pending** until the pointer is fixed.`,
    });
    return v;
  }

  /** Re-run on the private set: valid within 5 % and under the PPL cap; hand-written (short) before automation. */
  private rerun(r: ResultRec, ms: number): Verdict {
    const { rng, mode } = this;
    const rerun = r.tpsPrivate * (1 + rng.normal(0, 0.003));
    const rerunPpl = r.ppl + rng.normal(0.00005, 0.0001);
    const delta = (rerun - r.tps) / r.tps;
    const valid = Math.abs(delta) <= TOLERANCE && rerunPpl <= PPL_CAP;
    const v: Verdict = {
      result: r,
      spec: null as unknown as MsgSpec,
      verdict: valid ? 'valid' : 'invalid',
      form: ms < AUTOMATED_FROM ? 'short' : 'table',
      reported: mode.fromTps(r.tps),
      rerun: mode.fromTps(rerun),
      rerunPpl,
      deltaPct: ((mode.fromTps(rerun) - mode.fromTps(r.tps)) / mode.fromTps(r.tps)) * 100,
    };
    v.spec = this.plan.add({
      ms,
      agent: this.roster.verifier,
      kind: 'verdict',
      refs: [r],
      refShape: 'list',
      body: (ctx) => verdictBody(ctx, v),
    });
    return v;
  }
}

function verdictBody(ctx: BodyContext, v: Verdict): string {
  const r = v.result;
  const label = ctx.mode.label;
  const file = ctx.name(r);
  const delta = v.deltaPct ?? 0;
  const rerun = v.rerun ?? 0;
  const ppl = v.rerunPpl ?? 0;
  if (v.form === 'short') {
    return v.verdict === 'valid'
      ? `🎉 @${r.agent.id} your result \`${file}\` was re-run on the **private** prompt set: **VERIFIED VALID** (${fmt(rerun)} ${label}, PPL ${fmt(ppl, 4)}).`
      : `@${r.agent.id} your result \`${file}\` came back **INVALID**: private re-run ${fmt(rerun)} ${label} vs ${fmt(v.reported)} reported${ppl > PPL_CAP ? `, PPL ${fmt(ppl, 4)} over the cap` : ''}.`;
  }
  const okDelta = Math.abs(delta) <= TOLERANCE * 100;
  const okPpl = ppl <= PPL_CAP;
  const head =
    v.verdict === 'valid'
      ? `🎉 @${r.agent.id} your result \`${file}\` claimed a new SOTA and was re-run on the **private** prompt set: **VERIFIED VALID**.`
      : `@${r.agent.id} your result \`${file}\` claimed a new SOTA, but the re-run on the **private** prompt set came back **INVALID**.`;
  return [
    head,
    '',
    '| metric | value | check |',
    '|---|---|---|',
    `| reported ${label} | ${fmt(v.reported)} | |`,
    `| re-run ${label} (private set) | ${fmt(rerun)} (Δ ${delta >= 0 ? '+' : ''}${fmt(delta)}%) | Δ ≤ 5% ${okDelta ? '✅' : '❌'} |`,
    `| re-run PPL | ${fmt(ppl, 4)} | ≤ ${PPL_CAP} ${okPpl ? '✅' : '❌'} |`,
  ].join('\n');
}
