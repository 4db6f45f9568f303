// The message plan: every board message as a spec (time, author, refs, body builder) before names are assigned.
import type { FilenameRegistry } from './naming.ts';
import type { Rng } from './rng.ts';
import { END_MS, MINUTE } from './time.ts';
import type { Agent, MsgSpec, RefShape, ResultRec } from './types.ts';

export type SpecInput = Omit<MsgSpec, 'seq' | 'filename' | 'refs' | 'via' | 'type'> & {
  refs?: Array<ResultRec | MsgSpec>;
  via?: MsgSpec['via'];
  type?: string;
};

export class MessagePlan {
  readonly specs: MsgSpec[] = [];
  /** Results that already have a results-report message (relays, hand-offs, chatter). */
  readonly reportOf = new Map<ResultRec, MsgSpec>();

  add(input: SpecInput): MsgSpec {
    const seq = this.specs.length;
    const spec: MsgSpec = {
      via: defaultVia(input.agent),
      type: defaultType(input.agent),
      ...input,
      refs: input.refs ?? [],
      seq,
      filename: '',
    };
    // Replies to the last results of the window stay inside it (still after their targets, which end earlier).
    if (spec.ms > END_MS - MINUTE) spec.ms = END_MS - MINUTE - ((seq * 7919) % 50_000);
    this.specs.push(spec);
    return spec;
  }

  /** Sort by time (creation order breaks ties) and claim filenames; later specs never precede earlier ones. */
  assignNames(names: FilenameRegistry): MsgSpec[] {
    const sorted = this.specs.slice().sort((a, b) => a.ms - b.ms || a.seq - b.seq);
    for (const s of sorted) {
      const claimed = names.claim(s.ms, s.agent.id, s.legacy ?? false, s.legacyTopic ?? null);
      s.filename = claimed.filename;
      s.ms = claimed.ms;
    }
    // Re-sort by filename: stamps sort chronologically, and the legacy names share the prefix.
    return sorted.sort((a, b) => (a.filename < b.filename ? -1 : a.filename > b.filename ? 1 : 0));
  }
}

function defaultVia(agent: Agent): MsgSpec['via'] {
  if (agent.kind === 'human') return 'dashboard';
  if (agent.kind === 'verifier') return 'server';
  return 'bucket';
}

function defaultType(agent: Agent): string {
  if (agent.kind === 'human') return 'user';
  if (agent.kind === 'verifier') return 'verification';
  return 'agent';
}

/** Pick a refs shape the way real clients vary: one string, space/comma-joined strings, or a YAML list. */
export function pickRefShape(rng: Rng, n: number): RefShape {
  if (n <= 1) return rng.chance(0.55) ? 'string' : 'list';
  const u = rng.next();
  return u < 0.3 ? 'space' : u < 0.55 ? 'comma' : 'list';
}
