// Tables written by the relays derivation (scripts/derive/relays/index.ts): relay chains, their steps, roles per agent.
import { col, key, table, type Row } from './types.ts';

export const relayChains = table({
  name: 'relay_chains',
  description:
    'Relays: work handed across agents (build → run → fail → diagnose → ship), one per outcome, found from board links and from credit brackets in shared documents.',
  orderBy: ['chain_id'],
  columns: [
    key('chain_id', 'VARCHAR', 'Stable id: chain/<outcome result>, handoff/<first step>/<last step>, or bracket/<document>#L<line>; a relay found by several sources: <kind>/<outcome result>.'),
    col('kind', 'VARCHAR', 'chain (≥ 3 agents, ends in a ship), handoff (2 agents, build → run or ship), staged (a "no quota / for whoever has GPU" post someone else ran).'),
    col('source', 'VARCHAR', 'board when board links found the relay (messages, results, runs and their links), else credit-bracket (a [a flagged / b built / c benched] line in a document).'),
    col('sources', 'VARCHAR[]', 'Every source that found it (board, credit-bracket), board first; one relay_evidence row per finding.'),
    col('agents', 'VARCHAR[]', 'Distinct agents in step order.'),
    col('n_agents', 'INTEGER', 'Number of distinct agents.'),
    col('roles', 'VARCHAR[]', 'Role of each step, in step order.'),
    col('start_ts', 'TIMESTAMP', 'Time of the first step (null for credit-bracket relays: documents carry no times).'),
    col('end_ts', 'TIMESTAMP', 'Time of the last step (null for credit-bracket relays).'),
    col('outcome_result', 'VARCHAR', 'Result filename the relay ended in; no two relays share one (null for credit-bracket relays without a matching result, and hand-offs that ended in a run).'),
    col('outcome_score', 'DOUBLE', 'Score of the outcome result (configured score field), else of the last run step; for brackets without a matched result, the score the line quotes.'),
    col('score_gain', 'DOUBLE', 'Outcome minus best_before, in the configured direction (positive = better); null without either.'),
    col('best_before', 'DOUBLE', 'Best eligible score (agent-run, not a baseline, not invalid, not over the cap) posted before the relay’s first dated step (undated brackets: before the outcome result); before any, the baseline.'),
    col('best_before_result', 'VARCHAR', 'Result filename that held best_before (null for the configured baseline score).'),
    col('gain_class', 'VARCHAR', 'score_gain against the tie threshold (noise_summary.tie_threshold): beyond, within (noise), unknown (no threshold); null without a gain.'),
    col('best_at_outcome', 'DOUBLE', 'Best eligible score posted before the outcome result (the board it had to beat); before any, the baseline.'),
    col('outcome_margin', 'DOUBLE', 'Outcome minus best_at_outcome, in the configured direction.'),
    col('outcome_kind', 'VARCHAR', 'What the outcome was, from outcome_margin: record (beat the board beyond noise, or by any margin when the noise is unknown), within-noise, reproduction, own-line (beat what it started from, below the board), below-board, failed (invalid, over the cap or negative), no-result, first-result.'),
    col('length', 'INTEGER', 'Number of steps.'),
    col('title', 'VARCHAR', 'Short label: the lever title for brackets, else the outcome description or first step evidence (untrusted text).'),
  ],
});

export const relaySteps = table({
  name: 'relay_steps',
  description: 'Steps of each relay in order: who did what, when, and the text that shows it.',
  orderBy: ['chain_id', 'step'],
  columns: [
    key('chain_id', 'VARCHAR', 'The relay (relay_chains.chain_id).'),
    key('step', 'INTEGER', 'Position in the relay, 1-based (time order; bracket order for credit brackets).'),
    col('agent', 'VARCHAR', 'Agent who took the step.'),
    col('role', 'VARCHAR', 'build, run, fail, diagnose or ship (bracket verbs mapped: flagged → diagnose, built → build, benched → run, the last bench of a scored line → ship).'),
    col('rule', 'VARCHAR', 'Classifier rule that gave the role, e.g. fail:run-status, build:staged, bracket:flagged.'),
    col('linked_by', 'VARCHAR', 'How the step is tied to the rest of the relay: ref, quoted-filename, report (a results-report refs both), artifact, job, mention, credit (board links) or bracket.'),
    col('ts', 'TIMESTAMP', 'Time of the message, result or run (null for bracket credits).'),
    col('source_file', 'VARCHAR', 'Export-relative path of the message, run dir or result, or the document for bracket credits.'),
    col('source_part', 'VARCHAR', 'messages, results, runs or documents.'),
    col('evidence', 'VARCHAR', 'Snippet (≤ 240 characters) that shows the role: the matched sentence, the run status, the lever line (untrusted text).'),
  ],
});

export const relayEvidence = table({
  name: 'relay_evidence',
  description: 'How each relay was found: one row per source that found it (board links, a credit bracket), as that source saw it.',
  orderBy: ['chain_id', 'found_as'],
  columns: [
    key('chain_id', 'VARCHAR', 'The relay (relay_chains.chain_id).'),
    key('found_as', 'VARCHAR', 'The id the source gave it alone: chain/…, handoff/…, staged/… or bracket/<document>#L<line>.'),
    col('source', 'VARCHAR', 'board or credit-bracket.'),
    col('kind', 'VARCHAR', 'chain, handoff or staged, as this source found it.'),
    col('agents', 'VARCHAR[]', 'Agents in this source’s own order (board: time order; bracket: credit order).'),
    col('roles', 'VARCHAR[]', 'Roles in this source’s own order.'),
    col('source_file', 'VARCHAR', 'The document of a bracket; the last step’s file for board links.'),
    col('evidence', 'VARCHAR', 'The bracket’s line, or how the board steps were tied (untrusted text).'),
  ],
});

export const agentRoles = table({
  name: 'agent_roles',
  description: 'How often each agent took each role across all relays (one row per agent and role that occurs).',
  orderBy: ['agent', 'role'],
  columns: [
    key('agent', 'VARCHAR', 'Agent handle.'),
    key('role', 'VARCHAR', 'build, run, fail, diagnose or ship.'),
    col('count', 'INTEGER', 'Relay steps the agent took in that role.'),
    col('chains', 'INTEGER', 'Distinct relays those steps belong to.'),
  ],
});

export const RELAYS_TABLES = [relayChains, relaySteps, relayEvidence, agentRoles] as const;

export type RelayChainRow = Row<typeof relayChains>;
export type RelayStepRow = Row<typeof relaySteps>;
export type AgentRoleRow = Row<typeof agentRoles>;
export type RelayEvidenceRow = Row<typeof relayEvidence>;
