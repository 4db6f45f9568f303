// Saved GET /v1/leaderboard responses: every row kept as a snapshot row; the query is inferred from the response.
import type { LeaderboardSnapshotRow } from '../../src/lib/schema/core.ts';
import type { CollabConfig } from '../../src/lib/config.ts';
import { parseIsoUtc } from './names.ts';
import { checkValue, expectScalars } from './boundary.ts';
import { LIMITS } from './limits.ts';
import { isObj, numOrNull, str, type Rejects } from './source.ts';

/** A leaderboard row is flat JSON: bounded like frontmatter (no aliases in JSON), its fields single values. */
const ROW_BUDGET = { aliases: 0, values: 10_000, chars: 1024 * 1024, depth: 8, keys: 1_000, fieldChars: LIMITS.fieldChars };
const ROW_SCALARS = ['agent', 'hf_user', 'method', 'verification', 'filename', 'description', 'rank'];

export interface Snapshot {
  file: string;
  generatedAt: string;
  rows: LeaderboardSnapshotRow[];
  /** The raw row objects, in rank order, for rows that carried a filename. */
  raw: Record<string, unknown>[];
}

/** verification_pending excluded ⇒ verification=valid; an agent twice ⇒ best_per_agent=false; 100 rows ⇒ limit=100. */
export function inferQuery(rows: Record<string, unknown>[], excluded: Record<string, unknown>): string {
  const parts: string[] = [];
  if ('verification_pending' in excluded) parts.push('verification=valid');
  const agents = rows.map((r) => r['agent']);
  parts.push(`best_per_agent=${new Set(agents).size === agents.length ? 'true' : 'false'}`);
  if (rows.length === 100) parts.push('limit=100');
  return parts.join('&');
}

export function parseLeaderboard(rel: string, json: unknown, config: CollabConfig, rejects: Rejects): Snapshot | null {
  if (!isObj(json) || !Array.isArray(json['rows']) || !isObj(json['meta'])) {
    rejects.add(rel, 'leaderboard', 'validate', 'not a leaderboard response', 'expected an object with rows[] and meta{}');
    return null;
  }
  const meta = json['meta'];
  const badMeta = checkValue(meta, ROW_BUDGET, 'leaderboard meta');
  if (badMeta) {
    rejects.add(rel, 'leaderboard', 'validate', badMeta, null);
    return null;
  }
  const generatedAt = parseIsoUtc(meta['generated_at']);
  if (!generatedAt) {
    rejects.add(rel, 'leaderboard', 'validate', 'missing or unparseable meta.generated_at', str(meta['generated_at']));
    return null;
  }
  const scoreField = str(json['score_field']) ?? config.score_field;
  const excluded = isObj(meta['excluded']) ? meta['excluded'] : {};
  const rawRows = json['rows'] as unknown[];
  const objs = rawRows.filter(isObj);
  const query = inferQuery(objs, excluded);
  const rows: LeaderboardSnapshotRow[] = [];
  const raw: Record<string, unknown>[] = [];
  rawRows.forEach((r, i) => {
    const where = `${rel}#rows[${i}]`;
    if (!isObj(r)) {
      rejects.add(where, 'leaderboard', 'validate', 'leaderboard row is not an object', null);
      return;
    }
    const invalid = checkValue(r, ROW_BUDGET, 'leaderboard row') ?? expectScalars(r, [...ROW_SCALARS, scoreField, 'score'], 'leaderboard row');
    if (invalid) {
      rejects.add(where, 'leaderboard', 'validate', invalid, null);
      return;
    }
    const score = numOrNull(r[scoreField]) ?? numOrNull(r['score']);
    const filename = str(r['filename']);
    if (score === null || !filename) {
      rejects.add(where, 'leaderboard', 'validate', `leaderboard row lacks ${score === null ? scoreField : 'filename'}`, JSON.stringify(r).slice(0, 200));
      return;
    }
    rows.push({
      snapshot_file: rel,
      generated_at: generatedAt,
      query_inferred: query,
      results_considered: numOrNull(meta['results_considered']),
      excluded_json: JSON.stringify(excluded),
      rank: numOrNull(r['rank']),
      agent: str(r['agent']),
      hf_user: str(r['hf_user']),
      score,
      method: str(r['method']),
      verification: normaliseVerification(str(r['verification'])),
      filename,
      description: str(r['description']),
    });
    raw.push(r);
  });
  return { file: rel, generatedAt, rows, raw };
}

/** README's "verified" is the data's "valid". Unknown states are kept as written. */
export function normaliseVerification(v: string | null): string | null {
  if (v === null) return null;
  const s = v.trim().toLowerCase();
  return s === 'verified' ? 'valid' : s;
}
