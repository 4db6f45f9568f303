// Render pieces shared by views: agent and focus links, times, state badges, data tables, sanitized markdown.
// Every one builds in the view's document (linkedom at build time, the page in the browser) from text, never markup.
import { minuteText } from '../format.ts';
import { agentUrl, focusHref } from '../links.ts';
import { el, type ViewCtx } from './view.ts';

type Cell = Node | string;

/** A handle linked to its page (or the agents panel); 'unknown author' for none. */
export const agentLink = (ctx: ViewCtx, agent: string | null): Cell =>
  agent ? el(ctx.doc, 'a', { href: agentUrl(ctx.base, agent, ctx.unpaged) }, agent) : 'unknown author';

/** A message or result opened in the board's focus view (data-focus: the board keeps the click on the page). */
export const focusLink = (ctx: ViewCtx, filename: string, text: string | Node[], cls = 'headline'): HTMLElement =>
  el(ctx.doc, 'a', { class: cls, href: focusHref(ctx.base, filename), 'data-focus': filename }, ...(typeof text === 'string' ? [text] : text));

/** A <time> to the minute (UTC). */
export const timeEl = (doc: Document, ts: string | null): HTMLElement => el(doc, 'time', { datetime: ts }, minuteText(ts));

/** A result's state, or a message's kind, as a badge. */
export const badge = (doc: Document, part: string, kind: string | null, state: string | null): HTMLElement =>
  part === 'results' ? el(doc, 'span', { class: `state state-${state ?? 'pending'}` }, state ?? 'result') : el(doc, 'span', { class: 'kind' }, kind ?? 'other');

/** A data table: `{ num: label }` headers and their cells are numeric (right-aligned); `empty` replaces a table of no rows. */
export function dataTable(doc: Document, label: string, head: (string | { num: string })[], rows: Cell[][], empty?: string): HTMLElement {
  if (rows.length === 0 && empty !== undefined) return el(doc, 'p', { class: 'muted' }, empty);
  const numeric = head.map((t) => typeof t !== 'string');
  const th = head.map((t) => el(doc, 'th', { scope: 'col', class: typeof t === 'string' ? null : 'num' }, typeof t === 'string' ? t : t.num));
  const body = rows.map((r) => el(doc, 'tr', {}, ...r.map((c, i) => el(doc, 'td', { class: numeric[i] ? 'num' : null }, c))));
  return el(doc, 'div', { class: 'table-wrap' }, el(doc, 'table', { class: 'data', 'aria-label': label }, el(doc, 'thead', {}, el(doc, 'tr', {}, ...th)), el(doc, 'tbody', {}, ...body)));
}

/** Nodes joined by ', '. */
export const commaList = (nodes: Cell[]): Cell[] => nodes.flatMap((n, i) => (i ? [', ', n] : [n]));

/**
 * Sanitized markup → a `div.md` of nodes. The string must come from renderMarkdown (rehype-sanitize, GitHub schema,
 * before it stringifies); a <template> parses it inertly (no script runs, nothing loads) before it joins the page.
 */
export function markdownBlock(doc: Document, sanitized: string, cls = 'md'): HTMLElement {
  const t = doc.createElement('template');
  t.innerHTML = sanitized;
  return el(doc, 'div', { class: cls }, t.content);
}
