// Where a relay step came from, for links and labels: board focus for messages and results, run dirs and document lines as text.
import type { RelayStepQueryRow } from '../queries/relays.sql.ts';

export const ROLES = ['build', 'run', 'fail', 'diagnose', 'ship'] as const;
export type Role = (typeof ROLES)[number];

/**
 * Shape and colour per role (Okabe–Ito hues, readable on light and dark backgrounds), so roles stay apart
 * without colour; `glyph` is the same shape as text for lists.
 */
export const ROLE_STYLE: Record<Role, { symbol: string; color: string; glyph: string; label: string }> = {
  build: { symbol: 'square', color: '#3b82f6', glyph: '■', label: 'build' },
  run: { symbol: 'circle', color: '#cc79a7', glyph: '●', label: 'run' },
  fail: { symbol: 'times', color: '#e4572e', glyph: '✕', label: 'fail' },
  diagnose: { symbol: 'diamond', color: '#e69f00', glyph: '◆', label: 'diagnose' },
  ship: { symbol: 'star', color: '#009e73', glyph: '★', label: 'ship' },
};

/** A role from the table, or `run` for an unexpected value (the derivation writes only the five). */
export const roleOf = (r: string | null): Role => ((ROLES as readonly string[]).includes(r ?? '') ? (r as Role) : 'run');

export interface StepSource {
  /** board: a message or result with a focus link; run: a run directory; document: a shared document line. */
  kind: 'board' | 'run' | 'document' | 'unknown';
  /** Link to the board focus view (messages and results), else null. */
  href: string | null;
  /** What to show: the message or result filename, the run dir, or the document path. */
  label: string;
  /** Line of the document the credit bracket is on (from the `#L<n>` in the chain id), when known. */
  line: number | null;
}

/** The last path segment: board focus keys are bare filenames (`message_board/<file>.md` → `<file>.md`). */
export const basename = (path: string): string => path.slice(path.lastIndexOf('/') + 1);

/** The message or result with its thread (links.ts builds every internal URL). */
export { focusHref as boardFocusHref } from '../links.ts';
import { focusHref as boardFocusHref } from '../links.ts';

export function stepSource(s: Pick<RelayStepQueryRow, 'chain_id' | 'source_file' | 'source_part'>, base: string): StepSource {
  const file = s.source_file ?? '';
  switch (s.source_part) {
    case 'messages':
    case 'results': {
      const name = basename(file);
      return { kind: 'board', href: name ? boardFocusHref(base, name) : null, label: name || file, line: null };
    }
    case 'runs':
      return { kind: 'run', href: null, label: file, line: null };
    case 'documents': {
      const m = /#L(\d+)$/.exec(s.chain_id);
      return { kind: 'document', href: null, label: file, line: m ? Number(m[1]) : null };
    }
    default:
      return { kind: 'unknown', href: null, label: file, line: null };
  }
}
