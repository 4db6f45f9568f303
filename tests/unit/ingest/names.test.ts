import { describe, expect, it } from 'vitest';
import { parseBoardFilename, parseCompactStamp, parseIsoUtc, parseMinuteStamp, parseUnixSeconds } from '../../../scripts/ingest/names.ts';

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
