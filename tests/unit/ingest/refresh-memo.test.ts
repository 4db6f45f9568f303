// A refresh with derivations' memos (scripts/derive/index.ts Derivation.memo): after new board messages, an edited old
// message or an edited result, every table and the manifest's tables are those of a fresh full build of the same
// input, and the manifest says per derivation whether it was kept, updated from its memo or run in full.
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildData, type Manifest } from '../../../scripts/build-data.ts';
import { writeSampleFolder } from '../../../scripts/sample/output.ts';
import { DERIVATIONS } from '../../../scripts/derive/index.ts';
import { SQL_DERIVATIONS } from '../../../src/lib/sql-derived.ts';

let root: string;
let input: string;
const out = (): string => join(root, 'out');

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'atlas-memo-'));
  process.env['ATLAS_CACHE_DIR'] = join(root, 'cache');
  const src = writeSampleFolder(join(root, 'sample'), { seed: 11, scale: 0.3, lowerIsBetter: false }).exportDir;
  input = join(root, 'input');
  cpSync(src, input, { recursive: true });
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

const parquet = (dir: string): string[] => readdirSync(dir).filter((f) => f.endsWith('.parquet')).sort();

/** The refresh's files and manifest tables against a fresh build of the same input (no cache at all). */
async function expectSameAsFresh(refresh: Manifest, name: string): Promise<void> {
  const fresh = join(root, `fresh-${name}`);
  const full = await buildData({ source: input, out: fresh, quiet: true });
  expect(parquet(out())).toEqual(parquet(fresh));
  for (const f of parquet(fresh)) expect(readFileSync(join(out(), f)).equals(readFileSync(join(fresh, f))), `${name}: ${f}`).toBe(true);
  expect(refresh.tables).toEqual(full.manifest.tables);
  expect(refresh.source).toEqual(full.manifest.source);
}

/** A file of `folder` in the middle of its name order (not the newest), and its text. */
function middleFile(folder: string): { path: string; text: string } {
  const names = readdirSync(join(input, folder)).filter((f) => f.endsWith('.md')).sort();
  const path = join(input, folder, names[names.length >> 1]!);
  return { path, text: readFileSync(path, 'utf8') };
}

describe('refresh with derivation memos', () => {
  it('a full build runs every derivation in full', { timeout: 60_000 }, async () => {
    const first = await buildData({ source: input, out: out(), quiet: true, incremental: true, full: true });
    expect(first.manifest.derivations).toEqual(Object.fromEntries([...DERIVATIONS, ...SQL_DERIVATIONS].map((d) => [d.name, 'full'])));
  });

  it('new board messages: lineage, relays, episodes and search-index update from their memos, the tables are a full build\'s', { timeout: 120_000 }, async () => {
    const board = join(input, 'message_board');
    const names = readdirSync(board).sort();
    // Copies of existing messages (some ref two results: lineage rule 1b sees them) under later names, with new words.
    for (let i = 0; i < 12; i++) {
      const from = names[(i * 7919) % names.length]!;
      const agent = /_([a-z0-9-]+)\.md$/.exec(from)?.[1] ?? 'newcomer';
      writeFileSync(join(board, `20260614-1000${String(i).padStart(2, '0')}-${String(i).padStart(3, '0')}_${agent}.md`), `${readFileSync(join(board, from), 'utf8')}\nFollow-up ${i}: zymurgy${i}.\n`);
    }
    const inc = await buildData({ source: input, out: out(), quiet: true, incremental: true });
    expect(inc.manifest.derivations?.['lineage']).toBe('updated');
    expect(inc.manifest.derivations?.['episodes']).toBe('updated');
    expect(inc.manifest.derivations?.['search-index']).toBe('updated');
    expect(inc.manifest.derivations?.['relays']).toBe('updated');
    // A derivation without a memo that read messages ran in full; the search tables hold the new words.
    expect(inc.manifest.derivations?.['threads']).toBe('full');
    expect(inc.manifest.rebuilt).toContain('search_words');
    await expectSameAsFresh(inc.manifest, 'append');
  });

  it('an edited old message (not an append): its words are split again, the tables are a full build\'s', { timeout: 120_000 }, async () => {
    const m = middleFile('message_board');
    // Replace its body's words: a memo keyed by position or file name would keep the old ones.
    const at = m.text.indexOf('\n---', 4) + 4;
    // Now it reports a failure (relays rule 3 reads that from its text alone).
    writeFileSync(m.path, `${m.text.slice(0, at)}\nRewritten entirely: quixotic palimpsest. The run crashed with a CUDA out of memory error.\n`);
    const inc = await buildData({ source: input, out: out(), quiet: true, incremental: true });
    expect(inc.manifest.rebuilt).toContain('search_words');
    expect(inc.manifest.derivations?.['search-index']).toBe('updated');
    expect(inc.manifest.derivations?.['relays']).toBe('updated');
    await expectSameAsFresh(inc.manifest, 'edit-message');
  });

  it('an edited result: lineage and episodes run in full (their memos read results), the tables are a full build\'s', { timeout: 120_000 }, async () => {
    const r = middleFile('results');
    const mine = /^agent: (.*)$/m.exec(r.text)?.[1];
    const other = readdirSync(join(input, 'results'))
      .map((f) => /_([a-z0-9-]+)\.md$/.exec(f)?.[1])
      .find((a) => a && a !== mine && a !== 'sample-baseline');
    // Now it runs another agent's staged candidate (episodes rule 5b) and credits them (lineage rule 3).
    writeFileSync(r.path, r.text.replace(/^description: .*$/m, `description: "Ran ${other}'s staged candidate on behalf of ${other}; credit ${other}."`));
    const inc = await buildData({ source: input, out: out(), quiet: true, incremental: true });
    expect(inc.manifest.rebuilt).toEqual(expect.arrayContaining(['results', 'episodes', 'lineage_edges']));
    expect(inc.manifest.derivations?.['lineage']).toBe('full');
    expect(inc.manifest.derivations?.['episodes']).toBe('full');
    await expectSameAsFresh(inc.manifest, 'edit-result');
  });

  it('a damaged memo is only a slower build', { timeout: 120_000 }, async () => {
    const cacheDir = join(root, 'cache');
    const memos: string[] = [];
    for (const d of readdirSync(cacheDir)) for (const f of readdirSync(join(cacheDir, d))) if (f.startsWith('memo-')) memos.push(join(cacheDir, d, f));
    expect(memos.length).toBeGreaterThan(0);
    for (const f of memos) writeFileSync(f, 'not a memo');
    const board = join(input, 'message_board');
    const from = readdirSync(board).sort()[0]!;
    writeFileSync(join(board, '20260614-120000-000_newcomer.md'), readFileSync(join(board, from), 'utf8'));
    const inc = await buildData({ source: input, out: out(), quiet: true, incremental: true });
    expect(inc.manifest.derivations?.['search-index']).toBe('full');
    expect(inc.manifest.derivations?.['relays']).toBe('full');
    expect(inc.manifest.derivations?.['lineage']).toBe('full');
    await expectSameAsFresh(inc.manifest, 'damaged');
  });
});
