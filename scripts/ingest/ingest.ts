// Export folder → rows of every core table, step by step: list the entries and sort them into parts, read and
// validate each part's files (each inside its own boundary), then build the rows. Pure apart from reading the
// files; no clock, stable order.
import type {
  AgentRow,
  DocumentRow,
  LeaderboardSnapshotRow,
  MessageLinkRow,
  MessageRow,
  RejectRow,
  ResultRow,
  RunRow,
  TaskforceRow,
} from '../../src/lib/schema/core.ts';
import type { ChannelMemberRow, ChannelRow, MessageRoomRow, RefAmbiguityRow, TraceRow } from '../../src/lib/schema/rooms.ts';
import { parseConfig, DEFAULT_CONFIG, type CollabConfig } from '../../src/lib/config.ts';
import type { BoardRecord } from './board.ts';
import { isolate } from './boundary.ts';
import { probe } from '../build/memory.ts';
import { agentFlags, sortIntoParts, type IngestContext, type Parts } from './context.ts';
import { buildChannelRows, buildMessageRooms } from './channel-rows.ts';
import { buildLinks } from './links.ts';
import { isRoomKey, RecordKeys, resolveRefs } from './message-keys.ts';
import { readRooms, type RoomFiles } from './read-channels.ts';
import { readTraces } from './read-traces.ts';
import { supersedeTraces } from './trace-rows.ts';
import { addSeenAgents, attachCredits, buildMessageRows } from './message-rows.ts';
import { readApiListings, readBoardFiles, readVerificationIndex } from './read-board.ts';
import { readAgentFiles, readDocuments, readRuns, readSnapshots, readTaskforces } from './read-collections.ts';
import { buildResultRows, newestSnapshotRows } from './result-rows.ts';
import { RunIndex } from './recover.ts';
import { listFiles, NO_MEMO, readJson, Rejects, type InputFile, type UnitMemo } from './source.ts';

export { buildLinks, submissionPrefixOf } from './links.ts';

export interface CoreTables {
  agents: AgentRow[];
  messages: MessageRow[];
  message_links: MessageLinkRow[];
  results: ResultRow[];
  runs: RunRow[];
  leaderboard_snapshots: LeaderboardSnapshotRow[];
  taskforces: TaskforceRow[];
  documents: DocumentRow[];
  // The newer template's rooms and traces (optional so derivations and their tests can pass the tables they read).
  channels?: ChannelRow[];
  channel_members?: ChannelMemberRow[];
  message_rooms?: MessageRoomRow[];
  ref_ambiguities?: RefAmbiguityRow[];
  traces?: TraceRow[];
  rejects: RejectRow[];
}

export interface IngestResult {
  tables: CoreTables;
  config: CollabConfig;
  /** Every input file with its part, for the manifest and the input hash. */
  files: InputFile[];
  filesPerPart: Record<string, number>;
  /**
   * Whole-collection files read without rows of their own: API listings (their items became rows or confirmed
   * files) and leaderboard responses with no rows.
   */
  apiListings: string[];
}

export interface IngestOptions {
  /** Overrides the export's own collab-atlas.json. */
  config?: CollabConfig;
  /** The export's files as listFiles(root) returns them, when the caller has listed them already. */
  files?: InputFile[];
  onProgress?: (done: number, total: number, what: string) => void;
  /** Answers units of work whose files are unchanged (the incremental build); default: compute everything. */
  memo?: UnitMemo;
}

export function ingestExport(root: string, opts: IngestOptions = {}): IngestResult {
  const files = opts.files ?? listFiles(root);
  const rejects = new Rejects();
  let done = 0;
  const tick = (what: string, n = 1): void => {
    done += n;
    opts.onProgress?.(done, files.length, what);
  };

  // 1. List: sort entries into the parts of the layout; links, FIFOs, unknown folders become rejects here.
  const parts = sortIntoParts(files, rejects);
  tick('unknown', parts.get('unknown').length);
  const config = readConfig(parts, rejects, opts.config, tick);
  const ctx: IngestContext = { rejects, memo: opts.memo ?? NO_MEMO, config, flags: agentFlags(config), tick };

  // 2. Read, parse and validate each part.
  probe('ingest-parts');
  const board = readBoardFiles(ctx, parts);
  probe('ingest-read/board');
  const verificationIndex = readVerificationIndex(ctx, parts);
  const api = readApiListings(ctx, parts);
  const agentRows = readAgentFiles(ctx, parts);
  probe('ingest-read/agents');
  for (const a of api.agents) if (!agentRows.has(a.agent_id)) agentRows.set(a.agent_id, a);
  const snapshots = readSnapshots(ctx, parts, api.listings);
  const runs = readRuns(ctx, parts);
  probe('ingest-read/runs');
  const taskforces = readTaskforces(ctx, parts);
  const rooms = readRooms(ctx, parts);
  const traces = supersedeTraces(readTraces(ctx, parts));
  const documents = readDocuments(ctx, parts);
  probe('ingest-read');

  // 3. Rows. Messages: message_board wins over inbox copies, files win over API items; results likewise.
  const { messageRecords, resultRecords } = mergeRecords(board, api, rooms);
  const results = buildResultRows(ctx, {
    records: resultRecords.values(),
    newest: newestSnapshotRows(snapshots),
    snapshots,
    verificationIndex,
    messageNames: messageRecords,
    runIndex: new RunIndex(runs),
  });
  addSeenAgents(ctx, agentRows, { messages: messageRecords.values(), results, runs, snapshots, traces });
  probe('ingest-rows/results');
  const messages = buildMessageRows(ctx, messageRecords.values(), board.recipients, new Set(results.map((r) => r.filename)));
  // The records are rows now: drop the ingest's maps of them, so what only they held (recipient sets, inbox copies
  // rekeyed, the maps themselves) goes before links are built (a cached build's units still hold the records).
  for (const m of [messageRecords, resultRecords, board.boardMessages, board.inboxCopies, board.resultRecords, board.recipients, api.messages, api.results, rooms.messages, verificationIndex]) m.clear();
  // Credits on results need the full set of handles.
  probe('ingest-rows/messages');
  const credited = attachCredits(ctx, results, new Set(agentRows.keys()));
  // Refs naming a channel message or broadcast by its bare file name find it here (message-keys.ts); an export
  // without channels or broadcasts keeps every ref and link as before.
  const known = new Set([...messages.map((m) => m.filename), ...credited.map((r) => r.filename)]);
  const keys = new RecordKeys((k) => known.has(k), messages.map((m) => m.filename).filter(isRoomKey));
  const ambiguities = resolveRefs(keys, messages, credited);
  const messageLinks = buildLinks(messages, credited, keys, ambiguities);
  probe('ingest-end');

  return {
    tables: {
      agents: [...agentRows.values()],
      messages,
      message_links: messageLinks,
      results: credited,
      runs,
      leaderboard_snapshots: snapshots.flatMap((s) => s.rows),
      taskforces,
      documents,
      channels: buildChannelRows(rooms.readmes, rooms.members, messages),
      channel_members: rooms.members,
      message_rooms: buildMessageRooms(messages, keys),
      ref_ambiguities: ambiguities,
      traces,
      rejects: rejects.rows,
    },
    config,
    files,
    filesPerPart: parts.filesPerPart,
    apiListings: api.listings,
  };
}

/** The CLI's configuration, else the export's collab-atlas.json, else the default. */
function readConfig(parts: Parts, rejects: Rejects, given: CollabConfig | undefined, tick: (what: string) => void): CollabConfig {
  let config = given ?? DEFAULT_CONFIG;
  for (const f of parts.get('config')) {
    const v = isolate(rejects, [f.rel], 'config', 'parse', () => readJson(f, 'config', rejects), undefined);
    if (v !== undefined && !given) {
      try {
        config = parseConfig(v, f.rel);
      } catch (e) {
        rejects.add(f.rel, 'config', 'validate', 'invalid collaboration config; the default was used', (e as Error).message);
      }
    }
    tick('config');
  }
  return config;
}

/**
 * One record per key: message_board/ (and channels/, broadcasts/) over inbox copies over API items; a name that is
 * a message is not a result.
 */
function mergeRecords(
  board: ReturnType<typeof readBoardFiles>,
  api: ReturnType<typeof readApiListings>,
  rooms: RoomFiles,
): { messageRecords: Map<string, BoardRecord>; resultRecords: Map<string, BoardRecord> } {
  const messageRecords = new Map<string, BoardRecord>(api.messages);
  for (const [k, r] of board.inboxCopies) messageRecords.set(k, r);
  for (const [k, r] of board.boardMessages) messageRecords.set(k, r);
  for (const [k, r] of rooms.messages) messageRecords.set(k, r);
  for (const k of board.resultRecords.keys()) messageRecords.delete(k);
  const resultRecords = new Map<string, BoardRecord>(api.results);
  for (const [k, r] of board.resultRecords) resultRecords.set(k, r);
  for (const k of messageRecords.keys()) {
    if (resultRecords.get(k)?.sourcePart === 'api') resultRecords.delete(k);
  }
  return { messageRecords, resultRecords };
}
