// Lineage of inventions: results as nodes, evidenced parent → child edges between them, method tokens as techniques.
//
// EDGE RULES (strongest first). Every edge points from an earlier result to a strictly later one, or (rule 3 only)
// from an agent-level node, and carries the file and the snippet (≤ 240 characters) that justify it: no edge without
// evidence, none for a result without a stamp, and a baseline result is never a child (baselines are roots by
// definition).
//
// 1. ref [refCandidates]: someone wrote the link down.
//    a. [resultRefs] A result's own `refs` frontmatter names an earlier result A → A → result                          (1.0)
//    b. [messageRefs] A board message by agent X refs two or more results and names one of X's own (in refs or quoted in its
//       body): X's latest named result is the child, every other result in refs that is earlier is a parent (a
//       results-report surfaced as a follow-up to what it built on)                                         (0.9)
//       A message that refs only other agents' results gives nothing: replies and plans ref what they discuss.
//    c. [quotedRefs] A result's description or body quotes another result's filename or stamp                           (0.7)
// 2. bucket-path [bucketCandidates]: the child's recipe reads files from another agent's bucket.
//    a. [pathCandidates] The child's `submission` URI lies in another agent's bucket or submissions/<agent>/ prefix         (0.9)
//    b. [pathCandidates] One of its `artifacts` paths does (hf://buckets/<org>/<bucket>/…, submissions/<agent>/…,
//       artifacts/<slug>_<agent>/…, results/<agent>/<run>/)                                                  (0.85)
//    c. [runJoins, runsOf, bucketTokenWeights, runCandidates] A run of the child has a manifest env pointing into another agent's bucket (runs.bucket_refs). The run
//       belongs to the child by a job id the result quotes, by an artifacts path naming the run dir, or by the
//       child's submission prefix when the run is the child's own agent's (0.8; a reproduction of someone's
//       submission does not inherit their runs); failing those, by score: the only run of the same agent whose
//       score rounds to the posted one and that was not launched after it (0.7; real case: 506.7445 in
//       runs/vllm-hayai-repro-v1 posted as 506.74). One edge per (child, bucket agent).
//    A bucket names its agent through agents.agent_bucket, else by being the handle or ending in -<handle>
//    (gemma-kenyan-duma → kenyan-duma, longest handle wins). The child's own agent never counts.
// 3. credit [creditCandidates: textCredits, methodHandles]: the child's text names another agent. results.credits (known handles or their short forms in description
//    or body, from the ingest; scripts/ingest/credit-phrases.ts reads how each is named), or a multi-part handle
//    spelled inside the child's method string (handlesInMethod, 0.7). Confidence 0.75 when a credit cue (credit,
//    thanks, repro…, port, based on, on top of, from, using, byte-identical, 's) is within 60 characters of the name,
//    0.6 otherwise (a bare mention). An agent the text only compares with ("beats X 504.02", "vs @X 418.80") gives no
//    edge, nor does a name whose every mention is a relay role ("@X built the checkpoint", "@Y ran it first (failed
//    at load)", "diagnosed", "benched"…) unless a stronger cue credits them too: the help was a message or a run, not
//    a result (relay chains are another derivation's job).
//    AGENT-LEVEL PARENT: when the named agent has no earlier result in the export (snapshots keep each agent's best,
//    so the reproduced or ported result is often missing), a credit, reproduction, port or delta links from the
//    agent itself: node agent:<handle> (node_kind agent, "result not in this export"), same rule, confidence and
//    evidence. A bare mention of such an agent links nothing.
// 4. token [tokenCandidates: childSearch, closestParent, bestInLevel, tokenEdge]: inheritance by fingerprint. The child's token set strictly contains an earlier result's set that has at
//    least one recipe token (activity labels alone, e.g. {frontier, repro}, are no evidence: ACTIVITY_TOKENS). Only
//    the closest parent is kept: the largest contained set; among earlier results with a set of that size, first one
//    that another rule already links to the child, then one whose method or submission name the child's text quotes
//    ("on top of vllm-int4-lmhead-v1"), then the child's own agent's latest (agents iterate on their own work), then
//    the better eligible score, then the most recent. Confidence 0.2 + 0.3·|parent set| / |child set| (≤ 0.5).
//    Cost: subsets are looked up one size at a time from the child's size down in an index of distinct token sets
//    (memoised per distinct set; a parent one token down costs |set| look-ups); past 4,096 look-ups the remaining
//    sizes come from a token → sets posting index (TokenSets, SubsetLevels). Never a comparison of all pairs of results.
//
// WHICH RESULT OF AN AGENT [Graph.pickParent] (rules 2 and 3 name an agent, not a result). Among that agent's results strictly earlier
// than the child, compare in order:
//    - a method string or submission name of the candidate quoted as a whole word right at the mention (the clause
//      around the name, or the path itself): "builds on @X's `vllm-int4-lmhead-v1`", submissions/X/<name>;
//    - for a stack mention ("Reproduction of X's … stack", "on top of X's …", a submission or artifacts path, a
//      handle in the method): the closest strict token subset of the child (larger first; the same recipe ranks
//      just below the closest strict subset);
//      for an invention mention (the name sits in a credit list, "credit: X drafter, Y keepset", "Credits: @X @Y",
//      or a run reads X's bucket): first a candidate that introduced (used first of all results) a token the child
//      carries and that the mention names ("X lm_head untie" → lmhead) or, for buckets, that goes with reading X's
//      bucket (most readers carry it and most results carrying it read the bucket); then one introducing any token
//      the child carries; then the subset order above;
//    - a name of the candidate quoted anywhere in the child's text; then the number of shared tokens; then the better
//      eligible score; then the most recent.
//    An agent without an earlier result gives no result edge (rule 3 may link to the agent-level node instead).
//
// ONE EDGE PER (parent, child) [mergeCandidates]: candidates from all rules are grouped by pair; the edge keeps the strongest rule
// (order above, then the higher confidence) with its evidence; the other rules that found the same pair are listed
// in extra_rules (their evidence is dropped). confidence = 1 − Π(1 − c) over the best confidence of each rule that
// found the pair (noisy-OR: independent evidence agreeing makes the pair surer than any one rule says).
//
// NODES [nodeRows: frontierFlags, paretoFlags, resultNodeRows, agentNodeRows]: is_frontier: eligible (score present, not negative, not invalid, not over the secondary cap) and strictly
// better than every earlier eligible result in the configured direction (ties keep the earlier one). is_pareto:
// eligible and not dominated on (score in the configured direction, secondary lower is better); null for eligible
// results without a secondary value, false for ineligible ones. layer: UTC day index from the first result's day.
// depth: 0 without parents, else 1 + the deepest parent (edges go forward in time, so one pass in time order).
// An agent-level node has no time, score or method; its layer is its earliest child's, its depth 0.
//
// TECHNIQUES [techniqueRows]: one row per token; the earliest result using it names the inventor (a candidate: the first to post
// it, not proof of invention). dead_end_count counts negative, invalid or over-cap results using the token. frontier_result
// and frontier_gain: the first frontier step carrying the token and that step's gain (the page classifies it with
// src/lib/ties.ts classifyGain). stop_reason: the data-driven stop-list (stop-list.ts: activity, numeric, fragment,
// name, one-off); a token without one is a technique.
//
// KEPT BETWEEN BUILDS [buildLineage: resultSide]: rules 2 and 3 read only results, runs, the known handles and their buckets
// (agents) and the configuration. Their candidates are the derivation's memo (scripts/derive/index.ts Derivation.memo,
// keyed by those tables' rows hashes): a refresh whose results, runs and agents are last build's (new board messages)
// reuses them and reruns rules 1 and 4, the merge, nodes and techniques; any change to those tables reruns all.
// Candidates are plain data listed in the same order either way, so the tables are the same with or without the memo.
import type { CollabConfig } from '../../../src/lib/config.ts';
import type { MessageLinkRow, MessageRow, ResultRow, RunRow } from '../../../src/lib/schema/core.ts';
import { LINEAGE_TABLES, type LineageEdgeRow, type LineageNodeRow, type TechniqueRow } from '../../../src/lib/schema/lineage.ts';
import { configWords, handleAliases } from '../../ingest/credit-phrases.ts';
import type { CoreTables } from '../../ingest/ingest.ts';
import type { Derivation, DerivationMemo } from '../index.ts';
import type { EdgeCandidate } from './candidates.ts';
import { bucketCandidates } from './bucket-rule.ts';
import { creditCandidates } from './credit-rule.ts';
import { Graph } from './graph.ts';
import { mergeCandidates } from './merge.ts';
import { nodeRows } from './nodes.ts';
import { bucketResolver } from './paths.ts';
import { refCandidates } from './ref-rule.ts';
import { techniqueRows } from './techniques.ts';
import { tokenCandidates } from './token-rule.ts';

export { agentNodeId, CONFIDENCE, EVIDENCE_MAX, isAgentNode, RULE_ORDER, type EdgeCandidate, type LineageRule } from './candidates.ts';
export type { PickHints, PickMode } from './graph.ts';
export { mergeCandidates } from './merge.ts';
export { agentsInPath, bucketResolver, scoreTolerance } from './paths.ts';
export { clausesWith, creditMode, creditSegment, hasCreditCue, onlyRoleMentions, snippetAround } from './text.ts';

export interface LineageInput {
  results: readonly ResultRow[];
  messages?: readonly MessageRow[];
  message_links?: readonly MessageLinkRow[];
  runs?: readonly RunRow[];
  /** Known handles (agents.agent_id); default: the result and message authors. */
  agents?: readonly string[];
  /** agent_id → agent_bucket, for bucket → agent resolution. */
  agentBuckets?: ReadonlyMap<string, string>;
}

export interface LineageTables {
  lineage_nodes: LineageNodeRow[];
  lineage_edges: LineageEdgeRow[];
  techniques: TechniqueRow[];
}

/** The rules above, in order: rules 1–3, then 4 (which prefers parents they found), one edge per pair, nodes, techniques. Pure. */
export function buildLineage(input: LineageInput, config: CollabConfig, memo?: DerivationMemo): LineageTables {
  const handles = new Set<string>(input.agents ?? []);
  if (!input.agents) {
    for (const r of input.results) if (r.agent) handles.add(r.agent);
    for (const m of input.messages ?? []) if (m.agent) handles.add(m.agent);
  }
  const g = new Graph(input.results, handles, config.higher_is_better);
  const resolve = bucketResolver(handles, input.agentBuckets);
  const aliases = handleAliases(handles, configWords(config.title, config.description));
  // Without known agents the handles come from messages too: then rules 2 and 3 are not kept.
  const kept = input.agents ? memo : undefined;
  const resultSide = (kept?.value as EdgeCandidate[] | undefined) ?? [...bucketCandidates(g, input.runs ?? [], handles, resolve), ...creditCandidates(g, handles, aliases)];
  if (kept && kept.value === undefined) kept.set(resultSide);
  const strong = [...refCandidates(g, input.messages ?? [], input.message_links ?? []), ...resultSide];
  const linked = new Set(strong.map((c) => `${c.parent}\u0000${c.child}`));
  // Baselines are roots by definition: never a child.
  const cands = [...strong, ...tokenCandidates(g, linked)].filter((c) => !g.byFile.get(c.child)?.r.is_baseline);
  const edges = mergeCandidates(cands, g);
  const nodes = nodeRows(g, edges, config);
  return { lineage_nodes: nodes, lineage_edges: edges, techniques: techniqueRows(g, nodes, config, handles) };
}

/** The lineage tables from the core tables. */
export function lineageFromCore(core: CoreTables, config: CollabConfig, memo?: DerivationMemo): LineageTables {
  const agentBuckets = new Map<string, string>();
  for (const a of core.agents) if (a.agent_bucket) agentBuckets.set(a.agent_id, a.agent_bucket);
  return buildLineage(
    {
      results: core.results,
      messages: core.messages,
      message_links: core.message_links,
      runs: core.runs,
      agents: core.agents.map((a) => a.agent_id),
      agentBuckets,
    },
    config,
    memo,
  );
}

export const lineageDerivation: Derivation = {
  name: 'lineage',
  tables: LINEAGE_TABLES,
  inputs: ['agents', 'results', 'messages', 'message_links', 'runs'],
  // The columns it reads of each input (the build reads back only these; tests/unit/derive/columns.test.ts checks them).
  columns: {
    agents: ['agent_bucket', 'agent_id'],
    results: ['agent', 'artifacts', 'body_md', 'credits', 'description', 'filename', 'is_baseline', 'job_ids', 'method', 'over_cap', 'refs', 'score', 'secondary', 'source_file', 'status', 'submission', 'submission_prefix', 'ts', 'verification'],
    messages: ['agent', 'filename', 'refs', 'source_file'],
    message_links: ['from_file', 'kind', 'to_file', 'to_part'],
    runs: ['agent', 'bucket_refs', 'created_at', 'duplicate_of', 'finished_at', 'job_id', 'run_dir', 'run_name', 'score', 'submission_prefix'],
  },
  // Rules 2 and 3 read only these (KEPT BETWEEN BUILDS above).
  memo: { inputs: ['agents', 'results', 'runs'] },
  run: (core, config, _derived, memo) => ({ ...lineageFromCore(core, config, memo) }),
};
