// Render pieces shared by views: agent and focus links, times, state badges, data tables, sanitized markdown.
// Every one builds in the view's document (linkedom at build time, the page in the browser) from text, never markup.
import { timeText } from '../format.ts';
import { agentUrl, focusHref } from '../links.ts';
import type { MarkdownOptions } from '../markdown.ts';
import { el, type ViewCtx } from './view.ts';

type Cell = Node | string;

/** A handle linked to its page (or the agents panel); 'unknown author' for none. */
export const agentLink = (ctx: ViewCtx, agent: string | null): Cell =>
  agent ? el(ctx.doc, 'a', { href: agentUrl(ctx.base, agent, ctx.unpaged) }, agent) : 'unknown author';

/** A message or result opened in the board's focus view (data-focus: the board keeps the click on the page). */
export const focusLink = (ctx: ViewCtx, filename: string, text: string | Node[], cls = 'headline'): HTMLElement =>
  el(ctx.doc, 'a', { class: cls, href: focusHref(ctx.base, filename), 'data-focus': filename }, ...(typeof text === 'string' ? [text] : text));

/** A <time> to the minute, readable with its zone (`16 Jun 2026, 15:16 UTC`). */
export const timeEl = (doc: Document, ts: string | null): HTMLElement => el(doc, 'time', { datetime: ts }, timeText(ts));

/** A result's state, or a message's kind, as a badge. */
export const badge = (doc: Document, part: string, kind: string | null, state: string | null): HTMLElement =>
  part === 'results' ? el(doc, 'span', { class: `state state-${state ?? 'pending'}` }, state ?? 'result') : el(doc, 'span', { class: 'kind' }, kind ?? 'other');

/** A column heading: text, `{ num }` numeric (right-aligned) or `{ when }` a time (kept on one line). */
export type Head = string | { num: string } | { when: string };

/** A data table of cells under `head`; `empty` replaces a table of no rows. */
export function dataTable(doc: Document, label: string, head: Head[], rows: Cell[][], empty?: string): HTMLElement {
  if (rows.length === 0 && empty !== undefined) return el(doc, 'p', { class: 'muted' }, empty);
  const cls = head.map((t) => (typeof t === 'string' ? null : 'num' in t ? 'num' : 'when'));
  const th = head.map((t, i) => el(doc, 'th', { scope: 'col', class: cls[i] === 'num' ? 'num' : null }, typeof t === 'string' ? t : 'num' in t ? t.num : t.when));
  const body = rows.map((r) => el(doc, 'tr', {}, ...r.map((c, i) => el(doc, 'td', { class: cls[i] }, c))));
  // tabindex: a table wider than the screen scrolls inside its wrap, and keyboard readers must be able to scroll it.
  const table = el(doc, 'table', { class: 'data', 'aria-label': label }, el(doc, 'thead', {}, el(doc, 'tr', {}, ...th)), el(doc, 'tbody', {}, ...body));
  return el(doc, 'div', { class: 'table-wrap', role: 'region', 'aria-label': label, tabindex: 0 }, table);
}

/**
 * Each body cell of the data tables in `root` labelled with its column's heading (`data-label`), so a table can be
 * read as stacked cards on a phone (atlas.css, under 40rem). Run on every view's render, at build time (ssr.ts) and
 * in the browser (view-element.ts), whichever renderer drew the table. Column spans are followed; a cell that
 * already has a label keeps it.
 */
export function labelTableCells(root: Element): void {
  const tables = root.matches('table.data') ? [root] : [...root.querySelectorAll('table.data')];
  for (const table of tables) {
    const heads: string[] = [];
    for (const th of table.querySelectorAll('thead tr:last-child th')) {
      const span = Number(th.getAttribute('colspan') ?? 1) || 1;
      for (let i = 0; i < span; i++) heads.push((th.textContent ?? '').replace(/\s+/g, ' ').replace(/[▲▼↑↓]/g, '').trim());
    }
    if (heads.length === 0) continue;
    for (const tr of table.querySelectorAll('tbody tr')) {
      let col = 0;
      for (const cell of tr.children) {
        const label = heads[col];
        if (label && !cell.hasAttribute('data-label')) cell.setAttribute('data-label', label);
        col += Number(cell.getAttribute('colspan') ?? 1) || 1;
      }
    }
  }
}

/** Nodes joined by ', '. */
export const commaList = (nodes: Cell[]): Cell[] => nodes.flatMap((n, i) => (i ? [', ', n] : [n]));

/** The markdown renderer and what exists to link to: passed in by the caller, so the renderer (unified, ~180 kB) loads
 * only where a body is shown. */
export interface MarkdownKit {
  render: (md: string | null | undefined, opts: MarkdownOptions) => string;
  /** Message and result filenames a body may link to. */
  files: ReadonlySet<string>;
  /** Handles a body may link to. */
  agents: ReadonlySet<string>;
}

/** An agent's text as sanitized markdown in a `div.md`, linking only filenames and handles the site can show. */
export function markdownBody(ctx: ViewCtx, kit: MarkdownKit, text: string | null, cls = 'md'): HTMLElement {
  const html = kit.render(text, {
    fileHref: (f) => (kit.files.has(f) ? focusHref(ctx.base, f) : null),
    agentHref: (a) => (kit.agents.has(a) ? agentUrl(ctx.base, a, ctx.unpaged) : null),
  });
  return markdownBlock(ctx.doc, html, cls);
}

/**
 * Sanitized markup → a `div.md` of nodes. The string must come from renderMarkdown (rehype-sanitize, GitHub schema,
 * before it stringifies); a <template> parses it inertly (no script runs, nothing loads) before it joins the page.
 */
function markdownBlock(doc: Document, sanitized: string, cls = 'md'): HTMLElement {
  const t = doc.createElement('template');
  t.innerHTML = sanitized;
  return el(doc, 'div', { class: cls }, t.content);
}
