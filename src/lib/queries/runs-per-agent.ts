// Example SQL builder: benchmark runs per agent (count, mean score, latest launch, flavors used).
import type { QuerySpec } from '../db/connector.ts';

export interface RunsPerAgentRow {
  agent: string;
  runs: number;
  scored: number;
  mean_score: number | null;
  last_run: string | null;
  flavors: string[];
}

/** One row per agent that has runs, busiest first; `minRuns` is bound as a parameter. */
export function runsPerAgent(minRuns = 1): QuerySpec {
  return {
    tables: ['runs'],
    params: [minRuns],
    sql: `SELECT
  agent,
  count(*) AS runs,
  count(score) AS scored,
  avg(score) AS mean_score,
  max(created_at) AS last_run,
  coalesce(list(DISTINCT flavor ORDER BY flavor) FILTER (WHERE flavor IS NOT NULL), []) AS flavors
FROM runs
WHERE agent IS NOT NULL
GROUP BY agent
HAVING count(*) >= ?
ORDER BY runs DESC, agent`,
  };
}
