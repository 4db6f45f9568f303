// The rows step for rooms: one row per channel (README, else known from its members or messages), and where each
// message outside the main board sits (message_rooms). Pure.
import type { MessageRow } from '../../src/lib/schema/core.ts';
import type { ChannelMemberRow, ChannelRow, MessageRoomRow } from '../../src/lib/schema/rooms.ts';
import type { ChannelReadme } from './channels.ts';
import type { RecordKeys } from './message-keys.ts';
import { baseName } from './names.ts';

const channelOfKey = (key: string): string | null => (key.startsWith('channels/') ? (key.split('/')[1] ?? null) : null);

/** Frontmatter broadcast: true (the server's flag on organiser broadcasts). */
function isBroadcastFlag(m: MessageRow): boolean {
  if (!m.frontmatter_json?.includes('"broadcast"')) return false;
  try {
    const d = JSON.parse(m.frontmatter_json) as Record<string, unknown>;
    return d['broadcast'] === true || d['broadcast'] === 'true';
  } catch {
    return false;
  }
}

export function buildChannelRows(readmes: readonly ChannelReadme[], members: readonly ChannelMemberRow[], messages: readonly MessageRow[]): ChannelRow[] {
  const rows = new Map<string, ChannelRow>();
  const row = (channel: string): ChannelRow => {
    let r = rows.get(channel);
    if (!r) {
      r = { channel, creator: null, created: null, via: null, title: null, theme_md: null, members: 0, messages: 0, last_message: null, frontmatter_json: null, source_file: null };
      rows.set(channel, r);
    }
    return r;
  };
  for (const x of readmes) Object.assign(row(x.channel), x);
  for (const m of members) row(m.channel).members!++;
  for (const m of messages) {
    const ch = channelOfKey(m.filename);
    if (!ch) continue;
    const r = row(ch);
    r.messages!++;
    if (m.ts && (!r.last_message || m.ts > r.last_message)) r.last_message = m.ts;
  }
  return [...rows.values()].sort((a, b) => (a.channel < b.channel ? -1 : 1));
}

export function buildMessageRooms(messages: readonly MessageRow[], keys: RecordKeys): MessageRoomRow[] {
  const out: MessageRoomRow[] = [];
  for (const m of messages) {
    const channel = channelOfKey(m.filename);
    const inBroadcasts = m.filename.startsWith('broadcasts/');
    const flag = isBroadcastFlag(m);
    if (!channel && !inBroadcasts && !flag) continue;
    const bare = baseName(m.filename);
    out.push({
      filename: m.filename,
      room_kind: channel ? 'channel' : inBroadcasts ? 'broadcasts' : 'board',
      channel,
      bare_name: bare,
      broadcast: inBroadcasts || flag,
      same_name: keys.sameName(bare),
    });
  }
  return out;
}
