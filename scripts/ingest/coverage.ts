// Coverage of an export folder: which parts of the layout it has and how many files each gave (for manifest.json),
// and the check that refuses a folder that is not an export at all (the wrong folder passed as --source).
//
// Rules:
// 1. A part is present when it gave at least one file, or when its folder exists and is empty (an export of a
//    collaboration with, say, no taskforces yet may carry an empty taskforces/): then its zero is a real zero.
// 2. A source folder is the wrong folder when it has files, some of them outside the export layout, and not one in
//    a data part (board, results, verification, agents, inbox, taskforces, runs, leaderboards, documents under
//    shared_resources/, API pages); a README.md or collab-atlas.json alone does not make a folder an export. An
//    empty folder, or any subset of parts, stays valid.
// 3. For the wrong folder, the subfolders that do look like an export (files in a layout part below them) are
//    suggested, most files first.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { EXPORT_PARTS, type Coverage, type ExportPart } from '../../src/lib/coverage.ts';
import { partOf, type InputFile, type Part } from './source.ts';

/** The layout parts (scripts/ingest/source.ts) each coverage part counts, and the folders whose existence marks it. */
const LAYOUT: Record<ExportPart, { parts: readonly Part[]; folders: readonly string[] }> = {
  // Channel messages and broadcasts are board messages in the newer template's layout.
  board: { parts: ['message_board', 'channels', 'broadcasts'], folders: ['message_board', 'channels', 'broadcasts'] },
  results: { parts: ['results'], folders: ['results'] },
  verification: { parts: ['verification'], folders: [] },
  agents: { parts: ['agents'], folders: ['agents'] },
  inbox: { parts: ['inbox'], folders: ['inbox'] },
  taskforces: { parts: ['taskforces'], folders: ['taskforces'] },
  runs: { parts: ['runs'], folders: ['runs'] },
  leaderboards: { parts: ['leaderboard'], folders: ['leaderboard'] },
  documents: { parts: ['shared_resources', 'readme'], folders: ['shared_resources'] },
  api: { parts: ['api'], folders: ['api'] },
};

/** Parts that are data (rule 2): everything but the configuration, the top README and unknown files. */
const DATA_PARTS: ReadonlySet<Part> = new Set(['message_board', 'results', 'verification', 'agents', 'inbox', 'taskforces', 'channels', 'broadcasts', 'traces', 'runs', 'leaderboard', 'api', 'shared_resources']);

/** Top-level folder names of the layout, to spot an export one or more levels down. */
const LAYOUT_FOLDERS: ReadonlySet<string> = new Set(['message_board', 'results', 'agents', 'inbox', 'taskforces', 'channels', 'broadcasts', 'traces', 'runs', 'leaderboard', 'api', 'shared_resources']);

const isEmptyDir = (p: string): boolean => {
  try {
    return statSync(p).isDirectory() && readdirSync(p).length === 0;
  } catch {
    return false;
  }
};

/** Rows that came from saved API pages, per table (they stand in for board, results and agents files). */
export interface ApiRowSource {
  messages: readonly { source_part: string | null }[];
  results: readonly { source_part: string | null }[];
  agents: readonly { source_part: string | null }[];
}

/** Which parts the export has and how many files each gave (rule 1). */
export function exportCoverage(root: string, files: readonly InputFile[], tables: ApiRowSource): Coverage {
  const perLayoutPart = new Map<Part, number>();
  for (const f of files) {
    const p = partOf(f.rel);
    perLayoutPart.set(p, (perLayoutPart.get(p) ?? 0) + 1);
  }
  const parts = {} as Coverage['parts'];
  for (const part of EXPORT_PARTS) {
    const { parts: layoutParts, folders } = LAYOUT[part];
    const n = layoutParts.reduce((s, p) => s + (perLayoutPart.get(p) ?? 0), 0);
    parts[part] = { present: n > 0 || folders.some((d) => isEmptyDir(join(root, d))), files: n };
  }
  const fromApi = (rows: readonly { source_part: string | null }[]): number => rows.filter((r) => r.source_part === 'api').length;
  return { parts, api_rows: { messages: fromApi(tables.messages), results: fromApi(tables.results), agents: fromApi(tables.agents) } };
}

/** A subfolder that looks like an export, with how many of its files are in layout parts. */
export interface ExportCandidate {
  dir: string;
  files: number;
}

/** Subfolders holding layout parts (rule 3), most files first, then by name. */
export function exportCandidates(files: readonly InputFile[]): ExportCandidate[] {
  const counts = new Map<string, number>();
  for (const f of files) {
    const segs = f.rel.split('/');
    for (let i = 1; i < segs.length - 1; i++) {
      if (!LAYOUT_FOLDERS.has(segs[i]!)) continue;
      if (!DATA_PARTS.has(partOf(segs.slice(i).join('/')))) continue;
      const dir = segs.slice(0, i).join('/');
      counts.set(dir, (counts.get(dir) ?? 0) + 1);
      break;
    }
  }
  return [...counts].map(([dir, n]) => ({ dir, files: n })).sort((a, b) => b.files - a.files || (a.dir < b.dir ? -1 : a.dir > b.dir ? 1 : 0));
}

/**
 * Why `files` (listed from the folder given as `source`) is not an export (rule 2), with the subfolders to pass
 * instead; null when it is one. `source` is shown as the reader typed it.
 */
export function notAnExport(source: string, files: readonly InputFile[]): string | null {
  if (files.length === 0) return null;
  let unknown = 0;
  for (const f of files) {
    const p = partOf(f.rel);
    if (DATA_PARTS.has(p)) return null;
    if (p === 'unknown') unknown++;
  }
  if (unknown === 0) return null;
  const n = (k: number, noun: string): string => `${k.toLocaleString('en-US')} ${noun}${k === 1 ? '' : 's'}`;
  const candidates = exportCandidates(files).slice(0, 3);
  const sep = source.endsWith('/') ? '' : '/';
  const hint = candidates.length
    ? ` It looks like the export is in ${candidates.map((c) => `${source}${sep}${c.dir} (${n(c.files, 'file')} in the layout)`).join(', ')}: pass --source ${source}${sep}${candidates[0]!.dir}.`
    : ' Pass the folder that holds message_board/, results/, runs/, leaderboard/ and the other parts (see the README).';
  return (
    `${source} is not an export folder: none of its ${n(files.length, 'file')} is in a part of the export layout ` +
    `(message_board/, results/, agents/, inbox/, taskforces/, runs/, leaderboard/, api/, shared_resources/), so the site would be empty.${hint}`
  );
}
