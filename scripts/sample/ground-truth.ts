// The shape of <out>/ground-truth.json: everything the generator planted, for precision/recall tests of derivations.
//
// Conventions: result and message names are bare filenames (20260610-090759-237_swift-otter.md); fields named
// `file`, `post`, `result`, `report`, `readme`, `files`, `runs`, `dir` and `duplicate_of` are export-relative paths
// (message_board/..., results/..., runs/<dir>, taskforces/...). Scores are in the configured score field's units.
import type { CreditBracket } from './docs.ts';
import type { LineageEdge, TechniqueFirst } from './lineage.ts';
import type { ChannelTruth } from './channels.ts';
import type { EpisodesTruth } from './episodes-truth.ts';

export interface RelayStep {
  agent: string;
  role: 'build' | 'run' | 'fail' | 'diagnose' | 'ship';
  file: string;
}

export interface RelayTruth {
  id: string;
  /** fail-run | fail-msg (4 agents), diagship-run | diagship-msg (the diagnoser ships), run (a clean run, no diagnosis). */
  type: string;
  /** The lever the builder staged (method token the shipped result adds). */
  token: string;
  /** Distinct agents in role order: builder, runner, diagnoser, shipper. */
  agents: string[];
  /** hf://buckets/... path of the staged checkpoint in the builder's bucket. */
  checkpoint: string;
  steps: RelayStep[];
  outcome_result: string;
  improvement: { from: number; to: number; parent: string | null };
}

export interface HandoffTruth {
  id: string;
  /** [poster (no quota), runner]. */
  agents: [string, string];
  post: string;
  result: string;
  report: string;
}

export interface BucketTruth {
  /** submission_prefix; for the split pair `<prefix>@<YYYY-MM-DD>` (same prefix and manifest, files changed). */
  key: string;
  kind: 'result' | 'unposted' | 'relay-fail' | 'relay-run' | 'split';
  agent: string;
  submission_prefix: string;
  /** sha256 hex of the manifest as canonical JSON (keys sorted recursively, no whitespace). */
  manifest_sha_hint: string;
  manifest_name: string | null;
  /** runs/<dir> paths, including partial, failed and duplicate dirs. */
  runs: string[];
  /** Completed, non-duplicate runs (the ones with a score). */
  completed_runs: number;
  true_mean: number;
  sigma: number;
  /** The result posted from this bucket (quoting one of its job ids), if any. */
  result: string | null;
}

export interface VerdictTruth {
  message: string;
  result: string;
  owner: string;
  verdict: 'valid' | 'invalid' | 'unreproducible';
  /** table: automated verdict with the metric table; short: hand-written early verdict or the unreproducible note. */
  form: 'table' | 'short';
  reported: number | null;
  rerun: number | null;
  rerun_ppl: number | null;
  delta_pct: number | null;
}

export interface GroundTruth {
  generator: {
    name: string;
    version: number;
    seed: number;
    scale: number;
    score_field: string;
    score_unit: string;
    higher_is_better: boolean;
    start: string;
    end: string;
    conventions: string;
  };
  /** Numbers of each part written; files_by_part counts files per top-level folder of the export. */
  counts: Record<string, number | Record<string, number>>;
  agents: {
    verifier: string;
    baseline: string;
    organiser: string;
    humans: string[];
    /** Authors with no agents/ file and no API record (no inbox copies; raw posts only). */
    unregistered_authors: string[];
    /** Registered agents present only in api/agents.json (their agents/ file is missing). */
    api_only: string[];
    gpu_poor: string[];
  };
  lineage: { edges: LineageEdge[]; techniques: TechniqueFirst[] };
  relays: RelayTruth[];
  handoffs: HandoffTruth[];
  noise: {
    unit: string;
    /** Pooled σ over buckets with >= 2 completed runs, and the tie threshold 2·σ·√2 (score units). */
    pooled_sigma: number;
    tie_threshold: number;
    buckets: BucketTruth[];
    /** Results whose posted score is the best completed run of their bucket (>= 3 completed runs). */
    selection_bias: string[];
  };
  special: {
    move_request: string;
    move_refusals: string[];
    loophole_report: string | null;
    loophole_responses: string[];
    /** Results whose method uses the loophole token (promptcache). */
    loophole_results: string[];
    verdicts: VerdictTruth[];
    /** Results that posted summary.json total_tps as their score. */
    total_tps_mistakes: string[];
    /** agent-run results posted with PPL over the cap (the verifier marks them invalid). */
    over_cap_claims: string[];
    malformed_results: string[];
    ppl_omitted: string[];
    /** Messages with an email address (ops@example.com) that is not a mention. */
    email_decoys: string[];
    /** Messages that exist only as inbox copies (not in message_board/). */
    inbox_only: Array<{ filename: string; recipients: string[] }>;
    /** A message @-mentioning more than 10 handles: the server delivers to the first 10 (delivered, sorted). */
    fanout_cap: { message: string; mentioned: string[]; delivered: string[] };
    legacy_messages: string[];
    duplicate_runs: Array<{ dir: string; duplicate_of: string }>;
    partial_runs: string[];
    failed_runs: string[];
    timed_out_runs: string[];
    split_buckets: string[];
    odd_files: Array<{ file: string; why: string }>;
  };
  /** Planted interaction episodes (issue 18) and look-alikes that are not episodes; files export-relative. */
  episodes: EpisodesTruth;
  credit_brackets: CreditBracket[];
  shared_resources: { files: string[]; owners: Record<string, string> };
  leaderboards: Array<{ file: string; generated_at: string; query: { best_per_agent: boolean; verification: string | null; limit: number | null } }>;
  api: string[];
  taskforces: Array<{ name: string; creator: string; readme: string; files: string[]; announcements: string[] }>;
  /** Only in the newer template's layout (--layout channels): rooms, broadcasts and traces, paths export-relative. */
  layout?: 'channels';
  channels?: ChannelTruth;
}
