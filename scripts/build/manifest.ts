// manifest.json: last build's, the one a build with nothing new keeps, and the one a build writes.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { SCHEMA_VERSION, TABLES } from '../../src/lib/schema/index.ts';
import type { Coverage } from '../../src/lib/coverage.ts';
import type { Manifest } from '../../src/lib/manifest.ts';
import type { BuildCache } from '../ingest/cache.ts';
import type { IngestResult } from '../ingest/ingest.ts';
import { contentHash, type InputFile } from '../ingest/source.ts';

/** sha256 over every input's path and content hash (hashes the ingest or the file index already know are reused). */
function inputHash(files: InputFile[], hashOf: (f: InputFile) => string): string {
  const h = createHash('sha256');
  // The same bytes as one update per piece, handed over ~64 KB at a time (four calls a file cost ~0.5 s at scale 100).
  let chunk = '';
  for (const f of files) {
    chunk += `${f.rel}\0${hashOf(f)}\n`;
    if (chunk.length > 65536) {
      h.update(chunk);
      chunk = '';
    }
  }
  return h.update(chunk).digest('hex');
}

/** Last build's manifest.json, as text and parsed; null when it is missing or unreadable. */
export function readPreviousManifest(path: string): { text: string; manifest: Manifest } | null {
  try {
    const text = readFileSync(path, 'utf8');
    const manifest = JSON.parse(text) as Manifest;
    return manifest && typeof manifest.tables === 'object' ? { text, manifest } : null;
  } catch {
    return null;
  }
}

/** Last build's manifest for a build that kept everything: nothing rebuilt or derived, every input cached. */
export function keptManifest(p: Manifest, generator: Manifest['generator'], files: number): Manifest {
  return {
    ...p,
    generator,
    rebuilt: [],
    derived: [],
    ...(p.derivations ? { derivations: Object.fromEntries(Object.keys(p.derivations).map((k) => [k, 'kept' as const])) } : {}),
    cached_inputs: (p.cached_inputs ?? 0) + (p.parsed_inputs ?? 0),
    parsed_inputs: 0,
    indexed_inputs: files,
  };
}

/** Facts read from the core tables before their rows are released: rejects by step and the latest time in the data. */
export interface CoreFacts {
  rejectCount: number;
  rejectSteps: Map<string, number>;
  dataAsOf: string | null;
}

export function coreFacts(tables: IngestResult['tables']): CoreFacts {
  const rejectSteps = new Map<string, number>();
  for (const r of tables.rejects) rejectSteps.set(r.step ?? 'unknown', (rejectSteps.get(r.step ?? 'unknown') ?? 0) + 1);
  const times = [
    ...tables.messages.map((m) => m.ts),
    ...tables.results.map((r) => r.ts),
    ...tables.leaderboard_snapshots.map((s) => s.generated_at),
    ...tables.runs.map((r) => r.finished_at ?? r.created_at),
  ].filter((t): t is string => t !== null);
  return { rejectCount: tables.rejects.length, rejectSteps, dataAsOf: times.sort().at(-1) ?? null };
}

export interface ManifestParts {
  generator: Manifest['generator'];
  ingested: IngestResult;
  coverage: Coverage;
  facts: CoreFacts;
  written: Partial<Manifest['tables']>;
  rebuilt: string[];
  derived: string[];
  /** How each derivation's tables were made (write-tables.ts DerivationMode). */
  modes: Record<string, 'kept' | 'updated' | 'full'>;
  cache: BuildCache | null;
}

/** The manifest of a build that ran: tables in schema order, with what was rebuilt, derived and cached. */
export function buildManifest({ generator, ingested, coverage, facts, written, rebuilt, derived, modes, cache }: ManifestParts): Manifest {
  return {
    schema_version: SCHEMA_VERSION,
    generator,
    source: {
      name: ingested.config.title,
      synthetic: ingested.config.synthetic,
      input_hash: inputHash(ingested.files, (f) => cache?.hash(f) ?? contentHash(f)),
      files: ingested.files.length,
      files_per_part: ingested.filesPerPart,
    },
    coverage,
    config: ingested.config,
    data_as_of: facts.dataAsOf,
    tables: Object.fromEntries(TABLES.map((t) => [t.name, written[t.name]!])) as Manifest['tables'],
    rejects: facts.rejectCount,
    rebuilt,
    derived,
    derivations: modes,
    cached_inputs: cache?.cachedInputs ?? 0,
    parsed_inputs: cache?.parsedInputs ?? ingested.files.length,
    indexed_inputs: cache?.indexedFiles ?? 0,
  };
}
