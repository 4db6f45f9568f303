// Display text from src/lib/format.ts: headline figures, scores, ratios, sizes.
import { describe, expect, it } from 'vitest';
import { bytesText, figureText, ratioText, scoreText, signed } from '../../../src/lib/format.ts';

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
