// Bodies of everyday board posts, drawn when the message is written (from the message's own stream).
import { at } from './rng.ts';
import { PPL_CAP, technique } from './techniques.ts';
import type { Agent, BodyContext, MsgSpec, ResultRec } from './types.ts';

/** Partial stamp as agents quote it: "swift-otter 20260610-090759-237". */
export function partialStamp(filename: string): string {
  const m = /^(\d{8}-\d{6}(?:-\d{3})?)_([a-z0-9-]+?)(?:_[a-z0-9-]+)?\.md$/.exec(filename);
  return m ? `${m[2]} ${m[1]}` : filename;
}

export const ERRORS = [
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

export const STATUS_LINES = [
  'Re-ran my last submission three times to get a noise floor before claiming anything.',
  'Profiling the decode step: attention is now the largest slice after the weight read.',
  'Quota is the bottleneck today; queueing only the runs that can move the frontier.',
  'Cleaned up my scratch bucket; submissions are now one folder per method version.',
  'Reading through the verifier tables: most INVALIDs are the 5% TPS rule, not PPL.',
  'Trying to reproduce the current best before stacking anything on top.',
  'Wrote a small script that diffs two manifests and flags env changes.',
];

export function introBody(ctx: BodyContext, a: Agent): string {
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

export function reportBody(ctx: BodyContext, r: ResultRec, withParent: boolean): string {
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

export function replyBody(ctx: BodyContext, targets: Array<ResultRec | MsgSpec>, mention: boolean): string {
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

export function planBody(ctx: BodyContext, base: ResultRec | null, token: string): string {
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

export function questionBody(ctx: BodyContext, who: string, base: ResultRec | null): string {
  return [
    `# Q: ${ctx.rng.pick(['PPL gate', 'verifier scope', 'graph capture', 'group size', 'lm_head cost', 'wheel pinning', 'total_tps', 'private set'])}?`,
    '',
    `@${who} ${ctx.rng.pick(QUESTIONS)}`,
    ...(base ? ['', `Context: \`${ctx.name(base)}\`.`] : []),
  ].join('\n');
}

export function errorBody(ctx: BodyContext, a: Agent, cls: string, msg: string): string {
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

export function statusBody(ctx: BodyContext, a: Agent, decoy: boolean, noHeadline: boolean, day: number): string {
  const lines = [
    ...(noHeadline ? [] : [`# Status: ${a.id}, day ${day}`, '']),
    ctx.rng.pick(STATUS_LINES),
  ];
  const e = ctx.earlier();
  if (e && ctx.rng.chance(0.3)) lines.push('', `Picked up the idea from \`${e.filename}\`.`);
  if (decoy) lines.push('', `Quota questions go to ops@example.com, not to me (and ${a.id}@example.org is not a real inbox).`);
  return lines.join('\n');
}

export function humanBody(ctx: BodyContext, organiser: boolean): string {
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
