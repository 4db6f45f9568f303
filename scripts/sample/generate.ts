// Composes the sample: plan agents, results, runs, relays, verdicts and board traffic, then write every part once.
import { buildRoster } from './agents.ts';
import { messagePages, writeApi } from './api.ts';
import { writeAgents, writeMessages, writeResults, writeVerificationIndex, type ApiRecord } from './board.ts';
import { planChatter } from './chatter.ts';
import { collabConfig, readme, writeSharedResources } from './docs.ts';
import { writeLeaderboards, type BoardQuery } from './leaderboard.ts';
import { FilenameRegistry } from './naming.ts';
import { MessagePlan } from './plan.ts';
import { plantHandoffs, plantRelays } from './relays.ts';
import { simulateResults } from './results.ts';
import { Rng } from './rng.ts';
import { writeRunDir } from './run-files.ts';
import { planRuns } from './runs.ts';
import type { Sink } from './sink.ts';
import { plantSpecials } from './specials.ts';
import { plantEpisodes } from './episodes.ts';
import { planTaskforces } from './taskforces.ts';
import { channelTruth, planChannels, writeBroadcasts, writeChannels, writeTraces } from './channels.ts';
import { DAY, END_MS, HOUR, MINUTE, START_MS } from './time.ts';
import type { SampleOptions, ScoreMode } from './types.ts';
import type { GroundTruth } from './ground-truth.ts';
import { LATENCY_NUMERATOR, groundTruth } from './ground-truth-sections.ts';
import { runVerifier } from './verification.ts';

export type { GroundTruth } from './ground-truth.ts';
export type Log = (line: string) => void;


export function scoreMode(lowerIsBetter: boolean): ScoreMode {
  return lowerIsBetter
    ? { field: 'latency_ms', label: 'Latency', unit: 'ms', higher: false, fromTps: (tps) => LATENCY_NUMERATOR / tps }
    : { field: 'tps', label: 'TPS', unit: 'tok/s', higher: true, fromTps: (tps) => tps };
}

/** Everything planned before a file is written (the plan phase draws from its own forked streams). */
export interface SamplePlan {
  mode: ScoreMode;
  names: FilenameRegistry;
  roster: ReturnType<typeof buildRoster>;
  timeline: ReturnType<typeof simulateResults>;
  plan: MessagePlan;
  relays: ReturnType<typeof plantRelays>;
  handoffs: ReturnType<typeof plantHandoffs>;
  runs: ReturnType<typeof planRuns>;
  specials: ReturnType<typeof plantSpecials>;
  episodes: ReturnType<typeof plantEpisodes>;
  taskforces: ReturnType<typeof planTaskforces>;
  channelPlan: ReturnType<typeof planChannels> | null;
  verdicts: ReturnType<typeof runVerifier>;
  chatter: ReturnType<typeof planChatter>;
  specs: ReturnType<MessagePlan['assignNames']>;
}

/** What the write phase reports back for the ground truth. */
export interface SampleWrites {
  agentFiles: number;
  board: ReturnType<typeof writeMessages>;
  indexed: number;
  boards: BoardQuery[];
  apiFiles: ReturnType<typeof writeApi>;
  rooms: ReturnType<typeof channelTruth> | null;
  shared: ReturnType<typeof writeSharedResources>;
}

/** The four leaderboard snapshots the export holds. */
const LEADERBOARDS: BoardQuery[] = [
  { file: 'leaderboard/leaderboard_best_per_agent_2026-06-09.json', atMs: START_MS + DAY + 23 * HOUR + 47 * MINUTE + 12_345, bestPerAgent: true },
  { file: 'leaderboard/leaderboard_best_per_agent_2026-06-11.json', atMs: START_MS + 3 * DAY + 15 * HOUR + 42 * MINUTE + 49_824, bestPerAgent: true },
  { file: 'leaderboard/leaderboard_valid_2026-06-12.json', atMs: START_MS + 4 * DAY + 8 * HOUR + 51 * MINUTE + 11_593, bestPerAgent: true, verification: 'valid' },
  { file: 'leaderboard/leaderboard_all_2026-06-13.json', atMs: END_MS - 37 * MINUTE - 25_097, bestPerAgent: false, limit: 100 },
];

export function generateSample(opts: SampleOptions, sink: Sink, log: Log = () => {}): GroundTruth {
  if (!(opts.scale >= 0.1)) throw new Error(`scale must be at least 0.1 (got ${opts.scale})`);
  const rng = new Rng(opts.seed);
  const p = planSample(rng, opts, log);
  const w = writeSample(sink, rng, p, log);
  return groundTruth(opts, p, w, sink);
}

function planSample(rng: Rng, opts: SampleOptions, log: Log): SamplePlan {
  const mode = scoreMode(opts.lowerIsBetter);
  const names = new FilenameRegistry();
  const roster = buildRoster(rng.fork('agents'), opts.scale);
  const timeline = simulateResults(rng.fork('results'), roster, opts.scale, names);
  const { results, firstUse } = timeline;
  log(`planned ${roster.all.length} identities, ${results.length} results`);

  const plan = new MessagePlan();
  const relays = plantRelays(rng.fork('relays'), roster, results, plan, opts.scale);
  const handoffs = plantHandoffs(rng.fork('handoffs'), roster, results, plan, opts.scale, new Set(relays.map((r) => r.ship)));
  log(`planted ${relays.length} relays, ${handoffs.length} hand-offs`);
  const runs = planRuns(rng.fork('runs'), results, firstUse, relays, opts.scale);
  log(`planned ${runs.buckets.length} run buckets`);
  const specials = plantSpecials(rng.fork('specials'), roster, results, timeline.loopholeReportMs, plan);
  // The newer template has channels instead of taskforces; its own stream leaves every other part as it was.
  const channelsLayout = opts.layout === 'channels';
  const taskforces = channelsLayout ? [] : planTaskforces(rng.fork('taskforces'), roster, plan, opts.scale);
  const channelPlan = channelsLayout ? planChannels(rng.fork('channels'), roster, plan, results) : null;
  const verdicts = runVerifier(rng.fork('verifier'), roster, results, plan, mode);
  log(`verifier posted ${verdicts.length} verdicts`);
  const chatter = planChatter(rng.fork('chatter'), { roster, results, firstUse, scale: opts.scale }, plan);
  const episodes = plantEpisodes(rng.fork('episodes'), roster, results, plan, opts.scale);
  const specs = plan.assignNames(names);
  log(`planned ${specs.length} messages`);
  return { mode, names, roster, timeline, plan, relays, handoffs, runs, specials, episodes, taskforces, channelPlan, verdicts, chatter, specs };
}

/** Write every part. */
function writeSample(sink: Sink, rng: Rng, p: SamplePlan, log: Log): SampleWrites {
  const { mode, roster, specs } = p;
  const { results, firstUse } = p.timeline;
  const api = new Map<string, ApiRecord>();
  const apiWanted = new Set(messagePages(specs).flat());
  const agentFiles = writeAgents(sink, roster);
  writeResults(sink, rng.fork('write-results'), mode, results, api);
  const board = writeMessages(sink, rng.fork('write-messages'), mode, roster, specs, apiWanted, api);
  log(`wrote ${board.messages} board messages, ${board.inboxFiles} inbox copies`);
  writeRunDirs(sink, p, log);
  const indexed = writeVerificationIndex(sink, rng.fork('write-index'), results);
  writeLeaderboards(sink, results, mode, LEADERBOARDS, api);
  const apiFiles = writeApi(sink, roster, specs, results, api);
  writeTaskforces(sink, p);
  const rooms = p.channelPlan ? writeChannelLayout(sink, rng, p, p.channelPlan, log) : null;
  const shared = writeSharedResources(sink, rng.fork('docs'), roster, mode, firstUse, p.relays, p.runs.buckets);
  sink.write('README.md', readme(mode));
  sink.write('collab-atlas.json', `${JSON.stringify(collabConfig(mode), null, 2)}\n`);
  return { agentFiles, board, indexed, boards: LEADERBOARDS, apiFiles, rooms, shared };
}

function writeRunDirs(sink: Sink, p: SamplePlan, log: Log): void {
  const buckets = p.runs.buckets;
  let runFiles = 0;
  for (const b of buckets) for (const r of b.runs) runFiles += writeRunDir(sink, b, r, p.mode);
  log(`wrote ${buckets.reduce((a, b) => a + b.runs.length, 0)} run dirs (${runFiles} files)`);
}

function writeTaskforces(sink: Sink, p: SamplePlan): void {
  for (const tf of p.taskforces) {
    sink.write(`taskforces/${tf.name}/README.md`, tf.readme);
    for (const f of tf.files) sink.write(f.path, f.text);
  }
}

/** The channels layout: rooms, broadcasts and traces, and what they plant. */
function writeChannelLayout(sink: Sink, rng: Rng, p: SamplePlan, channelPlan: NonNullable<SamplePlan['channelPlan']>, log: Log): ReturnType<typeof channelTruth> {
  const files = writeChannels(sink, p.roster, channelPlan, p.names);
  const broadcasts = writeBroadcasts(sink, p.roster, p.names);
  const traces = writeTraces(sink, rng.fork('traces'), p.roster);
  log(`wrote ${channelPlan.rooms.length} channels (${files.messages.length} messages), ${broadcasts.length} broadcasts, ${traces.length} traces`);
  return channelTruth(channelPlan, files, broadcasts, traces);
}
