// npm run pull against a local fake API over the synthetic sample: equality with the source, faults, resume, mirror.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/lib/config.ts';
import { ingestExport } from '../../../scripts/ingest/ingest.ts';
import { PullError, pullApi, readState, type PullOptions } from '../../../scripts/pull/api-pull.ts';
import { pullMirror } from '../../../scripts/pull/mirror.ts';
import { writeSampleFolder } from '../../../scripts/sample/output.ts';
import { startFakeApi, type Fault, type FakeApi } from './api-server.ts';

let root: string;
let src: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'atlas-pull-'));
  src = writeSampleFolder(join(root, 'sample'), { seed: 7, scale: 0.2, lowerIsBetter: false }).exportDir;
});

const servers: FakeApi[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

async function api(fault?: (path: string, q: URLSearchParams, n: number) => Fault | null): Promise<FakeApi> {
  const s = await startFakeApi(src, fault);
  servers.push(s);
  return s;
}

/** Fast, silent client settings: a clock that records waits instead of sleeping. */
function opts(base: string, out: string, waits: number[] = []): PullOptions {
  return {
    api: base,
    out,
    limit: 40,
    timeoutMs: 2_000, // well above a loaded machine's answer time; the slow fault below outlasts it
    retries: 3,
    baseDelayMs: 10,
    random: () => 0.5,
    sleep: async (ms) => {
      waits.push(ms);
    },
    log: () => {},
  };
}

const ls = (dir: string): string[] => (existsSync(dir) ? readdirSync(dir).sort() : []);

function expectSameFiles(out: string): void {
  for (const part of ['message_board', 'results', 'agents']) {
    // The pulled index lists every result (the server reports missing entries as pending): compared separately.
    const want = ls(join(src, part)).filter((f) => f !== 'verification_status.json');
    expect(want.length, part).toBeGreaterThan(5);
    expect(ls(join(out, part)).filter((f) => f !== 'verification_status.json'), part).toEqual(want);
    for (const f of want) {
      // Byte-equal: the sample and the pull both write yaml.stringify output with the body as received.
      expect(readFileSync(join(out, part, f), 'utf8'), `${part}/${f}`).toBe(readFileSync(join(src, part, f), 'utf8'));
    }
  }
}

/** The parts a pull reproduces: board files, results with the index, agents and the newest leaderboard. */
function sourceSubset(): string {
  const dir = mkdtempSync(join(root, 'subset-'));
  for (const part of ['message_board', 'results', 'agents']) cpSync(join(src, part), join(dir, part), { recursive: true });
  mkdirSync(join(dir, 'leaderboard'));
  cpSync(join(src, 'leaderboard', 'leaderboard_all_2026-06-13.json'), join(dir, 'leaderboard', 'latest.json'));
  return dir;
}

/**
 * Rows that must match. verification_source differs by design: the API reports every result's state (missing
 * index entries are "pending"), so the pulled index is complete where the source's is sparse. The leaderboard
 * file's name (source_file of snapshot-only rows) differs too.
 */
function rows(dir: string): { messages: unknown[]; results: unknown[] } {
  // The API does not serve the collaboration config: both sides get the sample's, as `npm run data -- --config` would.
  const config = parseConfig(JSON.parse(readFileSync(join(src, 'collab-atlas.json'), 'utf8')), 'collab-atlas.json');
  const t = ingestExport(dir, { config }).tables;
  // Row order follows the input order (API pages first); the Parquet writer sorts, so compare by filename.
  const byName = <T extends { filename: string }>(a: T, b: T): number => (a.filename < b.filename ? -1 : 1);
  return {
    messages: [...t.messages].sort(byName),
    results: [...t.results].sort(byName).map(({ verification_source: _v, ...r }) => (r.source_part === 'leaderboard' ? { ...r, source_file: '' } : r)),
  };
}

describe('pull from the API', { timeout: 60_000 }, () => {
  it('rebuilds message_board/, results/ and agents/ byte for byte, and the ingest gives the same rows', async () => {
    const s = await api();
    const out = join(root, 'clean');
    const summary = await pullApi(opts(s.base, out));
    expectSameFiles(out);
    expect(summary.retries).toBe(0);
    expect(summary.warnings).toEqual([]);
    expect(summary.parts['message_board']?.new).toBe(ls(join(src, 'message_board')).length);
    expect(ls(join(out, 'leaderboard'))).toHaveLength(1);
    expect(ls(join(out, 'leaderboard'))[0]).toMatch(/^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.\d{3}Z\.json$/);
    expect(ls(join(out, 'api')).length).toBeGreaterThan(8);
    const index = JSON.parse(readFileSync(join(out, 'results', 'verification_status.json'), 'utf8')) as Record<string, string>;
    const srcIndex = JSON.parse(readFileSync(join(src, 'results', 'verification_status.json'), 'utf8')) as Record<string, string>;
    for (const [k, v] of Object.entries(index)) expect(v).toBe(srcIndex[k] ?? 'pending');

    const a = rows(sourceSubset());
    const b = rows(out);
    expect(b.messages.length).toBeGreaterThan(100);
    expect(b.messages).toEqual(a.messages);
    expect(b.results).toEqual(a.results);

    // A second pull writes nothing new; messages continue after the last cursor.
    s.log.length = 0;
    const again = await pullApi(opts(s.base, out));
    for (const [part, c] of Object.entries(again.parts)) expect(c.new, part).toBe(0);
    expect(again.parts['message_board']).toBeUndefined();
    expect(s.log.filter((l) => l.startsWith('/v1/messages'))).toHaveLength(1);
    expect(s.log[0]).toContain('after=');
  });

  it('survives 429 with Retry-After, 500s, a slow response and truncated JSON', async () => {
    const faults = new Map<number, Fault>([
      [0, { kind: 'status', status: 429, retryAfter: '2' }],
      [2, { kind: 'status', status: 500 }],
      [3, { kind: 'status', status: 503 }],
      [5, { kind: 'slow', ms: 6000 }],
      [7, { kind: 'truncate' }],
      [12, { kind: 'truncate' }],
    ]);
    const s = await api((_p, _q, n) => faults.get(n) ?? null);
    const out = join(root, 'faults');
    const waits: number[] = [];
    const summary = await pullApi(opts(s.base, out, waits));
    expectSameFiles(out);
    expect(summary.retries).toBe(6);
    expect(summary.requests).toBe(s.log.length);
    expect(waits[0]).toBe(2000); // Retry-After: 2 beats the 5 ms jittered backoff
    expect(waits.slice(1).every((w) => w <= 80)).toBe(true);
  });

  it('stops a listing whose cursor repeats, with a warning, and keeps the other parts', async () => {
    const s = await api((p, q) => (p === '/v1/messages' && q.get('after') !== null ? { kind: 'repeat-cursor' } : null));
    const out = join(root, 'loop');
    const summary = await pullApi(opts(s.base, out));
    expect(summary.warnings.join('\n')).toMatch(/cursor .* again/);
    expect(s.log.filter((l) => l.startsWith('/v1/messages'))).toHaveLength(2);
    expect(ls(join(out, 'results'))).toEqual(ls(join(src, 'results')));
  });

  it('fails with a clear one-sentence reason when the API stays broken, then resumes from the saved cursor', async () => {
    let broken = true;
    const s = await api((p, q) => (broken && p === '/v1/messages' && q.get('after') !== null && q.get('after')! > '20260610' ? { kind: 'truncate' } : null));
    const out = join(root, 'resume');
    const err = await pullApi(opts(s.base, out)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PullError);
    expect((err as Error).message).toMatch(/^The API at .* is unusable: GET messages failed: the response is not complete JSON .* after 4 attempts; .*resumes\.$/);
    const cursor = readState(out, s.base).listings.messages?.after;
    expect(cursor).toBeTruthy();
    const partial = ls(join(out, 'message_board')).length;
    expect(partial).toBeGreaterThan(0);

    broken = false;
    s.log.length = 0;
    await pullApi(opts(s.base, out));
    expect(s.log[0]).toContain(`after=${cursor}`);
    expectSameFiles(out);
  });
});

describe('pull --mirror', { timeout: 60_000 }, () => {
  it('copies the known parts only, atomically, and skips identical files on the next run', () => {
    const mirror = mkdtempSync(join(root, 'mirror-'));
    cpSync(src, mirror, { recursive: true });
    writeFileSync(join(mirror, 'stray.bin'), 'not an export part');
    const out = join(root, 'mirrored');
    const first = pullMirror(mirror, out, () => {});
    expect(first.skipped).toEqual(['stray.bin']);
    expect(existsSync(join(out, 'stray.bin'))).toBe(false);
    expectSameFiles(out);
    expect(ls(join(out, 'runs'))).toEqual(ls(join(src, 'runs')));
    const second = pullMirror(mirror, out, () => {});
    for (const c of Object.values(second.parts)) expect(c.new + c.updated).toBe(0);
    expect(readdirSync(out, { recursive: true }).some((f) => String(f).endsWith('.tmp'))).toBe(false);
  });
});

describe('pull from a newer API (channels, traces, listings with cursor and watch)', { timeout: 60_000 }, () => {
  it('fetches channels (README, members, messages) and trace manifests; the ingest gives the same rooms and traces', async () => {
    const newer = writeSampleFolder(join(root, 'sample-channels'), { seed: 7, scale: 0.2, lowerIsBetter: false, layout: 'channels' }).exportDir;
    const s = await startFakeApi(newer);
    servers.push(s);
    const out = join(root, 'pulled-channels');
    // A page size of 2 makes the channel and trace listings page by their top-level cursor (they carry no `next`).
    const summary = await pullApi({ ...opts(s.base, out), limit: 2 });
    expect(summary.warnings).toEqual([]);
    expect(s.log.some((l) => l.startsWith('/v1/channels?') && l.includes('after='))).toBe(true);
    expect(s.log.some((l) => l.startsWith('/v1/traces?') && l.includes('after='))).toBe(true);
    const config = parseConfig(JSON.parse(readFileSync(join(newer, 'collab-atlas.json'), 'utf8')), 'collab-atlas.json');
    const a = ingestExport(newer, { config }).tables;
    const b = ingestExport(out, { config }).tables;
    expect(b.channels).toEqual(a.channels);
    expect(b.channel_members).toEqual(a.channel_members);
    const roomMsgs = (t: typeof a) =>
      t.messages.filter((m) => m.filename.startsWith('channels/')).map(({ recipients: _r, ...m }) => m).sort((x, y) => (x.filename < y.filename ? -1 : 1));
    expect(roomMsgs(b).length).toBeGreaterThan(10);
    expect(roomMsgs(b)).toEqual(roomMsgs(a));
    // Native logs of full traces are not fetched; everything else in a trace row matches.
    const traces = (t: typeof a) => (t.traces ?? []).map(({ log_files: _l, ...x }) => x);
    expect(traces(b).length).toBeGreaterThan(5);
    expect(traces(b)).toEqual(traces(a));
    expect(b.rejects.filter((r) => /^(channels|traces)\//.test(r.file))).toEqual([]);
  });

  it('skips channels and traces quietly on an older API (404)', async () => {
    const s = await api();
    const summary = await pullApi(opts(s.base, join(root, 'older')));
    expect(summary.warnings).toEqual([]);
    expect(summary.parts['channels']).toBeUndefined();
    expect(summary.parts['traces']).toBeUndefined();
  });
});
