// Read, parse and validate the newer template's rooms: channels/ (READMEs, member files, channel messages) and
// broadcasts/. Each file inside its own boundary and through the memo; what cannot be used becomes a reject.
import type { ChannelMemberRow } from '../../src/lib/schema/rooms.ts';
import type { BoardRecord } from './board.ts';
import { isolate } from './boundary.ts';
import { channelMember, channelReadme, roomMessage, type ChannelReadme } from './channels.ts';
import type { IngestContext, Parts } from './context.ts';
import { readText, type InputFile } from './source.ts';

export interface RoomFiles {
  readmes: ChannelReadme[];
  members: ChannelMemberRow[];
  /** Channel messages and broadcasts, keyed by export path. */
  messages: Map<string, BoardRecord>;
}

function messageFile(ctx: IngestContext, f: InputFile, part: 'channels' | 'broadcasts'): BoardRecord | null {
  return ctx.memo.unit('room-message', [f], part, ctx.rejects, (rj) =>
    isolate(rj, [f.rel], part, 'parse', () => {
      const text = readText(f, part, rj);
      return text === null ? null : roomMessage(f, text, part, rj);
    }, null),
  );
}

export function readRooms(ctx: IngestContext, parts: Parts): RoomFiles {
  const out: RoomFiles = { readmes: [], members: [], messages: new Map() };
  for (const f of parts.get('channels')) {
    const segs = f.rel.split('/');
    if (segs.length === 4) {
      const m = ctx.memo.unit('channel-member', [f], '', ctx.rejects, (rj) => isolate(rj, [f.rel], 'channels', 'parse', () => channelMember(f, rj), null));
      if (m) out.members.push(m);
    } else if (segs[2] === 'README.md') {
      const r = ctx.memo.unit('channel-readme', [f], '', ctx.rejects, (rj) => isolate(rj, [f.rel], 'channels', 'parse', () => channelReadme(f, rj), null));
      if (r) out.readmes.push(r);
    } else {
      const rec = messageFile(ctx, f, 'channels');
      if (rec) out.messages.set(rec.filename, rec);
    }
    ctx.tick('channels');
  }
  for (const f of parts.get('broadcasts')) {
    const rec = messageFile(ctx, f, 'broadcasts');
    if (rec) out.messages.set(rec.filename, rec);
    ctx.tick('broadcasts');
  }
  return out;
}
