// Any collaboration: with a lower-is-better score (latency), the leaderboard, frontier and tie groups order ascending.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildData } from '../../../scripts/build-data.ts';
import { writeSampleFolder } from '../../../scripts/sample/output.ts';
import type { CollabConfig } from '../../../src/lib/config.ts';
import { runQuery } from '../../../src/lib/db/connector.ts';
import { createNodeConnector, type NodeConnector } from '../../../src/lib/db/node.ts';
import { leaderboard, type LeaderboardRow } from '../../../src/lib/queries/leaderboard.sql.ts';
import { tieLeaderboardQuery } from '../../../src/lib/queries/noise.sql.ts';
import type { TieRow } from '../../../src/lib/queries/noise-page.sql.ts';
import { bestSoFar, type BestSoFarRow } from '../../../src/lib/queries/overview.sql.ts';
import { storySteps } from '../../../src/lib/story/story.ts';
import { rankTexts } from '../../../src/lib/views/leaderboard-table.ts';
import { NO_TIE } from '../../../src/lib/ties.ts';

let db: NodeConnector;
let config: CollabConfig;

interface ResultCells {
  filename: string;
  ts: string | null;
  score: number | null;
  status: string;
  is_baseline: boolean;
  verification: string | null;
}
let results: ResultCells[] = [];

beforeAll(async () => {
  const root = mkdtempSync(join(tmpdir(), 'atlas-lower-'));
  const { exportDir } = writeSampleFolder(join(root, 'sample'), { seed: 5, scale: 0.3, lowerIsBetter: true });
  const out = join(root, 'data');
  const { manifest } = await buildData({ source: exportDir, out, quiet: true });
  config = manifest.config;
  db = await createNodeConnector({ dataDir: out });
  results = await db.query<ResultCells>('SELECT filename, ts, score, status, is_baseline, verification FROM results');
}, 120_000);

afterAll(() => db?.close());

const cmp = (a: string | null, b: string | null): number => ((a ?? '') < (b ?? '') ? -1 : (a ?? '') > (b ?? '') ? 1 : 0);
const ranked = (): ResultCells[] => results.filter((r) => r.status === 'agent-run' && r.score !== null && r.ts !== null).sort((a, b) => cmp(a.ts, b.ts) || cmp(a.filename, b.filename));

describe('a lower-is-better collaboration', () => {
  it('is configured as lower-is-better', () => {
    expect(config.higher_is_better).toBe(false);
    expect(config.score_field).toBe('latency_ms');
    expect(ranked().length).toBeGreaterThan(50);
  });

  it('leaderboard: smallest score first, excluded states last, ties by time then filename', async () => {
    const rows = await runQuery<LeaderboardRow>(db, leaderboard(config, {}));
    const state = (r: ResultCells): string => (r.is_baseline ? 'baseline' : r.status === 'negative' ? 'negative' : (r.verification ?? 'pending'));
    const excluded = (r: ResultCells): number => (['negative', 'invalid', 'baseline'].includes(state(r)) ? 1 : 0);
    const want = results
      .filter((r) => r.score !== null)
      .sort((a, b) => excluded(a) - excluded(b) || a.score! - b.score! || cmp(a.ts, b.ts) || cmp(a.filename, b.filename))
      .map((r) => r.filename);
    expect(rows.map((r) => r.filename)).toEqual(want);
    const top = rows.filter((r) => !['negative', 'invalid', 'baseline'].includes(r.state));
    expect(top[0]!.score).toBe(Math.min(...top.map((r) => r.score)));
    for (let i = 1; i < top.length; i++) expect(top[i]!.score).toBeGreaterThanOrEqual(top[i - 1]!.score);
  });

  it('best so far lists the ranked results; the running best is the running minimum of eligible ones', async () => {
    const rows = await runQuery<BestSoFarRow>(db, bestSoFar(config));
    const want = ranked().filter((r) => !r.is_baseline);
    expect(rows.map((r) => r.filename)).toEqual(want.map((r) => r.filename));
    for (const scope of ['verified', 'verified-pending'] as const) {
      const steps = storySteps(rows, scope, NO_TIE, false);
      const expected: { filename: string; gain: number | null }[] = [];
      let best: number | null = null;
      for (const r of rows) {
        const ok = r.verification !== 'invalid' && r.over_cap !== true && (scope === 'verified-pending' || r.verification === 'valid');
        if (ok && (best === null || r.score < best)) {
          expected.push({ filename: r.filename, gain: best === null ? null : best - r.score });
          best = r.score;
        }
      }
      expect(expected.length).toBeGreaterThan(2);
      expect(steps.map((s) => s.item.filename)).toEqual(expected.map((e) => e.filename));
      steps.forEach((s, k) => {
        if (expected[k]!.gain === null) expect(s.gain).toBeNull();
        else expect(s.gain).toBeCloseTo(expected[k]!.gain!, 9);
      });
      for (let k = 1; k < steps.length; k++) expect(steps[k]!.score).toBeLessThan(steps[k - 1]!.score);
    }
  });

  it('leaderboard ranks are tie groups walked up from the smallest score', async () => {
    const rows = await runQuery<LeaderboardRow>(db, leaderboard(config, {}));
    const ranks = rankTexts(rows);
    const ranked = rows.filter((r) => r.ranked);
    const thr = rows[0]!.tie_threshold;
    expect(thr).not.toBeNull();
    let i = 0;
    while (i < ranked.length) {
      let j = i + 1;
      while (j < ranked.length && ranked[j]!.score - ranked[i]!.score <= thr!) j++;
      for (let k = i; k < j; k++) expect(ranks.get(ranked[k]!.filename)).toBe(j - i > 1 ? `${i + 1}–${j}` : String(i + 1));
      i = j;
    }
  });

  it('noise tie groups run from the smallest score, each group within its top', async () => {
    const q = tieLeaderboardQuery();
    const rows = await runQuery<TieRow>(db, { sql: q.sql, params: q.params, tables: q.tables });
    expect(rows.length).toBeGreaterThan(3);
    for (let i = 1; i < rows.length; i++) {
      expect(rows[i]!.score).toBeGreaterThanOrEqual(rows[i - 1]!.score);
      expect(rows[i]!.group_id).toBeGreaterThanOrEqual(rows[i - 1]!.group_id);
    }
    for (const r of rows) {
      // The top of a lower-is-better group is its minimum; distances from it are ≥ 0.
      expect(r.group_top).toBe(r.group_min);
      expect(r.delta_from_top).toBeCloseTo(r.score - r.group_top, 9);
      expect(r.delta_from_top).toBeGreaterThanOrEqual(0);
    }
    expect(rows[0]!.rank).toBe(1);
    expect(rows[0]!.score).toBe(Math.min(...rows.map((r) => r.score)));
  });
});
