// SQL for the overview's moments: the candidates each source offers (first uses of techniques, relay outcomes,
// verdicts that rejected a claim). Which of them mattered is decided in src/lib/story/moments.ts against the running
// best and the tie threshold. The relay query is the one place that reads the relays tables' columns for the overview.
import type { QuerySpec } from '../db/connector.ts';

export interface InventionRow {
  first_result: string;
  inventor: string | null;
  first_ts: string | null;
  tokens: string[];
}

/** Techniques grouped by the result that first used them (one result can introduce several tokens). */
export const inventionCandidates = (): QuerySpec => ({
  tables: ['techniques'],
  sql: `SELECT first_result, any_value(inventor) AS inventor, min(first_ts) AS first_ts, list(token ORDER BY token) AS tokens
FROM techniques
WHERE first_result IS NOT NULL
GROUP BY first_result
ORDER BY first_ts, first_result`,
});

export interface RelayOutcomeRow {
  chain_id: string;
  outcome_result: string;
  agents: string[];
  title: string | null;
}

/** Relays that ended in a result (one row per outcome result: the longest chain, then the first id). */
export const relayOutcomes = (): QuerySpec => ({
  tables: ['relay_chains'],
  sql: `SELECT chain_id, outcome_result, agents, title
FROM relay_chains
WHERE outcome_result IS NOT NULL
QUALIFY row_number() OVER (PARTITION BY outcome_result ORDER BY n_agents DESC, chain_id) = 1
ORDER BY outcome_result`,
});

export interface VerdictRow {
  message: string;
  ts: string | null;
  result: string;
  agent: string | null;
  score: number | null;
  result_ts: string | null;
  rerun: number | null;
}

/** Verifier verdicts that rejected a posted result (verdict invalid), with the claim they overturned. */
export const rejectedClaims = (): QuerySpec => ({
  tables: ['messages', 'results'],
  sql: `SELECT m.filename AS message, m.ts, m.verdict_result AS result, r.agent, r.score, r.ts AS result_ts, m.verdict_rerun AS rerun
FROM messages m JOIN results r ON r.filename = m.verdict_result
WHERE m.verdict = 'invalid' AND r.score IS NOT NULL
ORDER BY m.ts, m.filename`,
});
