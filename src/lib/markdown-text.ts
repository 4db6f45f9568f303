// Markdown as plain text for list snippets: no parser, no HTML (the renderer is src/lib/markdown.ts, loaded on demand).

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

/** The body without its first line when that line is the headline as a `#` heading (the page shows it already). */
export function withoutHeadline(md: string | null | undefined, headline: string | null | undefined): string {
  if (!md) return '';
  const h = headline?.trim();
  if (!h) return md;
  const m = /^\s*#{1,6}[ \t]+(.*?)[ \t#]*(?:\r?\n|$)/.exec(md);
  return m && m[1]!.trim() === h ? md.slice(m[0].length) : md;
}
