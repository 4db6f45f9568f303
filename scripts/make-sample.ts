// CLI: write a seeded, deterministic synthetic collaboration export (and its ground truth) for tests and benchmarks.
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { writeSampleFolder } from './sample/output.ts';

const USAGE = 'usage: npm run sample -- [--scale N] [--seed S] [--out DIR] [--lower-is-better] [--layout taskforces|channels]';

const OPTIONS = {
  scale: { type: 'string', default: '1' },
  seed: { type: 'string', default: '42' },
  out: { type: 'string', default: 'data/sample' },
  'lower-is-better': { type: 'boolean', default: false },
  layout: { type: 'string', default: 'taskforces' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

function main(): number {
  let args: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; strict: true }>>['values'];
  try {
    args = parseArgs({
      options: OPTIONS,
      strict: true,
    }).values;
  } catch (e) {
    process.stderr.write(`make-sample: ${(e as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (args.help) {
    process.stderr.write(`${USAGE}\n`);
    return 0;
  }
  const scale = Number(args.scale);
  const seed = Number(args.seed);
  if (!Number.isFinite(scale) || scale < 0.1 || scale > 1000) {
    process.stderr.write(`make-sample: --scale must be a number between 0.1 and 1000 (got ${args.scale}).\n`);
    return 2;
  }
  if (!Number.isInteger(seed)) {
    process.stderr.write(`make-sample: --seed must be an integer (got ${args.seed}).\n`);
    return 2;
  }
  if (args.layout !== 'taskforces' && args.layout !== 'channels') {
    process.stderr.write(`make-sample: --layout must be taskforces or channels (got ${args.layout}).\n`);
    return 2;
  }
  const layout = args.layout;
  const t0 = performance.now();
  const log = (line: string): void => {
    process.stderr.write(`[sample ${((performance.now() - t0) / 1000).toFixed(1)}s] ${line}\n`);
  };
  log(`seed ${seed}, scale ${scale}${args['lower-is-better'] ? ', lower-is-better' : ''}${layout === 'channels' ? ', channels layout' : ''} -> ${args.out}/export`);
  try {
    const run = writeSampleFolder(args.out, { seed, scale, lowerIsBetter: args['lower-is-better'], layout }, log);
    const parts = [...run.counts.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([k, v]) => `${k} ${v}`);
    const total = [...run.counts.values()].reduce((a, b) => a + b, 0);
    process.stderr.write(
      `sample: ${total} files (${parts.join(', ')}), ${(run.bytes / 1e6).toFixed(1)} MB in ${((performance.now() - t0) / 1000).toFixed(1)}s -> ${run.exportDir}\n`,
    );
    return 0;
  } catch (e) {
    process.stderr.write(`make-sample: could not write the sample: ${(e as Error).message}\n`);
    return 1;
  }
}

process.exitCode = main();
