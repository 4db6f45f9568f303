// Post-build step: writes `<file>.br` and `<file>.gz` next to every large compressible file of the built site, so a
// static host (scripts/serve.ts, nginx gzip_static/brotli_static, …) can send them as they are; docs/publishing.md.
//
// Rules:
// 1. Candidates: files of at least MIN_BYTES whose extension is in COMPRESSIBLE (text, JSON, JS, CSS, SVG, wasm,
//    Arrow); Parquet and images are compressed already and are left alone.
// 2. A variant is kept only when it saves at least 10 % of the file; otherwise it is not written (and a stale one is
//    removed), so a server never sends a variant larger than the file.
// 3. Brotli quality 9 up to 1 MB (11 takes ~20× as long for ~15 % less: seconds per page on a busy 2-core machine,
//    and a scale-100 site has thousands of pages), 5 above (9–11 on DuckDB's 34 MB wasm takes minutes for a few
//    percent); gzip level 9.
// 4. A variant newer than its file is kept as it is; variants of files of 1 MB or more are cached by content hash in
//    node_modules/.cache/atlas-precompress/ (DuckDB's wasm is the same in every build).
// 5. Variants whose file is gone are removed.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

export const MIN_BYTES = 1024;
const BIG = 1024 * 1024;
export const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.css', '.json', '.svg', '.wasm', '.txt', '.xml', '.map', '.arrow', '.csv', '.md']);
export const ENCODINGS = [
  { ext: '.br', token: 'br' },
  { ext: '.gz', token: 'gzip' },
] as const;
const CACHE = resolve(import.meta.dirname, '../node_modules/.cache/atlas-precompress');

const br = promisify(brotliCompress);
const gz = promisify(gzip);

export interface PrecompressStats {
  files: number;
  bytes: number;
  brBytes: number;
  gzBytes: number;
  written: number;
}

const isVariant = (f: string) => ENCODINGS.some((e) => f.endsWith(e.ext));

function walk(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) walk(p, out);
    else if (entry.isFile()) out.push(p);
  }
  return out;
}

async function encode(ext: string, data: Buffer): Promise<Buffer> {
  if (ext === '.gz') return gz(data, { level: 9 });
  return br(data, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: data.length < BIG ? 9 : 5,
      [constants.BROTLI_PARAM_LGWIN]: data.length < BIG ? 22 : 24,
      [constants.BROTLI_PARAM_SIZE_HINT]: data.length,
    },
  });
}

/** The variant of `data` (from the content-hash cache for big files); null when it would not save 10 %. */
async function variant(ext: string, data: Buffer): Promise<Buffer | null> {
  let out: Buffer;
  const cached = data.length >= BIG ? join(CACHE, `${createHash('sha256').update(data).digest('hex')}${ext}`) : null;
  if (cached && existsSync(cached)) out = readFileSync(cached);
  else {
    out = await encode(ext, data);
    if (cached) {
      mkdirSync(CACHE, { recursive: true });
      writeFileSync(`${cached}.${process.pid}.tmp`, out);
      renameSync(`${cached}.${process.pid}.tmp`, cached);
    }
  }
  return out.length <= data.length * 0.9 ? out : null;
}

/** Write the `.br`/`.gz` variants under `dir` (see the rules at the top); returns what it found and wrote. */
export async function precompressDir(dir: string): Promise<PrecompressStats> {
  const stats: PrecompressStats = { files: 0, bytes: 0, brBytes: 0, gzBytes: 0, written: 0 };
  const files = walk(resolve(dir));
  const present = new Set(files);
  for (const f of files) {
    if (isVariant(f) && !present.has(f.slice(0, -3))) rmSync(f);
  }
  const jobs = files.filter((f) => !isVariant(f) && COMPRESSIBLE.has(extname(f).toLowerCase()) && statSync(f).size >= MIN_BYTES);
  // Two at a time: the machine this runs on may have two cores, and zlib works on libuv's pool.
  const queue = [...jobs];
  const work = async () => {
    for (let f = queue.shift(); f; f = queue.shift()) await compressOne(f, stats);
  };
  await Promise.all([work(), work()]);
  return stats;
}

async function compressOne(file: string, stats: PrecompressStats): Promise<void> {
  const st = statSync(file);
  let data: Buffer | null = null;
  stats.files++;
  stats.bytes += st.size;
  for (const { ext } of ENCODINGS) {
    const target = file + ext;
    let size: number | null = null;
    if (existsSync(target) && statSync(target).mtimeMs >= st.mtimeMs) size = statSync(target).size;
    else {
      data ??= readFileSync(file);
      const out = await variant(ext, data);
      if (out) {
        writeFileSync(target, out);
        stats.written++;
        size = out.length;
      } else rmSync(target, { force: true });
    }
    if (ext === '.br') stats.brBytes += size ?? st.size;
    else stats.gzBytes += size ?? st.size;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const { positionals } = parseArgs({ allowPositionals: true });
  const dir = positionals[0] ?? process.env['ATLAS_OUT_DIR'] ?? 'dist';
  const t0 = performance.now();
  const s = await precompressDir(dir);
  const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
  console.log(
    `precompress: ${s.files} files (${mb(s.bytes)}) in ${dir}: brotli ${mb(s.brBytes)}, gzip ${mb(s.gzBytes)}; ${s.written} variants written in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
}
