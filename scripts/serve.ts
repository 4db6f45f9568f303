// Serves the built site (dist/) on 127.0.0.1 under its base path and says which data it shows; `npm start`, `npm run serve`, the browser tests.
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
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
    const isHtml = extname(file) === '.html';
    const size = statSync(file).size;
    const range = status === 200 ? parseByteRange(req.headers.range, size) : null;
    if (range === 'unsatisfiable') return send(416, 'Range not satisfiable', { 'content-range': `bytes */${size}` });
    res.writeHead(range ? 206 : status, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'content-length': String(range ? range.end - range.start + 1 : size),
      'accept-ranges': 'bytes',
      ...(range ? { 'content-range': `bytes ${range.start}-${range.end}/${size}` } : {}),
      // Hashed assets may be cached; pages and data are revalidated so a rebuild shows at once.
      'cache-control': url.pathname.startsWith(`${base}_astro/`) ? 'public, max-age=31536000, immutable' : 'no-cache',
      'x-content-type-options': 'nosniff',
      ...(isHtml ? { 'referrer-policy': 'no-referrer' } : {}),
    });
    if (req.method === 'HEAD') return res.end();
    createReadStream(file, range ?? {}).pipe(res);
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
