// The board's focus view of one message or result: the post, its thread, what refers to it and what it refers to,
// the results and the runs it names. Five views (one query each, each with its own "view the SQL"), drawn in the
// browser only: the focused file is in the URL, which a static page does not see.
import { itemHeadline } from '../board-format.ts';
import type { CollabConfig } from '../config.ts';
import { minuteText, num, plural } from '../format.ts';
import { withoutHeadline } from '../markdown-text.ts';
import {
  focusItem,
  focusLinks,
  focusResults,
  focusRuns,
  focusThread,
  type FocusItemRow,
  type FocusLinkRow,
  type FocusResultRow,
  type FocusRunRow,
  type FocusThreadRow,
} from '../queries/board.sql.ts';
import { agentLink, badge, commaList, dataTable, focusLink, markdownBody, timeEl, type MarkdownKit } from './parts.ts';
import { el, type View, type ViewCtx } from './view.ts';

export interface FocusFilters {
  filename: string;
  /** Loaded with the first focus view, not with the list. */
  markdown: MarkdownKit | null;
}

/** Facts of the focused item: result metrics under the configuration's labels, message fields, links. */
function facts(ctx: ViewCtx, item: FocusItemRow): HTMLElement {
  const { doc, config: c } = ctx;
  const dl = el(doc, 'dl', { class: 'facts' });
  const add = (dt: string, ...dd: (Node | string)[]): void => {
    if (dd.length && dd.some((d) => d !== '')) dl.append(el(doc, 'dt', {}, dt), el(doc, 'dd', {}, ...dd));
  };
  const code = (t: string): HTMLElement => el(doc, 'code', {}, t);
  const file = (f: string): HTMLElement => focusLink(ctx, f, f, 'file');
  if (item.part === 'results') {
    add(`${c.score_label} (${c.unit})`, num(item.score));
    if (item.secondary !== null) add(c.secondary_label, num(item.secondary));
    add('method', code(item.method ?? ''));
    add('status', item.status ?? '');
    if (item.submission) add('submission', code(item.submission));
    if (item.job_ids?.length) add('job ids', ...commaList(item.job_ids.map(code)));
    if (item.credits?.length) add('credits', ...commaList(item.credits.map((a) => agentLink(ctx, a))));
  } else {
    add('type', item.type ?? '');
    add('via', item.via ?? '');
    if (item.verdict) add('verdict', item.verdict, ...(item.verdict_result ? [' on ', file(item.verdict_result)] : []));
    if (item.mentions?.length) add('mentions', ...commaList(item.mentions.map((a) => agentLink(ctx, a))));
    if (item.recipients?.length) add('inbox copies', item.recipients.join(', '));
  }
  if (item.refs?.length) add('refs', ...commaList(item.refs.map(file)));
  if (item.thread_id && item.thread_id !== item.filename) {
    add('thread', file(item.thread_id), ` (depth ${num(item.depth)}, ${plural(item.thread_size ?? 1, 'post')})`);
  }
  return dl;
}

export const focusItemView: View<FocusFilters, FocusItemRow> = {
  name: 'focus-item',
  query: (f) => focusItem(f.filename),
  render([item], ctx, f) {
    const { doc, config } = ctx;
    if (!item) return el(doc, 'p', { class: 'callout' }, `No message or result named “${f.filename}” in this export.`);
    return el(
      doc,
      'article',
      { class: 'post', 'aria-labelledby': 'focus-title' },
      el(doc, 'h2', { id: 'focus-title' }, itemHeadline(item, config)),
      el(doc, 'p', { class: 'meta' }, agentLink(ctx, item.agent), ' · ', timeEl(doc, item.ts), ' · ', badge(doc, item.part, item.kind, item.state), ' ', el(doc, 'code', {}, item.filename)),
      facts(ctx, item),
      item.part === 'results' && item.description ? el(doc, 'p', { class: 'description' }, item.description) : null,
      f.markdown && markdownBody(ctx, f.markdown, item.part === 'messages' ? withoutHeadline(item.body_md, item.headline) : item.body_md),
    );
  },
};

/** Heading and title of the focused item, for the status line ("Result <file>", "Not found"). */
export const focusCount = (item: FocusItemRow | undefined): string =>
  item ? `${item.part === 'results' ? 'Result' : 'Message'} ${item.filename}` : 'Not found';

export const focusThreadView: View<FocusFilters, FocusThreadRow> = {
  name: 'focus-thread',
  query: (f) => focusThread(f.filename),
  render(thread, ctx) {
    const { doc, config } = ctx;
    const item = (t: FocusThreadRow): HTMLElement =>
      el(
        doc,
        'li',
        { 'data-depth': t.depth >= 8 ? '8+' : String(t.depth), 'aria-current': t.is_focus ? 'true' : null },
        t.is_focus ? el(doc, 'strong', {}, itemHeadline(t, config)) : focusLink(ctx, t.filename, itemHeadline(t, config)),
        ' ',
        badge(doc, t.part, t.kind, t.state),
        el(doc, 'span', { class: 'meta' }, ' ', agentLink(ctx, t.agent), ' · ', timeEl(doc, t.ts), t.replies ? ` · ${plural(t.replies, 'reply', 'replies')}` : ''),
      );
    return el(doc, 'div', {}, el(doc, 'h3', {}, `Thread (${plural(thread.length, 'post')})`), el(doc, 'ol', { class: 'tree', 'aria-label': 'Thread' }, ...thread.map(item)));
  },
};

function linkList(ctx: ViewCtx, rows: FocusLinkRow[], empty: string): HTMLElement {
  const { doc, config } = ctx;
  if (rows.length === 0) return el(doc, 'p', { class: 'muted' }, empty);
  const item = (l: FocusLinkRow): HTMLElement =>
    el(
      doc,
      'li',
      {},
      `${l.kind === 'ref' ? 'refs' : 'quotes'} · `,
      l.other_part === 'unresolved'
        ? el(doc, 'span', {}, el(doc, 'code', {}, l.other), ' (not in the export)')
        : focusLink(ctx, l.other, itemHeadline({ part: l.other_part, headline: l.headline, filename: l.other }, config)),
      l.agent ? el(doc, 'span', { class: 'meta' }, ' · ', agentLink(ctx, l.agent), ' · ', timeEl(doc, l.ts)) : null,
    );
  return el(doc, 'ul', { class: 'links' }, ...rows.map(item));
}

export const focusLinksView: View<FocusFilters, FocusLinkRow> = {
  name: 'focus-links',
  query: (f) => focusLinks(f.filename),
  render(links, ctx) {
    const { doc } = ctx;
    const inbound = links.filter((l) => l.direction === 'in');
    const outbound = links.filter((l) => l.direction === 'out');
    return el(
      doc,
      'div',
      {},
      el(doc, 'h3', {}, `Referenced by (${num(inbound.length)})`),
      linkList(ctx, inbound, 'Nothing refs or quotes it.'),
      el(doc, 'h3', {}, `Refers to (${num(outbound.length)})`),
      linkList(ctx, outbound, 'It refs or quotes no file.'),
    );
  },
};

const metricHead = (c: CollabConfig) => [{ num: c.score_label }, { num: c.secondary_label }];

export const focusResultsView: View<FocusFilters, FocusResultRow> = {
  name: 'focus-results',
  query: (f) => focusResults(f.filename),
  render(results, ctx) {
    const { doc, config: c } = ctx;
    const rows = results.map((r) => [
      focusLink(ctx, r.filename, r.filename, 'file'),
      agentLink(ctx, r.agent),
      num(r.score),
      num(r.secondary),
      el(doc, 'code', {}, r.method ?? ''),
      el(doc, 'span', { class: `state state-${r.state}` }, String(r.state)),
      num(r.link),
    ]);
    const table = dataTable(doc, 'Results it refers to', ['result', 'agent', ...metricHead(c), 'method', 'state', 'link'], rows, 'None.');
    return el(doc, 'div', {}, el(doc, 'h3', {}, `Results it refers to (${num(results.length)})`), table);
  },
};

export const focusRunsView: View<FocusFilters, FocusRunRow> = {
  name: 'focus-runs',
  query: (f) => focusRuns(f.filename),
  render(runs, ctx) {
    const { doc, config: c } = ctx;
    const code = (t: string | null): HTMLElement => el(doc, 'code', {}, t ?? '');
    const rows = runs.map((r) => [code(r.run_dir), agentLink(ctx, r.agent), num(r.status), code(r.job_id), num(r.score), num(r.secondary), minuteText(r.created_at), num(r.matched_by)]);
    const head = ['run dir', 'agent', 'status', 'job id', ...metricHead(c), { when: 'launched (UTC)' }, 'matched by'];
    const table = dataTable(doc, 'Runs', head, rows, 'No run dir matches a job id or submission it names.');
    return el(doc, 'div', {}, el(doc, 'h3', {}, `Runs (${num(runs.length)})`), table);
  },
};

export const FOCUS_VIEWS = [focusItemView, focusThreadView, focusLinksView, focusResultsView, focusRunsView] as const;
