// The deliberately broken fixture export: rejects with reasons, no crash, nothing lost.
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ingestExport, type IngestResult } from '../../../scripts/ingest/ingest.ts';
import { unaccounted } from '../../../scripts/ingest/accounting.ts';
import { LIMITS } from '../../../scripts/ingest/limits.ts';

const MAX_TEXT_BYTES = LIMITS.textBytes;

let r: IngestResult;
const reasonOf = (file: string): string[] => r.tables.rejects.filter((x) => x.file.startsWith(file)).map((x) => x.reason);

beforeAll(() => {
  const dir = mkdtempSync(join(tmpdir(), 'atlas-broken-'));
  cpSync(new URL('../../fixtures/broken-export', import.meta.url), dir, { recursive: true });
  writeFileSync(join(dir, 'message_board/20260610-121500-000_latin-agent.md'), Buffer.from([0x2d, 0x2d, 0x2d, 0x0a, 0xe9, 0xff, 0xfe, 0x0a]));
  writeFileSync(join(dir, 'message_board/20260610-123000-000_huge-agent.md'), `---\ntype: agent\n---\n${'x'.repeat(MAX_TEXT_BYTES + 1)}`);
  r = ingestExport(dir);
});

describe('broken export', () => {
  it('accounts for every input file', () => {
    expect(r.files.length).toBe(23);
    expect(unaccounted(r.files, r.tables, r.apiListings)).toEqual([]);
  });
  it.each([
    ['message_board/20260610-120500-000_good-agent.md', 'bad YAML frontmatter'],
    ['message_board/20260610-122000-000_good-agent.md', 'bad YAML frontmatter'],
    ['message_board/not-a-stamp_agent.md', 'unparseable filename stamp'],
    ['message_board/20261340-120000-000_bad-date.md', 'unparseable filename stamp'],
    ['message_board/20260610-121000-000_empty-agent.md', 'empty file'],
    ['message_board/20260610-121500-000_latin-agent.md', 'not UTF-8 text'],
    ['results/20260610-130500-000_good-agent.md', 'missing required field tps'],
    ['results/20260610-131000-000_good-agent.md', 'status must be agent-run, negative or baseline'],
    ['results/20260610-120000-000_good-agent.md', 'duplicate filename: a message_board/ file has the same name'],
    ['results/verification_status.json#20260610-999999-000_x.md', 'verification state is not a string'],
    ['runs/r1/job_status.json', 'invalid JSON'],
    ['leaderboard/lb.json', 'not a leaderboard response'],
    ['stray/file.txt', 'unknown folder or file: not part of the export layout'],
    ['agents/Bad_Name.md', 'agent filename is not <agent_id>.md'],
    ['api/messages-page-1.json#items[1]', 'listing item is not an object'],
    ['api/messages-page-1.json#items[2]', 'missing required field filename'],
  ])('%s → %s', (file, reason) => {
    expect(reasonOf(file)).toContain(reason);
  });
  it('rejects an oversize body with its size', () => {
    const rej = r.tables.rejects.find((x) => x.file.endsWith('huge-agent.md'));
    expect(rej?.reason).toMatch(/file too large/);
    expect(rej?.detail).toBe(`${MAX_TEXT_BYTES + 21} bytes`);
  });
  it('keeps the good rows with their normalised fields', () => {
    const m = r.tables.messages.find((x) => x.filename === '20260610-120000-000_good-agent.md');
    expect(m).toMatchObject({
      agent: 'good-agent',
      ts: '2026-06-10T12:00:00.000Z',
      ts_frontmatter: '2026-06-10T12:00:00.000Z',
      refs: ['20260610-130000-000_good-agent.md', '20260609-000000-000_missing.md'],
      mentions: ['other-agent', 'human-ana'],
      recipients: ['other-agent'],
      headline: 'Plan: try the ünïcode path 🚀',
      source_part: 'message_board',
    });
    expect(JSON.parse(m!.frontmatter_json!)).toMatchObject({ custom_key: { nested: [1, 2] } });
    const api = r.tables.messages.find((x) => x.filename === '20260610-140000-000_api-only.md');
    expect(api).toMatchObject({ agent: 'api-only', source_part: 'api', headline: 'From the API' });
    const res = r.tables.results.find((x) => x.filename === '20260610-130000-000_good-agent.md');
    expect(res).toMatchObject({
      score: 123.5,
      secondary: 2.5,
      status: 'negative',
      over_cap: true,
      verification: 'valid',
      verification_source: 'index',
      job_ids: ['6a3666333093dba73ce2ad10'],
      credits: ['other-agent'],
      submission_prefix: 'submissions/other-agent/int4',
    });
    expect(r.tables.runs.map((x) => [x.run_dir, x.status, x.score])).toEqual([
      ['runs/deep/r2', 'unknown', null],
      ['runs/r1', 'completed', 101.5],
    ]);
  });
  it('resolves links in both namespaces and leaves missing targets unresolved', () => {
    const links = r.tables.message_links.filter((l) => l.from_file === '20260610-120000-000_good-agent.md');
    expect(links.map((l) => [l.kind, l.target, l.to_part])).toEqual(
      expect.arrayContaining([
        ['ref', '20260610-130000-000_good-agent.md', 'results'],
        ['ref', '20260609-000000-000_missing.md', 'unresolved'],
        ['mention', 'other-agent', 'agent'],
        ['mention', 'human-ana', 'agent'],
      ]),
    );
    // The quoted filename and stamp point at the ref already made, so no duplicate quoted-filename link.
    expect(links.filter((l) => l.kind === 'quoted-filename')).toEqual([]);
  });
  it('lists seen-only handles as unregistered agents', () => {
    const a = new Map(r.tables.agents.map((x) => [x.agent_id, x]));
    expect(a.get('other-agent')).toMatchObject({ registered: true, tools: ['bash', 'python'], joined: '2026-06-01T10:00:00.000Z' });
    expect(a.get('good-agent')).toMatchObject({ registered: false, source_part: 'seen' });
  });
});
