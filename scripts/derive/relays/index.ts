// Relays derivation: messages, runs and results linked into build → run → fail → diagnose → ship relays, plus
// the role credits of `[a flagged / b built / c benched]` brackets in shared documents.
//
// Rules (role rules are in src/lib/relays/roles.ts; src/lib/relays/rules.ts says the same for the methods page):
// 1. Events [relayEvents]. Every board message (verifier identities excluded), every canonical run dir (duplicate_of null;
//    time = created_at, else finished_at, else ready_at) and every result with a time. Events without a time
//    cannot be ordered and are left out.
// 2. Links, always from an earlier event to a later one (links.ts, one function a kind):
//    ref / quoted-filename  [refLinks] message_links rows resolved to another event;
//    report    [reportLinks] a results-report refs its author's result and other messages: those messages → the result (§1.4);
//    artifact  [artifactLinks] both name the same artifact path (artifacts/<slug>, submissions/<agent>/<name>,
//              hf://buckets/<bucket>/<up to 3 folders>), or a run's submission prefix / manifest bucket_refs
//              point into it; the later event links to the latest earlier mention, the path owner's first;
//    job       [jobLinks] a message or result quotes a run's 24-hex job id;
//    mention   [mentionLinks] @agent in a message: from that agent's latest earlier event that has a role or is a result;
//    credit    [creditLinks] results.credits: from the agent's latest build post, else its latest result, else its latest
//              event with a role.
// 3. Roles [markFailures, assignRoles; improvesBest: startingPoint, bestResults] (roles.ts) with context from the links: linksToOtherAgent (any link from another agent's event,
//    a mention, a credit, another agent's artifact path); repliesToFailure (refs or quotes a failure, or
//    mentions an agent whose latest event is one); improvesBest: beats the best of the results the result
//    builds on (results it refs, quotes or reports, whose artifact path, method string or `<agent>'s <name>`
//    submission it names; failing those the latest result of the credited agent named possessively ("a's
//    stack"), else of each agent it credits; failing those every earlier result), counting only
//    agent-run/baseline results that are not invalid and not over the cap.
// 4. Chains [shipRelays: walkFromShip, orderSteps, isChainShape]. From every ship walk backwards: (a) follow file links (ref, quoted-filename, report, artifact,
//    job) into earlier events that have a role; (b) admit events of the agents the ship credits or mentions
//    (and the shipper's own) that are tied to an event already in the walk, in either direction, by a file
//    link or by a diagnosis @-addressed to the author of a failure; repeat (a) from them. A credit alone never
//    admits an event (credits also name the stack the ship started from). Upstream results are lineage, not
//    steps, unless they report a failure; the shipper's own completed runs and the ship's own job are part of
//    the ship. At most WINDOW_DAYS before the ship. Steps are ordered by time, the ship last; consecutive steps
//    by one agent in one role are merged (a message is kept over a run dir, else the first).
//    A walk is a `chain` when it crosses ≥ 3 distinct agents and the steps before the ship by agents other
//    than the shipper hold ≥ 2 different roles. A later ship by the same agent whose other steps are all in
//    an earlier chain is a follow-up, not a new chain. A walk with exactly 2 agents whose other agent took a
//    build step is a `handoff` (`staged` when that build is a staged post: "no quota", "for whoever has GPU").
// 5. Hand-offs outside ships [handoffRelays, handoffBuild]. Every event with role run or ship whose direct upstream build steps come from
//    exactly one other agent makes a `handoff` (or `staged`) with that build, unless the build is already in
//    a chain with the follower. Build posts tied by file links win over credited ones; a posted result counts
//    as the build (build:result-reused) only for a reproduction (role run): a result that builds on another
//    and beats it is lineage. One per (build event, follower agent): the build and the follower's steps up to
//    its first result, which is the outcome.
// 6. Credit brackets [bracketRelays: bracketKind, bracketOutcome]. Every multi-role bracket in a document: ≥ 3 distinct agents → `chain`, 2 agents with
//    build and run/ship → `handoff`; steps in bracket order, evidence = the lever line. Outcome: a result of
//    the last (bench/ship) agent quoted on the line, else its earliest result that credits all the other
//    agents, else (when the line quotes no result) its earliest result within 1 % of the score the line quotes;
//    without one, outcome_score is the quoted score and the relay has no outcome result.
// 7. One relay per outcome [groupByOutcome, mergeGroup, agreedSteps]. Relays found for the same outcome result (by a
//    ship walk, a hand-off, a credit bracket) are one relay; every finding is a relay_evidence row. Agreed step
//    order: board steps (they have times) once per file, in time order with the outcome last, consecutive steps of
//    one agent in one role merged as in rule 4; a bracket credit for an agent who has a board step is that step;
//    credits for other agents are undated steps just before the outcome, in bracket order; a bracket alone keeps
//    its order. Agents are listed in the order of their first step. Kind: chain when any finding is a chain or
//    the agreed steps have a chain's shape (rule 4), else staged when any is, else handoff. Id: the finding's own
//    id when it is alone, else <kind>/<outcome result>. Title: a bracket's lever title, else the first sentence of
//    the outcome's description, else of the first step's evidence, cut on a word boundary (title.ts).
// 8. score_gain [boardBefore, judgeOutcome]: the outcome minus best_before, the best eligible result posted before
//    the relay's first dated step (a bracket without board steps: before its outcome result). Eligible = the
//    board's honest running best (src/lib/ties.ts runningBest): agent-run, not a baseline, not invalid, not over
//    the cap; before the first eligible result, the baseline (the best baseline result that is not invalid, or
//    the configured baseline score). gain_class = classifyGain(score_gain) against noise_summary.tie_threshold
//    (the noise derivation's, computed here from the same tables): beyond, within or unknown. best_at_outcome is
//    the same best just before the outcome result was posted, and outcome_margin the outcome minus it: what the
//    outcome had to beat to be a record (others may have moved the board while the relay ran).
// 9. outcome_kind [outcomeKind], first that applies: failed (the outcome result is invalid, over the cap or
//    negative); no-result (no outcome result); first-result (nothing before it, not even a baseline);
//    within-noise (|outcome_margin| ≤ tie threshold); record (outcome_margin > 0: beat the board beyond noise,
//    or by any margin when the noise is unknown); reproduction (below the board and the outcome's own role is
//    run); own-line (below the board, but the outcome beat the result it started from: its role is ship);
//    below-board. The board only rises, so a record's score_gain ≥ its margin > 0: no record has a negative gain.
// 10. agent_roles [agentRoleRows] counts every step of every relay per (agent, role), with the number of relays.
// 11. Kept between builds [TextMemo, text-memo.ts]: rule 3's tests of a text alone (does it report a failure; a
//    message's role for each pair of link facts) are the derivation's memo, by a hash of the text; a refresh tests
//    only new or edited texts and makes everything else again, so the tables are the same with or without it.
import type { CollabConfig } from '../../../src/lib/config.ts';
import { RELAYS_TABLES, type AgentRoleRow, type RelayChainRow, type RelayEvidenceRow, type RelayStepRow } from '../../../src/lib/schema/relays.ts';
import type { CoreTables } from '../../ingest/ingest.ts';
import type { Derivation, DerivationMemo } from '../index.ts';
import { tieFromRow } from '../../../src/lib/ties.ts';
import { deriveNoise } from '../noise/index.ts';
import { boardRelays } from './board-relays.ts';
import { bracketRelays } from './brackets.ts';
import { buildGraph } from './graph.ts';
import { groupByOutcome, mergeGroup } from './merge.ts';
import { boardBefore, judgeOutcome } from './outcome.ts';
import { agentRoleRows, chainRows, evidenceRows, stepRows, uniqueRelays, type JudgedRelay } from './tables.ts';

export { artifactKeys, ownerOf } from './artifacts.ts';
export { WINDOW_DAYS, type RelayEvent } from './events.ts';
export { buildGraph, type RelayGraph } from './graph.ts';
export { isChainShape } from './walks.ts';
export { OUTCOME_KINDS, type OutcomeKind } from './outcome.ts';

export interface RelayTables {
  relay_chains: RelayChainRow[];
  relay_steps: RelayStepRow[];
  relay_evidence: RelayEvidenceRow[];
  agent_roles: AgentRoleRow[];
}

export const relaysDerivation: Derivation = {
  name: 'relays',
  tables: RELAYS_TABLES,
  inputs: ['agents', 'messages', 'results', 'runs', 'message_links', 'documents'],
  // The columns it reads of each input (the build reads back only these; tests/unit/derive/columns.test.ts checks them).
  columns: {
    agents: ['agent_bucket', 'agent_id'],
    messages: ['agent', 'body_md', 'filename', 'is_verifier', 'source_file', 'ts'],
    results: ['agent', 'artifacts', 'body_md', 'credits', 'description', 'filename', 'is_baseline', 'job_ids', 'method', 'over_cap', 'score', 'source_file', 'status', 'submission', 'submission_prefix', 'ts', 'verification'],
    runs: ['agent', 'bucket_refs', 'created_at', 'duplicate_of', 'finished_at', 'job_id', 'manifest_description', 'run_dir', 'score', 'status', 'status_message', 'submission_prefix'],
    message_links: ['from_file', 'kind', 'to_agent', 'to_file'],
    documents: ['format', 'path', 'text'],
  },
  // The tie threshold: the noise derivation's summary row, not a second run of it.
  reads: ['noise_summary'],
  // Rule 11: keyed by text, so it depends on no table.
  memo: { inputs: [] },
  run(core, config, derived, memo) {
    const summary = derived?.['noise_summary'];
    const t = deriveRelays(core, config, summary ? (summary[0] ?? null) : undefined, memo);
    return { relay_chains: t.relay_chains, relay_steps: t.relay_steps, relay_evidence: t.relay_evidence, agent_roles: t.agent_roles };
  },
};

/** The rules above, in order: the graph (1–3), board relays (4–5), credit brackets (6), merged (7), judged (8–9), roles (10). */
/**
 * `noiseSummary`: the noise derivation's summary row (null: no row, unknown noise); left out, noise is derived here
 * from the same core tables (for callers outside the build).
 */
export function deriveRelays(core: CoreTables, config: CollabConfig, noiseSummary?: Record<string, unknown> | null, memo?: DerivationMemo): RelayTables {
  const g = buildGraph(core, config, memo);
  const found = uniqueRelays([...boardRelays(g), ...bracketRelays(core, config)]);
  const tie = tieFromRow(noiseSummary === undefined ? deriveNoise(core, config).noise_summary[0] : noiseSummary);
  const ctx = { board: boardBefore(core.results, config, tie), tie, higherIsBetter: config.higher_is_better };
  const resultByName = new Map(core.results.map((r) => [r.filename, r]));
  const relays: JudgedRelay[] = groupByOutcome(found).map((group) => {
    const m = mergeGroup(group);
    const result = m.outcomeResult === null ? null : (resultByName.get(m.outcomeResult) ?? null);
    const role = m.outcomeResult === null ? null : (g.byId.get(m.outcomeResult)?.role?.role ?? null);
    return { ...m, judged: judgeOutcome(m, { result, role }, ctx) };
  });
  const steps = stepRows(relays);
  return { relay_chains: chainRows(relays), relay_steps: steps, relay_evidence: evidenceRows(relays), agent_roles: agentRoleRows(steps) };
}
