// The SQL console's quick chart panel: x, y and mark pickers filled from a result, and the chart drawn from them.
import { tidyChart } from '../charts/tidy.ts';
import { h } from '../ui/dom.ts';
import { CHART_CAP, COUNT, chartColumns, defaultChart, quickChart, type ChartMark, type ChartSpec } from './chart.ts';
import type { ConsoleResult } from './runner.ts';

const fmt = (n: number) => n.toLocaleString('en-US');

/** Where the panel reads the current result and the grid's row order. */
export interface ChartSource {
  result(): ConsoleResult | null;
  order(): Uint32Array | null;
}

export class ChartPanel {
  /** The chart picked (or guessed), or null when there is none. */
  spec: ChartSpec | null = null;

  constructor(
    private readonly root: Element,
    private readonly source: ChartSource,
  ) {}

  #q<T extends Element = HTMLElement>(sel: string): T {
    const el = this.root.querySelector<T>(sel);
    if (!el) throw new Error(`sql console: missing ${sel}`);
    return el;
  }

  /** Redraw when the panel opens or a picker changes. */
  setup(): void {
    const details = this.#q<HTMLDetailsElement>('[data-chart-panel]');
    details.addEventListener('toggle', () => details.open && this.draw());
    for (const sel of this.root.querySelectorAll<HTMLSelectElement>('[data-chart-panel] select')) {
      sel.addEventListener('change', () => {
        this.spec = {
          x: this.#q<HTMLSelectElement>('select[name="chart-x"]').value,
          y: this.#q<HTMLSelectElement>('select[name="chart-y"]').value,
          mark: this.#q<HTMLSelectElement>('select[name="chart-mark"]').value as ChartMark,
        };
        this.draw();
      });
    }
  }

  /** Fill the x and y pickers from a new result's columns, guess a chart, and draw it when the panel is open. */
  fill(r: ConsoleResult): void {
    const { x, y } = chartColumns(r.columns);
    const guess = defaultChart(r.columns);
    const fill = (name: string, cols: { name: string; type: string }[], value: string | undefined, extra: string[] = []) => {
      const sel = this.#q<HTMLSelectElement>(`select[name="${name}"]`);
      sel.replaceChildren(...extra.map((v) => h('option', { value: v }, v)), ...cols.map((c) => h('option', { value: c.name }, `${c.name} (${c.type})`)));
      if (value !== undefined) sel.value = value;
    };
    fill('chart-x', x, guess?.x);
    fill('chart-y', y, guess?.y, [COUNT]);
    if (guess) this.#q<HTMLSelectElement>('select[name="chart-mark"]').value = guess.mark;
    this.spec = guess;
    const details = this.#q<HTMLDetailsElement>('[data-chart-panel]');
    details.hidden = x.length === 0;
    if (details.open) this.draw();
  }

  /** Draw the picked columns of the result (up to CHART_CAP rows, in the grid's order), or say what is missing. */
  draw(): void {
    const r = this.source.result();
    const fig = this.#q('[data-chart]');
    const note = this.#q('[data-chart-note]');
    if (!r || !this.spec) {
      fig.replaceChildren();
      note.textContent = 'Pick the columns for x and y.';
      return;
    }
    // Only the two charted columns are converted; rows follow the table's current order.
    const n = Math.min(r.rows.length, CHART_CAP);
    const order = this.source.order();
    const xs = r.rows.column(this.spec.x);
    const ys = this.spec.y === COUNT ? null : r.rows.column(this.spec.y);
    const rows = Array.from({ length: n }, (_, k) => {
      const i = order ? order[k]! : k;
      return ys ? { [this.spec!.x]: xs[i] ?? null, [this.spec!.y]: ys[i] ?? null } : { [this.spec!.x]: xs[i] ?? null };
    });
    const width = Math.max(320, Math.min(fig.clientWidth || 760, 1100));
    try {
      fig.replaceChildren(tidyChart(quickChart(rows, r.columns, this.spec, { document, width })));
      note.textContent = r.rows.length > CHART_CAP ? `Drawn from the first ${fmt(CHART_CAP)} rows (in the table's order).` : '';
    } catch (e) {
      fig.replaceChildren();
      note.textContent = `Could not draw this chart: ${e instanceof Error ? e.message : String(e)}`;
    }
  }
}
