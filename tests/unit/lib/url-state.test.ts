import { describe, expect, it } from 'vitest';
import { readState, stateSearch } from '../../../src/lib/ui/url-state.ts';

const defaults = { agent: null as string | null, best: false, day: null as string | null };

describe('url state', () => {
  it('reads typed values and keeps defaults for missing keys', () => {
    expect(readState(defaults, '?agent=swift-otter&best=1&extra=x')).toEqual({ agent: 'swift-otter', best: true, day: null });
    expect(readState(defaults, '')).toEqual(defaults);
  });
  it('writes only non-default values and round-trips unicode and reserved characters', () => {
    const s = { agent: 'a&b=ü', best: true, day: null };
    const search = stateSearch(s, defaults);
    expect(search).toBe('?agent=a%26b%3D%C3%BC&best=1');
    expect(readState(defaults, search)).toEqual(s);
    expect(stateSearch(defaults, defaults)).toBe('');
  });
});
