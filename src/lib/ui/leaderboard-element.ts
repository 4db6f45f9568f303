// <atlas-leaderboard>: filters and a time brush over the results, run in DuckDB-WASM, state in the URL.
import type * as D3 from 'd3';
import type { CollabConfig } from '../config.ts';
import { leaderboard, type BaselineRow, type LeaderboardFilters, type LeaderboardRow } from '../queries/leaderboard.sql.ts';
import { formatCell, sourceTitle } from '../db/format.ts';
import { consoleHref } from '../sql-text.ts';
import { readState, writeState } from './url-state.ts';
import { applyInPlace, h, stripStyles, tableRows } from './dom.ts';
import { agentUrl, focusHref } from '../links.ts';
import { unpagedAgents } from './agent-links.ts';

const DEFAULTS = { agent: null, token: null, status: null, day: null, from: null, to: null, best: false, verified: false } as {
  agent: string | null;
  token: string | null;
  status: string | null;
  day: string | null;
  from: string | null;
  to: string | null;
  best: boolean;
  verified: boolean;
};
type State = typeof DEFAULTS;

const toFilters = (s: State): LeaderboardFilters => ({
  agent: s.agent,
  token: s.token,
  status: s.status,
  day: s.day,
  from: s.from,
  to: s.to,
  bestPerAgent: s.best,
  verifiedOnly: s.verified,
});

interface PlotElement extends SVGSVGElement {
  scale(name: 'x'): { invert?: (v: number) => unknown } | undefined;
}

export class AtlasLeaderboard extends HTMLElement {
  state: State = { ...DEFAULTS };
  rows: LeaderboardRow[] | null = null;
  #config!: CollabConfig;
  #baselines: BaselineRow[] = [];
  #base = '/';
  #unpaged: ReadonlySet<string> | null = null;
  #seq = 0;
  /** Plot and d3 are loaded with DuckDB, after the first paint: the build-time chart needs neither. */
  #lib: { timeline: typeof import('../charts/leaderboard-timeline.ts')['leaderboardTimeline']; d3: typeof D3 } | null = null;

  connectedCallback(): void {
    this.#config = JSON.parse(this.dataset['config'] ?? '{}') as CollabConfig;
    this.#baselines = JSON.parse(this.dataset['baselines'] ?? '[]') as BaselineRow[];
    this.#base = this.dataset['base'] ?? '/';
    this.state = readState(DEFAULTS);
    this.#syncForm();
    const form = this.querySelector('form');
    form?.addEventListener('change', () => this.#fromForm());
    applyInPlace(form, () => this.#fromForm());
    form?.addEventListener('reset', () => setTimeout(() => this.#set({ ...DEFAULTS })));
    window.addEventListener('popstate', () => {
      this.state = readState(DEFAULTS);
      this.#syncForm();
      void this.update();
    });
    // DuckDB-WASM loads when the browser is idle (or at once if the URL asks for a filtered view).
    const start = (): void => void this.update();
    const filtered = location.search.length > 1;
    if (filtered) start();
    else if ('requestIdleCallback' in window) requestIdleCallback(start, { timeout: 3000 });
    else setTimeout(start, 300);
  }

  #fromForm(): void {
    const form = this.querySelector('form');
    if (!form) return;
    const val = (n: string): string | null => (form.elements.namedItem(n) as HTMLSelectElement | HTMLInputElement | null)?.value.trim() || null;
    const chk = (n: string): boolean => (form.elements.namedItem(n) as HTMLInputElement | null)?.checked ?? false;
    this.#set({ ...this.state, agent: val('agent'), token: val('token'), status: val('status'), day: val('day'), best: chk('best'), verified: chk('verified') });
  }

  #syncForm(): void {
    const form = this.querySelector('form');
    if (!form) return;
    for (const k of ['agent', 'token', 'status', 'day'] as const) {
      const el = form.elements.namedItem(k) as HTMLSelectElement | HTMLInputElement | null;
      if (!el) continue;
      const v = this.state[k] ?? '';
      // A value from a link that is not in the menu still filters; show it as an option. (With many agents the
      // agent filter is a text field, which takes any value.)
      if (el instanceof HTMLSelectElement && v && ![...el.options].some((o) => o.value === v)) el.append(h('option', { value: v }, v));
      el.value = v;
    }
    (form.elements.namedItem('best') as HTMLInputElement).checked = this.state.best;
    (form.elements.namedItem('verified') as HTMLInputElement).checked = this.state.verified;
  }

  #set(s: State): void {
    this.state = s;
    writeState(s, DEFAULTS);
    this.#syncForm();
    void this.update();
  }

  /** Run the leaderboard query for the current state in DuckDB-WASM and redraw. */
  async update(): Promise<void> {
    const seq = ++this.#seq;
    const status = this.querySelector<HTMLElement>('[data-count]');
    this.dataset['state'] = 'loading';
    if (status && !this.rows) status.textContent = 'Loading DuckDB in your browser…';
    const spec = leaderboard(this.#config, toFilters(this.state));
    try {
      const [{ query }, { leaderboardTimeline }, d3, unpaged] = await Promise.all([
        import('../db/browser.ts'),
        import('../charts/leaderboard-timeline.ts'),
        import('d3'),
        unpagedAgents(this.#base),
      ]);
      this.#unpaged = unpaged;
      this.#lib = { timeline: leaderboardTimeline, d3 };
      const rows = await query<LeaderboardRow>(spec.sql, spec.params);
      if (seq !== this.#seq) return;
      this.rows = rows;
      this.#render(rows);
      const link = this.querySelector<HTMLAnchorElement>('[data-sql-link]');
      if (link) link.href = consoleHref(this.#base, spec);
      this.dataset['state'] = 'ready';
    } catch (e) {
      if (status) status.textContent = `Could not run the query: ${e instanceof Error ? e.message : String(e)}`;
      this.dataset['state'] = 'error';
    }
  }

  #render(rows: LeaderboardRow[]): void {
    const count = this.querySelector<HTMLElement>('[data-count]');
    if (count) count.textContent = `${formatCell(rows.length)} results`;
    const win = this.querySelector<HTMLElement>('[data-window]');
    if (win) {
      win.hidden = !(this.state.from || this.state.to);
      win.replaceChildren(`from ${this.state.from?.slice(0, 16) ?? 'start'} to ${this.state.to?.slice(0, 16) ?? 'end'} `);
      const clear = h('button', { type: 'button' }, 'clear time window');
      clear.addEventListener('click', () => this.#set({ ...this.state, from: null, to: null }));
      win.append(clear);
    }
    const fig = this.querySelector<HTMLElement>('[data-chart]');
    const lib = this.#lib;
    if (fig && lib) {
      const width = Math.max(320, Math.min(fig.clientWidth || 760, 1000));
      const plot = stripStyles(lib.timeline(rows, this.#baselines, this.#config, { document, width }));
      fig.replaceChildren(plot);
      const svg = plot instanceof SVGSVGElement ? plot : plot.querySelector(':scope > svg');
      if (svg) this.#brush(lib.d3, svg as PlotElement, plot as unknown as PlotElement);
    }
    const more = this.querySelector('[data-more]');
    more?.remove();
    const tbody = this.querySelector('[data-rows]');
    tbody?.replaceChildren(
      ...tableRows(rows as unknown as Record<string, unknown>[], [
        { key: 'rank', label: 'rank' },
        { key: 'score', label: 'score' },
        {
          key: 'secondary',
          label: 'secondary',
          numeric: true,
          // Hover tells where the value came from (frontmatter, description, body or a linked run).
          cell: (r) => {
            const title = sourceTitle(r['secondary_source'], r['secondary_evidence'], r['value_conflicts']);
            return title ? h('span', { title }, formatCell(r['secondary'])) : formatCell(r['secondary']);
          },
        },
        { key: 'state', label: 'state', cell: (r) => h('span', { class: `state state-${String(r['state'])}` }, String(r['state'])) },
        { key: 'agent', label: 'agent', cell: (r) => (r['agent'] ? h('a', { href: agentUrl(this.#base, String(r['agent']), this.#unpaged) }, String(r['agent'])) : '') },
        { key: 'method', label: 'method', cell: (r) => h('code', {}, String(r['method'] ?? '')) },
        { key: 'ts', label: 'posted', cell: (r) => String(r['ts'] ?? '').slice(0, 16).replace('T', ' ') },
        { key: 'filename', label: 'result', cell: (r) => h('a', { href: focusHref(this.#base, String(r['filename'])) }, String(r['filename'])) },
      ]),
    );
  }

  /** A horizontal brush over the plot area; releasing it zooms into that time window. */
  #brush(d3: typeof D3, svg: SVGSVGElement, plot: PlotElement): void {
    const x = plot.scale?.('x');
    const invert = x?.invert;
    if (!invert) return;
    const height = Number(svg.getAttribute('height') ?? 360);
    const width = Number(svg.getAttribute('width') ?? 760);
    const brush = d3
      .brushX()
      .extent([
        [56, 20],
        [width - 20, height - 30],
      ])
      .on('end', (event: D3.D3BrushEvent<unknown>) => {
        const sel = event.selection as [number, number] | null;
        if (!sel) return;
        const [a, b] = sel.map((v) => invert(v) as Date);
        if (!a || !b) return;
        this.#set({ ...this.state, from: a.toISOString(), to: b.toISOString(), day: null });
      });
    const g = d3.select(svg).append('g').attr('class', 'brush').attr('aria-hidden', 'true');
    g.call(brush);
  }
}

export function defineLeaderboard(): void {
  if (!customElements.get('atlas-leaderboard')) customElements.define('atlas-leaderboard', AtlasLeaderboard);
}
