// Moments that mattered on the overview's timeline: rows of {ts, kind, label, href}, each linking to its evidence.
// Each source is a function of the story; append one to MOMENT_SOURCES to add a kind (interaction episodes, later).
import { scoreText, signed } from '../format.ts';
import { focusHref, relaysHref } from '../links.ts';
import type { BestStep } from '../ties.ts';
import type { BestSoFarRow } from '../queries/overview.sql.ts';
import { isRecord, type Story } from './story.ts';

export interface Moment {
  ts: string;
  kind: string;
  label: string;
  href: string;
}

export type MomentSource = (story: Story, base: string) => Moment[];

const gainText = (s: BestStep<BestSoFarRow>): string => (s.gain === null ? '' : ` (${signed(s.gain, scoreText)})`);

/** Record-setting steps by result filename. */
const recordsByFile = (story: Story): Map<string, BestStep<BestSoFarRow>> =>
  new Map(story.steps.filter(isRecord).map((s) => [s.item.filename, s]));

/** Inventions that moved the frontier beyond noise: the first result using a technique is itself a record. */
export const inventionMoments: MomentSource = (story, base) => {
  const records = recordsByFile(story);
  return story.inventions.flatMap((inv) => {
    const step = records.get(inv.first_result);
    if (!step) return [];
    const who = inv.inventor ?? step.item.agent ?? 'someone';
    const label = `${who} introduced ${inv.tokens.join(', ')}: ${scoreText(step.score)}${gainText(step)}`;
    return [{ ts: step.item.ts, kind: 'invention', label, href: focusHref(base, inv.first_result) }];
  });
};

/** Relays whose outcome result set a record beyond noise. */
export const relayMoments: MomentSource = (story, base) => {
  const records = recordsByFile(story);
  return story.relays.flatMap((r) => {
    const step = records.get(r.outcome_result);
    if (!step) return [];
    const label = `Relay ${r.agents.join(' → ')} shipped ${scoreText(step.score)}${gainText(step)}`;
    return [{ ts: step.item.ts, kind: 'relay', label, href: relaysHref(base, `?chain=${encodeURIComponent(r.chain_id)}`) }];
  });
};

/**
 * Verdicts that overturned a claim that mattered: the rejected result would have set a new best when it was posted
 * (beyond noise when the noise is known). Links to the verdict message.
 */
export const verdictMoments: MomentSource = (story, base) =>
  story.verdicts.flatMap((v) => {
    if (v.score === null || v.result_ts === null) return [];
    const before = story.steps.filter((s) => s.item.ts <= v.result_ts!).at(-1)?.score ?? null;
    const margin = before === null ? null : story.higherIsBetter ? v.score - before : before - v.score;
    if (margin !== null && margin <= (story.tie.threshold ?? 0)) return [];
    const rerun = v.rerun === null ? '' : ` (re-run ${scoreText(v.rerun)})`;
    const label = `Verifier rejected ${v.agent ?? 'a'}'s ${scoreText(v.score)}${rerun}: it never counted`;
    return [{ ts: v.ts ?? v.result_ts, kind: 'verdict', label, href: focusHref(base, v.message) }];
  });

/**
 * Interaction episodes that changed how the collaboration worked: integrity calls (a move off the platform refused, a
 * loophole flagged for a ruling, an overfitting warning) and reversals (a named wall or floor refuted). The frequent
 * everyday kinds (compute sharing, debugging, diagnoses, knowledge bases) stay on the Interactions page.
 */
export const STORY_EPISODE_KINDS: ReadonlySet<string> = new Set(['off-platform-request', 'loophole-report', 'overfitting-warning', 'reversal']);

export const episodeMoments: MomentSource = (story, base) =>
  story.episodes
    .filter((e) => STORY_EPISODE_KINDS.has(e.kind))
    .map((e) => ({ ts: e.ts, kind: e.kind, label: e.title, href: `${base}${e.link}` }));

/** Every source, in the order kinds are listed. */
export const MOMENT_SOURCES: MomentSource[] = [inventionMoments, relayMoments, verdictMoments, episodeMoments];

/** All moments in time order (kind breaks ties, then label). */
export function moments(story: Story, base: string, sources: readonly MomentSource[] = MOMENT_SOURCES): Moment[] {
  return sources
    .flatMap((src) => src(story, base))
    .sort((a, b) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : a.kind.localeCompare(b.kind) || a.label.localeCompare(b.label)));
}
