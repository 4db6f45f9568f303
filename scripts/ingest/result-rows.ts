// The rows step for results: one row per result record (file or API item) that passes validation, plus one per
// result known only from leaderboard snapshots. Verification: the index, else the API item, else the newest snapshot.
import type { LeaderboardSnapshotRow, ResultRow } from '../../src/lib/schema/core.ts';
import { recoverValues, type RunIndex } from './recover.ts';
import type { BoardRecord } from './board.ts';
import { expectScalars, isolate } from './boundary.ts';
import type { IngestContext } from './context.ts';
import { frontmatterJson } from './frontmatter.ts';
import { normaliseVerification, type Snapshot } from './leaderboard.ts';
import { submissionPrefixOf } from './links.ts';
import { baseName, parseBoardFilename } from './names.ts';
import { numOrNull, str, strList } from './source.ts';
import { extractJobIds, normaliseRefs } from './text.ts';

const RESULT_STATUSES = new Set(['agent-run', 'negative', 'baseline']);

export interface SnapshotEntry {
  row: LeaderboardSnapshotRow;
  /** How many snapshots listed the result. */
  seen: number;
  file: string;
}

/** The newest snapshot row of each result filename (snapshots come in time order). */
export function newestSnapshotRows(snapshots: readonly Snapshot[]): Map<string, SnapshotEntry> {
  const newest = new Map<string, SnapshotEntry>();
  for (const s of snapshots) {
    for (const row of s.rows) {
      const fn = baseName(row.filename ?? '');
      newest.set(fn, { row, seen: (newest.get(fn)?.seen ?? 0) + 1, file: s.file });
    }
  }
  return newest;
}

export interface ResultSources {
  records: Iterable<BoardRecord>;
  newest: Map<string, SnapshotEntry>;
  snapshots: readonly Snapshot[];
  verificationIndex: Map<string, string>;
  /** Filenames that are messages: a snapshot row naming one is not a result of its own. */
  messageNames: { has(name: string): boolean };
  /** Runs a result links to (job ids, submission prefix, …), for values its frontmatter lacks. */
  runIndex: RunIndex;
}

export function buildResultRows(ctx: IngestContext, src: ResultSources): ResultRow[] {
  const results: ResultRow[] = [];
  for (const rec of src.records) {
    const row = isolate(ctx.rejects, [rec.sourceFile], rec.sourcePart, 'rows', () => resultFromRecord(ctx, rec, src), null);
    if (row) results.push(row);
  }
  const names = new Set(results.map((r) => r.filename));
  for (const [fn, entry] of src.newest) {
    if (names.has(fn) || src.messageNames.has(fn)) continue;
    const row = isolate(ctx.rejects, [entry.file], 'leaderboard', 'rows', () => resultFromSnapshot(ctx, fn, entry, src), null);
    if (row) {
      results.push(row);
      names.add(fn);
    }
  }
  return results;
}

/** A record's own text fields and the job ids its text names. */
interface RecordText {
  description: string | null;
  artifacts: string[] | null;
  submission: string | null;
  jobIds: ResultRow['job_ids'];
}

function recordText(rec: BoardRecord): RecordText {
  const d = rec.data;
  const description = str(d['description']);
  return { description, artifacts: strList(d['artifacts']), submission: str(d['submission']), jobIds: extractJobIds(`${description ?? ''}\n${rec.body}`) };
}

/** Score and secondary from the frontmatter, else the text, else a linked run, each with its source. */
function recordValues(ctx: IngestContext, rec: BoardRecord, src: ResultSources, t: RecordText): ReturnType<typeof recoverValues> {
  const { config } = ctx;
  const d = rec.data;
  const secf = config.secondary_field;
  const given = numOrNull(d[config.score_field]);
  return recoverValues(
    {
      score: given,
      secondary: secf ? numOrNull(d[secf]) : null,
      description: t.description,
      body: rec.body,
      runs: src.runIndex.linksOf({
        agent: str(d['agent']) ?? rec.name.agent,
        ts: rec.name.ts,
        score: given,
        job_ids: t.jobIds,
        submission_prefix: submissionPrefixOf([t.submission, ...(t.artifacts ?? [])]),
        artifacts: t.artifacts,
        text: `${t.description ?? ''}\n${rec.body}`,
      }),
    },
    config,
  );
}

/** True (with the reason recorded as a reject) when a record's score, method or status make it no result. */
function invalidFields(ctx: IngestContext, rec: BoardRecord, score: number | null, method: string | null, status: string | null): boolean {
  const sf = ctx.config.score_field;
  const missing = [score === null ? sf : null, method ? null : 'method', status ? null : 'status'].filter(Boolean);
  if (missing.length) {
    ctx.rejects.add(rec.sourceFile, rec.sourcePart, 'validate', `missing required field${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`, null);
    return true;
  }
  if (!RESULT_STATUSES.has(status!)) {
    ctx.rejects.add(rec.sourceFile, rec.sourcePart, 'validate', 'status must be agent-run, negative or baseline', String(rec.data['status']));
    return true;
  }
  return false;
}

/** Verification: the index, else the API item, else the newest snapshot, else pending; with where it came from. */
function recordVerification(rec: BoardRecord, src: ResultSources, lb: SnapshotEntry | undefined): [string, string] {
  const fromIndex = src.verificationIndex.get(rec.filename);
  const fromApi = normaliseVerification(rec.apiVerification);
  return fromIndex
    ? [fromIndex, 'index']
    : fromApi
      ? [fromApi, 'api']
      : lb?.row.verification
        ? [lb.row.verification, 'leaderboard']
        : ['pending', 'default'];
}

/** Validate a result record's required fields and build its row, or reject it and return null. */
function resultFromRecord(ctx: IngestContext, rec: BoardRecord, src: ResultSources): ResultRow | null {
  const { config, rejects } = ctx;
  const d = rec.data;
  const sf = config.score_field;
  const secf = config.secondary_field;
  const notScalar = expectScalars(d, [sf, ...(secf ? [secf] : [])]);
  if (notScalar) {
    rejects.add(rec.sourceFile, rec.sourcePart, 'validate', notScalar, null);
    return null;
  }
  const t = recordText(rec);
  const values = recordValues(ctx, rec, src, t);
  // A score field that is there but not a number is malformed (the board excludes it), not missing: no recovery.
  const score = numOrNull(d[sf]) === null && d[sf] !== undefined && d[sf] !== null ? null : values.score;
  const method = str(d['method']);
  const status = str(d['status'])?.trim().toLowerCase() ?? null;
  if (invalidFields(ctx, rec, score, method, status)) return null;
  const agent = str(d['agent']) ?? rec.name.agent;
  const lb = src.newest.get(rec.filename);
  const [verification, vsource] = recordVerification(rec, src, lb);
  const secondary = values.secondary;
  return {
    filename: rec.filename,
    ts: rec.name.ts,
    agent,
    hf_user: lb?.row.hf_user ?? null,
    ...values,
    method,
    status,
    is_baseline: status === 'baseline' || agent === 'baseline',
    over_cap: secondary !== null && config.secondary_cap !== null ? secondary > config.secondary_cap : null,
    description: t.description,
    artifacts: t.artifacts,
    submission: t.submission,
    submission_prefix: submissionPrefixOf([t.submission, ...(t.artifacts ?? [])]),
    verification,
    verification_source: vsource,
    body_md: rec.body.trim() || null,
    frontmatter_json: frontmatterJson(d),
    job_ids: t.jobIds,
    credits: null,
    refs: normaliseRefs(d['refs']),
    snapshots_seen: lb?.seen ?? 0,
    source_part: rec.sourcePart,
    source_file: rec.sourceFile,
  };
}

/** A result known only from leaderboard snapshots: its newest row, the raw row as its frontmatter. */
function resultFromSnapshot(ctx: IngestContext, fn: string, { row, seen, file }: SnapshotEntry, src: ResultSources): ResultRow {
  const { config } = ctx;
  const name = parseBoardFilename(fn);
  const ts = typeof name === 'string' ? null : name.ts;
  const description = row.description;
  const jobIds = extractJobIds(description ?? '');
  const links = src.runIndex.linksOf({ agent: row.agent, ts, score: row.score, job_ids: jobIds, submission_prefix: null, artifacts: null, text: description ?? '' });
  const values = recoverValues({ score: row.score, secondary: null, description, body: null, runs: links }, config);
  return {
    filename: fn,
    ts,
    agent: row.agent,
    hf_user: row.hf_user,
    ...values,
    method: row.method,
    status: 'agent-run',
    is_baseline: row.agent === 'baseline',
    over_cap: values.secondary !== null && config.secondary_cap !== null ? values.secondary > config.secondary_cap : null,
    description,
    artifacts: null,
    submission: null,
    submission_prefix: null,
    verification: src.verificationIndex.get(fn) ?? row.verification ?? 'pending',
    verification_source: src.verificationIndex.has(fn) ? 'index' : 'leaderboard',
    body_md: null,
    frontmatter_json: JSON.stringify(src.snapshots.find((s) => s.file === file)?.raw.find((r) => r['filename'] === row.filename) ?? {}),
    job_ids: jobIds,
    credits: null,
    refs: [],
    snapshots_seen: seen,
    source_part: 'leaderboard',
    source_file: file,
  };
}
