// Interactive queries for the site benchmark, run through the page's own connector (`globalThis.atlas`).
import type { Page } from 'playwright-core';
import type { CollabConfig } from '../../src/lib/config.ts';
import type { QuerySpec } from '../../src/lib/db/connector.ts';
import { leaderboard } from '../../src/lib/queries/leaderboard.sql.ts';

export interface NamedQuery {
  key: string;
  label: string;
  spec: QuerySpec;
}

export async function typicalQueries(page: Page, config: CollabConfig): Promise<NamedQuery[]> {
  type Atlas = { query: (s: string, p?: unknown[]) => Promise<Record<string, unknown>[]> };
  const [top] = await page.evaluate(
    () =>
      (globalThis as unknown as { atlas: Atlas }).atlas.query(
        'SELECT agent FROM results WHERE agent IS NOT NULL GROUP BY agent ORDER BY count(*) DESC, agent LIMIT 1',
      ),
  );
  const agent = String(top?.['agent'] ?? '');
  // The board's own builder once it exists; until then the same kind of search written out here.
  const term = 'speculative';
  let search: QuerySpec = {
    tables: ['messages'],
    params: [term],
    sql: `SELECT filename, ts, agent, headline, excerpt FROM messages
WHERE contains(lower(coalesce(headline, '') || chr(10) || coalesce(body_md, '')), lower(?))
ORDER BY ts DESC NULLS LAST, filename DESC LIMIT 50`,
  };
  try {
    const board = (await import('../../src/lib/queries/board.sql.ts')) as {
      boardMessages: (f: { q: string }, p: { limit: number }) => QuerySpec;
    };
    search = board.boardMessages({ q: term }, { limit: 50 });
  } catch {
    // board.sql.ts not there yet
  }
  return [
    { key: 'q_leaderboard', label: `leaderboard, agent filter (\`${agent}\`, most results)`, spec: leaderboard(config, { agent }) },
    { key: 'q_search', label: `board search "${term}" (newest 50)`, spec: search },
    {
      key: 'q_groupby',
      label: 'runs grouped by agent (count, best, median)',
      spec: {
        tables: ['runs'],
        sql: `SELECT agent, count(*) AS runs, count(*) FILTER (WHERE status = 'completed') AS completed,
  max(score) AS best, median(score) AS median_score
FROM runs WHERE duplicate_of IS NULL GROUP BY agent ORDER BY best DESC NULLS LAST, agent`,
      },
    },
  ];
}

/** Load the tables the queries read, then time each query: the first call and the median of `reps` more. */
export async function timeQueries(page: Page, queries: NamedQuery[], reps: number): Promise<Record<string, number>> {
  return page.evaluate(
    async ({ qs, reps }) => {
      type Atlas = {
        query: (s: string, p?: unknown[]) => Promise<unknown[]>;
        ensureTables: (t: string[]) => Promise<void>;
      };
      const atlas = (globalThis as unknown as { atlas: Atlas }).atlas;
      const out: Record<string, number> = {};
      let t0 = performance.now();
      await atlas.ensureTables([...new Set(qs.flatMap((q) => q.tables))]);
      out['tables_load'] = performance.now() - t0;
      for (const q of qs) {
        t0 = performance.now();
        const rows = await atlas.query(q.sql, q.params);
        out[`${q.key}_first`] = performance.now() - t0;
        out[`${q.key}_rows`] = rows.length;
        const times: number[] = [];
        for (let i = 0; i < reps; i++) {
          t0 = performance.now();
          await atlas.query(q.sql, q.params);
          times.push(performance.now() - t0);
        }
        times.sort((a, b) => a - b);
        out[q.key] = times[Math.floor((times.length - 1) / 2)]!;
      }
      return out;
    },
    { qs: queries.map((q) => ({ key: q.key, sql: q.spec.sql, params: [...(q.spec.params ?? [])], tables: [...q.spec.tables] })), reps },
  );
}
