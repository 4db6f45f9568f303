// Tables written by the relays derivation (scripts/derive/relays/index.ts): relay chains, their steps, roles per agent.
import { col, key, table, type Row } from './types.ts';

export const relayChains = table({
  name: 'relay_chains',
  description:
    'Relays: work handed across agents (build → run → fail → diagnose → ship), from board links and from credit brackets in shared documents.',
  orderBy: ['chain_id'],
  columns: [
    key('chain_id', 'VARCHAR', 'Stable id: chain/<outcome result>, handoff/<first step>/<last step>, or bracket/<document>#L<line>.'),
    col('kind', 'VARCHAR', 'chain (≥ 3 agents, ends in a ship), handoff (2 agents, build → run or ship), staged (a "no quota / for whoever has GPU" post someone else ran).'),
    col('source', 'VARCHAR', 'board (messages, results, runs and their links) or credit-bracket (a [a flagged / b built / c benched] line in a document).'),
    col('agents', 'VARCHAR[]', 'Distinct agents in step order.'),
    col('n_agents', 'INTEGER', 'Number of distinct agents.'),
    col('roles', 'VARCHAR[]', 'Role of each step, in step order.'),
    col('start_ts', 'TIMESTAMP', 'Time of the first step (null for credit-bracket relays: documents carry no times).'),
    col('end_ts', 'TIMESTAMP', 'Time of the last step (null for credit-bracket relays).'),
    col('outcome_result', 'VARCHAR', 'Result filename the relay ended in (null for credit-bracket relays without a matching result, and hand-offs that ended in a run).'),
    col('outcome_score', 'DOUBLE', 'Score of the outcome result (configured score field), else of the last run step; for brackets without a matched result, the score the line quotes.'),
    col('score_gain', 'DOUBLE', 'Outcome minus the best score before the relay started, in the configured direction (positive = better); brackets: vs the best result before the matched outcome, else the best score quoted by earlier levers.'),
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

export const RELAYS_TABLES = [relayChains, relaySteps, agentRoles] as const;

export type RelayChainRow = Row<typeof relayChains>;
export type RelayStepRow = Row<typeof relaySteps>;
export type AgentRoleRow = Row<typeof agentRoles>;
