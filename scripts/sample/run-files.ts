// The files of one run dir, shaped like the real harness output (sorted keys, indent 2, no trailing newline).
import { ORG } from './agents.ts';
import { SERVER_DEPS, sortKeys } from './runs.ts';
import type { Sink } from './sink.ts';
import { TOTAL_TPS_RATIO } from './techniques.ts';
import { compactStamp, isoMs } from './time.ts';
import type { RunBucket, RunRec, ScoreMode } from './types.ts';

const BASE_URL = 'http://127.0.0.1:8000';
const BENCH_DEPS = ['sglang==0.5.2', 'transformers==5.9.0', 'jinja2==3.1.6', 'pybase64==1.4.3', 'pydantic==2.13.4'];
const MAIN_BUCKET = `${ORG}/sample-main-bucket`;
const PPL_TOKENS = 61797;
const DECODE_CAPTURE = {
  enabled: true,
  output_file: '/state/decode_outputs.jsonl',
  requires: { request: 'return_token_ids: true on /v1/completions', response: 'choices[0].token_ids' },
  script: '/harness/scripts/decode_outputs.py',
  summary_file: '/state/decode_summary.json',
};
const EVALS = {
  enabled: false,
  gpqa_dataset_path: '/harness/data/gpqa_diamond.jsonl',
  gpqa_epochs: null,
  mmlu_dataset_path: '/harness/data/mmlu_pro_500.jsonl',
  mmlu_epochs: null,
  script: '/harness/scripts/eval_downstream.py',
  summary_file: '/state/eval_summary.json',
};
const EVALS_ENV = sortKeys({ ...EVALS, decoding: { temperature: 1.0, top_k: 64, top_p: 0.95 }, max_connections: 16 });
const PPL_CFG = {
  dataset_path: '/harness/data/ppl_ground_truth_tokens.jsonl',
  enabled: true,
  output_file: '/state/ppl_results.jsonl',
  summary_file: '/state/ppl_summary.json',
};

// Every object below is written with its keys already in sorted order (the manifest is sorted once per
// bucket); only summary.json, whose score key varies, is sorted here.
const PPL_ENV = sortKeys({ ...PPL_CFG, script: '/harness/scripts/ppl_endpoint.py' });
const json = (v: unknown): string => JSON.stringify(v, null, 2);

export function writeRunDir(sink: Sink, bucket: RunBucket, run: RunRec, mode: ScoreMode): number {
  const dir = `runs/${run.dir}`;
  const files: Array<[string, string]> = [];
  const agent = bucket.agent;
  const request = {
    created_at: compactStamp(run.createdMs),
    decode_capture: DECODE_CAPTURE,
    default_bucket: MAIN_BUCKET,
    evals: EVALS,
    flavor: 'a10g-small',
    harness_bucket: MAIN_BUCKET,
    harness_prefix: 'shared_resources/speed_benchmark',
    manifest: bucket.manifest,
    manifest_name: 'manifest.json',
    port: 8000,
    ppl: PPL_CFG,
    run_bucket: agent.bucket,
    run_prefix: run.runPrefix,
    submission_bucket: bucket.submissionBucket,
    submission_prefix: bucket.submissionPrefix,
  };
  const status = {
    agent_id: agent.id,
    finished_at: isoMs(run.finishedMs),
    hf_user: agent.hfUser,
    job_id: run.jobId,
    job_url: `https://huggingface.co/jobs/${ORG}/${run.jobId}`,
    message:
      run.status === 'completed'
        ? 'benchmark completed; see summary.json for tps/ppl'
        : run.status === 'timed_out'
          ? 'job did not finish within 40 minutes and was stopped; see job_logs.txt for partial output'
          : 'job ended in error: Job failed with exit code: 1. Reason: Error',
    stage: run.stage,
    status: run.status,
    submission_prefix: bucket.submissionPrefix,
    timeout_minutes: 40,
  };
  if (run.status === 'partial') {
    files.push(['run_request.json', json(request)]);
  } else if (run.duplicateOf) {
    // Same job under a second name: three files, byte-identical to the original dir's.
    files.push(['job_status.json', json(status)], ...completedFiles(run, mode).filter(([n]) => n === 'summary.json' || n === 'ppl_summary.json'));
  } else {
    files.push(['run_request.json', json(request)], ['job_status.json', json(status)]);
    if (!run.omit.has('run_environment.json') || run.status !== 'completed') files.push(['run_environment.json', json(environment(bucket))]);
    if (run.status === 'completed') {
      files.push(...completedFiles(run, mode).filter(([n]) => !run.omit.has(n)));
    } else {
      files.push(['job_logs.txt', jobLog(run)]);
    }
  }
  for (const [name, text] of files) sink.write(`${dir}/${name}`, text);
  return files.length;
}

function environment(bucket: RunBucket): Record<string, unknown> {
  return {
    base_url: BASE_URL,
    bench_venv: '/tmp/bench-venv',
    benchmark_dependencies: BENCH_DEPS,
    decode_capture: DECODE_CAPTURE,
    evals: EVALS_ENV,
    manifest: bucket.manifest,
    ppl: PPL_ENV,
    server_dependencies: SERVER_DEPS,
    server_venv: '/tmp/server-venv',
  };
}

function completedFiles(run: RunRec, mode: ScoreMode): Array<[string, string]> {
  const tps = run.tps;
  const duration = 65536 / tps;
  const meanLatency = (512 / tps) * 1000;
  const summary: Record<string, unknown> = {
    base_url: BASE_URL,
    benchmark_dependencies: BENCH_DEPS,
    benchmark_jsonl: '/state/benchmark.jsonl',
    completed: 128,
    decode_num_completion_tokens: 65536,
    decode_num_records: 128,
    decode_outputs_file: '/state/decode_outputs.jsonl',
    decode_summary_file: '/state/decode_summary.json',
    decode_token_ids_required: true,
    duration_s: duration,
    job_id: run.jobId,
    max_concurrency: 1,
    mean_e2e_latency_ms: meanLatency,
    model: 'gemma-4-e4b-it',
    num_prompts: 128,
    output_len: 512,
    output_tps: tps,
    p99_e2e_latency_ms: meanLatency * 1.55,
    ppl: run.ppl,
    ppl_num_tokens: PPL_TOKENS,
    ppl_results_file: '/state/ppl_results.jsonl',
    ppl_summary_file: '/state/ppl_summary.json',
    request_throughput_req_s: 128 / duration,
    server_dependencies: SERVER_DEPS,
    total_tps: tps * TOTAL_TPS_RATIO,
  };
  // The score field: tps (= output_tps) for the throughput collaboration, latency_ms for the lower-is-better one.
  summary[mode.field] = mode.higher ? tps : mode.fromTps(tps);
  const ppl = {
    base_url: BASE_URL,
    dataset_path: '/harness/data/ppl_ground_truth_tokens.jsonl',
    mean_record_ppl: run.ppl * 1.1037,
    model: 'gemma-4-e4b-it',
    neg_log_likelihood: Math.log(run.ppl) * PPL_TOKENS,
    num_records: 128,
    num_tokens: PPL_TOKENS,
    output_file: '/state/ppl_results.jsonl',
    ppl: run.ppl,
    prompt_logprobs: 1,
  };
  const decode = {
    dataset_path: '/harness/data/eval_prompts_sharegpt.json',
    duration_s: duration * 1.09,
    num_completion_tokens: 65536,
    num_prompt_tokens: 34836,
    num_records: 128,
    output_file: '/state/decode_outputs.jsonl',
    output_len: 512,
    request_timeout_s: 180,
    required_request_field: 'return_token_ids: true',
    required_response_field: 'choices[0].token_ids',
    seed: 1,
    token_id_sources: { 'choices[0].token_ids': 128 },
    token_ids_required: true,
    tokenizer: 'google/gemma-4-E4B-it',
  };
  const server = {
    base_url: BASE_URL,
    job_id: run.jobId,
    port: 8000,
    ready_at_unix: (run.createdMs + 300_000) / 1000 + ((run.createdMs % 997) / 997) * 120,
    served_model_name: 'gemma-4-e4b-it',
  };
  return [
    ['server.json', json(server)],
    ['summary.json', json(sortKeys(summary))],
    ['ppl_summary.json', json(ppl)],
    ['decode_summary.json', json(decode)],
  ];
}

function jobLog(run: RunRec): string {
  const lines = [
    'Creating participant server venv at /tmp/server-venv',
    'Running: /usr/local/bin/uv venv /tmp/server-venv --python 3.12',
    `[server] INFO starting serve.py (job ${run.jobId})`,
  ];
  if (run.status === 'timed_out') {
    lines.push('[bench] waiting for the server to become ready ...', '[bench] waiting for the server to become ready ...');
  } else {
    lines.push('[server] Traceback (most recent call last):', `[server] ${run.errorLine ?? 'RuntimeError: server exited before readiness with code 1'}`);
    lines.push('RuntimeError: server exited before readiness with code 1');
  }
  return `${lines.join('\n')}\n`;
}

