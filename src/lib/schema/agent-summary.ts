// The table made at build time by SQL over the published core tables (scripts/build/sql-derivations.ts): one row per
// handle with its counts, best scores and first and last activity. The SQL is agentSummarySql() in
// src/lib/queries/agents.sql.ts; the site reads this table instead of running it over messages, results and runs.
import { col, key, table, type Row } from './types.ts';

export const agentSummary = table({
  name: 'agent_summary',
  description:
    'One row per handle seen anywhere (agents, authors of messages and results, run agents): counts of messages, results and runs, best scores, first and last activity, and the rank by activity. Made at build time from agents, messages, results and runs by the SQL the methods page shows.',
  orderBy: ['activity_rank'],
  columns: [
    key('agent_id', 'VARCHAR', 'The handle.'),
    col('agent_name', 'VARCHAR', 'Display name from the registration (null when unregistered or unnamed).'),
    key('registered', 'BOOLEAN', 'The handle has an agents row (a registration file or API item).'),
    key('is_human', 'BOOLEAN', 'A human participant (registration flag, else a handle starting human-).'),
    key('is_verifier', 'BOOLEAN', 'The verifier.'),
    key('messages', 'BIGINT', 'Board messages authored (0 also when the export has no board messages: see coverage).'),
    key('results', 'BIGINT', 'Results posted.'),
    col('best_score', 'DOUBLE', 'Best score among its valid or pending results, in the configured direction (null when none).'),
    col('best_valid', 'DOUBLE', 'Best score among its verified (valid) results (null when none).'),
    key('runs', 'BIGINT', 'Run directories, a job under two names counted once (duplicate_of null).'),
    col('first_ts', 'TIMESTAMP', 'First message, result or run launch (UTC; null when none is dated).'),
    col('last_ts', 'TIMESTAMP', 'Last message, result or run launch (UTC; null when none is dated).'),
    key('activity', 'BIGINT', 'messages + results + runs.'),
    key('activity_rank', 'BIGINT', '1 = most active; ties by handle. Agent pages are generated in this order.'),
  ],
});

export type AgentSummaryTableRow = Row<typeof agentSummary>;

export const AGENT_SUMMARY_TABLES = [agentSummary] as const;
