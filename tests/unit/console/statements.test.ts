import { describe, expect, it } from 'vitest';
import { isBlank, splitStatements } from '../../../src/lib/console/statements.ts';

describe('splitStatements', () => {
  it('splits at top-level semicolons and keeps offsets', () => {
    const sql = 'SELECT 1;\nSELECT 2 ;  SELECT 3';
    const st = splitStatements(sql);
    expect(st.map((s) => s.text)).toEqual(['SELECT 1', '\nSELECT 2 ', '  SELECT 3']);
    for (const s of st) expect(sql.slice(s.start, s.start + s.text.length)).toBe(s.text);
  });

  it('does not split inside strings, identifiers, comments or dollar quotes', () => {
    const sql = `SELECT ';' AS a, 'it''s; fine' AS b, "we;ird" FROM t -- c;omment\n/* block; */ WHERE x = $$a;b$$ AND y = $tag$;$tag$; SELECT 2`;
    const st = splitStatements(sql);
    expect(st).toHaveLength(2);
    expect(st[1]!.text).toBe(' SELECT 2');
  });

  it('drops empty and comment-only statements, handles unterminated text', () => {
    expect(splitStatements(';;  ; -- only a comment\n')).toEqual([]);
    expect(splitStatements('SELECT 1; -- trailing')).toEqual([{ text: 'SELECT 1', start: 0 }]);
    expect(splitStatements("SELECT 'unterminated; x")).toHaveLength(1);
    expect(isBlank(' /* x */ -- y\n ')).toBe(true);
    expect(splitStatements('SELECT price$1; SELECT 2').map((s) => s.text)).toEqual(['SELECT price$1', ' SELECT 2']);
  });
});
