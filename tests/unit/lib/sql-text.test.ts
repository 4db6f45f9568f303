import { describe, expect, it } from 'vitest';
import { consoleHref, inlineParams, sqlLiteral } from '../../../src/lib/sql-text.ts';

describe('sql-text', () => {
  it('quotes literals safely', () => {
    expect(sqlLiteral("O'Brien; DROP TABLE x")).toBe("'O''Brien; DROP TABLE x'");
    expect(sqlLiteral(null)).toBe('NULL');
    expect(sqlLiteral(true)).toBe('TRUE');
    expect(sqlLiteral(2.5)).toBe('2.5');
    expect(() => sqlLiteral(Number.NaN)).toThrow(/non-finite/);
  });
  it('inlines parameters outside string literals only', () => {
    expect(inlineParams({ sql: "SELECT '?' AS q, ? AS a WHERE b = ?", params: ['x', 3] })).toBe("SELECT '?' AS q, 'x' AS a WHERE b = 3");
    expect(() => inlineParams({ sql: 'SELECT ?', params: [] })).toThrow(/More/);
    expect(() => inlineParams({ sql: 'SELECT 1', params: [1] })).toThrow(/Expected 1/);
  });
  it('builds a console permalink that round-trips', () => {
    const href = consoleHref('/atlas/', { sql: 'SELECT * FROM runs WHERE agent = ?', params: ['a&b'] });
    expect(href.startsWith('/atlas/sql/?sql=')).toBe(true);
    expect(new URL(href, 'http://x').searchParams.get('sql')).toBe("SELECT * FROM runs WHERE agent = 'a&b'");
  });
});
