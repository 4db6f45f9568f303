// Threads derivation: board threads rebuilt from refs (the board has no thread id; refs is the only reply link).
//
// RULES (the board and methods pages quote this block; keep it in step with the code)
//
// 1. Nodes [threadNodes, before]. Every message and every result is a node; filenames share one namespace. Nodes are ordered by
//    (time, filename); a node without a time sorts first.
// 2. [countedRef] A ref counts only when it resolves to a node that is EARLIER in that order. A reply cannot point at a
//    later file, and the rule makes cycles impossible (a ref to itself or to a later file is ignored here,
//    though message_links still records it).
// 3. [parentOf] Parent of a message: its first counted ref (in written order) that is a message; else its first counted
//    ref that is a result. A verifier message without a counted ref hangs under the result its verdict is
//    about (messages.verdict_result), when that result is earlier.
// 4. [parentOf] Parent of a result: its first counted ref that is a message (the plan it follows up). Result-to-result
//    refs are build-on lineage (the lineage page), not conversation, so they do not thread.
// 5. [threadRows] A result with no parent roots its own thread. So every message that refs a result joins the thread of
//    that result's other messages: the plan the result follows up when it has one, else the result's own
//    thread, where the result is the root and the messages about it hang at depth 1.
// 6. [threadRows, threadSizes] thread_id is the root's filename; depth counts steps from the root; replies counts direct children;
//    thread_size and thread_messages count the whole thread (all nodes; messages only).
import type { MessageRow, ResultRow } from '../../src/lib/schema/core.ts';
import { THREADS_TABLES, type ThreadRow } from '../../src/lib/schema/threads.ts';
import type { CoreTables } from '../ingest/ingest.ts';
import { compareStrings as cmp } from './collections.ts';
import type { Derivation } from './index.ts';

type Part = 'messages' | 'results';

interface Node {
  filename: string;
  part: Part;
  ts: string | null;
  refs: readonly string[];
  /** Verdict target for verifier messages (rule 3). */
  verdictResult: string | null;
}

/** Sort key of rule 1: time, then filename; no time sorts first. */
const before = (a: Node, b: Node): boolean => {
  const ta = a.ts ?? '';
  const tb = b.ts ?? '';
  return ta < tb || (ta === tb && a.filename < b.filename);
};

/** The rules above, in order: nodes in order (1), each node's parent (2–4) and place in its thread (5–6), sizes (6). */
export function buildThreads(
  messages: readonly Pick<MessageRow, 'filename' | 'ts' | 'refs' | 'verdict_result'>[],
  results: readonly Pick<ResultRow, 'filename' | 'ts' | 'refs'>[],
): ThreadRow[] {
  const nodes = threadNodes(messages, results);
  const ordered = [...nodes.values()].sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0));
  const rows = threadRows(ordered, (n) => parentOf(nodes, n));
  threadSizes(rows.values());
  return [...rows.values()].sort(
    (a, b) => cmp(a.thread_id, b.thread_id) || a.depth - b.depth || cmp(a.filename, b.filename),
  );
}

/** Rule 1: every message and every result is a node, by filename. */
function threadNodes(
  messages: readonly Pick<MessageRow, 'filename' | 'ts' | 'refs' | 'verdict_result'>[],
  results: readonly Pick<ResultRow, 'filename' | 'ts' | 'refs'>[],
): Map<string, Node> {
  const nodes = new Map<string, Node>();
  for (const r of results) nodes.set(r.filename, { filename: r.filename, part: 'results', ts: r.ts, refs: r.refs ?? [], verdictResult: null });
  // A message and a result never share a name (the ingest rejects the second); if they did, the message wins.
  for (const m of messages) {
    nodes.set(m.filename, { filename: m.filename, part: 'messages', ts: m.ts, refs: m.refs ?? [], verdictResult: m.verdict_result });
  }
  return nodes;
}

/** Rule 2: the node a ref of `n` names, when it is earlier than `n`. */
function countedRef(nodes: ReadonlyMap<string, Node>, n: Node, target: string | null): Node | null {
  if (!target) return null;
  const t = nodes.get(target);
  return t && before(t, n) ? t : null;
}

/** Rules 3–4: first counted message ref; for a message, else first counted result ref, else its verdict's result. */
function parentOf(nodes: ReadonlyMap<string, Node>, n: Node): Node | null {
  const refs = n.refs.map((r) => countedRef(nodes, n, r)).filter((t): t is Node => t !== null);
  const msg = refs.find((t) => t.part === 'messages');
  if (msg) return msg;
  if (n.part === 'results') return null;
  return refs.find((t) => t.part === 'results') ?? (refs.length === 0 ? countedRef(nodes, n, n.verdictResult) : null);
}

/** Rules 5–6: a node without a parent roots its thread; else it joins its parent's, one deeper (sizes still 0). */
function threadRows(ordered: readonly Node[], parent: (n: Node) => Node | null): Map<string, ThreadRow> {
  const rows = new Map<string, ThreadRow>();
  // Parents are always earlier, so one pass in order sees every parent before its children.
  for (const n of ordered) {
    const p = parent(n);
    const pr = p ? rows.get(p.filename)! : null;
    if (pr) pr.replies++;
    rows.set(n.filename, {
      filename: n.filename,
      part: n.part,
      thread_id: pr ? pr.thread_id : n.filename,
      parent: p?.filename ?? null,
      parent_part: p?.part ?? null,
      depth: pr ? pr.depth + 1 : 0,
      replies: 0,
      thread_size: 0,
      thread_messages: 0,
    });
  }
  return rows;
}

/** Rule 6: thread_size and thread_messages count the whole thread (all nodes; messages only). */
function threadSizes(rows: Iterable<ThreadRow>): void {
  const all = [...rows];
  const size = new Map<string, { all: number; messages: number }>();
  for (const r of all) {
    const s = size.get(r.thread_id) ?? { all: 0, messages: 0 };
    s.all++;
    if (r.part === 'messages') s.messages++;
    size.set(r.thread_id, s);
  }
  for (const r of all) {
    const s = size.get(r.thread_id)!;
    r.thread_size = s.all;
    r.thread_messages = s.messages;
  }
}


export const threadsDerivation: Derivation = {
  name: 'threads',
  tables: THREADS_TABLES,
  inputs: ['messages', 'results'],
  // The columns it reads of each input (the build reads back only these; tests/unit/derive/columns.test.ts checks them).
  columns: {
    messages: ['filename', 'refs', 'ts', 'verdict_result'],
    results: ['filename', 'refs', 'ts'],
  },
  run(core: CoreTables) {
    return { threads: buildThreads(core.messages, core.results) as unknown as Record<string, unknown>[] };
  },
};
