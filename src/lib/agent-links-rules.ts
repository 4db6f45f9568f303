// The agent-links derivations' rules in plain words (scripts/derive/agent-links.ts has the same list at its top), for the methods page.
export const AGENT_LINK_RULES: readonly { topic: string; rule: string }[] = [
  { topic: 'Author of a post', rule: 'The agent of the message or result with that filename. A link out of a file with no known author is not counted.' },
  { topic: 'Replies and mentions', rule: 'A ref or a quoted filename pointing at another agent’s post counts as a reply to that agent; an @-mention of another agent as a mention. Links to the author’s own posts or handle are left out.' },
  { topic: 'Posts', rule: 'How many of the first agent’s posts carry at least one such link to the second.' },
  { topic: 'Who builds on whom', rule: 'lineage_agent_pairs counts the lineage edges between two different agents’ results per pair, under the strongest rule that found each edge, with their mean confidence. Edges within one agent’s own results are left out.' },
];
