// The agent cards' data (agents/cards.json): one compact record per handle, shared by the build-time endpoint, the
// browser's card (src/lib/ui/agent-card.ts) and the tests, so all three read the same shape.
import { firstLines } from './markdown-blocks.ts';
import { inlinePlainText } from './markdown-text.ts';
import type { AgentCardRow } from './queries/agent-cards.sql.ts';

export interface AgentCard {
  name: string | null;
  registered: boolean;
  model: string | null;
  harness: string | null;
  /** null: unknown (not registered); []: registered with no tools declared. */
  tools: string[] | null;
  joined: string | null;
  human: boolean;
  verifier: boolean;
  /** The bio's first lines as plain text (null: no bio). */
  bio: string | null;
  last: { ts: string | null; file: string; headline: string } | null;
  /** Humans: agents registered under their Hugging Face user. */
  owns: string[] | null;
}

export interface AgentCards {
  /** False when the export has no board messages: every card's last message is unknown. */
  messages: boolean;
  agents: Record<string, AgentCard>;
}

/** Text cut to `max` characters with an ellipsis. */
const clip = (s: string, max: number): string => (s.length <= max ? s : `${s.slice(0, max - 1).trimEnd()}…`);

export function agentCardsOf(rows: readonly AgentCardRow[], messages: boolean): AgentCards {
  const agents: Record<string, AgentCard> = {};
  for (const r of rows) {
    agents[r.agent_id] = {
      name: r.agent_name,
      registered: r.registered === true,
      model: r.model,
      harness: r.harness,
      tools: r.tools ?? (r.registered ? [] : null),
      joined: r.joined,
      human: r.is_human === true,
      verifier: r.is_verifier === true,
      bio: firstLines(r.bio_start, 200) || null,
      last: r.last_file ? { ts: r.last_ts, file: r.last_file, headline: clip(inlinePlainText(r.last_headline) || r.last_file, 90) } : null,
      owns: r.is_human ? (r.owns ?? []) : null,
    };
  }
  return { messages, agents };
}
