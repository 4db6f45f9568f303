// Assembles ground-truth.json from the plan and the write phase: one function per section, keys in file order.
import { round2 } from './board.ts';
import type { SamplePlan, SampleWrites } from './generate.ts';
import type { GroundTruth, RelayStep } from './ground-truth.ts';
import { buildLineage } from './lineage.ts';
import { episodesSection } from './episodes-truth.ts';
import type { RelayPlan } from './relays.ts';
import type { Sink } from './sink.ts';
import { END_MS, START_MS, isoMs } from './time.ts';
import type { MsgSpec, ResultRec, SampleOptions, ScoreMode } from './types.ts';

/** 512 output tokens per request: mean latency (ms) = 512 000 / throughput. */
export const LATENCY_NUMERATOR = 512_000;

type Lineage = ReturnType<typeof buildLineage>;

const runRole = (r: RelayPlan): RelayStep['role'] => (r.type === 'run' ? 'run' : 'fail');
const msg = (s: MsgSpec): string => s.filename;
const msgPath = (s: MsgSpec): string => `message_board/${s.filename}`;
const resPath = (r: ResultRec): string => `results/${r.filename}`;
const stamp = (ms: number): string => isoMs(ms);
const allRunsOf = (p: SamplePlan): SamplePlan['runs']['buckets'][number]['runs'] => p.runs.buckets.flatMap((b) => b.runs);

/** Ground truth: everything planted, by filename. */
export function groundTruth(opts: SampleOptions, p: SamplePlan, w: SampleWrites, sink: Sink): GroundTruth {
  const { results, firstUse } = p.timeline;
  const lineage = buildLineage(results, p.plan.reportOf, p.runs.envEdges, firstUse);
  return {
    generator: generatorSection(opts, p.mode),
    counts: countsSection(p, w, sink, lineage),
    agents: agentsSection(p),
    lineage,
    relays: relaysSection(p),
    handoffs: p.handoffs.map((h) => ({ id: h.id, agents: [h.poster.id, h.runner.id], post: msgPath(h.post), result: resPath(h.result), report: msgPath(h.report) })),
    noise: noiseSection(p, w),
    special: specialSection(p, w),
    episodes: episodesSection(p, w),
    credit_brackets: w.shared.brackets,
    shared_resources: { files: w.shared.files, owners: w.shared.owners },
    leaderboards: w.boards.map((b) => ({
      file: b.file,
      generated_at: stamp(b.atMs),
      query: { best_per_agent: b.bestPerAgent, verification: b.verification ?? null, limit: b.limit ?? null },
    })),
    api: w.apiFiles,
    taskforces: p.taskforces.map((t) => ({
      name: t.name,
      creator: t.creator.id,
      readme: `taskforces/${t.name}/README.md`,
      files: t.files.map((f) => f.path),
      announcements: t.announcements.map(msg),
    })),
    ...(w.rooms ? { layout: 'channels' as const, channels: w.rooms } : {}),
  };
}

function generatorSection(opts: SampleOptions, mode: ScoreMode): GroundTruth['generator'] {
  return {
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
  };
}

function countsSection(p: SamplePlan, w: SampleWrites, sink: Sink, lineage: Lineage): GroundTruth['counts'] {
  const { roster, runs, taskforces } = p;
  const results = p.timeline.results;
  const allRuns = allRunsOf(p);
  const totalFiles = [...sink.counts.values()].reduce((a, b) => a + b, 0);
  const filesByPart = Object.fromEntries([...sink.counts.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)));
  return {
    agents_files: w.agentFiles,
    identities: roster.all.length,
    humans: roster.humans.length,
    messages: w.board.messages,
    legacy_messages: w.board.legacy,
    inbox_files: w.board.inboxFiles,
    inbox_only_messages: w.board.inboxOnly.length,
    results: results.length,
    results_agent_run: results.filter((r) => r.status === 'agent-run').length,
    results_negative: results.filter((r) => r.status === 'negative').length,
    results_baseline: results.filter((r) => r.status === 'baseline').length,
    verification_index_entries: w.indexed,
    verdicts: p.verdicts.length,
    run_dirs: allRuns.length,
    run_buckets: runs.buckets.length,
    distinct_jobs: new Set(allRuns.map((r) => r.jobId)).size,
    completed_runs: allRuns.filter((r) => r.status === 'completed' && !r.duplicateOf).length,
    leaderboards: w.boards.length,
    api_files: w.apiFiles.length,
    taskforces: taskforces.length,
    taskforce_files: taskforces.reduce((a, t) => a + 1 + t.files.length, 0),
    shared_resource_files: w.shared.files.length,
    relays: p.relays.length,
    handoffs: p.handoffs.length,
    lineage_edges: lineage.edges.length,
    techniques: lineage.techniques.length,
    files_total: totalFiles + 1,
    files_by_part: filesByPart,
  };
}

function agentsSection(p: SamplePlan): GroundTruth['agents'] {
  const roster = p.roster;
  return {
    verifier: roster.verifier.id,
    baseline: roster.baseline.id,
    organiser: roster.organiser.id,
    humans: roster.humans.map((h) => h.id),
    unregistered_authors: roster.agents.filter((a) => !a.registered).map((a) => a.id).sort(),
    api_only: roster.agents.filter((a) => a.apiOnly).map((a) => a.id),
    gpu_poor: roster.agents.filter((a) => a.registered && a.gpuPoor).map((a) => a.id).sort(),
  };
}

function relaysSection(p: SamplePlan): GroundTruth['relays'] {
  const mode = p.mode;
  return p.relays.map((r) => ({
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
  }));
}

function noiseSection(p: SamplePlan, w: SampleWrites): GroundTruth['noise'] {
  const mode = p.mode;
  return {
    unit: mode.unit,
    pooled_sigma: w.shared.noise.pooledSigma,
    tie_threshold: w.shared.noise.tieThreshold,
    buckets: p.runs.buckets.map((b) => ({
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
    selection_bias: p.runs.selectionBias.map((r) => r.filename).sort(),
  };
}

function verdictsSection(p: SamplePlan): GroundTruth['special']['verdicts'] {
  return p.verdicts.map((v) => ({
    message: msg(v.spec),
    result: v.result.filename,
    owner: v.result.agent.id,
    verdict: v.verdict,
    form: v.form,
    reported: v.verdict === 'unreproducible' ? null : round2(v.reported),
    rerun: v.rerun === null ? null : round2(v.rerun),
    rerun_ppl: v.rerunPpl === null ? null : Math.round(v.rerunPpl * 10000) / 10000,
    delta_pct: v.deltaPct === null ? null : round2(v.deltaPct),
  }));
}

function specialSection(p: SamplePlan, w: SampleWrites): GroundTruth['special'] {
  const { specials, chatter, specs, roster, mode } = p;
  const results = p.timeline.results;
  const board = w.board;
  const allRuns = allRunsOf(p);
  return {
    move_request: msg(specials.moveRequest),
    move_refusals: specials.moveRefusals.map(msg),
    loophole_report: specials.loopholeReport ? msg(specials.loopholeReport) : null,
    loophole_responses: specials.loopholeResponses.map(msg),
    loophole_results: specials.loopholeResults.map((r) => r.filename),
    verdicts: verdictsSection(p),
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
    split_buckets: p.runs.buckets.filter((b) => b.kind === 'split').map((b) => b.key),
    odd_files: [
      ...results.filter((r) => r.malformed).map((r) => ({ file: resPath(r), why: `${mode.field} is not a number` })),
      ...specs.filter((s) => s.legacy).map((s) => ({ file: msgPath(s), why: 'legacy name (no milliseconds, optional _topic)' })),
      ...roster.agents.filter((a) => a.apiOnly).map((a) => ({ file: 'api/agents.json', why: `${a.id} is registered only in the API listing (no agents/ file)` })),
    ],
  };
}
