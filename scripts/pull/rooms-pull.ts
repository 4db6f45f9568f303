// Pull the newer template's rooms and traces through its API into the export layout (channels/, traces/).
//
// Rules:
// - GET /v1/channels lists the channels ({name, ...} summaries, or names); GET /v1/channels/<name> gives the README
//   record ({readme: {frontmatter, body}} or {frontmatter, body}) and the members ([{handle|agent_id, subscribed,
//   notify}] or handles); GET /v1/channels/<name>/messages pages the channel's messages like /v1/messages.
// - GET /v1/traces pages the trace summaries ({agent, session_id, path}); GET /v1/traces/<agent>/<session> gives the
//   manifest record ({frontmatter, body}), written to traces/<agent>/<session>/manifest.md. Native logs of full
//   traces are not fetched (they can be large; the manifest's figures are what the site shows).
// - An API without these endpoints (404: an older collaboration) is skipped with a log line, not a warning.
// - Listings may carry a top-level `cursor` and a `watch` block (newer servers): `next` pages as before; `cursor` is
//   used only when `next` is absent from the response, and `watch` (long-poll hints) is not needed for a pull.
import { ApiError, type ApiClient } from './http.ts';
import { boardFileText, safeName, type ExportWriter } from './files.ts';
import { checkListing } from './api-pull.ts';

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const s = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

export interface RoomsPullContext {
  client: ApiClient;
  writer: ExportWriter;
  limit: number;
  log: (line: string) => void;
  warn: (line: string) => void;
}

/** Every page of a listing endpoint (expand=true, ascending, by `next` or else `cursor`), items in order. */
async function* pages(ctx: RoomsPullContext, path: string): AsyncGenerator<unknown[]> {
  let after: string | null = null;
  const seen = new Set<string>();
  for (;;) {
    const { value }: { value: Exclude<ReturnType<typeof checkListing>, string> } = await ctx.client.getJson(ctx.client.url(path, { expand: true, order: 'asc', limit: ctx.limit, after }), checkListing);
    yield value.items;
    const next: string | null = value.next ?? (value.hasNext ? null : value.cursor);
    if (next === null || value.items.length === 0 || seen.has(next)) return;
    seen.add(next);
    after = next;
  }
}

/** Runs `fn`, turning a 404 (an older API without the endpoint) into false. */
async function ifServed(ctx: RoomsPullContext, what: string, fn: () => Promise<void>): Promise<boolean> {
  try {
    await fn();
    return true;
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) {
      ctx.log(`${what}: not served by this API (an older collaboration); skipped`);
      return false;
    }
    throw e;
  }
}

export async function pullChannels(ctx: RoomsPullContext): Promise<number> {
  const names: string[] = [];
  const served = await ifServed(ctx, 'channels', async () => {
    for await (const items of pages(ctx, 'v1/channels')) {
      for (const it of items) {
        const name = isObj(it) ? s(it['name']) : s(it);
        if (name && safeName(name)) names.push(name);
        else ctx.warn(`channels: item without a usable name (${JSON.stringify(it).slice(0, 80)}); skipped`);
      }
    }
  });
  if (!served) return 0;
  let files = 0;
  for (const name of names) {
    const { value: detail } = await ctx.client.getJson(ctx.client.url(`v1/channels/${encodeURIComponent(name)}`), (v) => (isObj(v) ? v : 'expected a channel object'));
    const readme = isObj(detail['readme']) ? detail['readme'] : detail;
    if (isObj(readme['frontmatter'])) {
      ctx.writer.write(`channels/${name}/README.md`, boardFileText(readme['frontmatter'], s(readme['body']) ?? ''));
      files++;
    } else ctx.warn(`channels/${name}: no README record in the channel detail; README not written`);
    const members = Array.isArray(detail['members']) ? detail['members'] : [];
    for (const m of members) {
      const handle = isObj(m) ? (s(m['handle']) ?? s(m['agent_id'])) : s(m);
      if (!handle || !safeName(handle)) continue;
      const fm: Record<string, unknown> = {};
      if (isObj(m) && m['subscribed'] !== undefined && m['subscribed'] !== null) fm['subscribed'] = m['subscribed'];
      if (isObj(m) && m['notify'] !== undefined && m['notify'] !== null) fm['notify'] = m['notify'];
      ctx.writer.write(`channels/${name}/members/${handle}.md`, boardFileText(fm, ''));
      files++;
    }
    for await (const items of pages(ctx, `v1/channels/${encodeURIComponent(name)}/messages`)) {
      for (const it of items) {
        const fn = isObj(it) ? s(it['filename'])?.replace(/^.*\//, '') : null;
        if (!fn || !safeName(fn) || !isObj(it) || !isObj(it['frontmatter'])) {
          ctx.warn(`channels/${name}: message item without a filename and frontmatter; skipped`);
          continue;
        }
        ctx.writer.write(`channels/${name}/${fn}`, boardFileText(it['frontmatter'], s(it['body']) ?? ''));
        files++;
      }
    }
    ctx.log(`channels: #${name} pulled`);
  }
  return files;
}

export async function pullTraces(ctx: RoomsPullContext): Promise<number> {
  const ids: Array<[string, string]> = [];
  const served = await ifServed(ctx, 'traces', async () => {
    for await (const items of pages(ctx, 'v1/traces')) {
      for (const it of items) {
        // Expanded: {agent, session_id, path: traces/<agent>/<session>/}; else "<agent>/<session>".
        const path = isObj(it) ? s(it['path']) : null;
        const [agent, session] = path ? path.replace(/^traces\//, '').split('/') : (s(it)?.split('/') ?? []);
        const a = agent ?? (isObj(it) ? s(it['agent']) : null);
        const sess = session || (isObj(it) ? s(it['session_id']) : null);
        if (a && sess && safeName(a) && safeName(sess)) ids.push([a, sess]);
        else ctx.warn(`traces: item without a usable agent and session (${JSON.stringify(it).slice(0, 80)}); skipped`);
      }
    }
  });
  if (!served) return 0;
  let files = 0;
  for (const [agent, session] of ids) {
    const { value: rec } = await ctx.client.getJson(ctx.client.url(`v1/traces/${encodeURIComponent(agent)}/${encodeURIComponent(session)}`), (v) =>
      isObj(v) && isObj(v['frontmatter']) ? v : 'expected a trace record {frontmatter, body}',
    );
    ctx.writer.write(`traces/${agent}/${session}/manifest.md`, boardFileText(rec['frontmatter'] as Record<string, unknown>, s(rec['body']) ?? ''));
    files++;
  }
  if (ids.length) ctx.log(`traces: ${ids.length} manifests pulled`);
  return files;
}
