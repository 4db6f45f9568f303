// SQL builders for the newer template's rooms and traces: channels with their theme and members, the messages of
// each room (channel messages and broadcasts, keyed by export path), and an agent's traces. An agent handle is
// bound as a `?` parameter. Token and tool figures stay NULL when unknown; sums skip them (never counted as 0).
import type { QuerySpec } from '../db/connector.ts';

export interface RoomRow {
  channel: string;
  creator: string | null;
  created: string | null;
  title: string | null;
  theme_md: string | null;
  members: number;
  messages: number;
  last_message: string | null;
  member_list: string[] | null;
}

export function boardRooms(): QuerySpec {
  return {
    tables: ['channels', 'channel_members'],
    sql: `SELECT c.channel, c.creator, c.created::VARCHAR AS created, c.title, c.theme_md, c.members::INTEGER AS members,
  c.messages::INTEGER AS messages, c.last_message::VARCHAR AS last_message,
  (SELECT list(m.handle ORDER BY m.handle) FROM channel_members m WHERE m.channel = c.channel) AS member_list
FROM channels c
ORDER BY c.channel`,
  };
}

export interface RoomMessageRow {
  filename: string;
  room_kind: string;
  channel: string | null;
  broadcast: boolean | null;
  same_name: number | null;
  agent: string | null;
  ts: string | null;
  headline: string | null;
  excerpt: string | null;
  via: string | null;
}

/** Messages outside the main board, newest first per room (channel messages, broadcasts, flagged board posts). */
export function roomMessages(): QuerySpec {
  return {
    tables: ['message_rooms', 'messages'],
    sql: `SELECT r.filename, r.room_kind, r.channel, r.broadcast, r.same_name::INTEGER AS same_name, m.agent,
  m.ts::VARCHAR AS ts, m.headline, m.excerpt, m.via
FROM message_rooms r JOIN messages m USING (filename)
ORDER BY r.room_kind, r.channel NULLS LAST, m.ts DESC NULLS LAST, r.filename`,
  };
}

export interface TraceListRow {
  path: string;
  session: string | null;
  session_id: string | null;
  harness: string | null;
  model: string | null;
  share: string | null;
  completeness: string | null;
  started_at: string | null;
  promoted_at: string | null;
  total_tokens: number | null;
  tool_calls: number | null;
  log_files: string[] | null;
  superseded_by: string | null;
}

export function agentTraces(agent: string): QuerySpec {
  return {
    tables: ['traces'],
    params: [agent],
    sql: `SELECT path, session, session_id, harness, model, share, completeness, started_at::VARCHAR AS started_at,
  promoted_at::VARCHAR AS promoted_at, total_tokens::DOUBLE AS total_tokens, tool_calls::INTEGER AS tool_calls,
  log_files, superseded_by
FROM traces WHERE agent = ?
ORDER BY superseded_by IS NOT NULL, coalesce(started_at, promoted_at) DESC NULLS LAST, path`,
  };
}

export interface TraceTotalsRow {
  sessions: number;
  tokens: number | null;
  counted: number;
  unknown_tokens: number;
  tool_calls: number | null;
  unknown_tools: number;
}

/** Totals over the copies that count (a superseded copy is left out); unknown figures are counted apart, not as 0. */
export function traceTotals(agent: string | null = null): QuerySpec {
  return {
    tables: ['traces'],
    params: agent === null ? [] : [agent],
    sql: `SELECT count(*)::INTEGER AS sessions, sum(total_tokens)::DOUBLE AS tokens, count(total_tokens)::INTEGER AS counted,
  (count(*) - count(total_tokens))::INTEGER AS unknown_tokens, sum(tool_calls)::DOUBLE AS tool_calls,
  (count(*) - count(tool_calls))::INTEGER AS unknown_tools
FROM traces WHERE superseded_by IS NULL${agent === null ? '' : ' AND agent = ?'}`,
  };
}
