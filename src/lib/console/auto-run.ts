// Whether a query opened from a link (or restored by back/forward) may run without the reader pressing Run.
//
// Rules, checked in order; the first that matches decides, and its reason is shown next to the Run prompt:
// 1. Empty text: nothing to run.
// 2. Longer than MAX_CHARS: a long query is shown first so the reader can read it.
// 3. More than one statement (a `;` followed by more SQL): shown first.
// 4. It calls a function that makes rows or reads outside the tables (range, generate_series, read_*,
//    glob, …), says WITH RECURSIVE, or has a CROSS JOIN: these can run for any length of time (or are refused).
// 5. The published tables it names (each mention counts, so a self-join counts twice) hold more than
//    MAX_ROWS rows in total, or more than MAX_BYTES of Parquet to download, or, within one branch of a
//    UNION / INTERSECT / EXCEPT, a product of row counts above MAX_PRODUCT (a join without a condition
//    could build that many rows; branches of a union add up instead of multiplying).
// Otherwise the query is cheap: it runs at once (it can still be stopped with Cancel).
// The table names are found by a word scan, not a parser: a column that shares a table's name counts as a
// mention, which can only make the verdict more careful.

import { bytesText } from '../format.ts';

export const MAX_CHARS = 4000;
export const MAX_ROWS = 250_000;
export const MAX_PRODUCT = 50_000_000;
export const MAX_BYTES = 25 * 1024 * 1024;

export interface TableSize {
  readonly rows: number;
  readonly bytes?: number;
}

export interface AutoRunVerdict {
  readonly run: boolean;
  /** Plain words for the prompt: why it waits, or what it will read. */
  readonly reason: string;
}

const RISKY_CALL =
  /\b(range|generate_series|read_\w+|glob|sniff_csv|parquet_\w+|iceberg_\w+|delta_scan|query_table|sql_auto_complete|repeat_row)\s*\(/i;

/** Removes string literals, quoted identifiers' quotes and comments, so words inside them are not read as SQL. */
export function stripLiterals(sql: string): string {
  return sql
    .replace(/--[^\n]*/g, ' ')
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .replace(/'(?:[^']|'')*'/g, "''")
    .replace(/"((?:[^"]|"")*)"/g, (_m, id: string) => id.replaceAll('""', '"'));
}

/** How many times each published table is named as a relation (`name.` column prefixes are not counted). */
export function tableMentions(sql: string, tables: Readonly<Record<string, TableSize>>): Map<string, number> {
  const counts = new Map<string, number>();
  const text = stripLiterals(sql).toLowerCase();
  for (const m of text.matchAll(/(?<![\w.$])([a-z_][a-z0-9_]*)(?![\w$])(?!\s*\.)/g)) {
    const name = m[1]!;
    if (Object.hasOwn(tables, name)) counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return counts;
}

const fmt = (n: number) => n.toLocaleString('en-US');

export function autoRunVerdict(sql: string, tables: Readonly<Record<string, TableSize>>): AutoRunVerdict {
  const text = stripLiterals(sql).trim();
  if (text === '' || /^;*$/.test(text)) return { run: false, reason: 'The query is empty.' };
  if (sql.length > MAX_CHARS) return { run: false, reason: `It is a long query (${fmt(sql.length)} characters): read it first.` };
  if (/;\s*\S/.test(text)) return { run: false, reason: 'It has more than one statement.' };
  const call = RISKY_CALL.exec(text);
  if (call) return { run: false, reason: `It calls ${call[1]!.toLowerCase()}(), which can run for a long time or reach outside the tables.` };
  if (/\bwith\s+recursive\b/i.test(text)) return { run: false, reason: 'It is a recursive query.' };
  if (/\bcross\s+join\b/i.test(text)) return { run: false, reason: 'It has a CROSS JOIN.' };
  const mentions = tableMentions(sql, tables);
  let rows = 0;
  let bytes = 0;
  for (const [name, times] of mentions) {
    rows += tables[name]!.rows * times;
    bytes += tables[name]!.bytes ?? 0;
  }
  const names = [...mentions.keys()];
  const what = names.length ? `${names.join(', ')} (${fmt(rows)} rows)` : 'no published table';
  if (rows > MAX_ROWS) return { run: false, reason: `It reads ${what}.` };
  if (bytes > MAX_BYTES) return { run: false, reason: `It downloads ${bytesText(bytes)} of tables.` };
  for (const branch of text.split(/\b(?:union|intersect|except)\b(?:\s+(?:all|distinct))?/i)) {
    let relations = 0;
    let product = 1;
    for (const [name, times] of tableMentions(branch, tables)) {
      relations += times;
      product *= Math.max(1, tables[name]!.rows) ** times;
    }
    if (relations > 1 && product > MAX_PRODUCT) {
      return { run: false, reason: `It joins ${what}; without a join condition that could be ${product.toExponential(1)} rows.` };
    }
  }
  return { run: true, reason: `Small query: reads ${what}.` };
}
