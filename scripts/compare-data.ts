// npx tsx scripts/compare-data.ts <data dir A> <data dir B>: do two data builds hold the same tables?
// A table written as one file on both sides is compared by its bytes (sha256); otherwise (one side in parts, or the
// bytes differ) by its rows: the same count and nothing left over by EXCEPT ALL either way. The manifests are
// compared without their tables and build facts (generator, rebuilt, derived, derivations, cached/parsed/indexed inputs). Exit 1 when anything differs.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { tableFiles, type Manifest } from '../src/lib/db/connector.ts';

const [a, b] = process.argv.slice(2);
if (!a || !b) throw new Error('usage: npx tsx scripts/compare-data.ts <data dir A> <data dir B>');
const manifestOf = (dir: string): Manifest => JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Manifest;
const ma = manifestOf(a);
const mb = manifestOf(b);

/** The table's files in `dir` as its manifest lists them (none when it has no entry). */
function filesOf(m: Manifest, dir: string, name: string): string[] {
  return m.tables[name] ? tableFiles(m, name).map((f) => join(dir, f.file)) : [];
}
const sha = (f: string): string => createHash('sha256').update(readFileSync(f)).digest('hex');
const sqlList = (files: string[]): string => `read_parquet([${files.map((f) => `'${f.replaceAll("'", "''")}'`).join(', ')}])`;

const db = await DuckDBInstance.create(':memory:');
const conn = await db.connect();
const count = async (sql: string): Promise<number> => Number((await conn.runAndReadAll(sql)).getRows()[0]?.[0] ?? -1);

let bytes = 0;
let rows = 0;
let differ = 0;
for (const name of new Set([...Object.keys(ma.tables), ...Object.keys(mb.tables)])) {
  const fa = filesOf(ma, a, name);
  const fb = filesOf(mb, b, name);
  if (fa.length === 0 || fb.length === 0 || ![...fa, ...fb].every((f) => existsSync(f))) {
    console.log(`${name}: missing on one side`);
    differ++;
    continue;
  }
  if (fa.length === 1 && fb.length === 1 && sha(fa[0]!) === sha(fb[0]!)) {
    bytes++;
    continue;
  }
  const [la, lb] = [sqlList(fa), sqlList(fb)];
  const na = await count(`SELECT count(*) FROM ${la}`);
  const nb = await count(`SELECT count(*) FROM ${lb}`);
  const onlyA = await count(`SELECT count(*) FROM (SELECT * FROM ${la} EXCEPT ALL SELECT * FROM ${lb})`);
  const onlyB = await count(`SELECT count(*) FROM (SELECT * FROM ${lb} EXCEPT ALL SELECT * FROM ${la})`);
  const single = fa.length === 1 && fb.length === 1;
  if (na !== nb || onlyA > 0 || onlyB > 0) differ++;
  else rows++;
  if (na !== nb || onlyA > 0 || onlyB > 0 || single) console.log(`${name}: rows ${na} vs ${nb}, only in A ${onlyA}, only in B ${onlyB}${single ? ' (one file each, bytes differ)' : ''}`);
}
const facts = (m: Manifest): string => {
  const { tables: _t, generator: _g, rebuilt: _r, derived: _d, derivations: _m, cached_inputs: _c, parsed_inputs: _p, indexed_inputs: _i, ...rest } = m as Manifest & Record<string, unknown>;
  return JSON.stringify(rest);
};
const sameManifest = facts(ma) === facts(mb);
console.log(`tables: ${bytes} byte-identical, ${rows} with the same rows (in parts or rewritten), ${differ} differ; manifest without tables and build facts: ${sameManifest ? 'identical' : 'DIFFERS'}`);
process.exit(differ > 0 || !sameManifest ? 1 : 0);
