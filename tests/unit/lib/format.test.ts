// Display text from src/lib/format.ts: headline figures, scores, ratios, sizes.
import { describe, expect, it } from 'vitest';
import { bytesText, dayMonthText, dayText, durationText, figureText, plural, ratioText, relativeText, scoreDecimals, scoreText, scoreWithUnit, signed, timeText, wasWere } from '../../../src/lib/format.ts';

describe('format', () => {
  it('shows headline figures by kind, – for none', () => {
    expect(figureText(1312, 'count')).toBe('1,312');
    expect(figureText(492.2249, 'score')).toBe('492.22');
    expect(figureText(4.87, 'ratio')).toBe('4.9×');
    expect(figureText(null, 'score')).toBe('–');
    expect(scoreText(1234.567)).toBe('1,234.57');
    expect(ratioText(2)).toBe('2.0×');
    expect(signed(2.468, scoreText)).toBe('+2.47');
  });

  it('shows sizes in B, kB and MB', () => {
    expect(bytesText(812)).toBe('812 B');
    expect(bytesText(14_540)).toBe('14.2 kB');
    expect(bytesText(3_250_000)).toBe('3.1 MB');
    expect(bytesText(undefined)).toBe('');
  });
});

describe('format: times, durations, plurals, precision from noise', () => {
  it('writes UTC times readably with the zone, whatever the input form', () => {
    expect(timeText('2026-06-16T15:16:42.123Z')).toBe('16 Jun 2026, 15:16 UTC');
    expect(timeText('2026-06-16 15:16')).toBe('16 Jun 2026, 15:16 UTC');
    expect(timeText('2026-06-16T23:30:00-02:00')).toBe('17 Jun 2026, 01:30 UTC');
    expect(timeText(null)).toBe('');
    expect(timeText('not a time')).toBe('not a time');
    expect(dayText(new Date(Date.UTC(2026, 0, 5)))).toBe('5 Jan 2026');
    expect(dayMonthText('2026-06-08T23:59:59Z')).toBe('8 Jun');
    expect(dayMonthText(null)).toBe('');
  });

  it('writes durations in their two largest units and times relative to an injected now', () => {
    expect(durationText(450)).toBe('450 ms');
    expect(durationText(45_000)).toBe('45 s');
    expect(durationText(12 * 60_000)).toBe('12 min');
    expect(durationText((3 * 60 + 5) * 60_000)).toBe('3 h 5 min');
    expect(durationText(26 * 3_600_000)).toBe('1 day 2 h');
    expect(durationText(-1)).toBe('');
    const now = new Date('2026-06-20T12:00:00Z');
    expect(relativeText('2026-06-17T12:00:00Z', now)).toBe('3 days ago');
    expect(relativeText('2026-06-20T14:00:00Z', now)).toBe('in 2 h');
  });

  it('agrees nouns and verbs with counts', () => {
    expect(plural(1, 'input')).toBe('1 input');
    expect(plural(1_200, 'chain')).toBe('1,200 chains');
    expect(`${plural(1, 'submission')} ${wasWere(1)} split`).toBe('1 submission was split');
    expect(`${plural(2, 'submission')} ${wasWere(2)} split`).toBe('2 submissions were split');
  });

  it('gives scores the decimals the noise supports', () => {
    // The digits follow σ's first significant digit plus one: computed here from log10 independently.
    for (const sigma of [0.004, 0.05, 0.3, 1.24, 9.9, 42, 310]) {
      const first = Math.floor(Math.log10(sigma));
      expect(scoreDecimals(sigma)).toBe(Math.min(4, Math.max(0, 1 - first)));
    }
    expect(scoreText(513.7657307585987, 1.24)).toBe('513.8');
    expect(scoreText(486.6, 1.24)).toBe('486.6');
    expect(scoreText(54.2, 0.05)).toBe('54.200');
    expect(scoreText(157.132, null)).toBe('157.13');
    expect(scoreWithUnit(513.7657307585987, 'tok/s', 1.24)).toBe('513.8 tok/s');
    expect(scoreWithUnit(null, 'tok/s', 1.24)).toBe('');
  });
});
