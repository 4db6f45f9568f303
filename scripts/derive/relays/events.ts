// Relays rule 1: events (board messages, canonical run dirs, results with a time), and the time look-ups on them.
import type { CollabConfig } from '../../../src/lib/config.ts';
import type { MessageRow, ResultRow, RunRow } from '../../../src/lib/schema/core.ts';
import type { RoleMatch } from '../../../src/lib/relays/roles.ts';
import type { CoreTables } from '../../ingest/ingest.ts';
import { pushTo } from '../collections.ts';
import { partitionPoint } from '../search.ts';

/** How far before the ship a relay may start. */
export const WINDOW_DAYS = 14;
export const WINDOW_MS = WINDOW_DAYS * 86_400_000;

export type Part = 'messages' | 'results' | 'runs';
export type LinkKind = 'ref' | 'quoted-filename' | 'report' | 'artifact' | 'job' | 'mention' | 'credit';

export interface RelayEvent {
  id: string;
  part: Part;
  agent: string;
  ts: string;
  tms: number;
  text: string;
  sourceFile: string;
  role: RoleMatch | null;
  /** Plain failure (before diagnose precedence): used for repliesToFailure. */
  failure: boolean;
  message?: MessageRow;
  result?: ResultRow;
  run?: RunRow;
}

export interface Edge {
  from: RelayEvent;
  to: RelayEvent;
  kind: LinkKind;
}

/** Epoch ms of a stamp, null when missing or unreadable. */
export const ms = (ts: string | null): number | null => {
  if (!ts) return null;
  const v = Date.parse(ts);
  return Number.isFinite(v) ? v : null;
};

export const byTime = (a: RelayEvent, b: RelayEvent): number => a.tms - b.tms || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Rule 1: every board message (verifiers excluded), result and canonical run dir with a time, in time order. */
export function relayEvents(core: CoreTables, config: CollabConfig): RelayEvent[] {
  const events: RelayEvent[] = [];
  const verifiers = new Set(config.verifier_agents);
  for (const m of core.messages) {
    const tms = ms(m.ts);
    if (tms === null || m.is_verifier || verifiers.has(m.agent ?? '') || !m.agent) continue;
    // The body holds the headline already (first # heading or first line).
    const text = m.body_md ?? m.headline ?? '';
    events.push({ id: m.filename, part: 'messages', agent: m.agent, ts: m.ts!, tms, text, sourceFile: m.source_file ?? `message_board/${m.filename}`, role: null, failure: false, message: m });
  }
  for (const r of core.results) {
    const tms = ms(r.ts);
    if (tms === null || !r.agent) continue;
    const text = [r.description ?? '', r.body_md ?? ''].join('\n');
    events.push({ id: r.filename, part: 'results', agent: r.agent, ts: r.ts!, tms, text, sourceFile: r.source_file ?? `results/${r.filename}`, role: null, failure: false, result: r });
  }
  for (const r of core.runs) {
    if (r.duplicate_of !== null || !r.agent) continue;
    const ts = r.created_at ?? r.finished_at ?? r.ready_at;
    const tms = ms(ts);
    if (tms === null) continue;
    const text = [r.status_message ?? '', r.manifest_description ?? ''].join('\n');
    events.push({ id: r.run_dir, part: 'runs', agent: r.agent, ts: ts!, tms, text, sourceFile: r.run_dir, role: null, failure: false, run: r });
  }
  return events.sort(byTime);
}

/** Each agent's events, in time order. */
export function eventsByAgent(events: readonly RelayEvent[]): Map<string, RelayEvent[]> {
  const eventsOf = new Map<string, RelayEvent[]>();
  for (const e of events) pushTo(eventsOf, e.agent, e);
  return eventsOf;
}

/** An event another agent can build on: it has a role, or it is a posted (non-negative) result. */
export const upstreamable = (e: RelayEvent): boolean =>
  e.role !== null || (e.part === 'results' && e.result?.status !== 'negative' && e.result?.is_baseline !== true);

/** Latest event of one agent's time-ordered events strictly before `e` (within the window) that passes `ok`. */
export function latestOf(events: RelayEvent[] | undefined, e: RelayEvent, ok: (c: RelayEvent) => boolean): RelayEvent | null {
  if (!events) return null;
  for (let i = indexBefore(events, e) - 1; i >= 0; i--) {
    const c = events[i]!;
    if (e.tms - c.tms > WINDOW_MS) break;
    if (ok(c)) return c;
  }
  return null;
}

/** Number of events in a time-ordered list that come strictly before `e`. */
function indexBefore(events: RelayEvent[], e: RelayEvent): number {
  return partitionPoint(events.length, (i) => byTime(events[i]!, e) < 0);
}

/** The latest event of a time-ordered list strictly before `e`. */
export function lastBefore(events: RelayEvent[] | undefined, e: RelayEvent): RelayEvent | null {
  if (!events) return null;
  const i = indexBefore(events, e);
  return i > 0 ? events[i - 1]! : null;
}
