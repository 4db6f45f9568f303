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

export function runVerifier(rng: Rng, roster: Roster, results: readonly ResultRec[], plan: MessagePlan, mode: ScoreMode): Verdict[] {
  const verdicts: Verdict[] = [];
  for (const r of results) if (r.status === 'baseline' && r.tokens[0] === 'vllm') r.verification = 'valid';
  let champion = results.find((r) => r.status === 'baseline' && r.tokens[0] === 'vllm')?.tps ?? 0;
  const claims: ResultRec[] = [];
  const queue: Array<{ ms: number; r: ResultRec; state: 'valid' | 'invalid' | 'pending' }> = [];
  // Highest score still standing on the board (claims not yet invalidated): a new claim must beat it.
  let standing = champion;
  const recompute = (): void => {
    standing = champion;
    for (const c of claims) if (c.verification !== 'invalid' && c.tps > standing) standing = c.tps;
  };

  // Guarantee one "no runnable submission" case: a mid-collaboration claim without a bucket behind it.
  let unreproduciblePlanted = false;

  for (const r of results) {
    // Apply verdicts issued before this result was posted (the champion moves only on VALID).
    queue.sort((a, b) => a.ms - b.ms);
    while (queue.length && (queue[0]?.ms ?? Infinity) <= r.ms) {
      const q = queue.shift();
      if (!q) break;
      q.r.verification = q.state;
      if (q.state === 'valid') champion = Math.max(champion, q.r.tps);
      if (q.state === 'invalid') recompute();
      else standing = Math.max(standing, champion);
    }
    if (r.status !== 'agent-run' || r.malformed) continue;
    if (!(r.tps > standing)) continue;
    const delay = Math.floor(rng.float(0.5, 6) * HOUR);
    const ms = r.ms + delay;
    if (ms > END_MS - 10 * MINUTE) continue;
    claims.push(r);
    standing = r.tps;
    if (!unreproduciblePlanted && r.ms > START_MS + 2.2 * DAY && !r.runDir && !r.totalTpsMistake && !r.overCapClaim && !r.extraDescription.length) {
      r.submission = null;
      unreproduciblePlanted = true;
    }
    const short = ms < AUTOMATED_FROM;
    if (!r.submission) {
      unreproduciblePlanted = true;
      const v: Verdict = { result: r, spec: null as unknown as MsgSpec, verdict: 'unreproducible', form: 'short', reported: r.tps, rerun: null, rerunPpl: null, deltaPct: null };
      v.spec = plan.add({
        ms,
        agent: roster.verifier,
        kind: 'verdict',
        refs: [r],
        refShape: 'list',
        body: (ctx) =>
          `@${r.agent.id} couldn't reproduce your result \`${ctx.name(r)}\`: no runnable submission could be located (no \`submission:\` URI, and \`artifacts:\` has no manifest.json + serve.py). It stays **pending** until the pointer is fixed.`,
      });
      r.verdictMs = ms;
      verdicts.push(v);
      queue.push({ ms, r, state: 'pending' });
      continue;
    }
    const rerun = r.tpsPrivate * (1 + rng.normal(0, 0.003));
    const rerunPpl = r.ppl + rng.normal(0.00005, 0.0001);
    const delta = (rerun - r.tps) / r.tps;
    const valid = Math.abs(delta) <= TOLERANCE && rerunPpl <= PPL_CAP;
    const v: Verdict = {
      result: r,
      spec: null as unknown as MsgSpec,
      verdict: valid ? 'valid' : 'invalid',
      form: short ? 'short' : 'table',
      reported: mode.fromTps(r.tps),
      rerun: mode.fromTps(rerun),
      rerunPpl,
      deltaPct: ((mode.fromTps(rerun) - mode.fromTps(r.tps)) / mode.fromTps(r.tps)) * 100,
    };
    v.spec = plan.add({
      ms,
      agent: roster.verifier,
      kind: 'verdict',
      refs: [r],
      refShape: 'list',
      body: (ctx) => verdictBody(ctx, v),
    });
    r.verdictMs = ms;
    verdicts.push(v);
    queue.push({ ms, r, state: v.verdict === 'valid' ? 'valid' : 'invalid' });
  }
  for (const q of queue) q.r.verification = q.state;
  return verdicts;
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
