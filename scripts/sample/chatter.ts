// Everyday board traffic: intros, plans, results-reports, questions, replies, error notes, status posts, human notes, legacy files.
import type { Roster } from './agents.ts';
import { AgentPicker } from './agents.ts';
import type { MessagePlan } from './plan.ts';
import { pickRefShape } from './plan.ts';
import { sampleTimes } from './results.ts';
import { at, type Rng } from './rng.ts';
import { LEVERS, PPL_CAP, technique } from './techniques.ts';
import { DAY, END_MS, HOUR, MINUTE, START_MS, dayOf } from './time.ts';
import type { Agent, BodyContext, MsgSpec, ResultRec } from './types.ts';

const OLD_TYPES = ['status-update', 'experiment-proposal', 'results-report', 'question', 'claim', 'build-on'];
const CUSTOM_KEYS: Array<(rng: Rng, a: Agent) => [string, unknown]> = [
  (rng) => ['tags', rng.sample(['int4', 'spec-decode', 'kernels', 'noise', 'lm_head', 'drafter', 'profiling'], 2)],
  (rng) => ['confidence', rng.pick([0.5, 0.7, 0.8, 0.9])],
  (_rng, a) => ['model', a.model],
  (rng) => ['topic', rng.pick(['throughput', 'ppl-budget', 'quota', 'harness'])],
  (rng) => ['wip', rng.chance(0.5)],
];

/** Partial stamp as agents quote it: "swift-otter 20260610-090759-237". */
export function partialStamp(filename: string): string {
  const m = /^(\d{8}-\d{6}(?:-\d{3})?)_([a-z0-9-]+?)(?:_[a-z0-9-]+)?\.md$/.exec(filename);
  return m ? `${m[2]} ${m[1]}` : filename;
}

const ERRORS = [
  ['torch.OutOfMemoryError', 'CUDA out of memory. Tried to allocate 2.50 GiB (GPU 0; 22.05 GiB total capacity)'],
  ['RuntimeError', 'server exited before readiness with code 1'],
  ['ValueError', 'max_num_batched_tokens (512) is smaller than max_model_len (4096)'],
  ['AssertionError', 'num_heads must be divisible by the tensor parallel size'],
  ['ImportError', 'cannot import name \'MarlinLinearKernel\' from vllm.model_executor.layers'],
  ['KeyError', "'rope_scaling'"],
  ['TimeoutError', 'PPL stage did not finish within 600 s'],
] as const;

const QUESTIONS = [
  'Does anyone know whether the PPL gate uses the token-level aggregate or mean_record_ppl?',
  'Is the verifier re-running non-SOTA entries too, or only claims above the valid champion?',
  'How are people getting CUDA graphs to capture the draft loop without a recompile per step?',
  'What group size is everyone using for the body, g128 or channel-wise?',
  'Has anyone measured how much of the decode step is the lm_head read after pruning?',
  'Is there a clean way to pin the wheel so the harness does not re-resolve torch?',
  'Why does total_tps differ so much from tps in summary.json?',
  'Do we know how large the private prompt set is?',
];

const STATUS_LINES = [
  'Re-ran my last submission three times to get a noise floor before claiming anything.',
  'Profiling the decode step: attention is now the largest slice after the weight read.',
  'Quota is the bottleneck today; queueing only the runs that can move the frontier.',
  'Cleaned up my scratch bucket; submissions are now one folder per method version.',
  'Reading through the verifier tables: most INVALIDs are the 5% TPS rule, not PPL.',
  'Trying to reproduce the current best before stacking anything on top.',
  'Wrote a small script that diffs two manifests and flags env changes.',
];

export interface ChatterInput {
  roster: Roster;
  results: readonly ResultRec[];
  firstUse: ReadonlyMap<string, ResultRec>;
  scale: number;
}

/** Sprinkle the optional frontmatter variety real posts have: raw posts, priority, custom keys, old type names. */
function decorate(rng: Rng, spec: MsgSpec): void {
  if (spec.agent.kind !== 'agent') return;
  if (!spec.agent.registered || rng.chance(0.15)) {
    spec.via = 'raw';
    if (rng.chance(0.03)) spec.type = 'system';
    return;
  }
  if (rng.chance(0.06)) spec.priority = rng.pick(['high', 'low', 'normal']);
  if (rng.chance(0.04)) {
    const [k, v] = rng.pick(CUSTOM_KEYS)(rng, spec.agent);
    spec.custom = { [k]: v };
  }
  if (rng.chance(0.05)) spec.type = rng.pick(OLD_TYPES);
}

export interface ChatterExtras {
  inboxOnly: MsgSpec[];
  emailDecoys: MsgSpec[];
  /** The message that @-mentions more handles than the fan-out cap. */
  fanout: { spec: MsgSpec; mentioned: string[] };
}

export function planChatter(rng: Rng, input: ChatterInput, plan: MessagePlan): ChatterExtras {
  const { roster, results, scale } = input;
  const target = Math.max(60, Math.round(1300 * scale));
  const posters = new AgentPicker(roster.agents, (a) => a.weight);
  const emailDecoys: MsgSpec[] = [];

  // Intros: nearly every agent says hello soon after joining.
  for (const a of roster.agents) {
    if (!rng.chance(0.92)) continue;
    const ms = Math.min(END_MS - 2 * HOUR, Math.max(START_MS + Math.floor(rng.float(5, 240) * MINUTE), a.joinedMs + Math.floor(rng.float(5, 180) * MINUTE)));
    const spec = plan.add({
      ms,
      agent: a,
      kind: 'intro',
      body: (ctx) => introBody(ctx, a),
    });
    decorate(rng, spec);
    if (spec.via !== 'raw' && rng.chance(0.2)) spec.priority = 'high';
  }
  const organiser = roster.organiser;
  plan.add({
    ms: START_MS + 5 * MINUTE + rng.int(0, 59_999),
    agent: organiser,
    kind: 'human-note',
    body: () =>
      [
        '# Welcome to the sample collaboration',
        '',
        `This board is the record: plans, results-reports, errors and verdicts all go here. The PPL cap is ${PPL_CAP}; the verifier (@${roster.verifier.id}) re-runs SOTA claims on a private prompt set.`,
        '',
        'Please keep coordination on this board so everyone can follow along. Questions to me or to ops@example.com.',
      ].join('\n'),
    notes: ['email-decoy'],
  });
  emailDecoys.push(at(plan.specs, plan.specs.length - 1));

  // Results-reports for results that do not already have one (relays and hand-offs do).
  for (const r of results) {
    if (plan.reportOf.has(r)) continue;
    if (r.status === 'baseline') continue;
    const p = r.status === 'agent-run' ? 0.6 : 0.4;
    if (!rng.chance(p)) continue;
    const refs: Array<ResultRec | MsgSpec> = [r];
    if (r.parent && r.parent.status !== 'baseline' && rng.chance(0.35)) refs.push(r.parent);
    const spec = plan.add({
      ms: r.ms + Math.floor(rng.float(1, 90) * MINUTE),
      agent: r.agent,
      kind: 'results-report',
      refs,
      refShape: pickRefShape(rng, refs.length),
      body: (ctx) => reportBody(ctx, r, refs.length > 1),
    });
    decorate(rng, spec);
    plan.reportOf.set(r, spec);
  }
  const baselines = results.filter((r) => r.status === 'baseline');
  const b1 = baselines[0];
  if (b1) {
    const spec = plan.add({
      ms: Math.max(...baselines.map((r) => r.ms)) + 15 * MINUTE,
      agent: roster.baseline,
      kind: 'results-report',
      refs: results.filter((r) => r.status === 'baseline'),
      refShape: 'space',
      body: (ctx) =>
        [
          '# Baselines posted',
          '',
          `Reference runs are up: ${results
            .filter((r) => r.status === 'baseline')
            .map((r) => `\`${ctx.name(r)}\` (${ctx.score(r.tps)})`)
            .join(' and ')}. Beat the first one; the second is the plain transformers path for comparison.`,
        ].join('\n'),
    });
    plan.reportOf.set(b1, spec);
  }

  // Legacy collab-template files from the first hours: no milliseconds, optional topic suffix.
  const nLegacy = Math.max(1, Math.round(5 * scale));
  for (let i = 0; i < nLegacy; i++) {
    const a = posters.pick(rng, START_MS + 3 * HOUR) ?? at(roster.agents, 0);
    const topic = i === 0 ? null : rng.pick(['kickoff', 'int4-plan', 'harness-notes', 'quota', 'first-run']);
    plan.add({
      ms: Math.max(START_MS + Math.floor(rng.float(10, 300) * MINUTE), a.joinedMs + 5 * MINUTE),
      agent: a,
      kind: 'legacy',
      legacy: true,
      legacyTopic: topic,
      type: rng.pick(['status-update', 'experiment-proposal', 'claim']),
      body: () =>
        [
          `# ${topic ? topic.replace(/-/g, ' ') : 'notes'} (${a.id})`,
          '',
          'Posting with the old template naming from my harness; will switch to the API naming.',
          '',
          rng.pick(STATUS_LINES),
        ].join('\n'),
    });
  }

  // Human notes and questions (dashboard posts).
  const nHuman = Math.max(2, Math.round(20 * scale));
  for (let i = 0; i < nHuman; i++) {
    const h = i % 3 === 0 ? organiser : rng.pick(roster.humans);
    const ms = START_MS + Math.floor(rng.float(0.1, 5.9) * DAY);
    plan.add({
      ms,
      agent: h,
      kind: 'human-note',
      body: (ctx) => humanBody(ctx, h === organiser),
    });
  }

  // A shout-out naming more agents than the server delivers to (MENTION_FANOUT_CAP = 10).
  const tShout = START_MS + Math.floor(rng.float(4.9, 5.3) * DAY);
  const counts = new Map<Agent, number>();
  for (const r of results) if (r.ms < tShout && r.status === 'agent-run' && r.agent.registered) counts.set(r.agent, (counts.get(r.agent) ?? 0) + 1);
  const shoutedAt = [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0].id < b[0].id ? -1 : 1))
    .slice(0, 12)
    .map(([a]) => a.id);
  const fanout = plan.add({
    ms: tShout,
    agent: organiser,
    kind: 'human-note',
    body: () =>
      ['# Thank you, most active contributors', '', `Shout-out to ${shoutedAt.map((id) => `@${id}`).join(' ')} for keeping the board busy and honest.`].join('\n'),
    notes: ['fanout-cap'],
  });

  // Fill the rest with plans, questions, replies, error notes and status posts.
  const remaining = Math.max(0, target - plan.specs.length);
  const times = sampleTimes(rng, remaining, START_MS + 40 * MINUTE, END_MS - 2 * MINUTE);
  const chatter: MsgSpec[] = [];
  for (const t of times) {
    const a = posters.pick(rng, t);
    if (!a) continue;
    const u = rng.next();
    const kind = u < 0.16 ? 'plan' : u < 0.3 ? 'question' : u < 0.72 ? 'reply' : u < 0.82 ? 'error' : 'status';
    const spec = plan.add({ ms: t, agent: a, kind, body: () => '' });
    decorate(rng, spec);
    chatter.push(spec);
  }
  wireChatter(rng, input, plan, chatter, emailDecoys, posters);

  // Partial board: a few replies exist only as inbox copies.
  const nInboxOnly = Math.max(1, Math.round(2.5 * scale));
  const inboxOnly = rng
    .sample(
      chatter.filter((s) => {
        const t = s.refs[0];
        const targetAgent = t ? t.agent : null;
        return (
          s.kind === 'reply' &&
          s.refs.length === 1 &&
          s.agent.registered &&
          s.ms > START_MS + DAY &&
          s.ms < START_MS + 4 * DAY &&
          targetAgent?.registered &&
          targetAgent.kind === 'agent' &&
          targetAgent !== s.agent
        );
      }),
      nInboxOnly,
    )
    .sort((a, b) => a.seq - b.seq);
  for (const s of inboxOnly) s.inboxOnly = true;
  return { inboxOnly, emailDecoys, fanout: { spec: fanout, mentioned: shoutedAt } };
}

/** Give chatter its refs and bodies; replies point at earlier messages or results (threads several deep). */
function wireChatter(rng: Rng, input: ChatterInput, plan: MessagePlan, chatter: MsgSpec[], emailDecoys: MsgSpec[], posters: AgentPicker): void {
  const { roster, results } = input;
  const ordered = plan.specs.slice().sort((a, b) => a.ms - b.ms || a.seq - b.seq);
  const resultTimes = results.map((r) => r.ms);
  const before = (list: readonly number[], t: number): number => {
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (at(list, mid) < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const specTimes = ordered.map((s) => s.ms);
  const recentResult = (t: number): ResultRec | null => {
    const k = before(resultTimes, t);
    if (!k) return null;
    return at(results, Math.max(0, k - 1 - Math.floor(Math.abs(rng.normal(0, 25)))));
  };
  const recentMessage = (t: number, self: MsgSpec): MsgSpec | null => {
    const k = before(specTimes, t - MINUTE);
    if (!k) return null;
    const cand = at(ordered, Math.max(0, k - 1 - Math.floor(Math.abs(rng.normal(0, 30)))));
    return cand === self || cand.inboxOnly ? null : cand;
  };

  for (const s of chatter) {
    const a = s.agent;
    const t = s.ms;
    if (s.kind === 'reply') {
      const targets: Array<ResultRec | MsgSpec> = [];
      const first = rng.chance(0.3) ? recentResult(t) : recentMessage(t, s);
      if (first) targets.push(first);
      if (first && rng.chance(0.12)) {
        const second = recentMessage(t, s);
        if (second && second !== first) targets.push(second);
      }
      if (!targets.length) {
        s.kind = 'status';
      } else {
        s.refs = targets;
        s.refShape = pickRefShape(rng, targets.length);
        const mention = rng.chance(0.5);
        s.body = (ctx) => replyBody(ctx, targets, mention);
        continue;
      }
    }
    if (s.kind === 'plan') {
      const base = recentResult(t);
      const fresh = LEVERS.filter((l) => !base?.tokens.includes(l.token));
      const tok = rng.pick(fresh.length ? fresh : LEVERS);
      if (base && rng.chance(0.4)) {
        s.refs = [base];
        s.refShape = pickRefShape(rng, 1);
      }
      s.body = (ctx) => planBody(ctx, base, tok.token);
      continue;
    }
    if (s.kind === 'question') {
      const base = rng.chance(0.3) ? recentResult(t) : null;
      if (base) {
        s.refs = [base];
        s.refShape = pickRefShape(rng, 1);
      }
      const other = posters.pick(rng, t, new Set([a.id]));
      const r = rng.next();
      const who = r < 0.1 ? 'all' : r < 0.2 ? roster.organiser.id : other ? other.id : 'all';
      if (who === 'all') s.notes = ['at-all'];
      s.body = (ctx) => questionBody(ctx, who, base);
      continue;
    }
    if (s.kind === 'error') {
      const [cls, msg] = rng.pick(ERRORS);
      s.body = (ctx) => errorBody(ctx, a, cls, msg);
      continue;
    }
    // status
    const decoy = rng.chance(0.03);
    if (decoy) {
      s.notes = ['email-decoy'];
      emailDecoys.push(s);
    }
    const noHeadline = rng.chance(0.05);
    if (noHeadline) s.notes = [...(s.notes ?? []), 'no-headline'];
    const day = dayOf(t) + 1;
    s.body = (ctx) => statusBody(ctx, a, decoy, noHeadline, day);
  }
}

function introBody(ctx: BodyContext, a: Agent): string {
  const focus = ctx.rng.pick(['quantisation', 'speculative decoding', 'kernels', 'profiling', 'reproducibility', 'the lm_head']);
  return [
    ctx.rng.pick([`# ${a.id} joining`, `# Hello from ${a.id}`, `# ${a.name} reporting in`]),
    '',
    `Hi all, ${a.id} here (${a.model} in ${a.harness}). I've read the README: push ${ctx.mode.label} on a10g-small while staying under the PPL cap (${PPL_CAP}).`,
    '',
    'Next steps:',
    '1. Read the leaderboard and recent results',
    '2. Reproduce the current best before changing anything',
    `3. Look at ${focus}`,
  ].join('\n');
}

function reportBody(ctx: BodyContext, r: ResultRec, withParent: boolean): string {
  const tech = r.newToken ? technique(r.newToken) : null;
  const neg = r.status === 'negative';
  const head = neg
    ? `# Negative: ${tech ? tech.label : r.method} (${ctx.score(r.tps)}, PPL ${r.ppl.toFixed(3)})`
    : ctx.rng.pick([`# ${ctx.score(r.tps)} with ${r.method}`, `# New result: ${ctx.score(r.tps)}`, `# ${tech ? tech.label : 'update'}: ${ctx.score(r.tps)}`]);
  const lines = [head, '', `Posted \`${ctx.name(r)}\` (\`${r.method}\`): ${ctx.score(r.tps)}, PPL ${r.ppl.toFixed(4)}.`];
  if (withParent && r.parent) lines.push('', `Builds on \`${ctx.name(r.parent)}\` (${ctx.score(r.parent.tps)}); the only change is ${tech ? `the ${tech.label}` : 'the config'}.`);
  if (r.jobId) lines.push('', `job ${r.jobId}${r.runDir ? `, run dir \`${r.runDir}\`` : ''}.`);
  if (neg) lines.push('', r.ppl > PPL_CAP ? `PPL is over the ${PPL_CAP} cap, so this is a dead end. Logged so nobody burns quota on it.` : 'Slower than its parent: logged as a dead end.');
  const credits = r.credits.filter((c) => c.agent !== r.agent.id).map((c) => `@${c.agent}`);
  if (credits.length) lines.push('', `Thanks ${[...new Set(credits)].join(' ')}.`);
  return lines.join('\n');
}

function replyBody(ctx: BodyContext, targets: Array<ResultRec | MsgSpec>, mention: boolean): string {
  const first = at(targets, 0);
  const who = first.agent.id;
  const file = ctx.name(first);
  const quote = ctx.rng.chance(0.5) ? `\`${file}\`` : `\`${partialStamp(file)}\``;
  const isRes = 'method' in first;
  const opener = ctx.rng.pick(
    isRes
      ? [`# Re: ${who}'s ${(first as ResultRec).method}`, `# Nice result in ${file.slice(0, 19)}`, '# Question on that result']
      : [`# Re: ${who}`, `# +1 on ${file.slice(0, 19)}`, '# Following up'],
  );
  const lines = [opener, '', `${mention ? `@${who} ` : ''}re ${quote}: ${ctx.rng.pick([
    'can confirm, same numbers on my side within noise.',
    'did you re-run it? A single draw can be 2 TPS off.',
    'this matches what I saw in the profile.',
    'I tried the same and got a load error, will dig.',
    'which wheel is that on?',
    'nice, stacking this on my branch next.',
  ])}`];
  if (targets.length > 1) lines.push('', `Also see \`${ctx.name(at(targets, 1))}\`.`);
  const e = ctx.earlier();
  if (e && ctx.rng.chance(0.2)) lines.push('', `Related: ${partialStamp(e.filename)}.`);
  return lines.join('\n');
}

function planBody(ctx: BodyContext, base: ResultRec | null, token: string): string {
  const tech = technique(token);
  return [
    `# Plan: ${tech.label}${base ? ` on top of ${base.method}` : ''}`,
    '',
    base
      ? `Starting from \`${ctx.name(base)}\` (${ctx.score(base.tps)}). Hypothesis: the ${tech.label} removes work from every decode step.`
      : `Hypothesis: the ${tech.label} removes work from every decode step.`,
    '',
    `Expected gain: a few percent. Will post a results-report either way, including if it is a dead end.`,
  ].join('\n');
}

function questionBody(ctx: BodyContext, who: string, base: ResultRec | null): string {
  return [
    `# Q: ${ctx.rng.pick(['PPL gate', 'verifier scope', 'graph capture', 'group size', 'lm_head cost', 'wheel pinning', 'total_tps', 'private set'])}?`,
    '',
    `@${who} ${ctx.rng.pick(QUESTIONS)}`,
    ...(base ? ['', `Context: \`${ctx.name(base)}\`.`] : []),
  ].join('\n');
}

function errorBody(ctx: BodyContext, a: Agent, cls: string, msg: string): string {
  const job = ctx.rng.hex(24);
  return [
    `# ${cls} on my last run`,
    '',
    `Run \`results/${a.id}/${ctx.rng.pick(['vllm-try', 'spec-sweep', 'int4-head', 'graph-capture'])}-run${ctx.rng.int(1, 4)}\` (job ${job}) failed:`,
    '',
    '```',
    `${cls}: ${msg}`,
    '```',
    '',
    ctx.rng.pick(['Looking into it.', 'Any pointers welcome.', 'Probably my manifest; will retry after lunch.', 'job_logs.txt has the full trace.']),
  ].join('\n');
}

function statusBody(ctx: BodyContext, a: Agent, decoy: boolean, noHeadline: boolean, day: number): string {
  const lines = [
    ...(noHeadline ? [] : [`# Status: ${a.id}, day ${day}`, '']),
    ctx.rng.pick(STATUS_LINES),
  ];
  const e = ctx.earlier();
  if (e && ctx.rng.chance(0.3)) lines.push('', `Picked up the idea from \`${e.filename}\`.`);
  if (decoy) lines.push('', `Quota questions go to ops@example.com, not to me (and ${a.id}@example.org is not a real inbox).`);
  return lines.join('\n');
}

function humanBody(ctx: BodyContext, organiser: boolean): string {
  if (organiser) {
    return ctx.rng.pick([
      ['# Reminder: the PPL cap', '', `The cap is ${PPL_CAP} (reference + 5%). Results over it are fine to post as \`status: negative\`; please don't post them as agent-run.`],
      ['# Verifier update', '', 'The verifier now posts a table with the private re-run for every SOTA claim. A re-run more than 5% off the reported number is INVALID.'],
      ['# Quota reset', '', 'Job quotas reset at 00:00 UTC. Please spend them on runs that can move the frontier, and share checkpoints if you are out.'],
    ]).join('\n');
  }
  return [
    '# A question from the sidelines',
    '',
    ctx.rng.pick(QUESTIONS),
  ].join('\n');
}
