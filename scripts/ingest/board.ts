// Board records (messages and results) from files and API listings, before they become rows.
import { parseBoardFilename, parseMinuteStamp, type BoardName } from './names.ts';
import { BOARD_FIELDS, parseFrontmatter, validateFrontmatter } from './frontmatter.ts';
import { LIMITS } from './limits.ts';
import { isObj, str, type Rejects } from './source.ts';

export interface BoardRecord {
  /**
   * The record's key: its bare file name on the board, in results/ and in API listings; its export path for a
   * channel message (channels/<name>/<file>) or a broadcast (broadcasts/<file>), where a bare name is not unique.
   */
  filename: string;
  name: BoardName;
  data: Record<string, unknown>;
  body: string;
  sourcePart: 'message_board' | 'results' | 'inbox' | 'api' | 'channels' | 'broadcasts';
  sourceFile: string;
  /** For API result items: the verification state the listing carried. */
  apiVerification: string | null;
  /** The frontmatter `timestamp` as ISO UTC (parsed here, once per file, so a cached record carries it). */
  tsFrontmatter: string | null;
}

/** Parse a board file (message or result). Returns null and records a reject when it cannot be used. */
export function parseBoardFile(
  rel: string,
  text: string,
  sourcePart: BoardRecord['sourcePart'],
  part: string,
  rejects: Rejects,
): BoardRecord | null {
  const filename = rel.slice(rel.lastIndexOf('/') + 1);
  const name = parseBoardFilename(filename);
  if (typeof name === 'string') {
    rejects.add(rel, part, 'list', 'unparseable filename stamp', name);
    return null;
  }
  const fm = parseFrontmatter(text);
  if (typeof fm === 'string') {
    rejects.add(rel, part, 'parse', 'bad YAML frontmatter', fm);
    return null;
  }
  const invalid = validateFrontmatter(fm.data, fm.body, BOARD_FIELDS);
  if (invalid) {
    rejects.add(rel, part, 'validate', invalid, null);
    return null;
  }
  return { filename, name, data: fm.data, body: fm.body, sourcePart, sourceFile: rel, apiVerification: null, tsFrontmatter: parseMinuteStamp(fm.data['timestamp']) };
}

export type ListingKind = 'messages' | 'results' | 'agents';

/** Kind of a saved API listing: file-name prefix first, else the item shape. */
export function listingKind(file: string, items: unknown[]): ListingKind | null {
  const base = file.slice(file.lastIndexOf('/') + 1).toLowerCase();
  for (const k of ['messages', 'results', 'agents'] as const) if (base.startsWith(k)) return k;
  const first = items.find(isObj);
  if (!first) return null;
  if ('agent_id' in first && !('filename' in first)) return 'agents';
  if ('verification' in first) return 'results';
  if ('filename' in first) return 'messages';
  return null;
}

/** Board records from an expanded listing item `{filename, frontmatter, body, verification?}`. */
export function recordFromApiItem(
  rel: string,
  index: number,
  item: unknown,
  rejects: Rejects,
): BoardRecord | null {
  const where = `${rel}#items[${index}]`;
  if (typeof item === 'string') return null; // an index-only listing: names without content
  if (!isObj(item)) {
    rejects.add(where, 'api', 'validate', 'listing item is not an object', null);
    return null;
  }
  const filename = str(item['filename']);
  if (!filename) {
    rejects.add(where, 'api', 'validate', 'missing required field filename', null);
    return null;
  }
  const name = parseBoardFilename(filename.slice(filename.lastIndexOf('/') + 1));
  if (typeof name === 'string') {
    rejects.add(where, 'api', 'validate', 'unparseable filename stamp', name);
    return null;
  }
  const fmv = item['frontmatter'];
  let data: Record<string, unknown> = {};
  let body = str(item['body']) ?? '';
  if (isObj(fmv)) data = fmv;
  else if (typeof item['content'] === 'string') {
    const fm = parseFrontmatter(item['content']);
    if (typeof fm === 'string') {
      rejects.add(where, 'api', 'parse', 'bad YAML frontmatter', fm);
      return null;
    }
    data = fm.data;
    body = fm.body;
  }
  const invalid =
    body.length > LIMITS.textBytes ? `body is longer than ${LIMITS.textBytes.toLocaleString('en')} characters` : validateFrontmatter(data, body, BOARD_FIELDS);
  if (invalid) {
    rejects.add(where, 'api', 'validate', invalid, null);
    return null;
  }
  return {
    filename: filename.slice(filename.lastIndexOf('/') + 1),
    name,
    data,
    body,
    sourcePart: 'api',
    sourceFile: where,
    apiVerification: str(item['verification']),
    tsFrontmatter: parseMinuteStamp(data['timestamp']),
  };
}
