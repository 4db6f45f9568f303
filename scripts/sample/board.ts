// Writes the central folders: agents/, results/, message_board/ with inbox/ copies, and the verification index.
import type { Roster } from './agents.ts';
import { bucketUri } from './agents.ts';
import { mdFile } from './frontmatter.ts';
import type { Rng } from './rng.ts';
import type { Sink } from './sink.ts';
import { technique } from './techniques.ts';
import { minuteStamp } from './time.ts';
import type { Agent, BodyContext, MsgSpec, ResultRec, ScoreMode } from './types.ts';
import { isResult } from './types.ts';

/** AC mentions rule: @handle not preceded by a letter, digit or ._%+- (so ops@example.com is not a mention). */
export const MENTION_RE = /(?<![A-Za-z0-9._%+-])@([a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?)/g;
export const MENTION_FANOUT_CAP = 10;

export function mentionsIn(body: string): string[] {
  const out: string[] = [];
  for (const m of body.matchAll(MENTION_RE)) if (m[1] && !out.includes(m[1])) out.push(m[1]);
  return out;
}

export interface ApiRecord {
  filename: string;
  frontmatter: Record<string, unknown>;
  body: string;
}

export interface BoardStats {
  messages: number;
  legacy: number;
  inboxFiles: number;
  inboxOnly: string[];
  recipients: Map<string, string[]>;
}

export const round2 = (x: number): number => Math.round(x * 100) / 100;
const round4 = (x: number): number => Math.round(x * 10000) / 10000;

export function scoreValue(mode: ScoreMode, r: ResultRec): number {
  const v = mode.fromTps(r.tps);
  return r.fullPrecision ? v : round2(v);
}

export function writeAgents(sink: Sink, roster: Roster): number {
  let n = 0;
  for (const a of roster.all) {
    if (!a.hasFile) continue;
    sink.write(`agents/${a.id}.md`, mdFile(agentFrontmatter(a), a.bio));
    n++;
  }
  return n;
}

export function agentFrontmatter(a: Agent): Record<string, unknown> {
  return {
    agent_name: a.name,
    agent_model: a.model,
    agent_harness: a.harness,
    agent_tools: a.tools,
    hf_user: a.hfUser,
    agent_bucket: a.bucket,
    joined: minuteStamp(a.joinedMs),
  };
}

/** Result description: what changed, the numbers, credits, and sometimes the job id. */
function description(rng: Rng, mode: ScoreMode, r: ResultRec): string {
  const parts: string[] = [];
  const tech = r.newToken ? technique(r.newToken) : null;
  if (r.status === 'baseline') parts.push(r.tokens[0] === 'vllm' ? 'vLLM bf16 reference baseline, no changes.' : 'transformers eager baseline for comparison.');
  else if (r.kind === 'repro' && r.credits[0]) parts.push(`${r.credits[0].phrase}; files copied verbatim, only the run changed.`);
  else if (tech && r.credits.some((c) => c.parent === r.parent)) parts.push(`${tech.label}.`);
  else if (tech) parts.push(`${tech.label} on top of ${r.parent?.method ?? 'the baseline'}.`);
  const score = r.malformed ? null : `${round2(mode.fromTps(r.tps))} ${mode.unit === 'ms' ? 'ms' : mode.label}`;
  if (score && rng.chance(0.6)) parts.push(`${score} / PPL ${r.ppl.toFixed(4)}, 128/128, single-stream.`);
  for (const c of r.credits) if (r.kind !== 'repro' || c !== r.credits[0]) parts.push(c.phrase.endsWith('.') ? c.phrase : `${c.phrase}.`);
  parts.push(...r.extraDescription);
  if (r.status === 'negative') parts.push(r.ppl > 2.42 ? 'Negative: PPL over the cap.' : 'Negative: slower than its parent.');
  if (r.jobId && rng.chance(0.5)) parts.push(`job ${r.jobId}`);
  return [...new Set(parts)].map((p) => p.charAt(0).toUpperCase() + p.slice(1)).join(' ');
}

function resultBody(mode: ScoreMode, r: ResultRec, withJob: boolean): string {
  const total = r.totalTpsMistake ? r.tps : r.tps * 1.5316;
  const lines = [
    mode.higher
      ? `Output token throughput ${round2(r.tps)} tok/s (total ${round2(total)} tok/s), ppl ${r.ppl.toFixed(4)} (token-level aggregate from summary.json), 128/128 requests, A10G a10g-small, concurrency 1.${withJob && r.jobId ? ` job ${r.jobId}.` : ''}`
      : `Mean end-to-end latency ${round2(mode.fromTps(r.tps))} ms per 512-token request, ppl ${r.ppl.toFixed(4)}, 128/128 requests, a10g-small, concurrency 1.${withJob && r.jobId ? ` job ${r.jobId}.` : ''}`,
  ];
  if (r.totalTpsMistake) lines.push('', 'Number copied from summary.json.');
  return lines.join('\n');
}

export function writeResults(sink: Sink, rng: Rng, mode: ScoreMode, results: readonly ResultRec[], api: Map<string, ApiRecord>): void {
  for (const r of results) {
    const fm: Record<string, unknown> = {};
    fm[mode.field] = r.malformed ? 'n/a (rerun pending)' : scoreValue(mode, r);
    if (!r.pplOmitted) fm.ppl = rng.chance(0.15) ? Math.round(r.ppl * 1000) / 1000 : round4(r.ppl);
    fm.method = r.method;
    fm.status = r.status;
    const artifacts = [...r.artifacts];
    // Without a submission the artifacts hold only plots, so the verifier cannot find a runnable copy.
    if (!artifacts.length) artifacts.push(rng.chance(0.5) || !r.submission ? `artifacts/${r.subName}_${r.agent.id}/` : `submissions/${r.agent.id}/${r.subName}`);
    fm.artifacts = artifacts.length === 1 ? artifacts[0] : artifacts;
    if (r.submission) fm.submission = bucketUri(r.submission.owner.id, `submissions/${r.submission.owner.id}/${r.submission.name}/`);
    const desc = description(rng, mode, r);
    fm.description = desc;
    if (r.fmRefs.length) fm.refs = r.fmRefs.length === 1 ? r.fmRefs[0]?.filename : r.fmRefs.map((x) => x.filename);
    fm.agent = r.agent.id;
    fm.timestamp = minuteStamp(r.ms);
    fm.via = 'bucket';
    const jobInDesc = !!r.jobId && desc.includes(r.jobId);
    const body = rng.chance(0.75) || (r.jobId && !jobInDesc) ? resultBody(mode, r, !jobInDesc) : '';
    const text = body ? mdFile(fm, body) : mdFile(fm, '').replace(/\n$/, '');
    sink.write(`results/${r.filename}`, text);
    api.set(r.filename, { filename: r.filename, frontmatter: fm, body });
  }
}

/** refs in the shape the spec asks for; some tokens carry their folder prefix. */
function refsValue(rng: Rng, spec: MsgSpec): unknown {
  const tokens = spec.refs.map((t) => {
    // Clients sometimes keep the folder prefix; the server-side verifier never does.
    const prefixed = spec.via !== 'server' && rng.chance(0.25);
    return prefixed ? `${isResult(t) ? 'results' : 'message_board'}/${t.filename}` : t.filename;
  });
  switch (spec.refShape ?? 'list') {
    case 'string':
      return tokens[0];
    case 'space':
      return tokens.join(' ');
    case 'comma':
      return tokens.join(rng.chance(0.5) ? ', ' : ',');
    default:
      return tokens;
  }
}

export function messageFrontmatter(rng: Rng, spec: MsgSpec): Record<string, unknown> {
  const fm: Record<string, unknown> = { type: spec.type };
  if (spec.via !== 'raw' && spec.priority) fm.priority = spec.priority;
  if (spec.refs.length) fm.refs = refsValue(rng, spec);
  if (spec.via !== 'raw' && spec.custom) Object.assign(fm, spec.custom);
  fm.agent = spec.agent.id;
  fm.timestamp = minuteStamp(spec.ms);
  fm.via = spec.via;
  return fm;
}

export function writeMessages(
  sink: Sink,
  rng: Rng,
  mode: ScoreMode,
  roster: Roster,
  specs: readonly MsgSpec[],
  apiWanted: ReadonlySet<string>,
  api: Map<string, ApiRecord>,
): BoardStats {
  const stats: BoardStats = { messages: 0, legacy: 0, inboxFiles: 0, inboxOnly: [], recipients: new Map() };
  const canReceive = (id: string): boolean => {
    const a = roster.byId.get(id);
    return id.startsWith('human-') || (!!a && a.registered);
  };
  const written: MsgSpec[] = [];
  const score = (tps: number): string => `${round2(mode.fromTps(tps))} ${mode.unit === 'ms' ? 'ms' : mode.label}`;
  for (const spec of specs) {
    const ctx: BodyContext = {
      filename: spec.filename,
      rng,
      name: (x) => x.filename,
      score,
      earlier: () => (written.length ? (written[Math.floor(rng.next() * written.length)] ?? null) : null),
      mode,
    };
    const body = spec.body(ctx);
    const fm = messageFrontmatter(rng, spec);
    const text = mdFile(fm, body);
    if (!spec.inboxOnly) {
      sink.write(`message_board/${spec.filename}`, text);
      stats.messages++;
      if (spec.legacy) stats.legacy++;
    } else {
      stats.inboxOnly.push(spec.filename);
    }
    // Inbox copies: @-mentioned registered handles and human-*, then authors of refs targets; never the author; cap 10.
    const rcpt: string[] = [];
    for (const h of [...mentionsIn(body), ...spec.refs.map((t) => t.agent.id)]) {
      if (h === spec.agent.id || rcpt.includes(h) || !canReceive(h)) continue;
      rcpt.push(h);
    }
    const recipients = rcpt.slice(0, MENTION_FANOUT_CAP).sort();
    for (const h of recipients) {
      sink.write(`inbox/${h}/${spec.filename}`, text);
      stats.inboxFiles++;
    }
    if (recipients.length) stats.recipients.set(spec.filename, recipients);
    if (apiWanted.has(spec.filename)) api.set(spec.filename, { filename: spec.filename, frontmatter: fm, body });
    if (!spec.inboxOnly) written.push(spec);
  }
  return stats;
}

export function writeVerificationIndex(sink: Sink, rng: Rng, results: readonly ResultRec[]): number {
  const entries: Array<[string, string]> = [];
  for (const r of results) {
    // The server inserts "pending" lazily: a few results are missing (= pending).
    if (r.verification === 'pending' && rng.chance(0.08)) continue;
    entries.push([r.filename, r.verification]);
  }
  entries.sort((a, b) => (a[0] < b[0] ? -1 : 1));
  const lines = entries.map(([k, v], i) => `  ${JSON.stringify(k)}: ${JSON.stringify(v)}${i < entries.length - 1 ? ',' : ''}`);
  sink.write('results/verification_status.json', `{\n${lines.join('\n')}\n}\n`);
  return entries.length;
}
