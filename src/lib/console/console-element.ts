// <atlas-sql-console>: wires the editor, runner, grid, chart, downloads, history and permalinks of the SQL page.
//
// The page renders the schema browser, examples and a plain <textarea> at build time; this element swaps the
// textarea for CodeMirror and runs queries in DuckDB-WASM. A query from the URL (`?sql=` / `?z=`) is shown
// first and runs at once only when auto-run.ts calls it cheap; otherwise a prompt says why and offers Run.
import { TABLES } from '../schema/index.ts';
import { bytesText, num } from '../format.ts';
import { autoRunVerdict, type TableSize } from './auto-run.ts';
import { ChartPanel } from './chart-panel.ts';
import type { TableInfo } from './dialect.ts';
import type { SqlEditor } from './editor.ts';
import { explainError } from './errors.ts';
import { inspectValue } from './format.ts';
import type { ActiveCell, ResultGrid } from './grid.ts';
import { addToHistory, browserStorage, clearHistory, readHistory, type HistoryEntry } from './history.ts';
import { msText as ms, plural, renderHistoryList, wireSchemaFilter } from './history-list.ts';
import { queryFromSearch, searchForQuery } from './permalink.ts';
import type { ConsoleResult, FirstRows, Phase, StatementError } from './runner.ts';
import type { ResultColumn } from './format.ts';
import type { DownloadFormat } from './downloads.ts';

type State = 'idle' | 'prompt' | 'running' | 'done' | 'error' | 'cancelled';


interface PublishedTable {
  readonly name: string;
  readonly rows: number;
  readonly bytes?: number;
}

export class AtlasSqlConsole extends HTMLElement {
  editor: SqlEditor | null = null;
  result: ConsoleResult | null = null;
  #grid: ResultGrid | null = null;
  #tables: TableInfo[] = [];
  #published: PublishedTable[] = [];
  #sizes: Record<string, TableSize> = {};
  #timer: ReturnType<typeof setInterval> | null = null;
  #history: HistoryEntry[] = [];
  #store = browserStorage();
  #chartPanel = new ChartPanel(this, { result: () => this.result, order: () => this.#grid?.order ?? null });
  #lastRunSql: string | null = null;
  /** Runs started on this page (data-runs), so tests and tools can tell one run's end from the next. */
  #runs = 0;
  /** The run in progress, if any. */
  #current: Promise<void> | null = null;

  #q<T extends Element = HTMLElement>(sel: string): T {
    const el = this.querySelector<T>(sel);
    if (!el) throw new Error(`sql console: missing ${sel}`);
    return el;
  }

  async connectedCallback(): Promise<void> {
    this.#readPublished();
    const linked = queryFromSearch(location.search);
    await this.#mountEditor(linked?.sql);
    this.#wireControls();
    this.#wireBuildTimeLinks();
    this.#q('[data-history-clear]').addEventListener('click', () => {
      clearHistory(this.#store);
      this.#history = [];
      this.#renderHistory();
    });
    this.#chartPanel.setup();
    wireSchemaFilter(this);
    this.#history = readHistory(this.#store);
    this.#renderHistory();
    window.addEventListener('popstate', () => void this.#fromUrl(true));

    this.#start(linked);
  }

  /** The published tables (data-published): their sizes for auto-run, and what completion offers. */
  #readPublished(): void {
    this.#published = JSON.parse(this.dataset['published'] ?? '[]') as PublishedTable[];
    this.#sizes = Object.fromEntries(this.#published.map((t) => [t.name, t.bytes === undefined ? { rows: t.rows } : { rows: t.rows, bytes: t.bytes }]));
    const rows = new Map(this.#published.map((t) => [t.name, t.rows]));
    // Completion offers every table of the schema module that is published, plus published ones it does not describe.
    this.#tables = [
      ...TABLES.filter((d) => rows.has(d.name)).map((def) => ({ def, rows: rows.get(def.name) ?? null })),
      ...this.#published
        .filter((t) => !TABLES.some((d) => d.name === t.name))
        .map((t) => ({ def: { name: t.name, description: 'Published table (not in the schema module).', orderBy: [], columns: [] }, rows: t.rows })),
    ];
  }

  /** Swap the build-time textarea for CodeMirror, starting from the linked query, else the textarea's or starter text. */
  async #mountEditor(linkedSql: string | undefined): Promise<void> {
    const textarea = this.#q<HTMLTextAreaElement>('textarea[name="sql"]');
    const initial = linkedSql ?? (textarea.value || this.dataset['starter'] || '');
    const { createEditor } = await import('./editor.ts');
    const host = this.#q('[data-editor]');
    this.editor = createEditor(host, {
      doc: initial,
      tables: this.#tables,
      onRun: () => void this.run(),
      label: 'SQL query',
      description: 'Control+Enter (Command+Enter on a Mac) runs the query. Control+Space completes table and column names. Escape, then Tab, leaves the editor.',
      placeholder: 'SELECT … FROM results',
    });
    textarea.remove();
    host.dataset['ready'] = '';
    // The textarea the label pointed at is gone; the editor is named by its own aria-label.
    const label = this.#q('label[for="sql-input"]');
    label.removeAttribute('for');
    label.addEventListener('click', () => this.editor?.focus());
  }

  /** The form, cancel, copy-link, prompt, error and download buttons. */
  #wireControls(): void {
    this.#q('form[data-form]').addEventListener('submit', (e) => {
      e.preventDefault();
      void this.run();
    });
    this.#q('[data-cancel]').addEventListener('click', () => void this.cancel());
    this.#q('[data-copy-link]').addEventListener('click', () => void this.#copyLink());
    this.#q('[data-prompt-run]').addEventListener('click', () => void this.run());
    this.#q('[data-goto-error]').addEventListener('click', () => this.editor?.focus());
    for (const b of this.querySelectorAll<HTMLButtonElement>('[data-download]')) {
      b.addEventListener('click', () => void this.download(b.dataset['download'] as DownloadFormat, b));
    }
  }

  /** Schema browser and examples are build-time HTML; their buttons and links act on the editor here. */
  #wireBuildTimeLinks(): void {
    this.addEventListener('click', (e) => {
      const target = e.target as Element;
      const ins = target.closest<HTMLElement>('[data-insert]');
      if (ins) {
        e.preventDefault();
        this.editor?.insert(ins.dataset['insert'] ?? '');
        return;
      }
      const ex = target.closest<HTMLAnchorElement>('a[data-example]');
      if (ex && !(e as MouseEvent).ctrlKey && !(e as MouseEvent).metaKey && !(e as MouseEvent).shiftKey) {
        e.preventDefault();
        const q = queryFromSearch(new URL(ex.href).search);
        if (q) {
          this.editor?.setText(q.sql);
          void this.run();
        }
      }
    });
  }

  /** A linked query is shown (and run when cheap); otherwise wait for Run, warming DuckDB up meanwhile. */
  #start(linked: ReturnType<typeof queryFromSearch>): void {
    if (linked) {
      history.replaceState({ sql: linked.sql }, '', location.href);
      void this.#fromUrl(false);
    } else {
      this.#setState('idle');
      this.#status('Ready: press Run or Ctrl+Enter.');
      // Start DuckDB while the reader types, so the first run does not wait for it.
      const warm = () => void import('../db/browser.ts').then((m) => m.getDb()).catch(() => undefined);
      if ('requestIdleCallback' in window) requestIdleCallback(warm, { timeout: 4000 });
      else setTimeout(warm, 1000);
    }
  }

  async #fromUrl(fromHistory: boolean): Promise<void> {
    const linked = queryFromSearch(location.search);
    if (!this.editor) return;
    if (this.#current) {
      // Back or forward while a query runs: stop it, the URL now asks for something else.
      await this.cancel();
      await this.#current;
    }
    if (!linked?.sql.trim()) {
      // Back to the console's own entry (no query in the URL): the starter query, not run.
      this.editor.setText(this.dataset['starter'] ?? '');
      this.#hidePrompt();
      this.#setState('idle');
      this.#status('Ready: press Run or Ctrl+Enter.');
      return;
    }
    const sql = linked.sql;
    if (fromHistory && sql === this.editor.text() && this.#lastRunSql === sql && this.result) return;
    this.editor.setText(sql);
    const verdict = autoRunVerdict(sql, this.#sizes);
    if (verdict.run) {
      this.#hidePrompt();
      void this.run({ push: false });
    } else {
      this.#setState('prompt');
      this.#q('[data-prompt-reason]').textContent = verdict.reason;
      this.#q('[data-prompt]').hidden = false;
      this.#status('Opened from a link: the query has not run yet.');
    }
  }

  #hidePrompt(): void {
    this.#q('[data-prompt]').hidden = true;
  }

  #setState(s: State): void {
    this.dataset['state'] = s;
    const running = s === 'running';
    this.#q<HTMLButtonElement>('[data-run]').disabled = running;
    this.#q<HTMLButtonElement>('[data-prompt-run]').disabled = running;
    this.#q<HTMLButtonElement>('[data-cancel]').disabled = !running;
    this.setAttribute('aria-busy', String(running));
  }

  #status(text: string): void {
    this.#q('[data-status]').textContent = text;
  }

  /** Run the editor's query; `push` adds a history entry (false when the URL already says it). */
  run(opts: { push?: boolean } = {}): Promise<void> {
    if (this.#current) return this.#current;
    const p = this.#run(opts).finally(() => {
      if (this.#current === p) this.#current = null;
    });
    this.#current = p;
    return p;
  }

  async #run(opts: { push?: boolean }): Promise<void> {
    if (!this.editor) return;
    const sql = this.editor.text();
    if (!sql.trim()) {
      this.#status('Type a query first.');
      return;
    }
    this.#hidePrompt();
    this.#hideError();
    this.editor.clearError();
    if (opts.push !== false) this.#writeUrl(sql);
    this.dataset['runs'] = String(++this.#runs);
    this.#setState('running');
    const t0 = performance.now();
    let phaseText = 'Starting…';
    const tick = () => this.#status(`${phaseText} ${ms(performance.now() - t0)}`);
    this.#timer = setInterval(tick, 100);
    tick();
    try {
      // The grid's module with the runner's, so the first rows of a long result can be drawn as soon as they come.
      const [runner] = await Promise.all([import('./runner.ts'), this.#ensureGrid()]);
      let first: FirstRows | null = null;
      const result = await runner.runConsoleQuery(
        sql,
        (_p: Phase, detail: string) => {
          phaseText = detail;
          tick();
        },
        (rows) => {
          first = rows;
          this.#showFirstRows(rows);
          phaseText = `Showing the first ${num(rows.rows.length)} rows; reading the rest…`;
          tick();
        },
      );
      this.#stopTimer();
      this.result = result;
      this.#lastRunSql = sql;
      await this.#showResult(result, first);
      this.#setState('done');
      this.#remember({ sql, at: new Date().toISOString(), rows: result.rowCount, ms: Math.round(result.timings.total), ok: true });
    } catch (e) {
      this.#stopTimer();
      // By name, not instanceof: the runner module may be the thing that failed to load.
      const cancelled = e instanceof Error && e.name === 'CancelledError';
      const msg = e instanceof Error ? e.message : String(e);
      const stmt = e instanceof Error && e.name === 'StatementError' ? (e as StatementError).statement : null;
      this.#showError(msg, stmt ? stmt.text : sql, stmt ? stmt.start : 0);
      this.#setState(cancelled ? 'cancelled' : 'error');
      this.#status(cancelled ? `Stopped after ${ms(performance.now() - t0)}.` : `Failed after ${ms(performance.now() - t0)}.`);
      this.#remember({ sql, at: new Date().toISOString(), rows: null, ms: Math.round(performance.now() - t0), ok: false });
    }
  }

  async cancel(): Promise<void> {
    if (this.dataset['state'] !== 'running') return;
    this.#status('Stopping…');
    const { cancelConsoleQuery } = await import('./runner.ts');
    await cancelConsoleQuery();
  }

  #stopTimer(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }

  #writeUrl(sql: string): void {
    const search = searchForQuery(sql, location.search);
    if (search === location.search) return;
    history.pushState({ sql }, '', `${location.pathname}${search}${location.hash}`);
  }

  async #copyLink(): Promise<void> {
    const sql = this.editor?.text() ?? '';
    const url = new URL(`${location.pathname}${searchForQuery(sql)}`, location.href).href;
    const out = this.#q<HTMLInputElement>('[data-link-text]');
    out.value = url;
    out.hidden = false;
    try {
      await navigator.clipboard.writeText(url);
      this.#status('Link copied: it opens this query in the console.');
    } catch {
      out.select();
      this.#status('Copy the link from the box below the buttons.');
    }
  }

  #hideError(): void {
    this.#q('[data-error]').hidden = true;
  }

  #showError(message: string, stmtText: string, stmtStart: number): void {
    // The previous result would sit under a query it does not belong to.
    this.#q('[data-result]').hidden = true;
    this.result = null;
    const names = this.#published.map((t) => t.name);
    const ex = explainError(message, stmtText, names);
    const box = this.#q('[data-error]');
    this.#q('[data-error-title]').textContent = ex.title;
    this.#q('[data-error-plain]').textContent = ex.plain;
    this.#q('[data-error-detail]').textContent = ex.message;
    const goto = this.#q<HTMLButtonElement>('[data-goto-error]');
    if (ex.position && this.editor) {
      const doc = this.editor.text();
      const offset = stmtStart + ex.position.offset;
      const line = doc.slice(0, offset).split('\n').length;
      const column = offset - doc.lastIndexOf('\n', offset - 1);
      this.#q('[data-error-where]').textContent = `Line ${line}, column ${column}.`;
      this.editor.markError(offset, false);
      goto.hidden = false;
    } else {
      this.#q('[data-error-where]').textContent = '';
      goto.hidden = true;
    }
    box.hidden = false;
  }

  async #ensureGrid(): Promise<ResultGrid> {
    if (this.#grid) return this.#grid;
    const { ResultGrid } = await import('./grid.ts');
    if (!this.#grid) {
      this.#grid = new ResultGrid('Query result', (cell) => this.#inspect(cell));
      this.#q('[data-grid-host]').append(this.#grid.element);
    }
    return this.#grid;
  }

  /**
   * A long result's first batch, drawn while the rest is read: the grid, and a summary that says the read goes on.
   * Downloads and the chart wait for the whole result (#showResult), which extends this grid in place.
   */
  #showFirstRows(first: FirstRows): void {
    this.result = null;
    this.#q('[data-result]').hidden = false;
    this.#q('[data-summary]').textContent = `First ${plural(first.rows.length, 'row')} × ${plural(first.columns.length, 'column')} · reading the rest…`;
    this.#q('[data-cap-note]').hidden = true;
    this.#q('[data-chart-panel]').hidden = true;
    for (const b of this.querySelectorAll<HTMLButtonElement>('[data-download]')) b.disabled = true;
    this.#grid?.setResult(first.columns, first.rows);
    performance.mark('console_first_rows');
    this.dispatchEvent(new CustomEvent('atlas-first-rows', { detail: { rows: first.rows.length } }));
  }

  async #showResult(r: ConsoleResult, first: FirstRows | null = null): Promise<void> {
    const section = this.#q('[data-result]');
    section.hidden = false;
    for (const b of this.querySelectorAll<HTMLButtonElement>('[data-download]')) b.disabled = false;
    const t = r.timings;
    const shape = `${plural(r.rowCount, 'row')}${r.complete ? '' : '+'} × ${plural(r.columns.length, 'column')}`;
    const load = t.start + t.load > 50 ? ` · start-up and tables ${ms(t.start + t.load)}` : '';
    this.#q('[data-summary]').textContent = `${shape} · query ${ms(t.query)} · read ${ms(t.read + t.convert)}${load}`;
    const notes: string[] = [];
    if (!r.complete) notes.push(`The result has more than ${num(r.rowCount)} rows; the console kept the first ${num(r.rowCount)} (the downloads hold the same). Aggregate or add a LIMIT for the rest.`);
    if (r.rowCount > r.rows.length) notes.push(`The table shows the first ${num(r.rows.length)} rows; the downloads hold all ${num(r.rowCount)}.`);
    if (r.statements > 1) notes.push(`Ran ${r.statements} statements; this is the last one's result.`);
    const note = this.#q('[data-cap-note]');
    note.textContent = notes.join(' ');
    note.hidden = notes.length === 0;
    const grid = await this.#ensureGrid();
    // The first rows already drawn (same columns): the grid grows in place, so a reader who scrolled stays put.
    if (first && sameColumns(first.columns, r.columns)) grid.extend(r.rows);
    else grid.setResult(r.columns, r.rows);
    this.#status(`Done: ${shape} in ${ms(t.total)}.`);
    performance.mark('console_rendered');
    this.#chartPanel.spec = null;
    this.#chartPanel.fill(r);
  }

  #inspect(cell: ActiveCell | null): void {
    const where = this.#q('[data-inspect-where]');
    const value = this.#q('[data-inspect-value]');
    if (!cell) {
      where.textContent = 'No cell selected.';
      value.textContent = '';
      return;
    }
    where.textContent = `Row ${num(cell.position + 1)}, ${cell.column.name} (${cell.column.type}):`;
    value.textContent = inspectValue(cell.value);
  }

  async download(format: DownloadFormat, button: HTMLButtonElement): Promise<void> {
    const r = this.result;
    if (!r) return;
    button.disabled = true;
    const label = button.textContent;
    button.textContent = 'Preparing…';
    try {
      const { resultBlob, saveBlob } = await import('./downloads.ts');
      const blob = await resultBlob(r, format);
      const stamp = new Date().toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
      saveBlob(blob, `atlas-query-${stamp}.${format}`);
      this.#status(`Downloaded ${format.toUpperCase()}: ${plural(r.rowCount, 'row')}, ${bytesText(blob.size)}.`);
    } catch (e) {
      this.#status(`Could not write the ${format.toUpperCase()} file: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      button.disabled = false;
      button.textContent = label;
    }
  }

  #remember(entry: HistoryEntry): void {
    this.#history = addToHistory(this.#store, entry);
    this.#renderHistory();
  }

  #renderHistory(): void {
    renderHistoryList(this.#q('[data-history]'), this.#q<HTMLButtonElement>('[data-history-clear]'), this.#history, (sql) => {
      this.editor?.setText(sql);
      this.editor?.focus();
      this.#status('Restored from history: press Run (Ctrl+Enter) to run it.');
    });
  }
}

/** Same names and types in the same order (the first rows and the whole result of one statement always are). */
function sameColumns(a: readonly ResultColumn[], b: readonly ResultColumn[]): boolean {
  return a.length === b.length && a.every((c, j) => c.name === b[j]!.name && c.type === b[j]!.type);
}

export function defineSqlConsole(): void {
  if (!customElements.get('atlas-sql-console')) customElements.define('atlas-sql-console', AtlasSqlConsole);
}
