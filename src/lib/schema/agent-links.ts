// Tables written by the agent-links derivations (scripts/derive/agent-links.ts): who replies to whom and who builds on
// whom, per pair of agents.
import { col, key, table, type Row } from './types.ts';

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

export const lineageAgentPairs = table({
  name: 'lineage_agent_pairs',
  description:
    'Who builds on whom: lineage edges (lineage_edges) between different agents, counted per ordered pair (parent_agent, whose result is built on; child_agent, who builds on it).',
  orderBy: ['parent_agent', 'child_agent'],
  columns: [
    key('parent_agent', 'VARCHAR', 'Author of the parent results (the credited agent for an agent-level parent).'),
    key('child_agent', 'VARCHAR', 'Author of the child results (never parent_agent).'),
    key('edges', 'INTEGER', 'Lineage edges from parent_agent’s results to child_agent’s.'),
    col('mean_confidence', 'DOUBLE', 'Mean confidence of those edges (null when none has one).'),
    key('by_ref', 'INTEGER', 'Edges whose strongest rule is ref.'),
    key('by_bucket_path', 'INTEGER', 'Edges whose strongest rule is bucket-path.'),
    key('by_credit', 'INTEGER', 'Edges whose strongest rule is credit.'),
    key('by_token', 'INTEGER', 'Edges whose strongest rule is token.'),
  ],
});

export type LineageAgentPairRow = Row<typeof lineageAgentPairs>;

export const AGENT_LINKS_TABLES = [agentLinks, lineageAgentPairs] as const;
