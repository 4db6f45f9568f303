// Relays rules 1–3 as one graph: events, the links between them, and each event's role.
import type { CollabConfig } from '../../../src/lib/config.ts';
import type { CoreTables } from '../../ingest/ingest.ts';
import { artifactIndex } from './artifacts.ts';
import { assignRoles, markFailures } from './assign-roles.ts';
import { bestResults } from './best.ts';
import { eventsByAgent, relayEvents, type Edge, type RelayEvent } from './events.ts';
import type { DerivationMemo } from '../index.ts';
import { TextMemo } from './text-memo.ts';
import { artifactLinks, creditLinks, EdgeSet, jobLinks, mentionLinks, mentionsByFile, refLinks, reportLinks, type EventIndex } from './links.ts';

export interface RelayGraph {
  events: RelayEvent[];
  byId: Map<string, RelayEvent>;
  /** Incoming and outgoing edges per event id. */
  incoming: Map<string, Edge[]>;
  outgoing: Map<string, Edge[]>;
  /** @-mentioned agents per event id. */
  mentionsOf: Map<string, string[]>;
}

/** Rules 1–3 in order: events; file links; roles (which the mention and credit links then read); mentions, credits. */
export function buildGraph(core: CoreTables, config: CollabConfig, memo?: DerivationMemo): RelayGraph {
  const texts = new TextMemo(memo);
  const ix = eventIndex(core, relayEvents(core, config));
  const edges = new EdgeSet();
  refLinks(core.message_links, ix, edges);
  reportLinks(core.message_links, ix, edges);
  artifactLinks(ix, edges);
  jobLinks(ix, edges);
  const best = bestResults(core.results, config);
  const mentionsOf = mentionsByFile(core.message_links);
  markFailures(ix.events, texts);
  assignRoles(ix, edges, mentionsOf, best, texts);
  texts.save();
  for (const e of ix.events) {
    mentionLinks(e, mentionsOf, ix, edges);
    creditLinks(e, ix, edges);
  }
  return { events: ix.events, byId: ix.byId, incoming: edges.incoming, outgoing: edges.outgoing, mentionsOf };
}

/** Events by id and by agent, the known handles, and the artifact keys each event names. */
function eventIndex(core: CoreTables, events: RelayEvent[]): EventIndex {
  const known = new Set(core.agents.map((a) => a.agent_id));
  for (const e of events) known.add(e.agent);
  return { events, byId: new Map(events.map((e) => [e.id, e])), eventsOf: eventsByAgent(events), ...artifactIndex(core, events, known) };
}
