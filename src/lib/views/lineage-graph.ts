// The lineage graph panel: the filtered nodes and edges, the drawn subgraph chosen from them (lineage/view.ts), laid
// out and drawn by charts/lineage-graph.ts. The same view paints the page at build time and redraws it in the browser.
import type { CollabConfig } from '../config.ts';
import type { QuerySpec } from '../db/connector.ts';
import { lineageGraph } from '../charts/lineage-graph.ts';
import type { LineageLayout } from '../lineage/layout.ts';
import { GRAPH_CAP, READABLE, selectView, type GraphEdge, type GraphNode, type LineageView, type ViewMode } from '../lineage/view.ts';
import { graphEdges, graphNodes, lineageFrontierView } from '../queries/lineage-page.sql.ts';
import { lineageEdges, lineageNodes, type LineageFilters } from '../queries/lineage.sql.ts';
import type { Run, View } from './view.ts';

/** The facet filters, and which subgraph to draw of what they match: a mode, or one result's neighbourhood. */
export interface LineageGraphFilters {
  technique: string | null;
  agent: string | null;
  rule: string | null;
  minConfidence: number | null;
  mode: ViewMode;
  focus: string | null;
}

export const DEFAULT_GRAPH_FILTERS: LineageGraphFilters = { technique: null, agent: null, rule: null, minConfidence: null, mode: 'auto', focus: null };

/** What the graph panel draws: the chosen subgraph and its layout. */
export interface LineageDrawing {
  view: LineageView;
  layout: LineageLayout;
}

/** A layout of the chosen subgraph: dagre in this thread at build time, in a worker in the browser. */
export type LayoutFn = (view: Pick<LineageView, 'nodes' | 'edges'>) => Promise<LineageLayout>;

/** Only the facets: what the SQL builders take (the mode and focus choose among their rows). */
export const facets = (f: LineageGraphFilters): LineageFilters => ({ technique: f.technique, agent: f.agent, rule: f.rule, minConfidence: f.minConfidence });

/** The subgraph to draw: the matching nodes and edges (graphNodes, graphEdges), then selectView. */
export async function chosenSubgraph(f: LineageGraphFilters, config: CollabConfig, run: Run): Promise<LineageView> {
  const [nodes, edges] = await Promise.all([run<GraphNode>(graphNodes(facets(f))), run<GraphEdge>(graphEdges(facets(f)))]);
  return selectView(nodes, edges, config.higher_is_better, { mode: f.mode, focus: f.focus, cap: GRAPH_CAP, readable: READABLE });
}

/** "View the SQL" for what is drawn: the frontier view's own query when the frontier was chosen, and the edges. */
export function graphSql(view: Pick<LineageView, 'reason'>, f: LineageGraphFilters, config: CollabConfig): { nodes: QuerySpec; edges: QuerySpec } {
  return { nodes: view.reason === 'frontier' ? lineageFrontierView(config, facets(f)) : lineageNodes(facets(f)), edges: lineageEdges(facets(f)) };
}

/** The graph view for a layout function. Its rows are one drawing (the subgraph and its layout). */
export function lineageGraphView(layout: LayoutFn): View<LineageGraphFilters, LineageDrawing> {
  return {
    name: 'lineage-graph',
    query: (f) => lineageNodes(facets(f)),
    async load(f, config, run) {
      const view = await chosenSubgraph(f, config, run);
      return [{ view, layout: await layout(view) }];
    },
    render(rows, { doc, config }) {
      const d = rows[0];
      // An empty answer draws nothing; the status line says why.
      return d?.view.nodes.length ? (lineageGraph(d.layout, config, { document: doc }) as unknown as Element) : doc.createElement('span');
    },
  };
}
