// The result timeline's state: the frontier, who adopts what from whom, and one step per kind of result.
import { AgentPicker, type Roster } from './agents.ts';
import type { FilenameRegistry } from './naming.ts';
import { at, type Rng } from './rng.ts';
import { BASE_PPL, BASE_TPS, DEAD_ENDS, LEVERS, LOOPHOLE, PPL_CAP, TOTAL_TPS_RATIO, technique, windowMs } from './techniques.ts';
import { DAY, HOUR, MINUTE, START_MS } from './time.ts';
import type { Agent, Credit, ResultKind, ResultRec } from './types.ts';

const TOP_K = 150;

/** Summed effect of a method's tokens (no draws). */
function stackEffect(tokens: readonly string[]): { lift: number; dppl: number; loophole: boolean } {
  let lift = 0;
  let dppl = 0;
  let loophole = false;
  for (const tok of tokens) {
    const tech = technique(tok);
    if (tech.kind === 'lever') lift += tech.lift;
    if (tech.kind === 'loophole') loophole = true;
    dppl += tech.dppl;
  }
  return { lift, dppl, loophole };
}

export class ResultSim {
  readonly results: ResultRec[] = [];
  loopholeReportMs = Number.POSITIVE_INFINITY;
  private readonly picker: AgentPicker;
  private readonly pplOffset = new Map<string, number>();
  private readonly pool: ResultRec[] = [];
  private readonly top: ResultRec[] = [];
  private readonly latestByAgent = new Map<string, ResultRec>();
  private readonly invented: string[] = [];
  private readonly versions = new Map<string, number>();
  private readonly inventor = new Map<string, ResultRec>();
  /** Levers and the loophole, each with the time it gets invented. */
  private readonly schedule: { token: string; ms: number }[];
  /** Planted oddities: agents who post total_tps by mistake, and an over-cap SOTA claim. */
  private readonly mistakeIdx: Set<number>;
  private readonly overCapIdx: Set<number>;

  constructor(
    private readonly rng: Rng,
    private readonly roster: Roster,
    private readonly names: FilenameRegistry,
    private readonly times: readonly number[],
    scale: number,
  ) {
    this.picker = new AgentPicker(
      roster.agents.filter((a) => a.registered && !a.gpuPoor),
      (a) => a.weight,
    );
    this.schedule = [...LEVERS, LOOPHOLE]
      .map((t) => {
        const [a, b] = windowMs(t.window ?? [0, 0]);
        return { token: t.token, ms: START_MS + a + Math.floor(rng.next() * (b - a)) };
      })
      .sort((x, y) => x.ms - y.ms);
    this.mistakeIdx = new Set(rng.sample(this.idxIn(0.95, 1.8), Math.max(1, Math.round(2 * scale))));
    this.overCapIdx = new Set(rng.sample(this.idxIn(1.2, 2.0).filter((i) => !this.mistakeIdx.has(i)), Math.max(1, Math.round(scale))));
  }

  private idxIn(lo: number, hi: number): number[] {
    return this.times.map((t, i) => (t >= START_MS + lo * DAY && t < START_MS + hi * DAY ? i : -1)).filter((i) => i >= 0);
  }

  private offsetOf(a: Agent): number {
    let v = this.pplOffset.get(a.id);
    if (v === undefined) {
      v = this.rng.normal(0, 0.004);
      this.pplOffset.set(a.id, v);
    }
    return v;
  }

  private eligibleParent(r: ResultRec, t: number): boolean {
    return (
      !r.malformed &&
      r.status !== 'negative' &&
      !r.overCapClaim &&
      !r.totalTpsMistake &&
      r.tokens[0] === 'vllm' &&
      !(r.loophole && t >= this.loopholeReportMs)
    );
  }

  private ready(p: ResultRec, tok: string): boolean {
    return (technique(tok).requires ?? []).every((req) => p.tokens.includes(req));
  }

  private missing(p: ResultRec, t: number): string[] {
    return this.invented.filter((tok) => !p.tokens.includes(tok) && this.ready(p, tok) && !(tok === LOOPHOLE.token && t >= this.loopholeReportMs));
  }

  private insertTop(r: ResultRec): void {
    const top = this.top;
    let lo = 0;
    let hi = top.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (at(top, mid).tpsTrue >= r.tpsTrue) lo = mid + 1;
      else hi = mid;
    }
    top.splice(lo, 0, r);
    if (top.length > TOP_K) top.pop();
  }

  private frontierParent(t: number, k: number, token?: string): ResultRec | null {
    const all = this.top.filter((r) => this.eligibleParent(r, t));
    const fit = token ? all.filter((r) => this.ready(r, token)) : all;
    const cands = (fit.length ? fit : all).slice(0, k);
    return cands.length ? this.rng.pick(cands) : null;
  }

  /** A parent that still lacks some invented token: own latest, a near-frontier result, or anything earlier. */
  private adoptParent(agent: Agent, t: number): ResultRec | null {
    const { rng, top, pool } = this;
    for (let attempt = 0; attempt < 8; attempt++) {
      const u = rng.next();
      let p: ResultRec | null | undefined;
      if (u < 0.45) p = this.latestByAgent.get(agent.id);
      else if (u < 0.85) p = top.length ? at(top, Math.floor(rng.next() ** 2 * Math.min(top.length, 60))) : null;
      else p = pool.length ? rng.pick(pool) : null;
      if (p && this.eligibleParent(p, t) && this.missing(p, t).length) return p;
    }
    const root = at(this.results, 0);
    return this.missing(root, t).length ? root : null;
  }

  private make(ms: number, agent: Agent, kind: ResultKind, parent: ResultRec | null, newToken: string | null, baseTokens: string[]): ResultRec {
    const rng = this.rng;
    const tokens = parent ? [...parent.tokens, ...(newToken ? [newToken] : [])] : baseTokens;
    const key = `${agent.id}|${tokens.join('-')}`;
    const version = (this.versions.get(key) ?? 0) + 1;
    this.versions.set(key, version);
    const { lift, dppl, loophole } = stackEffect(tokens);
    const deadEnd = newToken ? technique(newToken) : null;
    const deadLift = deadEnd && deadEnd.kind === 'dead-end' ? deadEnd.lift : 0;
    const baseTps = tokens[0] === 'vllm' ? BASE_TPS : 41;
    const tpsTrue = baseTps + agent.skill * lift + deadLift + (loophole ? LOOPHOLE.lift : 0) + rng.normal(0, 0.8);
    const drafterFit = tokens.includes('ftdraft');
    const shift = drafterFit ? rng.normal(-0.035, 0.018) : rng.normal(-0.012, 0.01);
    const tpsPrivate = (tpsTrue - (loophole ? LOOPHOLE.lift : 0)) * (1 + shift);
    const ppl = BASE_PPL + dppl + this.offsetOf(agent) + rng.normal(0, 0.002);
    const tail = tokens.slice(-2).filter((t) => t !== 'vllm');
    const subName = tokens.length === 1 ? `${tokens[0]}-baseline` : `vllm-${tail.join('-')}-v${version}`;
    const { filename, ms: t } = this.names.claim(ms, agent.id);
    return {
      seq: this.results.length,
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
  }

  /** Two organiser baselines: the vLLM bf16 reference (the root of every method) and a slow transformers run. */
  plantBaselines(): void {
    const { rng, roster } = this;
    const b1 = this.make(START_MS + 25 * MINUTE + rng.int(0, 59_999), roster.baseline, 'baseline', null, null, ['vllm']);
    b1.tps = BASE_TPS + 0.42;
    b1.tpsTrue = b1.tps;
    b1.tpsPrivate = b1.tps * 0.995;
    const b2 = this.make(START_MS + 52 * MINUTE + rng.int(0, 59_999), roster.baseline, 'baseline', null, null, ['hf', 'eager']);
    this.results.push(b1, b2);
    this.pool.push(b1);
    this.insertTop(b1);
  }

  /** One result at times[i]: an oddity, an invention, a dead end, a reproduction, an adoption, or a fallback. */
  step(i: number): void {
    const t = at(this.times, i);
    const agent = this.picker.pick(this.rng, t);
    if (!agent) return;
    const rec =
      this.oddity(i, t, agent) ??
      this.invent(t, agent) ??
      this.deadEnd(t, agent) ??
      this.repro(t, agent) ??
      this.adopt(t, agent) ??
      this.fallback(t, agent);
    if (rec) this.record(rec, agent);
  }

  /** The planted over-cap claim and total_tps mistakes. */
  private oddity(i: number, t: number, agent: Agent): ResultRec | null {
    const rng = this.rng;
    if (this.overCapIdx.has(i)) {
      const p = this.frontierParent(t, 3);
      if (!p || p.tokens.includes('int3')) return null;
      const rec = this.make(t, agent, 'dead-end', p, 'int3', []);
      rec.status = 'agent-run';
      rec.overCapClaim = true;
      rec.ppl = PPL_CAP + rng.float(0.004, 0.02);
      return rec;
    }
    if (this.mistakeIdx.has(i)) {
      const p = this.frontierParent(t, 3);
      const miss = p ? this.missing(p, t) : [];
      if (!p || !miss.length) return null;
      const rec = this.make(t, agent, 'adopt', p, rng.pick(miss), []);
      rec.totalTpsMistake = true;
      rec.tps = rec.tpsTrue * TOTAL_TPS_RATIO + rng.normal(0, 1.5);
      rec.status = 'agent-run';
      return rec;
    }
    return null;
  }

  /** The next scheduled lever (or the loophole), once its time has come. */
  private invent(t: number, agent: Agent): ResultRec | null {
    const head = this.schedule[0];
    if (!head || head.ms > t || !this.rng.chance(0.85)) return null;
    const p = this.frontierParent(t, 3, head.token) ?? at(this.results, 0);
    this.schedule.shift();
    this.invented.push(head.token);
    const rec = this.make(t, agent, 'invent', p, head.token, []);
    if (head.token === LOOPHOLE.token) this.loopholeReportMs = rec.ms + Math.floor(this.rng.float(10, 16) * HOUR);
    return rec;
  }

  private deadEnd(t: number, agent: Agent): ResultRec | null {
    if (!this.rng.chance(0.17)) return null;
    const p = this.adoptParent(agent, t) ?? this.frontierParent(t, 10);
    return p ? this.deadEndFrom(t, agent, p) : null;
  }

  private deadEndFrom(t: number, agent: Agent, p: ResultRec): ResultRec {
    const options = DEAD_ENDS.filter((d) => !p.tokens.includes(d.token));
    return this.make(t, agent, 'dead-end', p, this.rng.pick(options).token, []);
  }

  private reproCandidates(t: number, agent: Agent): ResultRec[] {
    return this.top.filter((r) => this.eligibleParent(r, t) && r.agent !== agent && r.status !== 'baseline' && !r.tokens.includes('repro'));
  }

  private reproOf(t: number, agent: Agent, p: ResultRec): ResultRec {
    const rec = this.make(t, agent, 'repro', p, 'repro', []);
    if (p.submission) rec.submission = { owner: p.submission.owner, name: p.submission.name };
    return rec;
  }

  private repro(t: number, agent: Agent): ResultRec | null {
    if (!this.rng.chance(0.09)) return null;
    const cands = this.reproCandidates(t, agent).slice(0, 30);
    return cands.length ? this.reproOf(t, agent, this.rng.pick(cands)) : null;
  }

  private adopt(t: number, agent: Agent): ResultRec | null {
    const p = this.adoptParent(agent, t);
    if (!p) return null;
    const miss = this.missing(p, t);
    const tok = this.rng.weighted(miss, (m) => (m === LOOPHOLE.token ? 40 : technique(m).lift));
    return this.make(t, agent, 'adopt', p, tok, []);
  }

  /** Nothing new to adopt yet (first hours): reproduce someone's stack, else try a dead end. */
  private fallback(t: number, agent: Agent): ResultRec | null {
    const cands = this.reproCandidates(t, agent);
    const p = cands.length ? this.rng.pick(cands.slice(0, 10)) : this.frontierParent(t, 5);
    if (!p) return null;
    if (p.status !== 'baseline' && !p.tokens.includes('repro') && p.agent !== agent) return this.reproOf(t, agent, p);
    return this.deadEndFrom(t, agent, p);
  }

  /** Children, a dropped submission, credits and refs, then the result joins the timeline (and the frontier if eligible). */
  private record(rec: ResultRec, agent: Agent): void {
    const rng = this.rng;
    if (rec.parent) rec.parent.hasChildren = true;
    if (rng.chance(0.04) && rec.kind !== 'repro' && !rec.totalTpsMistake && !rec.overCapClaim) rec.submission = null;
    if (rec.newToken && !this.inventor.has(rec.newToken)) this.inventor.set(rec.newToken, rec);
    addCredits(rng, rec, this.inventor);
    if (rec.parent && rng.chance(0.1)) rec.fmRefs = [rec.parent];
    this.results.push(rec);
    if (this.eligibleParent(rec, rec.ms)) {
      this.pool.push(rec);
      this.insertTop(rec);
      this.latestByAgent.set(agent.id, rec);
    }
  }
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
