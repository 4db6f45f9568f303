// The agents index table: every handle with its counts, most active first; columns sortable in the browser
// (<atlas-agents> reorders rows by their data-sort values). One render for the build-time rows and for "list all".
import { minuteText, num } from '../format.ts';
import { agentSummaries, type AgentSummaryRow } from '../queries/agents.sql.ts';
import { agentLink } from './parts.ts';
import { el, type View } from './view.ts';

export interface AgentsTableFilters {
  /** Handles listed (the page lists the most active; "list all" the rest); null: all. */
  limit: number | null;
  /** Parts the export lacks: no messages column; no "(unregistered)" note (src/lib/coverage.ts). */
  noMessages: boolean;
  noRegistrations: boolean;
}

const role = (r: AgentSummaryRow): string => (r.is_verifier ? 'verifier' : r.is_human ? 'human' : 'agent');

export const agentsTable: View<AgentsTableFilters, AgentSummaryRow> = {
  name: 'agents-table',
  query: (_f, config) => agentSummaries(config),
  render(rows, ctx, f) {
    const { doc, config } = ctx;
    const listed = f.limit === null ? rows : rows.slice(0, f.limit);
    const columns = [
      { label: 'agent', type: 'text', cell: (r: AgentSummaryRow) => [r.agent_id, agentLink(ctx, r.agent_id), r.agent_name ? el(doc, 'span', { class: 'muted' }, ` ${r.agent_name}`) : null] },
      { label: 'role', type: 'text', cell: (r: AgentSummaryRow) => [role(r), `${role(r)}${r.registered || f.noRegistrations ? '' : ' (unregistered)'}`] },
      ...(f.noMessages ? [] : [{ label: 'messages', type: 'number', cell: (r: AgentSummaryRow) => [r.messages, num(r.messages)] }]),
      { label: 'results', type: 'number', cell: (r: AgentSummaryRow) => [r.results, num(r.results)] },
      { label: `best ${config.score_label}`, type: 'number', cell: (r: AgentSummaryRow) => [r.best_score, num(r.best_score)] },
      { label: 'runs', type: 'number', cell: (r: AgentSummaryRow) => [r.runs, num(r.runs)] },
      { label: 'first activity (UTC)', type: 'when', cell: (r: AgentSummaryRow) => [r.first_ts, minuteText(r.first_ts)] },
      { label: 'last activity (UTC)', type: 'when', cell: (r: AgentSummaryRow) => [r.last_ts, minuteText(r.last_ts)] },
    ] as { label: string; type: 'text' | 'number' | 'when'; cell: (r: AgentSummaryRow) => [string | number | null, ...(Node | string | null)[]] }[];
    const cls = (t: string): string | null => (t === 'number' ? 'num' : t === 'when' ? 'when' : null);
    const th = columns.map((c) =>
      el(doc, 'th', { scope: 'col', class: c.type === 'number' ? 'num' : null }, el(doc, 'button', { type: 'button', class: 'sort', 'data-sort-type': c.type === 'number' ? 'number' : 'text' }, c.label)),
    );
    const tr = (r: AgentSummaryRow): HTMLElement =>
      el(doc, 'tr', { 'data-agent': r.agent_id }, ...columns.map((c) => {
        const [sort, ...shown] = c.cell(r);
        return el(doc, 'td', { class: cls(c.type), 'data-sort': sort ?? '' }, ...shown);
      }));
    const table = el(doc, 'table', { class: 'data sortable', 'aria-label': 'Agents' }, el(doc, 'thead', {}, el(doc, 'tr', {}, ...th)), el(doc, 'tbody', { 'data-rows': true }, ...listed.map(tr)));
    const more =
      listed.length < rows.length
        ? el(doc, 'p', { 'data-more': true }, `The table lists the ${num(listed.length)} most active of ${num(rows.length)} handles; sorting applies to those listed. `, el(doc, 'button', { type: 'button', 'data-load-all': true }, `List all ${num(rows.length)}`), ' (computed in your browser)')
        : f.limit === null
          ? el(doc, 'p', { 'data-more': true }, `All ${num(rows.length)} handles listed, most active first.`)
          : null;
    return el(doc, 'div', {}, more, el(doc, 'div', { class: 'table-wrap' }, table));
  },
};
