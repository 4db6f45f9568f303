// Saved API listings (expand=true pages): two overlapping message pages, a results page and the agents listing.
import type { Roster } from './agents.ts';
import type { ApiRecord } from './board.ts';
import type { Sink } from './sink.ts';
import { minuteStamp } from './time.ts';
import type { MsgSpec, ResultRec } from './types.ts';

export const PAGE = 200;
export const OVERLAP = 5;

/** Board filenames the message pages will hold: newest first, page 2 overlapping page 1 by a few items. */
export function messagePages(specs: readonly MsgSpec[]): string[][] {
  const desc = specs.filter((s) => !s.inboxOnly).map((s) => s.filename).sort().reverse();
  const p1 = desc.slice(0, PAGE);
  const p2 = desc.slice(Math.max(0, PAGE - OVERLAP), 2 * PAGE - OVERLAP);
  return [p1, p2];
}

function listing(count: number, items: unknown[], next: string | null): string {
  return JSON.stringify({ count, matched: count, items, next }, null, 2);
}

export function writeApi(
  sink: Sink,
  roster: Roster,
  specs: readonly MsgSpec[],
  results: readonly ResultRec[],
  api: ReadonlyMap<string, ApiRecord>,
): string[] {
  const files: string[] = [];
  const boardCount = specs.filter((s) => !s.inboxOnly).length;
  const pages = messagePages(specs);
  const desc = specs.filter((s) => !s.inboxOnly).map((s) => s.filename).sort().reverse();
  pages.forEach((names, i) => {
    const items = names.map((n) => api.get(n)).filter((x): x is ApiRecord => !!x);
    const last = names[names.length - 1] ?? null;
    const more = last !== null && desc.indexOf(last) < desc.length - 1;
    const file = `api/messages-page-${i + 1}.json`;
    sink.write(file, listing(boardCount, items, more ? last : null));
    files.push(file);
  });

  const newest = results.slice().sort((a, b) => (a.filename < b.filename ? 1 : -1)).slice(0, 100);
  const resultItems = newest.map((r) => {
    const rec = api.get(r.filename);
    return { filename: r.filename, frontmatter: rec?.frontmatter ?? {}, body: rec?.body ?? '', verification: r.verification };
  });
  const lastResult = newest[newest.length - 1]?.filename ?? null;
  sink.write('api/results-page-1.json', listing(results.length, resultItems, results.length > 100 ? lastResult : null));
  files.push('api/results-page-1.json');

  const registered = roster.all.filter((a) => a.registered && (a.hasFile || a.apiOnly)).sort((a, b) => (a.id < b.id ? -1 : 1));
  const page = registered.slice(0, PAGE).map((a) => ({
    agent_id: a.id,
    hf_user: a.hfUser,
    model: a.model,
    harness: a.harness,
    tools: a.tools,
    agent_bucket: a.bucket,
    joined: minuteStamp(a.joinedMs),
    bio: a.bio,
  }));
  sink.write('api/agents.json', listing(registered.length, page, registered.length > PAGE ? (page[page.length - 1]?.agent_id ?? null) : null));
  files.push('api/agents.json');
  return files;
}
