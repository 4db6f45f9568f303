// The board's feed view rendered as at build time (linkedom): plain headlines, refs as quoted replies that link to
// what they answer, long bodies behind "see more", and links only for mentions and filenames the data knows.
import { describe, expect, it } from 'vitest';
import { serverDocument } from '../../../src/lib/charts/ssr.ts';
import { DEFAULT_CONFIG } from '../../../src/lib/config.ts';
import { timeText } from '../../../src/lib/format.ts';
import { agentHref, focusHref } from '../../../src/lib/links.ts';
import { collapseBlocks, markdownBlocks } from '../../../src/lib/markdown-blocks.ts';
import type { FeedLinkRow } from '../../../src/lib/queries/board-feed.sql.ts';
import { boardFeedCount, boardFeedView, type BoardFeedRow } from '../../../src/lib/views/board-feed.ts';
import type { ViewCtx } from '../../../src/lib/views/view.ts';

const ctx = (): ViewCtx => ({ doc: serverDocument(), base: '/b/', config: DEFAULT_CONFIG, unpaged: null });
const F = { order: 'new' as const, limit: 10 };
const parent = '20260610-100000-000_old-owl.md';
const quoted = '20260610-090000-000_old-owl.md';
const link = (x: Partial<FeedLinkRow>): FeedLinkRow => ({
  from_file: 'x', kind: 'ref', target: parent, to_file: parent, to_part: 'messages', agent: 'old-owl', ts: '2026-06-10T10:00:00.000Z',
  headline: 'Plan', score: null, method: null, body_start: '# Plan\n\nWe try **int4** first, then `fp8`.', ...x,
});
const long = Array.from({ length: 9 }, (_, i) => `Paragraph ${i} ${'words '.repeat(20)}`).join('\n\n');
const row = (x: Partial<BoardFeedRow>): BoardFeedRow => ({
  filename: '20260611-100000-000_new-newt.md', ts: '2026-06-11T10:00:00.000Z', agent: 'new-newt', kind: 'plan',
  headline: '**VERIFIED VALID** for `r.md`', body_md: `Thanks @old-owl and @ghost, see ${quoted} and 20990101-000000-000_nobody.md.`,
  mentions: ['old-owl'], total: 2, links: [], ...x,
});

describe('board feed view', () => {
  it('shows headlines as plain text and links only known mentions and resolved filenames', () => {
    const m = row({ links: [link({ kind: 'quoted-filename', target: quoted, to_file: quoted })] });
    const out = boardFeedView.render([m], ctx(), F);
    expect(out.querySelector('.headline')?.textContent).toBe('VERIFIED VALID for r.md');
    expect([...out.querySelectorAll('.post-body a.mention')].map((a) => a.getAttribute('href'))).toEqual([agentHref('/b/', 'old-owl')]);
    expect([...out.querySelectorAll('.post-body a.focus-link')].map((a) => a.getAttribute('href'))).toEqual([focusHref('/b/', quoted)]);
    expect(out.querySelector('.post-body')?.textContent).toContain('@ghost');
    expect(out.querySelector('blockquote.reply-quote')).toBeNull();
  });

  it('renders each ref as a quoted reply with author, time, first lines and a link to it', () => {
    const out = boardFeedView.render([row({ links: [link({})] })], ctx(), F);
    const q = out.querySelector('blockquote.reply-quote')!;
    expect(q.querySelector('a.quote-link')?.getAttribute('href')).toBe(focusHref('/b/', parent));
    expect(q.querySelector('a.quote-link')?.getAttribute('data-focus')).toBe(parent);
    expect(q.querySelector('.quote-meta a')?.textContent).toBe('old-owl');
    expect(q.querySelector('time')?.textContent).toBe(timeText('2026-06-10T10:00:00.000Z'));
    expect(q.querySelector('.quote-text')?.textContent).toBe('We try int4 first, then fp8.');
  });

  it('says when a ref is not in the export', () => {
    const out = boardFeedView.render([row({ links: [link({ to_file: null, target: 'gone.md' })] })], ctx(), F);
    expect(out.querySelector('blockquote.reply-quote.missing')?.textContent).toBe('Replying to gone.md (not in the export)');
  });

  it('puts the rest of a long body behind see more, and nothing of a short one', () => {
    const out = boardFeedView.render([row({ body_md: long, mentions: [] }), row({ body_md: 'short' })], ctx(), F);
    const [first, second] = [...out.querySelectorAll('li.post-item')];
    const { shown, rest } = collapseBlocks(markdownBlocks(long));
    expect(rest.length).toBeGreaterThan(0);
    const details = first!.querySelector('details.see-more')!;
    expect(details.querySelectorAll(':scope > p')).toHaveLength(rest.length);
    expect(first!.querySelectorAll('.post-body > p')).toHaveLength(shown.length);
    expect(details.querySelector('summary')?.textContent).toBe('See moreSee less');
    expect(second!.querySelector('details')).toBeNull();
  });

  it('counts and offers more when the page is not the whole feed', () => {
    const out = boardFeedView.render([row({})], ctx(), F);
    expect(out.querySelector('button[data-more]')).not.toBeNull();
    expect(boardFeedCount([row({})], F)).toBe('2 messages, newest first');
    expect(boardFeedCount([row({ total: 1 })], { ...F, order: 'old', q: 'x' })).toBe('1 message matches, oldest first');
  });
});
