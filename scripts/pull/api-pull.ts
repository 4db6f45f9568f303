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
import { ExportWriter, agentFileText, boardFileText, safeName, type PartCounts } from './files.ts';
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

export async function pullApi(opts: PullOptions): Promise<PullSummary> {
  const t0 = performance.now();
  const log = opts.log ?? ((s: string) => process.stderr.write(`${s}\n`));
  const warnings: string[] = [];
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
  const limit = opts.limit ?? 200;
  const items: Record<ListingKind, number> = { messages: 0, results: 0, agents: 0 };

  // Verification states: keep what earlier runs wrote, overwrite with what this run sees.
  const vPath = join(opts.out, 'results', 'verification_status.json');
  const verification = new Map<string, string>();
  if (existsSync(vPath)) {
    try {
      const v = JSON.parse(readFileSync(vPath, 'utf8')) as unknown;
      if (isObj(v)) for (const [k, s] of Object.entries(v)) if (typeof s === 'string') verification.set(k, s);
    } catch {
      warn('results/verification_status.json was not valid JSON; it is rebuilt from this pull');
    }
  }

  const writeItem = (kind: ListingKind, item: unknown, where: string): void => {
    if (!isObj(item)) {
      warn(`${where}: item is not an object (was the listing requested with expand=true?); skipped`);
      return;
    }
    if (kind === 'agents') {
      const id = item['agent_id'];
      if (typeof id === 'string' && safeName(id) && !('frontmatter' in item)) {
        writer.write(`agents/${id}.md`, agentFileText(item));
        items.agents++;
        return;
      }
      // A file record {filename, frontmatter, body} for agents/ is accepted too (rule 7).
      const fn = typeof item['filename'] === 'string' ? item['filename'].replace(/^agents\//, '') : null;
      if (fn && safeName(fn) && isObj(item['frontmatter'])) {
        writer.write(`agents/${fn.endsWith('.md') ? fn : `${fn}.md`}`, boardFileText(item['frontmatter'], str(item['body'])));
        items.agents++;
        return;
      }
      warn(`${where}: agent item has no usable agent_id; skipped`);
      return;
    }
    const raw = item['filename'];
    const fn = typeof raw === 'string' ? raw.slice(raw.lastIndexOf('/') + 1) : null;
    if (!fn || !safeName(fn)) {
      warn(`${where}: item has no safe filename (${JSON.stringify(raw)}); skipped`);
      return;
    }
    let text: string;
    if (isObj(item['frontmatter'])) text = boardFileText(item['frontmatter'], str(item['body']));
    else if (typeof item['content'] === 'string') text = item['content'];
    else {
      warn(`${where}: ${fn} has neither frontmatter nor content; skipped`);
      return;
    }
    writer.write(`${kind === 'results' ? 'results' : 'message_board'}/${fn}`, text);
    items[kind]++;
    if (kind === 'results') {
      const v = item['verification'];
      verification.set(fn, typeof v === 'string' && v !== '' ? v : 'pending');
    }
  };

  let fatal: string | null = null;
  for (const kind of LISTINGS) {
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
        if (value.items.length > 0) writer.write(`api/${kind}-${fileSafe(after ?? 'start')}.json`, text);
        value.items.forEach((it, i) => {
          writeItem(kind, it, `${kind} page after ${after ?? 'start'} item ${i}`);
        });
        log(`${kind}: page ${page}, ${items[kind]}${total !== null ? ` of ${total}` : ''} items`);
        // A newer server may page by its top-level cursor alone.
        if (value.next === null && !value.hasNext && value.cursor !== null && value.items.length >= limit) value.next = value.cursor;
        if (value.next === null) {
          state.listings[kind] = { after, complete: true };
          // Remember the last item so the next refresh starts after it.
          const last = value.items.at(-1);
          const lastName = isObj(last) ? (last['filename'] ?? last['agent_id']) : typeof last === 'string' ? last : null;
          if (typeof lastName === 'string') state.listings[kind] = { after: lastName, complete: true };
          break;
        }
        if (seen.has(value.next)) {
          warn(`${kind}: the server returned cursor ${value.next} again; stopped this listing to avoid a loop`);
          state.listings[kind] = { after, complete: false };
          break;
        }
        seen.add(value.next);
        after = value.next;
        state.listings[kind] = { after, complete: false };
        saveState();
      }
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      fatal = `GET ${kind} failed: ${e.message}`;
      break;
    } finally {
      saveState();
    }
  }

  if (verification.size > 0) {
    const sorted = [...verification.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    writer.write('results/verification_status.json', `${JSON.stringify(Object.fromEntries(sorted), null, 2)}\n`);
  }

  if (!fatal) {
    try {
      const { value, text } = await client.getJson(client.url('v1/leaderboard'), checkLeaderboard);
      writer.write(`leaderboard/${fileSafe(value.generatedAt)}.json`, text);
      log(`leaderboard: snapshot ${value.generatedAt}`);
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      // Not every collaboration serves a leaderboard; the listings are what the ingest needs.
      if (e.status === 404) warn('the API has no /v1/leaderboard; no snapshot saved');
      else fatal = `GET leaderboard failed: ${e.message}`;
    }
  }

  // The newer template's rooms and traces (rooms-pull.ts); an older API simply lacks the endpoints.
  if (!fatal) {
    const ctx = { client, writer, limit, log, warn };
    try {
      await pullChannels(ctx);
      await pullTraces(ctx);
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      fatal = `GET channels or traces failed: ${e.message}`;
    }
  }

  const parts = Object.fromEntries([...writer.counts.entries()].filter(([p]) => p !== '(root)').sort());
  const summary: PullSummary = {
    parts,
    requests: client.stats.requests,
    retries: client.stats.retries,
    seconds: (performance.now() - t0) / 1000,
    warnings,
    items,
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

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
