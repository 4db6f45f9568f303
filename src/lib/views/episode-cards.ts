// The interactions page's cards: episodes grouped by theme and kind, each card with its timeline (who said what,
// when, quoted, linked to the board), its outcome and the results it touched. One render for the build-time first
// paint and the browser's redraw under filters (ui/episodes-element.ts).
import { minuteText, num, plural } from '../format.ts';
import { episodeAnchor, episodeHref, evidenceHref, interactionsHref } from '../links.ts';
import { MORE_CARDS, episodeCards, type EpisodeCardRow, type EpisodeFilters, type EpisodeShown } from '../queries/episodes.sql.ts';
import { BOARD_ONLY_KINDS, EPISODE_THEMES, type EpisodeKind } from '../schema/episodes.ts';
import { agentLink, commaList, timeEl } from './parts.ts';
import { el, type View, type ViewCtx } from './view.ts';

export interface EpisodeViewFilters extends EpisodeFilters, EpisodeShown {
  /** The export has no board messages: board-only kinds say so instead of "none found". */
  noMessages: boolean;
}

export const KIND_LABEL: Record<EpisodeKind, string> = {
  'off-platform-request': 'Off-platform requests',
  'loophole-report': 'Loophole reports',
  'overfitting-warning': 'Overfitting warnings',
  'knowledge-base': 'Knowledge bases',
  'compute-sharing': 'Compute sharing',
  'cross-agent-debugging': 'Cross-agent debugging',
  reversal: 'Reversals',
  diagnosis: 'Remote diagnoses',
};
export const kindLabel = (k: string): string => KIND_LABEL[k as EpisodeKind] ?? k;

interface Card {
  head: EpisodeCardRow;
  evidence: EpisodeCardRow[];
}

/** Rows (one per evidence) into cards, in query order. */
export function cardsOf(rows: readonly EpisodeCardRow[]): Card[] {
  const out: Card[] = [];
  for (const r of rows) {
    const last = out.at(-1);
    if (last && last.head.episode_id === r.episode_id) last.evidence.push(r);
    else out.push({ head: r, evidence: [r] });
  }
  return out;
}

function evidenceItem(ctx: ViewCtx, r: EpisodeCardRow): HTMLElement {
  const { doc } = ctx;
  const href = evidenceHref(ctx.base, r.file);
  const file = href ? el(doc, 'a', { href, 'data-evidence-link': r.file }, r.file) : el(doc, 'code', {}, r.file);
  return el(
    doc,
    'li',
    { 'data-role': r.role },
    el(doc, 'span', { class: 'when' }, r.ts ? timeEl(doc, r.ts) : 'no time'),
    ' ',
    el(doc, 'span', { class: 'role' }, r.role),
    ' · ',
    r.agent ? agentLink(ctx, r.agent) : 'unknown author',
    el(doc, 'blockquote', {}, r.snippet),
    el(doc, 'p', { class: 'file muted' }, file),
  );
}

function cardEl(ctx: ViewCtx, c: Card, f: EpisodeViewFilters): HTMLElement {
  const { doc } = ctx;
  const h = c.head;
  const span = h.started_at ? `${minuteText(h.started_at)}${h.ended_at && h.ended_at !== h.started_at ? ` – ${minuteText(h.ended_at)}` : ''} UTC` : 'no times (documents only)';
  const touched = c.evidence.filter((e) => e.file.startsWith('results/') && (e.role === 'affected-result' || e.role === 'run'));
  const search = interactionsHref('', f).replace(/^interactions\//, '');
  return el(
    doc,
    'article',
    { class: 'episode-card', id: episodeAnchor(h.episode_id), 'data-episode-id': h.episode_id, 'data-kind': h.kind },
    el(doc, 'h4', {}, el(doc, 'a', { href: episodeHref(ctx.base, h.episode_id, search), class: 'anchor' }, h.title || h.episode_id)),
    el(doc, 'p', { class: 'meta muted' }, `${span} · `, ...commaList(h.agents.map((a) => agentLink(ctx, a))), ` · confidence ${num(h.confidence)} · rule `, el(doc, 'code', {}, h.rule)),
    el(doc, 'p', { class: 'outcome', 'data-outcome': true }, el(doc, 'strong', {}, 'Outcome: '), h.outcome),
    touched.length ? el(doc, 'p', { class: 'touched' }, `Results touched (${num(touched.length)}): `, ...commaList(touched.map((t) => el(doc, 'a', { href: evidenceHref(ctx.base, t.file) ?? '' }, t.file.slice(8))))) : null,
    el(doc, 'ol', { class: 'timeline', 'aria-label': 'Timeline' }, ...c.evidence.map((e) => evidenceItem(ctx, e))),
  );
}

/** Under a kind's cards when it has more than are drawn: how many, and a button for the next ones (browser only). */
function moreLine(ctx: ViewCtx, kind: EpisodeKind, shown: number, total: number): HTMLElement {
  const { doc } = ctx;
  const next = Math.min(MORE_CARDS, total - shown);
  return el(
    doc,
    'p',
    { class: 'more', 'data-more-cards': kind },
    el(doc, 'button', { type: 'button', 'data-more': kind }, `Show ${num(next)} more`),
    ' ',
    el(doc, 'span', { class: 'muted' }, `Showing ${num(shown)} of ${num(total)}, earliest first; the rest load in your browser.`),
  );
}

function kindSection(ctx: ViewCtx, kind: EpisodeKind, cards: Card[], f: EpisodeViewFilters): HTMLElement {
  const { doc } = ctx;
  const boardOnly = f.noMessages && BOARD_ONLY_KINDS.includes(kind);
  const total = cards[0]?.head.kind_total ?? 0;
  const empty = boardOnly
    ? 'The export has no board messages, and this kind is found only in them: unknown, not none.'
    : f.agent
      ? `None with ${f.agent} in this data.`
      : 'None found in this data.';
  return el(
    doc,
    'section',
    { class: 'episode-kind', 'data-kind-section': kind, 'data-count': boardOnly ? null : total, 'data-shown': boardOnly ? null : cards.length },
    el(doc, 'h3', {}, `${kindLabel(kind)} `, el(doc, 'span', { class: 'muted' }, boardOnly ? '(unknown: no board messages)' : `(${num(total)})`)),
    cards.length ? el(doc, 'div', { class: 'cards' }, ...cards.map((c) => cardEl(ctx, c, f))) : el(doc, 'p', { class: 'muted', 'data-empty': boardOnly ? 'no-messages' : 'none' }, empty),
    cards.length < total ? moreLine(ctx, kind, cards.length, total) : null,
  );
}

/** Episodes under the filters (every kind's total, not only the cards drawn). */
export function episodeTotal(rows: readonly EpisodeCardRow[]): number {
  const perKind = new Map(rows.map((r) => [r.kind, r.kind_total]));
  return [...perKind.values()].reduce((a, n) => a + n, 0);
}

export const episodeCardsView: View<EpisodeViewFilters, EpisodeCardRow> = {
  name: 'episode-cards',
  query: (f) => episodeCards({ kind: f.kind, agent: f.agent }, { perKind: f.perKind, anchor: f.anchor }),
  render(rows, ctx, f) {
    const { doc } = ctx;
    const cards = cardsOf(rows);
    const total = episodeTotal(rows);
    const wrap = el(doc, 'div', { class: 'episodes', 'data-episodes': total, 'data-shown': cards.length });
    const line = cards.length < total ? `${plural(total, 'episode')}; the first ${num(cards.length)} shown.` : `${plural(total, 'episode')} shown.`;
    wrap.append(el(doc, 'p', { class: 'muted', 'data-count': true }, line));
    for (const t of EPISODE_THEMES) {
      const kinds = t.kinds.filter((k) => !f.kind || f.kind === k);
      if (!kinds.length) continue;
      const sec = el(doc, 'section', { class: 'episode-theme', 'data-theme': t.theme }, el(doc, 'h2', { id: `theme-${t.theme}` }, t.label));
      for (const k of kinds) sec.append(kindSection(ctx, k, cards.filter((c) => c.head.kind === k), f));
      wrap.append(sec);
    }
    return wrap;
  },
};
