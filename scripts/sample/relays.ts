// Relay chains (build → failed run → diagnosis → ship) and two-agent hand-offs, planted around chosen results.
import { AgentPicker, bucketUri, type Roster } from './agents.ts';
import type { MessagePlan } from './plan.ts';
import { pickRefShape } from './plan.ts';
import { at, type Rng } from './rng.ts';
import { technique } from './techniques.ts';
import { HOUR, MINUTE, START_MS } from './time.ts';
import type { Agent, BodyContext, MsgSpec, ResultRec } from './types.ts';

export type RelayType = 'fail-run' | 'fail-msg' | 'diagship-run' | 'diagship-msg' | 'run';

/** Relay mix per block of nine (at scale 1: 4 four-agent failures, 2 where the diagnoser ships, 2 clean runs). */
const RELAY_TYPES: RelayType[] = ['fail-run', 'fail-run', 'fail-msg', 'fail-msg', 'diagship-run', 'diagship-msg', 'run', 'run', 'fail-msg'];

export interface RelayPlan {
  id: string;
  token: string;
  type: RelayType;
  builder: Agent;
  runner: Agent;
  diagnoser: Agent | null;
  shipper: Agent;
  build: MsgSpec;
  tried: MsgSpec;
  diagnose: MsgSpec | null;
  ship: ResultRec;
  report: MsgSpec;
  ckptUri: string;
  /** Run dirs the runner produced (filled in by the runs step). */
  runDirs: string[];
  jobIds: string[];
  runTps: number | null;
}

export interface HandoffPlan {
  id: string;
  poster: Agent;
  runner: Agent;
  post: MsgSpec;
  result: ResultRec;
  report: MsgSpec;
}

const errorClass = (error: string): string => error.split(':')[0] ?? error;

/** Registered helpers by join time: any agent, agents with quota, and gpu-poor agents (who stage work for others). */
interface Helpers {
  any: AgentPicker;
  quota: AgentPicker;
  poor: AgentPicker;
}

function helpersOf(roster: Roster): Helpers {
  const reg = roster.agents.filter((a) => a.registered);
  return {
    any: new AgentPicker(reg, (a) => a.weight),
    quota: new AgentPicker(reg.filter((a) => !a.gpuPoor), (a) => a.weight),
    poor: new AgentPicker(reg.filter((a) => a.gpuPoor), () => 1),
  };
}

/** A helper joined well before ms and not excluded; gpu-poor ones preferred when asked. */
function pickHelper(rng: Rng, picker: AgentPicker, ms: number, exclude: Set<string>, poor?: AgentPicker): Agent | null {
  if (poor && rng.chance(0.8)) {
    const a = poor.pick(rng, ms - 30 * MINUTE, exclude);
    if (a) return a;
  }
  return picker.pick(rng, ms - 30 * MINUTE, exclude);
}

export function plantRelays(rng: Rng, roster: Roster, results: readonly ResultRec[], plan: MessagePlan, scale: number): RelayPlan[] {
  const chosen = chooseShips(rng, results, Math.max(1, Math.round(9 * scale)));
  const relays: RelayPlan[] = [];
  const h = helpersOf(roster);
  chosen.forEach((ship, i) => {
    const relay = castRelay(rng, h, ship, at(RELAY_TYPES, i % RELAY_TYPES.length), relays.length);
    if (!relay) return;
    const story = technique(relay.token).relay as RelayStory;
    relay.build = planBuild(plan, relay, story);
    relay.tried = planTried(plan, relay, story);
    relay.diagnose = planDiagnose(rng, plan, relay, story);
    const credit = creditShip(relay, story);
    relay.report = planShipReport(rng, plan, relay, credit);
    plan.reportOf.set(ship, relay.report);
    relays.push(relay);
  });
  return relays;
}

type RelayStory = NonNullable<ReturnType<typeof technique>['relay']>;

/** Timelines of a relay: build, tried, diagnose, in that order before the ship. */
interface RelayTimes {
  tBuild: number;
  tTried: number;
  tDiag: number;
}

/** Results worth a relay story: improving inventions or adoptions of a lever that has one, after the first 16 hours. */
function relayEligible(r: ResultRec): boolean {
  return (
    r.status === 'agent-run' &&
    (r.kind === 'invent' || r.kind === 'adopt') &&
    !r.malformed &&
    !r.totalTpsMistake &&
    !r.overCapClaim &&
    !!r.parent &&
    r.submission !== null &&
    r.tpsTrue > r.parent.tpsTrue &&
    r.ms >= START_MS + 16 * HOUR &&
    !!r.newToken &&
    !!technique(r.newToken).relay
  );
}

/** Prefer inventions (one relay per lever, as in the real lm_head story), then adoptions; in time order. */
function chooseShips(rng: Rng, results: readonly ResultRec[], want: number): ResultRec[] {
  const inventions = results.filter((r) => relayEligible(r) && r.kind === 'invent');
  const others = rng.shuffle(results.filter((r) => relayEligible(r) && r.kind === 'adopt'));
  const chosen: ResultRec[] = [];
  const usedTokens = new Set<string>();
  for (const r of [...inventions, ...others]) {
    if (chosen.length >= want) break;
    if (r.kind === 'invent' && usedTokens.has(r.newToken ?? '')) continue;
    usedTokens.add(r.newToken ?? '');
    chosen.push(r);
  }
  return chosen.sort((a, b) => a.ms - b.ms);
}

/** Times and cast (builder, runner, diagnoser) for one relay; null when nobody fits. Messages come after. */
function castRelay(rng: Rng, h: Helpers, ship: ResultRec, type: RelayType, index: number): (RelayPlan & RelayTimes) | null {
  const story = technique(ship.newToken ?? '').relay;
  if (!story) return null;
  const tech = technique(ship.newToken ?? '');
  const shipper = ship.agent;
  const tDiag = ship.ms - Math.floor(rng.float(1, 4) * HOUR);
  const tTried = tDiag - Math.floor(rng.float(1, 4) * HOUR);
  const tBuild = Math.max(START_MS + 20 * MINUTE, tTried - Math.floor(rng.float(2, 7) * HOUR));
  const used = new Set([shipper.id]);
  const builder = pickHelper(rng, h.any, tBuild, used, h.poor);
  if (!builder) return null;
  used.add(builder.id);
  const runner = pickHelper(rng, h.quota, tTried, used);
  if (!runner) return null;
  used.add(runner.id);
  const fourAgents = type === 'fail-run' || type === 'fail-msg';
  const diagnoser = type === 'run' ? null : fourAgents ? pickHelper(rng, h.any, tDiag, used) : shipper;
  if (type !== 'run' && !diagnoser) return null;
  const id = `relay-${String(index + 1).padStart(2, '0')}`;
  const ckptUri = bucketUri(builder.id, `weights/${story.slug}/`);
  return { id, token: tech.token, type, builder, runner, diagnoser, shipper, ship, ckptUri, runDirs: [] as string[], jobIds: [] as string[], runTps: null as number | null, tBuild, tTried, tDiag } as RelayPlan & RelayTimes;
}

/** The builder stages a checkpoint it has no quota to run. */
function planBuild(plan: MessagePlan, relay: RelayPlan & RelayTimes, story: RelayStory): MsgSpec {
  const { builder, ckptUri } = relay;
  const tech = technique(relay.token);
  return plan.add({
    ms: relay.tBuild,
    agent: builder,
    kind: 'relay-build',
    body: () =>
      [
        `# ${story.checkpoint} staged — no quota to run it`,
        '',
        `Built the ${story.checkpoint} for the ${tech.label} lever: \`${ckptUri}\`. Manifest and serve.py are in \`submissions/${builder.id}/${story.slug}-v0/\` in my bucket.`,
        '',
        `I'm out of benchmark quota (5/5 jobs used in the last 24h), so it's staged for whoever has quota. It should drop into any current stack.`,
      ].join('\n'),
  });
}

/** The runner tries it: a clean run, or a failure at load quoting the error. */
function planTried(plan: MessagePlan, relay: RelayPlan & RelayTimes, story: RelayStory): MsgSpec {
  const runOk = relay.type === 'run';
  return plan.add({
    ms: relay.tTried,
    agent: relay.runner,
    kind: runOk ? 'relay-run' : 'relay-fail',
    refs: [relay.build],
    refShape: 'string',
    body: (ctx: BodyContext) => triedBody(ctx, relay, story),
  });
}

function triedBody(ctx: BodyContext, relay: RelayPlan, story: RelayStory): string {
  const builder = relay.builder;
  const job = relay.jobIds[0] ?? ctx.rng.hex(24);
  const dir = relay.runDirs[0] ? `\`${relay.runDirs[0]}\`` : 'my scratch bucket';
  if (relay.type === 'run') {
    const tps = relay.runTps ?? relay.ship.tpsTrue * 0.97;
    return [
      `# Ran @${builder.id}'s ${story.checkpoint}: ${ctx.score(tps)}`,
      '',
      `Picked up the staged ${story.checkpoint} from \`${ctx.name(relay.build)}\`. It loads and runs: ${ctx.score(tps)} on ${dir} (job ${job}).`,
      '',
      `My base is behind the frontier, so I'm not posting it as a result. Someone on the current best stack should ship it.`,
    ].join('\n');
  }
  return [
    `# ${story.slug} fails at load: ${errorClass(story.error)}`,
    '',
    `Tried @${builder.id}'s ${story.checkpoint} from \`${ctx.name(relay.build)}\` on my stack. The job died before the server came up:`,
    '',
    '```',
    story.error,
    '```',
    '',
    `job ${job}, run ${dir}. ${relay.runDirs.length > 1 ? 'Retried once with the same manifest: same error.' : 'Not retrying until someone has an idea.'} Anyone seen this?`,
  ].join('\n');
}

/** The diagnoser (if any) explains the load error and the fix. */
function planDiagnose(rng: Rng, plan: MessagePlan, relay: RelayPlan & RelayTimes, story: RelayStory): MsgSpec | null {
  const { diagnoser, runner, builder } = relay;
  if (!diagnoser) return null;
  return plan.add({
    ms: relay.tDiag,
    agent: diagnoser,
    kind: 'relay-diagnose',
    refs: [relay.tried],
    refShape: rng.chance(0.5) ? 'string' : 'list',
    body: (ctx: BodyContext) =>
      [
        `# Fix for the ${story.slug} load error`,
        '',
        `@${runner.id} the \`${errorClass(story.error)}\` in \`${ctx.name(relay.tried)}\` is not your stack: ${story.cause}.`,
        '',
        `Fix: ${story.fix}. @${builder.id} worth re-uploading the checkpoint with that change.`,
      ].join('\n'),
  });
}

/** The shipped result credits the chain in its description and lists the checkpoint as an artifact. */
function creditShip(relay: RelayPlan, story: RelayStory): string[] {
  const { builder, runner, diagnoser, shipper, ship } = relay;
  const credit = [
    `@${builder.id} built the ${story.checkpoint}`,
    relay.type === 'run' ? `@${runner.id} ran it first` : `@${runner.id} ran it first (failed at load)`,
    ...(diagnoser && diagnoser !== shipper ? [`@${diagnoser.id} diagnosed ${story.causeShort}`] : []),
  ];
  ship.extraDescription.push(`Relay: ${credit.join(', ')}.`);
  ship.artifacts.push(relay.ckptUri);
  return credit;
}

/** The shipper's results-report: the result and the last relay message, with credit where due. */
function planShipReport(rng: Rng, plan: MessagePlan, relay: RelayPlan, credit: string[]): MsgSpec {
  const { ship, shipper, diagnoser } = relay;
  const tech = technique(relay.token);
  const prev = relay.diagnose ?? relay.tried;
  return plan.add({
    ms: ship.ms + Math.floor(rng.float(3, 40) * MINUTE),
    agent: shipper,
    kind: 'results-report',
    refs: [ship, prev],
    refShape: pickRefShape(rng, 2),
    body: (ctx: BodyContext) =>
      [
        `# ${ctx.score(ship.tps)} with ${tech.label}: relay shipped`,
        '',
        `Posted \`${ctx.name(ship)}\`: ${ctx.score(ship.tps)} / PPL ${ship.ppl.toFixed(4)} (\`${ship.method}\`), up from ${ctx.score(ship.parent?.tps ?? ship.tps)} on \`${ctx.name(ship.parent ?? ship)}\`.`,
        '',
        `Credit where due: ${credit.join(', ')}${diagnoser === shipper ? '; I found the fix and wired it in' : '; I only wired it into the current stack'}.`,
      ].join('\n'),
  });
}

export function plantHandoffs(
  rng: Rng,
  roster: Roster,
  results: readonly ResultRec[],
  plan: MessagePlan,
  scale: number,
  taken: ReadonlySet<ResultRec>,
): HandoffPlan[] {
  const want = Math.max(1, Math.round(10 * scale));
  const cands = rng.shuffle(
    results.filter(
      (r) =>
        r.kind === 'adopt' && r.status === 'agent-run' && !r.malformed && !r.totalTpsMistake && !taken.has(r) && r.parent && r.newToken && r.ms > START_MS + 10 * HOUR,
    ),
  );
  const out: HandoffPlan[] = [];
  const h = helpersOf(roster);
  for (const result of cands) {
    if (out.length >= want) break;
    const parent = result.parent;
    if (!parent || !result.newToken) continue;
    // The spec quotes the parent, so it comes after it and well before the run.
    const tPost = Math.max(parent.ms + 20 * MINUTE, result.ms - Math.floor(rng.float(3, 12) * HOUR));
    if (tPost > result.ms - 30 * MINUTE) continue;
    const poster = h.poor.pick(rng, tPost - 30 * MINUTE, new Set([result.agent.id]));
    if (!poster) continue;
    const tech = technique(result.newToken);
    const id = `handoff-${String(out.length + 1).padStart(2, '0')}`;
    const post = plan.add({
      ms: tPost,
      agent: poster,
      kind: 'handoff-spec',
      refs: [parent],
      refShape: rng.chance(0.5) ? 'string' : 'list',
      body: (ctx: BodyContext) =>
        [
          `# Spec for whoever has GPU: ${tech.label} on ${parent.method}`,
          '',
          `I can't run this myself (GPU-poor today, no quota). Recipe: take \`${ctx.name(parent)}\` and add the ${tech.label}; my profile says about +${Math.max(2, Math.round(tech.lift))} tok/s.`,
          '',
          `A manifest sketch is in \`drafts/${poster.id}/${tech.token}-spec.md\` in my bucket. Please credit if it works.`,
        ].join('\n'),
    });
    result.extraDescription.push(`Spec by @${poster.id}.`);
    const report = plan.add({
      ms: result.ms + Math.floor(rng.float(3, 50) * MINUTE),
      agent: result.agent,
      kind: 'results-report',
      refs: [result, post],
      refShape: pickRefShape(rng, 2),
      body: (ctx: BodyContext) =>
        [
          `# ${ctx.score(result.tps)}: ran @${poster.id}'s spec`,
          '',
          `Ran the spec from \`${ctx.name(post)}\` on \`${parent.method}\`: \`${ctx.name(result)}\` at ${ctx.score(result.tps)} / PPL ${result.ppl.toFixed(4)}.`,
          '',
          `All credit for the idea to @${poster.id}; I just had the quota.`,
        ].join('\n'),
    });
    plan.reportOf.set(result, report);
    out.push({ id, poster, runner: result.agent, post, result, report });
  }
  return out;
}
