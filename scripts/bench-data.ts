// npm run bench:data: data build wall time and peak memory at sample scales 1, 10 and 100 (medians of repeats).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadavg } from 'node:os';

const { values } = parseArgs({
  options: {
    scales: { type: 'string', default: '1,10,100' },
    repeats: { type: 'string', default: '3' },
    work: { type: 'string', default: '/tmp/atlas-bench' },
  },
});
const scales = values.scales.split(',').map(Number);
const repeats = Number(values.repeats);
mkdirSync(values.work, { recursive: true });

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

interface Row { scale: number; files: number; wall: number; rssMb: number; walls: number[]; rss: number[]; load: string }
/** The 1-minute load average now (the machine is shared: each figure is printed next to it). */
const load = (): string => loadavg()[0]!.toFixed(1);
const rows: Row[] = [];
for (const scale of scales) {
  const dir = join(values.work, `s${scale}`);
  if (!existsSync(join(dir, 'export'))) {
    process.stderr.write(`generating sample at scale ${scale}…\n`);
    execFileSync(process.execPath, ['--import', 'tsx', 'scripts/make-sample.ts', '--scale', String(scale), '--out', dir], { stdio: ['ignore', 'ignore', 'inherit'] });
  }
  const walls: number[] = [];
  const rss: number[] = [];
  let files = 0;
  const loads: string[] = [load()];
  for (let i = 0; i < repeats; i++) {
    const out = join(dir, 'out');
    rmSync(out, { recursive: true, force: true });
    // /usr/bin/time reports the child's peak resident memory (KiB) and wall seconds.
    const r = spawnSync('/usr/bin/time', ['-f', 'BENCH %e %M', process.execPath, '--import', 'tsx', 'scripts/build-data.ts', '--source', join(dir, 'export'), '--out', out, '--full'], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`build failed at scale ${scale}:\n${r.stderr}`);
    const m = /BENCH ([\d.]+) (\d+)/.exec(r.stderr);
    const f = /read (\d+) files/.exec(r.stderr);
    if (!m) throw new Error(`no timing in output:\n${r.stderr}`);
    walls.push(Number(m[1]));
    rss.push(Number(m[2]) / 1024);
    files = Number(f?.[1] ?? 0);
    loads.push(load());
    process.stderr.write(`scale ${scale} run ${i + 1}/${repeats}: ${m[1]} s, ${(Number(m[2]) / 1024).toFixed(0)} MB (load average ${load()})\n`);
  }
  rows.push({ scale, files, wall: median(walls), rssMb: median(rss), walls, rss, load: loads.join('→') });
}

console.log('| scale | input files | wall time (median; runs) | peak RSS (median; runs) | load average (1 min) |');
console.log('|---:|---:|---:|---:|---|');
for (const r of rows) {
  const walls = r.walls.map((x) => x.toFixed(1)).join(', ');
  const rss = r.rss.map((x) => x.toFixed(0)).join(', ');
  console.log(`| ${r.scale} | ${r.files} | ${r.wall.toFixed(2)} s (${walls}) | ${r.rssMb.toFixed(0)} MB (${rss}) | ${r.load} |`);
}
const s10 = rows.find((r) => r.scale === 10);
const s100 = rows.find((r) => r.scale === 100);
if (s10 && s100) console.log(`\nscale 100 / scale 10 time ratio: ${(s100.wall / s10.wall).toFixed(2)} (target ≤ 12)`);
