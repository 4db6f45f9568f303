// Score and secondary recovered from text and linked runs, with their sources; real-export figures checked against the files.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, parseConfig } from '../../../src/lib/config.ts';
import type { RunRow } from '../../../src/lib/schema/core.ts';
import { ingestExport, type IngestResult } from '../../../scripts/ingest/ingest.ts';
import { agrees, recoverValues, RunIndex, runNamesIn, statedValue, type MetricWords } from '../../../scripts/ingest/recover.ts';

const PPL: MetricWords = { label: 'PPL', field: 'ppl' };
const TPS: MetricWords = { label: 'TPS', field: 'tps', unit: 'tok/s' };

describe('statedValue', () => {
  it.each([
    ['TPS 95.36 / PPL 2.01, full multimodal', PPL, 2.01, 'PPL 2.01'],
    ['364.97 TPS / 2.3683 PPL. Rank 1!', PPL, 2.3683, '2.3683 PPL'],
    ['TPS=502.99, PPL=2.3931.', PPL, 2.3931, 'PPL=2.3931'],
    ['+2.13 TPS vs PCK-04b 330.66; PPL 2.0021 -> 2.0776.', PPL, 2.0776, 'PPL 2.0021 -> 2.0776'],
    ['Output token throughput 304.98 tok/s (total 467.1 tok/s), ppl 2.1023 (token-level)', PPL, 2.1023, 'ppl 2.1023'],
    ['Output token throughput 304.98 tok/s (total 467.1 tok/s)', TPS, 304.98, '304.98 tok/s'],
    ['openevolve 489.00 TPS hot-node draw', TPS, 489, '489.00 TPS'],
  ])('%s → %s', (text, w, value, snippet) => {
    expect(statedValue(text, w)).toEqual({ value, decimals: expect.any(Number), snippet });
  });

  it.each([
    ['PPL guardrail passing (2.30)', PPL],
    ['PPL within cap (<= 2.4151)', PPL],
    ['(byte-identical frontier PPL, <= cap 2.4151)', PPL],
    ['Top-class TPS at near-g128 PPL — the speed/quality Pareto point', PPL],
    ['0.74 TPS behind verified leader', TPS],
    ['+1.17 TPS over dixie 307.95; new #1', TPS],
    ['beats sparkgemma 504.02 by 0.83 TPS', TPS],
    ['within benchmark noise (~1.7 TPS)', TPS],
    ['intra-bucket TPS Δ = 0.19%', TPS],
    ['PPL 12% higher', PPL],
    ['vs run1 380.0/2.2557', PPL],
  ])('finds nothing in %j', (text, w) => {
    expect(statedValue(text, w, 380.69)).toBeNull();
  });

  it('reads an unlabelled "score / secondary" pair only when the first number is the posted score', () => {
    const text = 'Verified-package fallback run (412.96 / 2.3806, top-3 class)';
    expect(statedValue(text, PPL, 412.9567257812628)?.value).toBe(2.3806);
    expect(statedValue(text, PPL, 420)).toBeNull();
    expect(statedValue(text, PPL)).toBeNull();
  });

  it('takes its words from the configuration, not from a list of metrics', () => {
    const latency: MetricWords = { label: 'Latency', field: 'latency_ms', unit: 'ms' };
    expect(statedValue('mean latency 812.5 ms', latency)?.snippet).toBe('latency 812.5');
    expect(statedValue('812.5 ms per request', latency)).toBeNull(); // "ms" is too short to be a label on its own
    expect(statedValue('Latency: 812.5, WER 0.071', latency)?.value).toBe(812.5);
    expect(statedValue('Latency: 812.5, WER 0.071', { label: 'WER', field: 'wer' })?.value).toBe(0.071);
    expect(statedValue('TPS 300 / PPL 2.0', { label: 'WER', field: 'wer' })).toBeNull();
  });

  it('survives empty, null and unicode text', () => {
    expect(statedValue(null, PPL)).toBeNull();
    expect(statedValue('', PPL)).toBeNull();
    expect(statedValue('PPL – ✓ 🚀', PPL)).toBeNull();
    expect(statedValue('ＰＰＬ 2.0', PPL)).toBeNull();
  });
});

describe('agrees', () => {
  it('compares at the coarser precision, half a unit in the last decimal', () => {
    expect(agrees(2.394, 4, 2.393993825258382, 12)).toBe(true);
    expect(agrees(2.39, 2, 2.3949, 12)).toBe(true);
    expect(agrees(2.3813, 4, 2.394, 12)).toBe(false);
    expect(agrees(506.74, 2, 506.7445, 12)).toBe(true);
    expect(agrees(506.74, 2, 506.7451, 12)).toBe(false);
  });
});

const run = (over: Partial<RunRow>): RunRow =>
  ({
    run_dir: 'runs/r', run_name: 'r', agent: 'a', job_id: null, duplicate_of: null, status: 'completed', stage: null, status_message: null,
    created_at: null, finished_at: null, ready_at: null, submission_prefix: null, submission_bucket: null, manifest_name: null,
    manifest_sha: null, manifest_description: null, bucket_refs: [], flavor: null, score: null, output_tps: null, total_tps: null,
    secondary: null, completed: null, num_prompts: null, duration_s: null, mean_e2e_latency_ms: null, p99_e2e_latency_ms: null,
    gpqa_accuracy: null, mmlu_pro_accuracy: null, files: [], ...over,
  }) as RunRow;

describe('recoverValues', () => {
  const cfg = DEFAULT_CONFIG;
  const keys = { agent: 'a', ts: '2026-06-20T15:00:00.000Z', job_ids: [], submission_prefix: null, artifacts: null, text: '' };

  it('keeps the frontmatter value and lists a text or run that disagrees beyond rounding', () => {
    const idx = new RunIndex([run({ run_dir: 'runs/x', job_id: 'f'.repeat(24), score: 500.1, secondary: 2.45 })]);
    const links = idx.linksOf({ ...keys, score: 500.1, job_ids: ['f'.repeat(24)] });
    const v = recoverValues({ score: 500.1, secondary: 2.41, description: '500.10 TPS / PPL 2.3813', body: null, runs: links }, cfg);
    expect(v).toMatchObject({ score: 500.1, score_source: 'frontmatter', secondary: 2.41, secondary_source: 'frontmatter', secondary_evidence: null });
    expect(v.value_conflicts).toEqual(['PPL: frontmatter 2.41 vs description 2.3813', 'PPL: frontmatter 2.41 vs run 2.45 (runs/x (job ffffffffffffffffffffffff))']);
    // A coarser value agrees with anything that rounds to it.
    expect(recoverValues({ score: 500.1, secondary: 2.4, description: 'PPL 2.3813', body: null, runs: [] }, cfg).value_conflicts).toEqual([]);
  });

  it('falls back to the description, then the body, then a run, saying which', () => {
    const none = { score: 300, secondary: null, runs: [] };
    expect(recoverValues({ ...none, description: 'PPL 2.1', body: 'ppl 2.1000' }, cfg)).toMatchObject({ secondary: 2.1, secondary_source: 'description', secondary_evidence: 'PPL 2.1', value_conflicts: [] });
    expect(recoverValues({ ...none, description: 'fast', body: 'ppl 2.1000' }, cfg)).toMatchObject({ secondary: 2.1, secondary_source: 'body' });
    const idx = new RunIndex([run({ run_dir: 'runs/y', score: 300.004, secondary: 2.2 }), run({ run_dir: 'runs/z', score: 280, secondary: 2.3 })]);
    const v = recoverValues({ ...none, description: 'fast', body: null, runs: idx.linksOf({ ...keys, score: 300 }) }, cfg);
    expect(v).toMatchObject({ secondary: 2.2, secondary_source: 'run', secondary_evidence: 'runs/y (score 300.004 ≈ 300)' });
  });

  it('recovers a missing score from the text and takes no run by score when it has none', () => {
    const idx = new RunIndex([run({ score: 300, secondary: 2.2 })]);
    const v = recoverValues({ score: null, secondary: null, description: 'Split-KV: 300.00 TPS / PPL 2.2', body: null, runs: idx.linksOf({ ...keys, score: null }) }, cfg);
    expect(v).toMatchObject({ score: 300, score_source: 'description', score_evidence: '300.00 TPS', secondary: 2.2, secondary_source: 'description' });
  });

  it('joins runs by quoted job id, run name and artifacts path before any score match, and never to a run launched later', () => {
    const runs = [
      run({ run_dir: 'runs/hayai-repro-rerun1', run_name: 'hayai-repro-rerun1', score: 491.2, secondary: 2.3928 }),
      run({ run_dir: 'runs/later', run_name: 'later', score: 506.74, secondary: 2.5, created_at: '2026-06-21T00:00:00.000Z' }),
    ];
    const idx = new RunIndex(runs);
    expect(idx.linksOf({ ...keys, score: 506.74 })).toEqual([]);
    const named = idx.linksOf({ ...keys, score: 506.74, text: 'see run hayai-repro-rerun1 for the numbers' });
    expect(named.map((l) => [l.run.run_dir, l.direct])).toEqual([['runs/hayai-repro-rerun1', true]]);
    // A quoted run is this result's own even when its score differs: a disagreement is a conflict, not a reason to look elsewhere.
    const v = recoverValues({ score: 506.74, secondary: null, description: null, body: null, runs: named }, cfg);
    expect(v.secondary_source).toBe('run');
    expect(v.value_conflicts).toEqual(['TPS: frontmatter 506.74 vs run 491.2 (runs/hayai-repro-rerun1 (run name hayai-repro-rerun1))']);
  });

  it('gives no run value when the matching runs disagree', () => {
    const idx = new RunIndex([run({ run_dir: 'runs/p', submission_prefix: 'submissions/a/s', score: 300, secondary: 2.2 }), run({ run_dir: 'runs/q', submission_prefix: 'submissions/a/s', score: 300, secondary: 2.3 })]);
    const v = recoverValues({ score: 300, secondary: null, description: null, body: null, runs: idx.linksOf({ ...keys, score: 300, submission_prefix: 'submissions/a/s' }) }, cfg);
    expect(v.secondary).toBeNull();
    expect(v.secondary_source).toBeNull();
  });

  it('uses the configured secondary words, and none when the collaboration has no secondary metric', () => {
    const wer = parseConfig({ secondary_field: 'wer', secondary_label: 'WER' });
    expect(recoverValues({ score: 1, secondary: null, description: 'WER 0.07, PPL 2.0', body: null, runs: [] }, wer).secondary).toBe(0.07);
    const none = parseConfig({ secondary_field: null });
    expect(recoverValues({ score: 1, secondary: null, description: 'PPL 2.0', body: null, runs: [] }, none)).toMatchObject({ secondary: null, secondary_source: null });
  });
});

const REAL = new URL('../../../../shared/gemma-real/', import.meta.url).pathname;

describe.skipIf(!existsSync(REAL))('real export: recovered secondary values (../shared/gemma-real)', () => {
  let r: IngestResult;
  beforeAll(() => {
    r = ingestExport(REAL);
  });

  it('gives at least 50 of the 91 results a secondary value with its source, each one found where it says', () => {
    const results = r.tables.results;
    const withValue = results.filter((x) => x.secondary !== null);
    const by: Record<string, number> = {};
    for (const x of withValue) by[x.secondary_source!] = (by[x.secondary_source!] ?? 0) + 1;
    console.log(`real export: ${withValue.length} of ${results.length} results have a secondary value`, by, `conflicts ${results.filter((x) => x.value_conflicts?.length).length}`);
    expect(results.length).toBe(91);
    expect(withValue.length).toBeGreaterThanOrEqual(50);
    for (const x of results) {
      // Leaderboard rows carry no ppl: every value here was recovered, and each has a source and evidence.
      expect(x.secondary === null, x.filename).toBe(x.secondary_source === null);
      expect(x.score_source).toBe('frontmatter');
    }
    for (const x of withValue) {
      const ev = x.secondary_evidence!;
      if (x.secondary_source === 'description') {
        // The snippet is in the description, names the metric (or pairs it with the posted score), and ends in the value.
        expect(x.description, x.filename).toContain(ev);
        const nums = ev.match(/\d+(?:\.\d+)?/g)!.map(Number);
        expect(nums.at(-1), x.filename).toBe(x.secondary);
        if (!/ppl/i.test(ev)) expect(agrees(nums[0]!, 2, x.score!, 12), x.filename).toBe(true);
      } else {
        expect(x.secondary_source).toBe('run');
        const dir = ev.split(' ')[0]!;
        const file = ['summary.json', 'ppl_summary.json'].map((f) => join(REAL, dir, f)).find(existsSync)!;
        expect((JSON.parse(readFileSync(file, 'utf8')) as { ppl: number }).ppl).toBe(x.secondary);
      }
    }
  });

  it("takes mikasa-inbound's 2.394 from the run its posted 506.74 came from", () => {
    const x = r.tables.results.find((y) => y.filename === '20260620-150043-363_mikasa-inbound.md')!;
    expect(x).toMatchObject({ secondary_source: 'run', over_cap: false });
    expect(x.secondary).toBeCloseTo(2.394, 4);
    expect(x.secondary_evidence).toMatch(/^runs\/vllm-hayai-repro-v1 \(score 506\.74\d* ≈ 506\.74\)$/);
  });

  it('flags a body that disagrees with the run its artifacts path names (a draft result source with the real runs)', () => {
    const draft = new URL('../../../../shared/gemma-real-notes/drafts/vllm-mtp-w4a16-v23-result.md', import.meta.url).pathname;
    if (!existsSync(draft)) return;
    const text = readFileSync(draft, 'utf8');
    const [, fm = '', body = ''] = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(text) ?? [];
    const score = Number(/^tps: (.+)$/m.exec(fm)![1]);
    const prefix = /^artifacts: (.+)$/m.exec(fm)![1]!.trim();
    const links = new RunIndex(r.tables.runs).linksOf({ agent: 'mikasa-inbound', ts: '2026-06-25T00:00:00.000Z', score, job_ids: [], submission_prefix: prefix, artifacts: [prefix], text: body });
    const v = recoverValues({ score, secondary: null, description: null, body, runs: links }, r.config);
    expect(v).toMatchObject({ secondary: 2.159, secondary_source: 'body', secondary_evidence: 'ppl 2.159' });
    expect(v.value_conflicts).toEqual(['PPL: body 2.159 vs run 2.005656 (runs/vllm-mtp-w4a16-v23 (artifacts path submissions/mikasa-inbound/vllm-mtp-w4a16-v23))']);
  });
});

describe('runNamesIn', () => {
  // The one-pass scan gives the tokens the word pattern it replaced matched, of those that can be run names.
  const reference = (text: string): string[] => [...text.matchAll(/[a-z0-9][a-z0-9_.-]*[a-z0-9]/g)].map((m) => m[0]).filter((t) => t.length >= 8 && t.includes('-'));
  it('matches the word pattern on run-like text', () => {
    const samples = [
      'see run-2026-06-01-abc and --run-x.y_z-- plus a-b-c-d-e, int4-lmhead-v1.',
      '._-job-name-12345-_. -a- ab cd-efgh-ij k.l-m_n-o_p-q runs/agent-1/vllm-int4-lmhead-v1/summary.json',
      '', '--------', 'abcdefgh', 'abcd-efg', 'abcd-efgh', 'x'.repeat(30) + '-' + 'y',
    ];
    let seed = 7;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const alphabet = 'abz09-._ /:\n';
    for (let i = 0; i < 2000; i++) {
      let s = '';
      for (let j = rand(60); j > 0; j--) s += alphabet[rand(alphabet.length)];
      samples.push(s);
    }
    for (const s of samples) expect([s, runNamesIn(s)]).toEqual([s, reference(s)]);
  });
});
