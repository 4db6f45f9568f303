// Composes the sample: plan agents, results, runs, relays, verdicts and board traffic, then write every part once.
import { buildRoster } from './agents.ts';
import { messagePages, writeApi } from './api.ts';
import { round2, writeAgents, writeMessages, writeResults, writeVerificationIndex, type ApiRecord } from './board.ts';
import { planChatter } from './chatter.ts';
import { collabConfig, readme, writeSharedResources } from './docs.ts';
import { writeLeaderboards, type BoardQuery } from './leaderboard.ts';
import { buildLineage } from './lineage.ts';
import { FilenameRegistry } from './naming.ts';
import { MessagePlan } from './plan.ts';
import { plantHandoffs, plantRelays, type RelayPlan } from './relays.ts';
import { simulateResults } from './results.ts';
import { Rng } from './rng.ts';
import { writeRunDir } from './run-files.ts';
import { planRuns } from './runs.ts';
import type { Sink } from './sink.ts';
import { plantSpecials } from './specials.ts';
import { planTaskforces } from './taskforces.ts';
import { channelTruth, planChannels, writeBroadcasts, writeChannels, writeTraces } from './channels.ts';
import { DAY, END_MS, HOUR, MINUTE, START_MS, isoMs } from './time.ts';
import type { MsgSpec, ResultRec, SampleOptions, ScoreMode } from './types.ts';
import type { GroundTruth, RelayStep } from './ground-truth.ts';
import { runVerifier } from './verification.ts';

export type { GroundTruth } from './ground-truth.ts';
export type Log = (line: string) => void;

/** 512 output tokens per request: mean latency (ms) = 512 000 / throughput. */
const LATENCY_NUMERATOR = 512_000;

const runRole = (r: RelayPlan): RelayStep['role'] => (r.type === 'run' ? 'run' : 'fail');

export function scoreMode(lowerIsBetter: boolean): ScoreMode {
  return lowerIsBetter
    ? { field: 'latency_ms', label: 'Latency', unit: 'ms', higher: false, fromTps: (tps) => LATENCY_NUMERATOR / tps }
    : { field: 'tps', label: 'TPS', unit: 'tok/s', higher: true, fromTps: (tps) => tps };
}

export function generateSample(opts: SampleOptions, sink: Sink, log: Log = () => {}): GroundTruth {
  if (!(opts.scale >= 0.1)) throw new Error(`scale must be at least 0.1 (got ${opts.scale})`);
  const rng = new Rng(opts.seed);
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
  const specs = plan.assignNames(names);
  log(`planned ${specs.length} messages`);

  // Write every part.
  const api = new Map<string, ApiRecord>();
  const apiWanted = new Set(messagePages(specs).flat());
  const agentFiles = writeAgents(sink, roster);
  writeResults(sink, rng.fork('write-results'), mode, results, api);
  const board = writeMessages(sink, rng.fork('write-messages'), mode, roster, specs, apiWanted, api);
  log(`wrote ${board.messages} board messages, ${board.inboxFiles} inbox copies`);
  let runFiles = 0;
  for (const b of runs.buckets) for (const r of b.runs) runFiles += writeRunDir(sink, b, r, mode);
  log(`wrote ${runs.buckets.reduce((a, b) => a + b.runs.length, 0)} run dirs (${runFiles} files)`);
  const indexed = writeVerificationIndex(sink, rng.fork('write-index'), results);
  const boards: BoardQuery[] = [
    { file: 'leaderboard/leaderboard_best_per_agent_2026-06-09.json', atMs: START_MS + DAY + 23 * HOUR + 47 * MINUTE + 12_345, bestPerAgent: true },
    { file: 'leaderboard/leaderboard_best_per_agent_2026-06-11.json', atMs: START_MS + 3 * DAY + 15 * HOUR + 42 * MINUTE + 49_824, bestPerAgent: true },
    { file: 'leaderboard/leaderboard_valid_2026-06-12.json', atMs: START_MS + 4 * DAY + 8 * HOUR + 51 * MINUTE + 11_593, bestPerAgent: true, verification: 'valid' },
    { file: 'leaderboard/leaderboard_all_2026-06-13.json', atMs: END_MS - 37 * MINUTE - 25_097, bestPerAgent: false, limit: 100 },
  ];
  writeLeaderboards(sink, results, mode, boards, api);
  const apiFiles = writeApi(sink, roster, specs, results, api);
  for (const tf of taskforces) {
    sink.write(`taskforces/${tf.name}/README.md`, tf.readme);
    for (const f of tf.files) sink.write(f.path, f.text);
  }
  const rooms = channelPlan
    ? (() => {
        const files = writeChannels(sink, roster, channelPlan, names);
        const broadcasts = writeBroadcasts(sink, roster, names);
        const traces = writeTraces(sink, rng.fork('traces'), roster);
        log(`wrote ${channelPlan.rooms.length} channels (${files.messages.length} messages), ${broadcasts.length} broadcasts, ${traces.length} traces`);
        return channelTruth(channelPlan, files, broadcasts, traces);
      })()
    : null;
  const shared = writeSharedResources(sink, rng.fork('docs'), roster, mode, firstUse, relays, runs.buckets);
  sink.write('README.md', readme(mode));
  sink.write('collab-atlas.json', `${JSON.stringify(collabConfig(mode), null, 2)}\n`);

  // Ground truth: everything planted, by filename.
  const lineage = buildLineage(results, plan.reportOf, runs.envEdges, firstUse);
  const msg = (s: MsgSpec): string => s.filename;
  const msgPath = (s: MsgSpec): string => `message_board/${s.filename}`;
  const resPath = (r: ResultRec): string => `results/${r.filename}`;
  const allRuns = runs.buckets.flatMap((b) => b.runs);
  const stamp = (ms: number): string => isoMs(ms);
  const totalFiles = [...sink.counts.values()].reduce((a, b) => a + b, 0);
  const filesByPart = Object.fromEntries([...sink.counts.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)));

  return {
    generator: {
      name: 'collab-atlas synthetic sample',
      version: 1,
      seed: opts.seed,
      scale: opts.scale,
      score_field: mode.field,
      score_unit: mode.unit,
      higher_is_better: mode.higher,
      start: stamp(START_MS),
      end: stamp(END_MS),
      conventions:
        'Result and message names are bare filenames; fields named file, runs and steps[].file are export-relative paths (message_board/..., results/..., runs/<dir>). Scores are in the configured score field units.',
    },
    counts: {
      agents_files: agentFiles,
      identities: roster.all.length,
      humans: roster.humans.length,
      messages: board.messages,
      legacy_messages: board.legacy,
      inbox_files: board.inboxFiles,
      inbox_only_messages: board.inboxOnly.length,
      results: results.length,
      results_agent_run: results.filter((r) => r.status === 'agent-run').length,
      results_negative: results.filter((r) => r.status === 'negative').length,
      results_baseline: results.filter((r) => r.status === 'baseline').length,
      verification_index_entries: indexed,
      verdicts: verdicts.length,
      run_dirs: allRuns.length,
      run_buckets: runs.buckets.length,
      distinct_jobs: new Set(allRuns.map((r) => r.jobId)).size,
      completed_runs: allRuns.filter((r) => r.status === 'completed' && !r.duplicateOf).length,
      leaderboards: boards.length,
      api_files: apiFiles.length,
      taskforces: taskforces.length,
      taskforce_files: taskforces.reduce((a, t) => a + 1 + t.files.length, 0),
      shared_resource_files: shared.files.length,
      relays: relays.length,
      handoffs: handoffs.length,
      lineage_edges: lineage.edges.length,
      techniques: lineage.techniques.length,
      files_total: totalFiles + 1,
      files_by_part: filesByPart,
    },
    agents: {
      verifier: roster.verifier.id,
      baseline: roster.baseline.id,
      organiser: roster.organiser.id,
      humans: roster.humans.map((h) => h.id),
      unregistered_authors: roster.agents.filter((a) => !a.registered).map((a) => a.id).sort(),
      api_only: roster.agents.filter((a) => a.apiOnly).map((a) => a.id),
      gpu_poor: roster.agents.filter((a) => a.registered && a.gpuPoor).map((a) => a.id).sort(),
    },
    lineage,
    relays: relays.map((r) => ({
      id: r.id,
      type: r.type,
      token: r.token,
      agents: [...new Set([r.builder.id, r.runner.id, ...(r.diagnoser ? [r.diagnoser.id] : []), r.shipper.id])],
      checkpoint: r.ckptUri,
      steps: [
        { agent: r.builder.id, role: 'build', file: msgPath(r.build) },
        { agent: r.runner.id, role: runRole(r), file: msgPath(r.tried) },
        ...r.runDirs.map((d): RelayStep => ({ agent: r.runner.id, role: runRole(r), file: d })),
        ...(r.diagnose ? [{ agent: (r.diagnoser ?? r.shipper).id, role: 'diagnose' as const, file: msgPath(r.diagnose) }] : []),
        { agent: r.shipper.id, role: 'ship', file: resPath(r.ship) },
        { agent: r.shipper.id, role: 'ship', file: msgPath(r.report) },
      ],
      outcome_result: r.ship.filename,
      improvement: { from: round2(mode.fromTps(r.ship.parent?.tps ?? r.ship.tps)), to: round2(mode.fromTps(r.ship.tps)), parent: r.ship.parent?.filename ?? null },
    })),
    handoffs: handoffs.map((h) => ({ id: h.id, agents: [h.poster.id, h.runner.id], post: msgPath(h.post), result: resPath(h.result), report: msgPath(h.report) })),
    noise: {
      unit: mode.unit,
      pooled_sigma: shared.noise.pooledSigma,
      tie_threshold: shared.noise.tieThreshold,
      buckets: runs.buckets.map((b) => ({
        key: b.key,
        kind: b.kind,
        agent: b.agent.id,
        submission_prefix: b.submissionPrefix,
        manifest_sha_hint: b.manifestSha,
        manifest_name: (b.manifest.name as string | undefined) ?? null,
        runs: b.runs.map((r) => `runs/${r.dir}`),
        completed_runs: b.runs.filter((r) => r.status === 'completed' && !r.duplicateOf).length,
        true_mean: mode.fromTps(b.trueMean),
        sigma: mode.higher ? b.sigma : (LATENCY_NUMERATOR / b.trueMean ** 2) * b.sigma,
        result: b.result?.filename ?? null,
      })),
      selection_bias: runs.selectionBias.map((r) => r.filename).sort(),
    },
    special: {
      move_request: msg(specials.moveRequest),
      move_refusals: specials.moveRefusals.map(msg),
      loophole_report: specials.loopholeReport ? msg(specials.loopholeReport) : null,
      loophole_responses: specials.loopholeResponses.map(msg),
      loophole_results: specials.loopholeResults.map((r) => r.filename),
      verdicts: verdicts.map((v) => ({
        message: msg(v.spec),
        result: v.result.filename,
        owner: v.result.agent.id,
        verdict: v.verdict,
        form: v.form,
        reported: v.verdict === 'unreproducible' ? null : round2(v.reported),
        rerun: v.rerun === null ? null : round2(v.rerun),
        rerun_ppl: v.rerunPpl === null ? null : Math.round(v.rerunPpl * 10000) / 10000,
        delta_pct: v.deltaPct === null ? null : round2(v.deltaPct),
      })),
      total_tps_mistakes: results.filter((r) => r.totalTpsMistake).map((r) => r.filename),
      over_cap_claims: results.filter((r) => r.overCapClaim).map((r) => r.filename),
      malformed_results: results.filter((r) => r.malformed).map((r) => r.filename),
      ppl_omitted: results.filter((r) => r.pplOmitted).map((r) => r.filename),
      email_decoys: chatter.emailDecoys.filter((s) => !s.inboxOnly).map(msg).concat(msg(specials.moveRequest)).sort(),
      inbox_only: board.inboxOnly.map((f) => ({ filename: f, recipients: board.recipients.get(f) ?? [] })),
      fanout_cap: {
        message: msg(chatter.fanout.spec),
        mentioned: chatter.fanout.mentioned,
        delivered: board.recipients.get(chatter.fanout.spec.filename) ?? [],
      },
      legacy_messages: specs.filter((s) => s.legacy).map(msg),
      duplicate_runs: allRuns.filter((r) => r.duplicateOf).map((r) => ({ dir: `runs/${r.dir}`, duplicate_of: `runs/${r.duplicateOf}` })),
      partial_runs: allRuns.filter((r) => r.status === 'partial').map((r) => `runs/${r.dir}`),
      failed_runs: allRuns.filter((r) => r.status === 'error').map((r) => `runs/${r.dir}`),
      timed_out_runs: allRuns.filter((r) => r.status === 'timed_out').map((r) => `runs/${r.dir}`),
      split_buckets: runs.buckets.filter((b) => b.kind === 'split').map((b) => b.key),
      odd_files: [
        ...results.filter((r) => r.malformed).map((r) => ({ file: resPath(r), why: `${mode.field} is not a number` })),
        ...specs.filter((s) => s.legacy).map((s) => ({ file: msgPath(s), why: 'legacy name (no milliseconds, optional _topic)' })),
        ...roster.agents.filter((a) => a.apiOnly).map((a) => ({ file: 'api/agents.json', why: `${a.id} is registered only in the API listing (no agents/ file)` })),
      ],
    },
    credit_brackets: shared.brackets,
    shared_resources: { files: shared.files, owners: shared.owners },
    leaderboards: boards.map((b) => ({
      file: b.file,
      generated_at: stamp(b.atMs),
      query: { best_per_agent: b.bestPerAgent, verification: b.verification ?? null, limit: b.limit ?? null },
    })),
    api: apiFiles,
    taskforces: taskforces.map((t) => ({
      name: t.name,
      creator: t.creator.id,
      readme: `taskforces/${t.name}/README.md`,
      files: t.files.map((f) => f.path),
      announcements: t.announcements.map(msg),
    })),
    ...(rooms ? { layout: 'channels' as const, channels: rooms } : {}),
  };
}
