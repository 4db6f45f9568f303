// The board as a feed: messages in time order, each with its refs as quoted replies, @-mentions and quoted filenames
// linked, and a long body cut at a block boundary behind a native "see more" (<details>: works without JavaScript).
// One render for the build-time first screen and for the browser's filtered, ordered, extended feed.
import { itemHeadline } from '../board-format.ts';
import { num, plural } from '../format.ts';
import { agentUrl } from '../links.ts';
import { collapseBlocks, firstLines, linkSegments, markdownBlocks, type Block } from '../markdown-blocks.ts';
import { inlinePlainText, withoutHeadline } from '../markdown-text.ts';
import { boardFeed, boardFeedLinks, type FeedFilters, type FeedLinkRow, type FeedRow } from '../queries/board-feed.sql.ts';
import { hasFilters } from '../queries/board.sql.ts';
import { agentLink, badge, focusLink, timeEl } from './parts.ts';
import { el, type View, type ViewCtx } from './view.ts';

export interface BoardFeedFilters extends FeedFilters {
  /** Messages drawn; "Show more" raises it. */
  limit: number;
}
export type BoardFeedRow = FeedRow & { links: FeedLinkRow[] };

/** The status line over the feed. */
export function boardFeedCount(rows: readonly { total: number }[], f: BoardFeedFilters): string {
  const total = rows[0]?.total ?? 0;
  const order = f.order === 'old' ? 'oldest first' : 'newest first';
  return hasFilters(f) ? `${plural(total, 'message')} match${total === 1 ? 'es' : ''}, ${order}` : `${plural(total, 'message')}, ${order}`;
}

/** Text with @-mentions (the ingest's list) and quoted filenames (that resolve) as links. */
function linkedText(ctx: ViewCtx, text: string, mentions: ReadonlySet<string>, files: ReadonlySet<string>): (Node | string)[] {
  return linkSegments(text).map((s) => {
    if (typeof s === 'string') return s;
    if ('agent' in s) return mentions.has(s.agent) ? el(ctx.doc, 'a', { class: 'mention', href: agentUrl(ctx.base, s.agent, ctx.unpaged) }, s.text) : s.text;
    return files.has(s.file) ? focusLink(ctx, s.file, s.text, 'focus-link') : s.text;
  });
}

/** Blocks as elements; consecutive list items share one <ul>. */
function blockNodes(ctx: ViewCtx, blocks: readonly Block[], link: (t: string) => (Node | string)[]): HTMLElement[] {
  const { doc } = ctx;
  const out: HTMLElement[] = [];
  for (const b of blocks) {
    if (b.kind === 'item') {
      const last = out.at(-1);
      const ul = last?.tagName === 'UL' ? last : el(doc, 'ul');
      ul.append(el(doc, 'li', {}, ...link(b.text)));
      if (ul !== last) out.push(ul);
    } else if (b.kind === 'pre') out.push(el(doc, 'pre', {}, b.text));
    else if (b.kind === 'quote') out.push(el(doc, 'blockquote', {}, el(doc, 'p', {}, ...link(b.text))));
    else out.push(el(doc, 'p', { class: b.kind === 'heading' ? 'sub' : null }, ...link(b.text)));
  }
  return out;
}

/** A ref as a quoted reply: who, when and the first lines of what it answers, linking to it. */
function quoteOf(ctx: ViewCtx, l: FeedLinkRow): HTMLElement {
  const { doc, config } = ctx;
  if (!l.to_file) {
    return el(doc, 'blockquote', { class: 'reply-quote missing' }, el(doc, 'p', { class: 'quote-meta' }, 'Replying to ', el(doc, 'code', {}, l.target), ' (not in the export)'));
  }
  const result = l.to_part === 'results';
  const title = inlinePlainText(itemHeadline({ part: l.to_part, headline: l.headline, score: l.score, method: l.method, filename: l.to_file }, config));
  const lines = result ? title : firstLines(withoutHeadline(l.body_start, l.headline)) || title;
  return el(
    doc,
    'blockquote',
    { class: 'reply-quote' },
    el(doc, 'p', { class: 'quote-meta' }, result ? 'On the result by ' : 'Replying to ', agentLink(ctx, l.agent), ' · ', timeEl(doc, l.ts), ' · ', focusLink(ctx, l.to_file, result ? 'open the result' : 'open the message', 'quote-link')),
    el(doc, 'p', { class: 'quote-text' }, lines),
  );
}

function post(ctx: ViewCtx, m: BoardFeedRow): HTMLElement {
  const { doc } = ctx;
  const headline = inlinePlainText(m.headline) || m.filename;
  let blocks = markdownBlocks(withoutHeadline(m.body_md, m.headline));
  if (blocks[0]?.text === headline) blocks = blocks.slice(1);
  const { shown, rest } = collapseBlocks(blocks);
  const mentions = new Set(m.mentions ?? []);
  const files = new Set(m.links.flatMap((l) => (l.to_file ? [l.to_file] : [])));
  const link = (t: string) => linkedText(ctx, t, mentions, files);
  const body = el(doc, 'div', { class: 'post-body' }, ...blockNodes(ctx, shown, link));
  if (rest.length) body.append(el(doc, 'details', { class: 'see-more' }, el(doc, 'summary', {}, el(doc, 'span', { class: 'when-closed' }, 'See more'), el(doc, 'span', { class: 'when-open' }, 'See less')), ...blockNodes(ctx, rest, link)));
  return el(
    doc,
    'li',
    { class: 'item post-item' },
    el(doc, 'p', { class: 'item-head' }, focusLink(ctx, m.filename, headline), badge(doc, 'messages', m.kind, null)),
    el(doc, 'p', { class: 'meta' }, agentLink(ctx, m.agent), ' · ', timeEl(doc, m.ts)),
    ...m.links.filter((l) => l.kind === 'ref').map((l) => quoteOf(ctx, l)),
    shown.length ? body : null,
  );
}

export const boardFeedView: View<BoardFeedFilters, BoardFeedRow> = {
  name: 'board-feed',
  query: (f) => boardFeed(f, { limit: f.limit }),
  async load(f, _config, run) {
    const [rows, links] = await Promise.all([run<FeedRow>(boardFeed(f, { limit: f.limit })), run<FeedLinkRow>(boardFeedLinks(f, { limit: f.limit }))]);
    return rows.map((r) => ({ ...r, links: links.filter((l) => l.from_file === r.filename) }));
  },
  render(rows, ctx, f) {
    const { doc } = ctx;
    const items = rows.map((m) => post(ctx, m));
    if (items.length === 0) items.push(el(doc, 'li', { class: 'item muted' }, hasFilters(f) ? 'No message matches these filters.' : 'No messages.'));
    const total = rows[0]?.total ?? 0;
    const more = el(doc, 'p', { class: 'more' }, el(doc, 'button', { type: 'button', 'data-more': true }, 'Show more'), ' ', el(doc, 'span', { class: 'muted' }, `Showing ${num(rows.length)} of ${num(total)}.`));
    return el(doc, 'div', {}, el(doc, 'ol', { class: 'items feed', 'data-feed': true }, ...items), rows.length < total ? more : null);
  },
};
