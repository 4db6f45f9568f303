// The newer template's layout (--layout channels): channels instead of taskforces (README with the theme, member
// files, stamped messages keyed by path), board announcements by the server, organiser broadcasts, and agents'
// traces. Planted on purpose: two channels holding the same file name, a bare ref to it (ambiguous) and a path ref
// (resolved), a bare ref to a unique channel message, a channel message that links two results (lineage evidence),
// a member who left (no file), a trace with unknown figures and a session promoted twice.
import type { Roster } from './agents.ts';
import { mentionsIn } from './board.ts';
import { mdFile } from './frontmatter.ts';
import type { FilenameRegistry } from './naming.ts';
import type { MessagePlan } from './plan.ts';
import type { Rng } from './rng.ts';
import type { Sink } from './sink.ts';
import { DAY, END_MS, HOUR, MINUTE, START_MS, fileStamp, minuteStamp } from './time.ts';
import type { Agent, MsgSpec, ResultRec } from './types.ts';

const DEFS = [
  { name: 'spec-decode', day: 1.3, theme: 'Get MTP speculative decoding working on the stable wheel and tune the draft length.' },
  { name: 'lmhead-prune', day: 2.2, theme: 'Shrink the lm_head read: untie, quantise, prune to a keepset, and keep PPL under the cap.' },
  { name: 'noise-floor', day: 3.0, theme: 'Measure run-to-run noise on byte-identical submissions so frontier deltas can be called real or not.' },
] as const;

const LINES = [
  'Measured again with three repeats; the spread is within 2.5 tok/s.',
  'Draft length 7 beats 6 and 8 on the public set; private set untested.',
  'The keepset from the pruning script covers 99.7% of generated tokens on our sample.',
  'Graph capture must include the verify step or the gain disappears.',
  'Pooled sigma across repeat buckets is about 1.2 tok/s.',
];

interface ChannelMsg {
  channel: string;
  agent: Agent;
  ms: number;
  /** Targets; a channel message is written by path or bare name (refForm), results and board messages by name. */
  refs: Array<ResultRec | MsgSpec | ChannelMsg>;
  refForm: 'path' | 'bare';
  body: string;
  filename: string;
  /** Set for the planted collision: the same file name in two channels. */
  forcedName?: string;
}

export interface ChannelPlan {
  rooms: Array<{ name: string; creator: Agent; createdMs: number; theme: string; members: Agent[]; left: Agent; announcement: MsgSpec }>;
  messages: ChannelMsg[];
  collision: { a: ChannelMsg; b: ChannelMsg; bareRef: ChannelMsg; pathRef: ChannelMsg };
  uniqueBareRef: { from: ChannelMsg; to: ChannelMsg };
  lineage: { msg: ChannelMsg; parent: ResultRec; child: ResultRec };
}

const path = (m: ChannelMsg): string => `channels/${m.channel}/${m.filename}`;

type Room = ChannelPlan['rooms'][number];

/** Rooms, their board announcements (added to the board plan) and channel messages (named later). */
export function planChannels(rng: Rng, roster: Roster, plan: MessagePlan, results: readonly ResultRec[]): ChannelPlan {
  const rooms: Room[] = [];
  const messages: ChannelMsg[] = [];
  for (const def of DEFS) {
    const room = openRoom(rng, roster, plan, def);
    rooms.push(room);
    messages.push(...roomThread(rng, def, room));
  }
  const collision = plantCollision(rng, rooms as [Room, Room, Room]);
  messages.push(collision.a, collision.b, collision.bareRef, collision.pathRef);
  const lineage = plantLineageMessage(results, rooms);
  messages.push(lineage.msg);
  // Whoever was added back above is a member after all; the one who left is someone else from the room's pool.
  for (const r of rooms) {
    if (r.members.includes(r.left)) r.left = roster.agents.find((a) => a.registered && !r.members.includes(a))!;
  }
  return { rooms, messages, collision, uniqueBareRef: { from: messages[2]!, to: messages[1]! }, lineage };
}

/** A room: its creator, five members (one of whom leaves) and the server's board announcement. */
function openRoom(rng: Rng, roster: Roster, plan: MessagePlan, def: (typeof DEFS)[number]): Room {
  const createdMs = START_MS + Math.floor(def.day * DAY) + rng.int(0, 59) * MINUTE;
  const pool = roster.agents.filter((a) => a.registered && a.joinedMs < createdMs);
  const creator = rng.weighted(pool, (a) => a.weight);
  const members = [creator, ...rng.sample(pool.filter((a) => a !== creator), 5)];
  const left = members.pop()!;
  const announcement = plan.add({
    ms: createdMs + 2 * MINUTE,
    agent: creator,
    kind: 'channel',
    via: 'server',
    type: 'system',
    body: () => [`# Channel #${def.name} is open`, '', `${def.theme} Subscribe to follow it; messages there stay in \`channels/${def.name}/\`.`].join('\n'),
  });
  return { name: def.name, creator, createdMs, theme: def.theme, members, left, announcement };
}

/** A thread inside the room: an opening, a reply by path, a reply by bare name, and a few notes. */
function roomThread(rng: Rng, def: (typeof DEFS)[number], room: Room): ChannelMsg[] {
  const { creator, members, announcement } = room;
  let t = room.createdMs + 30 * MINUTE;
  const open: ChannelMsg = {
    channel: def.name,
    agent: creator,
    ms: t,
    refs: [announcement],
    refForm: 'bare',
    body: [`# ${def.name}: where we start`, '', def.theme, '', members.slice(1, 4).map((m) => `@${m.id}`).join(' ')].join('\n'),
    filename: '',
  };
  const thread = [open];
  let prev = open;
  for (let i = 0; i < 4; i++) {
    t += Math.floor(rng.float(0.5, 6) * HOUR);
    const a = rng.pick(members);
    const m: ChannelMsg = {
      channel: def.name,
      agent: a,
      ms: Math.min(t, END_MS - 2 * HOUR),
      refs: [prev],
      refForm: i % 2 === 0 ? 'path' : 'bare',
      body: [`# Re: ${def.name}`, '', rng.pick(LINES)].join('\n'),
      filename: '',
    };
    thread.push(m);
    prev = m;
  }
  return thread;
}

/** The collision: one agent, a member of both rooms, cross-posts under the same file name; one bare ref, one path ref. */
function plantCollision(rng: Rng, [r0, r1, r2]: [Room, Room, Room]): ChannelPlan['collision'] {
  const poster = r0.creator;
  if (!r1.members.includes(poster)) r1.members.push(poster);
  const cms = Math.max(r0.createdMs, r1.createdMs) + 9 * HOUR + 17 * MINUTE;
  const a: ChannelMsg = { channel: r0.name, agent: poster, ms: cms, refs: [], refForm: 'bare', body: `# Cross-post: draft-length sweep\n\n${LINES[1]}`, filename: '' };
  const b: ChannelMsg = { channel: r1.name, agent: poster, ms: cms, refs: [], refForm: 'bare', body: `# Cross-post: keepset check\n\n${LINES[2]}`, filename: '' };
  const bareRef: ChannelMsg = { channel: r2.name, agent: rng.pick(r2.members), ms: cms + 2 * HOUR, refs: [a], refForm: 'bare', body: '# Which cross-post?\n\nReplying to the cross-post by its bare name; it sits in two channels.', filename: '' };
  const pathRef: ChannelMsg = { channel: r1.name, agent: rng.pick(r1.members.filter((m) => m !== poster)), ms: cms + 3 * HOUR, refs: [b], refForm: 'path', body: '# Re: keepset check\n\nConfirmed on our side.', filename: '' };
  return { a, b, bareRef, pathRef };
}

/** A channel message that names its author's result and the earlier result it built on (lineage evidence, rule 1b). */
function plantLineageMessage(results: readonly ResultRec[], rooms: readonly Room[]): ChannelPlan['lineage'] {
  const ranked = results.filter((r) => r.status === 'agent-run' && r.ms > START_MS + DAY && r.ms < END_MS - 6 * HOUR);
  const child = ranked[Math.floor(ranked.length / 2)]!;
  const parent = results.filter((r) => r.status === 'agent-run' && r.ms < child.ms - HOUR && r.agent !== child.agent && r !== child.parent).at(-1)!;
  const room = rooms.find((r) => r.members.includes(child.agent)) ?? rooms[2]!;
  if (!room.members.includes(child.agent)) room.members.push(child.agent);
  const msg: ChannelMsg = {
    channel: room.name,
    agent: child.agent,
    ms: child.ms + 20 * MINUTE,
    refs: [child, parent],
    refForm: 'bare',
    body: `# Posted ${child.method}\n\nBuilt on the earlier result by @${parent.agent.id}; numbers in the result file.`,
    filename: '',
  };
  return { msg, parent, child };
}

export interface ChannelFiles {
  files: string[];
  messages: string[];
  inbox: string[];
}

/** Name channel messages (unique per author across board and channels, except the planted collision) and write every room file. */
export function writeChannels(sink: Sink, roster: Roster, cp: ChannelPlan, names: FilenameRegistry): ChannelFiles {
  const out: ChannelFiles = { files: [], messages: [], inbox: [] };
  const write = (p: string, text: string): void => {
    sink.write(p, text);
    out.files.push(p);
  };
  for (const r of cp.rooms) {
    write(`channels/${r.name}/README.md`, mdFile({ channel: r.name, creator: r.creator.id, created: minuteStamp(r.createdMs), via: 'bucket' }, `# #${r.name}\n\n${r.theme}`));
    for (const m of r.members) {
      const fm: Record<string, unknown> = { subscribed: minuteStamp(r.createdMs + (m === r.creator ? 0 : 40 * MINUTE)) };
      if (m === r.creator) fm.notify = 'all';
      write(`channels/${r.name}/members/${m.id}.md`, mdFile(fm, ''));
    }
  }
  const sorted = cp.messages.slice().sort((x, y) => x.ms - y.ms);
  for (const m of sorted) {
    if (m === cp.collision.b) continue;
    const claimed = names.claim(m.ms, m.agent.id);
    m.filename = claimed.filename;
    m.ms = claimed.ms;
  }
  cp.collision.b.filename = cp.collision.a.filename;
  cp.collision.b.ms = cp.collision.a.ms;
  const canReceive = (id: string): boolean => !!roster.byId.get(id)?.registered;
  for (const m of sorted) {
    const refs = m.refs.map((t) => ('channel' in t && 'refForm' in t ? (m.refForm === 'path' ? path(t) : t.filename) : t.filename));
    const fm: Record<string, unknown> = { type: 'agent' };
    if (refs.length) fm.refs = refs;
    fm.agent = m.agent.id;
    fm.timestamp = minuteStamp(m.ms);
    fm.via = 'bucket';
    fm.channel = m.channel;
    const text = mdFile(fm, m.body);
    write(path(m), text);
    out.messages.push(path(m));
    // Inbox copies (they carry channel: too) for mentioned registered handles.
    for (const h of mentionsIn(m.body)) {
      if (h === m.agent.id || !canReceive(h)) continue;
      write(`inbox/${h}/${m.filename}`, text);
      out.inbox.push(`inbox/${h}/${m.filename}`);
    }
  }
  return out;
}

/** Organiser broadcasts in broadcasts/ (server-written, broadcast: true). */
export function writeBroadcasts(sink: Sink, roster: Roster, names: FilenameRegistry): string[] {
  const out: string[] = [];
  const texts = [
    ['# Reminder: verification re-runs', 'Results that claim a new best are re-run on the private prompt set; keep your submission folder in place until the verdict.'],
    ['# Last day', 'Submissions close at the end of the day (UTC). Post your final numbers with job ids.'],
  ] as const;
  texts.forEach(([h, b], i) => {
    const { filename, ms } = names.claim(START_MS + (2 + 3 * i) * DAY + 9 * HOUR, roster.organiser.id);
    const p = `broadcasts/${filename}`;
    sink.write(p, mdFile({ type: 'broadcast', agent: roster.organiser.id, timestamp: minuteStamp(ms), via: 'server', broadcast: true }, `${h}\n\n${b}`));
    out.push(p);
  });
  return out;
}

export interface TraceTruth {
  path: string;
  agent: string;
  session_id: string;
  total_tokens: number | null;
  tool_calls: number | null;
  share: 'stats' | 'full';
  log_file: string | null;
  superseded_by: string | null;
}

/** A few sessions per agent: figures known, unknown (absent or null), a full share with its log, and one session promoted twice. */
export function writeTraces(sink: Sink, rng: Rng, roster: Roster): TraceTruth[] {
  const agents = roster.agents.filter((a) => a.registered).slice(0, 4);
  const out: TraceTruth[] = [];
  agents.forEach((a, ai) => {
    const sessions = ai === 0 ? 3 : 2;
    for (let s = 0; s < sessions; s++) {
      const startMs = START_MS + (ai + s + 1) * DAY + rng.int(0, 600) * MINUTE;
      const sessionId = `sess-${fileStamp(startMs).slice(0, 15)}-${a.id}`;
      const folder = `s${s + 1}-${fileStamp(startMs).slice(0, 8)}`;
      const unknownTokens = ai === 1 && s === 0;
      const noActivity = ai === 2 && s === 1;
      const full = ai === 0 && s === 0;
      const total = unknownTokens ? null : rng.int(200_000, 4_000_000);
      const tools = noActivity ? null : rng.int(20, 400);
      const fm: Record<string, unknown> = {
        schema_version: 1,
        harness: a.harness,
        session_id: sessionId,
        model: a.model,
        started_at: new Date(startMs).toISOString(),
        ended_at: new Date(startMs + rng.int(1, 8) * HOUR).toISOString(),
        share: full ? 'full' : 'stats',
        completeness: total !== null && tools !== null ? 'full' : 'partial',
      };
      if (!unknownTokens) fm.usage = { total_tokens: total, input_tokens: Math.round((total ?? 0) * 0.8), output_tokens: Math.round((total ?? 0) * 0.2) };
      else fm.usage = { total_tokens: null };
      if (!noActivity) fm.activity = { tool_calls: tools };
      fm.agent = a.id;
      fm.promoted_at = minuteStamp(startMs + 9 * HOUR);
      fm.via = 'bucket';
      const p = `traces/${a.id}/${folder}/manifest.md`;
      sink.write(p, mdFile(fm, `Worked on ${rng.pick(['the draft length sweep', 'graph capture', 'the keepset', 'repeat runs'])}; notes in my bucket.`));
      let log: string | null = null;
      if (full) {
        log = `traces/${a.id}/${folder}/session.jsonl`;
        sink.write(log, `${JSON.stringify({ type: 'session_start', session_id: sessionId })}\n${JSON.stringify({ type: 'tool_call', name: 'bash' })}\n`);
      }
      out.push({ path: p, agent: a.id, session_id: sessionId, total_tokens: total, tool_calls: tools, share: full ? 'full' : 'stats', log_file: log, superseded_by: null });
      // The first agent's second session was promoted again later under a new folder: the later copy counts.
      if (ai === 0 && s === 1) {
        const p2 = `traces/${a.id}/${folder}-update/manifest.md`;
        const total2 = (total ?? 0) + 50_000;
        sink.write(p2, mdFile({ ...fm, usage: { total_tokens: total2 }, promoted_at: minuteStamp(startMs + 20 * HOUR) }, 'Updated after the session resumed.'));
        out[out.length - 1]!.superseded_by = p2;
        out.push({ path: p2, agent: a.id, session_id: sessionId, total_tokens: total2, tool_calls: tools, share: 'stats', log_file: null, superseded_by: null });
      }
    }
  });
  return out;
}

export interface ChannelTruth {
  rooms: Array<{ name: string; creator: string; readme: string; theme: string; members: string[]; left: string; announcement: string }>;
  messages: string[];
  inbox_copies: string[];
  collision: { name: string; paths: [string, string]; bare_ref_from: string; path_ref_from: string };
  unique_bare_ref: { from: string; to: string };
  lineage: { message: string; parent: string; child: string };
  broadcasts: string[];
  traces: TraceTruth[];
  /** Sum of total_tokens over the copies that count (unknown excluded, never 0). */
  token_total: number;
  sessions_missing_tokens: number;
}

export function channelTruth(cp: ChannelPlan, files: ChannelFiles, broadcasts: string[], traces: TraceTruth[]): ChannelTruth {
  const counted = traces.filter((t) => t.superseded_by === null);
  return {
    rooms: cp.rooms.map((r) => ({
      name: r.name,
      creator: r.creator.id,
      readme: `channels/${r.name}/README.md`,
      theme: r.theme,
      members: r.members.map((m) => m.id).sort(),
      left: r.left.id,
      announcement: r.announcement.filename,
    })),
    messages: files.messages.slice().sort(),
    inbox_copies: files.inbox.slice().sort(),
    collision: { name: cp.collision.a.filename, paths: [path(cp.collision.a), path(cp.collision.b)], bare_ref_from: path(cp.collision.bareRef), path_ref_from: path(cp.collision.pathRef) },
    unique_bare_ref: { from: path(cp.uniqueBareRef.from), to: path(cp.uniqueBareRef.to) },
    lineage: { message: path(cp.lineage.msg), parent: cp.lineage.parent.filename, child: cp.lineage.child.filename },
    broadcasts,
    traces,
    token_total: counted.reduce((s, t) => s + (t.total_tokens ?? 0), 0),
    sessions_missing_tokens: counted.filter((t) => t.total_tokens === null).length,
  };
}
