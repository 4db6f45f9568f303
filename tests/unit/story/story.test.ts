// The overview's story: the honest running best, who led when, and which moments count (against a tie threshold).
import { describe, expect, it } from 'vitest';
import { momentLabels } from '../../../src/lib/charts/best-so-far.ts';
import { moments, MOMENT_SOURCES, type MomentSource } from '../../../src/lib/story/moments.ts';
import { currentBest, leadSpans } from '../../../src/lib/story/story.ts';
import { eligibleForBest, ineligibleReason, tieRanks } from '../../../src/lib/ties.ts';
import { BEST_SO_FAR, storyOf } from '../../fixtures/chart-rows.ts';

describe('eligibility', () => {
  it('never counts invalid or over-cap results; verified only leaves pending out', () => {
    const r = (verification: string | null, over_cap: boolean | null, status = 'agent-run') => ({ verification, over_cap, status });
    expect(eligibleForBest(r('valid', false), 'verified')).toBe(true);
    expect(eligibleForBest(r('pending', null), 'verified')).toBe(false);
    expect(eligibleForBest(r('pending', null), 'verified-pending')).toBe(true);
    expect(eligibleForBest(r('invalid', false), 'verified-pending')).toBe(false);
    expect(eligibleForBest(r('valid', true), 'verified-pending')).toBe(false);
    expect(eligibleForBest(r('valid', false, 'negative'), 'verified-pending')).toBe(false);
    expect(ineligibleReason(r('valid', true), 'verified')).toBe('over cap');
    expect(ineligibleReason(r('pending', false), 'verified')).toBe('unverified');
    expect(ineligibleReason(r('pending', false), 'verified-pending')).toBeNull();
  });

  it('ranks tie groups by competition ranking', () => {
    expect(tieRanks([100, 97, 96.5, 95, 90], 4, (x) => x).map((t) => t.text)).toEqual(['1–3', '1–3', '1–3', '4', '5']);
    expect(tieRanks([3, 2], null, (x) => x).map((t) => t.text)).toEqual(['1', '2']);
  });
});

describe('the running best of the fixture', () => {
  it('steps only at eligible results, each above the last, and classes its gain against the threshold', () => {
    for (const scope of ['verified', 'verified-pending'] as const) {
      const story = storyOf(BEST_SO_FAR, 4, scope);
      let best = Number.NEGATIVE_INFINITY;
      const want: string[] = [];
      for (const r of BEST_SO_FAR) {
        const ok = r.verification !== 'invalid' && r.over_cap !== true && (scope === 'verified-pending' || r.verification === 'valid');
        if (ok && r.score > best) {
          best = r.score;
          want.push(r.filename);
        }
      }
      expect(story.steps.map((s) => s.item.filename)).toEqual(want);
      for (const s of story.steps) {
        if (s.gain !== null) expect(s.gainClass).toBe(s.gain <= 4 ? 'within' : 'beyond');
      }
    }
    // The fixture's over-cap result (352.6) would have been the best: it is not.
    const story = storyOf(BEST_SO_FAR);
    expect(story.steps.some((s) => s.item.over_cap === true)).toBe(false);
    expect(currentBest(story)?.score).toBe(360.1);
  });

  it('merges consecutive records of one agent into a lead span; ties do not change the lead', () => {
    const story = storyOf(BEST_SO_FAR, 4);
    const spans = leadSpans(story.steps);
    const leaders = story.steps.filter((s) => s.gainClass !== 'within');
    expect(spans[0]!.agent).toBe(leaders[0]!.item.agent);
    for (let i = 1; i < spans.length; i++) expect(spans[i]!.agent).not.toBe(spans[i - 1]!.agent);
    expect(spans.at(-1)!.best).toBe(leaders.at(-1)!.score);
  });
});

describe('moments', () => {
  const story = storyOf(BEST_SO_FAR, 4);
  const record = story.steps.find((s) => s.gainClass === 'beyond')!;
  const within = story.steps.find((s) => s.gainClass === 'within');

  it('an invention counts only when its first result is a record beyond noise', () => {
    const s = {
      ...story,
      inventions: [
        { first_result: record.item.filename, inventor: 'ann', first_ts: record.item.ts, tokens: ['a', 'b'] },
        ...(within ? [{ first_result: within.item.filename, inventor: 'x', first_ts: within.item.ts, tokens: ['c'] }] : []),
        { first_result: BEST_SO_FAR[1]!.filename, inventor: 'bob', first_ts: BEST_SO_FAR[1]!.ts, tokens: ['d'] },
      ],
    };
    const list = moments(s, '/');
    expect(list.map((m) => m.kind)).toEqual(['invention']);
    expect(list[0]!.label).toContain('ann introduced a, b');
    expect(list[0]!.href).toBe(`/board/?focus=${encodeURIComponent(record.item.filename)}`);
  });

  it('a verdict counts when the rejected claim would have beaten the best beyond noise', () => {
    const last = story.steps.at(-1)!;
    const claim = (score: number) => ({ message: `v${score}.md`, ts: last.item.ts, result: `c${score}.md`, agent: 'eve', score, result_ts: last.item.ts, rerun: 300 });
    const list = moments({ ...story, verdicts: [claim(last.score + 10), claim(last.score + 2), claim(last.score - 30)] }, '/');
    expect(list.map((m) => m.label)).toEqual([`Verifier rejected eve's ${last.score + 10} (re-run 300): it never counted`]);
  });

  it('another source can be appended; moments come out in time order', () => {
    const episodes: MomentSource = () => [{ ts: '2026-06-09T00:00:00.000Z', kind: 'episode', label: 'e', href: '/x' }];
    const s = { ...story, relays: [{ chain_id: 'chain/x', outcome_result: record.item.filename, agents: ['a', 'b'], title: null }] };
    const list = moments(s, '/', [...MOMENT_SOURCES, episodes]);
    expect(list.map((m) => m.kind)).toEqual(['episode', 'relay']);
    expect(list[1]!.href).toBe('/relays/?chain=chain%2Fx');
  });

  it('numbers too close to print apart share one label, and no two labels overprint', () => {
    const d = (h: number) => new Date(Date.UTC(2026, 5, 10, h));
    const pxPerMs = 1 / 3_600_000; // one pixel per hour
    const at = (hs: number[]) => hs.map((h, i) => ({ date: d(h), n: i + 1, label: `m${i + 1}` }));
    expect(momentLabels(at([0, 0, 50, 100]), { pxPerMs }).map((l) => l.n)).toEqual(['1, 2', '3', '4']);
    expect(momentLabels(at([0, 3, 6, 9, 50]), { pxPerMs }).map((l) => l.n)).toEqual(['1–4', '5']);
    const labels = momentLabels(at([0, 3, 6, 9, 50]), { pxPerMs });
    expect(labels[0]!.label.split('\n')).toEqual(['1. m1', '2. m2', '3. m3', '4. m4']);
    // Property: dense random moments never give two labels whose text boxes (6.5 px a character) meet.
    for (let seed = 1; seed < 40; seed++) {
      const hs = Array.from({ length: 30 }, (_, i) => ((i * 7919 * seed) % 997) / 10).sort((a, b) => a - b);
      const ls = momentLabels(at(hs), { pxPerMs: seed / 3_600_000 });
      for (let i = 1; i < ls.length; i++) {
        const gap = (ls[i]!.date.getTime() - ls[i - 1]!.date.getTime()) * (seed / 3_600_000);
        expect(gap).toBeGreaterThanOrEqual(ls[i - 1]!.n.length * 6.5);
      }
      expect(ls.flatMap((l) => l.label.split('\n')).length).toBe(30);
    }
  });
});
