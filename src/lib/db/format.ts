// Display text for a result cell, shared by build-time tables and tables the browser fills in.
import type { Cell } from './connector.ts';

const numberFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 3 });

/** The text a table cell shows: numbers grouped (up to 3 decimals), lists comma-joined, null as an empty string. */
export function formatCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? numberFormat.format(value) : String(value);
  if (Array.isArray(value)) return value.map(formatCell).join(', ');
  if (value instanceof Uint8Array) return `${value.length} bytes`;
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value as Cell);
}

/** True for values a table right-aligns. */
export const isNumeric = (value: unknown): boolean => typeof value === 'number';

/**
 * Tooltip for a value recovered with its provenance (results.secondary_source and _evidence): where it came from,
 * the text or run that states it, and any source that disagrees.
 */
export function sourceTitle(source: unknown, evidence: unknown, conflicts: unknown = null): string {
  if (typeof source !== 'string' || source === '') return '';
  const where: Record<string, string> = {
    frontmatter: 'from the result frontmatter',
    description: 'from the description',
    body: 'from the result body',
    run: 'from the run record',
  };
  const ev = typeof evidence === 'string' && evidence ? (source === 'run' ? `: ${evidence}` : `: “${evidence}”`) : '';
  const list = Array.isArray(conflicts) ? conflicts.filter((c): c is string => typeof c === 'string') : [];
  return `${where[source] ?? `from ${source}`}${ev}${list.length ? `; disagrees: ${list.join('; ')}` : ''}`;
}
