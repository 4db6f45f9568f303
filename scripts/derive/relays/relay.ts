// One relay: its steps as relay_steps rows, its outcome and (rule 7) its score gain.
import type { CollabConfig } from '../../../src/lib/config.ts';
import { gain, plain, type RelayRole } from '../../../src/lib/relays/roles.ts';
import type { RelayStepRow } from '../../../src/lib/schema/relays.ts';
import type { LinkKind, RelayEvent } from './events.ts';
import type { RelayGraph } from './graph.ts';

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
  outcomeResult: string | null;
  outcomeScore: number | null;
  gain: number | null;
  startTs: string | null;
  endTs: string | null;
  title: string | null;
}

export const stem = (id: string): string => id.replace(/\.md$/, '');

/** A board relay from its ordered steps; rule 7: score_gain = outcome minus the best result before the first step. */
export function toRelay(id: string, kind: Relay['kind'], steps: Step[], g: RelayGraph, config: CollabConfig): Relay {
  const first = steps[0]!;
  const lastResult = [...steps].reverse().find((s) => s.ev.part === 'results' && (s.role === 'ship' || s.role === 'run'));
  const lastRun = [...steps].reverse().find((s) => s.ev.run?.score !== null && s.ev.run?.score !== undefined && s.role === 'run');
  const outcomeScore = lastResult?.ev.result?.score ?? lastRun?.ev.run?.score ?? null;
  const prev = g.bestBefore(first.ev.tms);
  const outcome = lastResult ?? lastRun;
  const title = lastResult?.ev.result?.description ? plain(lastResult.ev.result.description) : first.evidence;
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
    outcomeResult: lastResult?.ev.id ?? null,
    outcomeScore,
    gain: outcomeScore !== null && prev !== null ? gain(outcomeScore, prev, config.higher_is_better) : null,
    startTs: first.ev.ts,
    endTs: (outcome ?? steps[steps.length - 1]!).ev.ts,
    title: title ? title.slice(0, 120) : null,
  };
}
