// Which agents get a static page: the most active ones up to ATLAS_MAX_AGENT_PAGES, the rest a client-side panel.
//
// A collaboration with tens of thousands of handles would otherwise mean as many HTML files. Pages are generated
// for the first ATLAS_MAX_AGENT_PAGES (default 3000) agents by activity (messages + results + canonical runs,
// ties by handle: agentSummaries' activity_rank) whose handle can be a folder name (PAGE_SAFE_ID). The agents index
// lists everyone; agents without a page link to `agents/?agent=<id>`, where the browser renders the same figures
// with DuckDB-WASM. `agents/?agent=<id>` for an agent with a page redirects to `agents/<id>/`.
import { minuteText } from './board-format.ts';
import type { CollabConfig } from './config.ts';
import { formatCell } from './db/format.ts';
import { PAGE_SAFE_ID } from './links.ts';
import type { AgentSummaryRow } from './queries/agents.sql.ts';

export const DEFAULT_MAX_AGENT_PAGES = 3000;

/** The page cap from the environment (a non-negative integer), else the default. */
export function maxAgentPages(env: Record<string, string | undefined> = process.env): number {
  const raw = env['ATLAS_MAX_AGENT_PAGES'];
  const n = raw === undefined || raw.trim() === '' ? NaN : Number(raw);
  return Number.isInteger(n) && n >= 0 ? n : DEFAULT_MAX_AGENT_PAGES;
}

/** True when the agent gets a static page. */
export const hasAgentPage = (row: { agent_id: string; activity_rank: number }, max: number): boolean =>
  row.activity_rank <= max && PAGE_SAFE_ID.test(row.agent_id);

/** The headline figures of an agent page (and of the client-side panel), as shown: one place for labels and formats. */
export function agentFigures(
  s: AgentSummaryRow,
  c: Pick<CollabConfig, 'score_label' | 'unit'>,
  /** Counts the export cannot supply (no board messages: src/lib/coverage.ts) show as unknown, not 0. */
  unknown: { messages?: boolean } = {},
): { key: string; label: string; value: string; when?: boolean }[] {
  const score = (v: number | null): string => (v === null ? '–' : formatCell(v));
  return [
    { key: 'messages', label: 'board messages', value: unknown.messages ? 'unknown' : formatCell(s.messages) },
    { key: 'results', label: 'posted results', value: formatCell(s.results) },
    { key: 'best_score', label: `best ${c.score_label} (${c.unit}), valid or pending`, value: score(s.best_score) },
    { key: 'best_valid', label: `best verified ${c.score_label} (${c.unit})`, value: score(s.best_valid) },
    { key: 'runs', label: 'benchmark runs', value: formatCell(s.runs) },
    { key: 'first_ts', label: 'first activity (UTC)', value: s.first_ts ? minuteText(s.first_ts) : '–', when: true },
    { key: 'last_ts', label: 'last activity (UTC)', value: s.last_ts ? minuteText(s.last_ts) : '–', when: true },
  ];
}

export const DEFAULT_AGENT_TABLE_LIMIT = 150;

/** How many handles the agents index lists at build time (the rest load on request): ATLAS_AGENT_TABLE_LIMIT, default 150 (a real challenge of ~120 agents lists them all). */
export function agentTableLimit(env: Record<string, string | undefined> = process.env): number {
  return envLimit(env, 'ATLAS_AGENT_TABLE_LIMIT', DEFAULT_AGENT_TABLE_LIMIT);
}

export const DEFAULT_FACET_MENU_LIMIT = 300;

/**
 * Up to how many values a page filter is a menu; beyond, a text field suggesting that many of the most frequent:
 * ATLAS_FACET_MENU_LIMIT, default 300.
 */
export function facetMenuLimit(env: Record<string, string | undefined> = process.env): number {
  return envLimit(env, 'ATLAS_FACET_MENU_LIMIT', DEFAULT_FACET_MENU_LIMIT);
}

/** A positive whole number from the environment, else the default. */
function envLimit(env: Record<string, string | undefined>, name: string, fallback: number): number {
  const raw = env[name];
  const n = raw === undefined || raw.trim() === '' ? Number.NaN : Number(raw);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}
