// Display text for board items, shared by the build-time page and <atlas-board> so both paint the same words.
import type { CollabConfig } from './config.ts';
import { formatCell } from './db/format.ts';
import { inlinePlainText } from './markdown-text.ts';
import { matchRanges, parseSearch } from './search-words.ts';

export { minuteText, plural } from './format.ts';

/** A result as a headline: `<score label> <score> <unit> · <method>`, from the configuration (no metric hard-wired). */
export function resultTitle(
  r: { score: number | null; method: string | null },
  c: Pick<CollabConfig, 'score_label' | 'unit'>,
): string {
  const score = r.score === null ? '' : `${c.score_label} ${formatCell(r.score)} ${c.unit}`.trim();
  return ['Result', score, r.method ?? ''].filter(Boolean).join(' · ');
}

/** Headline of a board item as plain text: the message headline (markdown marks dropped), or a result's title; the
 * filename when there is neither. */
export function itemHeadline(
  r: { part?: string | null; headline: string | null; score?: number | null; method?: string | null; filename?: string | null },
  c: Pick<CollabConfig, 'score_label' | 'unit'>,
): string {
  if (r.part === 'results' || r.part === 'result') return resultTitle({ score: r.score ?? null, method: r.method ?? null }, c);
  return inlinePlainText(r.headline) || r.filename || '(no headline)';
}


/** A snippet of `text` around the first match of the search `q` (board-search semantics, search-words.ts), or its start,
 * at most `max` characters. */
export function snippetAround(text: string, q: string | null | undefined, max = 240): { before: string; match: string; after: string } {
  const [first] = matchRanges(text, parseSearch(q));
  if (!first) return { before: text.length > max ? `${text.slice(0, max - 1)}…` : text, match: '', after: '' };
  const [at, to] = first;
  const start = Math.max(0, at - Math.floor((max - (to - at)) / 2));
  const end = Math.min(text.length, Math.max(start + max, to));
  return {
    before: `${start > 0 ? '…' : ''}${text.slice(start, at)}`,
    match: text.slice(at, to),
    after: `${text.slice(to, end)}${end < text.length ? '…' : ''}`,
  };
}
