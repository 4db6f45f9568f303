// SQL builders for the methods page: every reject, and how many each ingest step refused.
import type { QuerySpec } from '../db/connector.ts';

export interface RejectRow {
  file: string;
  part: string | null;
  step: string | null;
  reason: string;
  detail: string | null;
}

/** Every input that could not become rows, by file. */
export const rejectsList = (): QuerySpec => ({
  tables: ['rejects'],
  sql: `SELECT file, part, step, reason, detail FROM rejects ORDER BY file, reason`,
});

/** Rejects per ingest step, the commonest first. */
export const rejectsByStep = (): QuerySpec => ({
  tables: ['rejects'],
  sql: `SELECT step, count(*) AS files FROM rejects GROUP BY step ORDER BY files DESC, step`,
});
