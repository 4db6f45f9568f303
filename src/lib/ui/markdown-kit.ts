// The markdown kit of views that show agent-written text (board bodies, bios), loaded when one is first shown: the
// renderer (unified, ~180 kB) and the filenames and handles that exist, so bodies link only to what the site shows.
import type { QuerySpec } from '../db/connector.ts';
import { knownFiles, type KnownFileRow } from '../queries/board.sql.ts';
import type { MarkdownKit } from '../views/parts.ts';

let kit: Promise<MarkdownKit> | null = null;

/** The kit, loaded once per page; `run` is the element's cached query runner. A failed load is tried again next time. */
export function markdownKit(run: <T>(spec: QuerySpec) => Promise<T[]>): Promise<MarkdownKit> {
  kit ??= Promise.all([
    import('../markdown.ts'),
    run<KnownFileRow>(knownFiles()),
    run<{ agent_id: string }>({ tables: ['agents'], sql: 'SELECT agent_id FROM agents' }),
  ]).then(([{ renderMarkdown }, f, a]) => ({ render: renderMarkdown, files: new Set(f.map((r) => r.filename)), agents: new Set(a.map((r) => r.agent_id)) }));
  kit.catch(() => (kit = null));
  return kit;
}
