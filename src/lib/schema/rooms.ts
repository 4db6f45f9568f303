// Tables of the newer collaboration template: channels (topic rooms) and their members, where each message outside
// the main board sits (a channel or the broadcasts), refs whose bare file name is ambiguous, and agents' traces.
// Messages themselves stay in `messages`, keyed by their bare file name on the board and by their export path in a
// channel or in broadcasts/, so every derivation reads them like board messages.
import { col, key, table, type Row } from './types.ts';

export const channels = table({
  name: 'channels',
  description: 'Channels (topic rooms, channels/<name>/README.md): the newer template\'s replacement for taskforces.',
  orderBy: ['channel'],
  columns: [
    key('channel', 'VARCHAR', 'Channel name (its folder).'),
    col('creator', 'VARCHAR', 'Handle that created the channel (README frontmatter creator).'),
    col('created', 'TIMESTAMP', 'Creation time (README frontmatter created, UTC, minute precision).'),
    col('via', 'VARCHAR', 'How the README was written (bucket, raw, server).'),
    col('title', 'VARCHAR', 'First heading of the README.'),
    col('theme_md', 'VARCHAR', "The README body: the channel's theme (markdown, untrusted)."),
    col('members', 'INTEGER', 'Member files present now (a member file disappears when someone leaves).'),
    col('messages', 'INTEGER', 'Messages in the channel (rows of messages whose key is channels/<name>/...).'),
    col('last_message', 'TIMESTAMP', 'Stamp of the newest message in the channel.'),
    col('frontmatter_json', 'VARCHAR', 'Raw README frontmatter as JSON.'),
    col('source_file', 'VARCHAR', 'Export-relative path of the README (null for a channel known only from its messages or members).'),
  ],
});

export const channelMembers = table({
  name: 'channel_members',
  description: 'Current channel members, one row per channels/<name>/members/<handle>.md.',
  orderBy: ['channel', 'handle'],
  columns: [
    key('channel', 'VARCHAR', 'Channel name.'),
    key('handle', 'VARCHAR', 'Member handle (the file name).'),
    col('subscribed', 'TIMESTAMP', 'When the member subscribed (frontmatter subscribed).'),
    col('notify', 'VARCHAR', 'Notification setting, e.g. all (null when not set).'),
    col('source_file', 'VARCHAR', 'Export-relative path of the member file.'),
  ],
});

export const messageRooms = table({
  name: 'message_rooms',
  description:
    'Where each message outside the main board sits (a channel, or broadcasts/), and board messages marked as broadcasts; a board message without a row here is on the main board.',
  orderBy: ['filename'],
  columns: [
    key('filename', 'VARCHAR', 'The message key in messages.filename: the export path for channel messages and broadcasts.'),
    key('room_kind', 'VARCHAR', 'channel (channels/<name>/), broadcasts (broadcasts/) or board (a board message marked broadcast: true).'),
    col('channel', 'VARCHAR', 'Channel name for channel messages (also from an inbox copy\'s channel: field).'),
    col('bare_name', 'VARCHAR', 'The file name without its folders (what a ref may name).'),
    col('broadcast', 'BOOLEAN', 'An organiser broadcast: in broadcasts/ or frontmatter broadcast: true.'),
    col('same_name', 'INTEGER', 'How many messages and results share this bare name (more than 1: a bare ref to it is ambiguous).'),
  ],
});

export const refAmbiguities = table({
  name: 'ref_ambiguities',
  description:
    'Refs and quoted file names that name a bare file name held by more than one record (e.g. the same name in two channels): left unresolved, candidates listed.',
  orderBy: ['from_file', 'target'],
  columns: [
    key('from_file', 'VARCHAR', 'Key of the message or result that carries the ref.'),
    key('target', 'VARCHAR', 'The bare file name as written.'),
    col('kind', 'VARCHAR', 'ref or quoted-filename.'),
    col('candidates', 'VARCHAR[]', 'Keys of every record with that bare name.'),
  ],
});

export const traces = table({
  name: 'traces',
  description:
    "Agents' working sessions, one row per traces/<agent>/<session>/manifest.md; a null figure is unknown (the harness did not report it) and is left out of totals, never counted as 0.",
  orderBy: ['path'],
  columns: [
    key('path', 'VARCHAR', 'Export-relative path of the manifest (its identity: every manifest is named manifest.md).'),
    col('agent', 'VARCHAR', 'Agent: server-stamped frontmatter agent, else the folder.'),
    col('session', 'VARCHAR', 'Session folder name.'),
    col('session_id', 'VARCHAR', 'Frontmatter session_id (required).'),
    col('schema_version', 'VARCHAR', 'Manifest schema version.'),
    col('harness', 'VARCHAR', 'Harness that ran the session, e.g. claude-code.'),
    col('model', 'VARCHAR', 'Model, when given.'),
    col('share', 'VARCHAR', 'stats (numbers only) or full (the native log is shared too).'),
    col('completeness', 'VARCHAR', 'full (a known harness reported tokens and tool calls) or partial.'),
    col('via', 'VARCHAR', 'How it was promoted (bucket, ...).'),
    col('promoted_at', 'TIMESTAMP', 'Server-stamped promotion time.'),
    col('started_at', 'TIMESTAMP', 'Session start, when given.'),
    col('ended_at', 'TIMESTAMP', 'Session end, when given.'),
    col('total_tokens', 'BIGINT', 'usage.total_tokens; null = unknown.'),
    col('input_tokens', 'BIGINT', 'usage.input_tokens; null = unknown.'),
    col('output_tokens', 'BIGINT', 'usage.output_tokens; null = unknown.'),
    col('cache_read_tokens', 'BIGINT', 'usage.cache_read_tokens; null = unknown.'),
    col('cache_creation_tokens', 'BIGINT', 'usage.cache_creation_tokens; null = unknown.'),
    col('reasoning_tokens', 'BIGINT', 'usage.reasoning_tokens; null = unknown.'),
    col('tool_calls', 'INTEGER', 'activity.tool_calls; null = unknown.'),
    col('cost_usd', 'DOUBLE', 'cost_usd; null = unknown.'),
    col('result_ref', 'VARCHAR', 'Result the session led to, when named.'),
    col('summary_md', 'VARCHAR', 'The manifest body: what the agent says it did (untrusted).'),
    col('log_files', 'VARCHAR[]', 'Other files in the session folder (the native log of a full trace).'),
    col('superseded_by', 'VARCHAR', 'A later copy of the same (agent, session_id) that replaces this one (null for the copy that counts).'),
    col('frontmatter_json', 'VARCHAR', 'Raw frontmatter as JSON.'),
  ],
});

export const ROOMS_TABLES = [channels, channelMembers, messageRooms, refAmbiguities, traces] as const;

export type ChannelRow = Row<typeof channels>;
export type ChannelMemberRow = Row<typeof channelMembers>;
export type MessageRoomRow = Row<typeof messageRooms>;
export type RefAmbiguityRow = Row<typeof refAmbiguities>;
export type TraceRow = Row<typeof traces>;
