// The sample folder on disk: same seed and scale give byte-identical files; a re-run replaces the export.
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeSampleFolder } from '../../../scripts/sample/output.ts';

// tmpfs when the machine has one: these tests write a few thousand small files.
const TMP = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
const dirs: string[] = [];
const tempDir = (): string => {
  const d = mkdtempSync(join(TMP, 'atlas-sample-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** path -> sha256 of every file under root. */
function digest(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.set(relative(root, p), createHash('sha256').update(readFileSync(p)).digest('hex'));
    }
  };
  walk(root);
  return out;
}

describe('writeSampleFolder', () => {
  it('is byte-identical for the same seed and scale, and differs for another seed', () => {
    const a = tempDir();
    const b = tempDir();
    const c = tempDir();
    writeSampleFolder(a, { seed: 7, scale: 0.2, lowerIsBetter: false });
    writeSampleFolder(b, { seed: 7, scale: 0.2, lowerIsBetter: false });
    writeSampleFolder(c, { seed: 8, scale: 0.2, lowerIsBetter: false });
    const da = digest(a);
    const db = digest(b);
    expect(da.size).toBeGreaterThan(1000);
    expect([...da.keys()].sort()).toEqual([...db.keys()].sort());
    for (const [k, v] of da) expect(db.get(k), k).toBe(v);
    expect(da.has('ground-truth.json')).toBe(true);
    const dc = digest(c);
    expect(dc.get('ground-truth.json')).not.toBe(da.get('ground-truth.json'));
  }, 30_000);

  it('replaces an existing export and leaves no temp dirs behind', () => {
    const out = tempDir();
    writeSampleFolder(out, { seed: 1, scale: 0.1, lowerIsBetter: false });
    writeFileSync(join(out, 'export', 'stale.txt'), 'old');
    const run = writeSampleFolder(out, { seed: 1, scale: 0.1, lowerIsBetter: false });
    expect(existsSync(join(out, 'export', 'stale.txt'))).toBe(false);
    expect(readdirSync(out).sort()).toEqual(['export', 'ground-truth.json']);
    const gt = JSON.parse(readFileSync(run.groundTruthPath, 'utf8')) as { counts: { files_total: number } };
    expect(gt.counts.files_total).toBe(digest(out).size);
  }, 30_000);
});
