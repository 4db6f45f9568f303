// Words and search terms (src/lib/search-words.ts): expectations written out by hand from the definitions.
import { describe, expect, it } from 'vitest';
import { matchRanges, parseSearch, wordsOf } from '../../../src/lib/search-words.ts';

describe('wordsOf', () => {
  it('cuts lower-cased text at anything but letters, marks and digits', () => {
    expect(wordsOf('KV_cache-2b, KV cache!')).toEqual(['kv', 'cache', '2b']);
    expect(wordsOf('Naïve Straße — 東京 Ελληνικά')).toEqual(['naïve', 'straße', '東京', 'ελληνικά']);
    // A decomposed accent (e + U+0301) stays inside its word.
    expect(wordsOf('Cafe\u0301 ok')).toEqual(['cafe\u0301', 'ok']);
    expect(wordsOf('50% of 100%_ok')).toEqual(['50', 'of', '100', 'ok']);
    expect(wordsOf('😀emoji🚀x')).toEqual(['emoji', 'x']);
    expect(wordsOf('')).toEqual([]);
    expect(wordsOf(' ,.;\'"%_ ')).toEqual([]);
  });
});

describe('parseSearch', () => {
  it('makes pieces of letters and digits word terms, lower-cased, without duplicates', () => {
    expect(parseSearch('  Speculative  DECODING speculative ')).toEqual([
      { kind: 'word', text: 'speculative' },
      { kind: 'word', text: 'decoding' },
    ]);
    expect(parseSearch('ÜNÏCODE')).toEqual([{ kind: 'word', text: 'ünïcode' }]);
  });

  it('keeps pieces with punctuation and quoted phrases as typed', () => {
    expect(parseSearch('kv_cache')).toEqual([{ kind: 'text', text: 'kv_cache' }]);
    expect(parseSearch('100%_ok')).toEqual([{ kind: 'text', text: '100%_ok' }]);
    expect(parseSearch('%')).toEqual([{ kind: 'text', text: '%' }]);
    expect(parseSearch('-2b')).toEqual([{ kind: 'text', text: '-2b' }]);
    expect(parseSearch('"Fused Kernels" alpha')).toEqual([
      { kind: 'text', text: 'fused kernels' },
      { kind: 'word', text: 'alpha' },
    ]);
    // An unmatched quote is a plain character; an empty phrase is nothing.
    expect(parseSearch(`it's "`)).toEqual([
      { kind: 'text', text: "it's" },
      { kind: 'text', text: '"' },
    ]);
    expect(parseSearch('""   ')).toEqual([]);
    expect(parseSearch(null)).toEqual([]);
  });
});

describe('lowerText', () => {
  it('lower-cases one character at a time, as DuckDB lower() does', () => {
    expect(wordsOf('İSTANBUL ΟΔΟΣ Σ')).toEqual(['istanbul', 'οδοσ', 'σ']);
    expect(parseSearch('İstanbul')).toEqual([{ kind: 'word', text: 'istanbul' }]);
  });
});

describe('matchRanges', () => {
  const marked = (text: string, q: string) => {
    let out = '';
    let at = 0;
    for (const [i, j] of matchRanges(text, parseSearch(q))) {
      out += `${text.slice(at, i)}[${text.slice(i, j)}]`;
      at = j;
    }
    return out + text.slice(at);
  };
  it('marks word terms at word starts only and text terms anywhere, merged where they overlap', () => {
    expect(marked('Spec: inspect the SPECulative spec', 'spec')).toBe('[Spec]: inspect the [SPEC]ulative [spec]');
    expect(marked('a KV_cache, kv cache', 'kv_cache')).toBe('a [KV_cache], kv cache');
    expect(marked('a KV_cache, kv cache', 'kv cache')).toBe('a [KV]_[cache], [kv] [cache]');
    expect(marked('🚀rocket xrocket', 'rocket')).toBe('🚀[rocket] xrocket');
    expect(marked('fused-k2 fusedk', '"fused-k" fused')).toBe('[fused-k]2 [fused]k');
    expect(marked('nothing here', '')).toBe('nothing here');
  });
});
