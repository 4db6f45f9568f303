// Incremental data build: the parse cache and unchanged tables give Parquet files byte-identical to a full build.
import { cpSync, mkdtempSync, readFileSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildData } from '../../../scripts/build-data.ts';
import { writeSampleFolder } from '../../../scripts/sample/output.ts';
import { TABLES } from '../../../src/lib/schema/index.ts';
import { runDerivation, type Derivation } from '../../../scripts/derive/index.ts';
import { codeFiles } from '../../../scripts/ingest/code-fingerprint.ts';
import type { CoreTables } from '../../../scripts/ingest/ingest.ts';
import { DEFAULT_CONFIG } from '../../../src/lib/config.ts';

let root: string;
let src: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'atlas-incr-'));
  // Keep these builds' caches with their temporary folders, not in node_modules/.cache.
  process.env['ATLAS_CACHE_DIR'] = join(root, 'cache');
  src = writeSampleFolder(join(root, 'sample'), { seed: 11, scale: 0.3, lowerIsBetter: false }).exportDir;
});

/** 1% new board messages: copies of existing ones under new, later names, with a new last line. */
function addMessages(exportDir: string, fraction: number): string[] {
  const dir = join(exportDir, 'message_board');
  const names = readdirSync(dir).sort();
  const n = Math.max(1, Math.round(names.length * fraction));
  const added: string[] = [];
  for (let i = 0; i < n; i++) {
    const from = names[(i * 7919) % names.length]!;
    const agent = /_([a-z0-9-]+)\.md$/.exec(from)?.[1] ?? 'newcomer';
    // A valid stamp for every i: hour 10+, then minutes and seconds from i.
    const hms = `${10 + Math.floor(i / 3600)}${String(Math.floor(i / 60) % 60).padStart(2, '0')}${String(i % 60).padStart(2, '0')}`;
    const name = `20260614-${hms}-${String(i % 1000).padStart(3, '0')}_${agent}.md`;
    writeFileSync(join(dir, name), `${readFileSync(join(dir, from), 'utf8')}\nFollow-up ${i}: still looking at this.\n`);
    added.push(name);
  }
  return added;
}

const parquet = (dir: string): string[] => readdirSync(dir).filter((f) => f.endsWith('.parquet')).sort();

describe('incremental data build', () => {
  it('reuses parses and unchanged tables, and writes the same bytes as a fresh full build', { timeout: 120_000 }, async () => {
    const input = join(root, 'input');
    cpSync(src, input, { recursive: true });
    const out = join(root, 'incremental');
    const first = await buildData({ source: input, out, quiet: true, incremental: true, full: true });
    expect(first.manifest.rebuilt).toEqual(TABLES.map((t) => t.name));
    expect(first.manifest.cached_inputs).toBe(0);

    // Nothing changed: nothing parsed, nothing rewritten.
    const same = await buildData({ source: input, out, quiet: true, incremental: true });
    expect(same.manifest.rebuilt).toEqual([]);
    expect(same.manifest.parsed_inputs).toBe(0);
    expect(same.manifest.cached_inputs).toBeGreaterThan(300);

    const added = addMessages(input, 0.01);
    const before = new Map(parquet(out).map((f) => [f, readFileSync(join(out, f))]));
    const inc = await buildData({ source: input, out, quiet: true, incremental: true });
    // Only the new files are parsed (identical inbox copies count once).
    expect(inc.manifest.parsed_inputs).toBe(added.length);
    expect(inc.manifest.rebuilt).toContain('messages');
    for (const t of ['runs', 'documents', 'taskforces', 'leaderboard_snapshots', 'noise_runs']) expect(inc.manifest.rebuilt).not.toContain(t);
    // A table not rebuilt keeps every file; a table in parts (one per UTC day) rewrites only the parts of the days
    // the new messages fall on (all on 2026-06-14), and keeps the others byte for byte.
    const days = new Set(added.map((n) => `${n.slice(0, 4)}-${n.slice(4, 6)}-${n.slice(6, 8)}`));
    let keptParts = 0;
    for (const [f, buf] of before) {
      const [table, part] = f.split('.');
      const isPart = f.split('.').length === 3;
      if (!inc.manifest.rebuilt?.includes(table!) || (isPart && !days.has(part!))) {
        expect(readFileSync(join(out, f)).equals(buf), `${f} kept`).toBe(true);
        if (isPart && table === 'messages') keptParts++;
      }
    }
    expect(keptParts).toBeGreaterThan(0);

    const fresh = join(root, 'fresh');
    const full = await buildData({ source: input, out: fresh, quiet: true });
    expect(parquet(out)).toEqual(parquet(fresh));
    for (const f of parquet(fresh)) expect(readFileSync(join(out, f)).equals(readFileSync(join(fresh, f))), f).toBe(true);
    expect(inc.manifest.tables).toEqual(full.manifest.tables);
    expect(inc.manifest.source).toEqual(full.manifest.source);
  });

  it('rewrites a table whose Parquet file was changed behind its back', { timeout: 60_000 }, async () => {
    const out = join(root, 'tampered');
    const first = await buildData({ source: src, out, quiet: true, incremental: true });
    // One part of a table in parts: that part is rewritten, its other parts kept.
    const parts = first.manifest.tables['runs']?.parts ?? [];
    expect(parts.length).toBeGreaterThan(1);
    const part = parts[parts.length >> 1]!.file;
    const others = new Map(parts.filter((p) => p.file !== part).map((p) => [p.file, statSync(join(out, p.file)).mtimeMs]));
    writeFileSync(join(out, part), 'not parquet');
    const again = await buildData({ source: src, out, quiet: true, incremental: true });
    expect(again.manifest.rebuilt).toEqual(['runs']);
    for (const [f, mtime] of others) expect(statSync(join(out, f)).mtimeMs, `${f} kept`).toBe(mtime);
    const fresh = join(root, 'tampered-fresh');
    await buildData({ source: src, out: fresh, quiet: true });
    expect(readFileSync(join(out, part)).equals(readFileSync(join(fresh, part)))).toBe(true);
  });

  it('reruns only the derivations whose input tables changed (a new run folder leaves threads alone)', { timeout: 120_000 }, async () => {
    const input = join(root, 'runs-input');
    cpSync(src, input, { recursive: true });
    const out = join(root, 'runs-out');
    await buildData({ source: input, out, quiet: true, incremental: true, full: true });
    const runsDir = join(input, 'runs');
    const from = readdirSync(runsDir).sort()[0]!;
    cpSync(join(runsDir, from), join(runsDir, `${from}-rerun`), { recursive: true });
    const inc = await buildData({ source: input, out, quiet: true, incremental: true });
    expect(inc.manifest.rebuilt).toContain('runs');
    expect(inc.manifest.rebuilt).not.toContain('messages');
    // threads reads messages and results only; noise reads runs.
    expect(inc.manifest.derived).not.toContain('threads');
    expect(inc.manifest.derived).toContain('noise');
    expect(inc.manifest.parsed_inputs).toBe(readdirSync(join(runsDir, from)).length);
    const fresh = join(root, 'runs-fresh');
    await buildData({ source: input, out: fresh, quiet: true });
    for (const f of parquet(fresh)) expect(readFileSync(join(out, f)).equals(readFileSync(join(fresh, f))), f).toBe(true);
  });

  it('trusts the file index while a file keeps its stat signature, and notices an in-place edit of the same size', { timeout: 120_000 }, async () => {
    const input = join(root, 'stat-input');
    cpSync(src, input, { recursive: true });
    // Old files: outside the window in which a fresh mtime is not trusted.
    const old = new Date(Date.now() - 3_600_000);
    const all = readdirSync(input, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
    for (const e of all) utimesSync(join(e.parentPath, e.name), old, old);
    const out = join(root, 'stat-out');
    const first = await buildData({ source: input, out, quiet: true, incremental: true, full: true });
    const outputs = (): Record<string, string> =>
      Object.fromEntries(parquet(out).map((f) => [f, createHash('sha256').update(readFileSync(join(out, f))).digest('hex')]));
    const before = outputs();
    // Nothing new: every file is known by its stat signature, nothing is read or parsed, every table is kept.
    const same = await buildData({ source: input, out, quiet: true, incremental: true });
    expect(same.manifest.indexed_inputs).toBe(all.length);
    expect(same.manifest.parsed_inputs).toBe(0);
    expect(same.manifest.cached_inputs).toBe(first.manifest.parsed_inputs);
    expect(same.manifest.rebuilt).toEqual([]);
    expect(same.manifest.derived).toEqual([]);
    expect(same.manifest.tables).toEqual(first.manifest.tables);
    expect(same.manifest.source).toEqual(first.manifest.source);
    expect(outputs()).toEqual(before);

    // A manifest changed behind the build's back: the build does its work again (and writes the true one).
    const manifestPath = join(out, 'manifest.json');
    writeFileSync(manifestPath, readFileSync(manifestPath, 'utf8').replace('"rejects"', '"rejects" '));
    const checked = await buildData({ source: input, out, quiet: true, incremental: true });
    // Whole-collection files (config, verification index, API listings, leaderboard snapshots) are read by every
    // build that does its work; every other file is known by its stat signature and not read at all.
    const rel = all.map((e) => join(e.parentPath, e.name).slice(input.length + 1));
    const alwaysRead = rel.filter((r) => /^(collab-atlas\.json|results\/verification_status\.json|api\/|leaderboard\/)/.test(r));
    expect(alwaysRead.length).toBeGreaterThan(0);
    expect(checked.manifest.indexed_inputs).toBe(all.length - alwaysRead.length);
    expect(checked.manifest.parsed_inputs).toBe(0);
    expect(checked.manifest.rebuilt).toEqual([]);
    expect(outputs()).toEqual(before);

    // Same size, same mtime (set back), new bytes: the change time gives it away.
    const board = join(input, 'message_board');
    const name = readdirSync(board).sort()[3]!;
    const path = join(board, name);
    const text = readFileSync(path, 'utf8');
    const i = text.lastIndexOf('e');
    expect(i).toBeGreaterThan(0);
    writeFileSync(path, `${text.slice(0, i)}E${text.slice(i + 1)}`);
    utimesSync(path, statSync(path).atime, old);
    const edited = await buildData({ source: input, out, quiet: true, incremental: true });
    expect(edited.manifest.parsed_inputs).toBe(1);
    expect(edited.manifest.indexed_inputs).toBe(all.length - alwaysRead.length - 1);
    expect(edited.manifest.rebuilt).toContain('messages');
    expect(edited.manifest.source.input_hash).not.toBe(same.manifest.source.input_hash);
  });
});

describe('kept Parquet files', () => {
  it('are known by their stat signature once checked, and a same-size rewrite with its mtime set back is noticed', { timeout: 120_000 }, async () => {
    const out = join(root, 'kept-stat');
    await buildData({ source: src, out, quiet: true, incremental: true, full: true });
    const old = new Date(Date.now() - 3_600_000);
    for (const f of parquet(out)) utimesSync(join(out, f), old, old);
    const checked = await buildData({ source: src, out, quiet: true, incremental: true });
    expect(checked.manifest.rebuilt).toEqual([]);
    const cacheDir = join(root, 'cache', createHash('sha256').update(resolve(out)).digest('hex').slice(0, 16));
    const tables = JSON.parse(readFileSync(join(cacheDir, 'tables.json'), 'utf8')).tables as Record<string, { stat?: { mtimeMs: number } }>;
    expect(Math.round(tables['agents']?.stat?.mtimeMs ?? 0)).toBe(old.getTime());

    const path = join(out, 'agents.parquet');
    const bytes = readFileSync(path);
    const mid = bytes.length >> 1;
    bytes[mid] = (bytes[mid] ?? 0) ^ 0xff;
    writeFileSync(path, bytes);
    utimesSync(path, old, old);
    const again = await buildData({ source: src, out, quiet: true, incremental: true });
    expect(again.manifest.rebuilt).toEqual(['agents']);
    const fresh = join(root, 'kept-stat-fresh');
    await buildData({ source: src, out: fresh, quiet: true });
    expect(readFileSync(path).equals(readFileSync(join(fresh, 'agents.parquet')))).toBe(true);
  });
});

describe('a damaged cache', () => {
  it('is only a slower build: a truncated units file is ignored and the output is the same', { timeout: 60_000 }, async () => {
    const input = join(root, 'damaged-input');
    cpSync(src, input, { recursive: true });
    const out = join(root, 'damaged');
    const first = await buildData({ source: input, out, quiet: true, incremental: true });
    // One cache folder per output path (see scripts/ingest/cache.ts).
    const cacheDir = join(root, 'cache', createHash('sha256').update(resolve(out)).digest('hex').slice(0, 16));
    const units = join(cacheDir, 'units.v8');
    writeFileSync(units, readFileSync(units).subarray(0, 100));
    // A new message, so the build has work to do and needs the parse cache.
    const [added] = addMessages(input, 0.001);
    const again = await buildData({ source: input, out, quiet: true, incremental: true });
    expect(added).toBeTruthy();
    expect(again.manifest.cached_inputs).toBe(0);
    expect(again.manifest.parsed_inputs).toBe((first.manifest.parsed_inputs ?? 0) + 1);
    const fresh = join(root, 'damaged-fresh');
    await buildData({ source: input, out: fresh, quiet: true });
    for (const f of parquet(fresh)) expect(readFileSync(join(out, f)).equals(readFileSync(join(fresh, f))), f).toBe(true);
  });
});

describe('code fingerprint', () => {
  it('covers the data build and every module it imports, not the site or the benchmarks', () => {
    const root = new URL('../../../', import.meta.url).pathname;
    const files = codeFiles().map((u) => u.pathname.slice(root.length));
    for (const f of ['scripts/build-data.ts', 'scripts/derive/relays/index.ts', 'scripts/ingest/frontmatter.ts', 'src/lib/relays/roles.ts', 'src/lib/schema/core.ts', 'src/lib/config.ts']) expect(files).toContain(f);
    expect(files.some((f) => f.includes('bench') || f.startsWith('src/pages') || f.startsWith('tests/'))).toBe(false);
  });
});

describe('derivation inputs', () => {
  it('hands a derivation only the core tables it declares', () => {
    const sneaky: Derivation = {
      name: 'sneaky',
      tables: [],
      inputs: ['messages'],
      run: (core) => ({ n: [{ runs: core.runs.length }] }),
    };
    const core = { messages: [], runs: [] } as unknown as CoreTables;
    expect(() => runDerivation(sneaky, core, DEFAULT_CONFIG)).toThrow(TypeError);
    expect(runDerivation({ ...sneaky, inputs: ['messages', 'runs'] }, core, DEFAULT_CONFIG)).toEqual({ n: [{ runs: 0 }] });
  });
});
