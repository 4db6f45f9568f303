// The export a data folder was last built from, remembered in .atlas-source.json at the project root (gitignored),
// so `npm run build` / `npm start` rebuild from the source last used instead of falling back to the sample, and
// `npm run serve` can name the folder the site shows.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';

export const PROJECT_ROOT = resolve(import.meta.dirname, '../..');
export const LAST_SOURCE_FILE = '.atlas-source.json';

export interface LastSource {
  /** The export folder, relative to the project root when it can be written so. */
  source: string;
  /** The manifest's input hash: tells whether a built site still shows this source. */
  input_hash: string;
  title: string;
  synthetic: boolean;
}

/** Keyed by the data folder (relative to the project root), so a build into a scratch folder does not change `npm start`. */
type Memory = Record<string, LastSource>;

const keyOf = (out: string, root: string): string => relative(root, resolve(out)) || '.';

function readMemory(root: string): Memory {
  try {
    const m = JSON.parse(readFileSync(join(root, LAST_SOURCE_FILE), 'utf8')) as unknown;
    return m && typeof m === 'object' && !Array.isArray(m) ? (m as Memory) : {};
  } catch {
    return {};
  }
}

/** The source last built into `out`, or null. Its `source` is resolved against the project root. */
export function lastSource(out: string, root = PROJECT_ROOT): (LastSource & { abs: string }) | null {
  const entry = readMemory(root)[keyOf(out, root)];
  if (!entry || typeof entry.source !== 'string' || entry.source === '') return null;
  return { ...entry, abs: resolve(root, entry.source) };
}

/** Record that `out` was just built from `source` (write to a temp file, then rename). */
export function rememberSource(out: string, source: string, manifest: { source: { input_hash: string; name: string; synthetic: boolean } }, root = PROJECT_ROOT): void {
  const abs = resolve(source);
  const rel = relative(root, abs);
  const memory = readMemory(root);
  memory[keyOf(out, root)] = {
    source: rel === '' ? '.' : isAbsolute(rel) ? abs : rel,
    input_hash: manifest.source.input_hash,
    title: manifest.source.name,
    synthetic: manifest.source.synthetic,
  };
  const file = join(root, LAST_SOURCE_FILE);
  writeFileSync(`${file}.tmp`, `${JSON.stringify(memory, null, 2)}\n`);
  renameSync(`${file}.tmp`, file);
}

/** Which export a CLI build reads, and a line saying why (for stderr). */
export function chooseSource(o: { flag?: string | undefined; env?: string | undefined; out: string; fallback: string; root?: string }): { source: string; why: string } {
  if (o.flag) return { source: o.flag, why: '--source' };
  if (o.env) return { source: o.env, why: 'ATLAS_SOURCE' };
  const last = lastSource(o.out, o.root);
  if (last) {
    return { source: last.abs, why: `the source last built into ${o.out}, remembered in ${LAST_SOURCE_FILE}; --source or ATLAS_SOURCE picks another` };
  }
  return { source: o.fallback, why: 'the default: the synthetic sample' };
}

/**
 * One line naming what a built site (its `data/manifest.json`) shows: the collaboration, real or sample, the export
 * folder when the remembered source for `dataDir` has the same input hash, and the parts it lacks.
 */
export function describeBuiltSite(siteDir: string, dataDir: string, root = PROJECT_ROOT): string {
  let manifest: { source?: { name?: string; synthetic?: boolean; input_hash?: string; files?: number }; data_as_of?: string | null; coverage?: { parts?: Record<string, { present: boolean }> } };
  try {
    manifest = JSON.parse(readFileSync(join(siteDir, 'data', 'manifest.json'), 'utf8')) as typeof manifest;
  } catch {
    return `Data: none (no ${join(siteDir, 'data', 'manifest.json')}); run npm run build.`;
  }
  const s = manifest.source ?? {};
  const last = lastSource(dataDir, root);
  const from = last && last.input_hash === s.input_hash ? `from ${last.source}` : 'from an export not remembered in this checkout';
  const files = typeof s.files === 'number' ? `${s.files.toLocaleString('en-US')} files` : 'files unknown';
  const asOf = manifest.data_as_of ? `, newest record ${manifest.data_as_of.slice(0, 16).replace('T', ' ')} UTC` : '';
  const missing = Object.entries(manifest.coverage?.parts ?? {})
    .filter(([, p]) => !p.present)
    .map(([k]) => k);
  const what = s.synthetic ? `the synthetic sample "${s.name ?? '?'}" (not a real collaboration)` : `real data, "${s.name ?? '?'}"`;
  return `Data: ${what} ${from} (${files}${asOf})${missing.length ? `; missing parts: ${missing.join(', ')}` : ''}.`;
}
