// Text for the noise page, shared by the build-time page and <atlas-noise>: headline, numbers, calculator input and arithmetic.
import type { CollabConfig } from '../config.ts';
import type { NoiseHeadlineRow } from '../queries/noise-page.sql.ts';
import { welch, type Comparison } from '../stats/significance.ts';

const sig3 = new Intl.NumberFormat('en-US', { maximumSignificantDigits: 3 });
const fixed2 = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });
const count = new Intl.NumberFormat('en-US');

/** Noise figures (σ, thresholds, sd): three significant digits, whatever the score's scale. */
export const fmtSig = (x: number | null | undefined): string => (x === null || x === undefined ? '–' : fmtInf(x) ?? sig3.format(x));
/** Scores and differences: up to two decimals. */
export const fmtScore = (x: number | null | undefined): string => (x === null || x === undefined ? '–' : fmtInf(x) ?? fixed2.format(x));
export const fmtCount = (x: number): string => count.format(x);
/** A fraction as a signed percentage with one decimal: 0.0359 → "+3.6 %". */
export const fmtPct = (x: number | null | undefined, signed = true): string =>
  x === null || x === undefined ? '–' : `${signed && x > 0 ? '+' : x < 0 ? '−' : ''}${Math.abs(x * 100).toFixed(1)} %`;

function fmtInf(x: number): string | null {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? '∞' : '−∞';
  return null;
}

/** "1.26 tok/s", or the bare number when the configuration has no unit. */
export const withUnit = (text: string, unit: string): string => (unit ? `${text} ${unit}` : text);

/** A headline piece; `value` pieces are the figures (set in bold). */
export interface Segment {
  text: string;
  value?: boolean;
}

/** "95 % CI 3.62–7.59 tok/s" for an interval; null when either end is unknown. */
export function fmtInterval(lo: number | null, hi: number | null, level: number, unit: string): string | null {
  if (lo === null || hi === null) return null;
  return `${fmtLevel(level)} CI ${withUnit(`${fmtSig(lo)}–${fmtSig(hi)}`, unit)}`;
}
/** 0.95 → "95 %". */
export const fmtLevel = (level: number): string => `${fixed2.format(level * 100)}\u00a0%`;
/** "11 to 13 results would tie for first at its ends (now 13)": how the top group moves across the threshold's interval. */
export function tiedAcross(lo: number, hi: number, now: number): string {
  if (lo === hi) return `${fmtCount(lo)} result${lo === 1 ? '' : 's'} would tie for first at either end (now ${fmtCount(now)})`;
  return `${fmtCount(lo)} to ${fmtCount(hi)} results would tie for first at its ends (now ${fmtCount(now)})`;
}
/** A p-value for reading: two significant digits, "< 0.0001" below that. */
export const fmtP = (p: number | null): string =>
  p === null ? '–' : p < 0.0001 ? '< 0.0001' : new Intl.NumberFormat('en-US', { maximumSignificantDigits: 2 }).format(p);
/** A fraction as a whole percentage: 0.8667 → "87 %" (one decimal below 1 %, "< 0.1 %" below that). */
export const fmtShare = (x: number | null): string =>
  x === null ? '–' : x > 0 && x < 0.001 ? '< 0.1 %' : x < 0.01 ? `${(x * 100).toFixed(1)} %` : `${Math.round(x * 100)} %`;

/**
 * "N runs across M buckets; pooled σ = x (95 % CI lo–hi; df d, median bucket sd y); tie threshold = z·σ·√2 = t
 * (95 % CI lo–hi)", from the noise_summary row. When σ is pooled over result-only buckets (no repeat run dirs), it
 * counts those instead.
 */
export function headlineSegments(s: NoiseHeadlineRow, config: Pick<CollabConfig, 'unit'>): Segment[] {
  const results = s.pooled_basis === 'results';
  const n = results ? s.results_as_runs : s.runs;
  const m = results ? s.result_only_buckets : s.buckets;
  const u = (x: number | null) => withUnit(fmtSig(x), config.unit);
  const out: Segment[] = [
    { text: fmtCount(n), value: true },
    { text: results ? ` posted results across ` : ` run${n === 1 ? '' : 's'} across ` },
    { text: fmtCount(m), value: true },
    { text: ` bucket${m === 1 ? '' : 's'}; ` },
  ];
  if (s.pooled_sigma === null || s.tie_threshold === null) {
    out.push({ text: 'no bucket has two runs or more, so there is no pooled σ and no tie threshold.' });
    return out;
  }
  const ci = (lo: number | null, hi: number | null) => fmtInterval(lo, hi, s.ci_level, config.unit) ?? 'interval unknown';
  out.push(
    { text: 'pooled σ = ' },
    { text: u(s.pooled_sigma), value: true },
    { text: ` (${ci(s.sigma_lo, s.sigma_hi)}; df ${fmtCount(s.pooled_df)}, median bucket sd ${u(s.median_bucket_sd)}); tie threshold = ${fmtSig(s.z)}·σ·√2 = ` },
    { text: u(s.tie_threshold), value: true },
    { text: ` (${ci(s.threshold_lo, s.threshold_hi)})` },
  );
  return out;
}

type PoolingFigures = Pick<
  NoiseHeadlineRow,
  | 'pooled_sigma' | 'pooled_df' | 'buckets_n2' | 'ci_level' | 'threshold_lo' | 'threshold_hi' | 'min_buckets' | 'min_df' | 'max_ss_share'
  | 'rests_on_few' | 'top_ss_share' | 'top_group_lo' | 'top_group_hi' | 'bartlett_buckets' | 'bartlett_stat' | 'bartlett_df' | 'bartlett_p'
  | 'bartlett_alpha' | 'spreads_differ'
>;

/**
 * The one-sentence warning when σ rests on few buckets (noise_summary.rests_on_few, rule 5b of the noise
 * derivation), naming which part of the rule failed; null when it does not apply. `topLabel` names the bucket
 * with the largest share of the sum of squares.
 */
export function fewBucketsSentence(s: PoolingFigures, topLabel: string | null, unit: string): string | null {
  if (s.rests_on_few !== true) return null;
  const why: string[] = [];
  if (s.buckets_n2 < s.min_buckets) why.push(`only ${fmtCount(s.buckets_n2)} bucket${s.buckets_n2 === 1 ? '' : 's'} (the rule asks for ${fmtCount(s.min_buckets)})`);
  if (s.pooled_df < s.min_df) why.push(`${fmtCount(s.pooled_df)} degree${s.pooled_df === 1 ? '' : 's'} of freedom (it asks for ${fmtCount(s.min_df)})`);
  if (s.top_ss_share !== null && s.top_ss_share > s.max_ss_share) {
    why.push(`one bucket${topLabel ? `, ${shortLabel(topLabel, 48)},` : ''} holds ${fmtShare(s.top_ss_share)} of the sum of squares`);
  }
  const list = why.length > 1 ? `${why.slice(0, -1).join(', ')} and ${why.at(-1)}` : why[0] ?? '';
  let range = '';
  if (s.threshold_lo !== null && s.threshold_hi !== null) {
    range = `; the tie threshold could be anywhere from ${withUnit(`${fmtSig(s.threshold_lo)} to ${fmtSig(s.threshold_hi)}`, unit)} (${fmtLevel(s.ci_level)} interval)`;
    if (s.top_group_lo !== null && s.top_group_hi !== null) {
      range +=
        s.top_group_lo === s.top_group_hi
          ? `, with ${fmtCount(s.top_group_lo)} tied for first throughout`
          : `, giving ${fmtCount(s.top_group_lo)} to ${fmtCount(s.top_group_hi)} tied for first`;
    }
  }
  return `Caution: σ and the tie threshold rest on few buckets: ${list}${range}.`;
}

/** What Bartlett's test of equal variances says about pooling the buckets (noise_summary), in one sentence. */
export function equalSpreadsSentence(s: PoolingFigures): string {
  if (s.pooled_sigma === null) return 'No bucket has two runs or more, so there are no spreads to compare.';
  if (s.bartlett_stat === null || s.bartlett_p === null || s.bartlett_df === null) {
    return `Bartlett's test of equal spreads needs two pooled buckets whose runs are not all equal; this export has ${s.bartlett_buckets === null ? 'fewer' : fmtCount(s.bartlett_buckets)}, so whether the buckets can be pooled is unknown.`;
  }
  const left = s.buckets_n2 - (s.bartlett_buckets ?? 0);
  const p = s.bartlett_p < 0.0001 ? 'p < 0.0001' : `p = ${fmtP(s.bartlett_p)}`;
  const stat = `T = ${s.bartlett_stat.toFixed(2)}, df ${fmtCount(s.bartlett_df)}, ${p}`;
  const leftOut = left > 0 ? ` (${fmtCount(left)} bucket${left === 1 ? '' : 's'} whose runs are all equal left out)` : '';
  if (s.spreads_differ) {
    return `Bartlett's test says the buckets' spreads differ more than one common σ explains (${stat}, below ${fmtP(s.bartlett_alpha)})${leftOut}, so a single pooled σ misdescribes them: read σ as an average of unlike buckets.`;
  }
  const head = `Bartlett's test finds no clear difference between the buckets' spreads (${stat}, not below ${fmtP(s.bartlett_alpha)})${leftOut}`;
  return s.rests_on_few
    ? `${head}, but with so few buckets and degrees of freedom it has little power: this is no evidence that they are equal.`
    : `${head}: one common σ is consistent with them.`;
}

export const headlineText = (s: NoiseHeadlineRow, config: Pick<CollabConfig, 'unit'>): string =>
  headlineSegments(s, config)
    .map((p) => p.text)
    .join('');

/** Orders the strip plot offers (a subset of noise.sql.ts BUCKET_ORDER), first is the default. */
export const STRIP_SORTS = [
  ['sd', 'σ (sd), largest first'],
  ['mean', 'mean, highest first'],
  ['n', 'runs (n), most first'],
] as const;
export type StripSort = (typeof STRIP_SORTS)[number][0];
export const isStripSort = (v: string | null): v is StripSort => STRIP_SORTS.some(([k]) => k === v);

/** Short bucket name for an axis: the submissions/ prefix dropped, long names cut in the middle. */
export function shortLabel(label: string, max = 38): string {
  const s = label.replace(/^submissions\//, '');
  if (s.length <= max) return s;
  const keep = max - 1;
  return `${s.slice(0, Math.ceil(keep / 2))}…${s.slice(s.length - Math.floor(keep / 2))}`;
}

// --- calculator input ---

/** One side of the calculator: a posted result, a bucket, or numbers typed by the reader. */
export type CalcPick =
  | { kind: 'result'; filename: string }
  | { kind: 'bucket'; id: string }
  | { kind: 'values'; values: number[]; bad: string[] }
  | null;

/** Numbers from free text: commas, semicolons, spaces or new lines between them; what is not a number is reported. */
export function parseRuns(text: string): { values: number[]; bad: string[] } {
  const values: number[] = [];
  const bad: string[] = [];
  for (const tok of text.split(/[\s,;]+/)) {
    if (!tok) continue;
    const x = Number(tok);
    if (Number.isFinite(x)) values.push(x);
    else bad.push(tok);
  }
  return { values, bad };
}

/** URL value of a side: `r:<result filename>`, `b:<bucket id>`, or the numbers themselves (`483.2,484.1`). */
export function parsePick(v: string | null): CalcPick {
  if (!v) return null;
  if (v.startsWith('r:') && v.length > 2) return { kind: 'result', filename: v.slice(2) };
  if (v.startsWith('b:') && v.length > 2) return { kind: 'bucket', id: v.slice(2) };
  return { kind: 'values', ...parseRuns(v) };
}

export function pickValue(p: CalcPick): string | null {
  if (!p) return null;
  if (p.kind === 'result') return `r:${p.filename}`;
  if (p.kind === 'bucket') return `b:${p.id}`;
  return p.values.length ? p.values.join(',') : null;
}

/** The calculator's arithmetic, one line each, in the reader's units. */
export function arithmeticLines(
  c: Comparison,
  side: { a: number[]; b: number[] },
  sigma: number | null,
  sigmaSource: string,
  unit: string,
): string[] {
  const lines: string[] = [];
  const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
  const sd = (xs: number[]) => {
    if (xs.length < 2) return null;
    const m = mean(xs);
    return Math.sqrt(xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1));
  };
  const desc = (name: string, xs: number[]) =>
    xs.length === 0
      ? `${name}: no runs`
      : xs.length === 1
        ? `${name}: one run, ${withUnit(fmtScore(xs[0]), unit)}`
        : `${name}: n = ${xs.length}, mean ${withUnit(fmtScore(mean(xs)), unit)}, sd ${fmtSig(sd(xs))}`;
  lines.push(desc('A', side.a), desc('B', side.b));
  if (c.diff !== null) lines.push(`Δ = mean A − mean B = ${withUnit(fmtScore(c.diff), unit)}`);
  if (c.method === 'z' && sigma !== null && c.stat !== null) {
    lines.push(`σ used = ${withUnit(fmtSig(sigma), unit)} (${sigmaSource}); σ of a difference of two runs = σ·√2 = ${fmtSig(sigma * Math.SQRT2)}`);
    lines.push(`z = Δ / (σ·√2) = ${fmtScore(c.diff)} / ${fmtSig(sigma * Math.SQRT2)} = ${fmtScore(c.stat)}`);
  } else if (c.method === 'welch' && c.stat !== null) {
    const se = welch(side.a, side.b, sigma)?.se ?? null;
    const single = side.a.length === 1 || side.b.length === 1;
    if (single && sigma !== null) lines.push(`σ used for the single run = ${withUnit(fmtSig(sigma), unit)} (${sigmaSource})`);
    lines.push(`standard error = √(s_A²/n_A + s_B²/n_B) = ${fmtSig(se)}`);
    lines.push(`Welch t = Δ / se = ${fmtScore(c.stat)}, df = ${c.df === null ? '–' : c.df.toFixed(1)} (Welch–Satterthwaite)`);
  }
  if (c.p !== null && Number.isFinite(c.p)) lines.push(`two-sided p ${c.p < 0.0001 ? '< 0.0001' : `= ${c.p.toFixed(4)}`}`);
  if (c.stat !== null) lines.push(`|${c.method === 'z' ? 'z' : 't'}| ≤ 2: tie; 2 < |${c.method === 'z' ? 'z' : 't'}| ≤ 3: likely real; above 3: real`);
  return lines;
}

/**
 * The noise page's long tables (the bucket list with its strip plot, pooled buckets, selection bias, tie groups,
 * verifier re-runs) draw their first FIRST_ROWS rows at build time, a first screen, and say how many they have;
 * "Show more" draws MORE_ROWS more at a time from DuckDB-WASM. The SQL console has every row.
 */
export const FIRST_ROWS = 25;
export const MORE_ROWS = 100;
/**
 * The calculator's menus list the top of the frontier and the buckets with the largest sd: their first FIRST_ROWS in
 * the page, up to MENU_LIMIT once <atlas-noise> runs DuckDB-WASM (the calculator needs JavaScript in any case).
 */
export const MENU_LIMIT = 200;
/** A menu entry for a frontier result and for a bucket, and the menus' group labels (build time and browser alike). */
export const resultOptionText = (r: { rank: number; agent: string | null; score: number }): string => `${r.rank}. ${r.agent ?? ''} · ${fmtScore(r.score)}`;
export const bucketOptionText = (b: { label: string; n: number; mean: number }): string => `${shortLabel(b.label, 48)} · n ${b.n} · mean ${fmtScore(b.mean)}`;
export const resultGroupLabel = (listed: number, total: number): string =>
  listed < total ? `Frontier results (top ${fmtCount(listed)} of ${fmtCount(total)})` : 'Frontier results';
export const bucketGroupLabel = (listed: number, total: number): string =>
  listed < total ? `Buckets (two runs or more; the ${fmtCount(listed)} of ${fmtCount(total)} with the largest sd)` : 'Buckets (two runs or more)';

export const stripStatus = (total: number, shown: number): string =>
  shown < total ? `${fmtCount(total)} buckets; the first ${fmtCount(shown)} in this order are drawn and listed` : `${fmtCount(total)} buckets`;
