// The one-line explanation of ties, with a link to the noise page, wherever a rank or a gain is shown (issue 16).
import type { CollabConfig } from '../config.ts';
import { scoreText } from '../format.ts';
import { pageHref } from '../links.ts';
import type { Tie } from '../ties.ts';
import { el } from './view.ts';

/** The sentence without its link (tests and tooltips read it too). */
export function tieSentence(tie: Tie, config: Pick<CollabConfig, 'unit'>): string {
  if (tie.threshold === null) {
    return 'This export has no repeat runs, so the run-to-run noise is unknown: differences are shown as they stand, none is known to be beyond noise.';
  }
  const range = tie.lo !== null && tie.hi !== null ? ` (95 % interval ${scoreText(tie.lo)}–${scoreText(tie.hi)})` : '';
  const few = tie.restsOnFew ? ' It rests on few repeat runs.' : '';
  return `Differences of ${scoreText(tie.threshold)} ${config.unit} or less${range} are within run-to-run noise: ties, not records.${few}`;
}

/** `<p class="tie-note">`: the sentence and a link to the noise page, where the threshold is measured. */
export function tieNote(doc: Document, base: string, tie: Tie, config: Pick<CollabConfig, 'unit'>): HTMLElement {
  return el(
    doc,
    'p',
    { class: 'tie-note', 'data-tie-threshold': tie.threshold ?? 'unknown' },
    `${tieSentence(tie, config)} `,
    el(doc, 'a', { href: pageHref(base, 'noise') }, 'How the noise is measured'),
    '.',
  );
}
