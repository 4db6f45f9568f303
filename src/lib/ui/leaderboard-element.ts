// <atlas-leaderboard>: filters and a time brush over the results, run in DuckDB-WASM, state in the URL. The table is
// the leaderboard-table view (the same render as the first paint); the chart is redrawn from the same rows.
import type * as D3 from 'd3';
import { num, timeText } from '../format.ts';
import { leaderboardPoints, type BaselineRow, type LeaderboardFilters, type LeaderboardPageRow, type TimelineRow } from '../queries/leaderboard.sql.ts';
import { BROWSER_PAGE, leaderboardTable } from '../views/leaderboard-table.ts';
import { tidyChart } from '../charts/tidy.ts';
import { h } from './dom.ts';
import { ViewElement, type Panel } from './view-element.ts';

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

export class AtlasLeaderboard extends ViewElement<State> {
  protected readonly defaults = DEFAULTS;
  #baselines: BaselineRow[] = [];

  /** The table's rows under the current filters (a page of them, with the counts of all), once DuckDB-WASM has run the query. */
  get rows(): LeaderboardPageRow[] | null {
    return (this.answers[leaderboardTable.name] as LeaderboardPageRow[] | undefined) ?? null;
  }

  /** Every result under the current filters as the timeline draws it (its own query, after the table). */
  points: TimelineRow[] | null = null;

  override connectedCallback(): void {
    this.#baselines = JSON.parse(this.dataset['baselines'] ?? '[]') as BaselineRow[];
    super.connectedCallback();
  }

  protected panels(s: State): Panel[] {
    return [{ view: leaderboardTable, filters: { ...toFilters(s), limit: BROWSER_PAGE.ranked, limitUnranked: BROWSER_PAGE.unranked } } as Panel];
  }

  protected override afterRender(s: State): void {
    const rows = this.rows ?? [];
    const count = this.querySelector<HTMLElement>('[data-count]');
    if (count) count.textContent = `${num(rows[0]?.n_results ?? 0)} results`;
    const win = this.querySelector<HTMLElement>('[data-window]');
    if (win) {
      win.hidden = !(s.from || s.to);
      win.replaceChildren(`from ${s.from ? timeText(s.from) : 'the start'} to ${s.to ? timeText(s.to) : 'the end'} `);
      const clear = h('button', { type: 'button' }, 'clear time window');
      clear.addEventListener('click', () => this.set({ ...this.state, from: null, to: null }));
      win.append(clear);
    }
    const reset = this.querySelector<HTMLButtonElement>('[data-zoom-reset]');
    if (reset) {
      reset.disabled = !(s.from || s.to);
      reset.onclick = () => this.set({ ...this.state, from: null, to: null });
    }
    void this.#chart(rows, s);
  }

  /** The timeline redrawn for every result under the filters, with zoom and pan; Plot and d3 load with DuckDB, after the first paint. */
  async #chart(rows: LeaderboardPageRow[], s: State): Promise<void> {
    const fig = this.querySelector<HTMLElement>('[data-chart]');
    if (!fig) return;
    // data-chart: loading until the chart of the rows drawn is drawn too (a gesture on the old chart is lost).
    this.dataset['chart'] = 'loading';
    let loaded: [typeof import('../charts/leaderboard-timeline.ts'), typeof D3, TimelineRow[]];
    try {
      // The table is painted first: every result's points take longer (49,900 rows at scale 100).
      await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
      loaded = await Promise.all([import('../charts/leaderboard-timeline.ts'), import('d3'), this.run<TimelineRow>(leaderboardPoints(this.config, toFilters(s)))]);
    } catch (e) {
      if (rows !== this.rows) return;
      this.dataset['chart'] = 'error';
      const status = this.querySelector<HTMLElement>('[data-status]');
      if (status) status.textContent = `Could not draw the chart in your browser: ${e instanceof Error ? e.message : String(e)}. Reload the page to try again.`;
      return;
    }
    const [{ leaderboardTimeline }, d3, points] = loaded;
    // A newer state's table is drawn: its own chart follows.
    if (rows !== this.rows) return;
    this.points = points;
    const width = Math.max(320, Math.min(fig.clientWidth || 760, 1000));
    const chart = tidyChart(leaderboardTimeline(points, this.#baselines, this.config, { document, width }));
    fig.replaceChildren(chart);
    // The Plot element is the wrapper's own child (its legends hold small svg glyphs of their own).
    const plot = [...chart.children].find((c) => c.tagName.toLowerCase() === 'figure' || c.tagName.toLowerCase() === 'svg') ?? null;
    const svg = plot instanceof SVGSVGElement ? plot : plot?.querySelector<SVGSVGElement>(':scope > svg');
    if (svg && plot) this.#zoom(d3, svg, plot as unknown as PlotElement);
    this.dataset['chart'] = 'ready';
  }

  /**
   * Wheel or pinch zooms the time axis, dragging pans it; the marks follow the gesture at once, and when it pauses the
   * window goes into the URL (from, to) and the rows are queried again. The reset button clears the window.
   */
  #zoom(d3: typeof D3, svg: SVGSVGElement, plot: PlotElement): void {
    const x = plot.scale?.('x') as { domain?: Date[]; range?: number[] } | undefined;
    if (!x?.domain || !x.range) return;
    const scale = d3.scaleUtc().domain(x.domain).range(x.range);
    const marks = svg.querySelectorAll<SVGGElement>('g[aria-label="dot"], g[aria-label="line"], g[aria-label="area"], g[aria-label="rect"]');
    let timer: ReturnType<typeof setTimeout> | undefined;
    const zoom = d3
      .zoom<SVGSVGElement, unknown>()
      .scaleExtent([0.05, 500])
      .on('zoom', (event: D3.D3ZoomEvent<SVGSVGElement, unknown>) => {
        const t = event.transform;
        for (const g of marks) g.setAttribute('transform', `translate(${t.x},0) scale(${t.k},1)`);
        clearTimeout(timer);
        timer = setTimeout(() => {
          const [a, b] = t.rescaleX(scale).domain();
          if (a && b) this.set({ ...this.state, from: a.toISOString(), to: b.toISOString(), day: null });
        }, 400);
      });
    d3.select(svg).call(zoom);
  }
}

export function defineLeaderboard(): void {
  if (!customElements.get('atlas-leaderboard')) customElements.define('atlas-leaderboard', AtlasLeaderboard);
}
