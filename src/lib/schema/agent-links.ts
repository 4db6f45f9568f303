// Tables written by the agent-links derivation (scripts/derive/agent-links.ts): who replies to whom, per pair of agents.
import { key, table, type Row } from './types.ts';

export const agentLinks = table({
  name: 'agent_links',
  description:
    'Who replies to whom: links out of messages and results to a different agent (a reply: ref or quoted filename; a mention: @handle), counted per ordered pair of agents.',
  orderBy: ['from_agent', 'to_agent'],
  columns: [
    key('from_agent', 'VARCHAR', 'Author of the messages and results that carry the links.'),
    key('to_agent', 'VARCHAR', 'Agent at the other end: author of the post linked to, or the handle mentioned (never from_agent).'),
    key('replies', 'INTEGER', 'Links of kind ref or quoted-filename from from_agent’s posts to to_agent’s posts.'),
    key('mentions', 'INTEGER', 'Links of kind mention (@to_agent) in from_agent’s posts.'),
    key('posts', 'INTEGER', 'Posts of from_agent with at least one such link to to_agent.'),
  ],
});

export type AgentLinkRow = Row<typeof agentLinks>;

export const AGENT_LINKS_TABLES = [agentLinks] as const;
