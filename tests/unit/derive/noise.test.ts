// Noise derivation: bucket rules on hand-built rows, the real export checked against its own summary.json files, SQL on DuckDB.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deriveNoise, scoreMatches, splitAtShifts, type NoiseTables } from '../../../scripts/derive/noise/index.ts';
import { DERIVATIONS } from '../../../scripts/derive/index.ts';
import { ingestExport, type IngestResult } from '../../../scripts/ingest/ingest.ts';
import { buildData } from '../../../scripts/build-data.ts';
import { DEFAULT_CONFIG, type CollabConfig } from '../../../src/lib/config.ts';
import { messages, results, runs, type MessageRow, type ResultRow, type RunRow } from '../../../src/lib/schema/core.ts';
import { NOISE_TABLES } from '../../../src/lib/schema/noise.ts';
import { TABLES } from '../../../src/lib/schema/index.ts';
import {
  bucketRunsQuery,
  bucketRunsSql,
  bucketSpreadsFirstQuery,
  bucketSpreadsSql,
  bucketStripFirstQuery,
  bucketStripRunsSql,
  bucketStripSql,
  selectionBiasFirstQuery,
  tieLeaderboardFirstQuery,
  verifyGapsFirstQuery,
  noiseHeadlineSql,
  selectionBiasSql,
  tieGroupSizesSql,
  tieLeaderboardSql,
  verifyGapsSql,
} from '../../../src/lib/queries/noise.sql.ts';

// --- row factories: every column null, then the fields a case needs ---
const blank = (def: { columns: readonly { name: string }[] }): Record<string, unknown> =>
  Object.fromEntries(def.columns.map((c) => [c.name, null]));
const run = (o: Partial<RunRow> & { run_dir: string }): RunRow => ({ ...blank(runs), status: 'completed', ...o }) as RunRow;
const result = (o: Partial<ResultRow> & { filename: string }): ResultRow =>
  ({ ...blank(results), status: 'agent-run', verification: 'pending', job_ids: [], ...o }) as ResultRow;
const message = (o: Partial<MessageRow> & { filename: string }): MessageRow => ({ ...blank(messages), ...o }) as MessageRow;
const core = (r: { runs?: RunRow[]; results?: ResultRow[]; messages?: MessageRow[] }) => ({
  runs: r.runs ?? [],
  results: r.results ?? [],
  messages: r.messages ?? [],
});
const sd = (xs: number[]): number => {
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  return Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1));
};
const bucketOf = (t: NoiseTables, runDir: string) => {
  const id = t.noise_runs.find((r) => r.run_dir === runDir)?.bucket_id;
  return t.noise_buckets.find((b) => b.bucket_id === id);
};
const hours = (h: number): string => new Date(Date.UTC(2026, 5, 20, h)).toISOString();

describe('noise buckets on hand-built runs', () => {
  const A = 'submissions/a/sub-a';
  const base = { agent: 'a', manifest_sha: 'm1', submission_prefix: A };
  const t = deriveNoise(
    core({
      runs: [
        run({ ...base, run_dir: 'runs/a1', job_id: 'j1', score: 100, finished_at: hours(1) }),
        run({ ...base, run_dir: 'runs/a2', job_id: 'j2', score: 102, finished_at: hours(2) }),
        run({ ...base, run_dir: 'runs/a3', job_id: 'j3', score: 104, finished_at: hours(3) }),
        // Same job under a second name: counted once.
        run({ ...base, run_dir: 'runs/a3-copy', job_id: 'j3', score: 104, finished_at: hours(3), duplicate_of: 'runs/a3' }),
        // No score, NaN score: not measurements.
        run({ ...base, run_dir: 'runs/a4', job_id: 'j4', score: null, status: 'error' }),
        run({ ...base, run_dir: 'runs/a5', job_id: 'j5', score: Number.NaN }),
        // Same manifest, another agent's prefix: another submission.
        run({ agent: 'b', manifest_sha: 'm1', submission_prefix: 'submissions/b/copy', run_dir: 'runs/b1', score: 200, finished_at: hours(1) }),
        run({ agent: 'b', manifest_sha: 'm1', submission_prefix: 'submissions/b/copy', run_dir: 'runs/b2', score: 201, finished_at: hours(2) }),
        // No manifest: the submission prefix is the key.
        run({ agent: 'c', submission_prefix: 'submissions/c/x', run_dir: 'runs/c1', score: 30 }),
        // Neither: unidentified.
        run({ agent: 'd', run_dir: 'runs/d1', score: 40 }),
      ],
    }),
    DEFAULT_CONFIG,
  );

  it('computes mean, sample sd, range, cv, median per bucket', () => {
    const b = bucketOf(t, 'runs/a1')!;
    // 100, 102, 104: mean 102, deviations ±2, 0 → s² = 8/2 = 4.
    expect(b).toMatchObject({ key_kind: 'manifest', n: 3, mean: 102, sd: 2, min: 100, max: 104, range: 4, median: 102, label: A, agent: 'a' });
    expect(b.cv).toBeCloseTo(2 / 102, 12);
    expect(b.run_dirs).toEqual(['runs/a1', 'runs/a2', 'runs/a3']);
    expect(b.first_ts).toBe(hours(1));
    expect(b.last_ts).toBe(hours(3));
  });
  it('counts a duplicate job once and names the other dir', () => {
    expect(t.noise_runs.find((r) => r.run_dir === 'runs/a3-copy')).toBeUndefined();
    expect(t.noise_runs.find((r) => r.run_dir === 'runs/a3')?.also_as).toEqual(['runs/a3-copy']);
    expect(t.noise_summary[0]!.duplicates_excluded).toBe(1);
  });
  it('keys by manifest + prefix, then prefix; leaves unidentified runs out', () => {
    expect(bucketOf(t, 'runs/b1')!.bucket_id).not.toBe(bucketOf(t, 'runs/a1')!.bucket_id);
    expect(bucketOf(t, 'runs/c1')).toMatchObject({ key_kind: 'submission', key: 'submission:submissions/c/x', n: 1, sd: null, range: null });
    expect(bucketOf(t, 'runs/d1')).toBeUndefined();
    expect(t.noise_summary[0]).toMatchObject({ runs: 6, run_dirs: 10, buckets: 3, buckets_n2: 2, runs_unidentified: 1, pooled_basis: 'runs' });
  });
  it('pools σ by n − 1 and sets the tie threshold to 2·σ·√2', () => {
    // (3−1)·4 + (2−1)·0.5 = 8.5 over 3 df.
    const s = t.noise_summary[0]!;
    expect(s.pooled_df).toBe(3);
    expect(s.pooled_sigma).toBeCloseTo(Math.sqrt(8.5 / 3), 12);
    expect(s.tie_threshold).toBeCloseTo(2 * Math.sqrt(8.5 / 3) * Math.SQRT2, 12);
    expect(s).toMatchObject({ z: 2, score_label: 'TPS', higher_is_better: true });
  });
  it('gives σ its chi-square interval, warns that it rests on few buckets, and tests the two buckets’ spreads', () => {
    const s = t.noise_summary[0]!;
    // 3 df: χ²(3) quantiles 0.215795 (0.025) and 9.348404 (0.975) from a printed table.
    const sigma = Math.sqrt(8.5 / 3);
    expect(s.sigma_lo).toBeCloseTo(sigma * Math.sqrt(3 / 9.348404), 5);
    expect(s.sigma_hi).toBeCloseTo(sigma * Math.sqrt(3 / 0.215795), 4);
    expect(s).toMatchObject({ buckets_n2: 2, rests_on_few: true, bartlett_buckets: 2, bartlett_df: 1 });
    // Bucket a (sd 2, 2 df) holds 8 of the 8.5 sum of squares and 2 of 3 df.
    const a = bucketOf(t, 'runs/a1')!;
    expect(s.top_bucket_id).toBe(a.bucket_id);
    expect(a.ss_share).toBeCloseTo(8 / 8.5, 12);
    expect(a.df_share).toBeCloseTo(2 / 3, 12);
    // The one-run bucket (c) has no spread, no interval and no share.
    expect(bucketOf(t, 'runs/c1')).toMatchObject({ sd: null, sd_lo: null, sd_hi: null, df_share: null, ss_share: null });
  });
  it('ranks runs within their bucket', () => {
    const ranks = t.noise_runs.filter((r) => r.bucket_id === bucketOf(t, 'runs/a1')!.bucket_id).map((r) => [r.run_dir, r.rank_in_bucket]);
    expect(ranks).toEqual([
      ['runs/a1', 3],
      ['runs/a2', 2],
      ['runs/a3', 1],
    ]);
  });
});

describe('level-shift split (same manifest, files changed)', () => {
  it('splits at a jump above 10 % of the running median, not at noise', () => {
    const xs = [237.68, 288.31, 289.0].map((score, i) => ({ score, i }));
    expect(splitAtShifts(xs).map((p) => p.map((x) => x.i))).toEqual([[0], [1, 2]]);
    const noisy = [491.2, 503.8, 502.8, 494.5, 506.5].map((score) => ({ score }));
    expect(splitAtShifts(noisy)).toHaveLength(1);
  });
  it('makes one bucket per segment with part labels', () => {
    const base = { agent: 'a', manifest_sha: 'm', submission_prefix: 'submissions/a/hp' };
    const t = deriveNoise(
      core({
        runs: [
          run({ ...base, run_dir: 'runs/r1', score: 237.68, created_at: hours(1) }),
          run({ ...base, run_dir: 'runs/r2', score: 288.31, created_at: hours(2) }),
        ],
      }),
      DEFAULT_CONFIG,
    );
    expect(t.noise_buckets.map((b) => [b.label, b.segment, b.segments, b.n])).toEqual(
      expect.arrayContaining([
        ['submissions/a/hp (part 1 of 2)', 1, 2, 1],
        ['submissions/a/hp (part 2 of 2)', 2, 2, 1],
      ]),
    );
    expect(t.noise_summary[0]).toMatchObject({ split_keys: 1, buckets_n2: 0, pooled_sigma: null, tie_threshold: null });
  });
});

describe('results against buckets', () => {
  const base = { agent: 'a', manifest_sha: 'm', submission_prefix: 'submissions/a/s' };
  const runsA = [
    run({ ...base, run_dir: 'runs/1', job_id: 'aaaaaaaaaaaaaaaaaaaaaaa1', score: 500.1234, finished_at: hours(1) }),
    run({ ...base, run_dir: 'runs/2', job_id: 'aaaaaaaaaaaaaaaaaaaaaaa2', score: 506.7445, finished_at: hours(2) }),
    run({ ...base, run_dir: 'runs/3', job_id: 'aaaaaaaaaaaaaaaaaaaaaaa3', score: 503.0, finished_at: hours(3) }),
  ];
  const t = deriveNoise(
    core({
      runs: runsA,
      results: [
        // a. quotes its own job id
        result({ filename: 'r-job.md', agent: 'a', score: 500.12, job_ids: ['aaaaaaaaaaaaaaaaaaaaaaa1'], ts: hours(4) }),
        // quoting someone else's job is a credit, not a join
        result({ filename: 'r-credit.md', agent: 'z', score: 400, method: 'm-z', job_ids: ['aaaaaaaaaaaaaaaaaaaaaaa1'], ts: hours(4) }),
        // b. submission prefix
        result({ filename: 'r-sub.md', agent: 'a', score: 999, submission_prefix: 'submissions/a/s', ts: hours(5) }),
        // c. same agent, a run that rounds to the posted value: the lucky draw
        result({ filename: 'r-score.md', agent: 'a', score: 506.74, ts: hours(6) }),
        // d. own measurements, (agent, method), posted twice
        result({ filename: 'r-m1.md', agent: 'k', score: 419.34, method: 'kduma-v1', ts: hours(1) }),
        result({ filename: 'r-m2.md', agent: 'k', score: 418.8, method: 'kduma-v1', ts: hours(2) }),
        result({ filename: 'r-m3.md', agent: 'k', score: Number.NaN, method: 'kduma-v1', ts: hours(3) }),
        result({ filename: 'r-neg.md', agent: 'k', score: 100, method: 'other', status: 'negative', ts: hours(3) }),
      ],
    }),
    DEFAULT_CONFIG,
  );
  const rb = (f: string) => t.result_buckets.find((r) => r.filename === f);
  it('joins by job id, submission, score, method in that order', () => {
    expect(rb('r-job.md')).toMatchObject({ join_kind: 'job_id', rank_in_bucket: 3, is_bucket_max: false, bucket_n: 3 });
    expect(rb('r-sub.md')).toMatchObject({ join_kind: 'submission', rank_in_bucket: 1 });
    expect(rb('r-score.md')).toMatchObject({ join_kind: 'score', rank_in_bucket: 1, is_bucket_max: true, bucket_median: 503, bucket_best: 506.7445 });
    expect(rb('r-score.md')!.excess_over_median).toBeCloseTo(3.74, 10);
    expect(rb('r-credit.md')).toMatchObject({ join_kind: 'method', bucket_n: 1, is_bucket_max: false });
    expect(rb('r-m1.md')).toMatchObject({ join_kind: 'method', bucket_n: 2, rank_in_bucket: 1, is_bucket_max: true });
    expect(rb('r-m3.md')).toBeUndefined();
    expect(rb('r-neg.md')).toBeUndefined();
  });
  it('matched results are not counted again; unmatched ones are measurements', () => {
    const b = t.noise_buckets.find((x) => x.key === 'method:k/kduma-v1')!;
    expect(b).toMatchObject({ key_kind: 'agent-method', n: 2, n_results: 2, label: 'k · kduma-v1', run_dirs: ['results/r-m1.md', 'results/r-m2.md'] });
    expect(b.sd).toBeCloseTo(sd([419.34, 418.8]), 12);
    expect(bucketOf(t, 'runs/1')!.n).toBe(3);
    expect(t.noise_runs.find((r) => r.run_dir === 'runs/1')?.result_filename).toBe('r-job.md');
    expect(t.noise_runs.find((r) => r.run_dir === 'runs/2')?.result_filename).toBe('r-score.md');
    expect(t.noise_summary[0]).toMatchObject({ runs: 3, buckets: 1, results_as_runs: 3, result_only_buckets: 2, pooled_basis: 'runs', buckets_n2: 1 });
    // Result-only buckets are listed but not pooled while a run-dir bucket has n ≥ 2.
    expect(b.in_pooled).toBe(false);
    expect(t.noise_summary[0]!.pooled_sigma).toBeCloseTo(sd([500.1234, 506.7445, 503.0]), 12);
  });
  it('score matching respects the posted precision', () => {
    expect(scoreMatches(506.74, 506.74453)).toBe(true);
    expect(scoreMatches(506.74, 506.746)).toBe(false);
    expect(scoreMatches(506, 506.4)).toBe(true);
    expect(scoreMatches(513.7657307585987, 513.7657307585987)).toBe(true);
    expect(scoreMatches(513.7657307585987, 513.76573)).toBe(false);
  });
});

describe('tie groups', () => {
  // Pooled σ from one bucket 100, 102 (sd √2) → threshold 2·√2·√2 = 4.
  const calib = [
    run({ agent: 'q', manifest_sha: 'm', submission_prefix: 'submissions/q/s', run_dir: 'runs/q1', score: 0.5, finished_at: hours(1) }),
    run({ agent: 'q', manifest_sha: 'm', submission_prefix: 'submissions/q/s', run_dir: 'runs/q2', score: 0.5, finished_at: hours(2) }),
  ];
  const scores: [string, number, string?][] = [
    ['a', 100],
    ['b', 97],
    ['c', 96], // 4 below the top: still a tie (≤ threshold)
    ['d', 95.9], // 4.1 below: opens group 2
    ['e', 93],
    ['f', 90], // 5.9 below d: group 3
    ['g', 120, 'invalid'], // invalid: not on the frontier
  ];
  const mk = (cfg: CollabConfig, bucketScores: [number, number]) =>
    deriveNoise(
      core({
        runs: calib.map((r, i) => ({ ...r, score: bucketScores[i]! })),
        results: [
          ...scores.map(([agent, score, v], i) =>
            result({ filename: `2026-${agent}.md`, agent, score, method: `m-${agent}`, ts: hours(i), verification: v ?? 'valid' }),
          ),
          result({ filename: '2026-a-older.md', agent: 'a', score: 99, method: 'old', ts: hours(0) }), // not a's best
          result({ filename: '2026-h.md', agent: 'h', score: 200, status: 'negative', ts: hours(1) }),
          // Over the secondary cap: off the frontier, as it is off the leaderboard's ranks (ties.ts eligibleForBest).
          result({ filename: '2026-k.md', agent: 'k', score: 150, over_cap: true, ts: hours(2) }),
          // a's over-cap result is not a's best either; an unknown cap check (null) does not disqualify.
          result({ filename: '2026-a-capped.md', agent: 'a', score: 130, over_cap: true, ts: hours(3) }),
        ],
      }),
      cfg,
    );
  it('walks down the frontier and opens a group beyond the threshold from the group top', () => {
    const t = mk(DEFAULT_CONFIG, [100, 102]);
    expect(t.noise_summary[0]!.tie_threshold).toBeCloseTo(4, 12);
    expect(t.tie_groups.map((g) => [g.agent, g.group_id, g.rank, g.group_size])).toEqual([
      ['a', 1, 1, 3],
      ['b', 1, 1, 3],
      ['c', 1, 1, 3],
      ['d', 2, 4, 2],
      ['e', 2, 4, 2],
      ['f', 3, 6, 1],
    ]);
    expect(t.tie_groups[1]).toMatchObject({ group_min: 96, group_max: 100, group_top: 100, delta_from_top: 3 });
    expect(t.noise_summary[0]).toMatchObject({ frontier: 6, tie_groups: 3, top_group_size: 3 });
  });
  it('follows the configured direction (lower is better)', () => {
    const t = mk({ ...DEFAULT_CONFIG, higher_is_better: false, score_label: 'Loss' }, [100, 102]);
    expect(t.tie_groups.map((g) => g.agent)).toEqual(['f', 'e', 'd', 'c', 'b', 'a']);
    // a's best is now the older 99.
    expect(t.tie_groups.at(-1)!.filename).toBe('2026-a-older.md');
    // f 90 top; e 93 (3) ties; d 95.9 (5.9) opens group 2; c 96, b 97, a 99 (3.1 from d) tie with d.
    expect(t.tie_groups.map((g) => g.group_id)).toEqual([1, 1, 2, 2, 2, 2]);
    expect(t.noise_summary[0]).toMatchObject({ score_label: 'Loss', higher_is_better: false });
  });
  it('without a noise estimate every result is its own group', () => {
    const t = deriveNoise(core({ results: [result({ filename: 'x.md', agent: 'x', score: 1 }), result({ filename: 'y.md', agent: 'y', score: 1 })] }), DEFAULT_CONFIG);
    expect(t.tie_groups.map((g) => g.group_id)).toEqual([1, 2]);
    expect(t.noise_summary[0]).toMatchObject({
      tie_threshold: null,
      sigma_lo: null,
      sigma_hi: null,
      threshold_lo: null,
      threshold_hi: null,
      rests_on_few: null,
      top_bucket_id: null,
      bartlett_stat: null,
      bartlett_p: null,
      spreads_differ: null,
      top_group_lo: null,
      top_group_hi: null,
    });
  });
  it('a bucket whose runs are all equal stays in σ but out of Bartlett’s test; the interval’s ends move the tie count', () => {
    // Calibration bucket 100, 102 (sd √2, threshold 4) plus a bucket of two equal runs: σ = 1 over 2 df.
    const t = deriveNoise(
      core({
        runs: [
          ...calib.map((r, i) => ({ ...r, score: [100, 102][i]! })),
          run({ agent: 'z', manifest_sha: 'mz', submission_prefix: 'submissions/z/s', run_dir: 'runs/z1', score: 7 }),
          run({ agent: 'z', manifest_sha: 'mz', submission_prefix: 'submissions/z/s', run_dir: 'runs/z2', score: 7 }),
        ],
        results: scores.map(([agent, score, v], i) => result({ filename: `2026-${agent}.md`, agent, score, ts: hours(i), verification: v ?? 'valid' })),
      }),
      DEFAULT_CONFIG,
    );
    const s = t.noise_summary[0]!;
    expect(s).toMatchObject({ pooled_df: 2, buckets_n2: 2, bartlett_buckets: null, bartlett_stat: null, spreads_differ: null, rests_on_few: true });
    expect(s.pooled_sigma).toBeCloseTo(1, 12);
    expect(bucketOf(t, 'runs/z1')).toMatchObject({ sd: 0, sd_lo: 0, sd_hi: 0, ss_share: 0, df_share: 0.5 });
    // Threshold 2·√2 ≈ 2.83: a (100) and b (97) are 3 apart, so a stands alone; the interval's ends (χ²(2)) give 1 and all 6.
    expect(s.top_group_size).toBe(1);
    expect(s.threshold_lo).toBeCloseTo(2 * Math.SQRT2 * Math.sqrt(2 / 7.377759), 5);
    expect(s.top_group_lo).toBe(1);
    expect(s.top_group_hi).toBe(6);
  });
});

describe('verify gaps', () => {
  it('uses the verdict table, falls back to the posted score, and the configured tolerance', () => {
    const t = deriveNoise(
      core({
        results: [result({ filename: '20260611-000000-000_kenyan-duma.md', agent: 'kenyan-duma', score: 377.32 })],
        messages: [
          message({ filename: 'v1.md', ts: hours(1), verdict: 'invalid', verdict_result: 'x_kenyan-duma.md', verdict_reported: 419.34, verdict_rerun: 395.0 }),
          message({ filename: 'v2.md', ts: hours(2), verdict: 'valid', verdict_result: '20260611-000000-000_kenyan-duma.md', verdict_rerun: 361.02, verdict_rerun_secondary: 2.2555 }),
          message({ filename: 'v3.md', ts: hours(3), verdict: 'valid', verdict_result: 'y.md' }),
        ],
      }),
      { ...DEFAULT_CONFIG, verifier_tolerance: 0.05 },
    );
    expect(t.verify_gaps).toHaveLength(2);
    const [v1, v2] = t.verify_gaps;
    // (395 − 419.34)/419.34 = −0.058044; (361.02 − 377.32)/377.32 = −0.043199.
    expect(v1!.gap).toBeCloseTo(-24.34 / 419.34, 12);
    expect(v1).toMatchObject({ agent: 'kenyan-duma', within_tolerance: false, tolerance: 0.05 });
    expect(v2).toMatchObject({ reported: 377.32, within_tolerance: true, rerun_secondary: 2.2555 });
    expect(v2!.abs_gap).toBeCloseTo(16.3 / 377.32, 12);
    expect(t.noise_summary[0]).toMatchObject({ verify_gaps: 2, verify_within: 1 });
  });
});

describe('registration', () => {
  it('is in DERIVATIONS and its tables are in the schema', () => {
    const d = DERIVATIONS.find((x) => x.name === 'noise')!;
    expect(d).toBeDefined();
    for (const tdef of NOISE_TABLES) expect(TABLES).toContain(tdef);
    const out = d.run({ ...core({}), agents: [], message_links: [], leaderboard_snapshots: [], taskforces: [], documents: [], rejects: [] }, DEFAULT_CONFIG);
    expect(Object.keys(out).sort()).toEqual(NOISE_TABLES.map((x) => x.name).sort());
    // Rows carry exactly the schema's columns.
    for (const tdef of NOISE_TABLES) for (const row of out[tdef.name]!) expect(Object.keys(row).sort()).toEqual(tdef.columns.map((c) => c.name).sort());
  });
});

// --- the real export ---
const REAL = new URL('../../../../shared/gemma-real/', import.meta.url).pathname;
const have = existsSync(REAL);
const HAYAI = 'submissions/mikasa-inbound/vllm-hayai-repro-v1';

describe.skipIf(!have)('real export (../shared/gemma-real)', () => {
  let ing: IngestResult;
  let t: NoiseTables;
  beforeAll(() => {
    ing = ingestExport(REAL);
    t = deriveNoise(ing.tables, ing.config);
  });

  /** Scores of every run dir serving `prefix`, read straight from the files, one per job id. */
  const fromFiles = (prefix: string): { dir: string; tps: number }[] => {
    const seen = new Set<string>();
    const out: { dir: string; tps: number }[] = [];
    for (const dir of readdirSync(join(REAL, 'runs')).sort()) {
      const read = (f: string): Record<string, unknown> | null =>
        existsSync(join(REAL, 'runs', dir, f)) ? (JSON.parse(readFileSync(join(REAL, 'runs', dir, f), 'utf8')) as Record<string, unknown>) : null;
      const summary = read('summary.json');
      const p = read('job_status.json')?.['submission_prefix'] ?? read('run_request.json')?.['submission_prefix'];
      if (p !== prefix || !summary || typeof summary['tps'] !== 'number') continue;
      const job = String(summary['job_id'] ?? dir);
      if (seen.has(job)) continue;
      seen.add(job);
      out.push({ dir: `runs/${dir}`, tps: summary['tps'] });
    }
    return out;
  };

  it('the vllm-hayai-repro-v1 bucket has n ≥ 14 and the mean/sd of its summary.json files', () => {
    const files = fromFiles(HAYAI);
    const buckets = t.noise_buckets.filter((b) => b.label === HAYAI);
    expect(buckets).toHaveLength(1);
    const b = buckets[0]!;
    expect(b.n).toBeGreaterThanOrEqual(14);
    expect(b.n).toBe(files.length);
    expect([...b.run_dirs!].sort()).toEqual(files.map((f) => f.dir).sort());
    const xs = files.map((f) => f.tps);
    expect(b.mean).toBeCloseTo(xs.reduce((a, c) => a + c, 0) / xs.length, 9);
    expect(b.sd).toBeCloseTo(sd(xs), 9);
    expect(b.min).toBe(Math.min(...xs));
    expect(b.max).toBe(Math.max(...xs));
    // data-formats §5: 491.2–506.7 TPS, sd ≈ 5.2.
    expect(b.sd!).toBeGreaterThan(4.5);
    expect(b.sd!).toBeLessThan(6);
  });

  it('counts the job under two run dirs once', () => {
    const dup = ing.tables.runs.find((r) => r.duplicate_of !== null)!;
    expect(t.noise_runs.map((r) => r.run_dir)).not.toContain(dup.run_dir);
    const canon = t.noise_runs.find((r) => r.run_dir === dup.duplicate_of)!;
    expect(canon.also_as).toEqual([dup.run_dir]);
    expect(t.noise_buckets.find((b) => b.bucket_id === canon.bucket_id)!.n).toBe(fromFiles('submissions/mikasa-inbound/osoi5-g256-clean').length);
    expect(t.noise_summary[0]!.duplicates_excluded).toBe(1);
  });

  it('splits hp-engine-run1/2 (one manifest, files changed) and keeps run3 (another manifest) apart', () => {
    const b1 = bucketOf(t, 'runs/hp-engine-run1')!;
    const b2 = bucketOf(t, 'runs/hp-engine-run2')!;
    const b3 = bucketOf(t, 'runs/hp-engine-run3')!;
    expect(b1.key).toBe(b2.key);
    expect(b1.bucket_id).not.toBe(b2.bucket_id);
    expect([b1.segment, b2.segment, b1.segments]).toEqual([1, 2, 2]);
    expect(b3.key).not.toBe(b1.key);
  });

  it('finds the posted 506.74 was the best of its bucket (selection bias)', () => {
    const r = t.result_buckets.find((x) => x.filename === '20260620-150043-363_mikasa-inbound.md')!;
    expect(r).toMatchObject({ join_kind: 'score', rank_in_bucket: 1, is_bucket_max: true });
    expect(t.noise_buckets.find((b) => b.bucket_id === r.bucket_id)!.label).toBe(HAYAI);
  });

  it('summary figures agree with the bucket rows', () => {
    const s = t.noise_summary[0]!;
    // Run-dir buckets with n ≥ 2 exist, so only they are pooled (the firfir-cast result pair is listed, not pooled).
    expect(s.pooled_basis).toBe('runs');
    const n2 = t.noise_buckets.filter((b) => b.n! >= 2 && b.run_dirs!.some((d) => d.startsWith('runs/')));
    expect(t.noise_buckets.filter((b) => b.in_pooled).map((b) => b.bucket_id).sort()).toEqual(n2.map((b) => b.bucket_id).sort());
    const df = n2.reduce((a, b) => a + b.n! - 1, 0);
    const sigma = Math.sqrt(n2.reduce((a, b) => a + (b.n! - 1) * b.sd! ** 2, 0) / df);
    expect(s.pooled_df).toBe(df);
    expect(s.pooled_sigma).toBeCloseTo(sigma, 12);
    expect(s.tie_threshold).toBeCloseTo(2 * sigma * Math.SQRT2, 12);
    expect(s.runs + s.results_as_runs!).toBe(t.noise_buckets.reduce((a, b) => a + b.n!, 0));
    expect(s.buckets! + s.result_only_buckets!).toBe(t.noise_buckets.length);
    expect(s.run_dirs).toBe(readdirSync(join(REAL, 'runs')).length);
    // Every canonical run dir with a score is somewhere (all real runs have a manifest or a prefix).
    const scored = ing.tables.runs.filter((r) => r.duplicate_of === null && typeof r.score === 'number');
    expect(t.noise_runs.filter((r) => r.source === 'run')).toHaveLength(scored.length);
    // The frontier has one row per agent, ranked best first.
    expect(new Set(t.tie_groups.map((g) => g.agent)).size).toBe(t.tie_groups.length);
    for (let i = 1; i < t.tie_groups.length; i++) expect(t.tie_groups[i]!.score!).toBeLessThanOrEqual(t.tie_groups[i - 1]!.score!);
  });

  it('says how sure σ is: df, chi-square interval, the few-buckets warning and Bartlett, recomputed here', () => {
    const s = t.noise_summary[0]!;
    const pooledRows = t.noise_buckets.filter((b) => b.in_pooled);
    expect(pooledRows).toHaveLength(3);
    const df = pooledRows.reduce((a, b) => a + b.n! - 1, 0);
    expect(df).toBe(15);
    expect(s.pooled_df).toBe(15);
    // χ²(15) quantiles from a printed table: 0.025 → 6.262138, 0.975 → 27.488393.
    const sigma = s.pooled_sigma!;
    expect(s.ci_level).toBe(0.95);
    expect(s.sigma_lo).toBeCloseTo(sigma * Math.sqrt(15 / 27.488393), 5);
    expect(s.sigma_hi).toBeCloseTo(sigma * Math.sqrt(15 / 6.262138), 5);
    expect(s.threshold_lo).toBeCloseTo(2 * Math.SQRT2 * s.sigma_lo!, 12);
    expect(s.threshold_hi).toBeCloseTo(2 * Math.SQRT2 * s.sigma_hi!, 12);
    expect(s.sigma_lo!).toBeLessThan(sigma);
    expect(s.sigma_hi!).toBeGreaterThan(sigma);
    // The 14-run bucket: its own interval with 13 df (χ²(13): 5.008750, 24.735605).
    const hayai = pooledRows.find((b) => b.label === HAYAI)!;
    expect(hayai.sd_lo).toBeCloseTo(hayai.sd! * Math.sqrt(13 / 24.735605), 5);
    expect(hayai.sd_hi).toBeCloseTo(hayai.sd! * Math.sqrt(13 / 5.00875), 5);
    // Shares: it holds 13 of 15 df and nearly all of the sum of squares, so it sets σ.
    const ss = (b: (typeof pooledRows)[number]) => (b.n! - 1) * b.sd! ** 2;
    const ssTotal = pooledRows.reduce((a, b) => a + ss(b), 0);
    for (const b of pooledRows) {
      expect(b.df_share).toBeCloseTo((b.n! - 1) / 15, 12);
      expect(b.ss_share).toBeCloseTo(ss(b) / ssTotal, 12);
    }
    expect(t.noise_buckets.filter((b) => !b.in_pooled).every((b) => b.df_share === null && b.ss_share === null)).toBe(true);
    expect(s.top_bucket_id).toBe(hayai.bucket_id);
    expect(s.top_df_share).toBeCloseTo(13 / 15, 12);
    expect(s.top_ss_share!).toBeGreaterThan(0.95);
    // The warning: 3 buckets < 5, 15 df < 30, one bucket > ½ of the sum of squares.
    expect(s).toMatchObject({ buckets_n2: 3, min_buckets: 5, min_df: 30, max_ss_share: 0.5, rests_on_few: true });
    // Bartlett from the three buckets' n and sd (the textbook formula, not the library).
    const k = 3;
    const lnSp2 = Math.log(ssTotal / df);
    const T =
      (df * lnSp2 - pooledRows.reduce((a, b) => a + (b.n! - 1) * Math.log(b.sd! ** 2), 0)) /
      (1 + (pooledRows.reduce((a, b) => a + 1 / (b.n! - 1), 0) - 1 / df) / (3 * (k - 1)));
    expect(s.bartlett_buckets).toBe(3);
    expect(s.bartlett_df).toBe(2);
    expect(s.bartlett_stat).toBeCloseTo(T, 6);
    expect(s.bartlett_p).toBeCloseTo(Math.exp(-T / 2), 6); // χ² with 2 df
    // p ≈ 0.082: not below 0.05, so not flagged; with 1 df in two buckets the test has little power.
    expect(s.bartlett_p!).toBeGreaterThan(0.05);
    expect(s.bartlett_p!).toBeLessThan(0.1);
    expect(s.spreads_differ).toBe(false);
    // Tied for first at the ends of the threshold's interval: the same walk, counted here.
    const top = t.tie_groups[0]!.score!;
    const within = (thr: number) => t.tie_groups.filter((g) => top - g.score! <= thr).length;
    expect(s.top_group_size).toBe(within(s.tie_threshold!));
    expect(s.top_group_lo).toBe(within(s.threshold_lo!));
    expect(s.top_group_hi).toBe(within(s.threshold_hi!));
    expect(s.top_group_lo!).toBeLessThanOrEqual(s.top_group_size!);
    expect(s.top_group_hi!).toBeGreaterThanOrEqual(s.top_group_size!);
  });

  describe('SQL builders on DuckDB over the Parquet the build writes', () => {
    let out: string;
    let db: DuckDBInstance;
    type Conn = Awaited<ReturnType<DuckDBInstance['connect']>>;
    let conn: Conn;
    const q = async (sql: string, params?: (string | number)[]): Promise<Record<string, unknown>[]> => {
      const r = await conn.runAndReadAll(sql, params);
      return r.getRowObjectsJson().map((row) =>
        Object.fromEntries(
          Object.entries(row).map(([k, v]) => [
            k,
            // TIMESTAMP comes back as 'YYYY-MM-DD HH:MM:SS.mmm'; BIGINT counts as strings.
            typeof v === 'string' && /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/.test(v)
              ? new Date(`${v.replace(' ', 'T')}Z`).toISOString()
              : typeof v === 'string' && /^\d+$/.test(v) && k !== 'bucket_id'
                ? Number(v)
                : v,
          ]),
        ),
      );
    };
    beforeAll(async () => {
      out = mkdtempSync(join(tmpdir(), 'atlas-noise-'));
      await buildData({ source: REAL, out, quiet: true });
      db = await DuckDBInstance.create(':memory:');
      conn = await db.connect();
      await conn.run(`SET TimeZone = 'UTC'`);
      for (const tdef of NOISE_TABLES) await conn.run(`CREATE VIEW ${tdef.name} AS SELECT * FROM read_parquet('${join(out, `${tdef.name}.parquet`)}')`);
    }, 60_000);
    afterAll(() => {
      conn?.closeSync();
      db?.closeSync();
      if (out) rmSync(out, { recursive: true, force: true });
    });

    it('noiseHeadlineSql returns the summary row', async () => {
      const rows = await q(noiseHeadlineSql());
      expect(rows).toHaveLength(1);
      const s = t.noise_summary[0]!;
      for (const [k, v] of Object.entries(rows[0]!)) {
        const want = s[k as keyof typeof s];
        if (typeof want === 'number') expect(v, k).toBeCloseTo(want, 9);
        else expect(v, k).toEqual(want);
      }
    });

    it('bucketStripSql orders buckets with n ≥ minN by the chosen column', async () => {
      const rows = await q(bucketStripSql({ orderBy: 'sd' }));
      const want = t.noise_buckets.filter((b) => b.n! >= 2).sort((a, b) => b.sd! - a.sd! || (a.bucket_id < b.bucket_id ? -1 : 1));
      expect(rows.map((r) => r['bucket_id'])).toEqual(want.map((b) => b.bucket_id));
      for (const [i, r] of rows.entries()) {
        expect(r['n']).toBe(want[i]!.n);
        expect(r['mean'] as number).toBeCloseTo(want[i]!.mean!, 9);
        expect(r['sd'] as number).toBeCloseTo(want[i]!.sd!, 9);
        expect(r['label']).toBe(want[i]!.label);
        expect(r['first_ts']).toBe(want[i]!.first_ts);
      }
      const byN = await q(bucketStripSql({ orderBy: 'n', minN: 1, limit: 5 }));
      expect(byN).toHaveLength(5);
      expect(byN[0]!['label']).toBe(HAYAI);
      for (const o of ['label', 'first_ts', 'range', 'range_sigmas', 'cv', 'mean'] as const) await q(bucketStripSql({ orderBy: o }));
      expect(() => bucketStripSql({ orderBy: 'sd; DROP TABLE x' as never })).toThrow(/orderBy/);
      expect(() => bucketStripSql({ minN: 1.5 })).toThrow(/minN/);
    });

    it('bucketRunsSql lists one bucket’s runs with a bound id', async () => {
      const b = t.noise_buckets.find((x) => x.label === HAYAI)!;
      const spec = bucketRunsQuery(b.bucket_id);
      expect(spec.sql).toBe(bucketRunsSql());
      const rows = await q(spec.sql, [...spec.params] as string[]);
      const want = t.noise_runs.filter((r) => r.bucket_id === b.bucket_id);
      expect(rows.map((r) => r['run_dir'])).toEqual(want.map((r) => r.run_dir));
      expect(rows.map((r) => r['score'])).toEqual(want.map((r) => r.score));
      expect(rows.map((r) => r['ts'])).toEqual(want.map((r) => r.ts));
      expect(rows.map((r) => r['rank_in_bucket'])).toEqual(want.map((r) => r.rank_in_bucket));
    });

    it('bucketStripRunsSql gives every run of n ≥ 2 buckets with its deviation', async () => {
      const rows = await q(bucketStripRunsSql());
      const ids = new Set(t.noise_buckets.filter((b) => b.n! >= 2).map((b) => b.bucket_id));
      expect(rows).toHaveLength(t.noise_runs.filter((r) => ids.has(r.bucket_id)).length);
      const dev = rows.reduce((a, r) => a + (r['deviation'] as number), 0);
      expect(dev).toBeCloseTo(0, 6); // deviations from each bucket mean sum to zero
    });

    it('tieLeaderboardSql and tieGroupSizesSql return the derived groups', async () => {
      const rows = await q(tieLeaderboardSql());
      expect(rows.map((r) => [r['filename'], r['group_id'], r['rank'], r['group_size']])).toEqual(
        t.tie_groups.map((g) => [g.filename, g.group_id, g.rank, g.group_size]),
      );
      expect(await q(tieLeaderboardSql({ limit: 3 }))).toHaveLength(3);
      const sizes = await q(tieGroupSizesSql());
      expect(sizes).toHaveLength(t.noise_summary[0]!.tie_groups!);
      expect(sizes[0]!['size']).toBe(t.noise_summary[0]!.top_group_size);
    });

    it('selectionBiasSql lists posted results in buckets of n ≥ 2, lucky draws first', async () => {
      const rows = await q(selectionBiasSql());
      const want = t.result_buckets.filter((r) => r.bucket_n! >= 2);
      expect(rows.map((r) => r['filename']).sort()).toEqual(want.map((r) => r.filename).sort());
      expect(rows[0]).toMatchObject({ filename: '20260620-150043-363_mikasa-inbound.md', is_bucket_max: true, label: HAYAI });
    });

    it('verifyGapsSql runs (no verdict messages in the real export)', async () => {
      expect(await q(verifyGapsSql())).toEqual([]);
      expect(await q(verifyGapsFirstQuery(5).sql)).toEqual([]);
    });

    it('first-rows queries: the whole query’s first rows in its order, numbered, each with the count of all', async () => {
      const N = 1; // the real export has 4 buckets of two runs or more and 2 posted results that are their best run
      const strip = await q(bucketStripSql({ orderBy: 'n' }));
      const ties = await q(tieLeaderboardSql());
      const spreads = await q(bucketSpreadsSql());
      const best = (await q(selectionBiasSql())).filter((r) => r['is_bucket_max']);
      const cases = [
        [strip, bucketStripFirstQuery({ orderBy: 'n', rows: N })],
        [ties, tieLeaderboardFirstQuery(N)],
        [spreads, bucketSpreadsFirstQuery(N)],
        [best, selectionBiasFirstQuery(N)],
      ] as const;
      for (const [all, spec] of cases) {
        expect(all.length, spec.sql).toBeGreaterThan(N);
        const got = await q(spec.sql, [...spec.params] as string[]);
        expect(got.map(({ row_no, total_rows, ...rest }) => rest)).toEqual(all.slice(0, N));
        expect(got.map((r) => r['row_no'])).toEqual(Array.from({ length: N }, (_, i) => i + 1));
        expect(new Set(got.map((r) => r['total_rows']))).toEqual(new Set([all.length]));
        // More rows than the query has: all of them.
        const every = await q(spec.sql.replace(new RegExp(`row_no <= ${N}\\b`), `row_no <= ${all.length + 10}`), [...spec.params] as string[]);
        expect(every).toHaveLength(all.length);
      }
      // The selected bucket is kept after the first rows wherever it falls, and not repeated when it is among them.
      const last = strip.at(-1)!['bucket_id'] as string;
      const withLast = bucketStripFirstQuery({ orderBy: 'n', rows: N, selected: last });
      const got = await q(withLast.sql, [...withLast.params] as string[]);
      expect(got.map((r) => r['bucket_id'])).toEqual([...strip.slice(0, N).map((r) => r['bucket_id']), last]);
      expect(got.at(-1)!['row_no']).toBe(strip.length);
      const withSecond = bucketStripFirstQuery({ orderBy: 'n', rows: N, selected: strip[N - 1]!['bucket_id'] as string });
      expect(await q(withSecond.sql, [...withSecond.params] as string[])).toHaveLength(N);
      expect(() => tieLeaderboardFirstQuery(0)).toThrow(/rows/);
    });
  });
});

// --- the synthetic sample: planted buckets, σ and selection bias from its ground truth ---
const ROOT = new URL('../../../', import.meta.url).pathname;
const haveSample = existsSync(join(ROOT, 'scripts/make-sample.ts'));

interface PlantedNoise {
  pooled_sigma: number;
  tie_threshold: number;
  buckets: { key: string; kind: string; runs: string[]; completed_runs: number; result: string | null }[];
  selection_bias: string[];
}
interface PlantedVerdict {
  message: string;
  result: string;
  rerun: number | null;
  delta_pct: number | null;
}

describe.skipIf(!haveSample)('synthetic sample (scripts/make-sample.ts, small scale)', () => {
  const cases = [
    { name: 'higher is better', args: ['--scale', '0.25', '--seed', '11'] },
    { name: 'lower is better', args: ['--scale', '0.25', '--seed', '7', '--lower-is-better'] },
  ];
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  for (const c of cases) {
    it(`recovers the planted buckets, σ, tie threshold and selection bias (${c.name})`, async () => {
      const { execFileSync } = await import('node:child_process');
      const out = mkdtempSync(join(tmpdir(), 'atlas-sample-'));
      dirs.push(out);
      execFileSync(process.execPath, ['--import', 'tsx', 'scripts/make-sample.ts', ...c.args, '--out', out], { cwd: ROOT, stdio: 'pipe' });
      const gt = JSON.parse(readFileSync(join(out, 'ground-truth.json'), 'utf8')) as { noise: PlantedNoise; special: { verdicts: PlantedVerdict[] } };
      const ing = ingestExport(join(out, 'export'));
      const t = deriveNoise(ing.tables, ing.config);
      const s = t.noise_summary[0]!;

      // σ and threshold equal the generator's own computation over completed, non-duplicate runs.
      expect(s.pooled_basis).toBe('runs');
      expect(s.pooled_sigma).toBeCloseTo(gt.noise.pooled_sigma, 9);
      expect(s.tie_threshold).toBeCloseTo(gt.noise.tie_threshold, 9);
      // Enough buckets and df: no few-buckets warning, and the interval brackets σ.
      expect(s.buckets_n2).toBeGreaterThanOrEqual(s.min_buckets!);
      expect(s.pooled_df).toBeGreaterThanOrEqual(s.min_df!);
      expect(s.rests_on_few).toBe(false);
      expect(s.sigma_lo!).toBeLessThan(s.pooled_sigma!);
      expect(s.sigma_hi!).toBeGreaterThan(s.pooled_sigma!);
      expect(s.bartlett_buckets).toBe(s.buckets_n2);
      // TPS noise is planted with similar σ per bucket (0.8–1.7): Bartlett finds no difference. Latency is
      // 512 000 / TPS, so its noise grows with the square of the latency: the spreads do differ, and Bartlett says so.
      expect(s.spreads_differ).toBe(!ing.config.higher_is_better);
      expect(s.run_dirs).toBe(gt.noise.buckets.reduce((a, b) => a + b.runs.length, 0));
      expect(s.higher_is_better).toBe(ing.config.higher_is_better);

      // Every planted bucket with a completed run is exactly one of ours (the split pair included).
      const bucketOfRun = new Map(t.noise_runs.map((r) => [r.run_dir, r.bucket_id]));
      const planted = gt.noise.buckets.filter((b) => b.completed_runs > 0);
      const ours = new Set<string>();
      for (const b of planted) {
        const ids = new Set(b.runs.map((d) => bucketOfRun.get(d)).filter((x): x is string => x !== undefined));
        expect(ids.size, b.key).toBe(1);
        const mine = t.noise_buckets.find((x) => x.bucket_id === [...ids][0])!;
        expect(mine.n, b.key).toBe(b.completed_runs);
        expect(mine.run_dirs!.every((d) => b.runs.includes(d)), b.key).toBe(true);
        ours.add(mine.bucket_id);
      }
      expect(ours.size).toBe(planted.length);
      expect(s.buckets).toBe(planted.length);
      const split = gt.noise.buckets.filter((b) => b.kind === 'split');
      if (split.length === 2) {
        const [a, b] = split.map((x) => t.noise_buckets.find((y) => y.bucket_id === bucketOfRun.get(x.runs[0]!))!);
        expect(a!.key).toBe(b!.key);
        expect(a!.bucket_id).not.toBe(b!.bucket_id);
      }

      // Results posted from a bucket join it by job id; the planted lucky draws are our bucket maxima.
      for (const b of planted.filter((x) => x.result)) {
        const rb = t.result_buckets.find((r) => r.filename === b.result)!;
        expect(rb.bucket_id, b.result!).toBe(bucketOfRun.get(b.runs.find((d) => bucketOfRun.has(d))!));
      }
      const lucky = t.result_buckets.filter((r) => r.join_kind === 'job_id' && r.is_bucket_max && r.bucket_n! >= 3).map((r) => r.filename);
      expect(lucky.sort()).toEqual([...gt.noise.selection_bias].sort());

      // Verifier gaps agree with the planted re-runs wherever the verdict table gives them.
      const planned = new Map(gt.special.verdicts.map((v) => [v.message.replace(/^.*\//, ''), v]));
      expect(t.verify_gaps.length).toBeGreaterThan(0);
      for (const g of t.verify_gaps) {
        const v = planned.get(g.message)!;
        expect(g.result_filename).toBe(v.result);
        expect(g.rerun!).toBeCloseTo(v.rerun!, 1);
        expect(g.gap! * 100).toBeCloseTo(v.delta_pct!, 1);
      }
    }, 30_000);
  }
});
