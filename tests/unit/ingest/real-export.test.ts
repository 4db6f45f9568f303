// Conformance on the real public data in ../shared/gemma-real: counts checked against the files themselves.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ingestExport, type IngestResult } from '../../../scripts/ingest/ingest.ts';
import { unaccounted } from '../../../scripts/ingest/accounting.ts';

const REAL = new URL('../../../../shared/gemma-real/', import.meta.url).pathname;
const have = existsSync(REAL);
let r: IngestResult;

beforeAll(() => {
  if (have) r = ingestExport(REAL);
});

describe.skipIf(!have)('real export (../shared/gemma-real)', () => {
  it('accounts for every file and rejects none', () => {
    expect(unaccounted(r.files, r.tables, r.apiListings)).toEqual([]);
    expect(r.tables.rejects).toEqual([]);
  });
  it('keeps every leaderboard row of every snapshot', () => {
    const dir = join(REAL, 'leaderboard');
    const files = readdirSync(dir);
    const rows = files.flatMap((f) => (JSON.parse(readFileSync(join(dir, f), 'utf8')) as { rows: { filename: string }[] }).rows);
    expect(r.tables.leaderboard_snapshots.length).toBe(rows.length);
    expect(new Set(r.tables.leaderboard_snapshots.map((s) => s.snapshot_file)).size).toBe(files.length);
    // Each distinct result filename becomes one results row, marked as known from the leaderboard.
    const names = new Set(rows.map((x) => x.filename));
    expect(r.tables.results.length).toBe(names.size);
    expect(r.tables.results.every((x) => x.source_part === 'leaderboard')).toBe(true);
  });
  it('takes verification from the newest snapshot', () => {
    const snaps = readdirSync(join(REAL, 'leaderboard')).map((f) => JSON.parse(readFileSync(join(REAL, 'leaderboard', f), 'utf8')) as {
      rows: { filename: string; verification: string }[];
      meta: { generated_at: string };
    });
    snaps.sort((a, b) => a.meta.generated_at.localeCompare(b.meta.generated_at));
    const expected = new Map<string, string>();
    for (const s of snaps) for (const row of s.rows) expected.set(row.filename, row.verification);
    for (const res of r.tables.results) expect(res.verification).toBe(expected.get(res.filename));
  });
  it('has one row per run dir with status, score and job id from the files', () => {
    const dirs = readdirSync(join(REAL, 'runs'));
    expect(r.tables.runs.length).toBe(dirs.length);
    for (const run of r.tables.runs) {
      const dir = join(REAL, run.run_dir);
      const sp = join(dir, 'summary.json');
      const js = join(dir, 'job_status.json');
      const summary = existsSync(sp) ? (JSON.parse(readFileSync(sp, 'utf8')) as { tps: number }) : null;
      const job = existsSync(js) ? (JSON.parse(readFileSync(js, 'utf8')) as { status: string; job_id: string }) : null;
      expect(run.score).toBe(summary?.tps ?? null);
      expect(run.status).toBe(job?.status ?? (summary ? 'completed' : 'unknown'));
      if (job) expect(run.job_id).toBe(job.job_id);
      expect(run.files).toEqual(readdirSync(dir).sort());
    }
  });
  it('counts one job under two names once', () => {
    const dup = r.tables.runs.find((x) => x.run_name === 'vllm-osoi5-g256-v1');
    expect(dup?.duplicate_of).toBe('runs/osoi5-g256-clean-20260622T215734Z');
    expect(r.tables.runs.filter((x) => x.duplicate_of !== null).length).toBe(1);
  });
  it('gives repeated runs of one submission one manifest hash, and hp-engine runs a shared one despite different TPS', () => {
    const hayai = r.tables.runs.filter((x) => x.submission_prefix === 'submissions/mikasa-inbound/vllm-hayai-repro-v1' && x.score !== null);
    expect(hayai.length).toBeGreaterThanOrEqual(14);
    const hp = r.tables.runs.filter((x) => /hp-engine-run[12]$/.test(x.run_dir));
    expect(hp[0]?.manifest_sha).toBe(hp[1]?.manifest_sha);
    expect(hp.map((x) => x.score)).toEqual([237.68, 288.31].map((v) => expect.closeTo(v, 2)));
  });
  it('finds credits naming other leaderboard agents in descriptions', () => {
    const repro = r.tables.results.find((x) => x.filename === '20260620-150043-363_mikasa-inbound.md');
    expect(repro?.credits).toEqual(expect.arrayContaining(['firfir-cast', 'kenyan-duma']));
  });
  it('keeps the shared-resource documents and the README', () => {
    expect(r.tables.documents.map((d) => d.path)).toContain('README.md');
    const gem = r.tables.documents.find((d) => d.resource === 'gemma4_e4b_speed_playbook_gemzilla');
    expect(gem?.owner).toBe('gemzilla');
    expect(gem?.text).toContain('[gemzilla flagged / quicksilver built / foffee benched]');
  });
});

describe.skipIf(!existsSync(new URL('../../../../shared/gemma-real-notes/drafts/', import.meta.url)))('real result sources as results/ files', () => {
  it('parses every draft result frontmatter', async () => {
    const { mkdtempSync, mkdirSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const drafts = new URL('../../../../shared/gemma-real-notes/drafts/', import.meta.url).pathname;
    const dir = mkdtempSync(join(tmpdir(), 'atlas-drafts-'));
    mkdirSync(join(dir, 'results'));
    const names = readdirSync(drafts).filter((f) => f.endsWith('.md') && f !== '2026-06-17-intro.md').sort();
    // Server-stamped names are synthesised; the content is the real file, read in place.
    names.forEach((f, i) => {
      writeFileSync(join(dir, 'results', `20260620-1200${String(i).padStart(2, '0')}-000_mikasa-inbound.md`), readFileSync(join(drafts, f)));
    });
    const res = ingestExport(dir);
    expect(res.tables.rejects).toEqual([]);
    expect(res.tables.results.length).toBe(names.length);
    // Two sources omit ppl from the frontmatter; both state it in the body.
    const recovered = res.tables.results.filter((x) => x.secondary_source !== 'frontmatter');
    expect(recovered.map((x) => [x.secondary_source, x.secondary_evidence])).toEqual([
      ['body', 'ppl 2.00'],
      ['body', 'ppl 2.159'],
    ]);
    // (No runs in this folder, so no run to disagree with: tests/unit/ingest/recover.test.ts checks that conflict.)
    expect(recovered.map((x) => x.value_conflicts)).toEqual([[], []]);
    expect(res.tables.results.every((x) => typeof x.score === 'number' && x.method)).toBe(true);
  });
});
