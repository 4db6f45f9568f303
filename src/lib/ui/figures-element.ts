// <atlas-figures>: re-runs each headline figure's SQL in DuckDB-WASM when the browser is idle and marks it checked.
import type { Param } from '../db/connector.ts';

interface FigureSpec {
  key: string;
  sql: string;
  params: Param[];
  expected: unknown;
}

export class AtlasFigures extends HTMLElement {
  /** Values DuckDB-WASM computed, keyed by figure (for tests and curious readers). */
  result: Record<string, unknown> = {};

  connectedCallback(): void {
    const start = (): void => void this.run();
    if ('requestIdleCallback' in window) requestIdleCallback(start, { timeout: 3000 });
    else setTimeout(start, 300);
  }

  async run(): Promise<void> {
    const specs = JSON.parse(this.dataset['figures'] ?? '[]') as FigureSpec[];
    const status = this.querySelector<HTMLElement>('[data-check-status]');
    this.dataset['state'] = 'running';
    try {
      const { query } = await import('../db/browser.ts');
      let same = 0;
      for (const f of specs) {
        const rows = await query<{ value: unknown }>(f.sql, f.params);
        const v = rows[0]?.value ?? null;
        this.result[f.key] = v;
        const ok = JSON.stringify(v) === JSON.stringify(f.expected);
        if (ok) same++;
        const li = this.querySelector<HTMLElement>(`[data-figure="${CSS.escape(f.key)}"]`);
        if (li) li.dataset['checked'] = ok ? 'same' : 'different';
      }
      if (status) {
        status.textContent =
          same === specs.length
            ? `All ${specs.length} figures recomputed in your browser with DuckDB-WASM: identical.`
            : `${specs.length - same} of ${specs.length} figures differ when recomputed in your browser.`;
      }
      this.dataset['state'] = same === specs.length ? 'done' : 'mismatch';
    } catch (e) {
      if (status) status.textContent = `Could not recompute in your browser: ${e instanceof Error ? e.message : String(e)}`;
      this.dataset['state'] = 'error';
    }
  }
}

export function defineFigures(): void {
  if (!customElements.get('atlas-figures')) customElements.define('atlas-figures', AtlasFigures);
}
