// Export coverage (which parts a folder has, files per part) and the refusal of a folder that is not an export.
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildData, coverageLine } from '../../../scripts/build-data.ts';
import { exportCandidates, exportCoverage, notAnExport } from '../../../scripts/ingest/coverage.ts';
import { listFiles } from '../../../scripts/ingest/source.ts';

const REAL = new URL('../../../../shared/gemma-real/', import.meta.url).pathname;
const BROKEN = new URL('../../fixtures/broken-export', import.meta.url).pathname;
const NO_ROWS = { messages: [], results: [], agents: [] };

/** A temp folder holding `files` (path → content). */
function folder(files: Record<string, string>, dirs: string[] = []): string {
  const root = mkdtempSync(join(tmpdir(), 'atlas-cov-'));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), text);
  }
  for (const d of dirs) mkdirSync(join(root, d), { recursive: true });
  return root;
}

describe('exportCoverage', () => {
  it('counts files per part; an empty folder of a part is present with 0 files, an absent one is not', () => {
    const root = folder({ 'runs/r1/summary.json': '{}', 'runs/r1/job_status.json': '{}', 'README.md': '# x', 'results/verification_status.json': '{}' }, ['taskforces']);
    const c = exportCoverage(root, listFiles(root), NO_ROWS);
    expect(c.parts.runs).toEqual({ present: true, files: 2 });
    expect(c.parts.documents).toEqual({ present: true, files: 1 });
    expect(c.parts.verification).toEqual({ present: true, files: 1 });
    expect(c.parts.results).toEqual({ present: false, files: 0 });
    expect(c.parts.taskforces).toEqual({ present: true, files: 0 });
    expect(c.parts.board).toEqual({ present: false, files: 0 });
    expect(coverageLine(c)).toBe(
      'export parts: verification 1, taskforces 0, runs 2, documents 1; missing board, results, agents, inbox, leaderboards, api (the pages that need them say so)',
    );
  });

  it('counts the rows API pages gave per table', () => {
    const c = exportCoverage(BROKEN, listFiles(BROKEN), {
      messages: [{ source_part: 'api' }, { source_part: 'message_board' }],
      results: [{ source_part: 'results' }],
      agents: [{ source_part: 'api' }],
    });
    expect(c.api_rows).toEqual({ messages: 1, results: 0, agents: 1 });
    expect(c.parts.api.present).toBe(true);
  });

  it.skipIf(!existsSync(REAL))('on the real export: runs, leaderboards and documents only', () => {
    const c = exportCoverage(REAL, listFiles(REAL), NO_ROWS);
    const present = Object.entries(c.parts).filter(([, p]) => p.present);
    expect(Object.fromEntries(present)).toEqual({
      runs: { present: true, files: 376 },
      leaderboards: { present: true, files: 4 },
      documents: { present: true, files: 16 },
    });
  });
});

describe('notAnExport', () => {
  it('accepts an empty folder, a README alone, and any subset of parts', () => {
    for (const files of [{}, { 'README.md': '# hi' }, { 'collab-atlas.json': '{}' }, { 'leaderboard/a.json': '{}', 'stray.txt': 'x' }]) {
      const root = folder(files);
      expect(notAnExport(root, listFiles(root))).toBeNull();
    }
  });

  it('refuses a folder whose export sits one level down, and names that subfolder', () => {
    const root = folder({
      'ground-truth.json': '{}',
      'export/message_board/20260601-000000-000_a.md': 'x',
      'export/runs/r1/summary.json': '{}',
      'export/README.md': '# x',
      'other/leaderboard/a.json': '{}',
    });
    const msg = notAnExport('data/sample', listFiles(root));
    expect(msg).toMatch(/^data\/sample is not an export folder: none of its 5 files is in a part of the export layout/);
    expect(msg).toContain('pass --source data/sample/export.');
    expect(msg).toContain('data/sample/export (2 files in the layout), data/sample/other (1 file in the layout)');
  });

  it('refuses a project folder (README plus source files) without a suggestion when nothing below looks like an export', () => {
    const root = folder({ 'README.md': '# project', 'src/a.ts': 'x', 'package.json': '{}' });
    expect(notAnExport('.', listFiles(root))).toMatch(/^\. is not an export folder: .* Pass the folder that holds message_board\//);
  });

  it('finds exports deeper down and ignores layout names that are not layout parts there', () => {
    const root = folder({ 'a/b/results/20260601-000000-000_x.md': 'x', 'c/results/deep/no.md': 'x' });
    expect(exportCandidates(listFiles(root))).toEqual([{ dir: 'a/b', files: 1 }]);
  });

  it('makes the data build fail with the reason instead of publishing an empty site', async () => {
    const root = folder({ 'export/agents/a.md': 'x', 'notes.txt': 'x' });
    await expect(buildData({ source: root, out: mkdtempSync(join(tmpdir(), 'atlas-out-')), quiet: true })).rejects.toThrow(/is not an export folder.*\/export/);
  });
});
