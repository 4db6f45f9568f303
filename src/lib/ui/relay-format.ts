// Text for relay headers and steps, shared by the relays page (build time) and <atlas-relays> (browser): no DOM, no HTML.
import type { CollabConfig } from '../config.ts';
import { formatCell } from '../db/format.ts';
import type { RelayChainFilters, RelayChainQueryRow } from '../queries/relays.sql.ts';

export const KIND_LABEL: Record<string, string> = {
  chain: 'chain',
  handoff: 'hand-off',
  staged: 'staged hand-off',
};
export const SOURCE_LABEL: Record<string, string> = {
  board: 'board links',
  'credit-bracket': 'credit bracket',
};

export const kindLabel = (k: string): string => KIND_LABEL[k] ?? k;
export const sourceLabel = (s: string): string => SOURCE_LABEL[s] ?? s;

/** A score rounded to 2 decimals with the configured unit, e.g. `453.67 tok/s`; empty for null. */
export function scoreText(v: number | null, config: Pick<CollabConfig, 'unit'>): string {
  if (v === null || !Number.isFinite(v)) return '';
  return `${formatCell(Math.round(v * 100) / 100)} ${config.unit}`.trim();
}

/** A gain with its sign (positive = better in the configured direction), e.g. `+12.5 tok/s`. */
export function gainText(v: number | null, config: Pick<CollabConfig, 'unit'>): string {
  if (v === null || !Number.isFinite(v)) return '';
  const r = Math.round(v * 100) / 100;
  return `${r > 0 ? '+' : r < 0 ? '−' : '±'}${formatCell(Math.abs(r))} ${config.unit}`.trim();
}

/** `2026-06-13 02:38` from an ISO time; empty for null. */
export const timeText = (ts: string | null): string => (ts ? ts.slice(0, 16).replace('T', ' ') : '');

/** `Jun 13 02:38 → 09:28 UTC`-style span of a relay (same day shown once); empty for undated brackets. */
export function spanText(c: Pick<RelayChainQueryRow, 'start_ts' | 'end_ts'>): string {
  if (!c.start_ts || !c.end_ts) return '';
  const a = timeText(c.start_ts);
  const b = timeText(c.end_ts);
  return `${a} → ${a.slice(0, 10) === b.slice(0, 10) ? b.slice(11) : b} UTC`;
}

/** The relay's label: its title (untrusted text, shown as text), else its id. */
export const chainTitle = (c: Pick<RelayChainQueryRow, 'title' | 'chain_id'>): string => c.title?.trim() || c.chain_id;

/**
 * Ranks of other listed relays with the same outcome result: a credit bracket and the board links often find the
 * same relay, and the list says so instead of hiding either.
 */
export function twinRanks(c: RelayChainQueryRow, rows: readonly RelayChainQueryRow[]): number[] {
  if (!c.outcome_result) return [];
  return rows.filter((o) => o.outcome_result === c.outcome_result && o.chain_id !== c.chain_id && o.source !== c.source).map((o) => o.rank);
}

/** One-line facts under a relay's title: kind, source, agents and steps, time span, the same relay found the other way. */
export function chainFacts(c: RelayChainQueryRow, twins: readonly number[] = []): string {
  return [
    kindLabel(c.kind),
    sourceLabel(c.source),
    `${c.n_agents} agents, ${c.length} steps`,
    spanText(c),
    twins.length ? `same outcome as ${twins.map((r) => `#${r}`).join(', ')} (found from ${c.source === 'board' ? 'a credit bracket' : 'board links'})` : '',
  ]
    .filter(Boolean)
    .join(' · ');
}

/** The page's view state in the URL (`?chain=&kind=&source=&agent=`); defaults are left out of links. */
export const RELAY_DEFAULTS = { chain: null, kind: 'chain', source: null, agent: null } as {
  /** The relay shown in the panel (relay_chains.chain_id). */
  chain: string | null;
  /** chain | handoff | staged | all */
  kind: string | null;
  /** board | credit-bracket; null for both. */
  source: string | null;
  agent: string | null;
};
export type RelayState = typeof RELAY_DEFAULTS;

/** The builder's filters for a state: kind `all` (or empty) means every kind. */
export const relayFilters = (s: RelayState): RelayChainFilters => ({
  kind: s.kind && s.kind !== 'all' ? s.kind : null,
  source: s.source,
  agent: s.agent,
});

