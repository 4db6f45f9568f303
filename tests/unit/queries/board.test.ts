// Board SQL builders on a real DuckDB over Parquet written by buildData from tests/fixtures/board-export.ts (and the broken export).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildData } from '../../../scripts/build-data.ts';
import { runQuery, type QuerySpec } from '../../../src/lib/db/connector.ts';
import { createNodeConnector, type NodeConnector } from '../../../src/lib/db/node.ts';
import {
  boardCounts,
  boardFacets,
  boardMessages,
  boardThreads,
  focusItem,
  focusLinks,
  focusResults,
  focusRuns,
  focusThread,
  hasFilters,
  knownFiles,
  type BoardCountsRow,
  type BoardFacetRow,
  type BoardMessageRow,
  type BoardThreadRow,
  type FocusItemRow,
  type FocusLinkRow,
  type FocusResultRow,
  type FocusRunRow,
  type FocusThreadRow,
} from '../../../src/lib/queries/board.sql.ts';
import { inlineParams } from '../../../src/lib/sql-text.ts';
import { F, JOB_R2, MISSING, writeBoardExport } from '../../fixtures/board-export.ts';

let tmp: string;
let db: NodeConnector;
const q = <R>(spec: QuerySpec): Promise<R[]> => runQuery<R>(db, spec);

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'atlas-board-'));
  writeBoardExport(join(tmp, 'export'));
  const { manifest } = await buildData({ source: join(tmp, 'export'), out: join(tmp, 'data'), quiet: true });
  expect(manifest.rejects).toBe(0);
  db = await createNodeConnector({ dataDir: join(tmp, 'data') });
});
afterAll(() => {
  db?.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe('counts, facets, thread list', () => {
  it('counts messages, threads with a message, authors, replies, days', async () => {
    expect(await q<BoardCountsRow>(boardCounts())).toEqual([
      { messages: 8, threads: 4, authors: 5, replies: 5, days: 3, first_ts: '2026-06-10T09:00:00.000Z', last_ts: '2026-06-12T09:00:00.000Z' },
    ]);
  });

  it('facets count messages per value', async () => {
    const rows = await q<BoardFacetRow>(boardFacets());
    const of = (f: string) => Object.fromEntries(rows.filter((r) => r.facet === f).map((r) => [r.value, r.n]));
    expect(of('agent')).toEqual({ alpha: 3, betty: 2, gamma: 1, 'cmpatino-verifier': 1, 'human-dora': 1 });
    expect(of('day')).toEqual({ '2026-06-10': 4, '2026-06-11': 2, '2026-06-12': 2 });
    expect(of('mention')).toEqual({ alpha: 3, betty: 1, gamma: 1, 'nobody-here': 1 });
    expect(of('type')).toEqual({ agent: 7, verification: 1 });
    expect(of('kind')).toEqual({ plan: 1, other: 2, 'results-report': 3, verdict: 1, intro: 1 });
  });

  it('lists threads with a message by latest activity; a result-only thread is not listed', async () => {
    const rows = await q<BoardThreadRow>(boardThreads());
    expect(rows.map((r) => [r.thread_id, r.root_part, r.replies, r.thread_messages, r.last_ts, r.last_agent, r.total])).toEqual([
      [F.M8, 'messages', 0, 1, '2026-06-12T09:00:00.000Z', 'alpha', 4],
      [F.M7, 'messages', 0, 1, '2026-06-12T08:00:00.000Z', 'human-dora', 4],
      [F.R2, 'results', 2, 2, '2026-06-11T10:00:00.000Z', 'gamma', 4],
      [F.M1, 'messages', 4, 4, '2026-06-10T13:00:00.000Z', 'cmpatino-verifier', 4],
    ]);
    const r2 = rows.find((r) => r.thread_id === F.R2)!;
    expect([r2.score, r2.method, r2.state, r2.headline]).toEqual([500, 'fused-k2', 'invalid', "builds on alpha's fused-k1"]);
    expect(rows.find((r) => r.thread_id === F.M1)?.headline).toBe('Plan: try fused kernels');
  });

  it('pages with limit and offset, clamping nonsense', async () => {
    expect((await q<BoardThreadRow>(boardThreads({ limit: 2, offset: 1 }))).map((r) => r.thread_id)).toEqual([F.M7, F.R2]);
    expect((await q<BoardThreadRow>(boardThreads({ limit: -5 })))).toEqual([]);
    expect((await q<BoardThreadRow>(boardThreads({ limit: Number.NaN }))).length).toBe(4);
    expect(boardThreads({ limit: 1e12, offset: 2.7 }).sql).toMatch(/LIMIT 5000 OFFSET 2$/);
  });
});

describe('search and filters', () => {
  const files = async (f: Parameters<typeof boardMessages>[0]) => (await q<BoardMessageRow>(boardMessages(f))).map((r) => r.filename);

  it('searches headline and body case-insensitively, unicode included', async () => {
    expect(await files({ q: 'XYZZY' })).toEqual([F.M5]);
    expect(await files({ q: 'ünïcode' })).toEqual([F.M8]);
    expect(await files({ q: 'fused' })).toEqual([F.M6, F.M5, F.M3, F.M2, F.M1]);
  });

  it('treats %, _, quotes and SQL as plain characters (bound, never spliced)', async () => {
    expect(await files({ q: '100%_ok' })).toEqual([F.M5]);
    expect(await files({ q: '%' })).toEqual([F.M5]);
    expect(await files({ q: "'; DROP TABLE messages; --" })).toEqual([]);
    const spec = boardMessages({ q: "'; DROP TABLE messages; --", agent: "a'b" });
    expect(spec.sql).not.toContain('DROP');
    // The search's terms in the order typed, then the agent: each bound on its own.
    expect(spec.params).toEqual(["';", 'drop', 'table', 'messages;', '--', "a'b"]);
    expect((await q<{ n: number }>({ tables: ['messages'], sql: 'SELECT count(*) AS n FROM messages' }))[0]?.n).toBe(8);
  });

  it('filters by agent, type, kind, day and mention (with or without @), combined with AND', async () => {
    expect(await files({ agent: 'alpha' })).toEqual([F.M8, F.M3, F.M1]);
    expect(await files({ type: 'verification' })).toEqual([F.M4]);
    expect(await files({ kind: 'results-report' })).toEqual([F.M6, F.M5, F.M3]);
    expect(await files({ day: '2026-06-11' })).toEqual([F.M6, F.M5]);
    expect(await files({ mention: '@alpha' })).toEqual([F.M7, F.M4, F.M2]);
    expect(await files({ mention: 'alpha', agent: 'betty' })).toEqual([F.M2]);
    expect(await files({ day: 'not-a-day' })).toEqual([]);
    expect(await files({ q: '   ' })).toHaveLength(8);
  });

  it('carries the thread of each match', async () => {
    const [m6] = await q<BoardMessageRow>(boardMessages({ q: 'see submissions/gamma' }));
    expect(m6 && [m6.filename, m6.thread_id, m6.depth, m6.parent, m6.thread_size, m6.root_headline, m6.total]).toEqual([
      F.M6, F.R2, 2, F.M5, 3, "builds on alpha's fused-k1", 1,
    ]);
  });

  it('hasFilters', () => {
    expect(hasFilters({})).toBe(false);
    expect(hasFilters({ q: '  ', agent: null })).toBe(false);
    expect(hasFilters({ mention: 'x' })).toBe(true);
  });
});

describe('focus', () => {
  it('a result: its fields and its place in the thread', async () => {
    const [r1] = await q<FocusItemRow>(focusItem(F.R1));
    expect(r1).toMatchObject({
      filename: F.R1, part: 'results', agent: 'alpha', score: 480.5, secondary: 2.39, method: 'fused-k1', state: 'valid',
      kind: 'result', thread_id: F.M1, depth: 1, parent: F.M1, replies: 2, thread_size: 5,
    });
    expect(await q(focusItem(MISSING))).toEqual([]);
  });

  it('a message: its fields', async () => {
    const [m4] = await q<FocusItemRow>(focusItem(F.M4));
    expect(m4).toMatchObject({ part: 'messages', kind: 'verdict', verdict: 'valid', verdict_result: F.R1, parent: F.R1, depth: 2, score: null });
  });

  it('the thread, depth first with children by time', async () => {
    const rows = await q<FocusThreadRow>(focusThread(F.M3));
    expect(rows.map((r) => [r.filename, r.part, r.depth, r.is_focus])).toEqual([
      [F.M1, 'messages', 0, false],
      [F.M2, 'messages', 1, false],
      [F.R1, 'results', 1, false],
      [F.M3, 'messages', 2, true],
      [F.M4, 'messages', 2, false],
    ]);
    expect((await q<FocusThreadRow>(focusThread(F.M6))).map((r) => r.filename)).toEqual([F.R2, F.M5, F.M6]);
    expect(await q(focusThread(MISSING))).toEqual([]);
  });

  it('links in (refs and quotes) and out (unresolved targets kept)', async () => {
    const r1 = await q<FocusLinkRow>(focusLinks(F.R1));
    expect(r1.map((l) => [l.direction, l.kind, l.other, l.other_part])).toEqual([
      ['in', 'ref', F.M3, 'messages'],
      ['in', 'quoted-filename', F.M4, 'messages'],
      ['out', 'ref', F.M1, 'messages'],
    ]);
    const m7 = await q<FocusLinkRow>(focusLinks(F.M7));
    expect(m7.map((l) => [l.direction, l.kind, l.other, l.other_part])).toEqual([
      ['out', 'ref', F.M8, 'messages'],
      ['out', 'ref', MISSING, 'unresolved'],
    ]);
  });

  it('results it refs or quotes', async () => {
    const rows = await q<FocusResultRow>(focusResults(F.M4));
    expect(rows.map((r) => [r.filename, r.state, r.link, r.score])).toEqual([[F.R1, 'valid', 'quoted-filename', 480.5]]);
    expect((await q<FocusResultRow>(focusResults(F.M6))).map((r) => [r.filename, r.state])).toEqual([[F.R2, 'invalid']]);
    expect(await q(focusResults(F.M1))).toEqual([]);
  });

  it('runs by quoted job id or submission prefix, canonical dirs only', async () => {
    const [canonical] = await q<{ run_dir: string }>({
      tables: ['runs'],
      params: [JOB_R2],
      sql: 'SELECT run_dir FROM runs WHERE job_id = ? AND duplicate_of IS NULL',
    });
    const r2 = await q<FocusRunRow>(focusRuns(F.R2));
    expect(r2.map((r) => [r.run_dir, r.job_id, r.matched_by, r.via_file])).toEqual([[canonical?.run_dir, JOB_R2, 'job', F.R2]]);
    // M6 names the submission in its body and refs R2, whose body quotes the job.
    const m6 = await q<FocusRunRow>(focusRuns(F.M6));
    expect(m6.map((r) => [r.run_dir, r.matched_by, r.via_file])).toEqual([[canonical?.run_dir, 'job, submission', F.R2]]);
    expect(await q(focusRuns(F.M3))).toEqual([]);
  });

  it('one bound parameter per focus query; "view the SQL" inlines it safely', () => {
    for (const b of [focusItem, focusThread, focusLinks, focusResults, focusRuns]) {
      const spec = b("x'); DROP TABLE runs; --");
      expect(spec.params).toEqual(["x'); DROP TABLE runs; --"]);
      expect(inlineParams(spec)).toContain("'x''); DROP TABLE runs; --'");
    }
  });

  it('known files lists every message and result', async () => {
    expect((await q<{ filename: string }>(knownFiles())).map((r) => r.filename)).toEqual(Object.values(F).sort());
  });
});

describe('the broken fixture export', () => {
  it('every builder runs and agrees with the tables', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'atlas-board-broken-'));
    try {
      await buildData({ source: new URL('../../fixtures/broken-export/', import.meta.url).pathname, out: dir, quiet: true });
      const b = await createNodeConnector({ dataDir: dir });
      try {
        const [{ n }] = (await b.query<{ n: number }>('SELECT count(*) AS n FROM messages')) as [{ n: number }];
        expect((await runQuery<BoardCountsRow>(b, boardCounts()))[0]?.messages).toBe(n);
        expect((await runQuery<BoardMessageRow>(b, boardMessages({ q: 'ünïcode' }))).map((r) => r.agent)).toEqual(['good-agent']);
        const [first] = await runQuery<BoardThreadRow>(b, boardThreads());
        expect(first).toBeDefined();
        for (const spec of [focusItem(first!.thread_id), focusThread(first!.thread_id), focusLinks(first!.thread_id), focusResults(first!.thread_id), focusRuns(first!.thread_id), boardFacets()]) {
          await expect(runQuery(b, spec)).resolves.toBeInstanceOf(Array);
        }
      } finally {
        b.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
