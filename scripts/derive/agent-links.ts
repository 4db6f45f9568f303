// Agent-links derivations: who replies to whom and who builds on whom, counted once at build time per ordered pair of
// agents (the SQL console's examples read them; aggregating every link or edge in the browser took 0.15–0.5 s at
// scale 100).
//
// RULES (src/lib/agent-links-rules.ts says the same in plain words for the methods page)
//
// 1. [authors] A post's author is the agent of the message or result with that filename (the two share one
//    namespace; when both name it, the smaller handle, as SQL's min()). A link from a file that is neither, or whose
//    author is unknown, is not counted.
// 2. [agentLinkRows] Every link out of a post with a known to_agent different from its author counts for the pair
//    (author, to_agent): kind ref or quoted-filename as a reply, kind mention as a mention.
// 3. [agentLinkRows] posts counts the distinct posts of the author with at least one link counted for the pair.
// 4. Rows are ordered by (from_agent, to_agent).
// 5. [lineagePairRows] lineage_agent_pairs: every lineage edge whose parent_agent and child_agent are both known and
//    differ counts for that pair, under its rule (the strongest that found it); mean_confidence is the mean of the
//    edges' confidences. Ordered by (parent_agent, child_agent).
import { agentLinks, lineageAgentPairs, type AgentLinkRow, type LineageAgentPairRow } from '../../src/lib/schema/agent-links.ts';
import type { LineageEdgeRow } from '../../src/lib/schema/lineage.ts';
import type { MessageLinkRow } from '../../src/lib/schema/core.ts';
import type { CoreTables } from '../ingest/ingest.ts';
import { compareStrings as cmp } from './collections.ts';
import type { Derivation } from './index.ts';

type Post = { filename: string; agent: string | null };
type Link = Pick<MessageLinkRow, 'from_file' | 'kind' | 'to_agent'>;

/** Rule 1: the author of each filename among messages and results. */
function authors(...parts: readonly (readonly Post[])[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const rows of parts) {
    for (const { filename, agent } of rows) {
      if (agent === null || agent === undefined) continue;
      const had = out.get(filename);
      if (had === undefined || agent < had) out.set(filename, agent);
    }
  }
  return out;
}

/** Rules 2–4. */
export function agentLinkRows(links: readonly Link[], messages: readonly Post[], results: readonly Post[]): AgentLinkRow[] {
  const author = authors(messages, results);
  const pairs = new Map<string, AgentLinkRow & { files: Set<string> }>();
  for (const l of links) {
    const from = author.get(l.from_file);
    if (from === undefined || l.to_agent === null || l.to_agent === from) continue;
    const k = `${from}\u0000${l.to_agent}`;
    let p = pairs.get(k);
    if (!p) pairs.set(k, (p = { from_agent: from, to_agent: l.to_agent, replies: 0, mentions: 0, posts: 0, files: new Set() }));
    if (l.kind === 'ref' || l.kind === 'quoted-filename') p.replies++;
    else if (l.kind === 'mention') p.mentions++;
    p.files.add(l.from_file);
  }
  return [...pairs.values()]
    .map(({ files, ...p }) => ({ ...p, posts: files.size }))
    .sort((a, b) => cmp(a.from_agent, b.from_agent) || cmp(a.to_agent, b.to_agent));
}

export const agentLinksDerivation: Derivation = {
  name: 'agent-links',
  tables: [agentLinks],
  inputs: ['message_links', 'messages', 'results'],
  columns: {
    message_links: ['from_file', 'kind', 'to_agent'],
    messages: ['filename', 'agent'],
    results: ['filename', 'agent'],
  },
  run(core: CoreTables) {
    return { agent_links: agentLinkRows(core.message_links, core.messages, core.results) as unknown as Record<string, unknown>[] };
  },
};

type Edge = Pick<LineageEdgeRow, 'parent_agent' | 'child_agent' | 'rule' | 'confidence'>;

const BY_RULE: Record<string, 'by_ref' | 'by_bucket_path' | 'by_credit' | 'by_token'> = {
  ref: 'by_ref',
  'bucket-path': 'by_bucket_path',
  credit: 'by_credit',
  token: 'by_token',
};

/** Rule 5. An edge with a rule outside the four is a bug in the lineage derivation: it throws rather than vanish. */
export function lineagePairRows(edges: readonly Edge[]): LineageAgentPairRow[] {
  const pairs = new Map<string, LineageAgentPairRow & { sum: number; known: number }>();
  for (const e of edges) {
    const { parent_agent: from, child_agent: to } = e;
    if (from === null || to === null || from === to) continue;
    const by = BY_RULE[e.rule ?? ''];
    if (!by) throw new Error(`lineage_agent_pairs: edge with unknown rule ${JSON.stringify(e.rule)}`);
    const k = `${from}\u0000${to}`;
    let p = pairs.get(k);
    if (!p) {
      p = { parent_agent: from, child_agent: to, edges: 0, mean_confidence: null, by_ref: 0, by_bucket_path: 0, by_credit: 0, by_token: 0, sum: 0, known: 0 };
      pairs.set(k, p);
    }
    p.edges++;
    p[by]++;
    if (e.confidence !== null) {
      p.sum += e.confidence;
      p.known++;
    }
  }
  return [...pairs.values()]
    .map(({ sum, known, ...p }) => ({ ...p, mean_confidence: known ? sum / known : null }))
    .sort((a, b) => cmp(a.parent_agent, b.parent_agent) || cmp(a.child_agent, b.child_agent));
}

export const lineageAgentPairsDerivation: Derivation = {
  name: 'lineage-agent-pairs',
  tables: [lineageAgentPairs],
  inputs: [],
  reads: ['lineage_edges'],
  run(_core: CoreTables, _config, derived) {
    const edges = (derived?.['lineage_edges'] ?? []) as unknown as Edge[];
    return { lineage_agent_pairs: lineagePairRows(edges) as unknown as Record<string, unknown>[] };
  },
};
