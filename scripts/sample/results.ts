// Result timeline: methods grow token by token from earlier results, so lineage, inventions and the frontier are planted.
import { AgentPicker, type Roster } from './agents.ts';
import type { FilenameRegistry } from './naming.ts';
import { at, type Rng } from './rng.ts';
import {
  BASE_PPL,
  BASE_TPS,
  DEAD_ENDS,
  LEVERS,
  LOOPHOLE,
  PPL_CAP,
  TOTAL_TPS_RATIO,
  technique,
  windowMs,
} from './techniques.ts';
import { DAY, END_MS, HOUR, MINUTE, START_MS } from './time.ts';
import type { Agent, Credit, ResultKind, ResultRec } from './types.ts';

export interface ResultTimeline {
  /** All results in time (= filename) order. */
  results: ResultRec[];
  /** token -> first result using it (the inventor's result). */
  firstUse: Map<string, ResultRec>;
  /** When the loophole gets reported on the board (nobody adopts it after that). */
  loopholeReportMs: number;
}

/** Relative activity per day of the 6-day window (slow start, busy middle). */
const DAY_WEIGHTS = [0.55, 0.9, 1.1, 1.2, 1.2, 1.05];

/** n sorted times in [minMs, maxMs], shaped by DAY_WEIGHTS. */
export function sampleTimes(rng: Rng, n: number, minMs: number, maxMs: number): number[] {
  const out: number[] = [];
  const total = DAY_WEIGHTS.reduce((a, b) => a + b, 0);
  while (out.length < n) {
    let u = rng.next() * total;
    let day = 0;
    for (; day < DAY_WEIGHTS.length - 1; day++) {
      u -= at(DAY_WEIGHTS, day);
      if (u < 0) break;
    }
    const ms = START_MS + day * DAY + Math.floor(rng.next() * DAY);
    if (ms >= minMs && ms <= maxMs) out.push(ms);
  }
  return out.sort((a, b) => a - b);
}

const TOP_K = 150;

export function simulateResults(rng: Rng, roster: Roster, scale: number, names: FilenameRegistry): ResultTimeline {
  const n = Math.max(40, Math.round(500 * scale));
  const times = sampleTimes(rng, n - 2, START_MS + 80 * MINUTE, END_MS - 25 * MINUTE);
  const picker = new AgentPicker(
    roster.agents.filter((a) => a.registered && !a.gpuPoor),
    (a) => a.weight,
  );
  const pplOffset = new Map<string, number>();
  const offsetOf = (a: Agent): number => {
    let v = pplOffset.get(a.id);
    if (v === undefined) {
      v = rng.normal(0, 0.004);
      pplOffset.set(a.id, v);
    }
    return v;
  };

  const results: ResultRec[] = [];
  const pool: ResultRec[] = [];
  const top: ResultRec[] = [];
  const latestByAgent = new Map<string, ResultRec>();
  const invented: string[] = [];
  const versions = new Map<string, number>();
  const inventor = new Map<string, ResultRec>();
  let loopholeReportMs = Number.POSITIVE_INFINITY;

  const schedule = [...LEVERS, LOOPHOLE]
    .map((t) => {
      const [a, b] = windowMs(t.window ?? [0, 0]);
      return { token: t.token, ms: START_MS + a + Math.floor(rng.next() * (b - a)) };
    })
    .sort((x, y) => x.ms - y.ms);

  // Planted oddities: agents who post total_tps by mistake, and an over-cap SOTA claim.
  const idxIn = (lo: number, hi: number): number[] =>
    times.map((t, i) => (t >= START_MS + lo * DAY && t < START_MS + hi * DAY ? i : -1)).filter((i) => i >= 0);
  const mistakeIdx = new Set(rng.sample(idxIn(0.95, 1.8), Math.max(1, Math.round(2 * scale))));
  const overCapIdx = new Set(rng.sample(idxIn(1.2, 2.0).filter((i) => !mistakeIdx.has(i)), Math.max(1, Math.round(scale))));

  const eligibleParent = (r: ResultRec, t: number): boolean =>
    !r.malformed &&
    r.status !== 'negative' &&
    !r.overCapClaim &&
    !r.totalTpsMistake &&
    r.tokens[0] === 'vllm' &&
    !(r.loophole && t >= loopholeReportMs);

  const ready = (p: ResultRec, tok: string): boolean => (technique(tok).requires ?? []).every((req) => p.tokens.includes(req));
  const missing = (p: ResultRec, t: number): string[] =>
    invented.filter((tok) => !p.tokens.includes(tok) && ready(p, tok) && !(tok === LOOPHOLE.token && t >= loopholeReportMs));

  const insertTop = (r: ResultRec): void => {
    let lo = 0;
    let hi = top.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (at(top, mid).tpsTrue >= r.tpsTrue) lo = mid + 1;
      else hi = mid;
    }
    top.splice(lo, 0, r);
    if (top.length > TOP_K) top.pop();
  };

  const frontierParent = (t: number, k: number, token?: string): ResultRec | null => {
    const all = top.filter((r) => eligibleParent(r, t));
    const fit = token ? all.filter((r) => ready(r, token)) : all;
    const cands = (fit.length ? fit : all).slice(0, k);
    return cands.length ? rng.pick(cands) : null;
  };

  /** A parent that still lacks some invented token: own latest, a near-frontier result, or anything earlier. */
  const adoptParent = (agent: Agent, t: number): ResultRec | null => {
    for (let attempt = 0; attempt < 8; attempt++) {
      const u = rng.next();
      let p: ResultRec | null | undefined;
      if (u < 0.45) p = latestByAgent.get(agent.id);
      else if (u < 0.85) p = top.length ? at(top, Math.floor(rng.next() ** 2 * Math.min(top.length, 60))) : null;
      else p = pool.length ? rng.pick(pool) : null;
      if (p && eligibleParent(p, t) && missing(p, t).length) return p;
    }
    const root = at(results, 0);
    return missing(root, t).length ? root : null;
  };

  const make = (
    ms: number,
    agent: Agent,
    kind: ResultKind,
    parent: ResultRec | null,
    newToken: string | null,
    baseTokens: string[],
  ): ResultRec => {
    const tokens = parent ? [...parent.tokens, ...(newToken ? [newToken] : [])] : baseTokens;
    const key = `${agent.id}|${tokens.join('-')}`;
    const version = (versions.get(key) ?? 0) + 1;
    versions.set(key, version);
    let lift = 0;
    let dppl = 0;
    let loophole = false;
    for (const tok of tokens) {
      const tech = technique(tok);
      if (tech.kind === 'lever') lift += tech.lift;
      if (tech.kind === 'loophole') loophole = true;
      dppl += tech.dppl;
    }
    const deadEnd = newToken ? technique(newToken) : null;
    const deadLift = deadEnd && deadEnd.kind === 'dead-end' ? deadEnd.lift : 0;
    const baseTps = tokens[0] === 'vllm' ? BASE_TPS : 41;
    const tpsTrue = baseTps + agent.skill * lift + deadLift + (loophole ? LOOPHOLE.lift : 0) + rng.normal(0, 0.8);
    const drafterFit = tokens.includes('ftdraft');
    const shift = drafterFit ? rng.normal(-0.035, 0.018) : rng.normal(-0.012, 0.01);
    const tpsPrivate = (tpsTrue - (loophole ? LOOPHOLE.lift : 0)) * (1 + shift);
    const ppl = BASE_PPL + dppl + offsetOf(agent) + rng.normal(0, 0.002);
    const tail = tokens.slice(-2).filter((t) => t !== 'vllm');
    const subName = tokens.length === 1 ? `${tokens[0]}-baseline` : `vllm-${tail.join('-')}-v${version}`;
    const { filename, ms: t } = names.claim(ms, agent.id);
    return {
      seq: results.length,
      ms: t,
      filename,
      agent,
      tokens,
      version,
      method: `${tokens.join('-')}-v${version}`,
      subName,
      status: kind === 'baseline' ? 'baseline' : kind === 'dead-end' ? 'negative' : ppl > PPL_CAP ? 'negative' : 'agent-run',
      kind,
      parent,
      newToken,
      tpsTrue,
      tpsPrivate,
      tps: tpsTrue + rng.normal(0, 1.2),
      fullPrecision: rng.chance(0.3),
      ppl,
      pplOmitted: false,
      submission: { owner: agent, name: subName },
      credits: [],
      fmRefs: [],
      jobId: null,
      runDir: null,
      artifacts: [],
      malformed: false,
      totalTpsMistake: false,
      overCapClaim: false,
      loophole,
      extraDescription: [],
      verification: 'pending',
      verdictMs: null,
      hasChildren: false,
    };
  };

  // Two organiser baselines: the vLLM bf16 reference (the root of every method) and a slow transformers run.
  const b1 = make(START_MS + 25 * MINUTE + rng.int(0, 59_999), roster.baseline, 'baseline', null, null, ['vllm']);
  b1.tps = BASE_TPS + 0.42;
  b1.tpsTrue = b1.tps;
  b1.tpsPrivate = b1.tps * 0.995;
  const b2 = make(START_MS + 52 * MINUTE + rng.int(0, 59_999), roster.baseline, 'baseline', null, null, ['hf', 'eager']);
  results.push(b1, b2);
  pool.push(b1);
  insertTop(b1);

  for (let i = 0; i < times.length; i++) {
    const t = at(times, i);
    const agent = picker.pick(rng, t);
    if (!agent) continue;
    const head = schedule[0];
    let rec: ResultRec | null = null;

    if (overCapIdx.has(i)) {
      const p = frontierParent(t, 3);
      if (p && !p.tokens.includes('int3')) {
        rec = make(t, agent, 'dead-end', p, 'int3', []);
        rec.status = 'agent-run';
        rec.overCapClaim = true;
        rec.ppl = PPL_CAP + rng.float(0.004, 0.02);
      }
    } else if (mistakeIdx.has(i)) {
      const p = frontierParent(t, 3);
      const miss = p ? missing(p, t) : [];
      if (p && miss.length) {
        rec = make(t, agent, 'adopt', p, rng.pick(miss), []);
        rec.totalTpsMistake = true;
        rec.tps = rec.tpsTrue * TOTAL_TPS_RATIO + rng.normal(0, 1.5);
        rec.status = 'agent-run';
      }
    }

    if (!rec && head && head.ms <= t && rng.chance(0.85)) {
      const p = frontierParent(t, 3, head.token) ?? b1;
      schedule.shift();
      invented.push(head.token);
      rec = make(t, agent, 'invent', p, head.token, []);
      if (head.token === LOOPHOLE.token) loopholeReportMs = rec.ms + Math.floor(rng.float(10, 16) * HOUR);
    }
    if (!rec && rng.chance(0.17)) {
      const p = adoptParent(agent, t) ?? frontierParent(t, 10);
      if (p) {
        const options = DEAD_ENDS.filter((d) => !p.tokens.includes(d.token));
        rec = make(t, agent, 'dead-end', p, rng.pick(options).token, []);
      }
    }
    if (!rec && rng.chance(0.09)) {
      const cands = top.filter((r) => eligibleParent(r, t) && r.agent !== agent && r.status !== 'baseline' && !r.tokens.includes('repro')).slice(0, 30);
      if (cands.length) {
        const p = rng.pick(cands);
        rec = make(t, agent, 'repro', p, 'repro', []);
        if (p.submission) rec.submission = { owner: p.submission.owner, name: p.submission.name };
      }
    }
    if (!rec) {
      const p = adoptParent(agent, t);
      if (p) {
        const miss = missing(p, t);
        const tok = rng.weighted(miss, (m) => (m === LOOPHOLE.token ? 40 : technique(m).lift));
        rec = make(t, agent, 'adopt', p, tok, []);
      }
    }
    if (!rec) {
      // Nothing new to adopt yet (first hours): reproduce someone's stack, else try a dead end.
      const cands = top.filter((r) => eligibleParent(r, t) && r.agent !== agent && r.status !== 'baseline' && !r.tokens.includes('repro'));
      const p = cands.length ? rng.pick(cands.slice(0, 10)) : frontierParent(t, 5);
      if (!p) continue;
      if (p.status !== 'baseline' && !p.tokens.includes('repro') && p.agent !== agent) {
        rec = make(t, agent, 'repro', p, 'repro', []);
        if (p.submission) rec.submission = { owner: p.submission.owner, name: p.submission.name };
      } else {
        const options = DEAD_ENDS.filter((d) => !p.tokens.includes(d.token));
        rec = make(t, agent, 'dead-end', p, rng.pick(options).token, []);
      }
    }

    if (rec.parent) rec.parent.hasChildren = true;
    if (rng.chance(0.04) && rec.kind !== 'repro' && !rec.totalTpsMistake && !rec.overCapClaim) rec.submission = null;
    if (rec.newToken && !inventor.has(rec.newToken)) inventor.set(rec.newToken, rec);
    addCredits(rng, rec, inventor);
    if (rec.parent && rng.chance(0.1)) rec.fmRefs = [rec.parent];

    results.push(rec);
    if (eligibleParent(rec, rec.ms)) {
      pool.push(rec);
      insertTop(rec);
      latestByAgent.set(agent.id, rec);
    }
  }

  // A couple of results omit ppl (nullable, as in two real sources).
  const plain = results.filter((r) => r.kind === 'adopt' && r.status === 'agent-run' && !r.totalTpsMistake);
  for (const r of rng.sample(plain, Math.max(1, Math.round(2 * scale)))) r.pplOmitted = true;
  // Malformed: a leaf result whose tps is not a number (the leaderboard counts it as malformed).
  const leaves = results.filter(
    (r) => r.kind === 'adopt' && r.status === 'agent-run' && !r.hasChildren && !r.pplOmitted && !r.totalTpsMistake && r.ms > START_MS + 2 * DAY,
  );
  for (const r of rng.sample(leaves, Math.max(1, Math.round(scale)))) r.malformed = true;

  const firstUse = new Map<string, ResultRec>();
  for (const r of results) for (const tok of r.tokens) if (!firstUse.has(tok)) firstUse.set(tok, r);
  return { results, firstUse, loopholeReportMs };
}

/** Credits in the description: the parent's author, "Reproduction of X's", and "credit: A drafter, B keepset". */
function addCredits(rng: Rng, rec: ResultRec, inventor: Map<string, ResultRec>): void {
  const p = rec.parent;
  if (!p || rec.kind === 'baseline') return;
  const credits: Credit[] = [];
  if (rec.kind === 'repro') {
    credits.push({ agent: p.agent.id, phrase: `Reproduction of ${p.agent.id}'s ${p.method} stack`, parent: p });
  } else if (p.agent !== rec.agent && p.kind !== 'baseline' && rng.chance(0.55)) {
    const phrase = rng.pick([
      `builds on @${p.agent.id}'s \`${p.method}\``,
      `on top of ${p.agent.id}'s ${p.subName} submission`,
      `starting from @${p.agent.id}'s best stack`,
    ]);
    credits.push({ agent: p.agent.id, phrase, parent: p });
  }
  if (rng.chance(0.35)) {
    const named = rec.tokens
      .filter((tok) => technique(tok).kind === 'lever')
      .map((tok) => ({ tok, inv: inventor.get(tok) }))
      .filter((x): x is { tok: string; inv: ResultRec } => !!x.inv && x.inv.agent !== rec.agent && x.inv !== p && x.inv !== rec);
    const chosen = rng.sample(named, rng.int(1, 2));
    if (chosen.length) {
      const phrase = `credit: ${chosen.map((c) => `${c.inv.agent.id} ${technique(c.tok).noun}`).join(', ')}`;
      for (const c of chosen) credits.push({ agent: c.inv.agent.id, phrase, parent: c.inv });
    }
  }
  rec.credits = credits;
}
