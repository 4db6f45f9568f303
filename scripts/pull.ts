// npm run pull: fetch a live collaboration (API or a local bucket mirror) into an export folder for `npm run data`.
import { existsSync, statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { PullError, pullApi, type PullSummary } from './pull/api-pull.ts';
import type { PartCounts } from './pull/files.ts';
import { pullMirror } from './pull/mirror.ts';

const USAGE =
  'usage: npm run pull -- --api <base url> --out <export dir> [--limit 200] [--timeout 30000] [--retries 5]\n' +
  '       npm run pull -- --mirror <local bucket dir> --out <export dir>';

export function summaryTable(parts: Record<string, PartCounts>): string {
  const rows = Object.entries(parts).map(([p, c]) => `  ${p.padEnd(18)} new ${String(c.new).padStart(6)}  unchanged ${String(c.unchanged).padStart(6)}  updated ${String(c.updated).padStart(5)}`);
  return rows.length ? rows.join('\n') : '  (no files)';
}

async function main(): Promise<number> {
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({
      options: {
        api: { type: 'string' },
        mirror: { type: 'string' },
        out: { type: 'string' },
        limit: { type: 'string', default: '200' },
        timeout: { type: 'string', default: '30000' },
        retries: { type: 'string', default: '5' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
    }).values;
  } catch (e) {
    process.stderr.write(`pull: ${(e as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (values['help']) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const out = values['out'];
  const api = values['api'];
  const mirror = values['mirror'];
  if (typeof out !== 'string' || (typeof api === 'string') === (typeof mirror === 'string')) {
    process.stderr.write(`pull: pass --out and exactly one of --api or --mirror.\n${USAGE}\n`);
    return 2;
  }
  if (typeof mirror === 'string') {
    if (!existsSync(mirror) || !statSync(mirror).isDirectory()) {
      process.stderr.write(`pull: the mirror ${mirror} is not a folder.\n`);
      return 1;
    }
    const s = pullMirror(mirror, out);
    process.stderr.write(`\nmirror ${mirror} → ${out} in ${s.seconds.toFixed(1)} s\n${summaryTable(s.parts)}\n`);
    return 0;
  }
  const num = (k: string): number => Number(values[k]);
  for (const k of ['limit', 'timeout', 'retries']) {
    if (!Number.isInteger(num(k)) || num(k) < (k === 'retries' ? 0 : 1)) {
      process.stderr.write(`pull: --${k} must be a whole number (got ${values[k]}).\n`);
      return 2;
    }
  }
  const print = (s: PullSummary): void => {
    process.stderr.write(
      `\npull ${api} → ${out}: ${s.requests} requests, ${s.retries} retries, ${s.warnings.length} warnings, ${s.seconds.toFixed(1)} s\n${summaryTable(s.parts)}\n`,
    );
  };
  try {
    print(await pullApi({ api: api as string, out, limit: num('limit'), timeoutMs: num('timeout'), retries: num('retries') }));
    return 0;
  } catch (e) {
    if (e instanceof PullError) {
      print(e.summary);
      process.stderr.write(`\nerror: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`pull: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
