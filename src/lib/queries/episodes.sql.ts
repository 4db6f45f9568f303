// SQL for the interactions (episodes derivation): cards with their evidence, filter facets, the overview's
// moments, and what each agent did for the community. Reader-chosen values are bound as `?` parameters.
import type { Param, QuerySpec } from '../db/connector.ts';
import { EPISODE_KINDS } from '../schema/episodes.ts';

export interface EpisodeFilters {
  kind: string | null;
  agent: string | null;
}

/** One evidence row with its episode's columns (an episode without evidence cannot occur: rule 10). */
export interface EpisodeCardRow {
  episode_id: string;
  kind: string;
  title: string;
  started_at: string | null;
  ended_at: string | null;
  agents: string[];
  outcome: string;
  rule: string;
  confidence: number;
  /** The episode's place in its kind under the filters (1 = earliest), and how many its kind has under them. */
  kind_rank: number;
  kind_total: number;
  file: string;
  role: string;
  agent: string | null;
  ts: string | null;
  snippet: string;
}

/** Cards drawn per kind at first (the build-time first screen) and how many more "Show more" adds. */
export const FIRST_CARDS = 10;
export const MORE_CARDS = 40;
/** A kind with at most this many cards draws them all: a button for the last few would cost more than it saves. */
export const ALL_CARDS_UP_TO = 15;

/** How many cards of each kind to draw, and a card to draw whatever its place (a link's anchor, `ep-…`). */
export interface EpisodeShown {
  /** Per kind; a kind not listed draws FIRST_CARDS. */
  perKind?: Readonly<Record<string, number>> | undefined;
  anchor?: string | null | undefined;
}

const kindOrder = `list_position([${EPISODE_KINDS.map((k) => `'${k}'`).join(', ')}], e.kind)`;
/** The card's anchor id, as links.ts episodeAnchor() writes it. */
export const ANCHOR_SQL = `'ep-' || regexp_replace(e.episode_id, '[^A-Za-z0-9_-]', '-', 'g')`;

function where(f: EpisodeFilters): { sql: string; params: Param[] } {
  const parts: string[] = [];
  const params: Param[] = [];
  if (f.kind) {
    parts.push('e.kind = ?');
    params.push(f.kind);
  }
  if (f.agent) {
    parts.push('list_contains(e.agents, ?)');
    params.push(f.agent);
  }
  return { sql: parts.length ? `WHERE ${parts.join(' AND ')}` : '', params };
}

/** The number of cards drawn of the row's kind: `CASE e.kind WHEN ? THEN ? … ELSE ? END`, values bound. */
function limitOf(shown: EpisodeShown): { sql: string; params: Param[] } {
  const entries = Object.entries(shown.perKind ?? {}).filter(([, n]) => Number.isInteger(n) && n > FIRST_CARDS);
  if (!entries.length) return { sql: '?', params: [FIRST_CARDS] };
  return { sql: `CASE e.kind ${entries.map(() => 'WHEN ? THEN ?').join(' ')} ELSE ? END`, params: [...entries.flat(), FIRST_CARDS] };
}

/**
 * Episodes under the filters with their evidence in time order (untimed last); themes' kind order, then start time.
 * Only the first cards of each kind (FIRST_CARDS, or as many as `shown` asks; all of a kind with at most ALL_CARDS_UP_TO),
 * and every card up to the anchored one,
 * so a link to a card further down its kind opens with the cards before it; each row says its card's place and its
 * kind's total.
 */
export function episodeCards(f: EpisodeFilters, shown: EpisodeShown = {}): QuerySpec {
  const w = where(f);
  const limit = limitOf(shown);
  return {
    tables: ['episodes', 'episode_evidence'],
    params: [...w.params, shown.anchor ?? null, ...limit.params],
    sql: `WITH ranked AS (
  SELECT e.*, CAST(row_number() OVER (PARTITION BY e.kind ORDER BY e.started_at NULLS LAST, e.episode_id) AS INTEGER) AS kind_rank,
    CAST(count(*) OVER (PARTITION BY e.kind) AS INTEGER) AS kind_total
  FROM episodes e
  ${w.sql}
), shown AS (
  SELECT e.*, max(CASE WHEN ${ANCHOR_SQL} = ? THEN e.kind_rank END) OVER (PARTITION BY e.kind) AS anchor_rank FROM ranked e
)
SELECT e.episode_id, e.kind, e.title, e.started_at, e.ended_at, e.agents, e.outcome, e.rule, e.confidence, e.kind_rank, e.kind_total,
  v.file, v.role, v.agent, v.ts, v.snippet
FROM shown e JOIN episode_evidence v ON v.episode_id = e.episode_id
WHERE e.kind_rank <= greatest(CASE WHEN e.kind_total <= ${ALL_CARDS_UP_TO} THEN e.kind_total ELSE ${limit.sql} END, coalesce(e.anchor_rank, 0))
ORDER BY ${kindOrder}, e.kind_rank, v.ts NULLS LAST, v.file`,
  };
}

export interface EpisodeFacetRow {
  facet: 'kind' | 'agent';
  value: string;
  n: number;
}

/** Episodes per kind and per agent (for the filter menus). */
export function episodeFacets(): QuerySpec {
  return {
    tables: ['episodes'],
    sql: `SELECT 'kind' AS facet, kind AS value, CAST(count(*) AS INTEGER) AS n FROM episodes GROUP BY kind
UNION ALL
SELECT 'agent' AS facet, a AS value, CAST(count(*) AS INTEGER) AS n FROM (SELECT unnest(agents) AS a FROM episodes) GROUP BY a
ORDER BY facet, value`,
  };
}

export interface EpisodeMomentRow {
  ts: string;
  kind: string;
  title: string;
  episode_id: string;
  /** Site-relative link to the card: `interactions/#<anchor>` (prefix the site base). */
  link: string;
}

/** Episodes with a start time, as moments for the overview's timeline (untimed ones, documents alone, are left out). */
export function episodeMoments(): QuerySpec {
  return {
    tables: ['episodes'],
    sql: `SELECT e.started_at AS ts, e.kind, e.title, e.episode_id, 'interactions/#' || ${ANCHOR_SQL} AS link
FROM episodes e WHERE e.started_at IS NOT NULL
ORDER BY e.started_at, e.episode_id`,
  };
}

export interface AgentCommunityRow {
  agent: string;
  /** knowledge-base, fixes, compute or reports. */
  category: string;
  episode_id: string;
  kind: string;
  title: string;
  role: string;
  file: string;
  ts: string | null;
}

/**
 * What an agent did for the community: knowledge-base documents written or updated, fixes and diagnoses given to
 * others, compute shared (staged for others, or run for them), reports raised (loopholes, overfitting, refutations).
 */
export function agentCommunity(agent: string | null = null): QuerySpec {
  return {
    tables: ['episodes', 'episode_evidence'],
    params: agent === null ? [] : [agent],
    sql: `SELECT * FROM (
  SELECT v.agent, CASE
      WHEN e.kind = 'knowledge-base' AND v.role IN ('document', 'update') THEN 'knowledge-base'
      WHEN e.kind IN ('cross-agent-debugging', 'diagnosis') AND v.role IN ('fix', 'diagnosis') THEN 'fixes'
      WHEN e.kind = 'compute-sharing' AND v.role IN ('trigger', 'run') THEN 'compute'
      WHEN (e.kind IN ('loophole-report', 'overfitting-warning') AND v.role = 'trigger') OR (e.kind = 'reversal' AND v.role = 'refutation') THEN 'reports'
    END AS category, e.episode_id, e.kind, e.title, v.role, v.file, v.ts
  FROM episodes e JOIN episode_evidence v ON v.episode_id = e.episode_id
  WHERE v.agent IS NOT NULL ${agent === null ? '' : 'AND v.agent = ?'}
) WHERE category IS NOT NULL
ORDER BY agent, category, ts NULLS LAST, episode_id, file`,
  };
}
