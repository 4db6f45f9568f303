// Saved GET /v1/leaderboard responses computed from the results as the server would at a given time.
import type { ApiRecord } from './board.ts';
import { scoreValue } from './board.ts';
import type { Sink } from './sink.ts';
import { isoMs, minuteStamp } from './time.ts';
import type { ResultRec, ScoreMode } from './types.ts';

export interface BoardQuery {
  file: string;
  atMs: number;
  verification?: 'valid';
  bestPerAgent: boolean;
  limit?: number;
}

/** Verification state as the server saw it at atMs (verdicts after that were not issued yet). */
export function stateAt(r: ResultRec, atMs: number): 'pending' | 'valid' | 'invalid' {
  if (r.status === 'baseline') return r.verification;
  return r.verdictMs !== null && r.verdictMs <= atMs ? r.verification : 'pending';
}

export function leaderboardResponse(
  results: readonly ResultRec[],
  mode: ScoreMode,
  q: BoardQuery,
  api: ReadonlyMap<string, ApiRecord>,
): { rows: Array<Record<string, unknown>>; meta: Record<string, unknown> } {
  const considered = results.filter((r) => r.ms <= q.atMs);
  const excluded: Record<string, number> = { status_negative: 0, malformed: 0 };
  if (q.verification) excluded.verification_pending = 0;
  excluded.verification_invalid = 0;
  excluded.status_baseline = 0;
  const eligible: ResultRec[] = [];
  for (const r of considered) {
    if (r.malformed) excluded.malformed = (excluded.malformed ?? 0) + 1;
    else if (r.status === 'negative') excluded.status_negative = (excluded.status_negative ?? 0) + 1;
    else if (r.status === 'baseline') excluded.status_baseline = (excluded.status_baseline ?? 0) + 1;
    else {
      const st = stateAt(r, q.atMs);
      if (st === 'invalid') excluded.verification_invalid = (excluded.verification_invalid ?? 0) + 1;
      else if (q.verification && st !== q.verification) excluded[`verification_${st}`] = (excluded[`verification_${st}`] ?? 0) + 1;
      else eligible.push(r);
    }
  }
  const sign = mode.higher ? -1 : 1;
  eligible.sort((a, b) => sign * (scoreValue(mode, a) - scoreValue(mode, b)) || (a.filename < b.filename ? -1 : a.filename > b.filename ? 1 : 0) || (a.agent.id < b.agent.id ? -1 : 1));
  const seen = new Set<string>();
  const ranked = q.bestPerAgent
    ? eligible.filter((r) => {
        if (seen.has(r.agent.id)) return false;
        seen.add(r.agent.id);
        return true;
      })
    : eligible;
  const rows = ranked.slice(0, q.limit ?? ranked.length).map((r, i) => {
    const row: Record<string, unknown> = { rank: i + 1, agent: r.agent.id, hf_user: r.agent.hfUser };
    row[mode.field] = scoreValue(mode, r);
    row.method = r.method;
    row.verification = stateAt(r, q.atMs);
    row.filename = r.filename;
    row.timestamp = minuteStamp(r.ms);
    row.description = api.get(r.filename)?.frontmatter.description ?? '';
    return row;
  });
  return { rows, meta: { generated_at: isoMs(q.atMs), results_considered: considered.length, excluded } };
}

export function writeLeaderboards(sink: Sink, results: readonly ResultRec[], mode: ScoreMode, queries: readonly BoardQuery[], api: ReadonlyMap<string, ApiRecord>): void {
  for (const q of queries) sink.write(q.file, JSON.stringify(leaderboardResponse(results, mode, q, api)));
}
