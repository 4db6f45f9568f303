// Noise rule 6: the frontier (each agent's best `agent-run` result), walked best first into tie groups.
import type { ResultRow } from '../../../src/lib/schema/core.ts';
import type { TieGroupRow } from '../../../src/lib/schema/noise.ts';
import { eligibleForBest, tieWalk as walk } from '../../../src/lib/ties.ts';
import { isNum } from './members.ts';

/** What the summary row says about the tie groups. */
export interface TieSummary {
  frontier: number;
  groups: number;
  topGroupSize: number;
  topGroupLo: number | null;
  topGroupHi: number | null;
}

/** Rule 6: walk the frontier (best first) into tie groups; each group's first result is its top. No threshold: every result alone. */
export const tieWalk = <T extends { score: number | null }>(frontier: readonly T[], threshold: number | null): T[][] =>
  walk(frontier, threshold, (r) => r.score!);

/** Rule 6: each agent's best eligible `agent-run` result, best first (ties to the earlier stamp, then filename). */
export function frontierOf(sortedResults: readonly ResultRow[], hib: boolean): ResultRow[] {
  const better = (a: number, b: number): number => (hib ? b - a : a - b); // sort comparator, best first
  const bestPerAgent = new Map<string, ResultRow>();
  const frontierOrder = (a: ResultRow, b: ResultRow): number =>
    better(a.score!, b.score!) || (a.ts ?? '').localeCompare(b.ts ?? '') || (a.filename < b.filename ? -1 : a.filename > b.filename ? 1 : 0);
  for (const r of sortedResults) {
    // The leaderboard's eligibility (never invalid, never over the secondary cap), so its ranks and these groups agree.
    if (!eligibleForBest(r, 'verified-pending') || !isNum(r.score) || r.score <= 0) continue;
    const agent = r.agent ?? r.filename;
    const cur = bestPerAgent.get(agent);
    if (!cur || frontierOrder(r, cur) < 0) bestPerAgent.set(agent, r);
  }
  return [...bestPerAgent.values()].sort(frontierOrder);
}

/** Rule 6: size of the top group with the threshold at one end of its interval (null without an interval). */
export const topGroupAt = (frontier: readonly ResultRow[], thr: number | undefined): number | null =>
  thr === undefined ? null : (tieWalk(frontier, thr)[0]?.length ?? 0);

/** One tie_groups row per frontier result; rank = 1 + results in better groups (competition ranking). */
export function tieGroupRows(groups: readonly ResultRow[][]): TieGroupRow[] {
  const tieGroups: TieGroupRow[] = [];
  let ahead = 0;
  let position = 0;
  groups.forEach((g, gi) => {
    const scores = g.map((r) => r.score!);
    for (const r of g) {
      position += 1;
      tieGroups.push({
        position,
        filename: r.filename,
        group_id: gi + 1,
        rank: ahead + 1,
        agent: r.agent,
        score: r.score,
        method: r.method,
        verification: r.verification,
        ts: r.ts,
        delta_from_top: Math.abs(r.score! - g[0]!.score!),
        group_size: g.length,
        group_top: g[0]!.score,
        group_min: Math.min(...scores),
        group_max: Math.max(...scores),
      });
    }
    ahead += g.length;
  });
  return tieGroups;
}
