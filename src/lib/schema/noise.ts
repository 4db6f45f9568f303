// Tables of the noise derivation: repeat-run buckets, their runs, posted results against them, tie groups, verifier gaps.
import { col, key, table, type Row } from './types.ts';

export const noiseBuckets = table({
  name: 'noise_buckets',
  description:
    'Repeat runs of one identical submission (a noise bucket): spread of the score across runs. Rules: scripts/derive/noise/index.ts.',
  orderBy: ['bucket_id'],
  columns: [
    key('bucket_id', 'VARCHAR', 'Stable bucket id (nb_ + 10 hex of the identity key and segment).'),
    col('key', 'VARCHAR', 'Identity key: manifest:<sha256>@<submission prefix>, submission:<prefix>, or method:<agent>/<method>.'),
    col('key_kind', 'VARCHAR', 'Which identity key grouped the runs: manifest, submission or agent-method (strongest first).'),
    col('segment', 'INTEGER', 'Part number when one identity key was split at a level shift (files changed behind it); 1 otherwise.'),
    col('segments', 'INTEGER', 'How many parts the identity key was split into (1 = not split).'),
    col('label', 'VARCHAR', 'Readable name: submission path, or agent + method; "(part k of m)" when split.'),
    col('agent', 'VARCHAR', 'Agent whose runs or results these are (null if several).'),
    col('n', 'INTEGER', 'Runs with a finite score; a job under two run dirs counts once.'),
    col('n_results', 'INTEGER', 'Of n, posted results that stand for a run the export does not hold.'),
    col('mean', 'DOUBLE', 'Mean score.'),
    col('sd', 'DOUBLE', 'Sample standard deviation (n − 1); null for n < 2, since one run gives no spread.'),
    col('min', 'DOUBLE', 'Lowest score.'),
    col('max', 'DOUBLE', 'Highest score.'),
    col('range', 'DOUBLE', 'max − min; null for n < 2.'),
    col('cv', 'DOUBLE', 'Coefficient of variation sd / |mean| (a fraction, 0.01 = 1 %); null when sd is null.'),
    col('median', 'DOUBLE', 'Median score.'),
    col('range_sigmas', 'DOUBLE', 'range / pooled σ: how wide the bucket is in units of the typical noise; null for n < 2.'),
    col('wide', 'BOOLEAN', 'range_sigmas above 6: wider than run-to-run noise explains (suspect changed files or a mixed bucket).'),
    col('in_pooled', 'BOOLEAN', 'Counted in the pooled σ (n ≥ 2 and on the pooled basis: run-dir buckets when there are any).'),
    col('sd_lo', 'DOUBLE', 'Low end of the 95 % chi-square interval for this bucket’s σ (df = n − 1); null for n < 2.'),
    col('sd_hi', 'DOUBLE', 'High end of that interval (about 32 × sd for two runs: one pair says little).'),
    col('df_share', 'DOUBLE', 'Share of the pooled σ’s degrees of freedom, (n − 1) / Σ(n − 1) (fraction); null when not pooled.'),
    col('ss_share', 'DOUBLE', 'Share of the pooled sum of squares, (n − 1)·sd² / Σ(n − 1)·sd² (fraction): how much this bucket sets σ; null when not pooled.'),
    col('first_ts', 'TIMESTAMP', 'Earliest run time (finished, else launched; result stamp for results).'),
    col('last_ts', 'TIMESTAMP', 'Latest run time.'),
    col('run_dirs', 'VARCHAR[]', 'Members in time order: runs/<dir> for run dirs, results/<filename> for results standing in for a run.'),
  ],
});

export const noiseRuns = table({
  name: 'noise_runs',
  description: 'One row per measurement in a noise bucket (run dir, or posted result with no run dir), to list a bucket’s runs.',
  orderBy: ['bucket_id', 'ts', 'run_dir'],
  columns: [
    key('run_dir', 'VARCHAR', 'runs/<dir> for a run, results/<filename> for a posted result standing in for its own run.'),
    key('bucket_id', 'VARCHAR', 'Bucket the measurement belongs to (noise_buckets.bucket_id).'),
    col('source', 'VARCHAR', 'run (a run directory) or result (a posted result the export has no run dir for).'),
    col('result_filename', 'VARCHAR', 'Posted result that quotes this run (job id or score match), or the result itself for source result.'),
    col('agent', 'VARCHAR', 'Agent who ran it.'),
    col('job_id', 'VARCHAR', 'Job id, when known.'),
    col('score', 'DOUBLE', "The configured score (runs.score or results.score)."),
    col('ts', 'TIMESTAMP', 'When it ran: finished_at, else created_at (runs); the filename stamp (results).'),
    col('rank_in_bucket', 'INTEGER', '1 = best in the bucket in the configured direction; equal scores share a rank.'),
    col('also_as', 'VARCHAR[]', 'Other run dirs holding the same job (duplicates, not counted again).'),
  ],
});

export const resultBuckets = table({
  name: 'result_buckets',
  description: 'Posted results placed against the noise bucket of what they measured: was the posted value the lucky draw?',
  orderBy: ['filename'],
  columns: [
    key('filename', 'VARCHAR', 'Result filename.'),
    col('agent', 'VARCHAR', 'Result author.'),
    col('status', 'VARCHAR', 'Result status (agent-run, negative, baseline).'),
    key('bucket_id', 'VARCHAR', 'Matched noise bucket.'),
    col('join_kind', 'VARCHAR', 'How it matched: job_id (quoted job id), submission (prefix), score (same agent, a run whose score rounds to the posted value), method (agent + method).'),
    col('score', 'DOUBLE', 'Posted score.'),
    col('bucket_n', 'INTEGER', 'Runs in the bucket.'),
    col('bucket_median', 'DOUBLE', 'Bucket median.'),
    col('bucket_best', 'DOUBLE', 'Best score in the bucket (configured direction).'),
    col('excess_over_median', 'DOUBLE', 'Posted minus bucket median, signed so positive = better than the median.'),
    col('rank_in_bucket', 'INTEGER', 'Rank of the posted value among the bucket’s runs (1 = best).'),
    col('is_bucket_max', 'BOOLEAN', 'Posted value is the bucket’s best (max when higher is better, else min) with n ≥ 2: selection bias.'),
  ],
});

export const tieGroups = table({
  name: 'tie_groups',
  description: 'Frontier (best result per agent) cut into statistical ties: results within the tie threshold of their group’s top share a rank.',
  orderBy: ['position'],
  columns: [
    key('position', 'INTEGER', 'Position on the frontier (1 = best), before grouping.'),
    key('filename', 'VARCHAR', 'Result filename.'),
    col('group_id', 'INTEGER', 'Tie group (1 = top group).'),
    col('rank', 'INTEGER', 'Shared rank: 1 + number of results in better groups.'),
    col('agent', 'VARCHAR', 'Agent.'),
    col('score', 'DOUBLE', 'Posted score.'),
    col('method', 'VARCHAR', 'Method string (untrusted agent text).'),
    col('verification', 'VARCHAR', 'valid, invalid or pending.'),
    col('ts', 'TIMESTAMP', 'Result time.'),
    col('delta_from_top', 'DOUBLE', 'Distance from the group’s top score (≥ 0, in score units).'),
    col('group_size', 'INTEGER', 'Results in the group.'),
    col('group_top', 'DOUBLE', 'Best score in the group.'),
    col('group_min', 'DOUBLE', 'Lowest score in the group.'),
    col('group_max', 'DOUBLE', 'Highest score in the group.'),
  ],
});

export const noiseSummary = table({
  name: 'noise_summary',
  description: 'One row: how noisy the score is across all buckets, and the tie threshold the tie groups use.',
  orderBy: ['runs'],
  columns: [
    key('runs', 'INTEGER', 'Run dirs with a score in buckets (a job under two dirs counts once).'),
    col('run_dirs', 'INTEGER', 'All run dirs in the export, failed, partial and duplicate ones included.'),
    col('buckets', 'INTEGER', 'Noise buckets holding run dirs.'),
    col('results_as_runs', 'INTEGER', 'Posted results that stand in for a run the export does not hold.'),
    col('result_only_buckets', 'INTEGER', 'Buckets made only of such results (listed; pooled only when no run-dir bucket has n ≥ 2).'),
    col('duplicates_excluded', 'INTEGER', 'Run dirs skipped because another dir holds the same job.'),
    col('runs_unidentified', 'INTEGER', 'Run dirs with a score but neither a manifest nor a submission prefix (left out of buckets).'),
    col('split_keys', 'INTEGER', 'Identity keys split at a level shift (same manifest, different files).'),
    col('pooled_basis', 'VARCHAR', 'Which buckets the pooled σ uses: runs (run-dir buckets) or results (only when there are no repeat run dirs).'),
    col('buckets_n2', 'INTEGER', 'Buckets in the pooled σ (n ≥ 2 on the pooled basis).'),
    col('runs_in_n2', 'INTEGER', 'Runs in those buckets.'),
    col('pooled_df', 'INTEGER', 'Σ(n − 1) over buckets with n ≥ 2.'),
    col('pooled_sigma', 'DOUBLE', 'Pooled within-bucket sd, sqrt(Σ(n−1)s² / Σ(n−1)), in score units; null without an n ≥ 2 bucket.'),
    col('pooled_cv', 'DOUBLE', 'Pooled relative sd, sqrt(Σ(n−1)cv² / Σ(n−1)) (fraction).'),
    col('median_bucket_sd', 'DOUBLE', 'Median sd over buckets with n ≥ 2.'),
    col('z', 'DOUBLE', 'z used for ties (2: flowian’s "likely real" bar).'),
    col('tie_threshold', 'DOUBLE', 'z·σ_pooled·√2: two single runs closer than this are a tie.'),
    col('ci_level', 'DOUBLE', 'Confidence level of the intervals below (0.95).'),
    col('sigma_lo', 'DOUBLE', 'Low end of the chi-square interval for σ: σ·√(df / χ²(0.975; df)); null without σ.'),
    col('sigma_hi', 'DOUBLE', 'High end: σ·√(df / χ²(0.025; df)).'),
    col('threshold_lo', 'DOUBLE', 'Low end of the tie threshold’s interval (z·√2·sigma_lo).'),
    col('threshold_hi', 'DOUBLE', 'High end of the tie threshold’s interval (z·√2·sigma_hi).'),
    col('min_buckets', 'INTEGER', 'Rule: σ rests on few buckets when fewer than this many are pooled …'),
    col('min_df', 'INTEGER', '… or the pool has fewer than this many degrees of freedom …'),
    col('max_ss_share', 'DOUBLE', '… or one bucket holds more than this share of the pooled sum of squares (σ is then mostly its sd).'),
    col('rests_on_few', 'BOOLEAN', 'σ and the tie threshold rest on few buckets by the rule above; null without σ.'),
    col('top_bucket_id', 'VARCHAR', 'Pooled bucket with the largest share of the sum of squares: the one that sets σ most (noise_buckets.bucket_id).'),
    col('top_df_share', 'DOUBLE', 'That bucket’s share of the pooled degrees of freedom (fraction).'),
    col('top_ss_share', 'DOUBLE', 'That bucket’s share of the pooled sum of squares (fraction).'),
    col('bartlett_buckets', 'INTEGER', 'Pooled buckets in Bartlett’s test (those whose runs are not all equal); null when fewer than two.'),
    col('bartlett_stat', 'DOUBLE', 'Bartlett’s statistic for equal variances across those buckets (χ² with bartlett_df df if they share one σ).'),
    col('bartlett_df', 'INTEGER', 'Its degrees of freedom: buckets tested − 1.'),
    col('bartlett_p', 'DOUBLE', 'Its p-value: small means the buckets’ spreads differ more than one common σ explains.'),
    col('bartlett_alpha', 'DOUBLE', 'Level below which spreads_differ is set (0.05).'),
    col('spreads_differ', 'BOOLEAN', 'bartlett_p < bartlett_alpha: the buckets are too different to pool into one σ; null when untestable.'),
    col('frontier', 'INTEGER', 'Results on the frontier (best per agent).'),
    col('tie_groups', 'INTEGER', 'Tie groups on the frontier.'),
    col('top_group_size', 'INTEGER', 'Results tied for first.'),
    col('top_group_lo', 'INTEGER', 'Results tied for first with the threshold at threshold_lo; null without σ.'),
    col('top_group_hi', 'INTEGER', 'Results tied for first with the threshold at threshold_hi; null without σ.'),
    col('verify_gaps', 'INTEGER', 'Verifier re-runs with a reported and a re-run score.'),
    col('verify_within', 'INTEGER', 'Of those, within the verifier tolerance.'),
    col('score_label', 'VARCHAR', 'Score label from the configuration, e.g. TPS.'),
    col('unit', 'VARCHAR', 'Score unit.'),
    col('higher_is_better', 'BOOLEAN', 'Direction of the score.'),
  ],
});

export const verifyGaps = table({
  name: 'verify_gaps',
  description: 'Verifier re-runs: reported score against the re-run on the private set, and whether it stayed within tolerance.',
  orderBy: ['message'],
  columns: [
    key('message', 'VARCHAR', 'Verdict message filename.'),
    col('result_filename', 'VARCHAR', 'Result the verdict is about.'),
    col('agent', 'VARCHAR', 'Result author.'),
    col('ts', 'TIMESTAMP', 'Verdict time.'),
    col('verdict', 'VARCHAR', 'valid, invalid or unreproducible.'),
    col('reported', 'DOUBLE', 'Reported score: from the verdict table, else the result’s posted score.'),
    col('rerun', 'DOUBLE', 'Re-run score on the private set.'),
    col('rerun_secondary', 'DOUBLE', 'Re-run secondary metric (e.g. PPL).'),
    col('gap', 'DOUBLE', 'Relative gap (rerun − reported) / reported (fraction, signed).'),
    col('abs_gap', 'DOUBLE', '|gap|.'),
    col('within_tolerance', 'BOOLEAN', '|gap| ≤ configured verifier tolerance.'),
    col('tolerance', 'DOUBLE', 'The configured verifier tolerance (fraction).'),
  ],
});

export const NOISE_TABLES = [noiseBuckets, noiseRuns, resultBuckets, tieGroups, noiseSummary, verifyGaps] as const;

export type NoiseBucketRow = Row<typeof noiseBuckets>;
export type NoiseRunRow = Row<typeof noiseRuns>;
export type ResultBucketRow = Row<typeof resultBuckets>;
export type TieGroupRow = Row<typeof tieGroups>;
export type NoiseSummaryRow = Row<typeof noiseSummary>;
export type VerifyGapRow = Row<typeof verifyGaps>;
