// DuckDB's worker, started as soon as the first paint is done (src/lib/db/warm.ts), before the browser connector's
// chunk has loaded: its 0.8 MB script is fetched and evaluated off the main thread meanwhile, and
// src/lib/db/browser.ts takes that worker when the database opens.
//
// Measured and left out: fetching DuckDB's wasm into the HTTP cache from the page before the worker asks for it
// (`fetch(wasm, { priority: 'low' })` when the layout's script runs). The worker's request joined that download (one
// response from the server), but the download ended no sooner: it starts only ~5 ms before the worker's own request
// would, and its speed is set by decompressing and compiling, not by when it starts (README, Site).
import ehWasmUrl from '@duckdb/duckdb-wasm/dist/duckdb-eh.wasm?url';
import ehWorkerUrl from '@duckdb/duckdb-wasm/dist/duckdb-browser-eh.worker.js?url';

export const absolute = (url: string): string => new URL(url, location.href).href;

export const duckdbWasmUrl = (): string => absolute(ehWasmUrl);

let early: Worker | undefined;

/** Start DuckDB's worker now, before anything asks for the database. */
export function startWorker(): void {
  early ??= new Worker(absolute(ehWorkerUrl));
}

/** The worker started early, or a new one; each worker is handed out once. */
export function takeWorker(): Worker {
  const w = early ?? new Worker(absolute(ehWorkerUrl));
  early = undefined;
  return w;
}
