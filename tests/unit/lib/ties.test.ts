import { describe, expect, it } from 'vitest';
import { classifyGain, NO_TIE, rankText, runningBest, tieFromRow, tieWalk, type Tie } from '../../../src/lib/ties.ts';

const tie: Tie = { threshold: 4, lo: 3, hi: 6, sigma: 1.41, restsOnFew: false };

describe('ties', () => {
  it('classifies a gain against the threshold, exactly the threshold being a tie', () => {
    expect(classifyGain(3.9, tie)).toBe('within');
    expect(classifyGain(4, tie)).toBe('within');
    expect(classifyGain(-4.01, tie)).toBe('beyond');
    expect(classifyGain(100, NO_TIE)).toBe('unknown');
  });

  it('reads the noise_summary row, unknown (not zero) without one', () => {
    expect(tieFromRow(undefined)).toEqual(NO_TIE);
    expect(tieFromRow({ tie_threshold: 3.2, threshold_lo: null, pooled_sigma: 1.1, rests_on_few: true })).toEqual({
      threshold: 3.2, lo: null, hi: null, sigma: 1.1, restsOnFew: true,
    });
  });

  it('walks sorted scores into groups measured from each group top', () => {
    const groups = tieWalk([100, 97, 96.5, 95, 90, 89], 4, (x) => x);
    expect(groups).toEqual([[100, 97, 96.5], [95], [90, 89]]);
    expect(tieWalk([3, 2, 1], null, (x) => x)).toEqual([[3], [2], [1]]);
  });

  it('writes tie ranks as ranges', () => {
    expect(rankText(1, 13)).toBe('1–13');
    expect(rankText(4, 1)).toBe('4');
  });

  it('never raises the running best at an ineligible item and marks gains within noise', () => {
    const items = [
      { s: 100, ok: true },
      { s: 150, ok: false }, // invalid: drawn elsewhere, never a step
      { s: 102, ok: true }, // +2: within noise
      { s: 110, ok: true }, // +8: beyond
      { s: 105, ok: true }, // not better
    ];
    const steps = runningBest(items, { score: (i) => i.s, eligible: (i) => i.ok, higherIsBetter: true, tie });
    expect(steps.map((s) => [s.score, s.gain, s.gainClass])).toEqual([
      [100, null, 'first'],
      [102, 2, 'within'],
      [110, 8, 'beyond'],
    ]);
    const lower = runningBest([{ s: 10 }, { s: 9.5 }, { s: 2 }], { score: (i) => i.s, eligible: () => true, higherIsBetter: false, tie });
    expect(lower.map((s) => s.gainClass)).toEqual(['first', 'within', 'beyond']);
  });
});
