// Expected values for the noise-aware overview and leaderboard, computed by the tests themselves from the published
// tables (never by the page's own ranking or running-best code): the running best and its gain classes, tie ranks.
import type { LeaderboardRow } from '../../src/lib/queries/leaderboard.sql.ts';

/** Ranked results in time order, read straight from results. */
export const TRUTH_SQL = `SELECT filename, ts, score, verification, over_cap FROM results
WHERE status = 'agent-run' AND score IS NOT NULL AND ts IS NOT NULL AND NOT coalesce(is_baseline, false) ORDER BY ts, filename`;

export interface Truth {
  filename: string;
  ts: string;
  score: number;
  verification: string | null;
  over_cap: boolean | null;
}

/**
 * The running best computed by the test from results: time order, only valid (and, unless verified only, pending)
 * results not over the cap may raise it; each step's gain is classed against noise_summary.tie_threshold.
 */
export function expectedSteps(rows: readonly Truth[], higher: boolean, threshold: number | null, verifiedOnly: boolean): { filename: string; counts: string }[] {
  const out: { filename: string; counts: string }[] = [];
  let best: number | null = null;
  for (const r of rows) {
    if (r.verification === 'invalid' || r.over_cap === true || (verifiedOnly && r.verification !== 'valid')) continue;
    if (best !== null && !(higher ? r.score > best : r.score < best)) continue;
    const gain = best === null ? null : Math.abs(r.score - best);
    const counts = gain === null ? 'first result' : threshold === null ? 'new best (noise unknown)' : gain <= threshold ? 'within noise' : 'record';
    out.push({ filename: r.filename, counts });
    best = r.score;
  }
  return out;
}

/**
 * Tie-group ranks computed here, not by the page: walk the rankable rows best first, a row joins the group while it is
 * within the threshold of the group's top; a group's members share 1 + the rows in better groups. Also checks the
 * rankable rows are exactly the valid or pending ones not over the cap, read from results.
 */
export function expectedRanks(rows: readonly LeaderboardRow[], threshold: number | null): Map<string, string> {
  const ranks = new Map<string, string>();
  const rankable = rows.filter((r) => (r.state === 'valid' || r.state === 'pending') && r.over_cap !== true);
  let i = 0;
  while (i < rankable.length) {
    let j = i + 1;
    while (j < rankable.length && threshold !== null && Math.abs(rankable[j]!.score - rankable[i]!.score) <= threshold) j++;
    const text = j - i > 1 ? `${i + 1}–${j}` : String(i + 1);
    for (let k = i; k < j; k++) ranks.set(rankable[k]!.filename, text);
    i = j;
  }
  return ranks;
}

