// Relays rule 11: the text memo answers as classifyMessageRole and findFailure do, for every pair of link facts,
// whether the answer comes from this build, from last build's memo or from neither.
import { describe, expect, it } from 'vitest';
import { classifyMessageRole, findFailure } from '../../../src/lib/relays/roles.ts';
import { TextMemo } from '../../../scripts/derive/relays/text-memo.ts';
import type { DerivationMemo } from '../../../scripts/derive/index.ts';

const TEXTS = [
  'Root cause found: the tokenizer mismatch between the draft and the target model.',
  'The run crashed with a CUDA out of memory error at load.',
  'Built the int4 checkpoint for @glad-walrus, uploaded to the bucket.',
  'Shipped: 512.3 TPS on top of the shared kernels, thanks @fluent-quokka.',
  'Benched the candidate three times; numbers within noise.',
  'Nothing to see here.',
];
const FACTS: [boolean, boolean][] = [
  [false, false],
  [true, false],
  [false, true],
  [true, true],
];

/** A memo as the build hands it: last build's value, and what this build sets. */
function memoOf(value: unknown): DerivationMemo & { saved: unknown } {
  const m = { value, saved: undefined as unknown, set: (v: unknown) => void (m.saved = structuredClone(v)) };
  return m;
}

describe('relays text memo', () => {
  it('answers as the classifiers do, for every text and link facts, across builds', () => {
    const direct = (t: string, [a, b]: [boolean, boolean]) => classifyMessageRole({ text: t, linksToOtherAgent: a, repliesToFailure: b });
    // The facts matter for some text here, or a memo that ignored them could pass.
    expect(TEXTS.some((t) => new Set(FACTS.map((f) => JSON.stringify(direct(t, f)))).size > 1)).toBe(true);
    // Build 1 sees each text with one pair of facts; build 2 (its memo) with every pair, in another order.
    const first = memoOf(undefined);
    const b1 = new TextMemo(first);
    TEXTS.forEach((t, i) => {
      expect(b1.messageRole(t, ...FACTS[i % 4]!)).toEqual(direct(t, FACTS[i % 4]!));
      expect(b1.failure(t)).toBe(findFailure(t) !== null);
    });
    b1.save();
    expect(first.saved).toBeInstanceOf(Map);
    const b2 = new TextMemo(memoOf(first.saved));
    for (const t of TEXTS) {
      for (const f of [...FACTS].reverse()) expect(b2.messageRole(t, ...f), `${t} ${f}`).toEqual(direct(t, f));
      expect(b2.failure(t)).toBe(findFailure(t) !== null);
    }
  });

  it('hands out a fresh role object each time (events own their roles)', () => {
    const m = new TextMemo(memoOf(undefined));
    const t = TEXTS[0]!;
    const a = m.messageRole(t, true, true);
    const b = m.messageRole(t, true, true);
    if (a && b) expect(a).not.toBe(b);
    expect(a).toEqual(b);
  });
});
