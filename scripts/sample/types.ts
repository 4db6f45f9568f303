// Shared record types of the sample generator (agents, results, runs, messages, ground truth).
import type { Rng } from './rng.ts';

export interface SampleOptions {
  seed: number;
  /** Multiplies agents, messages, results and runs; 1 gives the reference sizes (358 runs in 66 buckets). */
  scale: number;
  /** Emit a lower-is-better collaboration (latency_ms) instead of TPS. */
  lowerIsBetter: boolean;
  /** taskforces (the Fast Gemma Challenge's template, the default) or channels (the newer template: channels, broadcasts, traces). */
  layout?: 'taskforces' | 'channels';
}

/** How the internal TPS model is shown: the configured score field, its label, unit and direction. */
export interface ScoreMode {
  field: string;
  label: string;
  unit: string;
  higher: boolean;
  /** Internal throughput (tok/s) to the published score. */
  fromTps: (tps: number) => number;
}

export type AgentKind = 'agent' | 'human' | 'verifier' | 'baseline';

export interface Agent {
  id: string;
  name: string;
  hfUser: string;
  model: string;
  harness: string;
  tools: string[];
  /** owner/name of the scratch bucket, e.g. sample-collab/sample-swift-otter */
  bucket: string;
  joinedMs: number;
  bio: string;
  kind: AgentKind;
  /** Has an agents/<id>.md file (false for the few unregistered authors and the API-only agent). */
  hasFile: boolean;
  /** Known to the server (gets inbox copies); false only for unregistered authors. */
  registered: boolean;
  /** Registered through the API listing only (no agents/ file in the export). */
  apiOnly: boolean;
  /** No benchmark quota: posts specs and checkpoints, never results. */
  gpuPoor: boolean;
  /** Relative activity (heavy-tailed). */
  weight: number;
  /** Implementation skill: multiplies the technique lift. */
  skill: number;
}

export type ResultStatus = 'agent-run' | 'negative' | 'baseline';
export type ResultKind = 'baseline' | 'invent' | 'adopt' | 'repro' | 'dead-end';

export interface Credit {
  /** Agent named in the text. */
  agent: string;
  /** Phrase as written in the description. */
  phrase: string;
  /** The earlier result this credit points at (lineage parent), if any. */
  parent: ResultRec | null;
}

export interface ResultRec {
  seq: number;
  ms: number;
  filename: string;
  agent: Agent;
  tokens: string[];
  version: number;
  method: string;
  subName: string;
  status: ResultStatus;
  kind: ResultKind;
  parent: ResultRec | null;
  newToken: string | null;
  /** Model mean throughput on the public prompts (tok/s). */
  tpsTrue: number;
  /** Model mean throughput on the private prompt set (what the verifier re-runs). */
  tpsPrivate: number;
  /** Posted throughput (tok/s), before conversion to the score field. */
  tps: number;
  /** Keep full float precision when posting (else 2 decimals). */
  fullPrecision: boolean;
  ppl: number;
  pplOmitted: boolean;
  /** Submission folder: bucket owner and name (null: no submission pointer). */
  submission: { owner: Agent; name: string } | null;
  credits: Credit[];
  /** Frontmatter refs (a client key some agents add) naming earlier results. */
  fmRefs: ResultRec[];
  jobId: string | null;
  runDir: string | null;
  artifacts: string[];
  malformed: boolean;
  totalTpsMistake: boolean;
  overCapClaim: boolean;
  loophole: boolean;
  /** Extra sentences for the description (relay and hand-off credits). */
  extraDescription: string[];
  verification: 'pending' | 'valid' | 'invalid';
  verdictMs: number | null;
  hasChildren: boolean;
}

export type RunStatus = 'completed' | 'error' | 'timed_out' | 'partial';

export interface RunRec {
  dir: string;
  runPrefix: string;
  createdMs: number;
  finishedMs: number;
  jobId: string;
  status: RunStatus;
  stage: string;
  tps: number;
  ppl: number;
  errorLine: string | null;
  /** Set on the second directory of one job (the duplicate). */
  duplicateOf: string | null;
  /** The run a result quotes (its job id and score). */
  posted: boolean;
  /** Optional files left out of this directory. */
  omit: Set<string>;
}

export type BucketKind = 'result' | 'unposted' | 'relay-fail' | 'relay-run' | 'split';

export interface EnvRef {
  key: string;
  owner: string;
  uri: string;
}

export interface RunBucket {
  key: string;
  kind: BucketKind;
  agent: Agent;
  submissionBucket: string;
  submissionPrefix: string;
  subName: string;
  manifest: Record<string, unknown>;
  manifestSha: string;
  result: ResultRec | null;
  trueMean: number;
  sigma: number;
  ppl: number;
  runs: RunRec[];
  envRefs: EnvRef[];
  tokens: string[];
}

export type RefShape = 'string' | 'space' | 'comma' | 'list';

export interface MsgSpec {
  seq: number;
  ms: number;
  agent: Agent;
  kind: string;
  via: 'bucket' | 'raw' | 'dashboard' | 'server';
  type: string;
  priority?: string;
  custom?: Record<string, unknown>;
  /** Targets: result records, other specs, or plain filenames. */
  refs: Array<ResultRec | MsgSpec>;
  refShape?: RefShape;
  legacyTopic?: string | null;
  legacy?: boolean;
  /** Written to inbox/ only (the partial-board case). */
  inboxOnly?: boolean;
  /** Planted features for the ground truth: email-decoy, at-all, no-headline, ... */
  notes?: string[];
  /** Body builder, called once in filename order when the file is written. */
  body: (ctx: BodyContext) => string;
  filename: string;
}

export interface BodyContext {
  /** The message's own filename. */
  filename: string;
  /** Stream for wording choices, drawn in filename order. */
  rng: Rng;
  /** Filename of a result or another message. */
  name: (x: ResultRec | MsgSpec) => string;
  /** Published score text for an internal throughput, e.g. "312.45 TPS" or "1638.9 ms". */
  score: (tps: number) => string;
  /** A message written earlier (filename order), or null; used for quotes and partial stamps. */
  earlier: () => MsgSpec | null;
  mode: ScoreMode;
}

export function isResult(x: ResultRec | MsgSpec): x is ResultRec {
  return 'method' in x;
}
