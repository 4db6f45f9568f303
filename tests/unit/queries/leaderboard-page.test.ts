// The leaderboard table's page (leaderboardPage) against the whole list (leaderboard) on built samples, both score
// directions: the same first rows with the same tie-group rank texts, the same rows that cannot rank, and the counts
// of every row under the filters.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildData } from '../../../scripts/build-data.ts';
import { writeSampleFolder } from '../../../scripts/sample/output.ts';
import type { CollabConfig } from '../../../src/lib/config.ts';
import { runQuery } from '../../../src/lib/db/connector.ts';
import { createNodeConnector, type NodeConnector } from '../../../src/lib/db/node.ts';
import {
  leaderboard,
  leaderboardPage,
  leaderboardPoints,
  type LeaderboardFilters,
  type LeaderboardPageRow,
  type LeaderboardRow,
  type TimelineRow,
} from '../../../src/lib/queries/leaderboard.sql.ts';
import { rankTexts } from '../../../src/lib/views/leaderboard-table.ts';

interface Built {
  db: NodeConnector;
  config: CollabConfig;
}
const built: Record<string, Built> = {};

beforeAll(async () => {
  for (const [name, lowerIsBetter] of [['higher', false], ['lower', true]] as const) {
    const root = mkdtempSync(join(tmpdir(), `atlas-lbpage-${name}-`));
    const { exportDir } = writeSampleFolder(join(root, 'sample'), { seed: 11, scale: 0.4, lowerIsBetter });
    const out = join(root, 'data');
    const { manifest } = await buildData({ source: exportDir, out, quiet: true });
    built[name] = { db: await createNodeConnector({ dataDir: out }), config: manifest.config };
  }
}, 240_000);

afterAll(() => {
  for (const b of Object.values(built)) b.db.close();
});

const WHY: Record<string, string> = { invalid: 'invalid', negative: 'dead end', baseline: 'baseline' };

/** The reasons rows cannot rank, counted over the whole list in the order it meets them (as the table names them). */
function notRanked(rows: readonly LeaderboardRow[]): { why: string; n: number }[] {
  const m = new Map<string, number>();
  for (const r of rows) if (!r.ranked) m.set(WHY[r.state] ?? 'over the cap', (m.get(WHY[r.state] ?? 'over the cap') ?? 0) + 1);
  return [...m].map(([why, n]) => ({ why, n }));
}

const strip = ({ n_results: _a, n_ranked: _b, not_ranked: _c, ...row }: LeaderboardPageRow): LeaderboardRow => row;

describe.each(['higher', 'lower'])('leaderboard page, %s is better', (name) => {
  const filterSets = async (): Promise<LeaderboardFilters[]> => {
    const { db, config } = built[name]!;
    const all = await runQuery<LeaderboardRow>(db, leaderboard(config, {}));
    const per = new Map<string, number>();
    for (const r of all) if (r.agent) per.set(r.agent, (per.get(r.agent) ?? 0) + 1);
    const topAgent = [...per].sort((a, b) => b[1] - a[1])[0]![0];
    return [{}, { agent: topAgent }, { verifiedOnly: true }, { status: 'invalid' }, { bestPerAgent: true }, { status: 'baseline' }];
  };

  it('holds the first rows of the whole list, their rank texts and every count, for any page size', async () => {
    const { db, config } = built[name]!;
    let straddled = 0;
    for (const f of await filterSets()) {
      const full = await runQuery<LeaderboardRow>(db, leaderboard(config, f));
      const fullRanked = full.filter((r) => r.ranked);
      const fullOthers = full.filter((r) => !r.ranked);
      const fullTexts = rankTexts(full);
      for (const [ranked, unranked] of [[0, 0], [1, 0], [3, 2], [10, 5], [25, 1], [1_000_000, 1_000_000]] as const) {
        const page = await runQuery<LeaderboardPageRow>(db, leaderboardPage(config, f, { ranked, unranked }));
        const at = `${JSON.stringify(f)} ranked ${ranked} unranked ${unranked}`;
        const pageRanked = page.filter((r) => r.ranked);
        // A prefix of the ranked rows, at least `ranked` long (more only to finish the last row's tie group).
        expect(pageRanked.length, at).toBeGreaterThanOrEqual(Math.min(ranked, fullRanked.length));
        expect(pageRanked.map(strip), at).toEqual(fullRanked.slice(0, pageRanked.length));
        const texts = rankTexts(page);
        for (const r of fullRanked.slice(0, ranked)) expect(texts.get(r.filename), `${at} ${r.filename}`).toBe(fullTexts.get(r.filename));
        // The same rank text on both sides of the cut: one tie group spans it.
        if (ranked > 0 && ranked < fullRanked.length && fullTexts.get(fullRanked[ranked - 1]!.filename) === fullTexts.get(fullRanked[ranked]!.filename)) straddled++;
        expect(page.filter((r) => !r.ranked).map(strip), at).toEqual(fullOthers.slice(0, unranked));
        for (const r of page) {
          expect(r.n_results, at).toBe(full.length);
          expect(r.n_ranked, at).toBe(fullRanked.length);
          expect(r.not_ranked ?? [], at).toEqual(notRanked(full));
        }
      }
    }
    // Some page ended inside a tie group (the group's rank text spans the cut), so finishing the group was tested.
    expect(straddled).toBeGreaterThan(0);
  });

  it('gives the charts every row under the filters, with the columns they draw', async () => {
    const { db, config } = built[name]!;
    for (const f of await filterSets()) {
      const full = await runQuery<LeaderboardRow>(db, leaderboard(config, f));
      const points = await runQuery<TimelineRow>(db, leaderboardPoints(config, f));
      const pick = (r: LeaderboardRow): TimelineRow => ({
        filename: r.filename,
        ts: r.ts,
        agent: r.agent,
        score: r.score,
        secondary: r.secondary,
        method: r.method,
        verification: r.verification,
        state: r.state,
        over_cap: r.over_cap,
        ranked: r.ranked,
        tie_threshold: r.tie_threshold,
      });
      expect(points, JSON.stringify(f)).toEqual(full.map(pick));
    }
  });
});
