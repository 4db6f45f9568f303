// SQL for the agent cards (src/lib/ui/agent-card.ts, published as agents/cards.json): each handle's registration,
// its last board message, and for a human the agents registered under the same Hugging Face user.
import type { QuerySpec } from '../db/connector.ts';

export interface AgentCardRow {
  agent_id: string;
  agent_name: string | null;
  registered: boolean | null;
  model: string | null;
  harness: string | null;
  tools: string[] | null;
  joined: string | null;
  hf_user: string | null;
  /** The bio's start (its first lines are shown). */
  bio_start: string | null;
  is_human: boolean | null;
  is_verifier: boolean | null;
  /** Last board message (null when the handle posted none, or the export has no board messages). */
  last_ts: string | null;
  last_file: string | null;
  last_headline: string | null;
  /** For a human: agents whose registration names the same Hugging Face user (`human-<hf_user>`). */
  owns: string[] | null;
}

/**
 * Every handle of the agents table. `withMessages` false (an export without board messages) leaves the last message
 * null: the card then says it is unknown, not that there is none.
 */
export function agentCards(withMessages: boolean): QuerySpec {
  const last = withMessages
    ? `SELECT agent, max(ts) AS last_ts, arg_max(filename, ts) AS last_file, arg_max(headline, ts) AS last_headline FROM messages WHERE agent IS NOT NULL GROUP BY agent`
    : `SELECT NULL::VARCHAR AS agent, NULL::TIMESTAMP AS last_ts, NULL::VARCHAR AS last_file, NULL::VARCHAR AS last_headline WHERE false`;
  return {
    tables: withMessages ? ['agents', 'messages'] : ['agents'],
    sql: `WITH last AS (${last}),
owned AS (
  SELECT h.agent_id, list(a.agent_id ORDER BY a.agent_id) AS owns
  FROM agents h
  JOIN agents a ON NOT coalesce(a.is_human, false) AND a.hf_user IS NOT NULL
    AND (a.hf_user = h.hf_user OR a.hf_user = substr(h.agent_id, 7))
  WHERE h.is_human
  GROUP BY h.agent_id
)
SELECT a.agent_id, a.agent_name, a.registered, a.model, a.harness, a.tools, a.joined, a.hf_user,
  left(a.bio_md, 600) AS bio_start, a.is_human, a.is_verifier, l.last_ts, l.last_file, l.last_headline, o.owns
FROM agents a
LEFT JOIN last l ON l.agent = a.agent_id
LEFT JOIN owned o ON o.agent_id = a.agent_id
ORDER BY a.agent_id`,
  };
}
