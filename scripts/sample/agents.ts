// The roster: fictional agents (adjective-animal handles), a few humans, the verifier and the baseline identity.
import { ADJECTIVES, ANIMALS, BIO_FOCUS, HARNESSES, HUMAN_NAMES, MODELS, TOOLS, USER_STEMS, USER_SUFFIXES, displayName } from './names.ts';
import { at, type Rng } from './rng.ts';
import { DAY, HOUR, MINUTE, START_MS } from './time.ts';
import type { Agent } from './types.ts';

export const ORG = 'sample-collab';
export const VERIFIER_ID = 'sample-verifier';
export const BASELINE_ID = 'sample-baseline';

export interface Roster {
  all: Agent[];
  byId: Map<string, Agent>;
  /** Regular agents (kind agent), sorted by join time. */
  agents: Agent[];
  humans: Agent[];
  verifier: Agent;
  baseline: Agent;
  /** The organiser human who posts notices (first human). */
  organiser: Agent;
}

export function bucketOf(id: string): string {
  return `${ORG}/sample-${id}`;
}

export function bucketUri(id: string, path = ''): string {
  return `hf://buckets/${bucketOf(id)}/${path}`;
}

function handles(rng: Rng, n: number): string[] {
  const combos: string[] = [];
  for (const a of ADJECTIVES) for (const b of ANIMALS) combos.push(`${a}-${b}`);
  const shuffled = rng.shuffle(combos);
  const out: string[] = [];
  // Beyond the word lists (scale > ~140) a numeric suffix keeps handles unique and valid.
  for (let i = 0; i < n; i++) {
    const base = at(shuffled, i % shuffled.length);
    const round = Math.floor(i / shuffled.length);
    out.push(round === 0 ? base : `${base}-${round + 1}`);
  }
  return out;
}

function hfUser(rng: Rng): string {
  const stem = rng.pick(USER_STEMS);
  const form = rng.int(0, 2);
  const suffix = rng.pick(USER_SUFFIXES);
  if (form === 0) return `${stem.charAt(0).toUpperCase()}${stem.slice(1)}${suffix.charAt(0).toUpperCase()}${suffix.slice(1)}`;
  if (form === 1) return `${stem}-${suffix}`;
  return `${stem}${rng.int(10, 99)}`;
}

function bio(rng: Rng, id: string, model: string, harness: string): string {
  const focus = rng.pick(BIO_FOCUS);
  const lines = [
    `${displayName(id)} is a ${model} agent running in ${harness}. Focus: ${focus}.`,
    rng.pick([
      'Posts every run, including the dead ends.',
      'Prefers small, reproducible steps over big jumps.',
      'Happy to run other agents\' specs when quota allows.',
      'Keeps a running log in its scratch bucket.',
      'Will re-run anything that looks like noise before claiming it.',
    ]),
  ];
  return lines.join(' ');
}

export function buildRoster(rng: Rng, scale: number): Roster {
  const nAgents = Math.max(8, Math.round(100 * scale));
  const nHumans = Math.max(2, Math.round(3 * scale));
  const nUnregistered = Math.max(1, Math.round(3 * scale));
  const nGpuPoor = Math.max(2, Math.round(10 * scale));
  const ids = handles(rng.fork('handles'), nAgents);
  const users: string[] = [];
  const agents = ids.map((id) => makeAgent(rng, id, users));
  markUnregistered(rng, agents, nUnregistered);
  const registered = agents.filter((a) => a.registered);
  for (const a of rng.sample(registered, nGpuPoor)) a.gpuPoor = true;
  markApiOnly(rng, registered);
  const humans = makeHumans(rng, nHumans);
  const organiser = at(humans, 0);
  const verifier = verifierAgent();
  const baseline = baselineAgent();
  const sorted = agents.slice().sort((a, b) => a.joinedMs - b.joinedMs || (a.id < b.id ? -1 : 1));
  const all = [...sorted, ...humans, verifier, baseline];
  const byId = new Map(all.map((a) => [a.id, a]));
  return { all, byId, agents: sorted, humans, verifier, baseline, organiser };
}

/** One agent: its HF user (shared by a few agents), model, harness, tools, join time, activity and skill. */
function makeAgent(rng: Rng, id: string, users: string[]): Agent {
  // Some HF users run several agents (as in the real collaboration).
  const user = users.length > 4 && rng.chance(0.1) ? rng.pick(users) : hfUser(rng);
  users.push(user);
  const model = rng.pick(MODELS);
  const harness = rng.pick(HARNESSES);
  const tools = TOOLS.filter((_tool, k) => k < 2 || rng.chance(0.45));
  // 70 % registered before the start; the rest join during the first four days.
  const joinedMs = rng.chance(0.7)
    ? START_MS - Math.floor(rng.float(0.1, 5) * DAY)
    : START_MS + Math.floor(rng.float(0, 4) * DAY);
  const weight = Math.min(40, 1 / rng.float(0.02, 1) ** 0.9);
  return {
    id,
    name: displayName(id),
    hfUser: user,
    model,
    harness,
    tools,
    bucket: bucketOf(id),
    joinedMs: Math.floor(joinedMs / MINUTE) * MINUTE + rng.int(0, 59) * 1000,
    bio: bio(rng, id, model, harness),
    kind: 'agent',
    hasFile: true,
    registered: true,
    apiOnly: false,
    gpuPoor: false,
    weight,
    skill: Math.min(1.03, Math.max(0.96, rng.normal(1, 0.015))),
  };
}

/** Unregistered authors: no agents/ file, no inbox; they only post raw messages. */
function markUnregistered(rng: Rng, agents: readonly Agent[], n: number): void {
  for (const a of rng.sample(agents, n)) {
    a.hasFile = false;
    a.registered = false;
    a.gpuPoor = true;
  }
}

/**
 * One agent is known only from the API listing (its agents/ file is missing from the copy).
 * Chosen among the first ids alphabetically so it lands on the saved first page of api/agents.json.
 */
function markApiOnly(rng: Rng, registered: readonly Agent[]): void {
  const apiOnly = rng.pick(
    registered
      .filter((a) => !a.gpuPoor)
      .sort((a, b) => (a.id < b.id ? -1 : 1))
      .slice(0, 150),
  );
  apiOnly.hasFile = false;
  apiOnly.apiOnly = true;
}

/** The humans: the first is the organiser; they post from the dashboard. */
function makeHumans(rng: Rng, nHumans: number): Agent[] {
  const humanNames = rng.shuffle(HUMAN_NAMES);
  const humans: Agent[] = [];
  for (let i = 0; i < nHumans; i++) {
    const base = at(humanNames, i % humanNames.length);
    const round = Math.floor(i / humanNames.length);
    const id = `human-${base}${round ? `-${round + 1}` : ''}`;
    humans.push({
      id,
      name: displayName(base),
      hfUser: `${base}${rng.int(10, 99)}`,
      model: 'human',
      harness: 'dashboard',
      tools: [],
      bucket: bucketOf(id),
      joinedMs: START_MS - rng.int(1, 6) * DAY + rng.int(0, 23) * HOUR,
      bio: i === 0 ? 'Organiser of the sample collaboration. Posts notices and answers questions.' : 'Human participant; reads the board and asks questions.',
      kind: 'human',
      hasFile: true,
      registered: true,
      apiOnly: false,
      gpuPoor: true,
      weight: i === 0 ? 3 : 1,
      skill: 1,
    });
  }
  return humans;
}

function verifierAgent(): Agent {
  return {
    id: VERIFIER_ID,
    name: 'Sample Verifier',
    hfUser: 'sample-org',
    model: 'verifier-pipeline',
    harness: 'organiser-verifier',
    tools: ['hf'],
    bucket: bucketOf(VERIFIER_ID),
    joinedMs: START_MS - 7 * DAY,
    bio: 'The organisers\' verification identity: re-runs SOTA claims on the private prompt set and posts verdicts.',
    kind: 'verifier',
    hasFile: true,
    registered: true,
    apiOnly: false,
    gpuPoor: true,
    weight: 0,
    skill: 1,
  };
}

function baselineAgent(): Agent {
  return {
    id: BASELINE_ID,
    name: 'Sample Baseline',
    hfUser: 'sample-org',
    model: 'none',
    harness: 'organiser-scripts',
    tools: ['bash', 'hf'],
    bucket: bucketOf(BASELINE_ID),
    joinedMs: START_MS - 7 * DAY,
    bio: 'Organiser identity that posts the reference baselines.',
    kind: 'baseline',
    hasFile: true,
    registered: true,
    apiOnly: false,
    gpuPoor: false,
    weight: 0,
    skill: 1,
  };
}

/**
 * Weighted agent picker restricted to agents that have joined by a given time.
 * Agents are sorted by join time, so the eligible set is a prefix and a binary search does the work.
 */
export class AgentPicker {
  private readonly list: Agent[];
  private readonly cum: number[];

  constructor(agents: readonly Agent[], weight: (a: Agent) => number) {
    this.list = agents.slice().sort((a, b) => a.joinedMs - b.joinedMs || (a.id < b.id ? -1 : 1));
    this.cum = [];
    let total = 0;
    for (const a of this.list) {
      total += Math.max(0, weight(a));
      this.cum.push(total);
    }
  }

  pick(rng: Rng, ms: number, exclude?: ReadonlySet<string>): Agent | null {
    // Prefix of agents joined by ms.
    let lo = 0;
    let hi = this.list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (at(this.list, mid).joinedMs <= ms) lo = mid + 1;
      else hi = mid;
    }
    const k = lo;
    if (k === 0) return null;
    const total = at(this.cum, k - 1);
    if (total <= 0) return null;
    for (let attempt = 0; attempt < 12; attempt++) {
      const u = rng.next() * total;
      let a = 0;
      let b = k - 1;
      while (a < b) {
        const mid = (a + b) >> 1;
        if (at(this.cum, mid) > u) b = mid;
        else a = mid + 1;
      }
      const agent = at(this.list, a);
      if (!exclude?.has(agent.id)) return agent;
    }
    return null;
  }
}
