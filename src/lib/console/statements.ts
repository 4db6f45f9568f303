// Splits console SQL into statements at top-level semicolons, keeping each statement's offset in the text.
//
// DuckDB-WASM can only stream (and so cancel) one statement at a time, so the console sends them one by one;
// the offsets map an error's LINE/caret in one statement back to the editor. Semicolons inside string
// literals, quoted identifiers, dollar-quoted strings and comments do not split.

export interface Statement {
  /** The statement text, from the end of the previous `;` up to (not including) its own `;`. */
  readonly text: string;
  /** Offset of `text` in the whole query. */
  readonly start: number;
}

/** True when the text holds only whitespace and comments. */
export function isBlank(text: string): boolean {
  return text.replace(/--[^\n]*/g, '').replace(/\/\*[\s\S]*?\*\//g, '').trim() === '';
}

export function splitStatements(sql: string): Statement[] {
  const out: Statement[] = [];
  let start = 0;
  let i = 0;
  const n = sql.length;
  const push = (end: number) => {
    const text = sql.slice(start, end);
    if (!isBlank(text)) out.push({ text, start });
  };
  while (i < n) {
    const ch = sql[i]!;
    const next = sql[i + 1];
    if (ch === '-' && next === '-') {
      const nl = sql.indexOf('\n', i);
      i = nl < 0 ? n : nl + 1;
    } else if (ch === '/' && next === '*') {
      const end = sql.indexOf('*/', i + 2);
      i = end < 0 ? n : end + 2;
    } else if (ch === "'" || ch === '"') {
      // '' and "" inside are escapes: skipping to the next quote twice has the same effect.
      const end = sql.indexOf(ch, i + 1);
      i = end < 0 ? n : end + 1;
    } else if (ch === '$') {
      const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(i, i + 64));
      if (tag && !/[A-Za-z0-9_]/.test(sql[i - 1] ?? '')) {
        const end = sql.indexOf(tag[0], i + tag[0].length);
        i = end < 0 ? n : end + tag[0].length;
      } else i++;
    } else if (ch === ';') {
      push(i);
      start = i + 1;
      i++;
    } else i++;
  }
  push(n);
  return out;
}
