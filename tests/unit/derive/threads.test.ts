// Threads derivation: hand-made messages and results with the expected tree written out by hand, edge cases, registration.
import { describe, expect, it } from 'vitest';
import { DERIVATIONS } from '../../../scripts/derive/index.ts';
import { buildThreads, threadsDerivation } from '../../../scripts/derive/threads.ts';
import { ingestExport } from '../../../scripts/ingest/ingest.ts';
import { TABLES, THREADS_TABLES, threads as threadsDef, type ThreadRow } from '../../../src/lib/schema/index.ts';

type Msg = Parameters<typeof buildThreads>[0][number];
type Res = Parameters<typeof buildThreads>[1][number];

const at = (day: number, hour: number, min = 0): string => new Date(Date.UTC(2026, 5, day, hour, min)).toISOString();
const fn = (iso: string, agent: string): string => `${iso.replace(/[-:]/g, '').replace('T', '-').replace(/\.(\d{3})Z$/, '-$1')}_${agent}.md`;
const msg = (iso: string, agent: string, refs: string[] = [], verdict_result: string | null = null): Msg => ({
  filename: fn(iso, agent),
  ts: iso,
  refs,
  verdict_result,
});
const res = (iso: string, agent: string, refs: string[] = []): Res => ({ filename: fn(iso, agent), ts: iso, refs });

// plan ← reply; plan ← result ← report, result ← verdict (no refs); a result with no plan and two messages about it;
// a message whose only refs are later / missing / itself; result-to-result refs.
const PLAN = msg(at(10, 9), 'alpha');
const REPLY = msg(at(10, 10), 'beta', [PLAN.filename]);
const RES1 = res(at(10, 12), 'alpha', [PLAN.filename]);
const REPORT = msg(at(10, 12, 5), 'alpha', [RES1.filename]);
const VERDICT = msg(at(10, 13), 'cmpatino-verifier', [], RES1.filename);
const RES2 = res(at(11, 9), 'gamma');
const ASK = msg(at(11, 9, 30), 'beta', [RES2.filename]);
// Refs a result first and a message second: the message wins (rule 3).
const ANSWER = msg(at(11, 10), 'gamma', [RES2.filename, ASK.filename]);
const LATER = msg(at(12, 9), 'alpha', []);
const LONER = msg(at(12, 8), 'dora', ['20260101-000000-000_missing.md', LATER.filename]);
const SELF = msg(at(12, 10), 'alpha');
SELF.refs = [SELF.filename];
const RES3 = res(at(12, 11), 'gamma', [RES2.filename]);

const MESSAGES = [PLAN, REPLY, REPORT, VERDICT, ASK, ANSWER, LATER, LONER, SELF];
const RESULTS = [RES1, RES2, RES3];

const row = (
  n: Msg | Res,
  part: 'messages' | 'results',
  thread: Msg | Res,
  parent: Msg | Res | null,
  parentPart: 'messages' | 'results' | null,
  depth: number,
  replies: number,
  size: number,
  messages: number,
): ThreadRow => ({
  filename: n.filename,
  part,
  thread_id: thread.filename,
  parent: parent?.filename ?? null,
  parent_part: parentPart,
  depth,
  replies,
  thread_size: size,
  thread_messages: messages,
});

const EXPECTED: ThreadRow[] = [
  row(PLAN, 'messages', PLAN, null, null, 0, 2, 5, 4),
  row(REPLY, 'messages', PLAN, PLAN, 'messages', 1, 0, 5, 4),
  row(RES1, 'results', PLAN, PLAN, 'messages', 1, 2, 5, 4),
  row(REPORT, 'messages', PLAN, RES1, 'results', 2, 0, 5, 4),
  row(VERDICT, 'messages', PLAN, RES1, 'results', 2, 0, 5, 4),
  row(RES2, 'results', RES2, null, null, 0, 1, 3, 2),
  row(ASK, 'messages', RES2, RES2, 'results', 1, 1, 3, 2),
  row(ANSWER, 'messages', RES2, ASK, 'messages', 2, 0, 3, 2),
  row(LATER, 'messages', LATER, null, null, 0, 0, 1, 1),
  row(LONER, 'messages', LONER, null, null, 0, 0, 1, 1),
  row(SELF, 'messages', SELF, null, null, 0, 0, 1, 1),
  row(RES3, 'results', RES3, null, null, 0, 0, 1, 0),
];

const sortRows = (rows: ThreadRow[]): ThreadRow[] => [...rows].sort((a, b) => (a.filename < b.filename ? -1 : 1));

describe('buildThreads', () => {
  const out = buildThreads(MESSAGES, RESULTS);

  it('builds the tree written out by hand', () => {
    expect(sortRows(out)).toEqual(sortRows(EXPECTED));
  });

  it('threads a message that refs a result into the plan that result follows up', () => {
    const byFile = new Map(out.map((r) => [r.filename, r]));
    expect(byFile.get(REPORT.filename)?.thread_id).toBe(PLAN.filename);
    expect(byFile.get(VERDICT.filename)?.thread_id).toBe(PLAN.filename);
    // Without a plan the result roots the thread, and everything about it joins it.
    expect([ASK, ANSWER].map((m) => byFile.get(m.filename)?.thread_id)).toEqual([RES2.filename, RES2.filename]);
  });

  it('ignores refs to later files, missing files and itself, and result-to-result refs', () => {
    const byFile = new Map(out.map((r) => [r.filename, r]));
    for (const n of [LONER, SELF, RES3]) expect(byFile.get(n.filename)?.parent, n.filename).toBeNull();
  });

  it('prefers a message ref over an earlier-written result ref', () => {
    expect(out.find((r) => r.filename === ANSWER.filename)?.parent).toBe(ASK.filename);
  });

  it('is independent of input order and sorted by thread, depth, filename', () => {
    const shuffled = buildThreads([...MESSAGES].reverse(), [...RESULTS].reverse());
    expect(shuffled).toEqual(out);
    const keys = out.map((r) => [r.thread_id, String(r.depth).padStart(4, '0'), r.filename].join('|'));
    expect(keys).toEqual([...keys].sort());
  });

  it('handles empty input, null times, null refs and unicode names', () => {
    expect(buildThreads([], [])).toEqual([]);
    const a: Msg = { filename: '20260610-000000-000_zoë.md', ts: null, refs: null, verdict_result: null };
    const b: Msg = { filename: '20260610-000001-000_ünï.md', ts: at(10, 0), refs: [a.filename], verdict_result: null };
    const rows = buildThreads([b, a], []);
    // A node without a time sorts first, so it can be a parent but has none.
    expect(rows.map((r) => [r.filename, r.parent, r.depth])).toEqual([
      [a.filename, null, 0],
      [b.filename, a.filename, 1],
    ]);
  });

  it('a verifier message with refs follows its refs, not its verdict target', () => {
    const v = msg(at(10, 14), 'cmpatino-verifier', [REPLY.filename], RES1.filename);
    const rows = buildThreads([PLAN, REPLY, v], [RES1]);
    expect(rows.find((r) => r.filename === v.filename)?.parent).toBe(REPLY.filename);
  });

  it('deep chains get increasing depth and one thread', () => {
    const chain: Msg[] = [];
    for (let i = 0; i < 30; i++) chain.push(msg(at(20, 0, i), `a${i}`, i ? [chain[i - 1]!.filename] : []));
    const rows = buildThreads(chain, []);
    expect(new Set(rows.map((r) => r.thread_id))).toEqual(new Set([chain[0]!.filename]));
    expect(Math.max(...rows.map((r) => r.depth))).toBe(29);
    expect(rows.every((r) => r.thread_size === 30)).toBe(true);
  });
});

describe('registration and the ingest', () => {
  it('is registered and its table is in the schema module, rows carry exactly its columns', () => {
    expect(DERIVATIONS).toContain(threadsDerivation);
    for (const def of THREADS_TABLES) expect(TABLES).toContain(def);
    const rows = buildThreads(MESSAGES, RESULTS);
    for (const r of rows) expect(Object.keys(r).sort()).toEqual(threadsDef.columns.map((c) => c.name).sort());
  });

  it('runs on the broken fixture export: one row per message and result', () => {
    const ing = ingestExport(new URL('../../fixtures/broken-export/', import.meta.url).pathname);
    const out = threadsDerivation.run(ing.tables, ing.config)['threads'] ?? [];
    const names = [...ing.tables.messages.map((m) => m.filename), ...ing.tables.results.map((r) => r.filename)];
    expect(out.map((r) => r['filename']).sort()).toEqual([...new Set(names)].sort());
  });
});
