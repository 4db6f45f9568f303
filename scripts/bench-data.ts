// npm run bench:data: data build wall time, CPU time and peak memory at sample scales 1, 10 and 100 (medians of
// repeats). With --against <another checkout> (e.g. a worktree of main) each run of this checkout is followed by one of
// that checkout on the same export, so the two are compared as ratios of interleaved runs on a shared machine.
// CPU time (user + system, the whole process tree) moves less with the machine's load than wall time does.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadavg } from 'node:os';

const { values } = parseArgs({
  options: {
    scales: { type: 'string', default: '1,10,100' },
    repeats: { type: 'string', default: '3' },
    work: { type: 'string', default: '/tmp/atlas-bench' },
    against: { type: 'string' },
    // Options for the build's Node process (both sides), e.g. --node-options=--max-old-space-size=16000 for scale 1000, whose ingest
    // holds more than V8's default heap limit (~4 GB).
    'node-options': { type: 'string', default: '' },
  },
});
const nodeOptions = values['node-options'].split(/\s+/).filter((o) => o !== '');
const scales = values.scales.split(',').map(Number);
const repeats = Number(values.repeats);
mkdirSync(values.work, { recursive: true });
const sides = [{ name: 'this', dir: process.cwd() }, ...(values.against ? [{ name: 'against', dir: resolve(values.against) }] : [])];

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

interface Run { wall: number; cpu: number; rssMb: number; files: number }
/** The 1-minute load average now (the machine is shared: each figure is printed next to it). */
const load = (): string => loadavg()[0]!.toFixed(1);

/** One full build of `exportDir` by the checkout in `cwd` (its own cache folder, so the two sides never share one). */
function build(cwd: string, exportDir: string, out: string): Run {
  rmSync(out, { recursive: true, force: true });
  // /usr/bin/time reports wall seconds, user and system CPU seconds and the peak resident memory (KiB) of the build.
  const r = spawnSync('/usr/bin/time', ['-f', 'BENCH %e %U %S %M', process.execPath, ...nodeOptions, '--import', 'tsx', 'scripts/build-data.ts', '--source', exportDir, '--out', out, '--full'], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, ATLAS_CACHE_DIR: `${out}-cache` },
  });
  if (r.status !== 0) throw new Error(`build failed in ${cwd}:\n${r.stderr}`);
  const m = /BENCH ([\d.]+) ([\d.]+) ([\d.]+) (\d+)/.exec(r.stderr);
  if (!m) throw new Error(`no timing in output:\n${r.stderr}`);
  const files = Number(/read (\d+) files/.exec(r.stderr)?.[1] ?? 0);
  return { wall: Number(m[1]), cpu: Number(m[2]) + Number(m[3]), rssMb: Number(m[4]) / 1024, files };
}

const fmt = (runs: Run[], k: 'wall' | 'cpu' | 'rssMb', digits: number): string =>
  `${median(runs.map((r) => r[k])).toFixed(digits)} (${runs.map((r) => r[k].toFixed(digits)).join(', ')})`;
const lines: string[] = [];
for (const scale of scales) {
  const dir = join(values.work, `s${scale}`);
  if (!existsSync(join(dir, 'export'))) {
    process.stderr.write(`generating sample at scale ${scale}…\n`);
    execFileSync(process.execPath, ['--import', 'tsx', 'scripts/make-sample.ts', '--scale', String(scale), '--out', dir], { stdio: ['ignore', 'ignore', 'inherit'] });
  }
  const runs = new Map<string, Run[]>(sides.map((s) => [s.name, []]));
  const loads: string[] = [load()];
  for (let i = 0; i < repeats; i++) {
    for (const side of sides) {
      const r = build(side.dir, join(dir, 'export'), join(dir, `out-${side.name}`));
      runs.get(side.name)!.push(r);
      loads.push(load());
      process.stderr.write(`scale ${scale} run ${i + 1}/${repeats} ${side.name}: ${r.wall} s, CPU ${r.cpu.toFixed(1)} s, ${r.rssMb.toFixed(0)} MB (load average ${load()})\n`);
    }
  }
  for (const side of sides) {
    const rs = runs.get(side.name)!;
    lines.push(`| ${scale} | ${side.name} | ${rs[0]!.files} | ${fmt(rs, 'wall', 1)} | ${fmt(rs, 'cpu', 1)} | ${fmt(rs, 'rssMb', 0)} | ${loads.join('→')} |`);
  }
  if (values.against) {
    // Ratios within each pair (this run / the other side's run right after it), then their median.
    const [a, b] = [runs.get('this')!, runs.get('against')!];
    const ratio = (k: 'wall' | 'cpu' | 'rssMb'): string => {
      const rs = a.map((r, i) => r[k] / b[i]![k]);
      return `${median(rs).toFixed(2)}× (${rs.map((x) => x.toFixed(2)).join(', ')})`;
    };
    lines.push(`| ${scale} | this / against | | ${ratio('wall')} | ${ratio('cpu')} | ${ratio('rssMb')} | |`);
  }
}

if (nodeOptions.length > 0) console.log(`Node options of every build: ${nodeOptions.join(' ')}`);
console.log('| scale | checkout | input files | wall s, median (runs) | CPU s, median (runs) | peak RSS MB, median (runs) | load average (1 min) |');
console.log('|---:|---|---:|---:|---:|---:|---|');
for (const l of lines) console.log(l);
