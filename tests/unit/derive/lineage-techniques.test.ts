// Techniques and the stop-list (scripts/derive/lineage/stop-list.ts): each rule on small cases, the planted techniques
// of the synthetic sample (precision and recall), and the fragments and activity words of the real export.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildLineage, lineageFromCore } from '../../../scripts/derive/lineage/index.ts';
import { handleWords, numericFragment } from '../../../scripts/derive/lineage/stop-list.ts';
import { ingestExport } from '../../../scripts/ingest/ingest.ts';
import { DEFAULT_CONFIG } from '../../../src/lib/config.ts';
import { resultRow } from '../../fixtures/rows.ts';

const at = (h: number) => new Date(Date.UTC(2026, 5, 8, h));
const techniques = (rows: Parameters<typeof buildLineage>[0]['results']) =>
  new Map(buildLineage({ results: rows }, DEFAULT_CONFIG).techniques.map((t) => [t.token, t]));

describe('stop rules on small cases', () => {
  it('numeric fragments and handle spellings', () => {
    expect(['12k', '0.22', '4x', '128'].every(numericFragment)).toBe(true);
    expect(['k7', 'w192', 'int4', 'lmhead12k'].some(numericFragment)).toBe(false);
    const w = handleWords(['kenyan-duma', 'pupa-agent', 'a-b']);
    expect([...w].sort()).toEqual(['ab', 'agent', 'duma', 'kduma', 'kenyan', 'pagent', 'pupa'].sort());
  });

  it('activity, fragment, one-off and name tokens are stopped; a setting that travels apart stays; baselines are exempt', () => {
    const rows = [
      resultRow('base', at(0), 'vllm-hf', { status: 'baseline', score: 40 }),
      resultRow('ann', at(1), 'osoi5-feopt2-w20-e1-v0', { score: 100 }),
      resultRow('bob', at(2), 'osoi5-feopt2-w20-e1-frontier', { score: 110 }),
      resultRow('cy', at(3), 'osoi5-k7-body', { score: 120 }),
      resultRow('dee', at(4), 'splitkv-k7', { score: 90 }),
      resultRow('eve', at(5), 'splitkv-lmhead-12k', { score: 95 }),
      resultRow('fay-zedd', at(6), 'splitkv-lmhead-zedd', { score: 96 }),
      resultRow('gus', at(7), 'zedd-feopt2', { score: 97 }),
    ];
    const t = techniques(rows);
    const reason = (k: string) => t.get(k)?.stop_reason ?? null;
    expect(reason('frontier')).toBe('activity');
    expect(reason('12k')).toBe('numeric');
    // e1 and w20 were born in ann's osoi5 result and never travel without osoi5 (3 uses ≤ 2 × 2).
    expect(reason('e1')).toBe('fragment');
    expect(reason('w20')).toBe('fragment');
    expect(reason('body')).toBe('one-off');
    expect(reason('zedd')).toBe('name');
    // k7 was born in cy's result beside osoi5, but dee uses it without: a knob of its own.
    for (const k of ['k7', 'osoi5', 'feopt2', 'splitkv', 'lmhead', 'hf', 'vllm']) expect(reason(k), k).toBeNull();
  });

  it('records the frontier step a technique entered with and its gain', () => {
    const rows = [
      resultRow('a', at(0), 'int4', { score: 100 }),
      resultRow('b', at(1), 'int4-mtp', { score: 99 }),
      resultRow('c', at(2), 'int4-mtp-k7', { score: 130, verification: 'invalid' }),
      resultRow('d', at(3), 'int4-mtp-g128', { score: 112 }),
    ];
    const t = techniques(rows);
    expect(t.get('int4')).toMatchObject({ frontier_result: rows[0]!.filename, frontier_gain: null });
    // mtp first reached the frontier at d (b was below the best; c is invalid and never counts).
    expect(t.get('mtp')).toMatchObject({ frontier_result: rows[3]!.filename, frontier_gain: 12 });
    expect(t.get('g128')).toMatchObject({ frontier_result: rows[3]!.filename, frontier_gain: 12 });
    expect(t.get('k7')).toMatchObject({ frontier_result: null, frontier_gain: null });
  });
});

const ROOT = new URL('../../../', import.meta.url).pathname;
const REAL = new URL('../../../../shared/gemma-real/', import.meta.url).pathname;

describe('synthetic sample (seed 42, scale 1): planted techniques', () => {
  it('keeps every planted recipe technique (recall 1) and little else (precision ≥ 0.95)', { timeout: 240_000 }, async () => {
    const { execFileSync } = await import('node:child_process');
    const out = mkdtempSync(join(tmpdir(), 'atlas-techniques-'));
    try {
      execFileSync(process.execPath, ['--import', 'tsx', 'scripts/make-sample.ts', '--scale', '1', '--seed', '42', '--out', out], { cwd: ROOT, stdio: 'pipe' });
      const ing = ingestExport(join(out, 'export'));
      const rows = lineageFromCore(ing.tables, ing.config).techniques;
      const gt = JSON.parse(readFileSync(join(out, 'ground-truth.json'), 'utf8')) as { lineage: { techniques: { token: string; kind: string }[] } };
      // The ground truth plants `repro` as kind "repro": a reproduction label, which rule 1 stops as an activity.
      const planted = new Set(gt.lineage.techniques.filter((t) => t.kind !== 'repro').map((t) => t.token));
      const labels = gt.lineage.techniques.filter((t) => t.kind === 'repro').map((t) => t.token);
      const kept = new Set(rows.filter((t) => t.stop_reason === null).map((t) => t.token));
      const tp = [...kept].filter((t) => planted.has(t)).length;
      const precision = tp / kept.size;
      const recall = tp / planted.size;
      console.log(`techniques vs planted: ${kept.size} kept of ${rows.length} tokens, ${planted.size} planted → precision ${precision.toFixed(3)}, recall ${recall.toFixed(3)}`);
      expect(recall).toBe(1);
      expect(precision).toBeGreaterThanOrEqual(0.95);
      for (const l of labels) expect(rows.find((t) => t.token === l)?.stop_reason).toBe('activity');
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});

describe.skipIf(!existsSync(REAL))('real export: the stop-list', () => {
  it('stops the activity words and fragments the issue names, and keeps the recipe knobs', () => {
    const ing = ingestExport(REAL);
    const rows = lineageFromCore(ing.tables, ing.config).techniques;
    const reason = new Map(rows.map((t) => [t.token, t.stop_reason]));
    for (const w of ['body', 'channel', 'opt', 'baseline', 'frontier', '12k', 'e1']) expect(reason.get(w), w).not.toBeNull();
    for (const k of ['osoi5', 'noprecache', 'ctk48', 'fa2sw', 'lmhead12k', 'w192', 'splitkv', 'k7']) expect(reason.get(k), k).toBeNull();
    const kept = rows.filter((t) => t.stop_reason === null);
    console.log(`real export: ${kept.length} techniques of ${rows.length} tokens: ${kept.map((t) => t.token).join(' ')}`);
    // Every kept technique recurs: more than one result (a one-off is a word of one name).
    for (const t of kept) expect(t.results, t.token).toBeGreaterThan(1);
  });
});
