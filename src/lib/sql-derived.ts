// Tables the build makes by SQL over the published core tables (run by scripts/build/sql-derivations.ts after the
// core tables are written). The methods page shows each one's SQL, runnable as is in the SQL console.
import type { CollabConfig } from './config.ts';
import { agentSummarySql, type TableRef } from './queries/agents.sql.ts';
import { agentSummary } from './schema/agent-summary.ts';
import type { TableDef } from './schema/types.ts';

export interface SqlDerivation {
  name: string;
  table: TableDef;
  inputs: readonly string[];
  /** The SELECT; `from` names where each input is read (by default the table's own name, as in the console). */
  sql(config: CollabConfig, from?: TableRef): string;
}

export const SQL_DERIVATIONS: readonly SqlDerivation[] = [
  {
    name: 'agent-summary',
    table: agentSummary,
    inputs: ['agents', 'messages', 'results', 'runs'],
    sql: (config, from) => agentSummarySql(config, from),
  },
];

/** Tables made by SQL derivations (written after the core tables, not with them). */
export const SQL_DERIVED_TABLES: ReadonlySet<string> = new Set(SQL_DERIVATIONS.map((d) => d.table.name));
