// Relays rule 6: credit brackets (`[a flagged / b built / c benched]`) in shared documents as relays.
import type { CollabConfig } from '../../../src/lib/config.ts';
import { parseCreditBrackets } from '../../../src/lib/relays/credit-brackets.ts';
import type { ResultRow } from '../../../src/lib/schema/core.ts';
import { extractQuotedFilenames } from '../../ingest/text.ts';
import type { CoreTables } from '../../ingest/ingest.ts';
import { titleOf, type Relay } from './relay.ts';

type Bracket = ReturnType<typeof parseCreditBrackets>[number];
type BracketPart = Bracket['parts'][number];

/** Rule 6: every multi-role bracket of a chain or hand-off shape, with its outcome (its gain is rule 7's, after merging). */
export function bracketRelays(core: CoreTables, config: CollabConfig): Relay[] {
  const out: Relay[] = [];
  const labels = [config.score_label, config.unit, config.score_field];
  const resultByName = new Map(core.results.map((r) => [r.filename, r]));
  for (const d of core.documents) {
    if (!d.text || (d.format !== 'md' && d.format !== 'txt')) continue;
    const lines = d.text.split('\n');
    for (const b of parseCreditBrackets(d.text, { scoreLabels: labels, higherIsBetter: config.higher_is_better })) {
      if (!b.multiRole) continue;
      const parts = b.parts.filter((p) => p.role !== null);
      const kind = bracketKind(parts);
      if (!kind) continue;
      const id = `bracket/${d.path}#L${b.line}`;
      const quoted = extractQuotedFilenames(lines[b.line - 1] ?? '')
        .map((f) => resultByName.get(f))
        .filter((r): r is ResultRow => r !== undefined);
      const match = bracketOutcome(parts, b, quoted, core.results);
      out.push({
        id,
        kind,
        source: 'credit-bracket',
        steps: parts.map((p, i) => ({
          chain_id: id,
          step: i + 1,
          agent: p.agent,
          role: p.role!,
          rule: `bracket:${p.verb}`,
          linked_by: 'bracket',
          ts: null,
          source_file: d.path,
          source_part: 'documents',
          evidence: b.evidence,
        })),
        eventIds: parts.map(() => null),
        outcomeResult: match?.filename ?? null,
        outcomeScore: match ? match.score : b.score,
        startTs: null,
        endTs: match?.ts ?? null,
        title: titleOf(b.evidence),
        leverTitle: titleOf(b.title),
        evidence: b.evidence,
      });
    }
  }
  return out;
}

/** ≥ 3 distinct agents → chain; 2 agents with build and run/ship → handoff; else no relay. */
function bracketKind(parts: readonly BracketPart[]): Relay['kind'] | null {
  const agents = new Set(parts.map((p) => p.agent));
  if (agents.size >= 3) return 'chain';
  if (agents.size === 2 && parts.some((p) => p.role === 'build') && parts.some((p) => p.role === 'run' || p.role === 'ship')) return 'handoff';
  return null;
}

/**
 * The outcome of the last (bench/ship) agent: 1. its result quoted on the line; 2. its result that credits the
 * other agents; 3. when the line quotes no result, its result within 1 % of the quoted score.
 */
function bracketOutcome(parts: readonly BracketPart[], b: Bracket, quoted: readonly ResultRow[], results: readonly ResultRow[]): ResultRow | undefined {
  const agents = [...new Set(parts.map((p) => p.agent))];
  const shipAgent = [...parts].reverse().find((p) => p.role === 'ship' || p.role === 'run')?.agent ?? null;
  if (shipAgent === null) return undefined;
  const others = agents.filter((a) => a !== shipAgent);
  const byTs = (x: ResultRow, y: ResultRow): number => (x.filename < y.filename ? -1 : 1);
  const own = results.filter((r) => r.agent === shipAgent && r.score !== null).sort(byTs);
  return (
    quoted.find((r) => r.agent === shipAgent) ??
    own.find((r) => others.length > 0 && others.every((a) => (r.credits ?? []).includes(a))) ??
    (quoted.length === 0 && b.score !== null ? own.find((r) => Math.abs(r.score! - b.score!) <= Math.abs(b.score!) * 0.01) : undefined)
  );
}
