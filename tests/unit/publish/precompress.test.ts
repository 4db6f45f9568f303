// scripts/precompress.ts: .br and .gz next to large compressible files, only when they save, stale ones removed.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MIN_BYTES, precompressDir } from '../../../scripts/precompress.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'atlas-precompress-'));
  mkdirSync(join(dir, '_astro'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const text = (n: number) => Array.from({ length: n }, (_, i) => `line ${i % 97} of the page\n`).join('');
// Incompressible bytes: a small xorshift stream (deterministic).
function noise(n: number): Buffer {
  const b = Buffer.alloc(n);
  let x = 2463534242;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    b[i] = x & 0xff;
  }
  return b;
}

describe('precompressDir', () => {
  it('writes br and gz variants that decode to the file, for large compressible files only', async () => {
    const page = text(2000);
    writeFileSync(join(dir, 'index.html'), page);
    writeFileSync(join(dir, '_astro', 'app.js'), page);
    writeFileSync(join(dir, 'small.css'), 'a{}'.padEnd(MIN_BYTES - 1, ' '));
    writeFileSync(join(dir, 'runs.parquet'), page);
    const s = await precompressDir(dir);
    expect(s.files).toBe(2);
    expect(s.written).toBe(4);
    expect(brotliDecompressSync(readFileSync(join(dir, 'index.html.br'))).toString()).toBe(page);
    expect(gunzipSync(readFileSync(join(dir, '_astro', 'app.js.gz'))).toString()).toBe(page);
    expect(s.brBytes).toBeLessThan(s.bytes / 5);
    expect(existsSync(join(dir, 'small.css.br'))).toBe(false);
    expect(existsSync(join(dir, 'runs.parquet.gz'))).toBe(false);
  });

  it('writes no variant that would not save 10 %', async () => {
    writeFileSync(join(dir, 'random.js'), noise(20_000));
    const s = await precompressDir(dir);
    expect(s.files).toBe(1);
    expect(s.written).toBe(0);
    expect(existsSync(join(dir, 'random.js.br'))).toBe(false);
    expect(existsSync(join(dir, 'random.js.gz'))).toBe(false);
  });

  it('keeps fresh variants, rewrites stale ones and removes orphans', async () => {
    const f = join(dir, 'index.html');
    writeFileSync(f, text(2000));
    await precompressDir(dir);
    expect((await precompressDir(dir)).written).toBe(0);
    const changed = text(3000);
    writeFileSync(f, changed);
    const later = new Date(statSync(join(dir, 'index.html.br')).mtimeMs + 5000);
    utimesSync(f, later, later);
    expect((await precompressDir(dir)).written).toBe(2);
    expect(brotliDecompressSync(readFileSync(`${f}.br`)).toString()).toBe(changed);
    rmSync(f);
    await precompressDir(dir);
    expect(existsSync(`${f}.br`)).toBe(false);
    expect(existsSync(`${f}.gz`)).toBe(false);
  });
});
