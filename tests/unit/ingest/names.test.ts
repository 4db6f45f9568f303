import { describe, expect, it } from 'vitest';
import { isValid, parse } from 'date-fns';
import { utc } from '@date-fns/utc';
import { parseBoardFilename, parseCompactStamp, parseIsoUtc, parseMinuteStamp, parseUnixSeconds, parseUtc } from '../../../scripts/ingest/names.ts';

describe('parseBoardFilename', () => {
  it('reads the millisecond form', () => {
    expect(parseBoardFilename('20260613-230441-229_cmpatino-verifier.md')).toEqual({
      ts: '2026-06-13T23:04:41.229Z',
      agent: 'cmpatino-verifier',
      form: 'ms',
      topic: null,
    });
  });
  it('reads the legacy form with a topic', () => {
    expect(parseBoardFilename('20260528-101500_agent-2_first-test.md')).toEqual({
      ts: '2026-05-28T10:15:00.000Z',
      agent: 'agent-2',
      form: 'legacy',
      topic: 'first-test',
    });
  });
  it.each([
    ['not-a-stamp_agent.md', /not <YYYYMMDD/],
    ['20261340-120000-000_bad-date.md', /not a real date/],
    ['20260610-120000-000_Upper.md', /agent id/],
    ['20260610-120000-000_-dash.md', /agent id/],
    ['20260610-120000-000_agent.txt', /not <YYYYMMDD/],
  ])('rejects %s with a reason', (name, re) => {
    const r = parseBoardFilename(name);
    expect(typeof r).toBe('string');
    expect(r).toMatch(re);
  });
});

describe('timestamp formats', () => {
  it('parses each documented format to UTC', () => {
    expect(parseMinuteStamp('2026-06-20 15:00 UTC')).toBe('2026-06-20T15:00:00.000Z');
    expect(parseIsoUtc('2026-06-22T02:09:30.686Z')).toBe('2026-06-22T02:09:30.686Z');
    expect(parseCompactStamp('20260622T112734Z')).toBe('2026-06-22T11:27:34.000Z');
    expect(parseUnixSeconds(1781000000.5)).toBe('2026-06-09T10:13:20.500Z');
  });
  it('returns null for junk, not a wrong date', () => {
    expect(parseMinuteStamp('yesterday')).toBeNull();
    expect(parseMinuteStamp(42)).toBeNull();
    expect(parseIsoUtc('2026-13-01T00:00:00Z')).toBeNull();
    expect(parseCompactStamp('2026')).toBeNull();
    expect(parseUnixSeconds(Number.NaN)).toBeNull();
  });
});

describe('parseUtc', () => {
  // The ingest's own reader of its date formats gives what date-fns parse gave (the reader it replaced), on the
  // export's forms and on near misses: short and long fields, out-of-range values, leap days, trailing text.
  const FORMATS = ['yyyyMMdd-HHmmss-SSS', 'yyyyMMdd-HHmmss', "yyyy-MM-dd HH:mm 'UTC'", 'yyyy-MM-dd HH:mm', "yyyyMMdd'T'HHmmss'Z'"];
  const reference = (text: string, format: string): string | null => {
    const d = parse(text, format, new Date(0), { in: utc });
    return isValid(d) ? d.toISOString() : null;
  };
  const samples = [
    '20260613-230441-229', '20260613-230441', '2026-06-13 23:04 UTC', '2026-06-13 23:04', '20260613T230441Z',
    '20240229-000000-000', '20230229-000000-000', '21000229-120000', '20000229-120000', '00000101-000000', '00010101-000000',
    '2026-6-1 1:2 UTC', '2026-06-13 23:04  ', '2026-06-13 23:04 UTC x', '2026-06-13 24:00', '2026-06-13 23:60', '2026-13-01 00:00',
    '2026-00-10 00:00', '2026-01-00 00:00', '2026-04-31 00:00', ' 2026-06-13 23:04', '2026-06-13 23:04\n', '２０２６-06-13 23:04',
    '20260613-230461', '20260613-2304-5', '20260613-230441-5', '20260613-230441-12345', '', '2026', '99999999-999999-999',
  ];
  it.each(FORMATS)('matches date-fns parse for %s', (format) => {
    for (const s of samples) expect([s, parseUtc(s, format)]).toEqual([s, reference(s, format)]);
    // Random strings over the formats' alphabet, and mutations of valid stamps.
    let seed = 1;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const alphabet = '0123456789012345678901234567890123456789- :TZUC\t';
    for (let i = 0; i < 3000; i++) {
      const base = samples[rand(5)]!;
      let s = '';
      if (rand(2) === 0) for (let j = rand(24); j > 0; j--) s += alphabet[rand(alphabet.length)];
      else {
        s = base;
        for (let j = rand(3) + 1; j > 0; j--) {
          const at = rand(s.length + 1);
          const op = rand(3);
          const c = alphabet[rand(alphabet.length)]!;
          s = op === 0 ? s.slice(0, at) + c + s.slice(at) : op === 1 ? s.slice(0, at) + s.slice(at + 1) : s.slice(0, at) + c + s.slice(at + 1);
        }
      }
      expect([s, parseUtc(s, format)]).toEqual([s, reference(s, format)]);
    }
  });
});
