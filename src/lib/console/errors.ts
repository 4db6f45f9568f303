// DuckDB error messages in plain words, with the position in the query they point at.
//
// DuckDB appends the offending line and a caret to parser, binder and catalog errors:
//   Parser Error: syntax error at or near "FORM"
//
//   LINE 2: SELECT * FORM runs
//                    ^
// The caret counts display columns from the start of "LINE n: ", and a long line is shown as a window
// with "..." at the cut ends; so the column is found by locating the shown text inside line n of the query.
// Some errors (parser errors from DuckDB-WASM's worker) arrive as JSON instead:
//   {"exception_type":"Parser","exception_message":"syntax error at or near ...","position":"14"}
// where position counts code points (DuckDB-WASM 1.32's parser errors; its own caret then treats it as a byte
// offset and lands too early after non-ASCII text). When the message names the token ("at or near "x""),
// the reading (code points or bytes) that lands on that token is used; the position wins over the caret.

export interface ErrorPosition {
  /** 1-based line in the query. */
  readonly line: number;
  /** 1-based column (in UTF-16 code units, as the editor counts). */
  readonly column: number;
  /** 0-based offset of that column in the query text. */
  readonly offset: number;
}

export interface ExplainedError {
  /** A short title, e.g. "Syntax error" or "Not allowed here". */
  readonly title: string;
  /** What went wrong, in plain words. */
  readonly plain: string;
  /** DuckDB's own message without the LINE/caret lines. */
  readonly detail: string;
  /** DuckDB's whole message as text (JSON-shaped errors turned into "<Type> Error: <message>"). */
  readonly message: string;
  readonly position: ErrorPosition | null;
}

/** A DuckDB error as text, plus the exact offset (UTF-16, into `sql`) when the error carried one. */
export function normalizeError(raw: string, sql: string): { message: string; offset: number | null } {
  const text = raw.replace(/^Error: /, '');
  if (text.startsWith('{')) {
    try {
      const j = JSON.parse(text) as Record<string, unknown>;
      if (typeof j['exception_message'] === 'string') {
        const type = typeof j['exception_type'] === 'string' ? j['exception_type'] : '';
        const pos = Number(j['position']);
        const message = `${type ? `${type} Error: ` : ''}${j['exception_message']}`;
        if (!(Number.isInteger(pos) && pos >= 0 && j['position'] !== null && j['position'] !== '')) return { message, offset: null };
        const readings = [codePointOffset(sql, pos), utf16Offset(sql, pos)];
        const token = /at or near "([^"]*)"/.exec(message)?.[1];
        const fits = token ? readings.find((o) => sql.slice(o, o + token.length).toLowerCase() === token.toLowerCase()) : undefined;
        return { message, offset: fits ?? readings[0]! };
      }
    } catch {
      // Not JSON after all: fall through to the text form.
    }
  }
  return { message: text, offset: null };
}

/** The UTF-16 index of a UTF-8 byte offset into `s` (clamped to the text). */
export function utf16Offset(s: string, bytes: number): number {
  let b = 0;
  let i = 0;
  while (i < s.length && b < bytes) {
    const cp = s.codePointAt(i)!;
    b += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    i += cp > 0xffff ? 2 : 1;
  }
  return i;
}

/** The UTF-16 index of the `n`th code point of `s` (clamped to the text). */
export function codePointOffset(s: string, n: number): number {
  let i = 0;
  for (let k = 0; k < n && i < s.length; k++) i += s.codePointAt(i)! > 0xffff ? 2 : 1;
  return i;
}

/** Line and column (1-based) of an offset. */
export function positionAt(sql: string, offset: number): ErrorPosition {
  const o = Math.max(0, Math.min(offset, sql.length));
  const before = sql.slice(0, o);
  const line = before.split('\n').length;
  return { line, column: o - (before.lastIndexOf('\n') + 1) + 1, offset: o };
}

/** Display width of a code point as a terminal (and DuckDB's renderer) counts it: 2 for wide East Asian and emoji, 0 for combining marks. */
export function charWidth(cp: number): number {
  if (cp === 0) return 0;
  if ((cp >= 0x300 && cp <= 0x36f) || (cp >= 0x200b && cp <= 0x200f) || cp === 0xfe0f) return 0;
  if (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf && cp !== 0x303f) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1faff) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  ) {
    return 2;
  }
  return 1;
}

/** The query position a DuckDB message points at, or null when it carries no LINE/caret. */
export function errorPosition(message: string, sql: string): ErrorPosition | null {
  const lines = message.split('\n');
  const at = lines.findIndex((l) => /^LINE \d+: /.test(l));
  if (at < 0) return null;
  const header = /^LINE (\d+): /.exec(lines[at]!)!;
  const lineNo = Number(header[1]);
  const shown = lines[at]!.slice(header[0].length);
  const caretLine = lines[at + 1] ?? '';
  const caret = caretLine.indexOf('^');
  const queryLines = sql.split('\n');
  if (lineNo < 1 || lineNo > queryLines.length) return null;
  const lineText = queryLines[lineNo - 1]!.replace(/\r$/, '');
  const lineStart = queryLines.slice(0, lineNo - 1).reduce((n, l) => n + l.length + 1, 0);
  let col = 0;
  if (caret >= 0) {
    // Walk the shown text until its display width reaches the caret.
    const target = caret - header[0].length;
    let width = 0;
    let idx = 0;
    for (const ch of shown) {
      if (width >= target) break;
      width += charWidth(ch.codePointAt(0)!);
      idx += ch.length;
    }
    const cutStart = shown.startsWith('...') && !lineText.startsWith('...');
    const core = shown.slice(cutStart ? 3 : 0).replace(/\.\.\.$/, (m) => (lineText.endsWith('...') ? m : ''));
    // The whole shown text is the best anchor (a prefix alone can repeat, e.g. a run of one letter).
    let found = core.length > 0 ? lineText.indexOf(core) : 0;
    if (found < 0) found = lineText.indexOf(core.slice(0, 40));
    col = Math.max(0, (Math.max(found , 0)) + idx - (cutStart ? 3 : 0));
  }
  col = Math.min(col, lineText.length);
  return { line: lineNo, column: col + 1, offset: lineStart + col };
}

/** DuckDB's message without the position lines (kept for the "DuckDB said" details). */
export function errorDetail(message: string): string {
  const cut = message.search(/\n+LINE \d+: /);
  return (cut < 0 ? message : message.slice(0, cut)).trim();
}

const TYPE_PREFIX = /^([A-Z][A-Za-z ]*?) Error: /;

/** Title and plain words for a DuckDB error (or any Error thrown while running a query). */
export function explainError(raw: string, sql: string, tables: readonly string[] = []): ExplainedError {
  const { message, offset } = normalizeError(raw, sql);
  const detail = errorDetail(message);
  const position = offset !== null ? positionAt(sql, offset) : errorPosition(message, sql);
  const first = detail.split('\n')[0]!.replace(TYPE_PREFIX, '');
  const listTables = tables.length ? ` The tables are: ${tables.join(', ')}.` : '';
  const hint = (/^Did you mean .*$/m.exec(detail) ?? [''])[0];
  const say = (title: string, plain: string): ExplainedError => ({ title, plain, detail, message, position });
  let m: RegExpExecArray | null;

  if (/disabled (by|through) configuration|Permission Error/i.test(detail)) {
    return say(
      'Not allowed here',
      "This console reads only the site's published tables. Reading files or URLs, loading extensions, attaching databases and writing files are switched off in this browser database." +
        listTables,
    );
  }
  if ((m = /with name "?([\w.]+)"? is not in the catalog, but it exists in the (\w+) extension/.exec(detail))) {
    return say(
      'Not allowed here',
      `${m[1]}() comes from DuckDB's ${m[2]} extension, which this console does not load: it reads only the site's published tables, not files or URLs.` +
        listTables,
    );
  }
  if (/configuration has been locked|lock_configuration|Cannot change .* locked/i.test(detail)) {
    return say('Settings are locked', 'The settings of this browser database are locked: it stays limited to the published tables.');
  }
  if (/INTERRUPT|Interrupted|cancel/i.test(detail)) return say('Stopped', 'The query was stopped before it finished.');
  if ((m = /syntax error at or near "([^"]*)"/.exec(detail))) {
    return say('Syntax error', `DuckDB could not read the query near “${m[1]}”.`);
  }
  if (/syntax error at end of input/.test(detail)) {
    return say('Syntax error', `The query ends too early: something is missing at the end.`);
  }
  if ((m = /Table with name (.+?) does not exist/.exec(detail))) {
    const name = m[1]!;
    if (/[/\\]|\.(csv|parquet|json|tsv|txt|arrow|db|duckdb)$/i.test(name)) {
      return say(
        'Not a table',
        `“${name}” looks like a file. The console reads tables, not files: write FROM <table> with a name from the table list.${listTables}`,
      );
    }
    return say('Unknown table', `There is no table named “${name}”. ${hint}${listTables}`.replace(/\s+$/, ''));
  }
  if ((m = /(Scalar|Table|Aggregate) Function with name (\S+) does not exist/.exec(detail))) {
    return say('Unknown function', `DuckDB has no ${m[1]!.toLowerCase()} function named “${m[2]}”. ${hint}`.trim());
  }
  if ((m = /Referenced column "([^"]+)" not found/.exec(detail))) {
    const cand = /Candidate bindings: (.*)/.exec(detail)?.[1];
    return say('Unknown column', `No column named “${m[1]}” in the tables this query reads.${cand ? ` Close matches: ${cand}.` : ''}`);
  }
  if ((m = /Referenced table "([^"]+)" not found/.exec(detail))) {
    return say('Unknown table alias', `The query refers to “${m[1]}”, which is not a table or alias in its FROM clause.`);
  }
  if (/must appear in the GROUP BY clause|must be part of an aggregate/.test(detail)) {
    return say('Grouping error', `A selected column is neither grouped nor aggregated: add it to GROUP BY or wrap it in an aggregate such as any_value().`);
  }
  if (/^Conversion Error/.test(detail)) return say('Conversion error', `A value could not be converted: ${first}`);
  if (/Out of Memory/i.test(detail)) {
    return say('Out of memory', 'The browser database ran out of memory. Aggregate, filter or add a LIMIT, or download whole tables and use DuckDB on your machine.');
  }
  if (/INTERVAL results are not supported/.test(detail)) return say('Unsupported type', first);
  const kind = TYPE_PREFIX.exec(detail)?.[1];
  return say(kind ? `${kind} error` : 'Error', first);
}
