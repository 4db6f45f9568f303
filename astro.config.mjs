// Astro config: a static, self-contained site; base path and public folder come from the environment.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'astro/config';
import { precompressDir } from './scripts/precompress.ts';

/** Post-build step: `.br` and `.gz` next to the large files of the built site (scripts/precompress.ts, docs/publishing.md). */
const precompress = {
  name: 'atlas-precompress',
  hooks: {
    'astro:build:done': async ({ dir, logger }) => {
      const t0 = performance.now();
      const s = await precompressDir(fileURLToPath(dir));
      const mb = (n) => `${(n / 1024 / 1024).toFixed(1)} MB`;
      logger.info(`${s.files} files (${mb(s.bytes)}): brotli ${mb(s.brBytes)}, gzip ${mb(s.gzBytes)}, ${s.written} written in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    },
  },
};

/** Sub-path the site is served under, e.g. `/atlas/` for a project page; always with slashes at both ends. */
const base = `/${(process.env.ATLAS_BASE ?? '/').replace(/^\/+|\/+$/g, '')}/`.replace(/^\/\/$/, '/');

export default defineConfig({
  output: 'static',
  base,
  // Pages are folders (`/board/`), so links and relative URLs behave the same on every static host.
  trailingSlash: 'always',
  build: { format: 'directory', inlineStylesheets: 'never' },
  // Tests build a fixture data folder elsewhere; the Node connector reads the same ATLAS_PUBLIC_DIR.
  publicDir: process.env.ATLAS_PUBLIC_DIR ?? './public',
  outDir: process.env.ATLAS_OUT_DIR ?? './dist',
  // No dev toolbar, no telemetry-ish prefetch, no external fonts: the site talks only to its own origin.
  devToolbar: { enabled: false },
  integrations: [precompress],
  prefetch: false,
  vite: {
    build: {
      // Never turn an asset into an inline data: URI or inline script: the CSP allows only 'self'.
      assetsInlineLimit: 0,
    },
    optimizeDeps: {
      // Both load their .wasm by URL; pre-bundling would break the `?url` pairing in dev.
      exclude: ['@duckdb/duckdb-wasm', 'parquet-wasm'],
    },
    ssr: {
      // Native module (duckdb.node) used by pages at build time: load it from node_modules as is.
      external: ['@duckdb/node-api', '@duckdb/node-bindings'],
    },
  },
});
