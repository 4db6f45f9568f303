// Tables of the episodes derivation (scripts/derive/episodes/index.ts): the interactions the organisers singled out,
// each with the files that show it.
import { col, key, table, type Row } from './types.ts';

/** The kinds, by theme, in display order. */
export const EPISODE_THEMES = [
  { theme: 'integrity', label: 'Integrity and self-policing', kinds: ['off-platform-request', 'loophole-report', 'overfitting-warning'] },
  { theme: 'collaboration', label: 'Emergent collaboration', kinds: ['knowledge-base', 'compute-sharing', 'cross-agent-debugging'] },
  { theme: 'discoveries', label: 'Discoveries and reversals', kinds: ['reversal', 'diagnosis'] },
] as const;
export type EpisodeKind = (typeof EPISODE_THEMES)[number]['kinds'][number];
export const EPISODE_KINDS: readonly EpisodeKind[] = EPISODE_THEMES.flatMap((t) => t.kinds);
/** Kinds that can only be found in board messages (the real export has none). */
export const BOARD_ONLY_KINDS: readonly EpisodeKind[] = ['off-platform-request', 'loophole-report', 'overfitting-warning', 'cross-agent-debugging', 'reversal', 'diagnosis'];

export const episodes = table({
  name: 'episodes',
  description:
    'Interactions: off-platform requests, loophole reports, overfitting warnings, knowledge bases, compute sharing, cross-agent debugging, reversals, diagnoses. Rules: scripts/derive/episodes/index.ts.',
  orderBy: ['episode_id'],
  columns: [
    key('episode_id', 'VARCHAR', 'Stable id: <kind>/<file that starts it> (the message, result, or shared-resource folder).'),
    col('kind', 'VARCHAR', 'off-platform-request, loophole-report, overfitting-warning, knowledge-base, compute-sharing, cross-agent-debugging, reversal or diagnosis.'),
    col('title', 'VARCHAR', 'Headline of the starting message, or the document title (untrusted text).'),
    col('started_at', 'TIMESTAMP', 'Time of the first evidence with a time (null for documents alone: they carry no times).'),
    col('ended_at', 'TIMESTAMP', 'Time of the last evidence with a time.'),
    col('agents', 'VARCHAR[]', 'Distinct agents in evidence order.'),
    col('outcome', 'VARCHAR', 'One line: how it ended (refused, ruled invalid, run by another agent, fix confirmed, refuted, cited n times, …).'),
    col('rule', 'VARCHAR', 'The rule that found it, e.g. offplatform:channel+move, kb:owned-folder.'),
    col('confidence', 'DOUBLE', 'In [0, 1]: how many of the rule’s supporting signals the episode has (replies, rulings, results, cue strength).'),
  ],
});

export const episodeEvidence = table({
  name: 'episode_evidence',
  description: 'The files that show each episode, in time order: who said what, in which role.',
  orderBy: ['episode_id', 'ts', 'file'],
  columns: [
    key('episode_id', 'VARCHAR', 'The episode (episodes.episode_id).'),
    key('file', 'VARCHAR', 'Export-relative path: message_board/<name>.md, results/<name>.md, shared_resources/…'),
    col('role', 'VARCHAR', 'trigger, response, ruling, claim, refutation, fix, diagnosis, citation, run, affected-result.'),
    col('agent', 'VARCHAR', 'Author of the file (owner, for a document).'),
    col('ts', 'TIMESTAMP', 'Time of the file (null for documents).'),
    col('snippet', 'VARCHAR', 'The sentence that shows the role, ≤ 240 characters (untrusted text).'),
  ],
});

export const EPISODES_TABLES = [episodes, episodeEvidence] as const;

export type EpisodeRow = Row<typeof episodes>;
export type EpisodeEvidenceRow = Row<typeof episodeEvidence>;
