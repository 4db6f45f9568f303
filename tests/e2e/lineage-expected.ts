// Expected values for the lineage browser tests, computed here from the Parquet the site serves (not from the page's
// own spine or techniques code): the honest frontier walk, its gain classes, and which tokens can be techniques.
import { runQuery } from '../../src/lib/db/connector.ts';
import type { NodeSide } from './expected.ts';

export interface ExpectedStep {
  filename: string;
  agent: string | null;
  score: number;
  /** beyond, within, unknown (no tie threshold) or first. */
  cls: string;
}

/**
 * The running best over `results`, walked here: stamped, scored results in time order; an invalid, negative or
 * over-cap result never counts; a step is a strictly better score; its gain is within noise when |gain| ≤ the
 * noise_summary tie threshold.
 */
export async function expectedSteps(node: NodeSide): Promise<ExpectedStep[]> {
  const rows = await runQuery<{ filename: string; agent: string | null; score: number; status: string | null; verification: string | null; over_cap: boolean | null }>(node.db, {
    tables: ['results'],
    sql: `SELECT filename, agent, score, status, verification, over_cap FROM results
WHERE ts IS NOT NULL AND score IS NOT NULL AND isfinite(score) ORDER BY ts, filename`,
  });
  let threshold: number | null = null;
  try {
    const [t] = await runQuery<{ tie_threshold: number | null }>(node.db, { tables: ['noise_summary'], sql: 'SELECT tie_threshold FROM noise_summary' });
    threshold = t?.tie_threshold ?? null;
  } catch {
    threshold = null;
  }
  const hi = node.config.higher_is_better;
  const out: ExpectedStep[] = [];
  let best: number | null = null;
  for (const r of rows) {
    if (r.status === 'negative' || r.verification === 'invalid' || r.over_cap === true) continue;
    if (best !== null && !(hi ? r.score > best : r.score < best)) continue;
    const gain = best === null ? null : Math.abs(r.score - best);
    out.push({ filename: r.filename, agent: r.agent, score: r.score, cls: gain === null ? 'first' : threshold === null ? 'unknown' : gain <= threshold ? 'within' : 'beyond' });
    best = r.score;
  }
  return out;
}

/** Every method token of the graph with its results and whether a baseline uses it. */
export async function tokenUses(node: NodeSide): Promise<Map<string, { results: number; baseline: boolean }>> {
  const rows = await runQuery<{ token: string; results: number; baseline: boolean }>(node.db, {
    tables: ['lineage_nodes'],
    sql: `SELECT token, count(*)::INTEGER AS results, bool_or(status = 'baseline') AS baseline
FROM (SELECT unnest(tokens) AS token, status FROM lineage_nodes WHERE node_kind = 'result') GROUP BY token`,
  });
  return new Map(rows.map((r) => [r.token, { results: r.results, baseline: r.baseline === true }]));
}
