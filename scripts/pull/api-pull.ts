// Pull a live collaboration through its API into the export layout the ingest reads (data-formats "export layout", rule 7).
//
// Rules:
// - Listings are read with expand=true&order=asc&limit=<n> and `after=<cursor>` until `next` is null.
// - Each page is saved raw under api/<kind>-<cursor>.json; each item becomes a file: message_board/<filename>,
//   results/<filename>, agents/<agent_id>.md. The filename is the key: identical content is skipped.
// - Verification states of expanded results are merged into results/verification_status.json.
// - The state file <out>/.pull-state.json keeps the last cursor per listing. An interrupted listing resumes there.
//   After a complete run messages continue from their cursor (board files are immutable and names grow in
//   ascending order); results and agents are listed again from the start, since verification states and
//   registrations change in place.
// - A cursor seen before stops that listing with a warning instead of looping.
// - Newer servers add a top-level `cursor` and a `watch` block: checked for shape, and `cursor` pages only when a
//   response has no `next` key. Channels and traces are pulled after the listings (rooms-pull.ts).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApiClient, ApiError, type ClientOptions } from './http.ts';
import { ExportWriter, type PartCounts } from './files.ts';
import { readVerification, writeItem, writeVerification, type ItemSink } from './listing-items.ts';
import { pullChannels, pullTraces } from './rooms-pull.ts';

export type ListingKind = 'messages' | 'results' | 'agents';
export const LISTINGS: readonly ListingKind[] = ['messages', 'results', 'agents'];

export interface PullOptions extends Omit<ClientOptions, 'base'> {
  api: string;
  out: string;
  limit?: number;
  log?: (line: string) => void;
}

export interface PullSummary {
  parts: Record<string, PartCounts>;
  requests: number;
  retries: number;
  seconds: number;
  warnings: string[];
  items: Record<ListingKind, number>;
}

interface ListingState {
  after: string | null;
  complete: boolean;
}
export interface PullState {
  version: 1;
  api: string;
  listings: Partial<Record<ListingKind, ListingState>>;
}

export const STATE_FILE = '.pull-state.json';

interface Listing {
  count: number | null;
  items: unknown[];
  next: string | null;
  /** Newer servers: a top-level resume cursor (used to page only when `next` is absent) and a `watch` block. */
  cursor: string | null;
  /** True when the response carried a `next` key at all (null included). */
  hasNext: boolean;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `{count, matched, items, next}`: items must be a list, next a string or null. */
export function checkListing(v: unknown): Listing | string {
  if (!isObj(v)) return 'expected a {count, matched, items, next} object';
  if (!Array.isArray(v['items'])) return 'items is not a list';
  const next = v['next'];
  if (next !== null && next !== undefined && typeof next !== 'string') return 'next is neither a string nor null';
  const cursor = v['cursor'];
  if (cursor !== null && cursor !== undefined && typeof cursor !== 'string') return 'cursor is neither a string nor null';
  if (v['watch'] !== undefined && v['watch'] !== null && !isObj(v['watch'])) return 'watch is not an object';
  return {
    count: typeof v['count'] === 'number' ? v['count'] : null,
    items: v['items'],
    next: typeof next === 'string' && next !== '' ? next : null,
    cursor: typeof cursor === 'string' && cursor !== '' ? cursor : null,
    hasNext: 'next' in v,
  };
}

export function checkLeaderboard(v: unknown): { generatedAt: string } | string {
  if (!isObj(v) || !Array.isArray(v['rows'])) return 'expected a {rows, meta} object';
  const meta = v['meta'];
  const g = isObj(meta) ? meta['generated_at'] : undefined;
  if (typeof g !== 'string' || Number.isNaN(Date.parse(g))) return 'meta.generated_at is missing or not a timestamp';
  return { generatedAt: g };
}

/** Cursors and timestamps as file-name parts: only [A-Za-z0-9._-], so names are portable (no ':' on Windows or in CI artifacts). */
export const fileSafe = (s: string): string => s.replace(/[^A-Za-z0-9._-]/g, '-');

export function readState(out: string, api: string): PullState {
  const p = join(out, STATE_FILE);
  if (existsSync(p)) {
    try {
      const v = JSON.parse(readFileSync(p, 'utf8')) as PullState;
      if (v.version === 1 && isObj(v.listings) && v.api === api) return v;
    } catch {
      // A damaged state file only costs a full re-list.
    }
  }
  return { version: 1, api, listings: {} };
}

/** What each step of a pull shares: the client, the files written and counted, the cursors and the log. */
interface PullContext extends ItemSink {
  client: ApiClient;
  state: PullState;
  saveState: () => void;
  limit: number;
  log: (s: string) => void;
}

/** The item name a listing's last item leaves as the cursor for the next refresh, when it has one. */
function lastItemName(items: readonly unknown[]): string | null {
  const last = items.at(-1);
  const lastName = isObj(last) ? (last['filename'] ?? last['agent_id']) : typeof last === 'string' ? last : null;
  return typeof lastName === 'string' ? lastName : null;
}

/**
 * One listing, page by page from its resume cursor until `next` is null (or a cursor repeats), saving the state
 * after each page. An API failure ends the pull: its reason is returned.
 */
async function pullListing(ctx: PullContext, kind: ListingKind): Promise<string | null> {
  const { client, state, limit, log } = ctx;
  const prev = state.listings[kind];
  const resume = prev && (!prev.complete || kind === 'messages') ? prev.after : null;
  let after = resume;
  const seen = new Set<string>(after ? [after] : []);
  let page = 0;
  let total: number | null = null;
  state.listings[kind] = { after, complete: false };
  if (resume) log(`${kind}: resuming after ${resume}`);
  try {
    for (;;) {
      const url = client.url(`v1/${kind}`, { expand: true, order: 'asc', limit, after });
      const { value, text } = await client.getJson(url, checkListing);
      page++;
      total = value.count ?? total;
      // An empty page (nothing new since the cursor) holds nothing the ingest could use.
      if (value.items.length > 0) ctx.writer.write(`api/${kind}-${fileSafe(after ?? 'start')}.json`, text);
      value.items.forEach((it, i) => {
        writeItem(ctx, kind, it, `${kind} page after ${after ?? 'start'} item ${i}`);
      });
      log(`${kind}: page ${page}, ${ctx.items[kind]}${total !== null ? ` of ${total}` : ''} items`);
      // A newer server may page by its top-level cursor alone.
      if (value.next === null && !value.hasNext && value.cursor !== null && value.items.length >= limit) value.next = value.cursor;
      if (value.next === null) {
        // Remember the last item so the next refresh starts after it.
        state.listings[kind] = { after: lastItemName(value.items) ?? after, complete: true };
        return null;
      }
      if (seen.has(value.next)) {
        ctx.warn(`${kind}: the server returned cursor ${value.next} again; stopped this listing to avoid a loop`);
        state.listings[kind] = { after, complete: false };
        return null;
      }
      seen.add(value.next);
      after = value.next;
      state.listings[kind] = { after, complete: false };
      ctx.saveState();
    }
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    return `GET ${kind} failed: ${e.message}`;
  } finally {
    ctx.saveState();
  }
}

/** The current leaderboard snapshot; a 404 is only a warning (not every collaboration serves one). */
async function pullLeaderboard(ctx: PullContext): Promise<string | null> {
  try {
    const { value, text } = await ctx.client.getJson(ctx.client.url('v1/leaderboard'), checkLeaderboard);
    ctx.writer.write(`leaderboard/${fileSafe(value.generatedAt)}.json`, text);
    ctx.log(`leaderboard: snapshot ${value.generatedAt}`);
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    if (e.status === 404) ctx.warn('the API has no /v1/leaderboard; no snapshot saved');
    else return `GET leaderboard failed: ${e.message}`;
  }
  return null;
}

/** The newer template's rooms and traces (rooms-pull.ts); an older API simply lacks the endpoints. */
async function pullRooms(ctx: PullContext): Promise<string | null> {
  try {
    await pullChannels(ctx);
    await pullTraces(ctx);
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    return `GET channels or traces failed: ${e.message}`;
  }
  return null;
}

/** The client, the writer, the saved cursors and earlier verification states, with the log and warnings wired up. */
function openPull(opts: PullOptions, warnings: string[]): PullContext {
  const log = opts.log ?? ((s: string) => process.stderr.write(`${s}\n`));
  const warn = (s: string): void => {
    warnings.push(s);
    log(`warning: ${s}`);
  };
  const client = new ApiClient({
    ...opts,
    base: opts.api,
    onRetry: (r) => {
      log(`retry ${r.attempt} in ${r.delayMs} ms: ${r.reason} (${r.url})`);
      opts.onRetry?.(r);
    },
  });
  const writer = new ExportWriter(opts.out);
  const state = readState(opts.out, opts.api);
  const saveState = (): void => {
    writer.write(STATE_FILE, `${JSON.stringify(state, null, 2)}\n`);
  };
  const items: Record<ListingKind, number> = { messages: 0, results: 0, agents: 0 };
  // Verification states: keep what earlier runs wrote, overwrite with what this run sees.
  const verification = readVerification(opts.out, warn);
  return { client, writer, state, saveState, limit: opts.limit ?? 200, log, warn, items, verification };
}

export async function pullApi(opts: PullOptions): Promise<PullSummary> {
  const t0 = performance.now();
  const warnings: string[] = [];
  const ctx = openPull(opts, warnings);
  let fatal: string | null = null;
  for (const kind of LISTINGS) {
    fatal = await pullListing(ctx, kind);
    if (fatal) break;
  }
  writeVerification(ctx);
  if (!fatal) fatal = await pullLeaderboard(ctx);
  if (!fatal) fatal = await pullRooms(ctx);

  const parts = Object.fromEntries([...ctx.writer.counts.entries()].filter(([p]) => p !== '(root)').sort());
  const summary: PullSummary = {
    parts,
    requests: ctx.client.stats.requests,
    retries: ctx.client.stats.retries,
    seconds: (performance.now() - t0) / 1000,
    warnings,
    items: ctx.items,
  };
  if (fatal) throw new PullError(`The API at ${opts.api} is unusable: ${fatal}; files pulled so far are kept and the next run resumes.`, summary);
  return summary;
}

export class PullError extends Error {
  constructor(
    message: string,
    readonly summary: PullSummary,
  ) {
    super(message);
  }
}

