// manifest.json, defined once: the zod schema the data build writes against and every reader (build-time pages,
// the browser's DuckDB loader, tests) parses with. The type is inferred from it, so the contract cannot drift.
import * as z from 'zod/mini';
import type { CollabConfig } from './config.ts';
import type { Coverage } from './coverage.ts';

/** Published table names are plain lower-case identifiers; anything else is refused before it reaches SQL. */
export const TABLE_NAME = /^[a-z_][a-z0-9_]*$/;

const count = z.number().check(z.int(), z.minimum(0));
/** A Parquet file inside the data folder: a plain name, no folders. */
export const PARQUET_FILE = /^[\w.-]+\.parquet$/;
const parquetFile = z.string().check(z.regex(PARQUET_FILE, 'is not a plain Parquet file name'));

/** One part of a table published in parts (`<table>.<key>.parquet`, e.g. one UTC day of rows). */
const partEntry = z.object({
  /** What the part holds, e.g. `2026-06-14` (letters, digits, `_`, `-`). */
  key: z.string().check(z.regex(/^[\w-]+$/, 'is not a part key ([A-Za-z0-9_-]+)')),
  file: parquetFile,
  rows: count,
  bytes: count,
});

/**
 * A published table: one Parquet file (`file`), or parts (`parts`, read as one table by every reader: the browser
 * loader, the build-time connector, the console's download links, the DuckDB/Python snippets). Exactly one of the two;
 * `rows` and `bytes` are the table's totals.
 */
const tableEntry = z
  .object({
    rows: count,
    bytes: count,
    file: z.optional(parquetFile),
    parts: z.optional(z.array(partEntry).check(z.minLength(1, 'lists no part (an empty table is one empty part)'))),
  })
  .check(
    z.refine((t) => (t.file === undefined) !== (t.parts === undefined), 'needs exactly one of file or parts'),
    z.refine((t) => t.parts === undefined || new Set(t.parts.map((p) => p.file)).size === t.parts.length, 'lists a part file twice'),
    z.refine((t) => t.parts === undefined || t.parts.reduce((n, p) => n + p.rows, 0) === t.rows, 'rows is not the sum of its parts'),
  );

export const ManifestSchema = z.object({
  schema_version: z.number(),
  generator: z.object({ name: z.string(), version: z.string() }),
  source: z.object({
    name: z.string(),
    synthetic: z.boolean(),
    input_hash: z.string(),
    files: count,
    files_per_part: z.record(z.string(), count),
  }),
  /** Per part of the export layout: present or not, and how many files it gave (src/lib/coverage.ts). */
  coverage: z.optional(z.custom<Coverage>((v) => typeof v === 'object' && v !== null && 'parts' in v)),
  /** Validated in full by parseConfig (src/lib/config.ts) where it is used. */
  config: z.custom<CollabConfig>((v) => typeof v === 'object' && v !== null),
  data_as_of: z.nullable(z.string()),
  tables: z.record(z.string().check(z.regex(TABLE_NAME, 'is not a valid table name ([a-z_][a-z0-9_]*)')), tableEntry),
  rejects: count,
  /** Tables whose Parquet file this build wrote; the others kept last build's file (incremental builds). */
  rebuilt: z.optional(z.array(z.string())),
  /** Derivations this build ran; the others' inputs were unchanged and their tables were kept. */
  derived: z.optional(z.array(z.string())),
  /**
   * How each derivation's tables were made by this build: `kept` (its inputs were unchanged: last build's tables),
   * `updated` (it ran with the work it kept from last build, redoing only what its changed inputs need: the data
   * build's Derivation.memo) or `full` (it ran from scratch: a full build, a first build, or a change its memo does
   * not cover).
   */
  derivations: z.optional(z.record(z.string(), z.enum(['kept', 'updated', 'full']))),
  /**
   * Inputs (board, agent, taskforce, document and run files) whose parse came from the cache, and those parsed by
   * this build. A build that found nothing changed counts every input as cached (its parse stands in the kept tables).
   */
  cached_inputs: z.optional(count),
  parsed_inputs: z.optional(count),
  /** Inputs whose content hash came from the file index (stat signature unchanged), so they were not read. */
  indexed_inputs: z.optional(count),
});

export type Manifest = z.infer<typeof ManifestSchema>;
export type TableEntry = Manifest['tables'][string];
export type TablePart = NonNullable<TableEntry['parts']>[number];

/** Parse a manifest.json value; throws one line naming the first field that is wrong and how. */
export function parseManifest(input: unknown, where = 'manifest.json'): Manifest {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new Error(`${where}: not a JSON object; rebuild the data with npm run data`);
  const r = ManifestSchema.safeParse(input);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const path = issue.path.map(String).join('.') || '(top)';
  throw new Error(`${where}: ${path}: ${issue.message}; rebuild the data with npm run data`);
}
