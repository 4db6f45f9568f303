// One relay as one source found it (board links or a credit bracket): its steps as relay_steps rows and its outcome.
// Relays of one outcome are merged afterwards (merge.ts), and judged there (outcome.ts).
import { plain, type RelayRole } from '../../../src/lib/relays/roles.ts';
import { clipWords, firstSentence } from '../../../src/lib/relays/title.ts';
import type { RelayStepRow } from '../../../src/lib/schema/relays.ts';
import type { LinkKind, RelayEvent } from './events.ts';

/** A step of a walk: an event in a role, with the link that brought it in. */
export interface Step {
  ev: RelayEvent;
  role: RelayRole;
  rule: string;
  evidence: string;
  linkedBy: LinkKind | 'bracket' | null;
}

export interface Relay {
  id: string;
  kind: 'chain' | 'handoff' | 'staged';
  source: 'board' | 'credit-bracket';
  steps: RelayStepRow[];
  /** The event id (message or result filename, run dir) of each step; null for bracket credits. */
  eventIds: (string | null)[];
  outcomeResult: string | null;
  outcomeScore: number | null;
  startTs: string | null;
  endTs: string | null;
  /** The outcome description's first sentence, else the first step's evidence. */
  title: string | null;
  /** A credit bracket's lever title (the document's own name for the lever). */
  leverTitle: string | null;
  /** What this source says: the bracket's line, or how the board steps were tied. */
  evidence: string;
}

/** A title clipped on a word boundary; null when nothing readable is left. */
export function titleOf(text: string | null | undefined): string | null {
  const t = text ? clipWords(firstSentence(plain(text))) : '';
  return t && t !== '…' ? t : null;
}

export const stem = (id: string): string => id.replace(/\.md$/, '');

/** A board relay from its ordered steps: the outcome is its last result (ship or run), else its last scored run. */
export function toRelay(id: string, kind: Relay['kind'], steps: Step[]): Relay {
  const first = steps[0]!;
  const lastResult = [...steps].reverse().find((s) => s.ev.part === 'results' && (s.role === 'ship' || s.role === 'run'));
  const lastRun = [...steps].reverse().find((s) => s.ev.run?.score !== null && s.ev.run?.score !== undefined && s.role === 'run');
  const outcomeScore = lastResult?.ev.result?.score ?? lastRun?.ev.run?.score ?? null;
  const outcome = lastResult ?? lastRun;
  const links = [...new Set(steps.map((s) => s.linkedBy).filter((k) => k !== null))];
  return {
    id,
    kind,
    source: 'board',
    steps: steps.map((s, i) => ({
      chain_id: id,
      step: i + 1,
      agent: s.ev.agent,
      role: s.role,
      rule: s.rule,
      linked_by: s.linkedBy,
      ts: s.ev.ts,
      source_file: s.ev.sourceFile,
      source_part: s.ev.part,
      evidence: s.evidence,
    })),
    eventIds: steps.map((s) => s.ev.id),
    outcomeResult: lastResult?.ev.id ?? null,
    outcomeScore,
    startTs: first.ev.ts,
    endTs: (outcome ?? steps[steps.length - 1]!).ev.ts,
    title: titleOf(lastResult?.ev.result?.description) ?? titleOf(first.evidence),
    leverTitle: null,
    evidence: `${steps.length} steps on the board, tied by ${links.length ? links.join(', ') : 'time'}`,
  };
}
