// npm run bench:refresh: full data build vs incremental refresh after 1% new board messages, and a build with nothing
// new after that (medians of repeats). --phases adds where each build's time went (build-data.ts --phases: the
// top-level phases and each derivation, medians of the repeats).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadavg } from 'node:os';
import { parsePhaseLines } from './build/phases.ts';

const { values } = parseArgs({
  options: {
    scale: { type: 'string', default: '10' },
    repeats: { type: 'string', default: '3' },
    fraction: { type: 'string', default: '0.01' },
    work: { type: 'string', default: '/tmp/atlas-bench-refresh' },
    phases: { type: 'boolean', default: false },
  },
});
const scale = Number(values.scale);
const repeats = Number(values.repeats);
const fraction = Number(values.fraction);
const dir = join(values.work, `s${scale}`);
const source = join(dir, 'export');
const out = join(dir, 'out');
mkdirSync(dir, { recursive: true });

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

if (!existsSync(source)) {
  process.stderr.write(`generating sample at scale ${scale}…\n`);
  execFileSync(process.execPath, ['--import', 'tsx', 'scripts/make-sample.ts', '--scale', String(scale), '--out', dir], { stdio: ['ignore', 'ignore', 'inherit'] });
}

/** New messages: copies of existing ones under later names (bench-<n> stamps on 2026-06-14), removed between repeats. */
const board = join(source, 'message_board');
const NEW_RE = /^20260614-1[1-9]\d{4}-\d{3}_/;
function removeAdded(): void {
  for (const f of readdirSync(board)) if (NEW_RE.test(f)) rmSync(join(board, f));
}
function addNew(): number {
  const names = readdirSync(board).sort();
  const n = Math.max(1, Math.round(names.length * fraction));
  for (let i = 0; i < n; i++) {
    const from = names[(i * 7919) % names.length]!;
    const agent = /_([a-z0-9-]+)\.md$/.exec(from)?.[1] ?? 'newcomer';
    // A valid stamp for every i: hour 11+, then minutes and seconds from i.
    const hms = `${11 + Math.floor(i / 3600)}${String(Math.floor(i / 60) % 60).padStart(2, '0')}${String(i % 60).padStart(2, '0')}`;
    const name = `20260614-${hms}-${String(i % 1000).padStart(3, '0')}_${agent}.md`;
    writeFileSync(join(board, name), `${readFileSync(join(board, from), 'utf8')}\nFollow-up ${i}.\n`);
  }
  return n;
}

type BuildManifest = { rebuilt: string[]; derived?: string[]; derivations?: Record<string, string>; cached_inputs: number; parsed_inputs: number; indexed_inputs?: number; source: { files: number } };

/** Phases of each build kind (full, refresh, noop), one map per repeat (--phases). */
const phaseRuns: Record<string, Map<string, number>[]> = { full: [], refresh: [], noop: [] };

function build(full: boolean, kind: string): { seconds: number; manifest: BuildManifest } {
  const t0 = performance.now();
  const args = ['--import', 'tsx', 'scripts/build-data.ts', '--source', source, '--out', out, '--quiet', ...(full ? ['--full'] : []), ...(values.phases ? ['--phases'] : [])];
  const r = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', values.phases ? 'pipe' : 'inherit'], encoding: 'utf8', maxBuffer: 1 << 26 });
  if (values.phases) {
    const err = r.stderr ?? '';
    process.stderr.write(err.replace(/^phase .*\n/gm, ''));
    phaseRuns[kind]!.push(parsePhaseLines(err));
  }
  if (r.status !== 0) throw new Error(`data build failed (exit ${r.status})`);
  const seconds = (performance.now() - t0) / 1000;
  return { seconds, manifest: JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as BuildManifest };
}

removeAdded();
const fulls: number[] = [];
const refreshes: number[] = [];
const noops: number[] = [];
let last: BuildManifest | null = null;
let added = 0;
let files = 0;
/** The 1-minute load average before the first repeat and after each (the machine is shared). */
const loads: string[] = [loadavg()[0]!.toFixed(1)];
for (let i = 0; i < repeats; i++) {
  removeAdded();
  const f = build(true, 'full');
  fulls.push(f.seconds);
  files = f.manifest.source.files;
  added = addNew();
  // New files older than the racy window (2 s) by the end of the refresh, as they would be in a scheduled refresh.
  spawnSync('sleep', ['2.1']);
  const r = build(false, 'refresh');
  refreshes.push(r.seconds);
  last = r.manifest;
  const n = build(false, 'noop');
  noops.push(n.seconds);
  loads.push(loadavg()[0]!.toFixed(1));
  process.stderr.write(`repeat ${i + 1}: full ${f.seconds.toFixed(2)} s, refresh ${r.seconds.toFixed(2)} s (+${added} messages), nothing new ${n.seconds.toFixed(2)} s (load average ${loads.at(-1)})\n`);
}
removeAdded();

const full = median(fulls);
const refresh = median(refreshes);
const noop = median(noops);
const row = (a: string, b: string, c: string, d: string): string => `| ${a.padEnd(28)} | ${b.padStart(9)} | ${c.padStart(24)} | ${d.padEnd(10)} |`;
process.stdout.write(
  [
    `Data build at scale ${scale} (${files} input files), medians of ${repeats}; refresh = ${added} new board messages (${(fraction * 100).toFixed(0)}%)`,
    '',
    row('build', 'median s', 'runs s', 'vs full'),
    row('---', '---:', '---:', '---'),
    row('full (--full)', full.toFixed(2), fulls.map((x) => x.toFixed(2)).join(', '), '100%'),
    row('refresh (incremental)', refresh.toFixed(2), refreshes.map((x) => x.toFixed(2)).join(', '), `${((refresh / full) * 100).toFixed(0)}%`),
    row('then nothing new', noop.toFixed(2), noops.map((x) => x.toFixed(2)).join(', '), `${((noop / full) * 100).toFixed(0)}%`),
    '',
    `last refresh: parsed ${last?.parsed_inputs} inputs, ${last?.cached_inputs} from cache, ${last?.indexed_inputs ?? 0} files known by stat; ran derivations: ${last?.derived?.join(', ') || 'none'}${last?.derivations ? ` (${Object.entries(last.derivations).map(([k, v]) => `${k} ${v}`).join(', ')})` : ''}; rebuilt ${last?.rebuilt.length} tables: ${last?.rebuilt.join(', ')}`,
    `load average (1 min) before and after each repeat: ${loads.join(' → ')}`,
    `target refresh < 20% of full: ${refresh / full < 0.2 ? 'met' : 'not met'}`,
    '',
    ...(values.phases ? phaseTable() : []),
  ].join('\n'),
);

/** --phases: median ms of each top-level phase and each derivation, full and refresh, with the refresh's share of its full build. */
function phaseTable(): string[] {
  const names = [...new Set(phaseRuns['refresh']!.flatMap((m) => [...m.keys()]))].filter((n) => !n.includes('/') || /^derive\/[^/]+$/.test(n));
  const med = (kind: string, n: string): number => median(phaseRuns[kind]!.map((m) => m.get(n) ?? 0));
  const line = (a: string, b: string, c: string, d: string): string => `| ${a.padEnd(24)} | ${b.padStart(8)} | ${c.padStart(10)} | ${d.padStart(16)} |`;
  return [
    'Phases (build-data.ts --phases), median ms; "of full" = the refresh phase over the median full build',
    '',
    line('phase', 'full', 'refresh', 'refresh of full'),
    line('---', '---:', '---:', '---:'),
    ...names.map((n) => line(n, med('full', n).toFixed(0), med('refresh', n).toFixed(0), `${((med('refresh', n) / (full * 1000)) * 100).toFixed(1)}%`)),
    '',
  ];
}
