// A relay's header (rank, title, facts, what its outcome was and what it gained) and how it was found (one line per
// source), shared by the ranked swimlanes and the open relay. Text only: data never becomes markup.
import { focusHref } from '../links.ts';
import type { RelayFinding, RelayLaneRow } from '../queries/relays-page.sql.ts';
import { chainFacts, chainTitle, gainText, marginClass, outcomeLabel, relayHref, scoreText, sourceLabel, type RelayState } from '../ui/relay-format.ts';
import { el, type ViewCtx } from './view.ts';

const capital = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/** Why a failed attempt failed, from its result's own state. */
function failure(c: RelayLaneRow): string {
  if (c.outcome_verification === 'invalid') return 'the verifier ruled the result invalid';
  if (c.outcome_over_cap === true) return 'the result went over the cap';
  return 'the result was posted as a dead end';
}

/**
 * A gain or margin as a span the page and its tests can read: the signed value, what it is measured against, and
 * under the threshold "within noise".
 */
function gainSpan(ctx: ViewCtx, v: number | null, cls: string | null, what: 'gain' | 'margin', against: string): HTMLElement | null {
  const value = gainText(v, ctx.config);
  if (!value) return null;
  return el(ctx.doc, 'span', { class: 'gain', 'data-gain': what, 'data-gain-class': cls }, `${value} ${against}${cls === 'within' ? ', within noise' : ''}`);
}

/**
 * The outcome line: what it was in words, the score (linking to the result), its margin over the board when it
 * was posted, and the gain over the best before the relay started (one phrase when those two are the same).
 */
export function outcomeLine(ctx: ViewCtx, c: RelayLaneRow): HTMLElement {
  const { doc, base, config } = ctx;
  const score = scoreText(c.outcome_score, config);
  const kind = el(doc, 'strong', { class: `outcome-kind kind-${c.outcome_kind}`, 'data-outcome-kind': c.outcome_kind }, capital(outcomeLabel(c.outcome_kind)));
  const p = el(doc, 'p', { class: 'outcome' }, kind);
  if (c.outcome_kind === 'failed') p.append(` (${failure(c)})`);
  if (score) p.append(': ', c.outcome_result ? el(doc, 'a', { href: focusHref(base, c.outcome_result) }, score) : score);
  const same = c.best_before !== null && c.best_before === c.best_at_outcome;
  const margin = same ? null : gainSpan(ctx, c.outcome_margin, marginClass(c.outcome_margin, c.tie_threshold), 'margin', `against the board when it was posted (${scoreText(c.best_at_outcome, config)})`);
  // An undated relay (a credit bracket alone) is measured against the best before its outcome was posted.
  const start = c.start_ts === null ? 'it was posted' : 'the relay started';
  const gain = gainSpan(ctx, c.score_gain, c.gain_class, 'gain', `over the best before ${start} (${scoreText(c.best_before, config)})`);
  if (margin) p.append(', ', margin);
  if (gain) p.append(margin ? '; ' : ', ', gain);
  p.append('.');
  return p;
}

/** A relay's header: rank, title (a link that opens it, in the list), facts, outcome. */
export function relayHeader(ctx: ViewCtx, c: RelayLaneRow, s: RelayState, level: 'h2' | 'h3'): HTMLElement {
  const { doc, base } = ctx;
  const title = chainTitle(c);
  const open = level === 'h3' ? el(doc, 'a', { href: relayHref(base, { ...s, chain: c.chain_id }), 'data-open': c.chain_id }, title) : title;
  return el(
    doc,
    'header',
    {},
    el(doc, level, {}, el(doc, 'span', { class: 'rank' }, `#${c.rank}`), ' ', open),
    el(doc, 'p', { class: 'facts muted' }, chainFacts(c)),
    outcomeLine(ctx, c),
  );
}

/** Line of a credit bracket (`bracket/<document>#L<line>`), null for board findings. */
export const findingLine = (f: Pick<RelayFinding, 'found_as'>): number | null => {
  const m = /^bracket\/.*#L(\d+)$/.exec(f.found_as);
  return m ? Number(m[1]) : null;
};

/** How the relay was found: one item per source, each with the agents in its own order and its evidence. */
export function findingsList(ctx: ViewCtx, findings: readonly RelayFinding[]): HTMLElement {
  const { doc } = ctx;
  const items = findings.map((f) => {
    const line = findingLine(f);
    const where =
      f.source === 'credit-bracket' && f.source_file
        ? [' in ', el(doc, 'code', {}, f.source_file), line !== null ? `, line ${line}` : '']
        : [];
    return el(
      doc,
      'li',
      { 'data-finding': f.source, 'data-found-as': f.found_as },
      el(doc, 'strong', {}, capital(sourceLabel(f.source))),
      ...where,
      `: ${f.agents.join(' → ')}`,
      f.evidence && el(doc, 'q', { class: 'evidence' }, f.evidence),
    );
  });
  return el(doc, 'div', { class: 'findings' }, el(doc, 'p', { class: 'muted' }, findings.length === 1 ? 'How it was found:' : `Found by ${findings.length} sources, each in its own order:`), el(doc, 'ul', { 'aria-label': 'How this relay was found' }, ...items));
}
