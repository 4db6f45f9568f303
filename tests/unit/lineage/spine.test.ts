// The lineage spine (src/lib/lineage/spine.ts): honest steps, gains classed by the tie threshold, side lines within
// the budget, lanes that never overlap, and the view's labels.
import { parseHTML } from 'linkedom';
import { describe, expect, it } from 'vitest';
import { buildSpine, SPINE_EDGE_BUDGET, type SpineEdgeRow, type SpineNodeRow } from '../../../src/lib/lineage/spine.ts';
import { DEFAULT_CONFIG } from '../../../src/lib/config.ts';
import { lineageSpineView } from '../../../src/lib/views/lineage-spine.ts';

const tie = { threshold: 3.5, lo: 3, hi: 4, sigma: 1.2, restsOnFew: false };
const node = (f: string, h: number, score: number | null, tokens: string[], extra: Partial<SpineNodeRow> = {}): SpineNodeRow => ({
  filename: f, node_kind: 'result', agent: f.split('.')[0]!, ts: new Date(Date.UTC(2026, 5, 8, h)).toISOString(), score, status: 'agent-run',
  verification: 'valid', method: tokens.join('-'), tokens, is_frontier: false, ...extra,
});

describe('buildSpine', () => {
  const nodes = [
    node('a.md', 0, 100, ['vllm'], { is_frontier: true }),
    node('inv.md', 1, 90, ['vllm', 'int4']),
    node('b.md', 2, 120, ['vllm', 'int4'], { is_frontier: true }),
    node('c.md', 3, 121, ['vllm', 'int4'], { is_frontier: true }),
    node('bad.md', 4, 999, ['vllm', 'int4', 'hack'], { is_frontier: true, verification: 'invalid' }),
    node('d.md', 5, 130, ['vllm', 'int4', 'mtp'], { is_frontier: true }),
  ];
  const edges: SpineEdgeRow[] = [
    { parent: 'a.md', child: 'b.md', rule: 'token', confidence: 0.3 },
    { parent: 'inv.md', child: 'b.md', rule: 'credit', confidence: 0.75 },
    { parent: 'b.md', child: 'c.md', rule: 'token', confidence: 0.5 },
    { parent: 'a.md', child: 'd.md', rule: 'ref', confidence: 1 },
  ];
  const techniques = [
    { token: 'vllm', first_result: 'a.md', stop_reason: null },
    { token: 'int4', first_result: 'inv.md', stop_reason: null },
    { token: 'mtp', first_result: 'd.md', stop_reason: null },
    { token: 'hack', first_result: 'bad.md', stop_reason: 'one-off' },
  ];
  const s = buildSpine(nodes, edges, techniques, { higherIsBetter: true, tie });

  it('steps only at eligible results, each gain classed by the tie threshold', () => {
    const steps = s.rows.filter((r) => r.frontier);
    expect(steps.map((r) => r.node.filename)).toEqual(['a.md', 'b.md', 'c.md', 'd.md']);
    expect(steps.map((r) => r.gainClass)).toEqual(['first', 'beyond', 'within', 'beyond']);
    expect(steps[3]!.gain).toBe(9);
  });

  it('draws the invention that fed a step, not a line from a step already on the spine', () => {
    expect(s.lines.map((l) => [l.edge.parent, l.edge.child, l.invention])).toEqual([['inv.md', 'b.md', true]]);
    const inv = s.rows.find((r) => r.node.filename === 'inv.md')!;
    expect(inv).toMatchObject({ frontier: false, techniques: ['int4'], invented: ['int4'], lane: 1 });
    expect(s.rows.find((r) => r.node.filename === 'd.md')).toMatchObject({ techniques: ['mtp'], invented: ['mtp'] });
  });

  it('keeps to the budget and never puts two lines on one lane at once', () => {
    const many: SpineNodeRow[] = [];
    const manyEdges: SpineEdgeRow[] = [];
    const techs = [];
    for (let i = 0; i < 60; i++) {
      many.push(node(`p${i}.md`, 2 * i, 10, [`t${i}`]));
      many.push(node(`s${i}.md`, 2 * i + 1, 100 + i * 10, [`t${i}`], { is_frontier: true }));
      manyEdges.push({ parent: `p${i}.md`, child: `s${i}.md`, rule: 'credit', confidence: 0.75 });
      if (i > 3) manyEdges.push({ parent: `p${i - 4}.md`, child: `s${i}.md`, rule: 'ref', confidence: 1 });
      techs.push({ token: `t${i}`, first_result: `p${i}.md`, stop_reason: null });
    }
    const big = buildSpine(many, manyEdges, techs, { higherIsBetter: true, tie });
    expect(big.lines.length).toBeLessThanOrEqual(SPINE_EDGE_BUDGET);
    expect(big.lines.length).toBeGreaterThan(0);
    for (const a of big.lines) for (const b of big.lines) if (a !== b && a.lane === b.lane && a.edge.parent !== b.edge.parent) expect(a.to < b.from || b.to < a.from).toBe(true);
  });

  it('renders labelled rows with the gain in words', () => {
    const { document } = parseHTML('<!doctype html><html><body></body></html>');
    const out = lineageSpineView.render([{ spine: s, tie }], { doc: document as unknown as Document, base: '/', config: DEFAULT_CONFIG, unpaged: null }, {});
    const rows = [...out.querySelectorAll('.spine-row')];
    expect(rows).toHaveLength(s.rows.length);
    expect(out.getAttribute('data-edges')).toBe('1');
    const c = rows.find((r) => r.getAttribute('data-f') === 'c.md')!;
    expect(c.textContent).toContain('121');
    expect(c.textContent).toContain('c');
    expect(c.querySelector('.gain')?.textContent).toBe('+1, within noise');
  });
});
