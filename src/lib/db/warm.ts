// Loaded by the base layout on every page: once the first paint is done, start DuckDB's worker (src/lib/db/early.ts)
// and, as soon as the browser connector's chunk is there, open the database in it (src/lib/db/browser.ts `warm`), so
// the first query, whenever it comes, finds DuckDB-WASM fetched and compiled instead of starting it. No idle wait: the
// worker's download, compile and start run off the main thread. Skipped when the reader asked to save data
// (Save-Data); the first query then starts them.
import { afterFirstPaint } from '../ui/after-paint.ts';
import { startWorker } from './early.ts';

const saveData = (navigator as Navigator & { connection?: { saveData?: boolean } }).connection?.saveData === true;

if (!saveData) {
  afterFirstPaint(() => {
    startWorker();
    void import('./browser.ts').then((m) => m.warm()).catch(() => undefined);
  });
}
