// Derivations run after the ingest: each takes the core tables and returns tables of its own.
import type { CollabConfig } from '../../src/lib/config.ts';
import type { TableDef } from '../../src/lib/schema/types.ts';
import type { CoreTables } from '../ingest/ingest.ts';
import { threadsDerivation } from './threads.ts';
import { noiseDerivation } from './noise/index.ts';
import { relaysDerivation } from './relays/index.ts';
import { lineageDerivation } from './lineage/index.ts';
import { episodesDerivation } from './episodes/index.ts';
import { searchIndexDerivation } from './search-index/index.ts';
import { agentLinksDerivation, lineageAgentPairsDerivation } from './agent-links.ts';

export interface Derivation {
  name: string;
  /** Tables this derivation writes; they must also be listed in the schema module. */
  tables: readonly TableDef[];
  /** Core tables it reads. It is handed only these, and the incremental build reruns it only when one changed. */
  inputs: readonly (keyof CoreTables)[];
  /**
   * Tables of derivations registered before it that it reads (handed in `derived`, in their stable order); the
   * incremental build reruns it when one of them changed too.
   */
  reads?: readonly string[];
  /**
   * The columns it reads of each input, where declared: the build reads back only these (the others are absent
   * from the rows it is handed). Left out for an input: every column.
   */
  columns?: Partial<Record<keyof CoreTables, readonly string[]>>;
  /**
   * Work it keeps between builds (the build cache, `memo` below): valid while the code, the configuration and these
   * core tables are unchanged (none: while the code and configuration are). A derivation uses it only for work that
   * depends on nothing else, or keys its entries by what they depend on, so its tables are the same with or without.
   */
  memo?: { inputs: readonly (keyof CoreTables)[] };
  run(core: CoreTables, config: CollabConfig, derived?: DerivedTables, memo?: DerivationMemo): Record<string, Record<string, unknown>[]>;
}

/**
 * A derivation's kept work (Derivation.memo): last build's value when still valid, and where to put this build's.
 * The value is copied (structured clone) when set, so later changes to the objects do not reach the next build.
 */
export interface DerivationMemo {
  /** Last build's value; undefined on a full build, a first build, or when the code, configuration or `memo.inputs` changed. */
  readonly value: unknown;
  /** Keep `value` for the next build. */
  set(value: unknown): void;
}

/** Rows of the derived tables a derivation declares in `reads`, by table name. */
export type DerivedTables = Record<string, Record<string, unknown>[]>;

/** Registered derivations, run in this order. */
export const DERIVATIONS: Derivation[] = [noiseDerivation, lineageDerivation, relaysDerivation, threadsDerivation, episodesDerivation, searchIndexDerivation, agentLinksDerivation, lineageAgentPairsDerivation];

/** Run a derivation on only the core tables it declares, so an undeclared read fails instead of going unnoticed. */
export function runDerivation(d: Derivation, core: CoreTables, config: CollabConfig, derived: DerivedTables = {}, memo?: DerivationMemo): Record<string, Record<string, unknown>[]> {
  const view = Object.fromEntries(d.inputs.map((k) => [k, core[k]])) as unknown as CoreTables;
  const reads: DerivedTables = {};
  for (const k of d.reads ?? []) if (derived[k]) reads[k] = derived[k];
  return d.run(view, config, reads, memo);
}
