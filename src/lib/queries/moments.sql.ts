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

/**
 * Verifier re-runs that rejected a posted result (verify_gaps, verdict invalid), with the claim they overturned. Read
 * from the noise derivation's small table rather than the board (the browser then need not load every message).
 */
export const rejectedClaims = (): QuerySpec => ({
  tables: ['verify_gaps', 'results'],
  sql: `SELECT v.message, v.ts, v.result_filename AS result, r.agent, r.score, r.ts AS result_ts, v.rerun
FROM verify_gaps v JOIN results r ON r.filename = v.result_filename
WHERE v.verdict = 'invalid' AND r.score IS NOT NULL
ORDER BY v.ts, v.message`,
});
