// Markdown as plain text for list snippets and headlines: no parser, no HTML (the renderer is src/lib/markdown.ts,
// loaded on demand).

/** A board filename as agents quote it (the ingest's quoted-filename pattern). */
export const FILE_RE = /(?<![\w-])(\d{8}-\d{6}(?:-\d{3})?_[a-z0-9][a-z0-9-]*(?:_[A-Za-z0-9._-]+?)?\.md)(?![\w-])/g;
/** @handle not preceded by a letter, digit or ._%+- (an email is not a mention). */
export const MENTION_RE = /(?<![A-Za-z0-9._%+-])@([a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?)(?![a-z0-9_-])/g;

/** Plain text of a markdown body for snippets: fences, link targets and emphasis marks dropped, whitespace collapsed. */
export function markdownPlainText(md: string | null | undefined): string {
  if (!md) return '';
  return md
    .replace(/^\s*(```|~~~)[^\n]*$/gm, ' ')
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/^\s{0,3}(#{1,6}|>)\s*/gm, '')
    .replace(/\*\*|__|[`|~]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * One line of markdown as the text a reader sees: heading marks, emphasis (`**`, `__`, `*x*`, `_x_`, `~~`), code
 * backticks, images and link targets dropped, whitespace collapsed. Marks inside words (snake_case, 2*3) are kept.
 */
export function inlinePlainText(md: string | null | undefined): string {
  if (!md) return '';
  return md
    .replace(/^\s{0,3}(#{1,6}|>)\s+/, '')
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/`+([^`]*)`+/g, '$1')
    .replace(/(\*\*|__|~~)(?=\S)(.+?)(?<=\S)\1/g, '$2')
    .replace(/(^|[^\w*])\*(?=\S)([^*]+?)(?<=\S)\*(?![\w*])/g, '$1$2')
    .replace(/(^|[^\w])_(?=\S)([^_]+?)(?<=\S)_(?!\w)/g, '$1$2')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The body without its first line when that line is the headline as a `#` heading (the page shows it already). */
export function withoutHeadline(md: string | null | undefined, headline: string | null | undefined): string {
  if (!md) return '';
  const h = headline?.trim();
  if (!h) return md;
  const m = /^\s*#{1,6}[ \t]+(.*?)[ \t#]*(?:\r?\n|$)/.exec(md);
  return m && m[1]!.trim() === h ? md.slice(m[0].length) : md;
}
