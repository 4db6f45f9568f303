// Relays rule 3: roles (src/lib/relays/roles.ts) with context from the links, in two rounds: failures, then roles.
import { beats, classifyResultRole, classifyRunRole, type RoleMatch } from '../../../src/lib/relays/roles.ts';
import { startingPoint, type BestResults } from './best.ts';
import { latestOf, type Edge, type RelayEvent } from './events.ts';
import type { EdgeSet, EventIndex } from './links.ts';
import { TextMemo } from './text-memo.ts';

/** Round 1 (context-free): a failed run, a negative result that reports a failure, a message that does. */
export function markFailures(events: readonly RelayEvent[], texts: TextMemo = new TextMemo()): void {
  for (const e of events) {
    if (e.run) e.failure = e.run.status === 'error' || e.run.status === 'timed_out';
    else if (e.result) e.failure = e.result.status === 'negative' && texts.failure(e.text);
    else e.failure = texts.failure(e.text);
  }
}

/** Round 2: every event's role, with linksToOtherAgent, repliesToFailure and improvesBest from the links. */
export function assignRoles(ix: EventIndex, edges: EdgeSet, mentionsOf: ReadonlyMap<string, string[]>, best: BestResults, texts: TextMemo = new TextMemo()): void {
  for (const e of ix.events) {
    const inc = edges.incoming.get(e.id) ?? [];
    const mentioned = (mentionsOf.get(e.id) ?? []).filter((a) => a !== e.agent);
    const otherKeys = (ix.keysOf.get(e.id) ?? []).some((k) => {
      const o = ix.owner(k);
      return o !== null && o !== e.agent;
    });
    e.role = roleOf(e, { inc, mentioned, otherKeys, ix, best, texts });
  }
}

interface RoleContext {
  inc: readonly Edge[];
  mentioned: readonly string[];
  otherKeys: boolean;
  ix: EventIndex;
  best: BestResults;
  texts: TextMemo;
}

function roleOf(e: RelayEvent, { inc, mentioned, otherKeys, ix, best, texts }: RoleContext): RoleMatch | null {
  const credits = (e.result?.credits ?? []).filter((a) => a !== e.agent);
  const linksToOtherAgent = inc.some((x) => x.from.agent !== e.agent) || mentioned.length > 0 || credits.length > 0 || otherKeys;
  if (e.message) {
    const repliesToFailure =
      inc.some((x) => (x.kind === 'ref' || x.kind === 'quoted-filename') && x.from.failure) ||
      mentioned.some((a) => latestOf(ix.eventsOf.get(a), e, () => true)?.failure === true);
    return texts.messageRole(e.text, linksToOtherAgent, repliesToFailure);
  }
  if (e.run) {
    return classifyRunRole({ status: e.run.status, statusMessage: e.run.status_message, usesOtherArtifact: otherKeys, runDir: e.run.run_dir });
  }
  if (e.result) {
    const r = e.result;
    const prev = startingPoint(e, inc, ix.eventsOf, best) ?? best.bestBefore(e.tms);
    const improvesBest = r.score !== null && (prev === null || beats(r.score, prev, best.hib));
    return classifyResultRole({ text: e.text, status: r.status, overCap: r.over_cap, isBaseline: r.is_baseline, linksToOtherAgent, improvesBest });
  }
  return null;
}
