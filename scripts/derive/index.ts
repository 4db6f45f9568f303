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

export interface Derivation {
  name: string;
  /** Tables this derivation writes; they must also be listed in the schema module. */
  tables: readonly TableDef[];
  /** Core tables it reads. It is handed only these, and the incremental build reruns it only when one changed. */
  inputs: readonly (keyof CoreTables)[];
  run(core: CoreTables, config: CollabConfig): Record<string, Record<string, unknown>[]>;
}

/** Registered derivations, run in this order. */
export const DERIVATIONS: Derivation[] = [noiseDerivation, lineageDerivation, relaysDerivation, threadsDerivation, episodesDerivation, searchIndexDerivation];

/** Run a derivation on only the core tables it declares, so an undeclared read fails instead of going unnoticed. */
export function runDerivation(d: Derivation, core: CoreTables, config: CollabConfig): Record<string, Record<string, unknown>[]> {
  const view = Object.fromEntries(d.inputs.map((k) => [k, core[k]])) as unknown as CoreTables;
  return d.run(view, config);
}
