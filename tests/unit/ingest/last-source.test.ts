// The remembered data source (.atlas-source.json): which export a CLI build reads, and what `npm run serve` names.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chooseSource, describeBuiltSite, lastSource, rememberSource } from '../../../scripts/lib/last-source.ts';

const manifest = (hash: string, synthetic = false) => ({ source: { input_hash: hash, name: 'Fast Gemma Challenge', synthetic } });

describe('the remembered source', () => {
  it('--source, then ATLAS_SOURCE, then the source last built into the same data folder, then the sample', () => {
    const root = mkdtempSync(join(tmpdir(), 'atlas-root-'));
    const out = join(root, 'public/data');
    const pick = (flag?: string, env?: string) => chooseSource({ flag, env, out, fallback: 'data/sample/export', root }).source;
    expect(pick()).toBe('data/sample/export');
    rememberSource(out, join(root, '../real'), manifest('h1'), root);
    expect(pick()).toBe(join(root, '../real'));
    expect(chooseSource({ out, fallback: 'x', root }).why).toMatch(/remembered in \.atlas-source\.json/);
    expect(pick(undefined, 'env-src')).toBe('env-src');
    expect(pick('flag-src', 'env-src')).toBe('flag-src');
    // A build into another folder neither reads nor replaces it.
    expect(chooseSource({ out: join(root, 'scratch'), fallback: 'sample', root }).source).toBe('sample');
    rememberSource(join(root, 'scratch'), join(root, 'other'), manifest('h2'), root);
    expect(lastSource(out, root)?.source).toBe('../real');
  });

  it('names the export a built site shows when its input hash is the remembered one', () => {
    const root = mkdtempSync(join(tmpdir(), 'atlas-root-'));
    const dist = join(root, 'dist');
    mkdirSync(join(dist, 'data'), { recursive: true });
    const write = (m: object) => writeFileSync(join(dist, 'data', 'manifest.json'), JSON.stringify(m));
    write({
      source: { name: 'Fast Gemma Challenge', synthetic: false, input_hash: 'h1', files: 396 },
      data_as_of: '2026-06-24T01:10:34.714Z',
      coverage: { parts: { board: { present: false, files: 0 }, runs: { present: true, files: 376 } } },
    });
    rememberSource(join(root, 'public/data'), join(root, 'real'), manifest('h1'), root);
    expect(describeBuiltSite(dist, join(root, 'public/data'), root)).toBe(
      'Data: real data, "Fast Gemma Challenge" from real (396 files, newest record 2026-06-24 01:10 UTC); missing parts: board.',
    );
    rememberSource(join(root, 'public/data'), join(root, 'sample'), manifest('h2', true), root);
    expect(describeBuiltSite(dist, join(root, 'public/data'), root)).toMatch(/from an export not remembered in this checkout/);
    write({ source: { name: 'Sample', synthetic: true, input_hash: 'h2', files: 5200 }, data_as_of: null });
    expect(describeBuiltSite(dist, join(root, 'public/data'), root)).toBe('Data: the synthetic sample "Sample" (not a real collaboration) from sample (5,200 files).');
    expect(describeBuiltSite(join(root, 'nowhere'), join(root, 'public/data'), root)).toMatch(/^Data: none .*npm run build/);
  });
});
