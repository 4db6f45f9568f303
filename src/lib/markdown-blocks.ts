// A markdown body as a few plain blocks for the board's feed: paragraphs, list items, quotes, headings and code, each
// as text (no parser, no HTML: the full renderer in markdown.ts loads only in the focus view), cut for "see more".
import { FILE_RE, inlinePlainText, MENTION_RE } from './markdown-text.ts';

export interface Block {
  kind: 'p' | 'item' | 'quote' | 'heading' | 'pre';
  /** Plain text ('pre': the lines as written). */
  text: string;
}

const FENCE = /^\s{0,3}(```|~~~)/;
const ITEM = /^\s*(?:[-*+]|\d{1,3}[.)])\s+/;
const QUOTE = /^\s{0,3}>\s?/;
const HEADING = /^\s{0,3}#{1,6}\s+/;
const TABLE = /^\s*\|.*\|\s*$/;

/** The body as blocks: fenced code and tables kept verbatim, other lines as plain text. */
export function markdownBlocks(md: string | null | undefined): Block[] {
  const out: Block[] = [];
  const lines = (md ?? '').replace(/\r\n?/g, '\n').split('\n');
  let para: string[] = [];
  const flush = (): void => {
    const text = inlinePlainText(para.join(' '));
    if (text) out.push({ kind: 'p', text });
    para = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (FENCE.test(line) || TABLE.test(line)) {
      flush();
      const fenced = FENCE.test(line);
      const code: string[] = fenced ? [] : [line];
      for (i++; i < lines.length && (fenced ? !FENCE.test(lines[i]!) : TABLE.test(lines[i]!)); i++) code.push(lines[i]!);
      if (!fenced) i--;
      if (code.some((l) => l.trim())) out.push({ kind: 'pre', text: code.join('\n') });
    } else if (!line.trim() || /^\s{0,3}([-*_])(\s*\1){2,}\s*$/.test(line)) flush();
    else if (HEADING.test(line) || ITEM.test(line) || QUOTE.test(line)) {
      flush();
      const kind = HEADING.test(line) ? 'heading' : ITEM.test(line) ? 'item' : 'quote';
      const text = inlinePlainText(line.replace(kind === 'heading' ? HEADING : kind === 'item' ? ITEM : QUOTE, ''));
      if (text) out.push({ kind, text });
    } else para.push(line);
  }
  flush();
  return out;
}

/** Where a long body is cut: about this many characters shown, at a block boundary, unless little would be left. */
export const COLLAPSE = { chars: 300, blocks: 4, slack: 100 } as const;

const weight = (b: Block): number => b.text.length + 40;

/**
 * The blocks shown first and the rest behind "see more": at most `blocks` blocks and about `chars` characters (the
 * first block always), cut at a block boundary; nothing is hidden when what would be hidden is within `slack`.
 */
export function collapseBlocks(blocks: readonly Block[], limit: { chars: number; blocks: number; slack: number } = COLLAPSE): { shown: Block[]; rest: Block[] } {
  let n = 0;
  let used = 0;
  while (n < blocks.length && n < limit.blocks && (n === 0 || used + weight(blocks[n]!) <= limit.chars)) used += weight(blocks[n++]!);
  // A list is not split by the fold: the cut moves back to where the list starts (when something stays shown).
  let start = n;
  while (start > 0 && blocks[start]?.kind === 'item' && blocks[start - 1]!.kind === 'item') start--;
  if (start > 0 && blocks[n]?.kind === 'item') n = start;
  const rest = blocks.slice(n);
  if (rest.reduce((w, b) => w + weight(b), 0) <= limit.slack) return { shown: [...blocks], rest: [] };
  return { shown: blocks.slice(0, n), rest };
}

/** A piece of text: plain, an @handle, or a board filename. */
export type Segment = string | { agent: string; text: string } | { file: string; text: string };

/** Text cut into plain runs, @-mentions and quoted filenames (the same patterns as the ingest and the renderer). */
export function linkSegments(text: string): Segment[] {
  const found: { start: number; end: number; seg: Segment }[] = [];
  for (const m of text.matchAll(FILE_RE)) found.push({ start: m.index, end: m.index + m[0].length, seg: { file: m[1]!, text: m[0] } });
  for (const m of text.matchAll(MENTION_RE)) {
    const start = m.index;
    if (!found.some((f) => start < f.end && start + m[0].length > f.start)) found.push({ start, end: start + m[0].length, seg: { agent: m[1]!, text: m[0] } });
  }
  found.sort((a, b) => a.start - b.start);
  const out: Segment[] = [];
  let at = 0;
  for (const f of found) {
    if (f.start > at) out.push(text.slice(at, f.start));
    out.push(f.seg);
    at = f.end;
  }
  if (at < text.length) out.push(text.slice(at));
  return out;
}

/** The first characters of a body as one line of plain text (a quoted reply's first lines), cut at a word. */
export function firstLines(md: string | null | undefined, max = 180): string {
  const text = markdownBlocks(md)
    .map((b) => (b.kind === 'pre' ? b.text.replace(/\s+/g, ' ') : b.text))
    .join(' ')
    .trim();
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).trimEnd()}…`;
}
