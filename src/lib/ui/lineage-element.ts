// <atlas-lineage>: filters over the lineage graph (DuckDB-WASM, dagre in the browser, state in the URL) and the evidence panel.
import type { CollabConfig } from '../config.ts';
import type { QuerySpec } from '../db/connector.ts';
import { formatCell } from '../db/format.ts';
import {
  lineageEdges,
  lineageNodes,
  techniqueAdopters,
  techniquesList,
  type LineageFilters,
  type TechniqueAdopterRow,
} from '../queries/lineage.sql.ts';
import {
  graphEdges,
  graphNodes,
  lineageFrontierView,
  lineageEdgeDetail,
  lineageNodeDetail,
  lineageNodeEdges,
  resultRuns,
  type LineageEdgeDetailRow,
  type LineageNodeDetailRow,
  type LineageNodeEdgeRow,
  type ResultRunRow,
} from '../queries/lineage-page.sql.ts';
import type { TechniqueRow } from '../schema/lineage.ts';
import { LINEAGE_RULES as RULE_TEXT } from '../lineage/rules.ts';
import { GRAPH_CAP, READABLE, nodeState, selectView, viewMode, viewStatus, type GraphEdge, type GraphNode, type LineageView } from '../lineage/view.ts';
import { layoutLineage, routeNote, type LineageLayout } from '../lineage/layout.ts';
import type { LayoutRequest } from '../lineage/layout-worker.ts';
import { lineageGraph } from '../charts/lineage-graph.ts';
import { agentUrl, focusHref } from '../links.ts';
import { unpagedAgents } from './agent-links.ts';
import { consoleHref } from '../sql-text.ts';
import { readState, writeState } from './url-state.ts';
import { h } from './dom.ts';

const DEFAULTS = { technique: null, agent: null, rule: null, conf: null, view: null, focus: null } as {
  technique: string | null;
  agent: string | null;
  rule: string | null;
  conf: string | null;
  view: string | null;
  focus: string | null;
};
type State = typeof DEFAULTS;
const FILTER_KEYS = ['technique', 'agent', 'rule', 'conf', 'view'] as const;

const toFilters = (s: State): LineageFilters => {
  const c = s.conf === null ? Number.NaN : Number(s.conf);
  return { technique: s.technique, agent: s.agent, rule: s.rule, minConfidence: Number.isFinite(c) && c > 0 ? c : null };
};
const isDefault = (s: State): boolean => Object.entries(s).every(([k, v]) => v === DEFAULTS[k as keyof State]);
const stateKey = (s: State): string => JSON.stringify(FILTER_KEYS.map((k) => s[k]).concat(s.focus));

/**
 * dagre in a worker: a 200-result layout takes half a second on a busy machine, which would freeze scrolling and
 * typing. Falls back to the main thread when workers are unavailable. Answers are matched to requests by id.
 */
let worker: Worker | null | undefined;
let nextId = 0;
const pending = new Map<number, { resolve: (l: LineageLayout) => void; reject: (e: Error) => void }>();
function layoutOffThread(view: LayoutRequest['view']): Promise<LineageLayout> {
  if (worker === undefined) {
    try {
      worker = new Worker(new URL('../lineage/layout-worker.ts', import.meta.url), { type: 'module' });
      worker.onmessage = (e: MessageEvent<{ id: number; layout?: LineageLayout; error?: string }>) => {
        const p = pending.get(e.data.id);
        pending.delete(e.data.id);
        if (e.data.layout) p?.resolve(e.data.layout);
        else p?.reject(new Error(e.data.error ?? 'layout failed'));
      };
      worker.onerror = () => {
        for (const p of pending.values()) p.reject(new Error('the layout worker failed'));
        pending.clear();
        worker = null;
      };
    } catch {
      worker = null;
    }
  }
  if (!worker) return Promise.resolve(layoutLineage(view));
  const id = ++nextId;
  const w = worker;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    w.postMessage({ id, view } satisfies LayoutRequest);
  });
}

const fmt = new Intl.NumberFormat('en-US', { maximumFractionDigits: 3 });
const num = (v: number | null | undefined): string => (v === null || v === undefined ? '–' : fmt.format(v));
const when = (ts: string | null | undefined): string => (ts ? `${ts.slice(0, 16).replace('T', ' ')} UTC` : 'no time stamp');

/** A drawn view: the SVG and what it shows, kept per state so back/forward and repeated filters do not lay out again. */
interface Drawn {
  svg: SVGSVGElement;
  /** The node elements in time order: edges' data-p / data-c index into it. */
  els: SVGElement[];
  view: LineageView;
  ms: { query: number; layout: number; render: number };
  /** routeNote of the layout. */
  note: string;
  /** For the build-time view: its status line and table rows, put back when the reader returns to it. */
  first?: { status: string; rows: Element[] };
}

/** Drawn views kept for back/forward and repeated filters (each holds an SVG of up to GRAPH_CAP nodes). */
const CACHE_MAX = 24;
/** Drop the oldest entries (Maps keep insertion order) past `max`, never `keep`. */
function trim<V>(m: Map<string, V>, max: number, keep?: string): void {
  for (const k of m.keys()) {
    if (m.size <= max) return;
    if (k !== keep) m.delete(k);
  }
}

/** What a view draws, as a key: its nodes in order and its edges. */
const viewKey = (v: Pick<LineageView, 'nodes' | 'edges'>): string =>
  `${v.nodes.map((n) => n.filename).join('\n')}\n#\n${v.edges.map((e) => `${e.parent}>${e.child}`).join('\n')}`;

/** The board shows messages and results; other evidence files (run requests, manifests) are named but not linked. */
const boardFile = (path: string): string | null => (/^(message_board|results)\/[^/]+\.md$/.test(path) || /^[^/]+\.md$/.test(path) ? (path.split('/').pop() ?? null) : null);

export class AtlasLineage extends HTMLElement {
  state: State = { ...DEFAULTS };
  /** Timings of the last update (ms), for the benchmark and the tests. */
  timings: { query: number; layout: number; render: number; total: number } | null = null;
  #config!: CollabConfig;
  #base = '/';
  #seq = 0;
  #cache = new Map<string, Drawn>();
  /** Drawings by what they show: filters that pick the same nodes and edges (often the frontier view) reuse one. */
  #drawings = new Map<string, Pick<Drawn, 'svg' | 'els' | 'note'>>();
  #current: Drawn | null = null;
  #techniques: TechniqueRow[] | null = null;

  connectedCallback(): void {
    this.#config = JSON.parse(this.dataset['config'] ?? '{}') as CollabConfig;
    this.#base = this.dataset['base'] ?? '/';
    const svg = this.querySelector<SVGSVGElement>('[data-graph] svg');
    if (svg) {
      const first = {
        status: this.querySelector('[data-count]')?.textContent ?? '',
        rows: [...(this.querySelector('[data-node-rows]')?.children ?? [])],
      };
      const note = this.querySelector('[data-route]')?.textContent ?? '';
      this.#current = { svg, els: this.#wire(svg), view: this.#viewFromSvg(svg), ms: { query: 0, layout: 0, render: 0 }, note, first };
      this.#cache.set(stateKey(DEFAULTS), this.#current);
      this.#drawings.set(viewKey(this.#current.view), { svg, els: this.#current.els, note });
    }
    this.state = readState(DEFAULTS);
    this.#syncForm();
    const form = this.querySelector('form');
    form?.addEventListener('change', (e) => {
      if ((e.target as HTMLElement).hasAttribute('data-fit')) return;
      this.#fromForm();
    });
    form?.addEventListener('reset', () => setTimeout(() => this.#set({ ...DEFAULTS })));
    // Enter in the agent box submits the form: apply the filters instead. Clearing the search box applies at once.
    form?.addEventListener('submit', (e) => {
      e.preventDefault();
      this.#fromForm();
    });
    form?.querySelector('input[type="search"]')?.addEventListener('search', () => this.#fromForm());
    const fit = this.querySelector<HTMLInputElement>('[data-fit]');
    fit?.addEventListener('change', () => this.querySelector('[data-graph]')?.classList.toggle('fit', fit.checked));
    window.addEventListener('popstate', () => {
      this.state = readState(DEFAULTS);
      this.#syncForm();
      void this.update();
    });
    this.addEventListener('click', (e) => this.#onClick(e));
    this.addEventListener('keydown', (e) => this.#onKey(e));
    this.querySelector('aside[data-panel]')?.addEventListener('keydown', (e) => {
      if ((e as KeyboardEvent).key !== 'Escape') return;
      this.#current?.els.find((n) => n.getAttribute('tabindex') === '0')?.focus();
    });
    if (!isDefault(this.state)) void this.update();
    else {
      this.dataset['state'] = 'ready';
      // Warm DuckDB-WASM up when the browser is idle, so the first evidence panel opens quickly.
      const warm = (): void => void import('../db/browser.ts').then((db) => db.ensureTables(['lineage_edges', 'lineage_nodes'])).catch(() => undefined);
      if ('requestIdleCallback' in window) requestIdleCallback(warm, { timeout: 4000 });
      else setTimeout(warm, 1000);
    }
  }

  /** What the build-time SVG shows, read back from its data attributes (nodes by index, edges by their ends). */
  #viewFromSvg(svg: SVGSVGElement): Drawn['view'] {
    const nodes = [...svg.querySelectorAll<SVGElement>('.nodes > .n')].map((n) => ({ filename: n.dataset['f'] ?? '' }) as LineageView['nodes'][number]);
    const edges = [...svg.querySelectorAll<SVGElement>('path.e')].map(
      (e) => ({ parent: nodes[Number(e.dataset['p'])]?.filename ?? '', child: nodes[Number(e.dataset['c'])]?.filename ?? '' }) as LineageView['edges'][number],
    );
    return { nodes, edges, reason: 'all', matched: Number(this.dataset['nodes'] ?? nodes.length), matchedEdges: edges.length, truncated: false, seeds: [] };
  }

  #fromForm(): void {
    const form = this.querySelector('form');
    if (!form) return;
    const val = (n: string): string | null => (form.elements.namedItem(n) as HTMLSelectElement | HTMLInputElement | null)?.value.trim() || null;
    // A new filter leaves a neighbourhood view (its focus may not match any more).
    this.#set({ ...this.state, technique: val('technique'), agent: val('agent'), rule: val('rule'), conf: val('conf'), view: val('view'), focus: null });
  }

  #syncForm(): void {
    const form = this.querySelector('form');
    if (!form) return;
    for (const k of FILTER_KEYS) {
      const el = form.elements.namedItem(k) as HTMLSelectElement | HTMLInputElement | null;
      if (!el) continue;
      const v = this.state[k] ?? '';
      // A value from a link that is not in the menu still filters; show it as an option.
      if (el instanceof HTMLSelectElement && v && ![...el.options].some((o) => o.value === v)) el.append(h('option', { value: v }, v));
      el.value = v;
    }
  }

  #set(s: State): void {
    if (stateKey(s) === stateKey(this.state)) return;
    this.state = s;
    writeState(s, DEFAULTS);
    this.#syncForm();
    void this.update();
  }

  async #query<T>(spec: QuerySpec): Promise<T[]> {
    const { query } = await import('../db/browser.ts');
    return query<T>(spec.sql, spec.params);
  }

  /** Query the filtered nodes and edges in DuckDB-WASM, choose the view, lay it out with dagre and draw it. */
  /** Agents without a static page (their links open the agents index panel). */
  #unpaged: ReadonlySet<string> | null = null;

  async update(): Promise<void> {
    const seq = ++this.#seq;
    const s = { ...this.state };
    const t0 = performance.now();
    this.dataset['state'] = 'loading';
    const count = this.querySelector<HTMLElement>('[data-count]');
    const f = toFilters(s);
    const nodesSpec = lineageNodes(f);
    const edgesSpec = lineageEdges(f);
    try {
      this.#unpaged = await unpagedAgents(this.#base);
      let drawn = this.#cache.get(stateKey(s));
      const cached = drawn !== undefined;
      if (!drawn) {
        if (count) count.textContent = 'Querying the lineage tables in your browser…';
        const [nodes, edges] = await Promise.all([this.#query<GraphNode>(graphNodes(f)), this.#query<GraphEdge>(graphEdges(f))]);
        if (seq !== this.#seq) return;
        const t1 = performance.now();
        const view = selectView(nodes, edges, this.#config.higher_is_better, { mode: viewMode(s.view), focus: s.focus, cap: GRAPH_CAP, readable: READABLE });
        const t2 = performance.now();
        let drawing = this.#drawings.get(viewKey(view));
        let t3 = t2;
        if (!drawing) {
          if (count) count.textContent = `Laying out ${formatCell(view.nodes.length)} results…`;
          const layout = await layoutOffThread({ nodes: view.nodes, edges: view.edges });
          if (seq !== this.#seq) return;
          t3 = performance.now();
          const svg = lineageGraph(layout, this.#config, { document });
          drawing = { svg, els: this.#wire(svg), note: routeNote(layout) };
          this.#drawings.set(viewKey(view), drawing);
          trim(this.#drawings, CACHE_MAX);
        }
        drawn = { svg: drawing.svg, els: drawing.els, note: drawing.note, view, ms: { query: t1 - t0, layout: t3 - t2, render: performance.now() - t3 } };
        this.#cache.set(stateKey(s), drawn);
        trim(this.#cache, CACHE_MAX, stateKey(DEFAULTS));
      }
      this.#show(drawn, s);
      const shownSpec = drawn.view.reason === 'frontier' ? lineageFrontierView(this.#config, f) : nodesSpec;
      for (const [sel, spec] of [['[data-sql-nodes]', shownSpec], ['[data-sql-edges]', edgesSpec]] as const) {
        const a = this.querySelector<HTMLAnchorElement>(sel);
        if (a) a.href = consoleHref(this.#base, spec);
      }
      this.timings = { ...(cached ? { query: 0, layout: 0, render: 0 } : drawn.ms), total: performance.now() - t0 };
      this.dataset['state'] = 'ready';
      void this.#adopters(s);
    } catch (e) {
      if (seq !== this.#seq) return;
      if (count) count.textContent = `Could not run the query: ${e instanceof Error ? e.message : String(e)}`;
      this.dataset['state'] = 'error';
    }
  }

  #show(drawn: Drawn, s: State): void {
    const fig = this.querySelector<HTMLElement>('[data-graph]');
    if (fig && fig.firstElementChild !== drawn.svg) fig.replaceChildren(drawn.svg);
    this.#current = drawn;
    this.#highlight(null, null);
    const v = drawn.view;
    const count = this.querySelector<HTMLElement>('[data-count]');
    if (count) count.textContent = drawn.first ? drawn.first.status : viewStatus(v, viewMode(s.view));
    const route = this.querySelector('[data-route]');
    if (route) route.textContent = drawn.note;
    const focus = this.querySelector<HTMLElement>('[data-focus]');
    if (focus) {
      focus.hidden = !s.focus;
      if (s.focus) {
        const clear = h('button', { type: 'button' }, 'back to the whole graph');
        clear.addEventListener('click', () => this.#set({ ...this.state, focus: null }));
        focus.replaceChildren(`Focus: ${s.focus} `, clear);
      }
    }
    this.#fillTable(drawn);
  }

  /** The table twin of the graph (for screen readers and keyboard users), rebuilt when the view changes. */
  #fillTable(drawn: Drawn): void {
    const tbody = this.querySelector('[data-node-rows]');
    const n = this.querySelector('[data-table-count]');
    if (n) n.textContent = formatCell(drawn.view.nodes.length);
    if (!tbody) return;
    if (drawn.first) {
      tbody.replaceChildren(...drawn.first.rows);
      return;
    }
    const parents = new Map<string, number>();
    const children = new Map<string, number>();
    for (const e of drawn.view.edges) {
      parents.set(e.child, (parents.get(e.child) ?? 0) + 1);
      children.set(e.parent, (children.get(e.parent) ?? 0) + 1);
    }
    tbody.replaceChildren(
      ...drawn.view.nodes.map((r) =>
        h(
          'tr',
          {},
          h('td', {}, r.node_kind === 'agent' ? h('span', { class: 'muted' }, 'result not in this export') : h('a', { href: focusHref(this.#base, r.filename) }, r.filename)),
          h('td', {}, r.agent ?? ''),
          h('td', {}, r.ts ? r.ts.slice(0, 16).replace('T', ' ') : ''),
          h('td', { class: 'num' }, r.score === null ? '' : formatCell(Math.round(r.score * 100) / 100)),
          h('td', {}, nodeState(r)),
          h('td', {}, r.is_frontier ? 'yes' : ''),
          h('td', { class: 'num' }, String(parents.get(r.filename) ?? 0)),
          h('td', { class: 'num' }, String(children.get(r.filename) ?? 0)),
          h('td', {}, h('code', {}, r.method ?? '')),
          h('td', {}, h('button', { type: 'button', class: 'linkish', 'data-open': r.filename }, 'details')),
        ),
      ),
    );
  }

  /**
   * Make a freshly drawn graph interactive: wider click targets for the thin edges (a transparent copy of each edge
   * under the nodes) and the roving tabindex (the first node stays tabbable, the others focusable). Returns the
   * node elements in order.
   */
  #wire(svg: SVGSVGElement): SVGElement[] {
    const els = [...svg.querySelectorAll<SVGElement>('.nodes > .n')];
    for (const n of els) if (n.getAttribute('tabindex') !== '0') n.setAttribute('tabindex', '-1');
    const hits = document.createElementNS('http://www.w3.org/2000/svg', 'g');
    hits.setAttribute('class', 'hits');
    for (const e of svg.querySelectorAll<SVGPathElement>('path.e')) {
      const p = document.createElementNS('http://www.w3.org/2000/svg', 'path');
      p.setAttribute('class', 'hit');
      p.setAttribute('d', e.getAttribute('d') ?? '');
      p.dataset['p'] = e.dataset['p'] ?? '';
      p.dataset['c'] = e.dataset['c'] ?? '';
      hits.append(p);
    }
    svg.querySelector('.halos')?.before(hits);
    return els;
  }

  #nodeEl(i: number): SVGElement | null {
    return this.#current?.els[i] ?? null;
  }

  #onClick(e: MouseEvent): void {
    const t = e.target as Element;
    const node = t.closest<SVGElement>('.lineage-graph .n');
    if (node?.dataset['f']) {
      this.#focusNode(node);
      void this.openNode(node.dataset['f']);
      return;
    }
    const edge = t.closest<SVGElement>('.lineage-graph .hit, .lineage-graph path.e');
    if (edge) {
      const p = this.#nodeEl(Number(edge.dataset['p']))?.dataset['f'];
      const c = this.#nodeEl(Number(edge.dataset['c']))?.dataset['f'];
      if (p && c) void this.openEdge(p, c);
      return;
    }
    // Buttons in the table and the panel; a click with detail 0 came from the keyboard (Enter or Space).
    const keyboard = e.detail === 0;
    const open = t.closest<HTMLElement>('[data-open]');
    if (open?.dataset['open']) void this.openNode(open.dataset['open'], keyboard);
    const edgeBtn = t.closest<HTMLElement>('[data-edge-parent]');
    if (edgeBtn?.dataset['edgeParent'] && edgeBtn.dataset['edgeChild']) void this.openEdge(edgeBtn.dataset['edgeParent'], edgeBtn.dataset['edgeChild'], keyboard);
  }

  /** Roving tabindex over the nodes in time order: arrows move, Home/End jump, Enter or Space opens. */
  #onKey(e: KeyboardEvent): void {
    const node = (e.target as Element).closest?.<SVGElement>('.lineage-graph .n');
    if (!node) return;
    const els = this.#current?.els ?? [];
    const i = els.indexOf(node);
    const last = els.length - 1;
    const to = { ArrowRight: i + 1, ArrowDown: i + 1, ArrowLeft: i - 1, ArrowUp: i - 1, Home: 0, End: last }[e.key];
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      if (node.dataset['f']) void this.openNode(node.dataset['f'], true);
    } else if (to !== undefined) {
      e.preventDefault();
      const next = this.#nodeEl(Math.max(0, Math.min(last, to)));
      if (next) this.#focusNode(next, true);
    }
  }

  #focusNode(el: SVGElement, move = false): void {
    for (const n of this.#current?.els ?? []) if (n !== el && n.getAttribute('tabindex') === '0') n.setAttribute('tabindex', '-1');
    el.setAttribute('tabindex', '0');
    if (move) {
      el.focus();
      el.scrollIntoView?.({ block: 'nearest', inline: 'nearest' });
    }
  }

  /** Mark the selection in the graph: the node or edge, and the edges touching a selected node. */
  #highlight(node: string | null, edge: [string, string] | null): void {
    const cur = this.#current;
    if (!cur) return;
    for (const el of cur.svg.querySelectorAll('.sel, .hl')) el.classList.remove('sel', 'hl');
    const idx = (f: string): number => cur.els.findIndex((n) => n.dataset['f'] === f);
    cur.svg.classList.toggle('has-sel', node !== null || edge !== null);
    if (node !== null) {
      const i = idx(node);
      if (i < 0) return;
      cur.els[i]?.classList.add('sel');
      for (const e of cur.svg.querySelectorAll(`path.e[data-p="${i}"], path.e[data-c="${i}"]`)) e.classList.add('hl');
    } else if (edge) {
      cur.svg.querySelector(`path.e[data-p="${idx(edge[0])}"][data-c="${idx(edge[1])}"]`)?.classList.add('sel');
    }
  }

  #panel(title: string, ...children: (Node | string | null)[]): HTMLElement | null {
    const kids = children.filter((c): c is Node | string => c !== null);
    const panel = this.querySelector<HTMLElement>('aside[data-panel]');
    if (!panel) return null;
    const close = h('button', { type: 'button', class: 'linkish' }, 'close');
    close.addEventListener('click', () => {
      this.#highlight(null, null);
      panel.replaceChildren(h('p', { class: 'muted' }, 'Select a result or an edge to see its fields, its rule and the evidence behind it.'));
      this.dataset['panelState'] = '';
    });
    panel.replaceChildren(h('h3', { tabindex: -1 }, title), ...kids, h('p', {}, close));
    return panel;
  }

  /**
   * After the panel is filled: bring it into view when it sits below the graph (narrow screens), and after a
   * keyboard open move focus to its heading so a screen reader reads it; Escape in the panel goes back to the graph.
   */
  #reveal(keyboard: boolean): void {
    const panel = this.querySelector<HTMLElement>('aside[data-panel]');
    if (!panel) return;
    if (panel.getBoundingClientRect().top > window.innerHeight) panel.scrollIntoView({ block: 'nearest' });
    if (keyboard) panel.querySelector<HTMLElement>('h3')?.focus();
  }

  #sql(spec: QuerySpec, label = 'View the SQL'): HTMLAnchorElement {
    return h('a', { href: consoleHref(this.#base, spec) }, label);
  }

  #facts(pairs: [string, Node | string][]): HTMLDListElement {
    const dl = h('dl', { class: 'facts' });
    for (const [k, v] of pairs) dl.append(h('dt', {}, k), h('dd', {}, v));
    return dl;
  }

  /** The evidence panel for one edge: rule, confidence, evidence file and snippet (as text), both ends. */
  async openEdge(parent: string, child: string, keyboard = false): Promise<void> {
    this.#highlight(null, [parent, child]);
    this.dataset['panelState'] = 'loading';
    this.#panel('Edge', h('p', { class: 'muted' }, 'Loading the evidence…'));
    const spec = lineageEdgeDetail(parent, child);
    try {
      const [e] = await this.#query<LineageEdgeDetailRow>(spec);
      if (!e) {
        this.#panel('Edge', h('p', {}, 'This edge is not in the lineage tables.'));
        this.dataset['panelState'] = 'error';
        return;
      }
      const end = (f: string, agent: string | null, ts: string | null, method: string | null, score: number | null): HTMLElement =>
        h(
          'li',
          {},
          h('button', { type: 'button', class: 'linkish', 'data-open': f }, f),
          f.startsWith('agent:') ? ' (result not in this export)' : ` by ${agent ?? '?'}, ${when(ts)}, ${num(score)} ${this.#config.unit}`,
          method ? h('br') : null,
          method ? h('code', {}, method) : null,
        );
      const topic = RULE_TEXT.find((t) => t.topic.startsWith(e.rule));
      const panel = this.#panel(
        `${e.parent_agent ?? '?'} → ${e.child_agent ?? '?'}`,
        this.#facts([
          ['rule', h('span', { 'data-field': 'rule' }, e.rule)],
          ['also found by', e.extra_rules.length ? e.extra_rules.join(', ') : '–'],
          ['confidence', h('span', { 'data-field': 'confidence' }, e.confidence.toFixed(2))],
          ['evidence file', h('code', { 'data-field': 'evidence_file' }, e.evidence_file ?? '–')],
        ]),
        h('h4', {}, 'Evidence'),
        h('blockquote', { 'data-field': 'evidence' }, e.evidence ?? ''),
        e.evidence_file && boardFile(e.evidence_file) ? h('p', {}, h('a', { href: focusHref(this.#base, boardFile(e.evidence_file)!) }, 'The evidence file on the board')) : null,
        h('h4', {}, 'Parent (earlier)'),
        h('ul', {}, end(e.parent, e.parent_agent, e.parent_ts, e.parent_method, e.parent_score)),
        h('h4', {}, 'Child (later)'),
        h('ul', {}, end(e.child, e.child_agent, e.child_ts, e.child_method, e.child_score)),
        topic ? h('details', {}, h('summary', {}, `The ${e.rule} rule`), h('p', {}, topic.rule)) : null,
        h('p', {}, this.#sql(spec)),
      );
      if (panel) panel.dataset['edge'] = `${e.parent}\n${e.child}`;
      this.dataset['panelState'] = 'edge';
      this.#reveal(keyboard);
    } catch (err) {
      this.#panel('Edge', h('p', {}, `Could not load the edge: ${err instanceof Error ? err.message : String(err)}`));
      this.dataset['panelState'] = 'error';
    }
  }

  /** The evidence panel for one result: its fields, links (board, agent, runs), its edges, and a lineage focus. */
  async openNode(filename: string, keyboard = false): Promise<void> {
    this.#highlight(filename, null);
    this.dataset['panelState'] = 'loading';
    this.#panel(filename, h('p', { class: 'muted' }, 'Loading…'));
    const specs = { node: lineageNodeDetail(filename), edges: lineageNodeEdges(filename), runs: resultRuns(filename) };
    try {
      const [[n], edges, runs] = await Promise.all([
        this.#query<LineageNodeDetailRow>(specs.node),
        this.#query<LineageNodeEdgeRow>(specs.edges),
        this.#query<ResultRunRow>(specs.runs).catch(() => [] as ResultRunRow[]),
      ]);
      if (!n) {
        this.#panel(filename, h('p', {}, 'This result is not in the lineage tables.'));
        this.dataset['panelState'] = 'error';
        return;
      }
      const c = this.#config;
      const tokens = h('span', { class: 'token-list' });
      for (const t of n.tokens) {
        const b = h('button', { type: 'button', title: `Filter the graph by ${t}` }, t);
        b.addEventListener('click', () => this.#set({ ...this.state, technique: t, focus: null }));
        tokens.append(b);
      }
      const edgeList = (dir: string): HTMLElement => {
        const list = edges.filter((e) => e.direction === dir);
        if (!list.length) return h('p', { class: 'muted' }, 'none');
        return h(
          'ul',
          {},
          ...list.map((e) =>
            h(
              'li',
              {},
              h('button', { type: 'button', class: 'linkish', 'data-edge-parent': e.parent, 'data-edge-child': e.child }, `${e.rule} ${e.confidence.toFixed(2)}`),
              ` ${dir === 'parent' ? 'from' : 'to'} ${e.other_agent ?? '?'} (${num(e.other_score)}) `,
              h('code', {}, e.other_method ?? ''),
            ),
          ),
        );
      };
      const lineage = h('button', { type: 'button' }, 'Show its lineage');
      lineage.addEventListener('click', () => this.#set({ ...this.state, focus: n.filename }));
      const state = nodeState(n);
      if (state === 'agent') {
        // An agent-level node: a later result credits this agent, but the result it means is not in this export.
        const credited = edges.filter((e) => e.direction === 'child').length;
        this.#panel(
          `${n.agent ?? '?'} · result not in this export`,
          h(
            'p',
            {},
            `${credited === 1 ? 'A later result credits' : `${credited} later results credit`} this agent (a credit, reproduction, port or delta), ` +
              'but the result meant is not in this export (leaderboard snapshots keep each agent\'s best), so the edge starts at the agent.',
          ),
          this.#facts([
            ['agent', n.agent ?? '?'],
            ['node', h('code', { 'data-field': 'filename' }, n.filename)],
          ]),
          h('p', { class: 'actions' }, n.agent ? h('a', { href: agentUrl(this.#base, n.agent, this.#unpaged) }, 'Agent page') : null, lineage),
          h('h4', {}, `Credited by (${credited})`),
          edgeList('child'),
          h('p', {}, this.#sql(specs.edges, 'View the edges SQL')),
        );
        this.dataset['panelState'] = 'node';
        this.#reveal(keyboard);
        return;
      }
      const runList = runs.length
        ? h('ul', {}, ...runs.map((r) => h('li', {}, h('code', {}, r.run_dir), ` ${r.status ?? ''} · ${num(r.score)} ${c.unit} · ${r.matched_by}`)))
        : h('p', { class: 'muted' }, 'No run matched by job id or submission prefix.');
      this.#panel(
        `${n.agent ?? '?'} · ${num(n.score)} ${c.unit}`,
        this.#facts([
          ['result', h('code', { 'data-field': 'filename' }, n.filename)],
          ['posted', when(n.ts)],
          [c.score_label, `${num(n.score)} ${c.unit}`],
          [c.secondary_label, `${num(n.secondary)}${n.over_cap ? ` (over the cap ${c.secondary_cap})` : ''}`],
          ['state', h('span', { class: `state state-${state}` }, state)],
          ['frontier', n.is_frontier ? 'yes: it beat every earlier eligible result' : 'no'],
          ['Pareto', n.is_pareto === null ? 'unknown' : n.is_pareto ? 'yes' : 'no'],
          ['method', h('code', {}, n.method ?? '')],
          ['techniques', tokens],
          ['lineage depth', String(n.depth ?? '–')],
        ]),
        h(
          'p',
          { class: 'actions' },
          h('a', { href: focusHref(this.#base, n.filename) }, 'On the board'),
          n.agent ? h('a', { href: agentUrl(this.#base, n.agent, this.#unpaged) }, 'Agent page') : null,
          lineage,
        ),
        h('h4', {}, `Parents (${edges.filter((e) => e.direction === 'parent').length})`),
        edgeList('parent'),
        h('h4', {}, `Children (${edges.filter((e) => e.direction === 'child').length})`),
        edgeList('child'),
        h('h4', {}, `Runs (${runs.length})`),
        runList,
        h('p', {}, this.#sql(specs.runs, 'View the runs SQL'), ' · ', this.#sql(specs.edges, 'the edges SQL')),
      );
      this.dataset['panelState'] = 'node';
      this.#reveal(keyboard);
    } catch (err) {
      this.#panel(filename, h('p', {}, `Could not load the result: ${err instanceof Error ? err.message : String(err)}`));
      this.dataset['panelState'] = 'error';
    }
  }

  /** "Who already tried this technique": every agent with a result using the selected token, from techniqueAdopters. */
  async #adopters(s: State): Promise<void> {
    const box = this.querySelector<HTMLElement>('[data-adopters]');
    if (!box) return;
    if (!s.technique) {
      box.hidden = true;
      box.replaceChildren();
      return;
    }
    const token = s.technique;
    const spec = techniqueAdopters(this.#config, token);
    try {
      this.#techniques ??= await this.#query<TechniqueRow>(techniquesList({}));
      const rows = await this.#query<TechniqueAdopterRow>(spec);
      if (this.state.technique !== token) return;
      const t = this.#techniques.find((x) => x.token === token.normalize('NFKC').trim().toLowerCase());
      const c = this.#config;
      const table = h(
        'table',
        { class: 'data', 'aria-label': `Agents who used ${token}` },
        h(
          'thead',
          {},
          h('tr', {}, ...['agent', 'first result', 'first use (UTC)', 'results', `best ${c.score_label}`, 'dead ends'].map((x) => h('th', { scope: 'col' }, x))),
        ),
        h(
          'tbody',
          {},
          ...rows.map((r) =>
            h(
              'tr',
              {},
              h('td', {}, h('a', { href: agentUrl(this.#base, r.agent, this.#unpaged) }, r.agent), r.is_inventor ? ' (inventor)' : ''),
              h('td', {}, h('button', { type: 'button', class: 'linkish', 'data-open': r.first_result }, r.first_result)),
              h('td', {}, r.first_ts ? r.first_ts.slice(0, 16).replace('T', ' ') : ''),
              h('td', { class: 'num' }, String(r.results)),
              h('td', { class: 'num' }, num(r.best_score)),
              h('td', { class: 'num' }, String(r.dead_ends)),
            ),
          ),
        ),
      );
      box.replaceChildren(
        h('h2', {}, `Who already tried ${token}`),
        h(
          'p',
          {},
          t
            ? `${t.adopters} agents, ${t.results} results; first posted by ${t.inventor ?? '?'} (${t.first_result ?? '?'}); best ${num(t.best_score)} ${c.unit}; ${t.dead_end_count} dead ends. `
            : `${rows.length} agents. `,
          this.#sql(spec),
        ),
        h('div', { class: 'table-wrap' }, table),
      );
      box.hidden = false;
    } catch (e) {
      box.replaceChildren(h('p', {}, `Could not list who tried ${token}: ${e instanceof Error ? e.message : String(e)}`));
      box.hidden = false;
    }
  }
}

export function defineLineage(): void {
  if (!customElements.get('atlas-lineage')) customElements.define('atlas-lineage', AtlasLineage);
}
