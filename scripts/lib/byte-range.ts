// HTTP byte ranges for the static server: `Range: bytes=a-b`, `a-` and `-n` (one range; several are answered whole).
// Native DuckDB (httpfs) and other Parquet readers fetch a file's footer and the row groups a query needs this way.

/** The inclusive byte span a Range header asks for, 'unsatisfiable' (416), or null to send the whole file. */
export function parseByteRange(header: string | undefined, size: number): { start: number; end: number } | 'unsatisfiable' | null {
  if (!header) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return null; // several ranges or another unit: the whole file is a valid answer
  if (m[1] === '') {
    const n = Number(m[2]);
    if (n === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - n), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (start >= size || end < start) return 'unsatisfiable';
  return { start, end };
}
