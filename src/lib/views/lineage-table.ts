// The lineage graph's table twin (for screen readers and keyboard users): the drawn results with their parent and
// child counts within the drawing. One render for the build-time table and the browser's filtered one.
import { minuteText, num } from '../format.ts';
import { focusHref } from '../links.ts';
import { nodeState, type GraphNode } from '../lineage/view.ts';
import { graphNodes } from '../queries/lineage-page.sql.ts';
import { chosenSubgraph, facets, type LineageGraphFilters } from './lineage-graph.ts';
import { score2 } from './lineage-techniques.ts';
import { el, type View } from './view.ts';

export interface LineageTableRow extends GraphNode {
  /** Edges into and out of the result among those drawn. */
  parents: number;
  children: number;
}

export const lineageTable: View<LineageGraphFilters, LineageTableRow> = {
  name: 'lineage-table',
  query: (f) => graphNodes(facets(f)),
  async load(f, config, run) {
    const view = await chosenSubgraph(f, config, run);
    const parents = new Map<string, number>();
    const children = new Map<string, number>();
    for (const e of view.edges) {
      parents.set(e.child, (parents.get(e.child) ?? 0) + 1);
      children.set(e.parent, (children.get(e.parent) ?? 0) + 1);
    }
    return view.nodes.map((n) => ({ ...n, parents: parents.get(n.filename) ?? 0, children: children.get(n.filename) ?? 0 }));
  },
  render(rows, { doc, base, config }) {
    const th = (label: string, numeric = false) => el(doc, 'th', { scope: 'col', class: numeric ? 'num' : null }, label);
    const td = (child: Node | string, numeric = false) => el(doc, 'td', { class: numeric ? 'num' : null }, child);
    const body = el(doc, 'tbody', { 'data-node-rows': true });
    for (const n of rows) {
      body.append(
        el(
          doc,
          'tr',
          {},
          td(n.node_kind === 'agent' ? el(doc, 'span', { class: 'muted' }, 'result not in this export') : el(doc, 'a', { href: focusHref(base, n.filename) }, n.filename)),
          td(n.agent ?? ''),
          td(minuteText(n.ts)),
          td(score2(n.score), true),
          td(nodeState(n)),
          td(n.is_frontier ? 'yes' : ''),
          td(num(n.parents), true),
          td(num(n.children), true),
          td(el(doc, 'code', {}, n.method ?? '')),
          td(el(doc, 'button', { type: 'button', class: 'linkish', 'data-open': n.filename }, 'details')),
        ),
      );
    }
    const labels = ['result', 'agent', 'posted (UTC)'].map((l) => th(l));
    const more = ['state', 'frontier'].map((l) => th(l));
    const head = el(doc, 'thead', {}, el(doc, 'tr', {}, ...labels, th(config.score_label, true), ...more, th('parents', true), th('children', true), th('method'), th('evidence')));
    return el(doc, 'div', { class: 'table-wrap' }, el(doc, 'table', { class: 'data', 'aria-label': 'Results in the lineage graph' }, head, body));
  },
};
