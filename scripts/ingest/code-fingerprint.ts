// The data build's code fingerprint: its own source files and the lockfile, so a code change is a cache miss.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';

/** Installed version of a dependency, or 'unknown'. */
export function pkgVersion(name: string): string {
  try {
    const p = new URL(`../../node_modules/${name}/package.json`, import.meta.url);
    return (JSON.parse(readFileSync(p, 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

/** The data build's own source: scripts/build-data.ts and every module it reaches through relative imports. */
export function codeFiles(entry = new URL('../build-data.ts', import.meta.url)): URL[] {
  const seen = new Set<string>();
  const queue = [entry.href];
  const IMPORT_RE = /(?:\bfrom\s*|\bimport\s*\(?\s*)['"](\.{1,2}\/[^'"]+)['"]/g;
  while (queue.length) {
    const href = queue.pop()!;
    if (seen.has(href)) continue;
    seen.add(href);
    for (const m of readFileSync(new URL(href), 'utf8').matchAll(IMPORT_RE)) {
      const next = new URL(m[1]!, href);
      if (/\.(ts|js|mjs|json)$/.test(next.pathname) && existsSync(next)) queue.push(next.href);
    }
  }
  return [...seen].sort().map((h) => new URL(h));
}

/** sha256 over the data build's source files (the site's pages, tests and benchmarks are not part of it) and the lockfile. */
export function codeFingerprint(): string {
  const h = createHash('sha256');
  const root = new URL('../../', import.meta.url);
  for (const f of codeFiles()) h.update(f.href.slice(root.href.length)).update('\0').update(readFileSync(f)).update('\0');
  const lock = new URL('package-lock.json', root);
  if (existsSync(lock)) h.update(readFileSync(lock));
  return h.digest('hex');
}
