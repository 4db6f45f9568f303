// The data build hands each derivation only the columns it declares (Derivation.columns, read back from the staging
// database): every derivation must read no other column, and give the same tables on the projected rows as on whole
// ones. Checked on the synthetic sample (both layouts), the hostile corpus and the real export.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DERIVATIONS, runDerivation, type DerivedTables } from '../../../scripts/derive/index.ts';
import { ingestExport, type CoreTables } from '../../../scripts/ingest/ingest.ts';
import { tableByName } from '../../../src/lib/schema/index.ts';
import { writeHostileCorpus } from '../../fixtures/hostile-corpus.ts';

const ROOT = new URL('../../../', import.meta.url).pathname;
const REAL = new URL('../../../../shared/gemma-real/', import.meta.url).pathname;
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function sample(layout: string): string {
  const out = mkdtempSync(join(tmpdir(), 'atlas-columns-'));
  dirs.push(out);
  execFileSync(process.execPath, ['--import', 'tsx', 'scripts/make-sample.ts', '--layout', layout, '--out', out], { cwd: ROOT, stdio: 'pipe' });
  return join(out, 'export');
}

function hostile(): string {
  const out = mkdtempSync(join(tmpdir(), 'atlas-columns-hostile-'));
  dirs.push(out);
  writeHostileCorpus(out);
  return out;
}

/** Rows holding only the declared columns, that throw when code reads a column of the table left out. */
function projected(table: string, rows: readonly Record<string, unknown>[], cols: readonly string[]): Record<string, unknown>[] {
  const all = new Set(tableByName(table).columns.map((c) => c.name));
  return rows.map((r) => {
    const o = Object.fromEntries(cols.map((c) => [c, r[c] ?? null]));
    return new Proxy(o, {
      get(t, p, rcv) {
        if (typeof p === 'string' && all.has(p) && !cols.includes(p)) throw new Error(`${table}.${p} read but not declared`);
        return Reflect.get(t, p, rcv);
      },
    });
  });
}

const sources: [string, () => string][] = [
  ['sample (taskforces)', () => sample('taskforces')],
  ['sample (channels)', () => sample('channels')],
  ['hostile corpus', hostile],
  ...(existsSync(REAL) ? [['real export', () => REAL] as [string, () => string]] : []),
];

describe('derivation columns', () => {
  it.each(sources)('%s: each derivation reads only its declared columns and gives the same tables', (_name, make) => {
    const ing = ingestExport(make());
    const whole: DerivedTables = {};
    const proj: DerivedTables = {};
    let checked = 0;
    for (const d of DERIVATIONS) {
      const full = runDerivation(d, ing.tables, ing.config, whole);
      Object.assign(whole, full);
      if (!d.columns) continue;
      const view: Record<string, unknown> = {};
      for (const k of d.inputs) {
        const cols = d.columns[k];
        const rows = (ing.tables[k] ?? []) as Record<string, unknown>[];
        view[k] = cols ? projected(k, rows, cols) : rows;
      }
      const made = runDerivation(d, view as unknown as CoreTables, ing.config, proj);
      Object.assign(proj, made);
      expect(JSON.stringify(made)).toBe(JSON.stringify(full));
      checked++;
    }
    expect(checked).toBeGreaterThan(0);
  }, 120_000);
});
