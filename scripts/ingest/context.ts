// What every ingest step shares: the rejects, the memo of units, the configuration, progress; and the listing step
// that sorts an export's entries into the parts of the layout.
import type { AgentRow } from '../../src/lib/schema/core.ts';
import type { CollabConfig } from '../../src/lib/config.ts';
import { partOf, type InputFile, type Part, type Rejects, type UnitMemo } from './source.ts';

export interface IngestContext {
  readonly rejects: Rejects;
  readonly memo: UnitMemo;
  readonly config: CollabConfig;
  /** is_human / is_verifier of a handle under this configuration. */
  readonly flags: (id: string) => Pick<AgentRow, 'is_human' | 'is_verifier'>;
  readonly tick: (what: string, n?: number) => void;
}

export function agentFlags(config: CollabConfig): IngestContext['flags'] {
  const verifiers = new Set(config.verifier_agents);
  return (id) => ({ is_human: id.startsWith('human-'), is_verifier: verifiers.has(id) });
}

export interface Parts {
  get(p: Part): InputFile[];
  filesPerPart: Record<string, number>;
}

const LAYOUT_HINT = 'expected message_board/, results/, agents/, inbox/, taskforces/, channels/, broadcasts/, traces/, runs/, leaderboard/, api/, shared_resources/ or README.md';

/**
 * The listing step: entries that are not regular files are rejected and never opened, files outside the layout are
 * rejected as unknown, and the rest are sorted into their parts.
 */
export function sortIntoParts(files: readonly InputFile[], rejects: Rejects): Parts {
  const byPart = new Map<Part, InputFile[]>();
  for (const f of files) {
    const p = partOf(f.rel);
    if (f.special) {
      rejects.add(f.rel, p === 'unknown' ? null : p, 'list', f.special.reason, f.special.detail);
      continue;
    }
    const list = byPart.get(p) ?? [];
    list.push(f);
    byPart.set(p, list);
  }
  for (const f of byPart.get('unknown') ?? []) rejects.add(f.rel, null, 'list', 'unknown folder or file: not part of the export layout', LAYOUT_HINT);
  const filesPerPart: Record<string, number> = {};
  for (const [p, l] of [...byPart].sort()) filesPerPart[p] = l.length;
  return { get: (p) => byPart.get(p) ?? [], filesPerPart };
}
