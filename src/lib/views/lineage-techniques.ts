// The lineage page's tables that filters do not change: techniques ranked by the frontier gain they brought (each
// links to its inventor's first result and to its adopters), the tokens the stop-list left out, and edges per rule.
// Rendered at build time only; "who already tried this" is the browser's answer for one technique.
import { minuteText, num, plural, scoreText, signed } from '../format.ts';
import { agentUrl, focusHref, pageHref, techniqueHref } from '../links.ts';
import { lineageRuleCounts, techniquesList } from '../queries/lineage.sql.ts';
import type { TechniqueRow } from '../schema/lineage.ts';
import { classifyGain, NO_TIE, TIE_SQL, tieFromRow, type GainClass, type Tie } from '../ties.ts';
import { el, type View } from './view.ts';

/** A score as the lineage tables show it: two decimals at most. */
export const score2 = (v: number | null): string => (v === null ? '' : num(Math.round(v * 100) / 100));

/** A table with a header row of column labels (numeric ones right-aligned) and the given body rows. */
export function dataTable(doc: Document, label: string, cols: readonly (string | readonly [string, 'num'])[], rows: readonly HTMLElement[], cls = 'data'): HTMLElement {
  const th = cols.map((c) => (typeof c === 'string' ? el(doc, 'th', { scope: 'col' }, c) : el(doc, 'th', { scope: 'col', class: 'num' }, c[0])));
  return el(doc, 'table', { class: cls, 'aria-label': label }, el(doc, 'thead', {}, el(doc, 'tr', {}, ...th)), el(doc, 'tbody', {}, ...rows));
}

/** How a technique's frontier entry is classed: beyond or within noise, the first step, unknown noise, or never. */
export type EntryClass = GainClass | 'first' | 'never';

export interface RankedTechnique {
  t: TechniqueRow;
  entry: EntryClass;
  /** Techniques entering the frontier at the same step (they share its gain). */
  shared: number;
}

const ENTRY_ORDER: Record<EntryClass, number> = { beyond: 0, first: 1, unknown: 2, within: 3, never: 4 };

/** Techniques (stop_reason null) ranked: gains beyond noise (largest first), the first step, unknown, within noise, never on the frontier. */
export function rankTechniques(rows: readonly TechniqueRow[], tie: Tie): RankedTechnique[] {
  const techs = rows.filter((t) => t.stop_reason === null);
  const perStep = new Map<string, number>();
  for (const t of techs) if (t.frontier_result) perStep.set(t.frontier_result, (perStep.get(t.frontier_result) ?? 0) + 1);
  const entry = (t: TechniqueRow): EntryClass =>
    t.frontier_result === null ? 'never' : t.frontier_gain === null ? 'first' : classifyGain(t.frontier_gain, tie);
  return techs
    .map((t) => ({ t, entry: entry(t), shared: t.frontier_result ? (perStep.get(t.frontier_result) ?? 1) : 0 }))
    .sort(
      (a, b) =>
        ENTRY_ORDER[a.entry] - ENTRY_ORDER[b.entry] ||
        (b.t.frontier_gain ?? 0) - (a.t.frontier_gain ?? 0) ||
        (b.t.adopters ?? 0) - (a.t.adopters ?? 0) ||
        (a.t.token < b.t.token ? -1 : 1),
    );
}

/** The gain cell's words. */
export function entryText(r: RankedTechnique, unit: string): string {
  const g = r.t.frontier_gain === null ? '' : `${signed(r.t.frontier_gain, scoreText)} ${unit}`;
  const shared = r.shared > 1 ? ` (shared by ${r.shared})` : '';
  switch (r.entry) {
    case 'beyond':
      return `${g} beyond noise${shared}`;
    case 'within':
      return `${g}, within noise${shared}`;
    case 'unknown':
      return `${g} (noise unknown)${shared}`;
    case 'first':
      return `first frontier result${shared}`;
    default:
      return 'never on the frontier';
  }
}

export interface TechniquesAnswer {
  rows: TechniqueRow[];
  tie: Tie;
}

const STOP_WORDS: Record<string, string> = {
  activity: 'activity words (what was done, not the recipe)',
  numeric: 'numbers and sizes split off a name',
  fragment: 'settings born inside one recipe name and never used apart from it',
  name: 'agent names (a credit to a stack, not a technique)',
  'one-off': 'words used in a single result',
};

/** The stop-listed tokens, one line per reason. */
function stopList(doc: Document, rows: readonly TechniqueRow[]): HTMLElement | null {
  const by = new Map<string, string[]>();
  for (const t of rows) if (t.stop_reason) (by.get(t.stop_reason) ?? by.set(t.stop_reason, []).get(t.stop_reason)!).push(t.token);
  if (!by.size) return null;
  const n = [...by.values()].reduce((s, l) => s + l.length, 0);
  return el(
    doc,
    'details',
    { class: 'stop-list' },
    el(doc, 'summary', {}, `Not counted as techniques: ${plural(n, 'token')}`),
    el(doc, 'dl', {}, ...[...by].flatMap(([reason, toks]) => [el(doc, 'dt', {}, `${STOP_WORDS[reason] ?? reason} (${toks.length})`), el(doc, 'dd', { 'data-stop': reason }, toks.join(' '))])),
  );
}

export const lineageTechniques: View<Record<string, never>, TechniquesAnswer> = {
  name: 'lineage-techniques',
  query: () => techniquesList({}),
  async load(_f, _config, run) {
    const [rows, tie] = await Promise.all([run<TechniqueRow>(techniquesList({})), run<Record<string, unknown>>({ tables: ['noise_summary'], sql: TIE_SQL }).catch(() => [])]);
    return [{ rows, tie: tie.length ? tieFromRow(tie[0]) : NO_TIE }];
  },
  render(answers, { doc, base, config, unpaged }) {
    const a = answers[0] ?? { rows: [], tie: NO_TIE };
    const td = (child: Node | string, numeric = false, cls: string | null = null) => el(doc, 'td', { class: [numeric ? 'num' : '', cls ?? ''].join(' ').trim() || null }, child);
    const link = (href: string, text: Node | string) => el(doc, 'a', { href }, text);
    const ranked = rankTechniques(a.rows, a.tie);
    const body = ranked.map((r) => {
      const t = r.t;
      return el(
        doc,
        'tr',
        { 'data-token': t.token, 'data-entry': r.entry },
        td(el(doc, 'code', {}, t.token)),
        td(el(doc, 'span', { class: `gain g-${r.entry}` }, entryText(r, config.unit))),
        td(t.inventor ? link(agentUrl(base, t.inventor, unpaged), t.inventor) : ''),
        td(t.first_result ? link(focusHref(base, t.first_result), minuteText(t.first_ts) || t.first_result) : ''),
        td(link(techniqueHref(base, t.token), num(t.adopters)), true),
        td(num(t.results), true),
        td(num(t.dead_end_count), true),
      );
    });
    const cols = ['technique', 'frontier gain when it entered', 'inventor', 'first result (UTC)', ['adopters', 'num'], ['results', 'num'], ['dead ends', 'num']] as const;
    const tieLine =
      a.tie.threshold === null
        ? 'The export has no repeat runs, so the noise is unknown and no gain can be called beyond it.'
        : `A gain up to ${scoreText(a.tie.threshold)} ${config.unit} (the tie threshold) is within noise: a tie, not a record.`;
    return el(
      doc,
      'div',
      {},
      el(doc, 'p', { class: 'muted' }, tieLine, ' ', link(pageHref(base, 'noise'), 'How noise is measured'), '.'),
      el(doc, 'div', { class: 'table-wrap' }, dataTable(doc, 'Techniques', cols, body)),
      stopList(doc, a.rows),
    );
  },
};

export interface RuleCountRow {
  rule: string;
  edges: number;
  confident: number;
  mean_confidence: number;
}

/** Edges per rule, with how many are at least 0.5 confident. */
export const lineageRuleTable: View<Record<string, never>, RuleCountRow> = {
  name: 'lineage-rules',
  query: () => lineageRuleCounts(0.5),
  render(rows, { doc }) {
    const td = (text: string, numeric = false) => el(doc, 'td', { class: numeric ? 'num' : null }, text);
    const body = rows.map((r) => el(doc, 'tr', {}, td(r.rule), td(num(r.edges), true), td(num(r.confident), true), td(r.mean_confidence.toFixed(2), true)));
    const cols = ['rule', ['edges', 'num'], ['confidence ≥ 0.5', 'num'], ['mean confidence', 'num']] as const;
    return rows.length ? dataTable(doc, 'Edges per rule', cols, body, 'data rule-counts') : doc.createElement('span');
  },
};
