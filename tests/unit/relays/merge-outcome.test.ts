// One relay per outcome (merge.ts), its gain over the honest running best and its outcome kind (outcome.ts), and
// titles cut on word boundaries (title.ts): pure functions on hand-made rows.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { agreedSteps, groupByOutcome, mergeGroup } from '../../../scripts/derive/relays/merge.ts';
import { boardBefore, judgeOutcome, outcomeKind } from '../../../scripts/derive/relays/outcome.ts';
import type { Relay } from '../../../scripts/derive/relays/relay.ts';
import { clipWords, firstSentence } from '../../../src/lib/relays/title.ts';
import type { ResultRow } from '../../../src/lib/schema/core.ts';
import { NO_TIE, type Tie } from '../../../src/lib/ties.ts';

const TIE: Tie = { ...NO_TIE, threshold: 3.5 };

function boardRelay(id: string, kind: Relay['kind'], steps: [agent: string, role: string, iso: string, file: string][], outcome: string | null): Relay {
  return {
    id,
    kind,
    source: 'board',
    steps: steps.map(([agent, role, ts, file], i) => ({
      chain_id: id,
      step: i + 1,
      agent,
      role,
      rule: `${role}:x`,
      linked_by: 'ref',
      ts,
      source_file: file,
      source_part: file.startsWith('results/') ? 'results' : 'messages',
      evidence: `${agent} ${role}`,
    })),
    eventIds: steps.map(([, , , file]) => file.slice(file.indexOf('/') + 1)),
    outcomeResult: outcome,
    outcomeScore: 10,
    startTs: steps[0]![2],
    endTs: steps[steps.length - 1]![2],
    title: 'Board title',
    leverTitle: null,
    evidence: 'tied by ref',
  };
}

function bracket(id: string, parts: [agent: string, role: string][], outcome: string | null): Relay {
  return {
    id,
    kind: parts.length >= 3 ? 'chain' : 'handoff',
    source: 'credit-bracket',
    steps: parts.map(([agent, role], i) => ({
      chain_id: id,
      step: i + 1,
      agent,
      role,
      rule: 'bracket:x',
      linked_by: 'bracket',
      ts: null,
      source_file: 'shared_resources/doc/README.md',
      source_part: 'documents',
      evidence: 'the lever line',
    })),
    eventIds: parts.map(() => null),
    outcomeResult: outcome,
    outcomeScore: 10,
    startTs: null,
    endTs: null,
    title: 'the lever line',
    leverTitle: 'Lever title',
    evidence: 'the lever line',
  };
}

describe('one relay per outcome', () => {
  const chain = boardRelay(
    'chain/r9',
    'chain',
    [
      ['b', 'build', '2026-06-01T01:00:00.000Z', 'message_board/m1.md'],
      ['c', 'fail', '2026-06-01T02:00:00.000Z', 'message_board/m2.md'],
      ['a', 'diagnose', '2026-06-01T03:00:00.000Z', 'message_board/m3.md'],
      ['d', 'ship', '2026-06-01T04:00:00.000Z', 'results/r9.md'],
    ],
    'r9.md',
  );
  const lever = bracket('bracket/doc#L3', [['a', 'diagnose'], ['e', 'build'], ['b', 'build'], ['d', 'ship']], 'r9.md');
  const other = bracket('bracket/doc#L4', [['x', 'build'], ['y', 'run']], null);

  it('groups by outcome result; a relay without one stays alone', () => {
    expect(groupByOutcome([chain, other, lever]).map((g) => g.map((r) => r.id))).toEqual([['chain/r9', 'bracket/doc#L3'], ['bracket/doc#L4']]);
  });

  it('agrees on the board’s time order; a bracket-only agent goes before the outcome, undated', () => {
    const steps = agreedSteps([chain, lever], 'r9.md');
    expect(steps.map((s) => [s.agent, s.role, s.ts === null])).toEqual([
      ['b', 'build', false],
      ['c', 'fail', false],
      ['a', 'diagnose', false],
      ['e', 'build', true],
      ['d', 'ship', false],
    ]);
  });

  it('keeps every finding as evidence, the lever title, and the board’s id', () => {
    const m = mergeGroup([lever, chain]);
    expect(m.id).toBe('chain/r9');
    expect(m.kind).toBe('chain');
    expect(m.title).toBe('Lever title');
    expect(m.startTs).toBe('2026-06-01T01:00:00.000Z');
    expect(m.evidence.map((e) => [e.found_as, e.source, e.agents])).toEqual([
      ['chain/r9', 'board', ['b', 'c', 'a', 'd']],
      ['bracket/doc#L3', 'credit-bracket', ['a', 'e', 'b', 'd']],
    ]);
    expect(m.steps.map((s) => s.step)).toEqual([1, 2, 3, 4, 5]);
    expect(new Set(m.steps.map((s) => s.chain_id))).toEqual(new Set(['chain/r9']));
  });

  it('two hand-offs into one result become one relay named after the outcome', () => {
    const h1 = boardRelay('handoff/m1/r5', 'handoff', [['p', 'build', '2026-06-01T01:00:00.000Z', 'message_board/m1.md'], ['q', 'run', '2026-06-01T05:00:00.000Z', 'results/r5.md']], 'r5.md');
    const h2 = boardRelay('staged/m2/r5', 'staged', [['s', 'build', '2026-06-01T02:00:00.000Z', 'message_board/m2.md'], ['q', 'run', '2026-06-01T05:00:00.000Z', 'results/r5.md']], 'r5.md');
    const m = mergeGroup([h1, h2]);
    expect([m.id, m.kind]).toEqual(['staged/r5', 'staged']);
    expect(m.steps.map((s) => s.agent)).toEqual(['p', 's', 'q']);
  });
});

const result = (filename: string, iso: string, score: number, extra: Partial<ResultRow> = {}): ResultRow =>
  ({ filename, ts: iso, score, status: 'agent-run', is_baseline: false, verification: 'pending', over_cap: false, ...extra }) as ResultRow;

describe('the board before a relay (honest running best)', () => {
  const results = [
    result('base.md', '2026-06-01T00:00:00.000Z', 50, { status: 'baseline', is_baseline: true }),
    result('r1.md', '2026-06-01T01:00:00.000Z', 100),
    result('bad.md', '2026-06-01T02:00:00.000Z', 300, { verification: 'invalid' }),
    result('cap.md', '2026-06-01T03:00:00.000Z', 250, { over_cap: true }),
    result('base2.md', '2026-06-01T03:30:00.000Z', 400, { status: 'baseline', is_baseline: true }),
    result('r2.md', '2026-06-01T04:00:00.000Z', 120),
  ];
  const board = boardBefore(results, { higher_is_better: true, baseline_score: null }, TIE);
  const at = (iso: string) => board(Date.parse(iso));

  it('never rises at an invalid, over-cap or baseline result; before any eligible one, the baseline', () => {
    expect(at('2026-06-01T00:30:00.000Z')).toEqual({ score: 50, result: 'base.md', baseline: true });
    expect(at('2026-06-01T01:00:00.000Z')).toEqual({ score: 50, result: 'base.md', baseline: true });
    expect(at('2026-06-01T03:59:00.000Z')).toEqual({ score: 100, result: 'r1.md', baseline: false });
    expect(at('2026-06-01T05:00:00.000Z')).toEqual({ score: 120, result: 'r2.md', baseline: false });
    expect(boardBefore(results, { higher_is_better: true, baseline_score: null }, TIE)(Date.parse('2026-05-01T00:00:00.000Z'))).toBeNull();
  });

  it('judges against the start for the gain, against the board at posting for the kind', () => {
    const ctx = { board, tie: TIE, higherIsBetter: true };
    const r3 = result('r3.md', '2026-06-01T05:00:00.000Z', 122);
    // Started at 100 (+22, beyond noise), but posted when the board stood at 120: +2, within noise.
    const j = judgeOutcome({ startTs: '2026-06-01T02:00:00.000Z', outcomeScore: 122 }, { result: r3, role: 'ship' }, ctx);
    expect([j.before?.score, j.gain, j.gainClass, j.atOutcome?.score, j.margin, j.kind]).toEqual([100, 22, 'beyond', 120, 2, 'within-noise']);
    const r4 = result('r4.md', '2026-06-01T05:00:00.000Z', 110);
    expect(judgeOutcome({ startTs: '2026-06-01T02:00:00.000Z', outcomeScore: 110 }, { result: r4, role: 'ship' }, ctx).kind).toBe('own-line');
    expect(judgeOutcome({ startTs: '2026-06-01T02:00:00.000Z', outcomeScore: 110 }, { result: r4, role: 'run' }, ctx).kind).toBe('reproduction');
    expect(judgeOutcome({ startTs: null, outcomeScore: 130 }, { result: result('r5.md', '2026-06-01T05:00:00.000Z', 130), role: 'ship' }, ctx)).toMatchObject({ gain: 10, margin: 10, kind: 'record' });
  });
});

describe('outcome kinds', () => {
  const r = (extra: Partial<ResultRow> = {}) => result('x.md', '2026-06-01T00:00:00.000Z', 10, extra);
  it('in the rule’s order', () => {
    expect(outcomeKind({ result: r({ verification: 'invalid' }), margin: 50, role: 'ship' }, TIE)).toBe('failed');
    expect(outcomeKind({ result: r({ over_cap: true }), margin: 50, role: 'ship' }, TIE)).toBe('failed');
    expect(outcomeKind({ result: null, margin: 50, role: null }, TIE)).toBe('no-result');
    expect(outcomeKind({ result: r(), margin: null, role: 'ship' }, TIE)).toBe('first-result');
    expect(outcomeKind({ result: r(), margin: 3.5, role: 'ship' }, TIE)).toBe('within-noise');
    expect(outcomeKind({ result: r(), margin: -3, role: 'run' }, TIE)).toBe('within-noise');
    expect(outcomeKind({ result: r(), margin: 3.6, role: 'run' }, TIE)).toBe('record');
    expect(outcomeKind({ result: r(), margin: 0.1, role: 'ship' }, NO_TIE)).toBe('record');
    expect(outcomeKind({ result: r(), margin: -9, role: 'run' }, TIE)).toBe('reproduction');
    expect(outcomeKind({ result: r(), margin: -9, role: 'ship' }, TIE)).toBe('own-line');
    expect(outcomeKind({ result: r(), margin: -9, role: null }, TIE)).toBe('below-board');
  });
});

describe('titles', () => {
  it('the first sentence, cut on a word boundary', () => {
    expect(firstSentence('Osoi5 baked on top of x-v1. Relay: @a built')).toBe('Osoi5 baked on top of x-v1.');
    expect(firstSentence('222.89 TPS / PPL 2.03, single-stream')).toBe('222.89 TPS / PPL 2.03, single-stream');
    expect(clipWords('Relay: @fervent-meerkat built the drafter and more words', 30)).toBe('Relay: @fervent-meerkat built…');
    expect(clipWords('Relay: @fervent-meerkat built', 20)).toBe('Relay…');
  });

  it('never ends mid-word or inside an @handle, and keeps within the limit (property)', () => {
    const word = fc.stringMatching(/^@?[a-z0-9](?:[a-z0-9-]{0,13}[a-z0-9])?[.,]?$/);
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 40 }), fc.integer({ min: 8, max: 120 }), (words, max) => {
        const text = words.join(' ');
        const t = clipWords(text, max);
        expect(t.length).toBeLessThanOrEqual(max);
        if (text.length <= max) {
          expect(t).toBe(text);
          return;
        }
        expect(t.endsWith('…')).toBe(true);
        const head = t.slice(0, -1);
        expect(text.startsWith(head)).toBe(true);
        if (head === '') return;
        // A cut after whole words (their trailing . or , dropped), or inside the one long first word at a hyphen
        // that comes before any @.
        const next = text[head.length]!;
        const atWordEnd = next === ' ' || (/[.,]/.test(next) && (text[head.length + 1] ?? ' ') === ' ');
        const inFirstWord = !head.includes(' ') && !head.includes('@') && next === '-';
        expect(atWordEnd || inFirstWord, `${JSON.stringify(text)} → ${JSON.stringify(t)}`).toBe(true);
      }),
    );
  });
});
