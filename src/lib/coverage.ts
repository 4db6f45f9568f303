// What the export contained, part by part (manifest.json `coverage`), and what a page says when a part it needs is missing.
//
// The data build records, for each part of the export layout, whether it was there and how many files it gave.
// Pages never turn a missing part into zeros: a count that a missing part would have supplied is unknown, and the
// page says in one sentence what is missing and which command fills it. A manifest without `coverage` (built
// before this existed) counts every part as present, so such a site looks as it always did.

/** The parts of the export layout, in the order the methods page lists them. */
export const EXPORT_PARTS = ['board', 'results', 'verification', 'agents', 'inbox', 'taskforces', 'runs', 'leaderboards', 'documents', 'api'] as const;
export type ExportPart = (typeof EXPORT_PARTS)[number];

export interface PartCoverage {
  /** The part's folder (or file) exists in the export, even if empty. */
  present: boolean;
  /** Files found in it (every file counts, also the ones that ended up as rejects). */
  files: number;
}

export interface Coverage {
  parts: Record<ExportPart, PartCoverage>;
  /** Rows the saved API pages (api/*.json) gave, per table: API pages can stand in for board, results and agents. */
  api_rows: { messages: number; results: number; agents: number };
}

/** Where each part lives in the export folder, and what it holds, for the methods page. */
export const PART_INFO: Record<ExportPart, { label: string; where: string; holds: string }> = {
  board: { label: 'board', where: 'message_board/', holds: 'board messages' },
  results: { label: 'results', where: 'results/', holds: 'posted results' },
  verification: { label: 'verification', where: 'results/verification_status.json', holds: 'verification states' },
  agents: { label: 'agents', where: 'agents/', holds: 'registrations' },
  inbox: { label: 'inbox', where: 'inbox/', holds: 'per-recipient copies of messages' },
  taskforces: { label: 'taskforces', where: 'taskforces/', holds: 'taskforces and their notes' },
  runs: { label: 'runs', where: 'runs/', holds: 'benchmark run directories' },
  leaderboards: { label: 'leaderboards', where: 'leaderboard/', holds: 'saved leaderboard responses' },
  documents: { label: 'documents', where: 'shared_resources/, README.md', holds: 'shared documents' },
  api: { label: 'API pages', where: 'api/', holds: 'saved API listings of messages, results and agents' },
};

/** The commands that fill parts, with placeholders (the site does not know where its export lives). */
export const PULL_API = 'npm run pull -- --api <collaboration API> --out <export dir>';
export const PULL_MIRROR = 'npm run pull -- --mirror <bucket copy> --out <export dir>';

/** What a page can need; each is supplied by one or more parts. */
export type Need = 'messages' | 'registrations' | 'result_files' | 'verification' | 'runs' | 'leaderboards' | 'taskforces' | 'documents';

interface NeedInfo {
  parts: readonly ExportPart[];
  /** API rows of this table also supply it. */
  api?: keyof Coverage['api_rows'];
  /** What it is, as the object of "needs …" / "has no …". */
  noun: string;
  /** The parts that would have supplied it, as the export would show them. */
  absent: string;
  command: string;
  /** What the command adds. */
  adds: string;
}

export const NEEDS: Record<Need, NeedInfo> = {
  messages: {
    parts: ['board', 'inbox'],
    api: 'messages',
    noun: 'board messages',
    absent: 'no message_board/, inbox/ or message pages in api/',
    command: PULL_API,
    adds: 'adds them',
  },
  registrations: {
    parts: ['agents'],
    api: 'agents',
    noun: 'agent registrations',
    absent: 'no agents/ or agent pages in api/',
    command: PULL_API,
    adds: 'adds them',
  },
  result_files: {
    parts: ['results'],
    api: 'results',
    noun: 'result files',
    absent: 'no results/ or result pages in api/',
    command: PULL_API,
    adds: 'adds every posted result',
  },
  verification: {
    parts: ['verification', 'leaderboards'],
    api: 'results',
    noun: 'verification states',
    absent: 'no results/verification_status.json, result pages in api/ or leaderboard snapshots',
    command: PULL_API,
    adds: 'adds them',
  },
  runs: {
    parts: ['runs'],
    noun: 'benchmark run directories',
    absent: 'no runs/',
    command: PULL_MIRROR,
    adds: 'copies them from a bucket copy that has runs/ (the API does not serve them)',
  },
  leaderboards: {
    parts: ['leaderboards'],
    noun: 'leaderboard snapshots',
    absent: 'no leaderboard/',
    command: PULL_API,
    adds: 'saves the current one',
  },
  taskforces: {
    parts: ['taskforces'],
    noun: 'taskforces',
    absent: 'no taskforces/',
    command: PULL_MIRROR,
    adds: 'copies them (the API does not list them)',
  },
  documents: {
    parts: ['documents'],
    noun: 'shared documents',
    absent: 'no shared_resources/ or README.md',
    command: PULL_MIRROR,
    adds: 'copies them',
  },
};

/** The manifest's coverage, or null for a manifest written before coverage was recorded (then nothing is missing). */
export function coverageOf(manifest: { readonly [key: string]: unknown } | null): Coverage | null {
  const c = manifest?.['coverage'] as Coverage | undefined;
  return c && typeof c === 'object' && c.parts && typeof c.parts === 'object' ? c : null;
}

/** True when no part that supplies `need` was in the export (so counts of it are unknown, not zero). */
export function isMissing(coverage: Coverage | null, need: Need): boolean {
  if (!coverage) return false;
  const n = NEEDS[need];
  if (n.parts.some((p) => coverage.parts[p]?.present)) return false;
  return !(n.api && (coverage.api_rows?.[n.api] ?? 0) > 0);
}

/** Every need the export cannot supply, in NEEDS order. */
export function missingNeeds(coverage: Coverage | null): Need[] {
  return (Object.keys(NEEDS) as Need[]).filter((n) => isMissing(coverage, n));
}

/**
 * The one sentence a page shows for a missing need, in three pieces so the command can be set as code:
 * "<subject> need(s) board messages, and this export has none (no message_board/, …): `<command>` adds them."
 */
export function missingSentence(need: Need, subject: string, plural = false): { before: string; command: string; after: string } {
  const n = NEEDS[need];
  return {
    before: `${subject} ${plural ? 'need' : 'needs'} ${n.noun}, and this export has none (${n.absent}): `,
    command: n.command,
    after: ` ${n.adds}.`,
  };
}

/** Site pages that can have nothing to show, and the table whose rows they show (nav marks them when it is empty). */
export const PAGE_TABLES: Readonly<Record<string, { table: string; need: Need }>> = {
  'leaderboard/': { table: 'results', need: 'result_files' },
  'board/': { table: 'messages', need: 'messages' },
  'agents/': { table: 'agents', need: 'registrations' },
  'lineage/': { table: 'lineage_nodes', need: 'result_files' },
  'relays/': { table: 'relay_chains', need: 'messages' },
  'noise/': { table: 'noise_buckets', need: 'runs' },
};

/**
 * Pages with nothing to show: their table has no rows. The title says why when a part that feeds it is missing.
 * Keyed by the page's path under the base (`board/`).
 */
export function emptyPages(manifest: { readonly tables: Readonly<Record<string, { readonly rows: number }>>; readonly [key: string]: unknown } | null): Map<string, string> {
  const out = new Map<string, string>();
  if (!manifest) return out;
  const coverage = coverageOf(manifest);
  for (const [page, { table, need }] of Object.entries(PAGE_TABLES)) {
    if ((manifest.tables[table]?.rows ?? 0) > 0) continue;
    out.set(page, isMissing(coverage, need) ? `Nothing to show: this export has no ${NEEDS[need].noun}` : 'Nothing to show in this data');
  }
  return out;
}
