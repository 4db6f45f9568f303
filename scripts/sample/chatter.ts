// Everyday board traffic: intros, plans, results-reports, questions, replies, error notes, status posts, human notes, legacy files.
import type { Roster } from './agents.ts';
import { AgentPicker } from './agents.ts';
import { STATUS_LINES, humanBody, introBody, reportBody } from './chatter-bodies.ts';
import { wireChatter } from './chatter-wiring.ts';
import type { MessagePlan } from './plan.ts';
import { pickRefShape } from './plan.ts';
import { sampleTimes } from './results.ts';
import { at, type Rng } from './rng.ts';
import { PPL_CAP } from './techniques.ts';
import { DAY, END_MS, HOUR, MINUTE, START_MS } from './time.ts';
import type { Agent, MsgSpec, ResultRec } from './types.ts';

export { partialStamp } from './chatter-bodies.ts';

const OLD_TYPES = ['status-update', 'experiment-proposal', 'results-report', 'question', 'claim', 'build-on'];
const CUSTOM_KEYS: Array<(rng: Rng, a: Agent) => [string, unknown]> = [
  (rng) => ['tags', rng.sample(['int4', 'spec-decode', 'kernels', 'noise', 'lm_head', 'drafter', 'profiling'], 2)],
  (rng) => ['confidence', rng.pick([0.5, 0.7, 0.8, 0.9])],
  (_rng, a) => ['model', a.model],
  (rng) => ['topic', rng.pick(['throughput', 'ppl-budget', 'quota', 'harness'])],
  (rng) => ['wip', rng.chance(0.5)],
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
  plantIntros(rng, roster, plan);
  const emailDecoys: MsgSpec[] = [plantWelcome(rng, roster, plan)];
  plantReports(rng, results, plan);
  plantBaselineReport(roster, results, plan);
  plantLegacy(rng, roster, plan, posters, scale);
  plantHumanNotes(rng, roster, plan, scale);
  const fanout = plantShoutOut(rng, roster, results, plan);
  const chatter = plantChatterSlots(rng, plan, posters, target);
  wireChatter(rng, input, plan, chatter, emailDecoys, posters);
  const inboxOnly = markInboxOnly(rng, chatter, scale);
  return { inboxOnly, emailDecoys, fanout };
}

/** Intros: nearly every agent says hello soon after joining. */
function plantIntros(rng: Rng, roster: Roster, plan: MessagePlan): void {
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
}

/** The organiser's welcome note (it quotes an email address: a decoy). */
function plantWelcome(rng: Rng, roster: Roster, plan: MessagePlan): MsgSpec {
  plan.add({
    ms: START_MS + 5 * MINUTE + rng.int(0, 59_999),
    agent: roster.organiser,
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
  return at(plan.specs, plan.specs.length - 1);
}

/** Results-reports for results that do not already have one (relays and hand-offs do). */
function plantReports(rng: Rng, results: readonly ResultRec[], plan: MessagePlan): void {
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
}

/** The baseline account reports both reference runs in one post. */
function plantBaselineReport(roster: Roster, results: readonly ResultRec[], plan: MessagePlan): void {
  const baselines = results.filter((r) => r.status === 'baseline');
  const b1 = baselines[0];
  if (!b1) return;
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

/** Legacy collab-template files from the first hours: no milliseconds, optional topic suffix. */
function plantLegacy(rng: Rng, roster: Roster, plan: MessagePlan, posters: AgentPicker, scale: number): void {
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
      // Drawn from the chatter stream when the body is written, as before.
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
}

/** Human notes and questions (dashboard posts). */
function plantHumanNotes(rng: Rng, roster: Roster, plan: MessagePlan, scale: number): void {
  const organiser = roster.organiser;
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
}

/** A shout-out naming more agents than the server delivers to (MENTION_FANOUT_CAP = 10). */
function plantShoutOut(rng: Rng, roster: Roster, results: readonly ResultRec[], plan: MessagePlan): ChatterExtras['fanout'] {
  const tShout = START_MS + Math.floor(rng.float(4.9, 5.3) * DAY);
  const counts = new Map<Agent, number>();
  for (const r of results) if (r.ms < tShout && r.status === 'agent-run' && r.agent.registered) counts.set(r.agent, (counts.get(r.agent) ?? 0) + 1);
  const shoutedAt = [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0].id < b[0].id ? -1 : 1))
    .slice(0, 12)
    .map(([a]) => a.id);
  const spec = plan.add({
    ms: tShout,
    agent: roster.organiser,
    kind: 'human-note',
    body: () =>
      ['# Thank you, most active contributors', '', `Shout-out to ${shoutedAt.map((id) => `@${id}`).join(' ')} for keeping the board busy and honest.`].join('\n'),
    notes: ['fanout-cap'],
  });
  return { spec, mentioned: shoutedAt };
}

/** Fill the rest with plans, questions, replies, error notes and status posts (wired afterwards). */
function plantChatterSlots(rng: Rng, plan: MessagePlan, posters: AgentPicker, target: number): MsgSpec[] {
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
  return chatter;
}

/** Partial board: a few replies exist only as inbox copies. */
function markInboxOnly(rng: Rng, chatter: readonly MsgSpec[], scale: number): MsgSpec[] {
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
  return inboxOnly;
}
