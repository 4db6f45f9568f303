// <atlas-noise>: bucket order and selection with the chosen bucket's runs (DuckDB-WASM), and the significance calculator; state in the URL.
import type { CollabConfig } from '../config.ts';
import { noiseStripChart, stripRowIndex } from '../charts/noise-strip.ts';
import { bucketRunsQuery, bucketStripQuery, bucketStripRunsQuery } from '../queries/noise.sql.ts';
import { resultScoreQuery, type BucketRunRow, type BucketStripRow, type ResultScoreRow, type StripRunRow } from '../queries/noise-page.sql.ts';
import type { QuerySpec } from '../db/connector.ts';
import { unpagedAgents } from './agent-links.ts';
import { consoleHref } from '../sql-text.ts';
import { compareRuns, mean, sampleSd, type Comparison, type PValues } from '../stats/significance.ts';
import { h, stripStyles } from './dom.ts';
import {
  arithmeticLines,
  fmtCount,
  fmtScore,
  fmtSig,
  isStripSort,
  parsePick,
  parseRuns,
  stripShown,
  stripStatus,
  withUnit,
  type CalcPick,
  type StripSort,
} from './noise-format.ts';
import { bucketListRows, bucketRunRows } from './noise-tables.ts';
import { readState, writeState } from './url-state.ts';

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
type Side = 'a' | 'b';

/** What one calculator side resolved to. */
interface Resolved {
  values: number[];
  /** How the side reads in the output, e.g. "result 2026…md (rapid-iguana)". */
  label: string;
  notes: string[];
}

const VERDICT_TEXT = { tie: 'Tie: inside the noise', 'likely real': 'Likely real', real: 'Real' } as const;

async function run<T>(spec: QuerySpec): Promise<T[]> {
  const { query } = await import('../db/browser.ts');
  return query<T>(spec.sql, spec.params);
}

export class AtlasNoise extends HTMLElement {
  state: State = { ...DEFAULTS };
  /** Buckets and runs as DuckDB-WASM returned them for the current order (null until loaded). */
  buckets: BucketStripRow[] | null = null;
  runs: StripRunRow[] | null = null;
  /** The last calculator comparison (tests read it). */
  comparison: Comparison | null = null;
  #config!: CollabConfig;
  #base = '/';
  #pooledSigma: number | null = null;
  #stripSeq = 0;
  #runsSeq = 0;
  #calcSeq = 0;
  #bucketRuns = new Map<string, Promise<BucketRunRow[]>>();

  connectedCallback(): void {
    this.#config = JSON.parse(this.dataset['config'] ?? '{}') as CollabConfig;
    this.#base = this.dataset['base'] ?? '/';
    const s = Number.parseFloat(this.dataset['sigma'] ?? '');
    this.#pooledSigma = Number.isFinite(s) && s > 0 ? s : null;
    this.state = this.#read();
    this.#syncForms();

    const stripForm = this.querySelector<HTMLFormElement>('form.filters');
    stripForm?.addEventListener('change', () => {
      const sort = (stripForm.elements.namedItem('sort') as HTMLSelectElement | null)?.value ?? 'sd';
      const pooled = (stripForm.elements.namedItem('pooled') as HTMLInputElement | null)?.checked ?? false;
      this.#set({ ...this.state, sort: isStripSort(sort) ? sort : 'sd', pooled });
      void this.updateStrip();
    });
    this.querySelector('[data-strip]')?.addEventListener('click', (e) => this.#chartClick(e as MouseEvent));
    const list = this.querySelector<HTMLElement>('[data-bucket-rows]');
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

    const calc = this.querySelector<HTMLFormElement>('form[data-calc]');
    calc?.addEventListener('change', (e) => this.#fromCalc(e.target as Element, true));
    calc?.addEventListener('input', (e) => {
      if ((e.target as Element).matches('input')) this.#fromCalc(e.target as Element, false);
    });
    calc?.addEventListener('reset', () =>
      setTimeout(() => {
        this.#set({ ...this.state, a: null, b: null, sigma: null });
        void this.compute();
      }),
    );

    window.addEventListener('popstate', () => {
      const before = this.state;
      this.state = this.#read();
      this.#syncForms();
      this.#markSelected();
      if (before.sort !== this.state.sort || before.pooled !== this.state.pooled || !this.buckets) void this.updateStrip();
      else this.#renderStrip();
      void this.showBucket(this.state.bucket);
      void this.compute();
    });

    void this.compute();
    if (this.state.bucket) void this.showBucket(this.state.bucket);
    // The strip is re-drawn from DuckDB-WASM when the browser is idle, at once when the URL asks for another view.
    const start = (): void => void this.updateStrip();
    if (this.state.sort !== DEFAULTS.sort || this.state.pooled || this.state.bucket) start();
    else if ('requestIdleCallback' in window) requestIdleCallback(start, { timeout: 3000 });
    else setTimeout(start, 300);
  }

  #read(): State {
    const s = readState(DEFAULTS);
    return { ...s, sort: isStripSort(s.sort) ? s.sort : DEFAULTS.sort };
  }

  #set(s: State, push = true): void {
    this.state = s;
    writeState(s, DEFAULTS, push);
  }

  // --- buckets ---

  /** Select a bucket (chart click, list button): list its runs, highlight it, remember it in the URL. */
  select(id: string | null): void {
    this.#set({ ...this.state, bucket: id });
    this.#markSelected();
    if (this.buckets) this.#renderStrip();
    else void this.updateStrip();
    void this.showBucket(id).then(() => {
      this.querySelector('[data-runs-panel]')?.scrollIntoView({ block: 'nearest' });
    });
  }

  /** Bucket ids in the order the chart and the list show them. */
  #ids(): string[] {
    return [...this.querySelectorAll<HTMLElement>('[data-bucket-rows] tr[data-bucket]')].map((tr) => tr.dataset['bucket'] ?? '');
  }

  #chartClick(e: MouseEvent): void {
    const svg = this.querySelector<SVGSVGElement>('[data-strip] svg[aria-label]');
    const ctm = svg?.getScreenCTM();
    if (!svg || !ctm || !svg.contains(e.target as Node)) return;
    const p = new DOMPoint(e.clientX, e.clientY).matrixTransform(ctm.inverse());
    const ids = this.#ids();
    const i = stripRowIndex(p.y, ids.length);
    if (i >= 0 && ids[i]) this.select(ids[i]);
  }

  #markSelected(): void {
    for (const tr of this.querySelectorAll<HTMLElement>('[data-bucket-rows] tr[data-bucket]')) {
      const on = tr.dataset['bucket'] === this.state.bucket;
      tr.classList.toggle('selected', on);
      tr.querySelector('button')?.setAttribute('aria-pressed', String(on));
    }
  }

  /** Run the strip queries for the current order in DuckDB-WASM and redraw the chart and the list. */
  async updateStrip(): Promise<void> {
    const seq = ++this.#stripSeq;
    const status = this.querySelector<HTMLElement>('[data-strip-status]');
    this.dataset['state'] = 'loading';
    if (status && !this.buckets) status.textContent = 'Loading DuckDB in your browser…';
    const spec = bucketStripQuery({ orderBy: this.state.sort as StripSort, minN: 2, pooledOnly: this.state.pooled });
    try {
      const [buckets, runs] = await Promise.all([run<BucketStripRow>(spec), this.runs ?? run<StripRunRow>(bucketStripRunsQuery({ minN: 2 }))]);
      if (seq !== this.#stripSeq) return;
      this.buckets = buckets;
      this.runs = runs;
      this.#renderStrip();
      this.querySelector('[data-bucket-rows]')?.replaceChildren(
        ...bucketListRows({ doc: document, base: this.#base, config: this.#config }, stripShown(buckets, this.state.bucket), this.state.bucket),
      );
      const link = this.querySelector<HTMLAnchorElement>('a[data-sql="strip"]');
      if (link) link.href = consoleHref(this.#base, spec);
      if (status) status.textContent = stripStatus(buckets.length, stripShown(buckets, this.state.bucket).length);
      this.dataset['state'] = 'ready';
    } catch (e) {
      if (status) status.textContent = `Could not run the query: ${e instanceof Error ? e.message : String(e)}`;
      this.dataset['state'] = 'error';
    }
  }

  #renderStrip(): void {
    const fig = this.querySelector<HTMLElement>('[data-strip]');
    if (!fig || !this.buckets || !this.runs) return;
    const width = Math.max(560, Math.min(fig.clientWidth || 1000, 1100));
    const data = { buckets: stripShown(this.buckets, this.state.bucket), runs: this.runs, sigma: this.#pooledSigma, selected: this.state.bucket };
    fig.replaceChildren(stripStyles(noiseStripChart(data, this.#config, { document, width })));
  }

  #bucketRows(id: string): Promise<BucketRunRow[]> {
    let p = this.#bucketRuns.get(id);
    if (!p) {
      p = run<BucketRunRow>(bucketRunsQuery(id));
      this.#bucketRuns.set(id, p);
      p.catch(() => this.#bucketRuns.delete(id));
    }
    return p;
  }

  /** List the runs of a bucket (bucketRunsQuery) under the chart; null hides the panel. */
  async showBucket(id: string | null): Promise<void> {
    const seq = ++this.#runsSeq;
    const panel = this.querySelector<HTMLElement>('[data-runs-panel]');
    if (!panel) return;
    if (!id) {
      panel.hidden = true;
      delete panel.dataset['bucket'];
      return;
    }
    const title = panel.querySelector<HTMLElement>('[data-runs-title]');
    const note = panel.querySelector<HTMLElement>('[data-runs-note]');
    const label =
      this.buckets?.find((b) => b.bucket_id === id)?.label ??
      this.querySelector<HTMLElement>(`[data-bucket-rows] button[data-bucket="${CSS.escape(id)}"]`)?.textContent ??
      id;
    panel.hidden = false;
    panel.dataset['state'] = 'loading';
    panel.dataset['bucket'] = id;
    if (title) title.textContent = `Runs of ${label}`;
    if (note) note.textContent = 'Loading the runs…';
    try {
      const rows = await this.#bucketRows(id);
      if (seq !== this.#runsSeq) return;
      const scores = rows.map((r) => r.score);
      const m = mean(scores);
      const unit = this.#config.unit;
      if (note) {
        note.textContent =
          rows.length === 0
            ? 'No runs: this bucket id is not in the data.'
            : `${fmtCount(rows.length)} run${rows.length === 1 ? '' : 's'} · mean ${withUnit(fmtScore(m), unit)} · sd ${fmtSig(sampleSd(scores))} · ` +
              `run dirs open their row in the SQL console, results open on the board.`;
      }
      const unpaged = await unpagedAgents(this.#base);
      this.querySelector('[data-runs-rows]')?.replaceChildren(...bucketRunRows({ doc: document, base: this.#base, config: this.#config, unpaged }, rows, m));
      const link = panel.querySelector<HTMLAnchorElement>('a[data-sql="runs"]');
      if (link) link.href = consoleHref(this.#base, bucketRunsQuery(id));
      panel.dataset['state'] = 'ready';
    } catch (e) {
      if (note) note.textContent = `Could not run the query: ${e instanceof Error ? e.message : String(e)}`;
      panel.dataset['state'] = 'error';
    }
  }

  // --- calculator ---

  #calcField<T extends HTMLInputElement | HTMLSelectElement>(name: string): T | null {
    return (this.querySelector<HTMLFormElement>('form[data-calc]')?.elements.namedItem(name) as T | null) ?? null;
  }

  #fromCalc(target: Element, push: boolean): void {
    const name = target.getAttribute('name') ?? '';
    const next = { ...this.state };
    if (name === 'sigma') {
      next.sigma = (target as HTMLInputElement).value.trim() || null;
    } else {
      const side = name.slice(0, 1) as Side;
      if (side !== 'a' && side !== 'b') return;
      const select = this.#calcField<HTMLSelectElement>(`${side}-pick`);
      const input = this.#calcField<HTMLInputElement>(`${side}-values`);
      if (name.endsWith('-values')) {
        // Typing runs switches the side to typed numbers.
        if (select) select.value = '';
        const { values } = parseRuns(input?.value ?? '');
        next[side] = values.length ? values.join(',') : null;
      } else {
        next[side] = select?.value || (parseRuns(input?.value ?? '').values.join(',') || null);
      }
    }
    // Typing replaces the history entry; a menu choice (or leaving a field) adds one.
    this.#set(next, push);
    void this.compute();
  }

  #syncForms(): void {
    const strip = this.querySelector<HTMLFormElement>('form.filters');
    if (strip) {
      const sort = strip.elements.namedItem('sort') as HTMLSelectElement | null;
      if (sort) sort.value = this.state.sort;
      const pooled = strip.elements.namedItem('pooled') as HTMLInputElement | null;
      if (pooled) pooled.checked = this.state.pooled;
    }
    for (const side of ['a', 'b'] as const) {
      const p = parsePick(this.state[side]);
      const select = this.#calcField<HTMLSelectElement>(`${side}-pick`);
      const input = this.#calcField<HTMLInputElement>(`${side}-values`);
      if (select) {
        const v = p && p.kind !== 'values' ? (this.state[side] ?? '') : '';
        // A result or bucket from a link that is not in the menu still works; show it as an option.
        if (v && ![...select.options].some((o) => o.value === v)) select.append(h('option', { value: v }, v.slice(2)));
        select.value = v;
      }
      if (input && p?.kind === 'values') {
        // Keep what the reader typed when it parses to the same numbers (spaces, trailing commas).
        if (parseRuns(input.value).values.join(',') !== p.values.join(',')) input.value = p.values.join(', ');
      } else if (input && !p) input.value = '';
    }
    const sigma = this.#calcField<HTMLInputElement>('sigma');
    if (sigma && (sigma.value.trim() || null) !== this.state.sigma) sigma.value = this.state.sigma ?? '';
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
      return {
        values: p.values,
        label: `typed runs (${p.values.length})`,
        notes: p.bad.length ? [`not a number, left out: ${p.bad.join(' ')}`] : [],
      };
    }
    if (p.kind === 'bucket') {
      const rows = await this.#bucketRows(p.id);
      const label = this.buckets?.find((b) => b.bucket_id === p.id)?.label ?? rows[0]?.run_dir ?? p.id;
      return { values: rows.map((r) => r.score), label: `bucket ${label}`, notes: rows.length ? [] : [`no bucket ${p.id}`] };
    }
    // A frontier result carries its score in the menu; any other result is looked up in DuckDB-WASM.
    const option = [...this.querySelectorAll<HTMLOptionElement>('form[data-calc] select[name="a-pick"] option')].find(
      (o) => o.value === `r:${p.filename}`,
    );
    const fromMenu = option?.dataset['score'];
    if (fromMenu !== undefined) {
      return { values: [Number(fromMenu)], label: `result ${p.filename} (${option?.dataset['label'] ?? ''})`, notes: [] };
    }
    const [row] = await run<ResultScoreRow>(resultScoreQuery(p.filename));
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
      out.dataset['state'] = 'idle';
      for (const k of ['verdict', 'method', 'stat', 'df']) delete out.dataset[k];
      out.replaceChildren(h('p', { class: 'muted' }, `Pick or type ${pa || pb ? 'the other side' : 'two sides'} to compare.`));
      return;
    }
    out.dataset['state'] = 'loading';
    let a: Resolved | null;
    let b: Resolved | null;
    try {
      [a, b] = await Promise.all([this.#resolve(pa), this.#resolve(pb)]);
    } catch (e) {
      if (seq !== this.#calcSeq) return;
      out.dataset['state'] = 'error';
      out.replaceChildren(h('p', {}, `Could not load the runs: ${e instanceof Error ? e.message : String(e)}`));
      return;
    }
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
    this.#renderComparison(out, c, a, b, sigma, source, notes);
    out.dataset['state'] = 'ready';
  }

  #renderComparison(out: HTMLElement, c: Comparison, a: Resolved, b: Resolved, sigma: number | null, source: string, notes: string[]): void {
    const unit = this.#config.unit;
    out.dataset['method'] = c.method;
    if (c.verdict) out.dataset['verdict'] = c.verdict;
    else delete out.dataset['verdict'];
    if (c.stat !== null) out.dataset['stat'] = String(c.stat);
    else delete out.dataset['stat'];
    if (c.df !== null) out.dataset['df'] = String(c.df);
    else delete out.dataset['df'];

    const head = h(
      'p',
      { class: 'verdict-line' },
      c.verdict
        ? h('span', { class: `verdict verdict-${c.verdict.replace(' ', '-')}`, 'data-verdict-text': '' }, VERDICT_TEXT[c.verdict])
        : h('span', { class: 'verdict verdict-none', 'data-verdict-text': '' }, 'No verdict'),
    );
    if (c.stat !== null) {
      const stat = c.method === 'z' ? `z = ${fmtScore(c.stat)}` : `t = ${fmtScore(c.stat)}, df ${c.df === null ? '–' : c.df.toFixed(1)}`;
      head.append(' ', h('span', { class: 'stat', 'data-stat-text': '' }, stat));
    }
    if (c.method !== 'none' && c.verdict !== 'tie' && c.diff !== null && c.diff !== 0) {
      const aBetter = this.#config.higher_is_better ? c.diff > 0 : c.diff < 0;
      head.append(` · ${aBetter ? 'A' : 'B'} is better by ${withUnit(fmtScore(Math.abs(c.diff)), unit)}`);
    }
    const parts: Node[] = [head];
    // compareRuns' sentence says why when there is no verdict; otherwise the arithmetic below says it all.
    if (c.method === 'none') parts.push(h('p', { 'data-words': '' }, c.words));
    parts.push(h('p', { class: 'muted' }, `A: ${a.label} · B: ${b.label}`));
    const lines = arithmeticLines(c, { a: a.values, b: b.values }, sigma, source, unit);
    parts.push(h('ol', { 'aria-label': 'Arithmetic' }, ...lines.map((l) => h('li', {}, l))));
    const caveats = [...a.notes.map((n) => `A: ${n}`), ...b.notes.map((n) => `B: ${n}`), ...notes, ...c.caveats];
    if (caveats.length) parts.push(h('ul', { class: 'caveats', 'aria-label': 'Caveats' }, ...caveats.map((x) => h('li', {}, x))));
    out.replaceChildren(...parts);
  }
}

export function defineNoise(): void {
  if (!customElements.get('atlas-noise')) customElements.define('atlas-noise', AtlasNoise);
}
