// Episodes rule 1: the board as the rules read it: messages in time order, replies through the refs graph
// (message_links ref and quoted-filename rows), @-mentions, linked results and their verdicts.
import type { CollabConfig } from '../../../src/lib/config.ts';
import type { MessageRow, ResultRow } from '../../../src/lib/schema/core.ts';
import type { CoreTables } from '../../ingest/ingest.ts';
import { pushTo } from '../collections.ts';

export interface Msg {
  file: string;
  path: string;
  agent: string;
  ts: string;
  tms: number;
  title: string;
  text: string;
  mentions: string[];
  isHuman: boolean;
  row: MessageRow;
}

export interface BoardContext {
  msgs: Msg[];
  byFile: Map<string, Msg>;
  /** Later messages that ref or quote a message, in time order. */
  replies: Map<string, Msg[]>;
  /** Results a message links to. */
  resultsOf: Map<string, ResultRow[]>;
  results: Map<string, ResultRow>;
  /** Verifier verdicts per result filename. */
  verdicts: Map<string, MessageRow[]>;
  organisers: Set<string>;
}

const tmsOf = (ts: string | null): number | null => {
  const v = ts ? Date.parse(ts) : Number.NaN;
  return Number.isFinite(v) ? v : null;
};

export function boardContext(core: CoreTables, config: CollabConfig): BoardContext {
  const verifiers = new Set(config.verifier_agents);
  const msgs: Msg[] = [];
  const verdicts = new Map<string, MessageRow[]>();
  for (const m of core.messages) {
    if (m.is_verifier || verifiers.has(m.agent ?? '')) {
      if (m.verdict_result) pushTo(verdicts, m.verdict_result, m);
      continue;
    }
    const tms = tmsOf(m.ts);
    if (tms === null || !m.agent || m.source_part === 'api') continue;
    const title = (m.headline ?? '').replace(/^#+\s*/, '');
    msgs.push({ file: m.filename, path: m.source_file ?? `message_board/${m.filename}`, agent: m.agent, ts: m.ts!, tms, title, text: m.body_md ?? m.headline ?? '', mentions: m.mentions ?? [], isHuman: m.is_human === true, row: m });
  }
  msgs.sort((a, b) => a.tms - b.tms || (a.file < b.file ? -1 : 1));
  const byFile = new Map(msgs.map((m) => [m.file, m]));
  const results = new Map(core.results.map((r) => [r.filename, r]));
  const replies = new Map<string, Msg[]>();
  const resultsOf = new Map<string, ResultRow[]>();
  const seen = new Set<string>();
  for (const l of core.message_links) {
    if (l.kind === 'mention' || !l.to_file) continue;
    const from = byFile.get(l.from_file);
    if (!from || seen.has(`${l.from_file}→${l.to_file}`)) continue;
    seen.add(`${l.from_file}→${l.to_file}`);
    const toMsg = byFile.get(l.to_file);
    if (toMsg && toMsg.tms <= from.tms && toMsg !== from) pushTo(replies, toMsg.file, from);
    const toRes = l.to_part === 'results' ? results.get(l.to_file) : undefined;
    if (toRes) pushTo(resultsOf, from.file, toRes);
  }
  for (const list of replies.values()) list.sort((a, b) => a.tms - b.tms);
  // Organisers: human identities that post on the board (a human asked agents to move, too: a reply by a human is
  // a ruling only when it says so, see index.ts rule 3).
  const organisers = new Set(msgs.filter((m) => m.isHuman).map((m) => m.agent));
  return { msgs, byFile, replies, resultsOf, results, verdicts, organisers };
}

/** Replies by agents other than the message's author. */
export const othersReplies = (ctx: BoardContext, m: Msg): Msg[] => (ctx.replies.get(m.file) ?? []).filter((r) => r.agent !== m.agent);

/** Other agents the message addresses: @-mentions and authors of results it links to. */
export function addressed(ctx: BoardContext, m: Msg): string[] {
  const out = new Set(m.mentions.filter((a) => a !== m.agent && a !== 'all'));
  for (const r of ctx.resultsOf.get(m.file) ?? []) if (r.agent && r.agent !== m.agent) out.add(r.agent);
  return [...out];
}
