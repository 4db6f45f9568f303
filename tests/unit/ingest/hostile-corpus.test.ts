// The hostile corpus (tests/fixtures/hostile-corpus.ts): every case gives its row or its reject with the step and
// reason, nothing is lost, nothing outside the export is read, and the whole data build (Parquet included) completes.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountFiles, unaccounted } from '../../../scripts/ingest/accounting.ts';
import { ingestExport, type IngestResult } from '../../../scripts/ingest/ingest.ts';
import { buildData } from '../../../scripts/build-data.ts';
import { VERIFICATION_CASES, writeHostileCorpus, type HostileCase } from '../../fixtures/hostile-corpus.ts';

let dir: string;
let cases: HostileCase[];
let r: IngestResult;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'atlas-hostile-'));
  cases = writeHostileCorpus(dir);
  r = ingestExport(dir);
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('hostile corpus', () => {
  it('has at least 40 cases over every part of the layout', () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
    const parts = new Set(cases.map((c) => c.path.split('/')[0]));
    for (const p of ['message_board', 'results', 'agents', 'runs', 'leaderboard', 'api', 'inbox', 'taskforces', 'channels', 'broadcasts', 'traces', 'shared_resources']) expect(parts).toContain(p);
  });

  it('accounts for every listed entry: files in = rows + rejects', () => {
    expect(unaccounted(r.files, r.tables, r.apiListings)).toEqual([]);
    // Every case's path was listed (links, FIFOs and folders included).
    const listed = new Set(r.files.map((f) => f.rel));
    for (const c of cases) expect(listed.has(c.path), c.path).toBe(true);
  });

  it.each([0])('gives every case its outcome', () => {
    const where = accountFiles(r.files, r.tables, r.apiListings);
    const failures: string[] = [];
    for (const c of cases) {
      if ('table' in c.expect) {
        if (!where.get(c.path)?.includes(c.expect.table)) failures.push(`${c.path} (${c.what}): expected a row in ${c.expect.table}, got ${where.get(c.path)?.join(', ') ?? 'nothing'}`);
        if (r.tables.rejects.some((x) => x.file === c.path)) failures.push(`${c.path} (${c.what}): also rejected`);
      } else {
        const { reject, step } = c.expect;
        const mine = r.tables.rejects.filter((x) => x.file === c.path || x.file.startsWith(`${c.path}#`));
        if (!mine.some((x) => x.step === step && reject.test(`${x.reason} ${x.detail ?? ''}`))) {
          failures.push(`${c.path} (${c.what}): expected ${step} / ${reject}, got ${JSON.stringify(mine.map((x) => [x.step, x.reason]))}`);
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it('rejects the hostile entries of the verification index one by one', () => {
    for (const [file, reason] of VERIFICATION_CASES) {
      const rows = r.tables.rejects.filter((x) => x.file === file);
      expect(rows.map((x) => x.reason).join()).toMatch(reason);
    }
  });

  it('never reads outside the export and never pollutes prototypes', () => {
    const passwd = readFileSync('/etc/passwd', 'utf8').split('\n')[0]!;
    const everything = JSON.stringify(r.tables);
    expect(everything.includes(passwd)).toBe(false);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    const m = r.tables.messages.find((x) => x.filename === '20260612-235012-012_hostile-agent.md');
    expect(m).toBeDefined();
    expect(JSON.parse(m!.frontmatter_json!)).toHaveProperty('agent', 'hostile-agent');
  });

  it('gives every reject a step and a reason', () => {
    for (const x of r.tables.rejects) {
      expect(['list', 'read', 'decode', 'parse', 'validate', 'rows', 'serialise']).toContain(x.step);
      expect(x.reason.length).toBeGreaterThan(5);
      expect((x.detail ?? '').length).toBeLessThanOrEqual(500);
    }
  });

  it('builds every table, Parquet included, and says where each reject came from', async () => {
    const out = mkdtempSync(join(tmpdir(), 'atlas-hostile-out-'));
    try {
      const { manifest } = await buildData({ source: dir, out, quiet: true });
      expect(manifest.rejects).toBe(r.tables.rejects.length);
      expect(manifest.tables['messages']?.rows).toBe(r.tables.messages.length);
      expect(manifest.source.files).toBe(r.files.length);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 60_000);
});
