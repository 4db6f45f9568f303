// scripts/serve.ts: precompressed variants by Accept-Encoding, cache headers by path, 304 by ETag and Last-Modified.
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync, gzipSync, brotliCompressSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acceptedEncodings, cachePolicy, startServer, type RunningServer } from '../../../scripts/serve.ts';

let root: string;
let server: RunningServer;
const JS = `export const x = ${JSON.stringify('a'.repeat(5000))};\n`;

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

function get(path: string, headers: Record<string, string> = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(server.origin + path, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'atlas-serve-'));
  mkdirSync(join(root, '_astro'));
  mkdirSync(join(root, 'data'));
  writeFileSync(join(root, 'index.html'), '<!doctype html><p>home</p>');
  writeFileSync(join(root, '_astro', 'app.abc123.js'), JS);
  writeFileSync(join(root, '_astro', 'app.abc123.js.br'), brotliCompressSync(JS));
  writeFileSync(join(root, '_astro', 'app.abc123.js.gz'), gzipSync(JS));
  writeFileSync(join(root, '_astro', 'only-gz.js'), JS);
  writeFileSync(join(root, '_astro', 'only-gz.js.gz'), gzipSync(JS));
  writeFileSync(join(root, 'data', 'runs.parquet'), 'PAR1....PAR1');
  const old = new Date('2026-01-01T00:00:00Z');
  utimesSync(join(root, 'index.html'), old, old);
  server = await startServer({ root, port: 0 });
});

afterAll(async () => {
  await server.close();
  rmSync(root, { recursive: true, force: true });
});

describe('serve.ts encoding negotiation', () => {
  it('sends brotli when accepted, with Content-Encoding, Vary and the variant length', async () => {
    const r = await get('/_astro/app.abc123.js', { 'accept-encoding': 'gzip, deflate, br' });
    expect(r.headers['content-encoding']).toBe('br');
    expect(r.headers['vary']).toBe('Accept-Encoding');
    expect(Number(r.headers['content-length'])).toBe(r.body.length);
    expect(r.body.length).toBeLessThan(JS.length);
    expect(brotliDecompressSync(r.body).toString()).toBe(JS);
  });

  it('falls back to gzip, then to the file itself; q=0 refuses an encoding', async () => {
    const gz = await get('/_astro/app.abc123.js', { 'accept-encoding': 'gzip, br;q=0' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.body).toString()).toBe(JS);
    const plain = await get('/_astro/app.abc123.js');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers['vary']).toBe('Accept-Encoding');
    expect(plain.body.toString()).toBe(JS);
    const onlyGz = await get('/_astro/only-gz.js', { 'accept-encoding': 'br' });
    expect(onlyGz.headers['content-encoding']).toBeUndefined();
    expect(onlyGz.body.toString()).toBe(JS);
  });

  it('sends no Vary for a file without variants, and the file type of the original', async () => {
    const r = await get('/', { 'accept-encoding': 'br, gzip' });
    expect(r.headers['vary']).toBeUndefined();
    expect(r.headers['content-encoding']).toBeUndefined();
    expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
    const js = await get('/_astro/app.abc123.js', { 'accept-encoding': 'br' });
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
  });

  it('parses Accept-Encoding with q-values', () => {
    expect([...acceptedEncodings('gzip;q=0.5, br;q=0, identity')]).toEqual(['gzip', 'identity']);
    expect([...acceptedEncodings(undefined)]).toEqual([]);
  });
});

describe('serve.ts caching', () => {
  it('caches hashed assets and versioned data for a year; revalidates pages and unversioned data', async () => {
    expect((await get('/_astro/app.abc123.js')).headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect((await get('/data/runs.parquet?v=abc-12')).headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect((await get('/data/runs.parquet')).headers['cache-control']).toBe('no-cache');
    expect((await get('/')).headers['cache-control']).toBe('no-cache');
    expect(cachePolicy('data/manifest.json', new URLSearchParams('v='))).toBe('no-cache');
  });

  it('answers 304 to a matching ETag and to If-Modified-Since, 200 otherwise', async () => {
    const first = await get('/');
    const etag = String(first.headers['etag']);
    expect(first.headers['last-modified']).toBe('Thu, 01 Jan 2026 00:00:00 GMT');
    const again = await get('/', { 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
    expect(again.headers['etag']).toBe(etag);
    expect((await get('/', { 'if-none-match': `W/${etag}` })).status).toBe(304);
    expect((await get('/', { 'if-none-match': '"other"' })).status).toBe(200);
    expect((await get('/', { 'if-modified-since': 'Fri, 02 Jan 2026 00:00:00 GMT' })).status).toBe(304);
    expect((await get('/', { 'if-modified-since': 'Wed, 31 Dec 2025 00:00:00 GMT' })).status).toBe(200);
    // If-None-Match wins over If-Modified-Since (RFC 9110 13.2.2).
    expect((await get('/', { 'if-none-match': '"other"', 'if-modified-since': 'Fri, 02 Jan 2026 00:00:00 GMT' })).status).toBe(200);
  });

  it('gives each encoding its own ETag', async () => {
    const br = await get('/_astro/app.abc123.js', { 'accept-encoding': 'br' });
    const gz = await get('/_astro/app.abc123.js', { 'accept-encoding': 'gzip' });
    expect(br.headers['etag']).not.toBe(gz.headers['etag']);
    expect((await get('/_astro/app.abc123.js', { 'accept-encoding': 'gzip', 'if-none-match': String(br.headers['etag']) })).status).toBe(200);
  });
});
