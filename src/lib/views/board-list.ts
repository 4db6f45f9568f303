// The board's list: the newest threads, or the messages matching a search and filters (search matches in <mark>).
// One render for the build-time first page of threads and for the browser's filtered, extended list.
import { itemHeadline, snippetAround } from '../board-format.ts';
import { num, plural } from '../format.ts';
import { inlinePlainText, markdownPlainText, withoutHeadline } from '../markdown-text.ts';
import { matchRanges, parseSearch } from '../search-words.ts';
import { boardMessages, boardThreads, hasFilters, type BoardFilters, type BoardMessageRow, type BoardThreadRow } from '../queries/board.sql.ts';
import { agentLink, badge, focusLink, timeEl } from './parts.ts';
import { el, type View, type ViewCtx } from './view.ts';

export interface BoardListFilters extends BoardFilters {
  /** Items drawn; "Show more" raises it. */
  limit: number;
}
export type BoardListRow = BoardThreadRow | BoardMessageRow;

/** The status line over the list: how many threads, or how many messages match. */
export function boardListCount(rows: readonly BoardListRow[], f: BoardFilters): string {
  const total = rows[0]?.total ?? 0;
  return hasFilters(f) ? `${plural(total, 'message')} match${total === 1 ? 'es' : ''}, newest first` : `${plural(total, 'thread')}, newest activity first`;
}

/** Text with the search matches wrapped in <mark> (text nodes: nothing is parsed). */
function highlight(doc: Document, text: string, q: string | null): Node[] {
  const out: Node[] = [];
  let at = 0;
  for (const [i, j] of matchRanges(text, parseSearch(q))) {
    if (i > at) out.push(doc.createTextNode(text.slice(at, i)));
    out.push(el(doc, 'mark', {}, text.slice(i, j)));
    at = j;
  }
  if (at < text.length || out.length === 0) out.push(doc.createTextNode(text.slice(at)));
  return out;
}

function threadItem(ctx: ViewCtx, t: BoardThreadRow): HTMLElement {
  const { doc, config } = ctx;
  const meta = el(doc, 'p', { class: 'meta' }, agentLink(ctx, t.agent), ' · ', timeEl(doc, t.ts), ` · ${plural(t.replies, 'reply', 'replies')}`);
  if (t.replies > 0 && t.last_ts) meta.append(' · last ', timeEl(doc, t.last_ts), t.last_agent ? ` by ${t.last_agent}` : '');
  const headline = itemHeadline({ part: t.root_part, headline: t.headline, score: t.score, method: t.method, filename: t.thread_id }, config);
  return el(
    doc,
    'li',
    { class: 'item' },
    el(doc, 'p', { class: 'item-head' }, focusLink(ctx, t.thread_id, headline), badge(doc, t.root_part, t.kind, t.state)),
    meta,
    t.excerpt ? el(doc, 'p', { class: 'excerpt' }, inlinePlainText(t.excerpt)) : null,
  );
}

function messageItem(ctx: ViewCtx, m: BoardMessageRow, q: string | null): HTMLElement {
  const { doc } = ctx;
  const s = snippetAround(markdownPlainText(withoutHeadline(m.body_md, m.headline)) || m.excerpt || '', q);
  const excerpt = el(doc, 'p', { class: 'excerpt' }, s.before, s.match ? el(doc, 'mark', {}, s.match) : null, s.match ? s.after : null);
  const meta = el(doc, 'p', { class: 'meta' }, agentLink(ctx, m.agent), ' · ', timeEl(doc, m.ts));
  const size = m.thread_size ?? 1;
  if (m.thread_id && m.thread_id !== m.filename) {
    meta.append(' · in ', focusLink(ctx, m.thread_id, inlinePlainText(m.root_headline) || m.thread_id, 'thread-link'), ` (${plural(size, 'post')})`);
  } else if (size > 1) meta.append(` · starts a thread of ${plural(size, 'post')}`);
  return el(
    doc,
    'li',
    { class: 'item' },
    el(doc, 'p', { class: 'item-head' }, focusLink(ctx, m.filename, highlight(doc, inlinePlainText(m.headline) || m.filename, q)), badge(doc, 'messages', m.kind, null)),
    meta,
    s.before || s.match ? excerpt : null,
  );
}

export const boardList: View<BoardListFilters, BoardListRow> = {
  name: 'board-list',
  query: (f) => (hasFilters(f) ? boardMessages(f, { limit: f.limit }) : boardThreads({ limit: f.limit })),
  render(rows, ctx, f) {
    const { doc } = ctx;
    const filtered = hasFilters(f);
    const items = filtered ? (rows as BoardMessageRow[]).map((m) => messageItem(ctx, m, f.q ?? null)) : (rows as BoardThreadRow[]).map((t) => threadItem(ctx, t));
    if (items.length === 0) items.push(el(doc, 'li', { class: 'item muted' }, filtered ? 'No message matches these filters.' : 'No threads.'));
    const total = rows[0]?.total ?? 0;
    const more = el(doc, 'p', { class: 'more' }, el(doc, 'button', { type: 'button', 'data-more': true }, 'Show more'), ' ', el(doc, 'span', { class: 'muted' }, `Showing ${num(rows.length)} of ${num(total)}.`));
    return el(doc, 'div', {}, el(doc, 'ol', { class: 'items', 'data-list': true }, ...items), rows.length < total ? more : null);
  },
};
