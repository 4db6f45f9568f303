// Loaded by the base layout on every page: once the first paint is done and the browser is idle, fetch and compile
// DuckDB-WASM and parquet-wasm (src/lib/db/browser.ts `warm`), so the first query, whenever it comes, finds them
// ready instead of starting them. Skipped when the reader asked to save data (Save-Data); the first query then starts them.
import { afterFirstPaint } from '../ui/after-paint.ts';

const saveData = (navigator as Navigator & { connection?: { saveData?: boolean } }).connection?.saveData === true;

const start = (): void => void import('./browser.ts').then((m) => m.warm()).catch(() => undefined);

if (!saveData) {
  // The first idle moment after the first paint, at most 1.5 s later.
  afterFirstPaint(() => ('requestIdleCallback' in window ? requestIdleCallback(start, { timeout: 1500 }) : start()));
}
