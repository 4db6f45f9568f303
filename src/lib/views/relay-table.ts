// The relays under the filters, ranked by outcome, as a table: one render for the build-time first rows and the
// browser's. Only the rows drawn are loaded, with the count of all of them; "View the SQL" lists every one.
import { num } from '../format.ts';
import { relayChainsRanked, type RelayChainQueryRow } from '../queries/relays.sql.ts';
import { chainTitle, classedGain, kindLabel, outcomeLabel, relayFilters, relayHref, scoreText, type RelayState } from '../ui/relay-format.ts';
import { el, type View } from './view.ts';

export interface RelayTableFilters {
  state: RelayState;
  /** Rows drawn (the first paint shows the first ones, the browser a few hundred). */
  limit: number;
}

/** Rows the table draws in the browser. */
export const RELAY_TABLE_ROWS = 200;

export const relayTable: View<RelayTableFilters, RelayChainQueryRow> = {
  name: 'relay-table',
  query: (f, config) => relayChainsRanked(config, relayFilters(f.state)),
  load: (f, config, run) => run<RelayChainQueryRow>(relayChainsRanked(config, { ...relayFilters(f.state), limit: f.limit }, { total: true })),
  render(rows, { doc, base, config }, f) {
    const shown = rows.slice(0, f.limit);
    const total = rows[0]?.total ?? rows.length;
    const th = (label: string, numeric = false) => el(doc, 'th', { scope: 'col', class: numeric ? 'num' : null }, label);
    const td = (child: Node | string, numeric = false) => el(doc, 'td', { class: numeric ? 'num' : null }, child);
    const body = el(doc, 'tbody', { 'data-rows': true });
    for (const c of shown) {
      const open = el(doc, 'a', { href: relayHref(base, { ...f.state, chain: c.chain_id }), 'data-open': c.chain_id }, chainTitle(c));
      body.append(
        el(
          doc,
          'tr',
          { 'data-chain-id': c.chain_id },
          td(num(c.rank), true),
          td(kindLabel(c.kind)),
          td(scoreText(c.outcome_score, config), true),
          el(doc, 'td', { 'data-outcome-kind': c.outcome_kind }, outcomeLabel(c.outcome_kind)),
          el(doc, 'td', { class: 'num', 'data-gain': 'gain', 'data-gain-class': c.gain_class }, classedGain(c.score_gain, c.gain_class, config)),
          td(c.agents.join(' → ')),
          td(num(c.length), true),
          td(open),
        ),
      );
    }
    const head = el(
      doc,
      'thead',
      {},
      el(doc, 'tr', {}, th('rank', true), th('kind'), th(`${config.score_label} (${config.unit})`, true), th('outcome'), th('gain since it started', true), th('agents'), th('steps', true), th('relay')),
    );
    const wrap = el(doc, 'div', { class: 'table-wrap' }, el(doc, 'table', { class: 'data', 'aria-label': 'Relays ranked by outcome, all rows' }, head, body));
    if (shown.length < total) {
      wrap.append(
        el(doc, 'p', { class: 'muted', 'data-more-rows': true }, `Showing the first ${num(shown.length)} of ${num(total)}: the filters above narrow the list, and “View the SQL” lists every one in the console.`),
      );
    }
    return wrap;
  },
};
