// "Who already tried this technique": every agent with a result using the token (techniqueAdopters), under a line
// summing the technique up from the techniques table. Drawn in the browser when the graph is filtered by a technique.
import { minuteText, num } from '../format.ts';
import { agentUrl } from '../links.ts';
import { techniqueAdopters, techniquesList, type TechniqueAdopterRow } from '../queries/lineage.sql.ts';
import type { TechniqueRow } from '../schema/lineage.ts';
import { consoleHref } from '../sql-text.ts';
import { dataTable } from './lineage-techniques.ts';
import { el, type View } from './view.ts';

export interface AdoptersFilters {
  token: string;
}

/** One answer: the adopters, and the technique's row in the techniques table (absent for an unknown token). */
export interface AdoptersAnswer {
  adopters: TechniqueAdopterRow[];
  technique: TechniqueRow | undefined;
}

export const techniqueAdoptersView: View<AdoptersFilters, AdoptersAnswer> = {
  name: 'technique-adopters',
  query: (f, config) => techniqueAdopters(config, f.token),
  async load(f, config, run) {
    const [adopters, all] = await Promise.all([run<TechniqueAdopterRow>(techniqueAdopters(config, f.token)), run<TechniqueRow>(techniquesList({}))]);
    return [{ adopters, technique: all.find((x) => x.token === f.token.normalize('NFKC').trim().toLowerCase()) }];
  },
  render(answers, { doc, base, config, unpaged }, f) {
    const rows = answers[0]?.adopters ?? [];
    const t = answers[0]?.technique;
    const td = (child: Node | string, numeric = false) => el(doc, 'td', { class: numeric ? 'num' : null }, child);
    const body = rows.map((r) =>
      el(
        doc,
        'tr',
        {},
        el(doc, 'td', {}, el(doc, 'a', { href: agentUrl(base, r.agent, unpaged) }, r.agent), r.is_inventor ? ' (inventor)' : ''),
        td(el(doc, 'button', { type: 'button', class: 'linkish', 'data-open': r.first_result }, r.first_result)),
        td(minuteText(r.first_ts)),
        td(String(r.results), true),
        td(num(r.best_score), true),
        td(String(r.dead_ends), true),
      ),
    );
    const cols = ['agent', 'first result', 'first use (UTC)', ['results', 'num'], [`best ${config.score_label}`, 'num'], ['dead ends', 'num']] as const;
    const summary = t
      ? `${num(t.adopters)} agents, ${num(t.results)} results; first posted by ${t.inventor ?? '?'} (${t.first_result ?? '?'}); best ${num(t.best_score)} ${config.unit}; ${num(t.dead_end_count)} dead ends. `
      : `${num(rows.length)} agents. `;
    return el(
      doc,
      'div',
      {},
      el(doc, 'h2', {}, `Who already tried ${f.token}`),
      el(doc, 'p', {}, summary, el(doc, 'a', { href: consoleHref(base, techniqueAdopters(config, f.token)) }, 'View the SQL')),
      el(doc, 'div', { class: 'table-wrap' }, dataTable(doc, `Agents who used ${f.token}`, cols, body)),
    );
  },
};
