// Shape checks for the synthetic sample: names, frontmatter, counts, planted ground truth, scale, lower-is-better.
import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { parseConfig } from '../../../src/lib/config.ts';
import { mentionsIn } from '../../../scripts/sample/board.ts';
import { fastYaml } from '../../../scripts/sample/frontmatter.ts';
import { generateSample, type GroundTruth } from '../../../scripts/sample/generate.ts';
import { LEGACY_NAME_RE, MS_NAME_RE } from '../../../scripts/sample/naming.ts';
import { MemorySink } from '../../../scripts/sample/sink.ts';

interface Sample {
  files: Map<string, string>;
  gt: GroundTruth;
}

function make(scale: number, lowerIsBetter = false, seed = 42): Sample {
  const sink = new MemorySink();
  const gt = generateSample({ seed, scale, lowerIsBetter }, sink);
  return { files: sink.files, gt };
}

// Parsing thousands of frontmatter blocks is the slow part of these tests: parse each text once.
const parsed = new Map<string, { fm: Record<string, unknown>; body: string; yaml: string }>();
function frontmatter(text: string): { fm: Record<string, unknown>; body: string; yaml: string } {
  const hit = parsed.get(text);
  if (hit) return hit;
  const m = /^---\n([\s\S]*?)---\n([\s\S]*)$/.exec(text);
  if (!m) throw new Error('no frontmatter block');
  const out = { fm: parse(m[1] ?? '') as Record<string, unknown>, body: m[2] ?? '', yaml: m[1] ?? '' };
  parsed.set(text, out);
  return out;
}

const under = (files: Map<string, string>, prefix: string): string[] => [...files.keys()].filter((k) => k.startsWith(prefix));
const base = (p: string): string => p.slice(p.lastIndexOf('/') + 1);
const obj = (v: unknown): Record<string, unknown> => v as Record<string, unknown>;
const arr = (v: unknown): Array<Record<string, unknown>> => v as Array<Record<string, unknown>>;

let s1: Sample;
beforeAll(() => {
  s1 = make(1);
});

describe('sample generator at scale 1', () => {
  it('names board and result files like the server (ms stamps, a few legacy names)', () => {
    const board = under(s1.files, 'message_board/').map(base);
    const results = under(s1.files, 'results/').map(base).filter((n) => n.endsWith('.md'));
    const legacy = board.filter((n) => !MS_NAME_RE.test(n));
    expect(legacy.length).toBeGreaterThan(0);
    for (const n of legacy) expect(n).toMatch(LEGACY_NAME_RE);
    expect(legacy.sort()).toEqual(obj(s1.gt.special).legacy_messages);
    for (const n of results) expect(n).toMatch(MS_NAME_RE);
    // One namespace: no filename is both a message and a result.
    const both = new Set(board);
    expect(results.filter((n) => both.has(n))).toEqual([]);
  });

  it('writes parseable YAML frontmatter everywhere and the documented keys', () => {
    for (const [path, text] of s1.files) {
      // Inbox copies are checked byte-for-byte against message_board/ below.
      if (!path.endsWith('.md') || path.startsWith('shared_resources/') || path.startsWith('inbox/') || path === 'README.md') continue;
      if (path.startsWith('taskforces/') && !/README\.md$|\/\d{8}-/.test(path)) continue;
      const { fm } = frontmatter(text);
      expect(typeof fm, path).toBe('object');
      if (path.startsWith('message_board/')) {
        expect(fm.agent, path).toBeTypeOf('string');
        expect(fm.timestamp, path).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC$/);
        expect(['bucket', 'raw', 'dashboard', 'server']).toContain(fm.via);
        expect(fm.type, path).toBeTypeOf('string');
      }
      if (path.startsWith('agents/')) {
        expect(Object.keys(fm)).toEqual(['agent_name', 'agent_model', 'agent_harness', 'agent_tools', 'hf_user', 'agent_bucket', 'joined']);
      }
    }
    for (const [path, text] of s1.files) if (path.endsWith('.json')) expect(() => JSON.parse(text), path).not.toThrow();
  });

  it('writes frontmatter byte-identical to yaml.stringify of its parsed value', () => {
    let fast = 0;
    for (const [path, text] of s1.files) {
      if (!path.endsWith('.md') || path.startsWith('inbox/') || !text.startsWith('---\n')) continue;
      const { fm, yaml } = frontmatter(text);
      expect(stringify(fm, { lineWidth: 0 }), path).toBe(yaml);
      if (fastYaml(fm) !== null) fast++;
    }
    expect(fast).toBeGreaterThan(1000);
  });

  it('keeps time consistent: inside the 6-day window, replies after their targets, posts after joining', () => checkTimes(s1));

  it('covers every refs shape, via and a few custom keys', () => {
    const shapes = new Set<string>();
    const vias = new Set<string>();
    let prefixed = 0;
    let custom = 0;
    for (const p of under(s1.files, 'message_board/')) {
      const { fm } = frontmatter(s1.files.get(p) ?? '');
      vias.add(String(fm.via));
      const refs = fm.refs;
      if (refs === undefined) shapes.add('absent');
      else if (Array.isArray(refs)) shapes.add('list');
      else if (String(refs).includes(',')) shapes.add('comma');
      else if (String(refs).includes(' ')) shapes.add('space');
      else shapes.add('string');
      if (JSON.stringify(refs ?? '').includes('results/') || JSON.stringify(refs ?? '').includes('message_board/')) prefixed++;
      if (Object.keys(fm).some((k) => !['type', 'priority', 'refs', 'agent', 'timestamp', 'via'].includes(k))) custom++;
    }
    expect([...shapes].sort()).toEqual(['absent', 'comma', 'list', 'space', 'string']);
    expect([...vias].sort()).toEqual(['bucket', 'dashboard', 'raw', 'server']);
    expect(prefixed).toBeGreaterThan(20);
    expect(custom).toBeGreaterThan(5);
  });

  it('hits the reference sizes', () => {
    const c = obj(s1.gt.counts);
    expect(c.run_dirs).toBe(358);
    expect(c.run_buckets).toBe(66);
    expect(under(s1.files, 'runs/').map((p) => p.split('/')[1]).filter((d, i, a) => a.indexOf(d) === i)).toHaveLength(358);
    expect(Number(c.messages)).toBeGreaterThan(1200);
    expect(Number(c.messages)).toBeLessThan(1400);
    expect(Number(c.results)).toBeGreaterThan(470);
    expect(Number(c.results)).toBeLessThan(530);
    expect(Number(c.agents_files)).toBeGreaterThan(95);
    expect(Number(c.relays)).toBeGreaterThanOrEqual(8);
    expect(Number(c.verdicts)).toBeGreaterThan(20);
    expect(under(s1.files, 'leaderboard/')).toHaveLength(4);
    expect(under(s1.files, 'taskforces/').filter((p) => p.endsWith('/README.md'))).toHaveLength(3);
    expect(c.distinct_jobs).toBe(357);
  });

  it('writes a valid collaboration config', () => {
    const cfg = parseConfig(JSON.parse(s1.files.get('collab-atlas.json') ?? '{}'));
    expect(cfg).toMatchObject({ score_field: 'tps', higher_is_better: true, synthetic: true, verifier_agents: ['sample-verifier'] });
  });

  it('refers only to files that exist', () => checkReferences(s1));

  it('plants relays whose text matches the roles', () => {
    for (const r of arr(s1.gt.relays)) {
      const steps = arr(r.steps);
      const build = s1.files.get(String(steps.find((s) => s.role === 'build')?.file)) ?? '';
      expect(build).toMatch(/no quota/);
      expect(build).toMatch(/staged for whoever has quota/);
      const ship = frontmatter(s1.files.get(`results/${String(r.outcome_result)}`) ?? '');
      expect(ship.fm.status).toBe('agent-run');
      for (const a of r.agents as string[]) if (a !== ship.fm.agent) expect(String(ship.fm.description)).toContain(`@${a}`);
      const improvement = obj(r.improvement);
      expect(Number(improvement.to)).toBeGreaterThan(Number(improvement.from));
      const fail = steps.find((s) => s.role === 'fail' && String(s.file).startsWith('runs/'));
      if (fail) expect(s1.files.get(`${String(fail.file)}/job_status.json`)).toContain('"status": "error"');
    }
  });

  it('makes inbox copies byte-identical, capped, and never for the author or an email', () => {
    const onlyInbox = new Set(arr(obj(s1.gt.special).inbox_only).map((x) => String(x.filename)));
    expect(onlyInbox.size).toBeGreaterThanOrEqual(2);
    for (const p of under(s1.files, 'inbox/')) {
      const [, handle, name] = p.split('/');
      const original = s1.files.get(`message_board/${name ?? ''}`);
      if (onlyInbox.has(name ?? '')) {
        expect(original).toBeUndefined();
        continue;
      }
      expect(original, p).toBe(s1.files.get(p));
      expect(frontmatter(original ?? '').fm.agent).not.toBe(handle);
    }
    const fan = obj(obj(s1.gt.special).fanout_cap);
    expect((fan.mentioned as string[]).length).toBe(12);
    expect(fan.delivered).toEqual((fan.mentioned as string[]).slice(0, 10).sort());
    expect(under(s1.files, 'inbox/').filter((p) => p.endsWith(`/${String(fan.message)}`))).toHaveLength(10);
    for (const f of obj(s1.gt.special).email_decoys as string[]) {
      const { body } = frontmatter(s1.files.get(`message_board/${f}`) ?? '');
      expect(body).toMatch(/[a-z]@example\.(com|org)/);
      expect(mentionsIn(body)).not.toContain('example');
    }
  });

  it('writes run files like the harness: sorted keys, indent 2, no trailing newline', () => {
    const sortedDeep = (v: unknown): boolean =>
      Array.isArray(v)
        ? v.every(sortedDeep)
        : v && typeof v === 'object'
          ? Object.keys(v).join('\u0000') === Object.keys(v).sort().join('\u0000') && Object.values(v).every(sortedDeep)
          : true;
    for (const p of under(s1.files, 'runs/').filter((x) => x.endsWith('.json'))) {
      const text = s1.files.get(p) ?? '';
      expect(sortedDeep(JSON.parse(text)), p).toBe(true);
      expect(text).toBe(JSON.stringify(JSON.parse(text), null, 2));
    }
    const status = under(s1.files, 'runs/').filter((x) => x.endsWith('/job_status.json')).map((p) => JSON.parse(s1.files.get(p) ?? '{}') as Record<string, unknown>);
    for (const st of status) {
      expect(st.job_id).toMatch(/^[0-9a-f]{24}$/);
      expect(st.finished_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      expect(st.timeout_minutes).toBe(40);
    }
    expect(new Set(status.map((st) => st.status))).toEqual(new Set(['completed', 'error', 'timed_out']));
  });

  it('keeps repeat buckets byte-identical and noise near 1.2 tok/s', () => {
    const noise = obj(s1.gt.noise);
    for (const b of arr(noise.buckets)) {
      const manifests = new Set<string>();
      for (const d of b.runs as string[]) {
        const req = s1.files.get(`${d}/run_request.json`);
        if (req) manifests.add(JSON.stringify(JSON.parse(req).manifest));
        const st = s1.files.get(`${d}/job_status.json`);
        if (st) expect(JSON.parse(st).submission_prefix).toBe(b.submission_prefix);
      }
      expect(manifests.size, String(b.key)).toBeLessThanOrEqual(1);
      if (manifests.size) expect(createHash('sha256').update(JSON.stringify(sortDeep(JSON.parse([...manifests][0] ?? '{}')))).digest('hex')).toBe(b.manifest_sha_hint);
    }
    expect(Number(noise.pooled_sigma)).toBeGreaterThan(0.9);
    expect(Number(noise.pooled_sigma)).toBeLessThan(1.5);
    expect((noise.selection_bias as string[]).length).toBeGreaterThan(5);
  });

  it('keeps verification index, verdict messages and leaderboards consistent', () => {
    const index = JSON.parse(s1.files.get('results/verification_status.json') ?? '{}') as Record<string, string>;
    for (const v of arr(obj(s1.gt.special).verdicts)) {
      const state = v.verdict === 'unreproducible' ? 'pending' : v.verdict;
      expect(index[String(v.result)] ?? 'pending').toBe(state);
      const text = s1.files.get(`message_board/${String(v.message)}`) ?? '';
      const { fm, body } = frontmatter(text);
      expect(fm).toMatchObject({ type: 'verification', via: 'server', agent: 'sample-verifier', refs: [v.result] });
      if (v.verdict === 'valid') expect(body).toContain('**VERIFIED VALID**');
      if (v.verdict === 'invalid') expect(body).toContain('**INVALID**');
      if (v.form === 'table') expect(body).toContain('| re-run TPS (private set) |');
    }
    const forms = new Set(arr(obj(s1.gt.special).verdicts).map((v) => `${String(v.verdict)}/${String(v.form)}`));
    for (const f of ['valid/table', 'invalid/table', 'invalid/short', 'unreproducible/short']) expect(forms).toContain(f);
    for (const p of under(s1.files, 'leaderboard/')) {
      const lb = JSON.parse(s1.files.get(p) ?? '{}') as { rows: Array<Record<string, unknown>>; meta: Record<string, unknown> };
      const scores = lb.rows.map((r) => Number(r.tps));
      expect(scores).toEqual(scores.slice().sort((a, b) => b - a));
      for (const r of lb.rows) expect(s1.files.has(`results/${String(r.filename)}`)).toBe(true);
      if (p.includes('best_per_agent') || p.includes('valid')) expect(new Set(lb.rows.map((r) => r.agent)).size).toBe(lb.rows.length);
      if (p.includes('valid')) expect(obj(lb.meta.excluded).verification_pending).toBeGreaterThan(0);
    }
  });
});

function checkTimes(s1: Sample): void {
    const stampMs = (name: string): number => {
      const m = /^(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})(?:-(\d{3}))?_/.exec(name);
      if (!m) throw new Error(`bad stamp ${name}`);
      return Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!, +(m[7] ?? 0));
    };
    const start = Date.UTC(2026, 5, 8);
    const end = start + 6 * 86_400_000;
    const joined = new Map<string, string>();
    for (const p of under(s1.files, 'agents/')) joined.set(base(p).replace(/\.md$/, ''), String(frontmatter(s1.files.get(p) ?? '').fm.joined));
    const known = new Set([...under(s1.files, 'message_board/'), ...under(s1.files, 'results/')].map(base));
    for (const p of [...under(s1.files, 'message_board/'), ...under(s1.files, 'results/').filter((x) => x.endsWith('.md'))]) {
      const name = base(p);
      const t = stampMs(name);
      expect(t, name).toBeGreaterThanOrEqual(start);
      expect(t, name).toBeLessThan(end);
      const { fm } = frontmatter(s1.files.get(p) ?? '');
      const j = joined.get(String(fm.agent));
      if (j) expect(String(fm.timestamp) >= j, `${name} before ${String(fm.agent)} joined`).toBe(true);
      const refs = fm.refs === undefined ? [] : Array.isArray(fm.refs) ? fm.refs : String(fm.refs).split(/[\s,]+/);
      for (const r of refs.map((x) => String(x).replace(/^(results|message_board)\//, '')).filter((x) => known.has(x))) {
        expect(stampMs(r), `${name} refs ${r}`).toBeLessThan(t);
      }
    }
  }

function checkReferences(s1: Sample): void {
    const gt = s1.gt;
    const dirs = new Set([...s1.files.keys()].map((k) => k.slice(0, k.lastIndexOf('/'))));
  const exists = (p: string): boolean => s1.files.has(p) || dirs.has(p);
    const result = (f: unknown): boolean => s1.files.has(`results/${String(f)}`);
    const message = (f: unknown): boolean => s1.files.has(`message_board/${String(f)}`);
    const lineage = obj(gt.lineage);
    for (const e of arr(lineage.edges)) {
      expect(result(e.parent), String(e.parent)).toBe(true);
      expect(result(e.child), String(e.child)).toBe(true);
      expect(['ref', 'bucket-path', 'credit', 'token']).toContain(e.rule);
    }
    for (const t of arr(lineage.techniques)) expect(result(t.first_result)).toBe(true);
    for (const r of arr(gt.relays)) {
      expect(new Set(r.agents as string[]).size).toBeGreaterThanOrEqual(3);
      expect(result(r.outcome_result)).toBe(true);
      for (const st of arr(r.steps)) expect(exists(String(st.file)), String(st.file)).toBe(true);
      expect(arr(r.steps).map((st) => st.role)).toContain('build');
      expect(arr(r.steps).map((st) => st.role)).toContain('ship');
    }
    for (const h of arr(gt.handoffs)) for (const k of ['post', 'result', 'report']) expect(exists(String(h[k]))).toBe(true);
    const noise = obj(gt.noise);
    for (const b of arr(noise.buckets)) for (const d of b.runs as string[]) expect(exists(d), d).toBe(true);
    for (const f of noise.selection_bias as string[]) expect(result(f)).toBe(true);
    const sp = obj(gt.special);
    expect(message(sp.move_request)).toBe(true);
    expect(message(sp.loophole_report)).toBe(true);
    for (const f of [...(sp.move_refusals as string[]), ...(sp.loophole_responses as string[]), ...(sp.email_decoys as string[])]) expect(message(f)).toBe(true);
    for (const v of arr(sp.verdicts)) {
      expect(message(v.message)).toBe(true);
      expect(result(v.result)).toBe(true);
    }
    for (const b of arr(gt.credit_brackets)) {
      const text = s1.files.get(String(b.file)) ?? '';
      expect(text).toContain(`[${String(b.flagged)} flagged / ${String(b.built)} built / ${String(b.benched)} benched]`);
    }
    for (const t of arr(gt.taskforces)) for (const f of t.files as string[]) expect(s1.files.has(f)).toBe(true);
  }

function sortDeep(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortDeep);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortDeep((v as Record<string, unknown>)[k])]));
  return v;
}

describe('scale and variants', () => {
  it('holds the time and reference invariants for other seeds', () => {
    for (const seed of [1, 2, 3]) {
      const s = make(0.3, seed === 2, seed);
      checkTimes(s);
      checkReferences(s);
    }
  });

  it('roughly doubles counts at scale 2', () => {
    const s2 = make(2);
    const c1 = obj(s1.gt.counts);
    const c2 = obj(s2.gt.counts);
    for (const k of ['messages', 'results', 'run_dirs', 'run_buckets', 'agents_files', 'relays']) {
      const ratio = Number(c2[k]) / Number(c1[k]);
      expect(ratio, k).toBeGreaterThan(1.8);
      expect(ratio, k).toBeLessThan(2.2);
    }
    expect(c2.run_dirs).toBe(716);
    expect(c2.run_buckets).toBe(132);
  });

  it('writes a lower-is-better collaboration with the configured field everywhere', () => {
    const s = make(0.3, true);
    const cfg = parseConfig(JSON.parse(s.files.get('collab-atlas.json') ?? '{}'));
    expect(cfg).toMatchObject({ score_field: 'latency_ms', higher_is_better: false, unit: 'ms' });
    const res = under(s.files, 'results/').filter((p) => p.endsWith('.md'));
    const numeric = res.map((p) => frontmatter(s.files.get(p) ?? '').fm).filter((fm) => typeof fm.latency_ms === 'number');
    expect(numeric.length).toBeGreaterThan(res.length - 3);
    for (const fm of numeric) expect(fm.tps).toBeUndefined();
    const summary = under(s.files, 'runs/').find((p) => p.endsWith('/summary.json'));
    const sj = JSON.parse(s.files.get(summary ?? '') ?? '{}') as Record<string, unknown>;
    expect(sj.latency_ms).toBeTypeOf('number');
    expect(sj.tps).toBeUndefined();
    for (const p of under(s.files, 'leaderboard/')) {
      const rows = (JSON.parse(s.files.get(p) ?? '{}') as { rows: Array<Record<string, unknown>> }).rows.map((r) => Number(r.latency_ms));
      expect(rows).toEqual(rows.slice().sort((a, b) => a - b));
    }
  });

  it('uses fictional handles only', () => {
    const handles = under(s1.files, 'agents/').map((p) => base(p).replace(/\.md$/, ''));
    for (const h of handles) expect(h).toMatch(/^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/);
    expect(handles.filter((h) => h.startsWith('human-')).length).toBeGreaterThanOrEqual(2);
    expect(handles).toContain('sample-verifier');
    expect(obj(s1.gt.agents).unregistered_authors).not.toHaveLength(0);
  });
});
