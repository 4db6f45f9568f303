// Noise page pieces without a browser: headline text, calculator input, arithmetic, and the three charts rendered with linkedom.
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../../src/lib/config.ts';
import { chartMarkup, serverDocument } from '../../../src/lib/charts/ssr.ts';
import { noiseStripChart, stripRowIndex, STRIP_ROW } from '../../../src/lib/charts/noise-strip.ts';
import { tieGroupsChart } from '../../../src/lib/charts/noise-ties.ts';
import { verifyGapChart } from '../../../src/lib/charts/noise-verify.ts';
import { spreadChart } from '../../../src/lib/charts/noise-spreads.ts';
import type { BucketSpreadRow, BucketStripRow, NoiseHeadlineRow, StripRunRow, TieRow, VerifyGapRow } from '../../../src/lib/queries/noise-page.sql.ts';
import { compareRuns } from '../../../src/lib/stats/significance.ts';
import {
  arithmeticLines,
  equalSpreadsSentence,
  fewBucketsSentence,
  fmtP,
  fmtPct,
  fmtShare,
  headlineText,   parsePick,
  parseRuns,
  pickValue,
  shortLabel,
  stripStatus,
} from '../../../src/lib/ui/noise-format.ts';

const summary = (over: Partial<NoiseHeadlineRow> = {}): NoiseHeadlineRow => ({
  runs: 1234,
  run_dirs: 1300,
  buckets: 63,
  results_as_runs: 7,
  result_only_buckets: 5,
  duplicates_excluded: 1,
  runs_unidentified: 0,
  split_keys: 0,
  pooled_basis: 'runs',
  buckets_n2: 60,
  runs_in_n2: 1200,
  pooled_df: 1140,
  pooled_sigma: 1.23456,
  pooled_cv: 0.004,
  median_bucket_sd: 0.98765,
  z: 2,
  tie_threshold: 2 * 1.23456 * Math.SQRT2,
  ci_level: 0.95,
  sigma_lo: 1.18571,
  sigma_hi: 1.28765,
  threshold_lo: 2 * 1.18571 * Math.SQRT2,
  threshold_hi: 2 * 1.28765 * Math.SQRT2,
  min_buckets: 5,
  min_df: 30,
  max_ss_share: 0.5,
  rests_on_few: false,
  top_bucket_id: 'nb_0000000001',
  top_df_share: 0.02,
  top_ss_share: 0.05,
  bartlett_buckets: 60,
  bartlett_stat: 61.234,
  bartlett_df: 59,
  bartlett_p: 0.39,
  bartlett_alpha: 0.05,
  spreads_differ: false,
  frontier: 10,
  tie_groups: 4,
  top_group_size: 2,
  top_group_lo: 2,
  top_group_hi: 3,
  verify_gaps: 0,
  verify_within: 0,
  score_label: 'TPS',
  unit: 'tok/s',
  higher_is_better: true,
  ...over,
});

describe('headline', () => {
  it('reads N runs across M buckets, σ with df and median sd, and the threshold, in the configured unit', () => {
    expect(headlineText(summary(), { unit: 'tok/s' })).toBe(
      '1,234 runs across 63 buckets; pooled σ = 1.23 tok/s (95\u00a0% CI 1.19–1.29 tok/s; df 1,140, median bucket sd 0.988 tok/s); ' +
        'tie threshold = 2·σ·√2 = 3.49 tok/s (95\u00a0% CI 3.35–3.64 tok/s)',
    );
    // Another score: no unit, lower is better; small σ keeps three significant digits; an unknown interval says so.
    const small = { pooled_sigma: 0.004321, median_bucket_sd: 0.004, tie_threshold: 0.01222, sigma_lo: 0.00401, sigma_hi: 0.00469, threshold_lo: null };
    expect(headlineText(summary(small), { unit: '' })).toBe(
      '1,234 runs across 63 buckets; pooled σ = 0.00432 (95\u00a0% CI 0.00401–0.00469; df 1,140, median bucket sd 0.004); ' +
        'tie threshold = 2·σ·√2 = 0.0122 (interval unknown)',
    );
  });
  it('says so when there is no σ, and counts posted results when σ is pooled over them', () => {
    expect(headlineText(summary({ pooled_sigma: null, tie_threshold: null, runs: 1, buckets: 1 }), { unit: 'x' })).toBe(
      '1 run across 1 bucket; no bucket has two runs or more, so there is no pooled σ and no tie threshold.',
    );
    expect(headlineText(summary({ pooled_basis: 'results' }), { unit: 'x' })).toMatch(/^7 posted results across 5 buckets; pooled σ = 1\.23 x/);
  });
});

describe('how sure σ is, in words', () => {
  // The real export's figures (3 buckets, 15 df, Bartlett T 5.00 / p 0.082), as stored in noise_summary.
  const real = summary({
    buckets_n2: 3,
    pooled_df: 15,
    pooled_sigma: 4.90108,
    threshold_lo: 10.2402,
    threshold_hi: 21.4546,
    rests_on_few: true,
    top_ss_share: 0.99098,
    top_df_share: 0.86667,
    top_group_size: 13,
    top_group_lo: 11,
    top_group_hi: 13,
    bartlett_buckets: 3,
    bartlett_stat: 5.0038,
    bartlett_df: 2,
    bartlett_p: 0.081929,
    spreads_differ: false,
  });
  it('warns in one sentence naming each part of the rule that failed', () => {
    expect(fewBucketsSentence(real, 'submissions/mikasa-inbound/vllm-hayai-repro-v1', 'tok/s')).toBe(
      'Caution: σ and the tie threshold rest on few buckets: only 3 buckets (the rule asks for 5), 15 degrees of freedom (it asks for 30) ' +
        'and one bucket, mikasa-inbound/vllm-hayai-repro-v1, holds 99 % of the sum of squares; the tie threshold could be anywhere ' +
        'from 10.2 to 21.5 tok/s (95\u00a0% interval), giving 11 to 13 tied for first.',
    );
    // Only the df part fails; the same count at both ends; no unit.
    expect(fewBucketsSentence(summary({ rests_on_few: true, pooled_df: 12, buckets_n2: 6, top_ss_share: 0.3, top_group_lo: 2, top_group_hi: 2 }), null, '')).toBe(
      'Caution: σ and the tie threshold rest on few buckets: 12 degrees of freedom (it asks for 30); the tie threshold could be anywhere ' +
        `from 3.35 to 3.64 (95\u00a0% interval), with 2 tied for first throughout.`,
    );
    expect(fewBucketsSentence(summary(), 'x', 'tok/s')).toBeNull();
    expect(fewBucketsSentence(summary({ rests_on_few: null }), 'x', 'tok/s')).toBeNull();
  });
  it('reports Bartlett plainly: no evidence, low power, different, or unknown', () => {
    expect(equalSpreadsSentence(real)).toBe(
      "Bartlett's test finds no clear difference between the buckets' spreads (T = 5.00, df 2, p = 0.082, not below 0.05), " +
        'but with so few buckets and degrees of freedom it has little power: this is no evidence that they are equal.',
    );
    expect(equalSpreadsSentence(summary())).toBe(
      "Bartlett's test finds no clear difference between the buckets' spreads (T = 61.23, df 59, p = 0.39, not below 0.05): one common σ is consistent with them.",
    );
    expect(equalSpreadsSentence(summary({ spreads_differ: true, bartlett_p: 3.1e-7, bartlett_stat: 57.6, bartlett_df: 14, bartlett_buckets: 15, buckets_n2: 16 }))).toBe(
      "Bartlett's test says the buckets' spreads differ more than one common σ explains (T = 57.60, df 14, p < 0.0001, below 0.05) " +
        '(1 bucket whose runs are all equal left out), so a single pooled σ misdescribes them: read σ as an average of unlike buckets.',
    );
    expect(equalSpreadsSentence(summary({ bartlett_stat: null, bartlett_p: null, bartlett_df: null, bartlett_buckets: null }))).toMatch(/whether the buckets can be pooled is unknown/);
    expect(equalSpreadsSentence(summary({ pooled_sigma: null }))).toBe('No bucket has two runs or more, so there are no spreads to compare.');
  });
  it('formats p-values and shares for reading', () => {
    expect([fmtP(0.081929), fmtP(0.00004), fmtP(null), fmtP(0.5)]).toEqual(['0.082', '< 0.0001', '–', '0.5']);
    expect([fmtShare(0.86667), fmtShare(0.0089), fmtShare(0.0001), fmtShare(0), fmtShare(null)]).toEqual(['87 %', '0.9 %', '< 0.1 %', '0.0 %', '–']);
  });
});

describe('calculator input', () => {
  it('parses runs separated by commas, spaces, semicolons and new lines, and reports what is not a number', () => {
    expect(parseRuns(' 412.3, 410.9\n413;4e2  abc ,, NaN')).toEqual({ values: [412.3, 410.9, 413, 400], bad: ['abc', 'NaN'] });
    expect(parseRuns('')).toEqual({ values: [], bad: [] });
  });
  it('round-trips URL values: r:<result>, b:<bucket>, numbers', () => {
    for (const v of ['r:20260613-222824-715_rapid-iguana.md', 'b:nb_0123456789', '1.5,2,3']) expect(pickValue(parsePick(v))).toBe(v);
    expect(parsePick(null)).toBeNull();
    expect(parsePick('r:')).toEqual({ kind: 'values', values: [], bad: ['r:'] });
    expect(pickValue(parsePick('junk'))).toBeNull();
  });
  it('shows the arithmetic of z for two runs and of Welch for sets', () => {
    const z = compareRuns([500], [495], { sigma: 1.25 });
    const zl = arithmeticLines(z, { a: [500], b: [495] }, 1.25, 'pooled σ', 'tok/s');
    expect(zl).toContain('Δ = mean A − mean B = 5 tok/s');
    expect(zl).toContain(`z = Δ / (σ·√2) = 5 / 1.77 = ${(5 / (1.25 * Math.SQRT2)).toFixed(2)}`);
    const w = compareRuns([10, 11, 12], [8, 9], { sigma: 1 });
    const wl = arithmeticLines(w, { a: [10, 11, 12], b: [8, 9] }, 1, 'pooled σ', '');
    expect(wl.some((l) => l.startsWith(`Welch t = Δ / se = ${w.stat!.toFixed(2)}, df = ${w.df!.toFixed(1)}`))).toBe(true);
    expect(wl).toContain('A: n = 3, mean 11, sd 1');
  });
  it('formats signed percentages with a real minus sign', () => {
    expect(fmtPct(-0.0359)).toBe('−3.6 %');
    expect(fmtPct(0.02)).toBe('+2.0 %');
    expect(fmtPct(0.05, false)).toBe('5.0 %');
    expect(shortLabel('submissions/agent/a-very-long-submission-name-that-goes-on-and-on-v1', 20)).toHaveLength(20);
  });
});

const bucket = (id: string, over: Partial<BucketStripRow> = {}): BucketStripRow => ({
  bucket_id: id,
  label: `submissions/a/${id}`,
  key_kind: 'manifest',
  agent: 'a',
  n: 3,
  n_results: 0,
  mean: 100,
  sd: 1,
  min: 99,
  max: 101,
  range: 2,
  cv: 0.01,
  median: 100,
  range_sigmas: 2,
  wide: false,
  in_pooled: true,
  sd_lo: 0.52,
  sd_hi: 6.28,
  df_share: 0.1,
  ss_share: 0.1,
  segment: 1,
  segments: 1,
  first_ts: null,
  last_ts: null,
  ...over,
});
const run = (bucketId: string, dev: number, source = 'run'): StripRunRow => ({
  bucket_id: bucketId,
  label: bucketId,
  run_dir: `runs/${bucketId}-${dev}`,
  source,
  score: 100 + dev,
  ts: null,
  rank_in_bucket: 1,
  deviation: dev,
  deviation_sd: dev,
});

describe('charts', () => {
  const doc = serverDocument();
  it('strip: one row per bucket exactly STRIP_ROW apart, a dot per run, labelled, no inline styles', () => {
    const buckets = [bucket('b1'), bucket('b2', { wide: true }), bucket('b3', { in_pooled: false })];
    const runs = [run('b1', -1), run('b1', 1), run('b2', 4, 'result'), run('b3', 0.5), run('zz', 3)];
    const node = noiseStripChart({ buckets, runs, sigma: 1, selected: 'b2' }, DEFAULT_CONFIG, { document: doc, width: 800 });
    // The chart is the SVG itself: its legend is drawn beside it from the same series spec (charts/legend.ts).
    const svg = node.matches('svg[aria-label]') ? node : node.querySelector('svg[aria-label]')!;
    expect(svg.getAttribute('aria-label')).toBe("TPS runs per noise bucket, around each bucket's mean");
    const ys = [...svg.querySelectorAll('g[aria-label="y-axis tick label"] text')].map((t) => t.getAttribute('transform'));
    // Each label sits at its band's start, shifted half a row by its group: rows start at 30 and are STRIP_ROW apart.
    expect(ys).toEqual(buckets.map((_, i) => `translate(250,${30 + STRIP_ROW * i})`));
    expect(svg.querySelector('g[aria-label="y-axis tick label"]')?.getAttribute('transform')).toBe(`translate(-9,${STRIP_ROW / 2})`);
    expect(stripRowIndex(30 + STRIP_ROW * 1.2, 3)).toBe(1);
    expect(stripRowIndex(10, 3)).toBe(-1);
    expect(svg.querySelectorAll('g.noise-run circle').length).toBe(3);
    expect(svg.querySelectorAll('g.noise-posted-result circle').length).toBe(1);
    expect(svg.querySelectorAll('g.noise-selected-bucket rect').length).toBe(1);
    expect(svg.textContent).toContain('Run − bucket mean, TPS (tok/s)');
    const markup = chartMarkup(node);
    expect(markup).not.toMatch(/<style|style="/);
  });
  it('ties: a band per result as wide as the threshold, reversed axis when lower is better', () => {
    const tie = (position: number, group: number, score: number, top: number): TieRow => ({
      position,
      rank: position,
      group_id: group,
      group_size: 2,
      agent: `a${position}`,
      score,
      delta_from_top: Math.abs(top - score),
      group_top: top,
      group_min: Math.min(score, top),
      group_max: Math.max(score, top),
      method: 'm',
      verification: position === 1 ? 'valid' : 'pending',
      ts: null,
      filename: `f${position}.md`,
    });
    const rows = [tie(1, 1, 10, 10), tie(2, 1, 10.5, 10)];
    const config = { ...DEFAULT_CONFIG, higher_is_better: false, score_label: 'PPL', unit: '' };
    const svg = tieGroupsChart(rows, { threshold: 1 }, config, { document: doc }) as SVGSVGElement;
    expect(svg.getAttribute('aria-label')).toBe('Frontier by PPL with tie groups as bands');
    expect(svg.querySelectorAll('g.noise-tie-group-band rect').length).toBe(2);
    expect(svg.querySelectorAll('g.noise-verified-result circle').length).toBe(1);
    expect(svg.textContent).toContain('PPL, better →');
    expect(tieGroupsChart(rows, { threshold: null }, config, { document: doc }).querySelectorAll('g.noise-tie-group-band').length).toBe(0);
  });
  it('spreads: a dot and an interval per bucket on a log axis, the pooled σ and its interval; zero-spread buckets left out', () => {
    const spread = (id: string, n: number, sd: number, lo: number | null, hi: number | null, df: number, ss: number | null): BucketSpreadRow => ({
      bucket_id: id,
      label: `submissions/a/${id}`,
      n,
      sd,
      sd_lo: lo,
      sd_hi: hi,
      df_share: df,
      ss_share: ss,
    });
    const rows = [spread('big', 14, 5.24, 3.8, 8.44, 0.867, 0.991), spread('pair', 2, 1.79, 0.8, 57.2, 0.067, 0.009), spread('flat', 2, 0, 0, 0, 0.067, 0)];
    const node = spreadChart({ buckets: rows, sigma: 4.9, sigmaLo: 3.62, sigmaHi: 7.59, level: 0.95 }, DEFAULT_CONFIG, { document: doc, width: 800 });
    const svg = node.querySelector('svg[aria-label]') ?? node;
    expect(svg.getAttribute('aria-label')).toBe('Spread of TPS per pooled bucket with 95 % intervals');
    expect(svg.querySelectorAll('g.noise-sd circle').length).toBe(2);
    expect(svg.querySelectorAll('g.noise-sd-interval line').length).toBe(2);
    expect(svg.querySelectorAll('g.noise-pooled-sigma line').length).toBe(1);
    expect(svg.querySelectorAll('g.noise-pooled-interval rect').length).toBe(1);
    expect(svg.textContent).toContain('sd 5.24 · n 14 · 87 % df · 99 % SS');
    expect(svg.textContent).toContain('(log scale)');
    expect(chartMarkup(node)).not.toMatch(/<style|style="/);
    // No σ: neither the line nor the column.
    const bare = spreadChart({ buckets: rows, sigma: null, sigmaLo: null, sigmaHi: null, level: 0.95 }, DEFAULT_CONFIG, { document: doc });
    expect(bare.querySelectorAll('g.noise-pooled-sigma, g.noise-pooled-interval').length).toBe(0);
  });
  it('verifier gaps: nothing to draw without re-runs; a dot per re-run otherwise', () => {
    expect(verifyGapChart([], DEFAULT_CONFIG, { document: doc })).toBeNull();
    const gap = (g: number): VerifyGapRow => ({
      message: `m${g}`,
      result_filename: 'r.md',
      agent: 'a',
      ts: null,
      verdict: 'valid',
      reported: 100,
      rerun: 100 * (1 + g),
      rerun_secondary: null,
      gap: g,
      abs_gap: Math.abs(g),
      within_tolerance: Math.abs(g) <= 0.05,
      tolerance: 0.05,
    });
    const node = verifyGapChart([gap(-0.02), gap(-0.15)], DEFAULT_CONFIG, { document: doc })!;
    expect(node.querySelectorAll('g.noise-re-run path').length).toBe(2);
    expect(node.getAttribute('aria-label')).toBe('Verifier re-run gap against reported TPS');
  });
});

describe('strip status', () => {
  it('says when only part is drawn', () => {
    expect(stripStatus(5, 5)).toBe('5 buckets');
    expect(stripStatus(6912, 25)).toBe('6,912 buckets; the first 25 in this order are drawn and listed');
  });
});
