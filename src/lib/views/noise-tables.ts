// The noise page's tables as views: pooled buckets side by side, selection bias, tie groups, verifier re-runs, the
// bucket list and a bucket's runs. Each long table draws its first screen (FIRST_ROWS) at build time and says how many
// rows it has; <atlas-noise> draws more with the same render from DuckDB-WASM ("Show more"), and each view's `query`
// is the whole table, what "View the SQL" opens. Data only ever becomes text.
import { kindOf, STRIP_KINDS } from '../charts/noise-strip.ts';
import { minuteText, num, signed } from '../format.ts';
import { agentUrl, focusHref } from '../links.ts';
import type { QuerySpec } from '../db/connector.ts';
import {
  bucketRunsQuery,
  bucketSpreadsFirstQuery,
  bucketSpreadsQuery,
  bucketStripFirstQuery,
  bucketStripQuery,
  selectionBiasFirstQuery,
  selectionBiasQuery,
  tieLeaderboardFirstQuery,
  tieLeaderboardQuery,
  verifyGapsFirstQuery,
  verifyGapsQuery,
} from '../queries/noise.sql.ts';
import {
  runRowQuery,
  type BucketRunRow,
  type FirstRows,
  type BucketSpreadRow,
  type BucketStripRow,
  type SelectionBiasRow,
  type TieRow,
  type VerifyGapRow,
} from '../queries/noise-page.sql.ts';
import { consoleHref } from '../sql-text.ts';
import { mean, sampleSd } from '../stats/significance.ts';
import { fmtLevel, fmtPct, fmtScore, fmtShare, fmtSig, MORE_ROWS, withUnit, type StripSort } from '../ui/noise-format.ts';
import { el, type Attrs, type View, type ViewCtx } from './view.ts';

type Cell = Node | string;
/** A header cell: its label, numeric (right-aligned) or not. */
type Head = [label: Cell, numeric?: boolean];

/** A table: header row, and a body whose attributes the page and its tests find it by. */
function table({ doc }: ViewCtx, attrs: Attrs, head: readonly Head[], bodyAttrs: Attrs, rows: readonly HTMLElement[]): HTMLElement {
  const th = ([label, numeric]: Head) => el(doc, 'th', { scope: 'col', class: numeric ? 'num' : null }, label);
  return el(doc, 'table', { class: 'data', ...attrs }, el(doc, 'thead', {}, el(doc, 'tr', {}, ...head.map(th))), el(doc, 'tbody', bodyAttrs, ...rows));
}
/** A long table in a box that scrolls; focusable and named so a keyboard reader can scroll it too. */
const scrollBox = (ctx: ViewCtx, t: HTMLElement) =>
  el(ctx.doc, 'div', { class: 'scroll-box', role: 'region', tabindex: 0, 'aria-label': t.getAttribute('aria-label') ?? 'Table' }, t);
const td = (doc: Document, v: Cell, numeric = false) => el(doc, 'td', { class: numeric ? 'num' : null }, v);
const agentLink = ({ doc, base, unpaged }: ViewCtx, agent: string | null) => (agent ? el(doc, 'a', { href: agentUrl(base, agent, unpaged), class: 'nowrap' }, agent) : '');
const resultLink = ({ doc, base }: ViewCtx, filename: string | null) => (filename ? el(doc, 'a', { href: focusHref(base, filename), class: 'nowrap' }, filename) : '');
const bucketName = (doc: Document, label: string) => el(doc, 'span', { class: 'bucket-name' }, label);

/** How many rows a long table draws: its first screen (FIRST_ROWS), or as many as "Show more" asked for. */
export interface Shown {
  rows: number;
}
/** The count of every row of the table (each first-rows answer carries it); 0 for none. */
const totalOf = (rows: readonly FirstRows[]): number => rows[0]?.total_rows ?? 0;

/**
 * Under a table that draws fewer rows than it has: how many of how many, where the whole table is (the SQL console,
 * also without JavaScript), and a button drawing the next ones (shown by <atlas-noise> once it runs).
 */
function moreLine(ctx: ViewCtx, name: string, whole: QuerySpec, drawn: number, total: number): HTMLElement | null {
  if (drawn >= total) return null;
  const { doc } = ctx;
  return el(
    doc,
    'p',
    { class: 'more', 'data-more-rows': name, 'data-total': total },
    el(doc, 'button', { type: 'button', 'data-more': name }, `Show ${num(Math.min(MORE_ROWS, total - drawn))} more`),
    ' ',
    el(doc, 'span', { class: 'muted' }, `Showing ${num(drawn)} of ${num(total)}; `, el(doc, 'a', { href: consoleHref(ctx.base, whole) }, 'the SQL console lists all'), '.'),
  );
}

export interface BucketListFilters extends Shown {
  sort: StripSort;
  pooled: boolean;
  /** The selected bucket: highlighted, and kept in the list even beyond the strip's limit. */
  selected: string | null;
}

/**
 * The bucket list: one focusable button per bucket (Enter or Space selects it), the strip plot's buckets in its order:
 * the first rows in the chosen order over every bucket, and the selected one wherever it falls.
 */
export const noiseBucketList: View<BucketListFilters, BucketStripRow & FirstRows> = {
  name: 'noise-bucket-list',
  query: (f) => bucketStripQuery({ orderBy: f.sort, minN: 2, pooledOnly: f.pooled }),
  load: (f, _c, run) => run(bucketStripFirstQuery({ orderBy: f.sort, minN: 2, pooledOnly: f.pooled, rows: f.rows, selected: f.selected })),
  render(rows, ctx, f) {
    const { doc } = ctx;
    const body = rows.map((b) => {
      const on = b.bucket_id === f.selected;
      const pick = el(doc, 'button', { type: 'button', class: 'bucket-pick', 'data-bucket': b.bucket_id, 'aria-pressed': String(on) }, b.label);
      return el(
        doc,
        'tr',
        { 'data-bucket': b.bucket_id, class: on ? 'selected' : null },
        td(doc, pick),
        td(doc, el(doc, 'span', { class: `kind kind-${kindOf(b)}` }, STRIP_KINDS[kindOf(b)].label)),
        td(doc, b.key_kind),
        td(doc, num(b.n), true),
        td(doc, fmtScore(b.mean), true),
        td(doc, fmtSig(b.sd), true),
        td(doc, fmtPct(b.cv, false), true),
        td(doc, b.range_sigmas === null ? '–' : `${fmtSig(b.range_sigmas)}σ`, true),
      );
    });
    const head: Head[] = [['bucket'], ['kind'], ['key'], ['n', true], ['mean', true], ['sd', true], ['cv', true], ['range', true]];
    const t = table(ctx, { 'aria-labelledby': 'bucket-list-h' }, head, { 'data-bucket-rows': true }, body);
    const drawn = rows.filter((b) => b.row_no <= f.rows).length;
    const box = el(doc, 'div', { id: 'bucket-list', class: 'scroll-box bucket-list', role: 'region', 'aria-labelledby': 'bucket-list-h', tabindex: 0, 'data-bucket-list': true }, t);
    return el(doc, 'div', {}, box, moreLine(ctx, this.name, this.query(f, ctx.config), drawn, totalOf(rows)));
  },
};

/** A bucket's runs: run dir (its `runs` row in the SQL console), the result quoting it (board), score and distance from the mean. */
export const noiseBucketRuns: View<{ bucket: string }, BucketRunRow> = {
  name: 'noise-bucket-runs',
  query: (f) => bucketRunsQuery(f.bucket),
  render(rows, ctx) {
    const { doc, base, config } = ctx;
    const scores = rows.map((r) => r.score);
    const m = mean(scores);
    const body = rows.map((r) => {
      const code = el(doc, 'code', { class: 'nowrap' }, r.run_dir);
      const dir = r.source === 'run' ? el(doc, 'a', { href: consoleHref(base, runRowQuery(r.run_dir)), title: 'This run dir’s row in the SQL console' }, code) : code;
      const also = r.also_as.length ? el(doc, 'div', { class: 'muted also' }, ` also ${r.also_as.join(', ')}`) : null;
      return el(
        doc,
        'tr',
        { 'data-run': r.run_dir },
        el(doc, 'td', {}, dir, also),
        td(doc, r.source),
        td(doc, agentLink(ctx, r.agent)),
        td(doc, fmtScore(r.score), true),
        td(doc, m === null ? '–' : signed(r.score - m, fmtScore), true),
        td(doc, num(r.rank_in_bucket), true),
        el(doc, 'td', { class: 'nowrap' }, minuteText(r.ts)),
        td(doc, resultLink(ctx, r.result_filename)),
      );
    });
    const note = rows.length
      ? `${num(rows.length)} run${rows.length === 1 ? '' : 's'} · mean ${withUnit(fmtScore(m), config.unit)} · sd ${fmtSig(sampleSd(scores))} · ` +
        'run dirs open their row in the SQL console, results open on the board.'
      : 'No runs: this bucket id is not in the data.';
    const head: Head[] = [['run dir'], ['source'], ['agent'], [config.score_label, true], ['vs mean', true], ['rank', true], ['ran (UTC)'], ['result']];
    const runs = table(ctx, { 'aria-labelledby': 'buckets-h' }, head, { 'data-runs-rows': true }, body);
    return el(doc, 'div', {}, el(doc, 'p', { class: 'muted', 'data-runs-note': true }, note), el(doc, 'div', { class: 'table-wrap' }, runs));
  },
};

/** Pooled buckets side by side: n, sd, its interval, and its shares of the pooled degrees of freedom and sum of squares. */
export const noiseSpreads: View<{ level: number } & Shown, BucketSpreadRow & FirstRows> = {
  name: 'noise-spreads',
  query: () => bucketSpreadsQuery(),
  load: (f, _c, run) => run(bucketSpreadsFirstQuery(f.rows)),
  render(rows, ctx, f) {
    const { doc } = ctx;
    const body = rows.map((b) =>
      el(
        doc,
        'tr',
        { 'data-bucket': b.bucket_id },
        td(doc, bucketName(doc, b.label)),
        td(doc, num(b.n), true),
        td(doc, fmtSig(b.sd), true),
        td(doc, b.sd_lo === null || b.sd_hi === null ? '–' : `${fmtSig(b.sd_lo)}–${fmtSig(b.sd_hi)}`, true),
        td(doc, fmtShare(b.df_share), true),
        td(doc, fmtShare(b.ss_share), true),
      ),
    );
    const ss = el(doc, 'abbr', { title: 'sum of squares' }, 'SS');
    const head: Head[] = [['bucket'], ['n', true], ['sd', true], [`${fmtLevel(f.level)} interval`, true], ['df share', true], [el(doc, 'span', {}, ss, ' share'), true]];
    const t = table(ctx, { class: 'data spreads', 'aria-label': 'Pooled buckets side by side' }, head, { 'data-spread-rows': true }, body);
    return el(doc, 'div', {}, rows.length ? scrollBox(ctx, t) : null, moreLine(ctx, this.name, this.query(f, ctx.config), rows.length, totalOf(rows)));
  },
};

/** Posted results that are their bucket's best draw: posted value, bucket median and the excess (in σ too). */
export const noiseBias: View<{ sigma: number | null } & Shown, SelectionBiasRow & FirstRows> = {
  name: 'noise-bias',
  query: () => selectionBiasQuery({ minN: 2, bestOnly: true }),
  load: (f, _c, run) => run(selectionBiasFirstQuery(f.rows, { minN: 2 })),
  render(rows, ctx, f) {
    const { doc } = ctx;
    const { sigma } = f;
    const body = rows.map((r) =>
      el(
        doc,
        'tr',
        {},
        td(doc, resultLink(ctx, r.filename)),
        td(doc, agentLink(ctx, r.agent)),
        td(doc, bucketName(doc, r.label)),
        td(doc, num(r.bucket_n), true),
        td(doc, fmtScore(r.score), true),
        td(doc, fmtScore(r.bucket_median), true),
        td(doc, signed(r.excess_over_median, fmtScore), true),
        td(doc, sigma !== null && r.excess_over_median !== null ? `${signed(r.excess_over_median / sigma, fmtSig)}σ` : '–', true),
      ),
    );
    const head: Head[] = [['result'], ['agent'], ['bucket'], ['n', true], ['posted', true], ['median', true], ['excess', true], ['in σ', true]];
    const t = table(ctx, { 'aria-label': "Results posting their bucket's best run" }, head, { 'data-bias-rows': true }, body);
    return el(doc, 'div', {}, rows.length ? scrollBox(ctx, t) : null, moreLine(ctx, this.name, this.query(f, ctx.config), rows.length, totalOf(rows)));
  },
};

/** The frontier with shared ranks; rows of one tie group share a shade. */
export const noiseTies: View<Shown, TieRow & FirstRows> = {
  name: 'noise-ties',
  query: () => tieLeaderboardQuery(),
  load: (f, _c, run) => run(tieLeaderboardFirstQuery(f.rows)),
  render(rows, ctx, f) {
    const { doc, config } = ctx;
    const body = rows.map((r) =>
      el(
        doc,
        'tr',
        { class: `tie-group ${r.group_id % 2 ? 'odd' : 'even'}`, 'data-group': r.group_id },
        td(doc, num(r.rank), true),
        td(doc, num(r.group_id), true),
        td(doc, r.group_size > 1 ? `${r.group_size} tied` : '', true),
        td(doc, agentLink(ctx, r.agent)),
        td(doc, fmtScore(r.score), true),
        td(doc, r.delta_from_top === 0 ? '0' : `−${fmtSig(r.delta_from_top)}`, true),
        td(doc, el(doc, 'span', { class: `state state-${r.verification ?? 'pending'}` }, r.verification ?? '')),
        el(doc, 'td', { class: 'method' }, el(doc, 'code', { class: 'method' }, r.method ?? '')),
        td(doc, resultLink(ctx, r.filename)),
      ),
    );
    const head: Head[] = [['rank', true], ['group', true], ['size', true], ['agent'], [config.score_label, true], ['below top', true], ['state'], ['method'], ['result']];
    const t = table(ctx, { class: 'data ties', 'aria-label': 'Frontier with tie groups' }, head, { 'data-tie-rows': true }, body);
    return el(doc, 'div', {}, rows.length ? scrollBox(ctx, t) : null, moreLine(ctx, this.name, this.query(f, config), rows.length, totalOf(rows)));
  },
};

/** Verifier re-runs: reported against re-run, relative gap, within the configured tolerance or not. */
export const noiseGaps: View<Shown, VerifyGapRow & FirstRows> = {
  name: 'noise-gaps',
  query: () => verifyGapsQuery(),
  load: (f, _c, run) => run(verifyGapsFirstQuery(f.rows)),
  render(rows, ctx, f) {
    const { doc, base } = ctx;
    const body = rows.map((r) =>
      el(
        doc,
        'tr',
        {},
        td(doc, resultLink(ctx, r.result_filename)),
        td(doc, agentLink(ctx, r.agent)),
        td(doc, r.verdict ?? ''),
        td(doc, fmtScore(r.reported), true),
        td(doc, fmtScore(r.rerun), true),
        td(doc, fmtPct(r.gap), true),
        td(doc, r.within_tolerance === null ? '–' : el(doc, 'span', { class: r.within_tolerance ? 'ok' : 'bad' }, r.within_tolerance ? 'yes' : 'no')),
        td(doc, el(doc, 'a', { href: focusHref(base, r.message) }, 'verdict')),
      ),
    );
    const head: Head[] = [['result'], ['agent'], ['verdict'], ['reported', true], ['re-run', true], ['gap', true], ['within tolerance'], ['message']];
    const t = table(ctx, { 'aria-label': 'Verifier re-runs' }, head, { 'data-gap-rows': true }, body);
    return el(doc, 'div', {}, rows.length ? scrollBox(ctx, t) : null, moreLine(ctx, this.name, this.query(f, ctx.config), rows.length, totalOf(rows)));
  },
};
