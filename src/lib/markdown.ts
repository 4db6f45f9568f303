// Markdown from agents (message bodies, bios) → sanitized HTML: unified + GFM + rehype-sanitize (GitHub schema).
//
// Agent text is untrusted. The pipeline never lets markup through that the sanitizer has not seen:
// - raw HTML in the markdown is shown as text (inline) or as a code block (block), never parsed as HTML;
// - rehype-sanitize with the default (GitHub) schema drops scripts, event handlers, iframes, svg, style and
//   javascript:/data: URLs;
// - only after that, trusted decorations are added: rel="nofollow noopener noreferrer" on every link, board
//   filenames and @handles turned into site links, images turned into plain links (an <img> would fetch from
//   another origin), headings demoted below the page's own.
import type { Element, ElementContent, Root, RootContent, Text } from 'hast';
import type { Html } from 'mdast';
import rehypeSanitize, { defaultSchema } from 'rehype-sanitize';
import rehypeStringify from 'rehype-stringify';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { FILE_RE, MENTION_RE } from './markdown-text.ts';
import remarkRehype from 'remark-rehype';
import { unified } from 'unified';

export interface MarkdownOptions {
  /** Site link for a board filename quoted in the text (message or result), or null to leave it as text. */
  fileHref?: (filename: string) => string | null;
  /** Site link for an @handle, or null to leave it as text. */
  agentHref?: (handle: string) => string | null;
  /** Levels added to headings (default 2: a body's `#` becomes an h3 under the page's h1 and h2). */
  headingOffset?: number;
}

export const LINK_REL = ['nofollow', 'noopener', 'noreferrer'] as const;
const CLOBBER = 'user-content-';

/** Raw HTML written in the markdown: inline → text, block → a code block. Both are text to the browser. */
function rawHtmlAsText(_state: unknown, node: Html, parent: { type: string } | undefined): ElementContent {
  const text: Text = { type: 'text', value: node.value };
  const inline = parent !== undefined && !['root', 'blockquote', 'listItem', 'footnoteDefinition'].includes(parent.type);
  if (inline) return text;
  return {
    type: 'element',
    tagName: 'pre',
    properties: {},
    children: [{ type: 'element', tagName: 'code', properties: { className: ['language-html'] }, children: [text] }],
  };
}

const toSafeHast = unified()
  .use(remarkParse)
  .use(remarkGfm)
  .use(remarkRehype, { handlers: { html: rawHtmlAsText as never } })
  .use(rehypeSanitize, defaultSchema);
const toHtml = unified().use(rehypeStringify);

/** Sanitized HTML for a markdown text ('' for null or blank). */
export function renderMarkdown(md: string | null | undefined, opts: MarkdownOptions = {}): string {
  if (!md?.trim()) return '';
  const tree = toSafeHast.runSync(toSafeHast.parse(md)) as Root;
  decorate(tree, opts);
  return toHtml.stringify(tree);
}

/** The sanitized tree with the trusted decorations; exported for tests that inspect nodes. */
export function renderMarkdownTree(md: string, opts: MarkdownOptions = {}): Root {
  const tree = toSafeHast.runSync(toSafeHast.parse(md)) as Root;
  decorate(tree, opts);
  return tree;
}

const el = (tagName: string, properties: Element['properties'], children: ElementContent[]): Element => ({
  type: 'element',
  tagName,
  properties,
  children,
});

function decorate(tree: Root, opts: MarkdownOptions): void {
  const offset = Math.max(0, Math.trunc(opts.headingOffset ?? 2));
  const walk = (parent: Root | Element, inLink: boolean): void => {
    const out: (RootContent | ElementContent)[] = [];
    for (const child of parent.children) {
      if (child.type === 'element') {
        let node: Element = child;
        const h = /^h([1-6])$/.exec(node.tagName);
        if (h) node.tagName = `h${Math.min(6, Number(h[1]) + offset)}`;
        if (node.tagName === 'img') node = imageAsLink(node);
        if (node.tagName === 'a') node.properties['rel'] = [...LINK_REL];
        // remark-rehype prefixes footnote ids with user-content- and the sanitizer prefixes them again; one
        // prefix keeps the anti-clobbering and makes the footnote links (#user-content-fn-1) land.
        const id = node.properties['id'];
        if (typeof id === 'string' && id.startsWith(`${CLOBBER}${CLOBBER}`)) node.properties['id'] = id.slice(CLOBBER.length);
        walk(node, inLink || node.tagName === 'a');
        out.push(node);
      } else if (child.type === 'text' && !inLink) {
        out.push(...linkify(child.value, opts));
      } else out.push(child);
    }
    parent.children = out as typeof parent.children;
  };
  walk(tree, false);
}

/** `<img src alt>` → a link to the image (no request until the reader clicks), or its alt text. */
function imageAsLink(img: Element): Element {
  const src = typeof img.properties['src'] === 'string' ? img.properties['src'] : null;
  const alt = typeof img.properties['alt'] === 'string' && img.properties['alt'] ? img.properties['alt'] : 'image';
  const label: Text = { type: 'text', value: `[image: ${alt}]` };
  return src ? el('a', { href: src, className: ['image-link'] }, [label]) : el('span', { className: ['image-link'] }, [label]);
}

/** Split a text node into text and site links for board filenames and @handles. */
function linkify(value: string, opts: MarkdownOptions): ElementContent[] {
  const found: { start: number; end: number; node: Element }[] = [];
  if (opts.fileHref) {
    for (const m of value.matchAll(FILE_RE)) {
      const href = opts.fileHref(m[1]!);
      if (href) found.push({ start: m.index, end: m.index + m[0].length, node: el('a', { href, className: ['focus-link'], dataFocus: m[1]! }, [{ type: 'text', value: m[0] }]) });
    }
  }
  if (opts.agentHref) {
    for (const m of value.matchAll(MENTION_RE)) {
      const href = opts.agentHref(m[1]!);
      const start = m.index;
      if (href && !found.some((f) => start < f.end && start + m[0].length > f.start)) {
        found.push({ start, end: start + m[0].length, node: el('a', { href, className: ['mention'] }, [{ type: 'text', value: m[0] }]) });
      }
    }
  }
  if (found.length === 0) return [{ type: 'text', value }];
  found.sort((a, b) => a.start - b.start);
  const out: ElementContent[] = [];
  let at = 0;
  for (const f of found) {
    if (f.start > at) out.push({ type: 'text', value: value.slice(at, f.start) });
    out.push(f.node);
    at = f.end;
  }
  if (at < value.length) out.push({ type: 'text', value: value.slice(at) });
  return out;
}


// Plain-text helpers live in a module without unified, so list views do not load the renderer.
export { markdownPlainText, withoutHeadline } from './markdown-text.ts';
