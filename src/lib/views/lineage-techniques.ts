// The lineage page's tables that filters do not change: techniques (each links to the graph filtered by it) and
// edges per rule. Rendered at build time only; "who already tried this" is the browser's answer for one technique.
import { minuteText, num } from '../format.ts';
import { agentUrl, focusHref, techniqueHref } from '../links.ts';
import { lineageRuleCounts, techniquesList } from '../queries/lineage.sql.ts';
import type { TechniqueRow } from '../schema/lineage.ts';
import { el, type View } from './view.ts';

/** A score as the lineage tables show it: two decimals at most. */
export const score2 = (v: number | null): string => (v === null ? '' : num(Math.round(v * 100) / 100));

/** A table with a header row of column labels (numeric ones right-aligned) and the given body rows. */
export function dataTable(doc: Document, label: string, cols: readonly (string | readonly [string, 'num'])[], rows: readonly HTMLElement[], cls = 'data'): HTMLElement {
  const th = cols.map((c) => (typeof c === 'string' ? el(doc, 'th', { scope: 'col' }, c) : el(doc, 'th', { scope: 'col', class: 'num' }, c[0])));
  return el(doc, 'table', { class: cls, 'aria-label': label }, el(doc, 'thead', {}, el(doc, 'tr', {}, ...th)), el(doc, 'tbody', {}, ...rows));
}

export const lineageTechniques: View<Record<string, never>, TechniqueRow> = {
  name: 'lineage-techniques',
  query: () => techniquesList({}),
  render(rows, { doc, base, config, unpaged }) {
    const td = (child: Node | string, numeric = false) => el(doc, 'td', { class: numeric ? 'num' : null }, child);
    const a = (href: string, text: Node | string) => el(doc, 'a', { href }, text);
    const body = rows.map((t) =>
      el(
        doc,
        'tr',
        {},
        td(a(techniqueHref(base, t.token), el(doc, 'code', {}, t.token))),
        td(t.inventor ? a(agentUrl(base, t.inventor, unpaged), t.inventor) : ''),
        td(t.first_result ? a(focusHref(base, t.first_result), t.first_result) : ''),
        td(minuteText(t.first_ts)),
        td(num(t.adopters), true),
        td(num(t.results), true),
        td(t.best_result ? a(focusHref(base, t.best_result), score2(t.best_score)) : score2(t.best_score), true),
        td(num(t.frontier_count), true),
        td(num(t.dead_end_count), true),
      ),
    );
    const cols = ['technique', 'inventor', 'first result', 'first seen (UTC)', ['adopters', 'num'], ['results', 'num'], [`best ${config.score_label}`, 'num'], ['frontier moves', 'num'], ['dead ends', 'num']] as const;
    return el(doc, 'div', { class: 'table-wrap' }, dataTable(doc, 'Techniques', cols, body));
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
