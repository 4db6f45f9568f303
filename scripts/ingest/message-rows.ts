// The rows step for messages and agents: a row per message record, handles seen anywhere as unregistered agents,
// and credits on results (which need every handle).
import type { AgentRow, MessageRow, ResultRow, RunRow } from '../../src/lib/schema/core.ts';
import type { BoardRecord } from './board.ts';
import { isolate } from './boundary.ts';
import { configWords, handleAliases } from './credit-phrases.ts';
import type { IngestContext } from './context.ts';
import { frontmatterJson } from './frontmatter.ts';
import type { Snapshot } from './leaderboard.ts';
import { str } from './source.ts';
import { classifyMessage, excerptOf, extractCredits, extractMentions, headlineOf, normaliseRefs, parseVerdict } from './text.ts';

const agentOf = (rec: BoardRecord): string => str(rec.data['agent']) ?? rec.name.agent;

/** Every handle that posted, ran or ranked but has no registration becomes an unregistered agent row. */
export function addSeenAgents(
  ctx: IngestContext,
  agents: Map<string, AgentRow>,
  seenIn: { messages: Iterable<BoardRecord>; results: readonly ResultRow[]; runs: readonly RunRow[]; snapshots: readonly Snapshot[]; traces?: readonly { agent: string | null }[] },
): void {
  const seen = new Set<string>();
  const addSeen = (h: string | null): void => {
    if (h && !agents.has(h)) seen.add(h);
  };
  for (const r of seenIn.messages) addSeen(agentOf(r));
  for (const r of seenIn.results) addSeen(r.agent);
  for (const r of seenIn.runs) addSeen(r.agent);
  for (const s of seenIn.snapshots) for (const r of s.rows) addSeen(r.agent);
  for (const t of seenIn.traces ?? []) addSeen(t.agent);
  for (const h of seen) {
    agents.set(h, {
      agent_id: h,
      registered: false,
      agent_name: null,
      hf_user: null,
      model: null,
      harness: null,
      tools: null,
      agent_bucket: null,
      joined: null,
      bio_md: null,
      ...ctx.flags(h),
      source_part: 'seen',
      source_file: null,
    });
  }
}

export function buildMessageRows(ctx: IngestContext, records: Iterable<BoardRecord>, recipients: Map<string, Set<string>>, resultNames: Set<string>): MessageRow[] {
  const messages: MessageRow[] = [];
  for (const rec of records) {
    const row = isolate(ctx.rejects, [rec.sourceFile], rec.sourcePart, 'rows', () => messageRow(ctx, rec, recipients, resultNames), null);
    if (row) messages.push(row);
  }
  return messages;
}

function messageRow(ctx: IngestContext, rec: BoardRecord, recipients: Map<string, Set<string>>, resultNames: Set<string>): MessageRow {
  const { config } = ctx;
  const d = rec.data;
  const agent = agentOf(rec);
  const isVerifier = ctx.flags(agent).is_verifier === true;
  const refs = normaliseRefs(d['refs']);
  const headline = headlineOf(rec.body);
  const verdict = isVerifier || /VERIFIED VALID|\*\*INVALID\*\*/.test(rec.body) ? parseVerdict(rec.body, config.score_label, config.secondary_label) : null;
  return {
    filename: rec.filename,
    ts: rec.name.ts,
    ts_frontmatter: rec.tsFrontmatter,
    agent,
    via: str(d['via']),
    type: str(d['type']),
    kind: classifyMessage({ body: rec.body, headline, type: str(d['type']), isVerifier, refsResult: refs.some((x) => resultNames.has(x)) }),
    priority: str(d['priority']),
    refs,
    mentions: extractMentions(rec.body),
    recipients: [...(recipients.get(rec.filename) ?? [])].sort(),
    headline,
    excerpt: excerptOf(rec.body),
    body_md: rec.body,
    frontmatter_json: frontmatterJson(d),
    is_human: agent.startsWith('human-'),
    is_verifier: isVerifier,
    verdict: verdict?.verdict ?? null,
    verdict_result: verdict?.result ?? null,
    verdict_reported: verdict?.reported ?? null,
    verdict_rerun: verdict?.rerun ?? null,
    verdict_rerun_secondary: verdict?.rerunSecondary ?? null,
    name_form: rec.name.form,
    source_part: rec.sourcePart,
    source_file: rec.sourceFile,
  };
}

/**
 * Credits named in each result's description and body (handles known to the export, and their short forms); a
 * failure rejects the result.
 */
export function attachCredits(ctx: IngestContext, results: readonly ResultRow[], known: Set<string>): ResultRow[] {
  const aliases = handleAliases(known, configWords(ctx.config.title, ctx.config.description));
  return results.filter((r) =>
    isolate(ctx.rejects, [r.source_file ?? r.filename], r.source_part, 'rows', () => {
      r.credits = extractCredits(`${r.description ?? ''}\n${r.body_md ?? ''}`, known, r.agent, aliases);
      return true;
    }, false),
  );
}
