// Every bound the ingest puts on one input file, in one place: a file past any of them becomes a reject with the
// limit named in its reason. The values are generous for real collaboration data (the largest real frontmatter
// string is ~600 characters, the deepest real JSON 4 levels) and small enough that no file can exhaust the build.
export const LIMITS = {
  /** Markdown files and the small JSON records of a run folder. */
  textBytes: 2 * 1024 * 1024,
  /** Whole-collection JSON files: leaderboard responses, API listing pages, results/verification_status.json. */
  listingBytes: 16 * 1024 * 1024,
  /** Files larger than this (bulky run logs that are only listed) are hashed in chunks, never held in memory. */
  hashInMemoryBytes: 16 * 1024 * 1024,
  /** Any one string after parsing (a frontmatter field, a JSON value); message bodies are bounded by textBytes. */
  fieldChars: 64 * 1024,
  /** YAML frontmatter: collections reached through an alias (`*name`) more than once. */
  yamlAliases: 100,
  /** YAML frontmatter: values, keys and characters after alias expansion (what serialising it would write). */
  yamlExpandedValues: 10_000,
  yamlExpandedChars: 1024 * 1024,
  /** YAML frontmatter: nesting depth and number of keys over all its mappings. */
  yamlDepth: 16,
  yamlKeys: 1_000,
  /** JSON files: nesting depth of arrays and objects (checked on the text, before parsing). */
  jsonDepth: 64,
} as const;

export type Limits = typeof LIMITS;
