// The newer template's layout (npm run sample -- --layout channels): channels, broadcasts and traces are read with
// nothing lost, channel messages are keyed by path (two same-named files in two channels stay two records), bare refs
// resolve when unambiguous and are recorded when not, and the derivations read channel messages like board messages.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unaccounted } from '../../../scripts/ingest/accounting.ts';
import { ingestExport, type IngestResult } from '../../../scripts/ingest/ingest.ts';
import { RecordKeys } from '../../../scripts/ingest/message-keys.ts';
import { normaliseRefs } from '../../../scripts/ingest/text.ts';
import { supersedeTraces } from '../../../scripts/ingest/trace-rows.ts';
import { buildThreads } from '../../../scripts/derive/threads.ts';
import { DERIVATIONS, runDerivation } from '../../../scripts/derive/index.ts';
import { writeSampleFolder } from '../../../scripts/sample/output.ts';
import type { GroundTruth } from '../../../scripts/sample/generate.ts';
import type { TraceRow } from '../../../src/lib/schema/rooms.ts';

let dir: string;
let truth: GroundTruth;
let r: IngestResult;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'atlas-channels-'));
  const run = writeSampleFolder(dir, { seed: 7, scale: 0.3, lowerIsBetter: false, layout: 'channels' });
  truth = run.groundTruth;
  r = ingestExport(run.exportDir);
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ch = (): NonNullable<GroundTruth['channels']> => truth.channels!;

describe('a channels-layout export', () => {
  it('loses nothing: files in = rows + rejects, and no channel, broadcast or trace file is rejected', () => {
    expect(unaccounted(r.files, r.tables, r.apiListings)).toEqual([]);
    expect(r.tables.rejects.filter((x) => /^(channels|broadcasts|traces)\//.test(x.file))).toEqual([]);
    const byPart = truth.counts.files_by_part as unknown as Record<string, number>;
    expect(r.files.filter((f) => /^(channels|broadcasts|traces)\//.test(f.rel))).toHaveLength(byPart['channels']! + byPart['broadcasts']! + byPart['traces']!);
    expect(r.tables.taskforces).toEqual([]);
  });

  it('reads rooms with their theme and current members (a member who left has no file)', () => {
    const rooms = r.tables.channels!;
    expect(rooms.map((x) => x.channel)).toEqual(ch().rooms.map((x) => x.name).sort());
    for (const t of ch().rooms) {
      const row = rooms.find((x) => x.channel === t.name)!;
      expect(row.creator).toBe(t.creator);
      expect(row.theme_md).toContain(t.theme);
      const members = r.tables.channel_members!.filter((m) => m.channel === t.name).map((m) => m.handle).sort();
      expect(members).toEqual(t.members);
      expect(members).not.toContain(t.left);
      expect(row.members).toBe(t.members.length);
    }
    expect(r.tables.channel_members!.find((m) => m.handle === ch().rooms[0]!.creator && m.channel === ch().rooms[0]!.name)?.notify).toBe('all');
  });

  it('keys channel messages by path: two same-named files in two channels stay two records', () => {
    const keys = new Set(r.tables.messages.map((m) => m.filename));
    for (const p of ch().messages) expect(keys.has(p), p).toBe(true);
    const [a, b] = ch().collision.paths;
    expect(a).not.toBe(b);
    expect(a.split('/').at(-1)).toBe(b.split('/').at(-1));
    const rows = r.tables.messages.filter((m) => m.filename === a || m.filename === b);
    expect(rows).toHaveLength(2);
    expect(new Set(rows.map((m) => m.headline)).size).toBe(2);
    expect(rows.every((m) => m.source_part === 'channels')).toBe(true);
    expect(r.tables.message_rooms!.filter((x) => x.filename === a || x.filename === b).map((x) => x.same_name)).toEqual([2, 2]);
  });

  it('resolves a bare ref to a unique channel message, records the ambiguous one, keeps a path ref', () => {
    const from = r.tables.messages.find((m) => m.filename === ch().unique_bare_ref.from)!;
    expect(from.refs).toContain(ch().unique_bare_ref.to);
    const amb = r.tables.ref_ambiguities!.find((x) => x.from_file === ch().collision.bare_ref_from)!;
    expect(amb.target).toBe(ch().collision.name);
    expect([...amb.candidates!].sort()).toEqual([...ch().collision.paths].sort());
    expect(r.tables.message_links.find((l) => l.from_file === ch().collision.bare_ref_from && l.kind === 'ref')?.to_part).toBe('ambiguous');
    const pathRef = r.tables.message_links.find((l) => l.from_file === ch().collision.path_ref_from && l.kind === 'ref')!;
    expect(pathRef.to_file).toBe(ch().collision.paths[1]);
  });

  it('gives inbox copies of channel messages to the channel record (they carry channel:)', () => {
    expect(ch().inbox_copies.length).toBeGreaterThan(0);
    for (const p of ch().inbox_copies) {
      const [, handle, name] = p.split('/');
      const msg = r.tables.messages.find((m) => m.filename.startsWith('channels/') && m.filename.endsWith(`/${name}`))!;
      expect(msg.recipients).toContain(handle);
    }
  });

  it('marks broadcasts and server-written channel announcements', () => {
    for (const p of ch().broadcasts) {
      const room = r.tables.message_rooms!.find((x) => x.filename === p)!;
      expect(room.room_kind).toBe('broadcasts');
      expect(room.broadcast).toBe(true);
    }
    for (const t of ch().rooms) expect(r.tables.messages.find((m) => m.filename === t.announcement)?.via).toBe('server');
  });

  it('threads channel messages like board messages', () => {
    const threads = buildThreads(r.tables.messages, r.tables.results);
    const byFile = new Map(threads.map((t) => [t.filename, t]));
    for (const p of ch().messages) expect(byFile.has(p), p).toBe(true);
    expect(byFile.get(ch().unique_bare_ref.from)?.parent).toBe(ch().unique_bare_ref.to);
    // The room's opening message replies to its board announcement: the room joins that thread.
    const room = ch().rooms[0]!;
    const inRoom = threads.filter((t) => t.filename.startsWith(`channels/${room.name}/`) && t.thread_id === room.announcement);
    expect(inRoom.length).toBeGreaterThanOrEqual(3);
    // The two same-named files are two thread nodes.
    expect(byFile.has(ch().collision.paths[0])).toBe(true);
    expect(byFile.has(ch().collision.paths[1])).toBe(true);
  });

  it('gives lineage evidence from a channel message', () => {
    const lineage = DERIVATIONS.find((d) => d.name === 'lineage')!;
    const out = runDerivation(lineage, r.tables, r.config);
    const edge = (out['lineage_edges'] ?? []).find((e) => e['parent'] === ch().lineage.parent && e['child'] === ch().lineage.child);
    expect(edge?.['evidence_file']).toBe(ch().lineage.message);
  });

  it('reads traces: unknown stays unknown (null, never 0), a later copy of a session replaces the earlier', () => {
    const traces = r.tables.traces!;
    expect(traces.map((t) => t.path).sort()).toEqual(ch().traces.map((t) => t.path).sort());
    for (const t of ch().traces) {
      const row = traces.find((x) => x.path === t.path)!;
      expect(row.total_tokens).toBe(t.total_tokens);
      expect(row.tool_calls).toBe(t.tool_calls);
      expect(row.superseded_by).toBe(t.superseded_by);
      expect(row.log_files).toEqual(t.log_file ? [t.log_file] : []);
    }
    const counted = traces.filter((t) => t.superseded_by === null);
    expect(counted.reduce((s, t) => s + (t.total_tokens ?? 0), 0)).toBe(ch().token_total);
    expect(counted.filter((t) => t.total_tokens === null)).toHaveLength(ch().sessions_missing_tokens);
    expect(ch().sessions_missing_tokens).toBeGreaterThan(0);
  });
});

describe('record keys', () => {
  const keys = new RecordKeys((k) => ['board.md', 'channels/a/x.md', 'channels/b/x.md', 'channels/a/y.md'].includes(k), ['channels/a/x.md', 'channels/b/x.md', 'channels/a/y.md']);
  it('resolves a key, a unique bare name, and records an ambiguous one', () => {
    expect(keys.resolve('board.md')).toEqual({ key: 'board.md' });
    expect(keys.resolve('channels/b/x.md')).toEqual({ key: 'channels/b/x.md' });
    expect(keys.resolve('y.md')).toEqual({ key: 'channels/a/y.md' });
    expect(keys.resolve('x.md')).toEqual({ candidates: ['channels/a/x.md', 'channels/b/x.md'] });
    expect(keys.resolve('channels/c/x.md')).toBeNull();
    expect(keys.sameName('x.md')).toBe(2);
  });
  it('keeps channel and broadcast paths in refs, strips other folders as before', () => {
    expect(normaliseRefs(['channels/a/x.md', 'results/r.md', 'broadcasts/b.md', 'inbox/h/m.md'])).toEqual(['channels/a/x.md', 'r.md', 'broadcasts/b.md', 'm.md']);
  });
});

describe('supersedeTraces', () => {
  const t = (path: string, promoted: string | null): TraceRow =>
    ({ path, agent: 'a', session_id: 's', promoted_at: promoted, superseded_by: null }) as unknown as TraceRow;
  it('keeps the newest promotion, then the later path', () => {
    const out = supersedeTraces([t('traces/a/1/manifest.md', '2026-06-10T10:00:00.000Z'), t('traces/a/2/manifest.md', '2026-06-11T10:00:00.000Z'), t('traces/a/0/manifest.md', null)]);
    expect(out.map((x) => x.superseded_by)).toEqual(['traces/a/2/manifest.md', null, 'traces/a/2/manifest.md']);
  });
});
