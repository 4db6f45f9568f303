// Serves the built site (dist/) on 127.0.0.1 under its base path and says which data it shows; `npm start`, `npm run serve`, the browser tests.
// Sends the precompressed variants scripts/precompress.ts wrote (Content-Encoding, Vary), long-lived caching for
// content-hashed assets and versioned data, and 304s for pages revalidated by ETag or Last-Modified.
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { parseByteRange } from './lib/byte-range.ts';
import { describeBuiltSite } from './lib/last-source.ts';

export interface ServeOptions {
  /** Folder to serve; default `dist`. */
  readonly root?: string;
  /** Base path the site was built with (`ATLAS_BASE`); default `/`. */
  readonly base?: string;
  /** 0 picks a free port. */
  readonly port?: number;
  readonly host?: string;
}

export interface RunningServer {
  /** Site URL including the base path, e.g. `http://127.0.0.1:4321/atlas/`. */
  readonly url: string;
  readonly origin: string;
  readonly server: Server;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm', // instantiateStreaming refuses any other type
  '.parquet': 'application/vnd.apache.parquet',
  '.arrow': 'application/vnd.apache.arrow.stream',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.xml': 'application/xml',
  '.map': 'application/json',
};

export const normalizeBase = (base: string): string => `/${base.replace(/^\/+|\/+$/g, '')}/`.replace(/^\/\/$/, '/');

/** The representation of a file to send: its `.br` or `.gz` variant (scripts/precompress.ts) when the client accepts it. */
export interface Variant {
  readonly path: string;
  /** `br`, `gzip`, or null for the file itself. */
  readonly encoding: string | null;
  readonly size: number;
  readonly mtimeMs: number;
  /** True when the file has any variant, so the response depends on Accept-Encoding. */
  readonly varies: boolean;
}

/** Encodings the client accepts with a q-value above 0 (`identity` and `*` are not expanded). */
export function acceptedEncodings(header: string | string[] | undefined): Set<string> {
  const out = new Set<string>();
  for (const part of [header ?? ''].flat().join(',').split(',')) {
    const [token = '', ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    if (token && (q === undefined || Number(q.slice(2)) > 0)) out.add(token);
  }
  return out;
}

/** Brotli before gzip before the file itself; a variant is used only when it exists next to the file. */
export function chooseVariant(file: string, acceptEncoding: string | string[] | undefined): Variant {
  const accepted = acceptedEncodings(acceptEncoding);
  const options = [
    { ext: '.br', encoding: 'br' },
    { ext: '.gz', encoding: 'gzip' },
  ].filter((o) => existsSync(file + o.ext));
  const pick = options.find((o) => accepted.has(o.encoding));
  const path = pick ? file + pick.ext : file;
  const st = statSync(path);
  return { path, encoding: pick?.encoding ?? null, size: st.size, mtimeMs: st.mtimeMs, varies: options.length > 0 };
}

/**
 * Content-hashed assets (`_astro/`) and data files asked for with their version (`data/x.parquet?v=<hash>`) never
 * change under their URL: cached for a year. Pages, the manifest and unversioned data are revalidated (ETag, 304).
 */
export function cachePolicy(rel: string, search: URLSearchParams): string {
  const immutable = rel.startsWith('_astro/') || (rel.startsWith('data/') && (search.get('v') ?? '') !== '');
  return immutable ? 'public, max-age=31536000, immutable' : 'no-cache';
}

function responseHeaders(file: string, v: Variant, url: URL, base: string): Record<string, string> {
  const isHtml = extname(file) === '.html';
  return {
    'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
    'content-length': String(v.size),
    ...(v.encoding ? { 'content-encoding': v.encoding } : {}),
    ...(v.varies ? { vary: 'Accept-Encoding' } : {}),
    'cache-control': cachePolicy(url.pathname.slice(base.length), url.searchParams),
    // One tag per representation: the gzip and brotli bodies of a file are different bytes.
    etag: `"${v.size.toString(16)}-${Math.floor(v.mtimeMs).toString(16)}${v.encoding ? `-${v.encoding}` : ''}"`,
    'last-modified': new Date(v.mtimeMs).toUTCString(),
    'x-content-type-options': 'nosniff',
    ...(isHtml ? { 'referrer-policy': 'no-referrer' } : {}),
  };
}

/** If-None-Match (weak comparison, `*`) decides when present; else If-Modified-Since, to the second. */
export function notModified(req: IncomingHttpHeaders, res: Record<string, string>): boolean {
  const inm = req['if-none-match'];
  if (inm !== undefined) {
    const tag = (t: string) => t.trim().replace(/^W\//, '');
    return inm.trim() === '*' || inm.split(',').some((t) => tag(t) === tag(res['etag'] ?? ''));
  }
  const since = Date.parse(req['if-modified-since'] ?? '');
  const modified = Date.parse(res['last-modified'] ?? '');
  return Number.isFinite(since) && Number.isFinite(modified) && modified <= since;
}

export function startServer(options: ServeOptions = {}): Promise<RunningServer> {
  const root = resolve(options.root ?? 'dist');
  const base = normalizeBase(options.base ?? process.env['ATLAS_BASE'] ?? '/');
  const host = options.host ?? '127.0.0.1';
  if (!existsSync(root)) throw new Error(`Nothing to serve: ${root} does not exist (run npm run build first)`);

  const server = createServer((req, res) => {
    const send = (status: number, text: string, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...headers });
      res.end(req.method === 'HEAD' ? undefined : text);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'Method not allowed', { allow: 'GET, HEAD' });
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === base.slice(0, -1) || (url.pathname === '/' && base !== '/')) {
      return send(302, `See ${base}`, { location: base });
    }
    if (!url.pathname.startsWith(base)) return send(404, 'Not found');
    let rel: string;
    try {
      rel = decodeURIComponent(url.pathname.slice(base.length));
    } catch {
      return send(400, 'Bad request');
    }
    let file = resolve(root, rel);
    if (file !== root && !file.startsWith(root + sep)) return send(404, 'Not found');
    if (existsSync(file) && statSync(file).isDirectory()) {
      if (!url.pathname.endsWith('/')) return send(301, 'Moved', { location: `${url.pathname}/${url.search}` });
      file = resolve(file, 'index.html');
    }
    let status = 200;
    if (!existsSync(file) || !statSync(file).isFile()) {
      const notFound = resolve(root, '404.html');
      if (!existsSync(notFound)) return send(404, 'Not found');
      file = notFound;
      status = 404;
    }
    // A byte range is served from the file as it is (native Parquet readers ask for ranges of the raw bytes).
    const wantsRange = status === 200 && req.headers.range !== undefined;
    const chosen = chooseVariant(file, wantsRange ? undefined : req.headers['accept-encoding']);
    const headers: Record<string, string> = responseHeaders(file, chosen, url, base);
    if (!chosen.encoding) headers['accept-ranges'] = 'bytes';
    if (status === 200 && notModified(req.headers, headers)) {
      const { etag, 'last-modified': lastModified, 'cache-control': cache, vary } = headers;
      res.writeHead(304, { etag, 'last-modified': lastModified, 'cache-control': cache, ...(vary ? { vary } : {}) });
      return res.end();
    }
    const range = wantsRange ? parseByteRange(req.headers.range, chosen.size) : null;
    if (range === 'unsatisfiable') return send(416, 'Range not satisfiable', { 'content-range': `bytes */${chosen.size}` });
    if (range) {
      headers['content-length'] = String(range.end - range.start + 1);
      headers['content-range'] = `bytes ${range.start}-${range.end}/${chosen.size}`;
    }
    res.writeHead(range ? 206 : status, headers);
    if (req.method === 'HEAD') return res.end();
    createReadStream(chosen.path, range ?? {}).pipe(res);
  });

  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 4321, host, () => {
      const { port } = server.address() as AddressInfo;
      const origin = `http://${host}:${port}`;
      resolvePromise({
        url: origin + base,
        origin,
        server,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '4321' },
      root: { type: 'string', default: process.env['ATLAS_OUT_DIR'] ?? 'dist' },
      base: { type: 'string', default: process.env['ATLAS_BASE'] ?? '/' },
    },
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`serve: --port must be an integer 0-65535, got "${values.port}"`);
    process.exit(2);
  }
  try {
    const { url } = await startServer({ port, root: values.root, base: values.base });
    console.log(`Serving ${resolve(values.root)} at ${url}  (Ctrl-C to stop)`);
    // The data folder astro copied into the site (astro.config.mjs: ATLAS_PUBLIC_DIR, default public).
    console.log(describeBuiltSite(values.root, join(process.env['ATLAS_PUBLIC_DIR'] ?? 'public', 'data')));
  } catch (err) {
    console.error(`serve: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  }
}
