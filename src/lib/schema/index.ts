// The one schema module: every published table, its columns, types and descriptions.
import { CORE_TABLES } from './core.ts';
import { NOISE_TABLES } from './noise.ts';
import { RELAYS_TABLES } from './relays.ts';
import { LINEAGE_TABLES } from './lineage.ts';
import { THREADS_TABLES } from './threads.ts';
import { ROOMS_TABLES } from './rooms.ts';
import { EPISODES_TABLES } from './episodes.ts';
import { SEARCH_TABLES } from './search.ts';
import { AGENT_LINKS_TABLES } from './agent-links.ts';
import { AGENT_SUMMARY_TABLES } from './agent-summary.ts';
import type { TableDef } from './types.ts';

export * from './types.ts';
export * from './threads.ts';
export * from './core.ts';
export * from './noise.ts';
export * from './relays.ts';
export * from './lineage.ts';
export * from './rooms.ts';
export * from './episodes.ts';
export * from './search.ts';
export * from './agent-links.ts';
export * from './agent-summary.ts';

/** Bumped when a column changes meaning or a table is renamed. */
export const SCHEMA_VERSION = 1;

export const TABLES: readonly TableDef[] = [...CORE_TABLES, ...ROOMS_TABLES, ...NOISE_TABLES, ...RELAYS_TABLES, ...LINEAGE_TABLES, ...THREADS_TABLES, ...AGENT_LINKS_TABLES, ...EPISODES_TABLES, ...SEARCH_TABLES, ...AGENT_SUMMARY_TABLES];

export const tableByName = (name: string): TableDef => {
  const t = TABLES.find((x) => x.name === name);
  if (!t) throw new Error(`Unknown table "${name}"`);
  return t;
};
