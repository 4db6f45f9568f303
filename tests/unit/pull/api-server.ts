// Test double of the collaboration API over an export folder: listings with expand and cursor paging, plus injected faults.
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { parseFrontmatter } from '../../../scripts/ingest/frontmatter.ts';

export type Fault =
  | { kind: 'status'; status: number; retryAfter?: string }
  | { kind: 'slow'; ms: number }
  | { kind: 'truncate' }
  | { kind: 'repeat-cursor' };

export interface FakeApi {
  base: string;
  /** Every request as `path?query`, in order. */
  log: string[];
  close(): Promise<void>;
}

interface Record_ {
  filename: string;
  frontmatter: Record<string, unknown>;
  body: string;
}

function boardRecords(dir: string): Record_[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.md'));
  } catch {
    return [];
  }
  return names.sort().map((filename) => {
    const p = parseFrontmatter(readFileSync(join(dir, filename), 'utf8'));
    if (typeof p === 'string') throw new Error(`${filename}: ${p}`);
    return { filename, frontmatter: p.data, body: p.body };
  });
}

/** Serves `<export>` like the AC server does: GET /v1/messages|results|agents and /v1/leaderboard. */
export async function startFakeApi(exportDir: string, fault: (path: string, q: URLSearchParams, n: number) => Fault | null = () => null): Promise<FakeApi> {
  const messages = boardRecords(join(exportDir, 'message_board'));
  let index: Record<string, string> = {};
  try {
    index = JSON.parse(readFileSync(join(exportDir, 'results', 'verification_status.json'), 'utf8')) as Record<string, string>;
  } catch {
    // No index: every result is pending.
  }
  const results = boardRecords(join(exportDir, 'results')).map((r) => ({ ...r, verification: index[r.filename] ?? 'pending' }));
  // AgentInfo objects; agent_name is an extra key so the file can be rebuilt exactly.
  const agents = boardRecords(join(exportDir, 'agents')).map((r) => ({
    agent_id: r.filename.replace(/\.md$/, ''),
    agent_name: r.frontmatter['agent_name'],
    hf_user: r.frontmatter['hf_user'],
    model: r.frontmatter['agent_model'],
    harness: r.frontmatter['agent_harness'],
    tools: r.frontmatter['agent_tools'],
    agent_bucket: r.frontmatter['agent_bucket'],
    joined: r.frontmatter['joined'],
    bio: r.body,
  }));
  const boards = readdirSync(join(exportDir, 'leaderboard')).map((f) => readFileSync(join(exportDir, 'leaderboard', f), 'utf8'));
  const newest = boards.sort((a, b) => {
    const g = (t: string): string => (JSON.parse(t) as { meta: { generated_at: string } }).meta.generated_at;
    return g(a) < g(b) ? -1 : 1;
  })[boards.length - 1];

  const rooms = channelsOf(exportDir);
  const traces = tracesOf(exportDir);

  const log: string[] = [];
  const server: Server = createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://x');
    const n = log.push(`${u.pathname}${u.search}`) - 1;
    const f = fault(u.pathname, u.searchParams, n);
    const send = (status: number, body: string, headers: Record<string, string> = {}): void => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(body);
    };
    if (f?.kind === 'status') {
      send(f.status, JSON.stringify({ error: { code: f.status === 429 ? 'RATE_LIMITED' : 'INTERNAL', message: 'injected' } }), f.retryAfter ? { 'retry-after': f.retryAfter } : {});
      return;
    }
    const respond = (): void => {
      let body: string;
      if (u.pathname === '/v1/leaderboard') {
        if (!newest) {
          send(404, JSON.stringify({ error: { code: 'NOT_FOUND', message: 'no leaderboard' } }));
          return;
        }
        body = newest;
      } else if (u.pathname.startsWith('/v1/channels') || u.pathname.startsWith('/v1/traces')) {
        const r = roomsResponse(u, rooms, traces);
        if (r === null) {
          send(404, JSON.stringify({ error: { code: 'NOT_FOUND', message: u.pathname } }));
          return;
        }
        body = r;
      } else {
        const kind = u.pathname.replace('/v1/', '');
        const all: { key: string; item: unknown }[] =
          kind === 'messages'
            ? messages.map((m) => ({ key: m.filename, item: m }))
            : kind === 'results'
              ? results.map((r) => ({ key: r.filename, item: r }))
              : kind === 'agents'
                ? agents.map((a) => ({ key: a.agent_id, item: a }))
                : [];
        if (!['messages', 'results', 'agents'].includes(kind)) {
          send(404, JSON.stringify({ error: { code: 'NOT_FOUND', message: u.pathname } }));
          return;
        }
        const q = u.searchParams;
        const after = q.get('after');
        const before = q.get('before');
        const limit = Math.min(Number(q.get('limit') ?? 50), 200);
        let list = all.filter((x) => (after === null || x.key > after) && (before === null || x.key < before));
        if (q.get('order') !== 'asc') list = list.reverse();
        const page = list.slice(0, limit);
        let next = list.length > limit ? (page.at(-1)?.key ?? null) : null;
        if (f?.kind === 'repeat-cursor') next = after ?? page.at(-1)?.key ?? null;
        const items = q.get('expand') === 'true' ? page.map((x) => x.item) : page.map((x) => x.key);
        // Newer servers add a resume cursor and long-poll hints to every listing; a pull must not trip on them.
        body = JSON.stringify({ count: all.length, matched: all.length, items, next, cursor: page.at(-1)?.key ?? after, watch: { supported: true, max_wait_s: 30 } });
      }
      if (f?.kind === 'truncate') body = body.slice(0, Math.floor(body.length / 2));
      send(200, body);
    };
    if (f?.kind === 'slow') {
      const t = setTimeout(respond, f.ms);
      res.on('close', () => clearTimeout(t));
    } else respond();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}/`,
    log,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

interface Room {
  name: string;
  readme: Record_ | null;
  members: { handle: string; subscribed: unknown; notify: unknown }[];
  messages: Record_[];
}

/** channels/<name>/: README, members/ and stamped messages, as the newer API serves them. */
function channelsOf(exportDir: string): Room[] {
  let names: string[];
  try {
    names = readdirSync(join(exportDir, 'channels')).sort();
  } catch {
    return [];
  }
  return names.map((name) => {
    const dir = join(exportDir, 'channels', name);
    const all = boardRecords(dir);
    const members = boardRecords(join(dir, 'members')).map((r) => ({ handle: r.filename.replace(/\.md$/, ''), subscribed: r.frontmatter['subscribed'] ?? null, notify: r.frontmatter['notify'] ?? null }));
    return { name, readme: all.find((r) => r.filename === 'README.md') ?? null, members, messages: all.filter((r) => r.filename !== 'README.md') };
  });
}

/** traces/<agent>/<session>/manifest.md records. */
function tracesOf(exportDir: string): { agent: string; session: string; rec: Record_ }[] {
  const out: { agent: string; session: string; rec: Record_ }[] = [];
  let agents: string[];
  try {
    agents = readdirSync(join(exportDir, 'traces')).sort();
  } catch {
    return out;
  }
  for (const agent of agents) {
    for (const session of readdirSync(join(exportDir, 'traces', agent)).sort()) {
      const rec = boardRecords(join(exportDir, 'traces', agent, session)).find((r) => r.filename === 'manifest.md');
      if (rec) out.push({ agent, session, rec });
    }
  }
  return out;
}

/** The channels and traces endpoints: listings page by `cursor` only (no `next` key), as a newer server may. */
function roomsResponse(u: URL, rooms: Room[], traces: { agent: string; session: string; rec: Record_ }[]): string | null {
  const segs = u.pathname.split('/').filter(Boolean).slice(1);
  const q = u.searchParams;
  const listing = (all: { key: string; item: unknown }[]): string => {
    const after = q.get('after');
    const limit = Math.min(Number(q.get('limit') ?? 50), 200);
    const list = all.filter((x) => after === null || x.key > after);
    const page = list.slice(0, limit);
    return JSON.stringify({ count: all.length, matched: all.length, items: page.map((x) => x.item), cursor: list.length > limit ? (page.at(-1)?.key ?? null) : null, watch: { supported: true } });
  };
  if (segs[0] === 'channels') {
    if (rooms.length === 0) return null;
    if (segs.length === 1) return listing(rooms.map((r) => ({ key: r.name, item: { name: r.name, member_count: r.members.length, message_count: r.messages.length } })));
    const room = rooms.find((r) => r.name === decodeURIComponent(segs[1]!));
    if (!room) return null;
    if (segs.length === 2) return JSON.stringify({ name: room.name, readme: room.readme, members: room.members });
    if (segs[2] === 'messages') return listing(room.messages.map((m) => ({ key: m.filename, item: m })));
    return null;
  }
  if (traces.length === 0) return null;
  if (segs.length === 1) return listing(traces.map((t) => ({ key: `${t.agent}/${t.session}`, item: { agent: t.agent, session_id: t.rec.frontmatter['session_id'], path: `traces/${t.agent}/${t.session}/` } })));
  const t = traces.find((x) => x.agent === decodeURIComponent(segs[1] ?? '') && x.session === decodeURIComponent(segs[2] ?? ''));
  return t ? JSON.stringify({ agent: t.agent, session_id: t.rec.frontmatter['session_id'], frontmatter: t.rec.frontmatter, body: t.rec.body, path: `traces/${t.agent}/${t.session}/` }) : null;
}
