// Channel files of the newer template, one at a time: the README (the channel and its theme), a member file, and a
// stamped channel message (a board record keyed by its export path, since the same file name can sit in two channels).
import type { ChannelMemberRow } from '../../src/lib/schema/rooms.ts';
import { parseBoardFile, type BoardRecord } from './board.ts';
import { CHANNEL_FIELDS, frontmatterJson, parseFrontmatter, validateFrontmatter } from './frontmatter.ts';
import { AGENT_ID_RE, parseMinuteStamp } from './names.ts';
import { readText, str, type InputFile, type Rejects } from './source.ts';
import { headlineOf } from './text.ts';

/** Channel names as the platform writes them: the agent-id charset (a-z, 0-9, -). */
export const CHANNEL_NAME_RE = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;

export interface ChannelReadme {
  channel: string;
  creator: string | null;
  created: string | null;
  via: string | null;
  title: string | null;
  theme_md: string;
  frontmatter_json: string;
  source_file: string;
}

function parsed(f: InputFile, rejects: Rejects): { data: Record<string, unknown>; body: string } | null {
  const text = readText(f, 'channels', rejects);
  if (text === null) return null;
  const fm = parseFrontmatter(text);
  if (typeof fm === 'string') {
    rejects.add(f.rel, 'channels', 'parse', 'bad YAML frontmatter', fm);
    return null;
  }
  const invalid = validateFrontmatter(fm.data, fm.body, CHANNEL_FIELDS);
  if (invalid) {
    rejects.add(f.rel, 'channels', 'validate', invalid, null);
    return null;
  }
  return fm;
}

/** The channel name of a path under channels/, or a reject. */
function channelOf(f: InputFile, rejects: Rejects): string | null {
  const name = f.rel.split('/')[1] ?? '';
  if (CHANNEL_NAME_RE.test(name)) return name;
  rejects.add(f.rel, 'channels', 'list', 'channel folder name is not 1-64 characters of a-z, 0-9 and -', name);
  return null;
}

export function channelReadme(f: InputFile, rejects: Rejects): ChannelReadme | null {
  const channel = channelOf(f, rejects);
  const fm = channel === null ? null : parsed(f, rejects);
  if (!fm || channel === null) return null;
  const d = fm.data;
  return {
    channel,
    creator: str(d['creator']),
    created: parseMinuteStamp(d['created']),
    via: str(d['via']),
    title: headlineOf(fm.body),
    theme_md: fm.body,
    frontmatter_json: frontmatterJson(d),
    source_file: f.rel,
  };
}

export function channelMember(f: InputFile, rejects: Rejects): ChannelMemberRow | null {
  const channel = channelOf(f, rejects);
  if (channel === null) return null;
  const handle = (f.rel.split('/')[3] ?? '').replace(/\.md$/, '');
  if (!f.rel.endsWith('.md') || !AGENT_ID_RE.test(handle)) {
    rejects.add(f.rel, 'channels', 'list', 'member file name is not <handle>.md', 'handles are 1-40 characters of a-z, 0-9 and -');
    return null;
  }
  const fm = parsed(f, rejects);
  if (!fm) return null;
  return { channel, handle, subscribed: parseMinuteStamp(fm.data['subscribed']), notify: str(fm.data['notify']), source_file: f.rel };
}

/** A stamped message in channels/<name>/ (or broadcasts/), keyed by its export path. */
export function roomMessage(f: InputFile, text: string, part: 'channels' | 'broadcasts', rejects: Rejects): BoardRecord | null {
  if (part === 'channels' && channelOf(f, rejects) === null) return null;
  const rec = parseBoardFile(f.rel, text, part, part, rejects);
  return rec && { ...rec, filename: f.rel };
}
