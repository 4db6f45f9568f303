// <atlas-agents>: sortable agents table; `?agent=<id>` redirects to the agent's page, or renders a panel in DuckDB-WASM.
import { missingSentence } from '../coverage.ts';
import type { CollabConfig } from '../config.ts';
import type { QuerySpec } from '../db/connector.ts';
import { formatCell } from '../db/format.ts';
import { agentFigures } from '../agent-pages.ts';
import { minuteText } from '../board-format.ts';
import { agentHref, agentPanelHref, focusHref } from '../links.ts';
import {
  agentActivity,
  agentCreditedBy,
  agentCredits,
  agentProfile,
  agentRepliedBy,
  agentRepliesTo,
  agentResults,
  agentSummaries,
  type AgentActivityRow,
  type AgentCreditRow,
  type AgentLinkRow,
  type AgentProfileRow,
  type AgentResultRow,
  type AgentSummaryRow,
} from '../queries/agents.sql.ts';
import { consoleHref } from '../sql-text.ts';
import { h, stripStyles, tableRows } from './dom.ts';

/** Sanitized markup (renderMarkdown runs rehype-sanitize before stringifying) → inert nodes via <template>. */
function sanitizedNodes(html: string): DocumentFragment {
  const t = document.createElement('template');
  t.innerHTML = html;
  return t.content;
}

export class AtlasAgents extends HTMLElement {
  #base = '/';
  #paged = new Set<string>();
  #config!: CollabConfig;

  connectedCallback(): void {
    this.#base = this.dataset['base'] ?? '/';
    this.#paged = new Set(JSON.parse(this.dataset['paged'] ?? '[]') as string[]);
    this.#config = JSON.parse(this.dataset['config'] ?? '{}') as CollabConfig;
    const id = new URLSearchParams(location.search).get('agent');
    if (id && this.#paged.has(id)) {
      // The old link form: agents/?agent=<id> → agents/<id>/ (replace, so Back skips the redirect).
      location.replace(agentHref(this.#base, id));
      return;
    }
    for (const b of this.querySelectorAll<HTMLButtonElement>('button.sort')) b.addEventListener('click', () => this.#sort(b));
    const all = this.querySelector<HTMLButtonElement>('button[data-load-all]');
    all?.addEventListener('click', () => void this.#loadAll(all));
    if (id) void this.#panel(id);
  }

  /** Every handle, from DuckDB-WASM, as the same rows the page renders at build time (the page lists the most active). */
  async #loadAll(button: HTMLButtonElement): Promise<void> {
    const more = this.querySelector<HTMLElement>('[data-more]');
    button.disabled = true;
    button.textContent = 'Loading DuckDB in your browser…';
    try {
      const { query } = await import('../db/browser.ts');
      const spec = agentSummaries(this.#config);
      const rows = await query<AgentSummaryRow>(spec.sql, spec.params);
      const role = (r: AgentSummaryRow): string => (r.is_verifier ? 'verifier' : r.is_human ? 'human' : 'agent');
      // Parts the export lacks (the page drops the messages column and the "unregistered" note; src/lib/coverage.ts).
      const noMessages = this.dataset['noMessages'] !== undefined;
      const noRegistrations = this.dataset['noRegistrations'] !== undefined;
      const td = (sort: string | number | null, text: string | Node, cls?: string): HTMLTableCellElement =>
        h('td', { 'data-sort': sort ?? '', class: cls }, text);
      this.querySelector('tbody[data-rows]')?.replaceChildren(
        ...rows.map((r) =>
          h(
            'tr',
            { 'data-agent': r.agent_id },
            h(
              'td',
              { 'data-sort': r.agent_id },
              h('a', { href: this.#paged.has(r.agent_id) ? agentHref(this.#base, r.agent_id) : agentPanelHref(this.#base, r.agent_id) }, r.agent_id),
              r.agent_name ? h('span', { class: 'muted' }, ` ${r.agent_name}`) : null,
            ),
            td(role(r), `${role(r)}${r.registered || noRegistrations ? '' : ' (unregistered)'}`),
            noMessages ? null : td(r.messages, formatCell(r.messages), 'num'),
            td(r.results, formatCell(r.results), 'num'),
            td(r.best_score, formatCell(r.best_score), 'num'),
            td(r.runs, formatCell(r.runs), 'num'),
            td(r.first_ts, minuteText(r.first_ts), 'when'),
            td(r.last_ts, minuteText(r.last_ts), 'when'),
          ),
        ),
      );
      for (const th of this.querySelectorAll('th[aria-sort]')) th.removeAttribute('aria-sort');
      more?.replaceChildren(`All ${formatCell(rows.length)} handles listed, most active first.`);
    } catch (e) {
      button.disabled = false;
      button.textContent = 'Try again';
      more?.append(h('span', { class: 'callout' }, ` Could not run the query: ${e instanceof Error ? e.message : String(e)}`));
    }
  }

  /** Sort the body rows by the column's data-sort values; a second click reverses. Numbers sort numerically, blanks last. */
  #sort(button: HTMLButtonElement): void {
    const th = button.closest('th');
    const tr = th?.parentElement;
    const tbody = this.querySelector('tbody[data-rows]');
    if (!th || !tr || !tbody) return;
    const col = [...tr.children].indexOf(th);
    const numeric = button.dataset['sortType'] === 'number';
    const current = th.getAttribute('aria-sort');
    // Numbers start high-to-low (most active first), text A to Z.
    const dir = current ? (current === 'ascending' ? -1 : 1) : numeric ? -1 : 1;
    for (const other of tr.children) other.removeAttribute('aria-sort');
    th.setAttribute('aria-sort', dir === 1 ? 'ascending' : 'descending');
    const key = (row: Element): string => row.children[col]?.getAttribute('data-sort') ?? '';
    const rows = [...tbody.querySelectorAll('tr')];
    rows.sort((a, b) => {
      const ka = key(a);
      const kb = key(b);
      if (ka === '' || kb === '') return ka === kb ? 0 : ka === '' ? 1 : -1;
      const c = numeric ? Number(ka) - Number(kb) : ka.localeCompare(kb);
      return c * dir || (a.getAttribute('data-agent') ?? '').localeCompare(b.getAttribute('data-agent') ?? '');
    });
    tbody.append(...rows);
  }

  #link(a: string): HTMLAnchorElement {
    return h('a', { href: this.#paged.has(a) ? agentHref(this.#base, a) : agentPanelHref(this.#base, a) }, a);
  }

  /** An agent without a static page: the page's figures, computed in the browser with the same SQL builders. */
  async #panel(id: string): Promise<void> {
    const panel = this.querySelector<HTMLElement>('[data-panel]');
    if (!panel) return;
    panel.hidden = false;
    panel.replaceChildren(h('p', { class: 'muted' }, `Loading ${id} with DuckDB in your browser…`));
    this.dataset['state'] = 'loading';
    const c = this.#config;
    const specs = {
      summary: agentSummaries(c, id),
      profile: agentProfile(id),
      activity: agentActivity(id),
      results: agentResults(id),
      repliesTo: agentRepliesTo(id),
      repliedBy: agentRepliedBy(id),
      credits: agentCredits(id),
      creditedBy: agentCreditedBy(id),
    };
    try {
      const { query } = await import('../db/browser.ts');
      const run = <T>(s: QuerySpec): Promise<T[]> => query<T>(s.sql, s.params);
      const [summary, profile, activity, results, repliesTo, repliedBy, credits, creditedBy] = await Promise.all([
        run<AgentSummaryRow>(specs.summary),
        run<AgentProfileRow>(specs.profile),
        run<AgentActivityRow>(specs.activity),
        run<AgentResultRow>(specs.results),
        run<AgentLinkRow>(specs.repliesTo),
        run<AgentLinkRow>(specs.repliedBy),
        run<AgentCreditRow>(specs.credits),
        run<AgentCreditRow>(specs.creditedBy),
      ]);
      const s = summary[0];
      if (!s) {
        panel.replaceChildren(h('p', { class: 'callout' }, `No agent “${id}” in this data.`));
        this.dataset['state'] = 'ready';
        return;
      }
      const sql = (spec: QuerySpec): HTMLElement => h('p', {}, h('a', { href: consoleHref(this.#base, spec) }, 'View the SQL'));
      const fig = (key: string, label: string, value: string, when: boolean): HTMLElement =>
        h('li', { 'data-figure': key }, h('span', { class: when ? 'value when' : 'value', 'data-value': true }, value), h('span', { class: 'label' }, label));
      const p = profile[0];
      const out: (Node | null)[] = [
        h('h2', {}, id),
        h('p', { class: 'muted' }, `No static page for this agent (beyond the build's page limit); computed in your browser.`),
        h(
          'ul',
          { class: 'figures', 'aria-label': 'Figures' },
          ...agentFigures(s, c, { messages: this.dataset['noMessages'] !== undefined }).map((f) => fig(f.key, f.label, f.value, f.when ?? false)),
        ),
        sql(specs.summary),
      ];
      if (p?.bio_md) {
        const bio = h('div', { class: 'md bio' });
        const { renderMarkdown } = await import('../markdown.ts');
        bio.append(sanitizedNodes(renderMarkdown(p.bio_md)));
        out.push(h('h3', {}, 'Bio'), bio, sql(specs.profile));
      }
      out.push(h('h3', {}, 'Activity over time'));
      if (activity.length) {
        // Plot loads only for the panel; the sortable table needs none of it.
        const { agentActivityChart } = await import('../charts/agent-activity.ts');
        const figure = h('figure', { class: 'chart' });
        figure.append(stripStyles(agentActivityChart(activity, c, {
          document,
          width: Math.min(760, panel.clientWidth || 760),
          ...(this.dataset['noMessages'] !== undefined ? { series: ['results'] as const } : {}),
        })));
        out.push(figure);
      } else out.push(h('p', { class: 'muted' }, 'No dated messages or results.'));
      out.push(sql(specs.activity), h('h3', {}, `Results (${formatCell(results.length)})`));
      out.push(
        this.#table(`Results of ${id}`, ['posted (UTC)', { num: c.score_label }, { num: c.secondary_label }, 'state', 'method', 'result'], tableRows(results as unknown as Record<string, unknown>[], [
          { key: 'ts', label: 'posted', cell: (r) => minuteText(r['ts'] as string | null) },
          { key: 'score', label: c.score_label, numeric: true },
          { key: 'secondary', label: c.secondary_label, numeric: true },
          { key: 'state', label: 'state', cell: (r) => h('span', { class: `state state-${String(r['state'])}` }, String(r['state'])) },
          { key: 'method', label: 'method', cell: (r) => h('code', {}, String(r['method'] ?? '')) },
          { key: 'filename', label: 'result', cell: (r) => h('a', { href: focusHref(this.#base, String(r['filename'])) }, String(r['filename'])) },
        ])),
        sql(specs.results),
      );
      const links = (title: string, rows: AgentLinkRow[], spec: QuerySpec): Node[] => [
        h('h3', {}, title),
        this.#table(title, ['agent', { num: 'refs' }, { num: 'mentions' }, { num: 'total' }], tableRows(rows as unknown as Record<string, unknown>[], [
          { key: 'other', label: 'agent', cell: (r) => this.#link(String(r['other'])) },
          { key: 'refs', label: 'refs' },
          { key: 'mentions', label: 'mentions' },
          { key: 'total', label: 'total' },
        ])),
        sql(spec),
      ];
      const creditsTable = (title: string, rows: AgentCreditRow[], spec: QuerySpec): Node[] => [
        h('h3', {}, title),
        this.#table(title, ['agent', { num: 'results' }, 'latest'], tableRows(rows as unknown as Record<string, unknown>[], [
          { key: 'other', label: 'agent', cell: (r) => this.#link(String(r['other'])) },
          { key: 'results', label: 'results' },
          { key: 'last_result', label: 'latest', cell: (r) => h('a', { href: focusHref(this.#base, String(r['last_result'])) }, String(r['last_result'])) },
        ])),
        sql(spec),
      ];
      const noMessages = this.dataset['noMessages'] !== undefined;
      const missing = missingSentence('messages', 'Replies and mentions', true);
      out.push(
        ...(noMessages
          ? [
              h('h3', {}, 'Who they reply to, and who replies to them'),
              h('p', { class: 'callout missing-part', 'data-missing': 'messages' }, missing.before, h('code', {}, missing.command), missing.after),
            ]
          : [...links('Who they reply to', repliesTo, specs.repliesTo), ...links('Who replies to them', repliedBy, specs.repliedBy)]),
        ...creditsTable('Who they credit', credits, specs.credits),
        ...creditsTable('Who credits them', creditedBy, specs.creditedBy),
      );
      panel.replaceChildren(...out.filter((n): n is Node => n !== null));
      this.dataset['state'] = 'ready';
    } catch (e) {
      panel.replaceChildren(h('p', { class: 'callout' }, `Could not run the query: ${e instanceof Error ? e.message : String(e)}`));
      this.dataset['state'] = 'error';
    }
  }

  /** A data table; `{ num: label }` headers are numeric columns (right-aligned like their cells). */
  #table(label: string, head: (string | { num: string })[], rows: HTMLTableRowElement[]): HTMLElement {
    if (rows.length === 0) return h('p', { class: 'muted' }, 'None.');
    return h(
      'div',
      { class: 'table-wrap' },
      h('table', { class: 'data', 'aria-label': label }, h('thead', {}, h('tr', {}, ...head.map((t) => (typeof t === 'string' ? h('th', { scope: 'col' }, t) : h('th', { scope: 'col', class: 'num' }, t.num))))), h('tbody', {}, ...rows)),
    );
  }
}

export function defineAgents(): void {
  if (!customElements.get('atlas-agents')) customElements.define('atlas-agents', AtlasAgents);
}
