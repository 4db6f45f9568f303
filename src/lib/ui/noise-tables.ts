// Table rows of the noise page, built with a given document: the page renders them at build time (linkedom), <atlas-noise> in the browser.
// Data only ever becomes text nodes and attribute values, never markup.
import type { CollabConfig } from '../config.ts';
import { formatCell } from '../db/format.ts';
import type { BucketRunRow, BucketSpreadRow, BucketStripRow, SelectionBiasRow, TieRow, VerifyGapRow } from '../queries/noise-page.sql.ts';
import { runRowQuery } from '../queries/noise-page.sql.ts';
import { consoleHref } from '../sql-text.ts';
import { agentUrl, focusHref } from '../links.ts';
import { kindOf, STRIP_KINDS } from '../charts/noise-strip.ts';
import { fmtPct, fmtScore, fmtShare, fmtSig } from './noise-format.ts';

type Child = Node | string | null | undefined;
type Attrs = Record<string, string | number | boolean | null | undefined>;

export interface TableCtx {
  doc: Document;
  base: string;
  config: CollabConfig;
  /** Agents without a static page (their links open the agents index panel); null or absent: none. */
  unpaged?: ReadonlySet<string> | null;
}

function el(doc: Document, tag: string, attrs: Attrs = {}, ...children: Child[]): HTMLElement {
  const e = doc.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    e.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children) if (c !== null && c !== undefined) e.append(typeof c === 'string' ? doc.createTextNode(c) : c);
  return e;
}

const td = (doc: Document, v: Child, num = false) => el(doc, 'td', { class: num ? 'num' : null }, v);
const tr = (doc: Document, attrs: Attrs, cells: HTMLElement[]) => {
  const row = el(doc, 'tr', attrs) as HTMLTableRowElement;
  row.append(...cells);
  return row;
};
const minute = (ts: string | null) => (ts ? ts.slice(0, 16).replace('T', ' ') : '');
const agentLink = (c: TableCtx, agent: string | null) =>
  agent ? el(c.doc, 'a', { href: agentUrl(c.base, agent, c.unpaged ?? null), class: 'nowrap' }, agent) : '';
const resultLink = (c: TableCtx, filename: string | null) =>
  filename ? el(c.doc, 'a', { href: focusHref(c.base, filename), class: 'nowrap' }, filename) : '';
/** A signed difference with an explicit minus sign. */
const signed = (x: number | null, f: (x: number) => string = fmtScore) => (x === null ? '–' : `${x > 0 ? '+' : x < 0 ? '−' : ''}${f(Math.abs(x))}`);

/** The bucket list: one focusable button per bucket (Enter or Space selects it), same order as the strip plot. */
export function bucketListRows(c: TableCtx, buckets: readonly BucketStripRow[], selected: string | null): HTMLTableRowElement[] {
  const { doc } = c;
  return buckets.map((b) =>
    tr(doc, { 'data-bucket': b.bucket_id, class: b.bucket_id === selected ? 'selected' : null }, [
      td(
        doc,
        el(
          doc,
          'button',
          { type: 'button', class: 'bucket-pick', 'data-bucket': b.bucket_id, 'aria-pressed': b.bucket_id === selected ? 'true' : 'false' },
          b.label,
        ),
      ),
      td(doc, el(doc, 'span', { class: `kind kind-${kindOf(b)}` }, STRIP_KINDS[kindOf(b)].label)),
      td(doc, b.key_kind),
      td(doc, formatCell(b.n), true),
      td(doc, fmtScore(b.mean), true),
      td(doc, fmtSig(b.sd), true),
      td(doc, fmtPct(b.cv, false), true),
      td(doc, b.range_sigmas === null ? '–' : `${fmtSig(b.range_sigmas)}σ`, true),
    ]),
  );
}

/** Pooled buckets side by side: n, sd, its interval, and its shares of the pooled degrees of freedom and sum of squares. */
export function bucketSpreadRows(c: TableCtx, rows: readonly BucketSpreadRow[]): HTMLTableRowElement[] {
  const { doc } = c;
  return rows.map((b) =>
    tr(doc, { 'data-bucket': b.bucket_id }, [
      td(doc, el(doc, 'span', { class: 'bucket-name' }, b.label)),
      td(doc, formatCell(b.n), true),
      td(doc, fmtSig(b.sd), true),
      td(doc, b.sd_lo === null || b.sd_hi === null ? '–' : `${fmtSig(b.sd_lo)}–${fmtSig(b.sd_hi)}`, true),
      td(doc, fmtShare(b.df_share), true),
      td(doc, fmtShare(b.ss_share), true),
    ]),
  );
}

/** A bucket's runs: run dir (its `runs` row in the SQL console), the result quoting it (board), score and distance from the mean. */
export function bucketRunRows(c: TableCtx, runs: readonly BucketRunRow[], mean: number | null): HTMLTableRowElement[] {
  const { doc } = c;
  return runs.map((r) => {
    const dir =
      r.source === 'run'
        ? el(doc, 'a', { href: consoleHref(c.base, runRowQuery(r.run_dir)), title: 'This run dir’s row in the SQL console' }, el(doc, 'code', { class: 'nowrap' }, r.run_dir))
        : el(doc, 'code', { class: 'nowrap' }, r.run_dir);
    const also = r.also_as.length ? el(doc, 'div', { class: 'muted also' }, ` also ${r.also_as.join(', ')}`) : null;
    return tr(doc, { 'data-run': r.run_dir }, [
      el(doc, 'td', {}, dir, also),
      td(doc, r.source),
      td(doc, agentLink(c, r.agent)),
      td(doc, fmtScore(r.score), true),
      td(doc, mean === null ? '–' : signed(r.score - mean), true),
      td(doc, formatCell(r.rank_in_bucket), true),
      el(doc, 'td', { class: 'nowrap' }, minute(r.ts)),
      td(doc, resultLink(c, r.result_filename)),
    ]);
  });
}

/** Posted results that are their bucket's best draw: posted value, bucket median and the excess. */
export function selectionBiasRows(c: TableCtx, rows: readonly SelectionBiasRow[], sigma: number | null): HTMLTableRowElement[] {
  const { doc } = c;
  return rows.map((r) =>
    tr(doc, {}, [
      td(doc, resultLink(c, r.filename)),
      td(doc, agentLink(c, r.agent)),
      td(doc, el(doc, 'span', { class: 'bucket-name' }, r.label)),
      td(doc, formatCell(r.bucket_n), true),
      td(doc, fmtScore(r.score), true),
      td(doc, fmtScore(r.bucket_median), true),
      td(doc, signed(r.excess_over_median), true),
      td(doc, sigma !== null && r.excess_over_median !== null ? `${signed(r.excess_over_median / sigma, fmtSig)}σ` : '–', true),
    ]),
  );
}

/** The frontier with shared ranks; rows of one tie group share a shade. */
export function tieRows(c: TableCtx, rows: readonly TieRow[]): HTMLTableRowElement[] {
  const { doc } = c;
  return rows.map((r) =>
    tr(doc, { class: `tie-group ${r.group_id % 2 ? 'odd' : 'even'}`, 'data-group': r.group_id }, [
      td(doc, formatCell(r.rank), true),
      td(doc, formatCell(r.group_id), true),
      td(doc, r.group_size > 1 ? `${r.group_size} tied` : '', true),
      td(doc, agentLink(c, r.agent)),
      td(doc, fmtScore(r.score), true),
      td(doc, r.delta_from_top === 0 ? '0' : `−${fmtSig(r.delta_from_top)}`, true),
      td(doc, el(doc, 'span', { class: `state state-${r.verification ?? 'pending'}` }, r.verification ?? '')),
      el(doc, 'td', { class: 'method' }, el(doc, 'code', { class: 'method' }, r.method ?? '')),
      td(doc, resultLink(c, r.filename)),
    ]),
  );
}

/** Verifier re-runs: reported against re-run, relative gap, within the configured tolerance or not. */
export function verifyGapRows(c: TableCtx, rows: readonly VerifyGapRow[]): HTMLTableRowElement[] {
  const { doc } = c;
  return rows.map((r) =>
    tr(doc, {}, [
      td(doc, resultLink(c, r.result_filename)),
      td(doc, agentLink(c, r.agent)),
      td(doc, r.verdict ?? ''),
      td(doc, fmtScore(r.reported), true),
      td(doc, fmtScore(r.rerun), true),
      td(doc, fmtPct(r.gap), true),
      td(
        doc,
        r.within_tolerance === null ? '–' : el(doc, 'span', { class: r.within_tolerance ? 'ok' : 'bad' }, r.within_tolerance ? 'yes' : 'no'),
      ),
      td(doc, el(doc, 'a', { href: focusHref(c.base, r.message) }, 'verdict')),
    ]),
  );
}

/** Markup of rows built with a server document, for `set:html` on a <tbody>. */
export const rowsMarkup = (rows: readonly HTMLElement[]): string => rows.map((r) => r.outerHTML).join('');
