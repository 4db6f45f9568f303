// Console permalinks: the query lives in the URL, `?sql=<plain>` when short, `?z=<lz-string>` when long.
//
// Other pages link with `?sql=` (consoleHref in src/lib/sql-text.ts), so both forms are read. When
// writing, a query whose plain encoding is longer than PLAIN_LIMIT characters is compressed with
// lz-string's compressToEncodedURIComponent (URL-safe, so it needs no further escaping); a short query
// stays readable in the address bar. `?z=` wins when a URL carries both.
import * as lzModule from 'lz-string';

// lz-string is CommonJS: Node's ESM loader (build-time pages) exposes it only as `default`, bundlers as names.
const lz = (lzModule as unknown as { default?: typeof lzModule }).default ?? lzModule;
const { compressToEncodedURIComponent, decompressFromEncodedURIComponent } = lz;

/** Above this many characters of `encodeURIComponent(sql)` the link is compressed. */
export const PLAIN_LIMIT = 400;

/** Where a query in a URL came from: the plain or the compressed parameter. */
export type QueryParam = 'sql' | 'z';

export interface LinkedQuery {
  readonly sql: string;
  readonly param: QueryParam;
}

/** The query a console URL carries, or null when there is none (or `z` does not decompress). */
export function queryFromSearch(search: string): LinkedQuery | null {
  const q = new URLSearchParams(search);
  const z = q.get('z');
  if (z) {
    const sql = decodeCompressed(z);
    if (sql !== null) return { sql, param: 'z' };
  }
  const plain = q.get('sql');
  return plain === null ? null : { sql: plain, param: 'sql' };
}

/** lz-string returns '' or null for input that is not its own output; treat both as "no query". */
export function decodeCompressed(z: string): string | null {
  try {
    const sql = decompressFromEncodedURIComponent(z);
    return typeof sql === 'string' && sql.length > 0 ? sql : null;
  } catch {
    return null;
  }
}

/** The query string for a query, `?sql=` or `?z=`; other parameters of `keep` (e.g. a view tab) are kept. */
export function searchForQuery(sql: string, keep: string = ''): string {
  const q = new URLSearchParams(keep);
  q.delete('sql');
  q.delete('z');
  let z: string | null = null;
  if (sql.trim() !== '') {
    const plain = encodeURIComponent(sql);
    const packed = plain.length > PLAIN_LIMIT ? compressToEncodedURIComponent(sql) : null;
    // Very short or incompressible text can come out longer; then plain is the better link.
    if (packed !== null && packed.length < plain.length) z = packed;
    else q.set('sql', sql);
  }
  // lz-string's URI alphabet is A-Z a-z 0-9 + - $, all safe in a query string; its decoder reads a '+'
  // that URLSearchParams turned into a space back as '+', so the value goes in unescaped (shorter links).
  const parts = [q.toString(), z === null ? '' : `z=${z}`].filter((p) => p !== '');
  return parts.length ? `?${parts.join('&')}` : '';
}

/** Absolute-path link to the console (`<base>sql/?…`) with this query. */
export function consoleUrl(base: string, sql: string): string {
  return `${base.replace(/\/?$/, '/')}sql/${searchForQuery(sql)}`;
}
