// SQL builders for the agents index and the per-agent pages: counts, profile, activity, results, replies, credits.
//
// Every builder takes an agent id or null. With an id (bound as a `?` parameter) it returns that agent's rows, which
// is the SQL "view the SQL" shows; with null it returns every agent's rows in one query (the build renders all
// agent pages from one run of each builder). Rows always carry the agent they belong to.
import type { CollabConfig } from '../config.ts';
import type { Param, QuerySpec } from '../db/connector.ts';
import { STATE_SQL } from './leaderboard.sql.ts';
import { bestAgg } from './overview.sql.ts';

/** `WHERE <col> = ?` for one agent, nothing for all; returns the clause and its parameters. */
function one(col: string, agent: string | null | undefined, glue: 'WHERE' | 'AND' = 'WHERE'): { where: string; params: Param[] } {
  return agent === null || agent === undefined ? { where: '', params: [] } : { where: `${glue} ${col} = ?`, params: [agent] };
}

/** Results that count for "best": ranked states (valid or pending), not negative, invalid or a baseline. */
const RANKED_STATE = `${STATE_SQL} IN ('valid', 'pending')`;

export interface AgentSummaryRow {
  agent_id: string;
  agent_name: string | null;
  registered: boolean;
  is_human: boolean;
  is_verifier: boolean;
  messages: number;
  results: number;
  /** Best score among the agent's valid or pending results, in the configured direction. */
  best_score: number | null;
  /** Best score among verified (valid) results. */
  best_valid: number | null;
  /** Canonical run dirs (a job under two names counts once). */
  runs: number;
  first_ts: string | null;
  last_ts: string | null;
  /** messages + results + runs: the order agent pages are generated in. */
  activity: number;
  /** 1 = most active (ties by handle). */
  activity_rank: number;
}

/** A table's name, or what the build reads it from (scripts/build/sql-derivations.ts: its published Parquet files). */
export type TableRef = (table: 'agents' | 'messages' | 'results' | 'runs') => string;

/**
 * How `agent_summary` is made (at build time, over the published core tables): one row per handle seen anywhere
 * (agents, authors of messages and results, run agents) with its counts and first and last activity (messages,
 * results and run launches), ranked by activity. The methods page shows this SQL.
 */
export function agentSummarySql(c: Pick<CollabConfig, 'higher_is_better'>, t: TableRef = (n) => n): string {
  const agg = bestAgg(c);
  return `WITH ids AS (
  SELECT agent_id FROM ${t('agents')}
  UNION SELECT agent FROM ${t('messages')} WHERE agent IS NOT NULL
  UNION SELECT agent FROM ${t('results')} WHERE agent IS NOT NULL
  UNION SELECT agent FROM ${t('runs')} WHERE agent IS NOT NULL
),
m AS (SELECT agent, count(*) AS n, min(ts) AS first_ts, max(ts) AS last_ts FROM ${t('messages')} GROUP BY agent),
r AS (
  SELECT agent, count(*) AS n, min(ts) AS first_ts, max(ts) AS last_ts,
    ${agg}(score) FILTER (WHERE ${RANKED_STATE}) AS best,
    ${agg}(score) FILTER (WHERE ${STATE_SQL} = 'valid') AS best_valid
  FROM ${t('results')} GROUP BY agent
),
u AS (
  SELECT agent, count(*) AS n, min(created_at) AS first_ts, max(created_at) AS last_ts
  FROM ${t('runs')} WHERE duplicate_of IS NULL GROUP BY agent
),
s AS (
  SELECT ids.agent_id, a.agent_name, coalesce(a.registered, false) AS registered,
    coalesce(a.is_human, starts_with(ids.agent_id, 'human-')) AS is_human, coalesce(a.is_verifier, false) AS is_verifier,
    coalesce(m.n, 0) AS messages, coalesce(r.n, 0) AS results, r.best AS best_score, r.best_valid,
    coalesce(u.n, 0) AS runs,
    least(m.first_ts, r.first_ts, u.first_ts) AS first_ts,
    greatest(m.last_ts, r.last_ts, u.last_ts) AS last_ts,
    coalesce(m.n, 0) + coalesce(r.n, 0) + coalesce(u.n, 0) AS activity
  FROM ids
  LEFT JOIN ${t('agents')} a ON a.agent_id = ids.agent_id
  LEFT JOIN m ON m.agent = ids.agent_id
  LEFT JOIN r ON r.agent = ids.agent_id
  LEFT JOIN u ON u.agent = ids.agent_id
)
SELECT *, row_number() OVER (ORDER BY activity DESC, agent_id) AS activity_rank FROM s`;
}

/**
 * Every handle's summary, most active first (or one handle's): a lookup in `agent_summary`, which the build makes
 * with agentSummarySql. (Run over messages, results and runs in the browser it took 60–145 ms at scale 100 and loaded
 * those tables whole.)
 */
export function agentSummaries(_c: Pick<CollabConfig, 'higher_is_better'>, agent: string | null = null): QuerySpec {
  const f = one('agent_id', agent);
  return {
    tables: ['agent_summary'],
    params: f.params,
    sql: `SELECT * FROM agent_summary
${f.where}
ORDER BY activity_rank`,
  };
}

export interface AgentProfileRow {
  agent_id: string;
  registered: boolean | null;
  agent_name: string | null;
  hf_user: string | null;
  model: string | null;
  harness: string | null;
  tools: string[] | null;
  agent_bucket: string | null;
  joined: string | null;
  bio_md: string | null;
  is_human: boolean | null;
  is_verifier: boolean | null;
  source_part: string | null;
  source_file: string | null;
}

/** The registration row (absent for handles seen only as authors). */
export function agentProfile(agent: string | null = null): QuerySpec {
  const f = one('agent_id', agent);
  return {
    tables: ['agents'],
    params: f.params,
    sql: `SELECT agent_id, registered, agent_name, hf_user, model, harness, tools, agent_bucket, joined, bio_md,
  is_human, is_verifier, source_part, source_file
FROM agents
${f.where}
ORDER BY agent_id`,
  };
}

export interface AgentActivityRow {
  agent: string;
  /** YYYY-MM-DD (UTC) */
  day: string;
  messages: number;
  results: number;
}

/** Messages and results per day (UTC), days with neither left out. */
export function agentActivity(agent: string | null = null): QuerySpec {
  const m = one('agent', agent, 'AND');
  return {
    tables: ['messages', 'results'],
    params: [...m.params, ...m.params],
    sql: `WITH e AS (
  SELECT agent, strftime(ts, '%Y-%m-%d') AS day, 1 AS is_message FROM messages WHERE ts IS NOT NULL ${m.where}
  UNION ALL
  SELECT agent, strftime(ts, '%Y-%m-%d'), 0 FROM results WHERE ts IS NOT NULL ${m.where}
)
SELECT agent, day, CAST(sum(is_message) AS INTEGER) AS messages, CAST(sum(1 - is_message) AS INTEGER) AS results
FROM e
GROUP BY agent, day
ORDER BY agent, day`,
  };
}

export interface AgentResultRow {
  agent: string;
  filename: string;
  ts: string | null;
  score: number | null;
  secondary: number | null;
  method: string | null;
  /** valid | pending | invalid | negative | baseline */
  state: string;
  over_cap: boolean | null;
  description: string | null;
}

/** The agent's results, newest first, with their state. */
export function agentResults(agent: string | null = null): QuerySpec {
  const f = one('agent', agent);
  return {
    tables: ['results'],
    params: f.params,
    sql: `SELECT agent, filename, ts, score, secondary, method, ${STATE_SQL} AS state, over_cap, description
FROM results
${f.where}
ORDER BY agent, ts DESC NULLS LAST, filename`,
  };
}

export interface AgentLinkRow {
  /** The agent the page is about. */
  agent: string;
  /** The other agent. */
  other: string;
  refs: number;
  mentions: number;
  total: number;
}

/**
 * Who the agent replies to: links out of the agent's messages of kind ref (the author of the target) or mention
 * (the handle), counted per other agent; links to the agent's own posts are left out.
 */
export function agentRepliesTo(agent: string | null = null): QuerySpec {
  const f = one('m.agent', agent, 'AND');
  return {
    tables: ['messages', 'message_links'],
    params: f.params,
    sql: `SELECT m.agent, l.to_agent AS other,
  CAST(count(*) FILTER (WHERE l.kind = 'ref') AS INTEGER) AS refs,
  CAST(count(*) FILTER (WHERE l.kind = 'mention') AS INTEGER) AS mentions,
  CAST(count(*) AS INTEGER) AS total
FROM message_links l JOIN messages m ON m.filename = l.from_file
WHERE l.kind IN ('ref', 'mention') AND l.to_agent IS NOT NULL AND l.to_agent <> m.agent ${f.where}
GROUP BY m.agent, l.to_agent
ORDER BY m.agent, total DESC, other`,
  };
}

/** Who replies to the agent: the same links seen from the other end (other agents' messages that ref or mention it). */
export function agentRepliedBy(agent: string | null = null): QuerySpec {
  const f = one('l.to_agent', agent, 'AND');
  return {
    tables: ['messages', 'message_links'],
    params: f.params,
    sql: `SELECT l.to_agent AS agent, m.agent AS other,
  CAST(count(*) FILTER (WHERE l.kind = 'ref') AS INTEGER) AS refs,
  CAST(count(*) FILTER (WHERE l.kind = 'mention') AS INTEGER) AS mentions,
  CAST(count(*) AS INTEGER) AS total
FROM message_links l JOIN messages m ON m.filename = l.from_file
WHERE l.kind IN ('ref', 'mention') AND l.to_agent IS NOT NULL AND m.agent IS NOT NULL AND l.to_agent <> m.agent ${f.where}
GROUP BY l.to_agent, m.agent
ORDER BY l.to_agent, total DESC, other`,
  };
}

export interface AgentCreditRow {
  agent: string;
  other: string;
  /** Results that carry the credit. */
  results: number;
  /** Newest such result. */
  last_result: string;
}

/** Who the agent credits: other agents named in its results (results.credits), per agent. */
export function agentCredits(agent: string | null = null): QuerySpec {
  const f = one('agent', agent, 'AND');
  return {
    tables: ['results'],
    params: f.params,
    sql: `SELECT agent, other, CAST(count(*) AS INTEGER) AS results, max(filename) AS last_result
FROM (SELECT agent, filename, unnest(credits) AS other FROM results WHERE agent IS NOT NULL ${f.where})
GROUP BY agent, other
ORDER BY agent, results DESC, other`,
  };
}

/** Who credits the agent: authors of results whose credits name it. */
export function agentCreditedBy(agent: string | null = null): QuerySpec {
  const f = one('other', agent, 'WHERE');
  return {
    tables: ['results'],
    params: f.params,
    sql: `SELECT other AS agent, author AS other, CAST(count(*) AS INTEGER) AS results, max(filename) AS last_result
FROM (SELECT agent AS author, filename, unnest(credits) AS other FROM results WHERE agent IS NOT NULL)
${f.where}
GROUP BY other, author
ORDER BY other, results DESC, author`,
  };
}

export interface AgentRunRow {
  agent: string;
  run_dir: string;
  status: string | null;
  job_id: string | null;
  score: number | null;
  secondary: number | null;
  created_at: string | null;
  submission_prefix: string | null;
}

/** The agent's canonical run dirs, newest first. */
export function agentRuns(agent: string | null = null): QuerySpec {
  const f = one('agent', agent, 'AND');
  return {
    tables: ['runs'],
    params: f.params,
    sql: `SELECT agent, run_dir, status, job_id, score, secondary, created_at, submission_prefix
FROM runs
WHERE duplicate_of IS NULL AND agent IS NOT NULL ${f.where}
ORDER BY agent, created_at DESC NULLS LAST, run_dir`,
  };
}
