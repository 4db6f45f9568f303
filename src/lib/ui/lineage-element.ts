// <atlas-lineage>: the spine by default, the full graph one click away (view=graph), filters over the graph, state in
// the URL. The spine, the graph, its table twin and "who already tried this" are views (src/lib/views/), drawn by the
// same renders as the first paint; this element adds what only the lineage page has: the switch between spine and
// graph, the graph's keyboard and click interaction and the evidence panel a click opens.
import { num } from '../format.ts';
import { routeNote } from '../lineage/layout.ts';
import { viewMode, viewStatus } from '../lineage/view.ts';
import { consoleHref } from '../sql-text.ts';
import { edgeEvidence, nodeEvidence, panelBody } from '../views/lineage-evidence.ts';
import { graphSql, lineageGraphView, type LineageDrawing, type LineageGraphFilters } from '../views/lineage-graph.ts';
import { lineageSpineView } from '../views/lineage-spine.ts';
import { lineageTable } from '../views/lineage-table.ts';
import { techniqueAdoptersView } from '../views/technique-adopters.ts';
import type { View } from '../views/view.ts';
import { h } from './dom.ts';
import { focusNode, highlight, nodeKey, wireGraph } from './lineage-graph-keys.ts';
import { lastLayoutMs, layoutInBrowser } from './lineage-layout-client.ts';
import { ViewElement, type Panel } from './view-element.ts';

const DEFAULTS = { technique: null, agent: null, rule: null, conf: null, view: null, focus: null } as {
  technique: string | null;
  agent: string | null;
  rule: string | null;
  conf: string | null;
  view: string | null;
  focus: string | null;
};
type State = typeof DEFAULTS;

const toFilters = (s: State): LineageGraphFilters => {
  const c = s.conf === null ? Number.NaN : Number(s.conf);
  return { technique: s.technique, agent: s.agent, rule: s.rule, minConfidence: Number.isFinite(c) && c > 0 ? c : null, mode: viewMode(s.view), focus: s.focus };
};

/** The spine is shown when nothing asks for the graph: no view, no facet, no focus. */
export const isSpine = (s: State): boolean => !s.view && !s.technique && !s.agent && !s.rule && !s.conf && !s.focus;

const graphView = lineageGraphView(layoutInBrowser);
const PLACEHOLDER = 'Select a result or an edge to see its fields, its rule and the evidence behind it.';

export class AtlasLineage extends ViewElement<State> {
  protected readonly defaults = DEFAULTS;
  /** Timings of the last update (ms), for the benchmark: the layout, and the rest (queries, choice, drawing). */
  timings: { query: number; layout: number; render: number; total: number } | null = null;
  /** The drawn graph and its nodes in time order (edges' data-p and data-c index into them). */
  #svg: SVGSVGElement | null = null;
  #els: SVGElement[] = [];
  #panelSeq = 0;

  /** The drawing on screen, once the browser has drawn one (the build-time one is not read back). */
  get drawing(): LineageDrawing | null {
    return (this.answers[graphView.name]?.[0] as LineageDrawing | undefined) ?? null;
  }

  override connectedCallback(): void {
    this.dataset['view'] = 'spine';
    this.#takeGraph();
    super.connectedCallback();
    this.addEventListener('click', (e) => this.#onClick(e));
    this.addEventListener('keydown', (e) => {
      const open = nodeKey(e, this.#els);
      if (open) void this.openNode(open, true);
    });
    const fit = this.querySelector<HTMLInputElement>('[data-fit]');
    fit?.addEventListener('change', () => this.querySelector('[data-graph]')?.classList.toggle('fit', fit.checked));
    this.querySelector('aside[data-panel]')?.addEventListener('keydown', (e) => {
      if ((e as KeyboardEvent).key === 'Escape') this.#els.find((n) => n.getAttribute('tabindex') === '0')?.focus();
    });
    // The build-time graph is the default view: nothing to run until the reader asks. Warm DuckDB-WASM up when the
    // browser is idle, so the first evidence panel opens quickly.
    if (this.dataset['state']) return;
    this.dataset['state'] = 'ready';
    const warm = (): void => void import('../db/browser.ts').then((db) => db.ensureTables(['lineage_edges', 'lineage_nodes'])).catch(() => undefined);
    if ('requestIdleCallback' in window) requestIdleCallback(warm, { timeout: 4000 });
    else setTimeout(warm, 1000);
  }

  protected panels(s: State): Panel[] {
    if (isSpine(s)) return [{ view: lineageSpineView, filters: {} } as Panel];
    const f = toFilters(s);
    const panels = [{ view: graphView, filters: f } as Panel, { view: lineageTable, filters: f } as Panel];
    if (s.technique) panels.push({ view: techniqueAdoptersView, filters: { token: s.technique } } as Panel);
    return panels;
  }

  /** A new filter leaves a neighbourhood view (its focus may not match any more). */
  protected override fromForm(form: HTMLFormElement): State {
    return { ...super.fromForm(form), focus: null };
  }

  override async update(): Promise<void> {
    const t0 = performance.now();
    await super.update();
    const total = performance.now() - t0;
    this.timings = { query: total - lastLayoutMs, layout: lastLayoutMs, render: 0, total };
  }

  /** What the panels do not draw: the status line, the route note, the SQL links, the focus, the adopters box. */
  protected override afterRender(s: State): void {
    const spine = isSpine(s);
    const wrap = (sel: string, show: boolean) => {
      const e = this.querySelector<HTMLElement>(sel);
      if (e) e.hidden = !show;
    };
    wrap('[data-spine-wrap]', spine);
    wrap('[data-graph-wrap]', !spine);
    this.dataset['view'] = spine ? 'spine' : 'graph';
    const d = this.drawing;
    if (spine || !d) return;
    const f = toFilters(s);
    const text = (sel: string, t: string) => {
      const e = this.querySelector(sel);
      if (e) e.textContent = t;
    };
    text('[data-count]', viewStatus(d.view, f.mode));
    text('[data-route]', routeNote(d.layout));
    text('[data-table-count]', num(d.view.nodes.length));
    const sql = graphSql(d.view, f, this.config);
    this.querySelector<HTMLAnchorElement>('a[data-sql-nodes]')?.setAttribute('href', consoleHref(this.base, sql.nodes));
    this.querySelector<HTMLAnchorElement>('a[data-sql-edges]')?.setAttribute('href', consoleHref(this.base, sql.edges));
    const focus = this.querySelector<HTMLElement>('[data-focus]');
    if (focus) {
      focus.hidden = !s.focus;
      focus.replaceChildren(...(s.focus ? [`Focus: ${s.focus} `, h('button', { type: 'button', 'data-clear-focus': '' }, 'back to the whole graph')] : []));
    }
    const adopters = this.querySelector<HTMLElement>('[data-adopters]');
    if (adopters) {
      adopters.hidden = !s.technique;
      if (!s.technique) adopters.querySelector('[data-view]')?.replaceChildren();
    }
    this.#takeGraph();
  }

  /** Wire the graph now on screen (the build-time one, or a new drawing). */
  #takeGraph(): void {
    const svg = this.querySelector<SVGSVGElement>('[data-graph] svg');
    if (svg === this.#svg) return;
    this.#svg = svg;
    this.#els = svg ? wireGraph(svg) : [];
  }

  #onClick(e: MouseEvent): void {
    const t = e.target as Element;
    const node = t.closest<SVGElement>('.lineage-graph .n');
    if (node?.dataset['f']) {
      focusNode(this.#els, node);
      void this.openNode(node.dataset['f']);
      return;
    }
    const edge = t.closest<SVGElement>('.lineage-graph .hit, .lineage-graph path.e');
    if (edge) {
      const p = this.#els[Number(edge.dataset['p'])]?.dataset['f'];
      const c = this.#els[Number(edge.dataset['c'])]?.dataset['f'];
      if (p && c) void this.openEdge(p, c);
      return;
    }
    // Buttons in the table, the panel and the status line; a click with detail 0 came from the keyboard.
    const keyboard = e.detail === 0;
    const b = t.closest<HTMLElement>('[data-open], [data-edge-parent], [data-technique], [data-focus-on], [data-clear-focus], [data-close-panel], [data-set-view]');
    const d = b?.dataset ?? {};
    if (d['setView'] !== undefined) {
      // One click between the spine and the full graph; back to the spine drops the graph's filters too.
      e.preventDefault();
      this.set(d['setView'] ? { ...this.state, view: d['setView'] } : { ...DEFAULTS });
    } else if (d['open']) void this.openNode(d['open'], keyboard);
    else if (d['edgeParent'] && d['edgeChild']) void this.openEdge(d['edgeParent'], d['edgeChild'], keyboard);
    else if (d['technique']) this.set({ ...this.state, technique: d['technique'], focus: null });
    else if (d['focusOn']) this.set({ ...this.state, focus: d['focusOn'] });
    else if (d['clearFocus'] !== undefined) this.set({ ...this.state, focus: null });
    else if (d['closePanel'] !== undefined) this.#closePanel();
  }

  /** The evidence panel for one edge: rule, confidence, evidence file and snippet (as text), both ends. */
  openEdge(parent: string, child: string, keyboard = false): Promise<void> {
    if (this.#svg) highlight(this.#svg, this.#els, null, [parent, child]);
    return this.#open(edgeEvidence, { parent, child }, 'Edge', keyboard);
  }

  /** The evidence panel for one result: its fields, links (board, agent, runs), its edges, and a lineage focus. */
  openNode(filename: string, keyboard = false): Promise<void> {
    if (this.#svg) highlight(this.#svg, this.#els, filename, null);
    return this.#open(nodeEvidence, { filename }, filename, keyboard);
  }

  /** Fill the panel with a view's answer (a newer click wins); then reveal it, and after a keyboard open focus its heading. */
  async #open<F>(view: View<F, unknown>, filters: F, title: string, keyboard: boolean): Promise<void> {
    const seq = ++this.#panelSeq;
    this.#fillPanel(panelBody(document, 'loading', title, h('p', { class: 'muted' }, 'Loading…')));
    let body: Element;
    try {
      body = await this.drawView(view, filters);
    } catch (err) {
      body = panelBody(document, 'error', title, h('p', {}, `Could not load it: ${err instanceof Error ? err.message : String(err)}`));
    }
    if (seq !== this.#panelSeq) return;
    const panel = this.#fillPanel(body);
    if (!panel) return;
    // Below the graph (narrow screens) the panel is brought into view; Escape in it goes back to the graph.
    if (panel.getBoundingClientRect().top > window.innerHeight) panel.scrollIntoView({ block: 'nearest' });
    if (keyboard) panel.querySelector<HTMLElement>('h3')?.focus();
  }

  #fillPanel(body: Element): HTMLElement | null {
    const panel = this.querySelector<HTMLElement>('aside[data-panel]');
    if (!panel) return null;
    panel.replaceChildren(body);
    const edge = body.getAttribute('data-edge');
    if (edge) panel.dataset['edge'] = edge;
    else delete panel.dataset['edge'];
    this.dataset['panelState'] = body.getAttribute('data-panel-state') ?? '';
    return panel;
  }

  #closePanel(): void {
    ++this.#panelSeq;
    if (this.#svg) highlight(this.#svg, this.#els, null, null);
    this.querySelector('aside[data-panel]')?.replaceChildren(h('p', { class: 'muted' }, PLACEHOLDER));
    this.dataset['panelState'] = '';
  }
}

export function defineLineage(): void {
  if (!customElements.get('atlas-lineage')) customElements.define('atlas-lineage', AtlasLineage);
}
