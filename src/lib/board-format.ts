// Display text for board items, shared by the build-time page and <atlas-board> so both paint the same words.
import type { CollabConfig } from './config.ts';
import { formatCell } from './db/format.ts';
import { inlinePlainText } from './markdown-text.ts';

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


/** A snippet of `text` around the first case-insensitive match of `needle` (or its start), at most `max` characters. */
export function snippetAround(text: string, needle: string | null | undefined, max = 240): { before: string; match: string; after: string } {
  const q = needle?.trim().toLowerCase() ?? '';
  const at = q ? text.toLowerCase().indexOf(q) : -1;
  if (at < 0) return { before: text.length > max ? `${text.slice(0, max - 1)}…` : text, match: '', after: '' };
  const start = Math.max(0, at - Math.floor((max - q.length) / 2));
  const end = Math.min(text.length, start + max);
  return {
    before: `${start > 0 ? '…' : ''}${text.slice(start, at)}`,
    match: text.slice(at, at + q.length),
    after: `${text.slice(at + q.length, end)}${end < text.length ? '…' : ''}`,
  };
}
