// <atlas-noise>: bucket order and selection with the chosen bucket's runs (DuckDB-WASM), and the significance calculator;
// state in the URL. The bucket list and a bucket's runs are views (views/noise-tables.ts), the same render as the first
// paint; the strip chart is redrawn from the list's rows. Every long table draws its first screen at build time;
// "Show more" draws the next rows with the same view and moves the keyboard focus to the first new one.
import { noiseStripChart, stripRowIndex } from '../charts/noise-strip.ts';
import { tidyChart } from '../charts/tidy.ts';
import { bucketRunsQuery, bucketStripQuery, bucketStripRunsQuery, tieLeaderboardQuery } from '../queries/noise.sql.ts';
import { resultScoreQuery, type BucketRunRow, type BucketStripRow, type FirstRows, type ResultScoreRow, type StripRunRow, type TieRow } from '../queries/noise-page.sql.ts';
import { compareRuns, type Comparison, type PValues } from '../stats/significance.ts';
import { noiseBias, noiseBucketList, noiseBucketRuns, noiseGaps, noiseSpreads, noiseTies } from '../views/noise-tables.ts';
import { calcChange, fillMenus, showComparison, showIdle, syncCalc, type Resolved } from './noise-calc.ts';
import { FIRST_ROWS, isStripSort, MENU_LIMIT, MORE_ROWS, parsePick, stripStatus, type CalcPick } from './noise-format.ts';
import { ViewElement, type Panel } from './view-element.ts';

/**
 * URL parameters: `sort` (sd | mean | n), `pooled` (1: only buckets in the pooled σ), `bucket` (bucket id whose runs
 * are listed), `a` and `b` (calculator sides: `r:<result filename>`, `b:<bucket id>`, or runs as `412.3,410.9`),
 * `sigma` (σ for single runs instead of the pooled one).
 */
const DEFAULTS = { sort: 'sd', pooled: false, bucket: null, a: null, b: null, sigma: null } as {
  sort: string;
  pooled: boolean;
  bucket: string | null;
  a: string | null;
  b: string | null;
  sigma: string | null;
};
type State = typeof DEFAULTS;

export class AtlasNoise extends ViewElement<State> {
  protected readonly defaults = DEFAULTS;
  /** Runs of every bucket the strip can draw, as DuckDB-WASM returned them (null until loaded). */
  runs: StripRunRow[] | null = null;
  /** The last calculator comparison (tests read it). */
  comparison: Comparison | null = null;
  #pooledSigma: number | null = null;
  #calcSeq = 0;
  /** A bucket was picked: bring its runs into view once they are drawn. */
  #reveal = false;
  /** Buckets the strip and the list draw in the current order ("Show more" adds MORE_ROWS; a new order starts again). */
  #listRows = FIRST_ROWS;
  /** After "Show more" on the bucket list: the index of the row to focus once it is drawn. */
  #focusList: number | null = null;
  /** The calculator's menus filled up to MENU_LIMIT (once). */
  #menus: Promise<void> | null = null;

  /** The buckets drawn in the current order (the first rows and the selected one), as DuckDB-WASM returned them (null until loaded). */
  get buckets(): (BucketStripRow & FirstRows)[] | null {
    return (this.answers[noiseBucketList.name] as (BucketStripRow & FirstRows)[] | undefined) ?? null;
  }

  override connectedCallback(): void {
    const s = Number.parseFloat(this.dataset['sigma'] ?? '');
    this.#pooledSigma = Number.isFinite(s) && s > 0 ? s : null;
    this.dataset['js'] = '';
    this.addEventListener('click', (e) => {
      const button = (e.target as Element | null)?.closest?.<HTMLButtonElement>('button[data-more]');
      if (button && this.contains(button)) void this.#more(button);
    });
    super.connectedCallback();
    this.querySelector('[data-strip]')?.addEventListener('click', (e) => this.#chartClick(e as MouseEvent));
    // The list's slot, not the list: the list is redrawn into it.
    const list = this.querySelector<HTMLElement>(`[data-view="${noiseBucketList.name}"]`);
    list?.addEventListener('click', (e) => {
      const btn = (e.target as Element).closest<HTMLButtonElement>('button[data-bucket]');
      if (btn?.dataset['bucket']) this.select(btn.dataset['bucket']);
    });
    // Arrow keys walk the list (Enter or Space on a button selects, as for any button).
    list?.addEventListener('keydown', (e) => {
      if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
      const buttons = [...list.querySelectorAll<HTMLButtonElement>('button[data-bucket]')];
      const i = buttons.indexOf(document.activeElement as HTMLButtonElement);
      if (i < 0) return;
      e.preventDefault();
      buttons[Math.max(0, Math.min(buttons.length - 1, i + (e.key === 'ArrowDown' ? 1 : -1)))]?.focus();
    });
    const calc = this.#calc();
    // Typing replaces the history entry; a menu choice (or leaving a field) adds one.
    const change = (target: Element, push: boolean): void => {
      const next = calc && calcChange(calc, target, this.state);
      if (next) this.set(next, push);
      void this.compute();
    };
    calc?.addEventListener('change', (e) => change(e.target as Element, true));
    calc?.addEventListener('input', (e) => (e.target as Element).matches('input') && change(e.target as Element, false));
    calc?.addEventListener('reset', () =>
      setTimeout(() => {
        this.set({ ...this.state, a: null, b: null, sigma: null });
        void this.compute();
      }),
    );
    void this.compute();
  }

  #calc(): HTMLFormElement | null {
    return this.querySelector<HTMLFormElement>('form[data-calc]');
  }

  protected override syncForm(): void {
    super.syncForm();
    const calc = this.#calc();
    if (calc) syncCalc(calc, this.state);
  }

  override set(next: State, push = true): void {
    if (next.sort !== this.state.sort || next.pooled !== this.state.pooled) this.#listRows = FIRST_ROWS;
    super.set(next, push);
  }

  protected panels(s: State): Panel[] {
    const filters = { sort: isStripSort(s.sort) ? s.sort : 'sd', pooled: s.pooled, selected: s.bucket, rows: this.#listRows };
    const list = { view: noiseBucketList, filters } as Panel;
    return s.bucket ? [list, { view: noiseBucketRuns, filters: { bucket: s.bucket } } as Panel] : [list];
  }

  /** The strip redrawn for the list's buckets, the status, the runs panel's title; the calculator follows the state. */
  protected override async afterRender(s: State): Promise<void> {
    const buckets = this.buckets ?? [];
    const status = this.querySelector<HTMLElement>('[data-strip-status]');
    if (status) status.textContent = stripStatus(buckets[0]?.total_rows ?? 0, buckets.length);
    const focus = this.#focusList;
    this.#focusList = null;
    if (focus !== null) this.#focusRow(this.querySelector(`[data-view="${noiseBucketList.name}"]`), focus);
    this.runs = await this.run<StripRunRow>(bucketStripRunsQuery({ minN: 2 }));
    const fig = this.querySelector<HTMLElement>('[data-strip]');
    if (fig && this.buckets === buckets) {
      const width = Math.max(300, Math.min(fig.clientWidth || 1000, 1100));
      const data = { buckets, runs: this.runs, sigma: this.#pooledSigma, selected: s.bucket };
      fig.replaceChildren(tidyChart(noiseStripChart(data, this.config, { document, width })));
    }
    const panel = this.querySelector<HTMLElement>('[data-runs-panel]');
    if (panel) {
      panel.hidden = !s.bucket;
      const title = panel.querySelector<HTMLElement>('[data-runs-title]');
      if (title && s.bucket) title.textContent = `Runs of ${buckets.find((b) => b.bucket_id === s.bucket)?.label ?? s.bucket}`;
      if (s.bucket) panel.dataset['bucket'] = s.bucket;
      else delete panel.dataset['bucket'];
      panel.dataset['state'] = 'ready';
      if (this.#reveal && s.bucket) panel.scrollIntoView({ block: 'nearest' });
    }
    this.#reveal = false;
    await this.#fillMenus();
    void this.compute();
  }

  /** The calculator's menus: the page lists the first entries; once DuckDB-WASM runs, up to MENU_LIMIT of each. */
  #fillMenus(): Promise<void> {
    this.#menus ??= (async () => {
      const calc = this.#calc();
      if (!calc) return;
      const [ties, buckets] = await Promise.all([
        this.run<TieRow>(tieLeaderboardQuery({ limit: MENU_LIMIT })),
        this.run<BucketStripRow>(bucketStripQuery({ orderBy: 'sd', minN: 2, limit: MENU_LIMIT })),
      ]);
      fillMenus(calc, ties, buckets);
      syncCalc(calc, this.state);
    })().catch(() => {
      this.#menus = null; // the page's own entries stay; the next redraw tries again
    });
    return this.#menus;
  }

  /** Select a bucket (chart click, list button): list its runs, highlight it, remember it in the URL. */
  select(id: string | null): void {
    this.#reveal = true;
    this.set({ ...this.state, bucket: id });
  }

  /** "Show more" under a table: its next MORE_ROWS rows, drawn by its own view; the focus moves to the first new row. */
  async #more(button: HTMLButtonElement): Promise<void> {
    const name = button.dataset['more'] ?? '';
    const slot = this.querySelector<HTMLElement>(`[data-view="${CSS.escape(name)}"]`);
    if (!slot) return;
    if (name === noiseBucketList.name) {
      // The list is a panel of the URL state: it and the strip are redrawn together, the strip from the list's rows.
      this.#focusList = this.#listRows;
      this.#listRows += MORE_ROWS;
      void this.update();
      return;
    }
    const drawn = slot.querySelectorAll('tbody tr').length;
    const note = button.parentElement?.querySelector('span');
    button.disabled = true;
    button.setAttribute('aria-busy', 'true');
    try {
      const node = await this.#drawTable(name, drawn + MORE_ROWS);
      if (!node) return;
      slot.replaceChildren(node);
      this.#focusRow(slot, drawn);
    } catch (e) {
      button.disabled = false;
      button.removeAttribute('aria-busy');
      if (note) note.textContent = `Could not run the query in your browser: ${e instanceof Error ? e.message : String(e)}.`;
    }
  }

  /** A table drawn outside the URL state, with the filters it was drawn with at build time. */
  #drawTable(name: string, rows: number): Promise<Element> | null {
    const level = Number.parseFloat(this.dataset['level'] ?? '');
    if (name === noiseSpreads.name) return this.drawView(noiseSpreads, { level: Number.isFinite(level) ? level : 0.95, rows });
    if (name === noiseBias.name) return this.drawView(noiseBias, { sigma: this.#pooledSigma, rows });
    if (name === noiseTies.name) return this.drawView(noiseTies, { rows });
    if (name === noiseGaps.name) return this.drawView(noiseGaps, { rows });
    return null;
  }

  /** The keyboard focus to a table's row: its first link or button, else the row itself. */
  #focusRow(slot: Element | null, index: number): void {
    const row = slot?.querySelectorAll<HTMLElement>('tbody tr')[index];
    if (!row) return;
    const target = row.querySelector<HTMLElement>('a[href], button') ?? row;
    if (target === row) row.tabIndex = -1;
    target.focus();
  }

  #chartClick(e: MouseEvent): void {
    // The clicked drawing: the build-time strip comes at a laptop and a phone width, one of them shown.
    const svg = (e.target as Element).closest<SVGSVGElement>('[data-strip] svg[aria-label]');
    const ctm = svg?.getScreenCTM();
    if (!svg || !ctm || !svg.contains(e.target as Node)) return;
    const p = new DOMPoint(e.clientX, e.clientY).matrixTransform(ctm.inverse());
    // Bucket ids in the order the chart and the list show them.
    const ids = [...this.querySelectorAll<HTMLElement>('[data-bucket-rows] tr[data-bucket]')].map((tr) => tr.dataset['bucket'] ?? '');
    const i = stripRowIndex(p.y, ids.length);
    if (i >= 0 && ids[i]) this.select(ids[i]);
  }

  /** σ for single runs: the reader's, when it is a positive number, else the pooled σ. */
  #sigma(): { sigma: number | null; source: string } {
    const typed = this.state.sigma === null ? Number.NaN : Number(this.state.sigma);
    if (Number.isFinite(typed) && typed > 0) return { sigma: typed, source: 'typed' };
    return { sigma: this.#pooledSigma, source: 'pooled σ' };
  }

  async #resolve(p: CalcPick): Promise<Resolved | null> {
    if (!p) return null;
    if (p.kind === 'values') {
      return { values: p.values, label: `typed runs (${p.values.length})`, notes: p.bad.length ? [`not a number, left out: ${p.bad.join(' ')}`] : [] };
    }
    if (p.kind === 'bucket') {
      const rows = await this.run<BucketRunRow>(bucketRunsQuery(p.id));
      const label = this.buckets?.find((b) => b.bucket_id === p.id)?.label ?? rows[0]?.run_dir ?? p.id;
      return { values: rows.map((r) => r.score), label: `bucket ${label}`, notes: rows.length ? [] : [`no bucket ${p.id}`] };
    }
    // A frontier result carries its score in the menu; any other result is looked up in DuckDB-WASM.
    const option = [...this.querySelectorAll<HTMLOptionElement>('form[data-calc] select[name="a-pick"] option')].find((o) => o.value === `r:${p.filename}`);
    const fromMenu = option?.dataset['score'];
    if (fromMenu !== undefined) return { values: [Number(fromMenu)], label: `result ${p.filename} (${option?.dataset['label'] ?? ''})`, notes: [] };
    const [row] = await this.run<ResultScoreRow>(resultScoreQuery(p.filename));
    if (!row) return { values: [], label: `result ${p.filename}`, notes: [`no result ${p.filename}`] };
    return { values: row.score === null ? [] : [row.score], label: `result ${p.filename} (${row.agent ?? ''})`, notes: [] };
  }

  /** Compare the two sides with compareRuns and show the verdict and the arithmetic. */
  async compute(): Promise<void> {
    const seq = ++this.#calcSeq;
    const out = this.querySelector<HTMLElement>('[data-calc-out]');
    if (!out) return;
    const pa = parsePick(this.state.a);
    const pb = parsePick(this.state.b);
    if (!pa || !pb) {
      this.comparison = null;
      showIdle(out, Boolean(pa || pb));
      return;
    }
    out.dataset['state'] = 'loading';
    let sides: [Resolved | null, Resolved | null];
    try {
      sides = await Promise.all([this.#resolve(pa), this.#resolve(pb)]);
    } catch (e) {
      if (seq !== this.#calcSeq) return;
      out.dataset['state'] = 'error';
      out.replaceChildren(`Could not load the runs: ${e instanceof Error ? e.message : String(e)}`);
      return;
    }
    const [a, b] = sides;
    if (seq !== this.#calcSeq || !a || !b) return;
    const { sigma, source } = this.#sigma();
    const notes = this.state.sigma !== null && source !== 'typed' ? [`σ “${this.state.sigma}” is not a positive number: the pooled σ is used`] : [];
    // The p-value's distribution code (@stdlib) loads on the first comparison, not with the page.
    let pValues: PValues | undefined;
    try {
      pValues = (await import('../stats/p-values.ts')).P_VALUES;
    } catch {
      pValues = undefined; // the verdict stands without a p-value; the arithmetic then omits it
    }
    if (seq !== this.#calcSeq) return;
    const c = compareRuns(a.values, b.values, { sigma, pValues });
    this.comparison = c;
    showComparison(out, c, { a, b, sigma, source, notes }, this.config);
  }
}

export function defineNoise(): void {
  if (!customElements.get('atlas-noise')) customElements.define('atlas-noise', AtlasNoise);
}
