// Text and URL state for relay headers and steps, shared by the relays views, page and element: no DOM, no HTML.
import type { CollabConfig } from '../config.ts';
import { minuteText, num, plural, signed } from '../format.ts';
import { relaysHref } from '../links.ts';
import { classifyGain, NO_TIE, type GainClass } from '../ties.ts';
import type { RelayChainFilters, RelayChainQueryRow } from '../queries/relays.sql.ts';
import { stateSearch } from './url-state.ts';

export const KIND_LABEL: Record<string, string> = {
  chain: 'chain',
  handoff: 'hand-off',
  staged: 'staged hand-off',
};
export const SOURCE_LABEL: Record<string, string> = {
  board: 'board links',
  'credit-bracket': 'credit bracket',
};

/** What the outcome was (relay_chains.outcome_kind, rule 9 of the relays derivation), in words. */
export const OUTCOME_LABEL: Record<string, string> = {
  record: 'shipped a new record',
  'within-noise': 'level with the board, within noise',
  reproduction: 'a reproduction, below the board',
  'own-line': 'improved on its own line, below the board',
  'below-board': 'did not beat the board',
  failed: 'a failed attempt',
  'no-result': 'ended without a posted result',
  'first-result': 'the first result on the board',
};
export const outcomeLabel = (k: string): string => OUTCOME_LABEL[k] ?? k;

export const kindLabel = (k: string): string => KIND_LABEL[k] ?? k;
export const sourceLabel = (s: string): string => SOURCE_LABEL[s] ?? s;

/** A score rounded to 2 decimals with the configured unit, e.g. `453.67 tok/s`; empty for null. */
export function scoreText(v: number | null, config: Pick<CollabConfig, 'unit'>): string {
  if (v === null || !Number.isFinite(v)) return '';
  return `${num(Math.round(v * 100) / 100)} ${config.unit}`.trim();
}

/** A gain with its sign (positive = better in the configured direction), e.g. `+12.5 tok/s`. */
export function gainText(v: number | null, config: Pick<CollabConfig, 'unit'>): string {
  if (v === null || !Number.isFinite(v)) return '';
  const r = Math.round(v * 100) / 100;
  return `${r === 0 ? '±' : ''}${signed(r)} ${config.unit}`.trim();
}

/** A gain with its unit, and `, within noise` when its class says so (ties.ts classifyGain, stored as gain_class). */
export function classedGain(v: number | null, cls: string | null, config: Pick<CollabConfig, 'unit'>): string {
  const g = gainText(v, config);
  return g && cls === 'within' ? `${g}, within noise` : g;
}

/** The outcome's margin over the board when posted, classed like a gain (the one tie definition, ties.ts). */
export const marginClass = (margin: number | null, threshold: number | null): GainClass | null =>
  margin === null ? null : classifyGain(margin, { ...NO_TIE, threshold });

/** `Jun 13 02:38 → 09:28 UTC`-style span of a relay (same day shown once); empty for undated brackets. */
export function spanText(c: Pick<RelayChainQueryRow, 'start_ts' | 'end_ts'>): string {
  if (!c.start_ts || !c.end_ts) return '';
  const a = minuteText(c.start_ts);
  const b = minuteText(c.end_ts);
  return `${a} → ${a.slice(0, 10) === b.slice(0, 10) ? b.slice(11) : b} UTC`;
}

/** The relay's label: its title (untrusted text, shown as text), else its id. */
export const chainTitle = (c: Pick<RelayChainQueryRow, 'title' | 'chain_id'>): string => c.title?.trim() || c.chain_id;

/** `found from board links and a credit bracket`: every source of a relay (sources are board first). */
export const foundFrom = (sources: readonly string[]): string =>
  `found from ${sources.map((s) => (s === 'credit-bracket' ? 'a credit bracket' : sourceLabel(s))).join(' and ')}`;

/** One-line facts under a relay's title: kind, how it was found, agents and steps, time span. */
export function chainFacts(c: RelayChainQueryRow): string {
  return [kindLabel(c.kind), foundFrom(c.sources?.length ? c.sources : [c.source]), `${plural(c.n_agents, 'agent')}, ${plural(c.length, 'step')}`, spanText(c)]
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


/**
 * The page in a state, for links on the page itself that open a relay, close it, or filter by an agent (the element
 * follows them in place): the query string alone, relative to the page, or the page's path for the default view.
 */
export const relayHref = (base: string, s: RelayState): string => stateSearch(s, RELAY_DEFAULTS) || relaysHref(base, '');

/** `12 chains`, `3 hand-offs`, `40 relays` (kind all). */
export const relayCount = (n: number, s: RelayState): string => {
  const kind = relayFilters(s).kind;
  return `${num(n)} ${kind ? `${kindLabel(kind)}s` : 'relays'}`;
};
