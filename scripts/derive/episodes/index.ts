// Episodes derivation: the interactions the challenge's organisers singled out (issue 18), each with the files that
// show it. Kinds and themes: src/lib/schema/episodes.ts. Word cues: cues.ts; no rule rests on a cue alone.
//
// Rules:
// 1. The board [boardContext, context.ts]. Board messages (verifiers and API copies excluded) in time order; a reply
//    is a later message with a `ref` or `quoted-filename` link to it (message_links); replies by the author count
//    for nothing. Organisers are the human identities that post. Verifier verdicts are kept per result.
//    One message starts at most one episode: rules 2–8 are tried in this order and the first that holds wins; a
//    message that is already evidence of an earlier episode (a fix, a reply) does not start another by the same rule
//    (a fix is not a new failure report, whether its reply brings a fix or a cause).
// 2. off-platform-request [offPlatform]: the message names a private or outside channel (chat app, invite link, DMs)
//    and invites others to move there, and it is addressed (@-mentions, @all) or answered. Replies are `response`
//    (`ruling` from an organiser); confidence rises with replies, refusals and an organiser's word.
// 3. loophole-report [loophole]: the message says a rule or metric can be gamed and either asks for a ruling or
//    @-mentions an organiser; it has a reply or links a result. Results it links are `affected-result` (their
//    verifier verdicts in the outcome); an organiser's reply that rules is the `ruling`.
// 4. overfitting-warning [overfitting]: the message says something fits the public evaluation, is addressed to
//    another agent (a mention, or that agent's result it links), and someone else replies.
// 5. compute-sharing: (a) [computeOffer] a board message about quota or spare runs that offers or asks for a run,
//    taken up in a reply by another agent (replies to the replies join the timeline; `run` when they run it);
//    (b) [stagedResults] a result whose description or body credits another agent within 80 characters of a
//    staging word (staged, shared, on behalf of, for whoever, port of): it ran their candidate;
//    (c) [stagedDocuments] a shared document by an agent, staged "for whoever runs it / picks this up", or ready
//    to run by an agent blocked on quota ("quota/job-launch blocked … ready submission").
// 6. cross-agent-debugging [debugOrDiagnosis]: a failure report (error, crash, hang, shape mismatch, …) answered by
//    another agent whose reply carries a fix (a diff, a patch, "fix: …"); one's own fix is not an episode.
// 7. reversal [reversal]: a named claim about a limit (wall, floor, ceiling, maximum, proof) refuted in a reply by
//    another agent (artifact, circular, beats, broken, …; a reply that agrees is not a refutation); results the
//    refutation links are the `affected-result` that broke it.
// 8. diagnosis [debugOrDiagnosis]: a failure or anomaly (near random, jumped, halved, what changed) answered by
//    another agent with a cause and no fix (root cause, traced, mismatch, ruled out, not noise, …).
// 9. knowledge-base [knowledgeBase]: every shared-resource folder named <topic>_<agent> after its owner (a known
//    identity: agents, authors of results or messages; else a hyphenated handle — `speed_benchmark` is not one): its
//    documents, the board messages, results and other documents that cite the folder (`citation`; the owner's own
//    are `update`). Documents carry no times, so such an episode may have none.
// 10. Rows [toRows]: episode_id = <kind>/<start file>; evidence in time order (untimed last), one row per file (its
//    first role); agents in evidence order; snippets ≤ 240 characters. Every episode has at least one evidence row.
// 11. Kept between builds [resultAndDocumentEpisodes]: rules 5b and 5c read only results and documents; their episodes
//    are the derivation's memo (scripts/derive/index.ts Derivation.memo, keyed by those tables' rows hashes), reused
//    while both are last build's (a refresh with new board messages) and made again otherwise. They are plain data
//    in the same order either way, so the tables are the same with or without the memo.
import type { CollabConfig } from '../../../src/lib/config.ts';
import { EPISODES_TABLES, type EpisodeEvidenceRow, type EpisodeRow } from '../../../src/lib/schema/episodes.ts';
import type { CoreTables } from '../../ingest/ingest.ts';
import type { Derivation, DerivationMemo } from '../index.ts';
import { computeOffer, debugOrDiagnosis, loophole, offPlatform, overfitting, reversal } from './board.ts';
import { boardContext } from './context.ts';
import type { Episode } from './episode.ts';
import { knowledgeBase, stagedDocuments, stagedResults } from './sources.ts';

export interface EpisodeTables {
  episodes: EpisodeRow[];
  episode_evidence: EpisodeEvidenceRow[];
}

export const episodesDerivation: Derivation = {
  name: 'episodes',
  tables: EPISODES_TABLES,
  inputs: ['agents', 'messages', 'message_links', 'results', 'documents'],
  // The columns it reads of each input (the build reads back only these; tests/unit/derive/columns.test.ts checks them).
  columns: {
    agents: ['agent_id'],
    messages: ['agent', 'body_md', 'excerpt', 'filename', 'headline', 'is_human', 'is_verifier', 'mentions', 'source_file', 'source_part', 'ts', 'verdict', 'verdict_result'],
    message_links: ['from_file', 'kind', 'to_file', 'to_part'],
    results: ['agent', 'body_md', 'credits', 'description', 'filename', 'ts', 'verification'],
    documents: ['owner', 'path', 'resource', 'text', 'title'],
  },
  // Rule 11: rules 5b and 5c read only these.
  memo: { inputs: ['results', 'documents'] },
  run(core, config, _derived, memo) {
    const t = deriveEpisodes(core, config, memo);
    return { episodes: t.episodes, episode_evidence: t.episode_evidence };
  },
};

const BOARD_RULES = [offPlatform, loophole, overfitting, computeOffer, reversal, debugOrDiagnosis];

/** Rule 11: the episodes of rules 5b and 5c, from the memo when it holds them, else made (and kept in it). */
function resultAndDocumentEpisodes(core: CoreTables, memo: DerivationMemo | undefined): Episode[] {
  if (Array.isArray(memo?.value)) return memo.value as Episode[];
  const made = [...stagedResults(core), ...stagedDocuments(core)];
  memo?.set(made);
  return made;
}

export function deriveEpisodes(core: CoreTables, config: CollabConfig, memo?: DerivationMemo): EpisodeTables {
  const ctx = boardContext(core, config);
  const found: Episode[] = [];
  const used = new Set<string>();
  for (const m of ctx.msgs) {
    for (const [i, rule] of BOARD_RULES.entries()) {
      const e = used.has(`${i} ${m.path}`) ? null : rule(ctx, m);
      if (e) {
        found.push(e);
        for (const x of e.evidence) used.add(`${i} ${x.file}`);
        break;
      }
    }
  }
  found.push(...resultAndDocumentEpisodes(core, memo), ...knowledgeBase(core, ctx));
  return toRows(found);
}

const tsOrder = (a: string | null, b: string | null): number => (a === b ? 0 : a === null ? 1 : b === null ? -1 : a < b ? -1 : 1);

/** Rule 10. */
export function toRows(found: readonly Episode[]): EpisodeTables {
  const episodes: EpisodeRow[] = [];
  const episode_evidence: EpisodeEvidenceRow[] = [];
  const ids = new Set<string>();
  for (const e of found) {
    const id = `${e.kind}/${e.start}`;
    if (ids.has(id) || e.evidence.length === 0) continue;
    ids.add(id);
    const seen = new Set<string>();
    const ev = e.evidence.filter((x) => !seen.has(x.file) && seen.add(x.file)).sort((a, b) => tsOrder(a.ts, b.ts));
    const times = ev.map((x) => x.ts).filter((t): t is string => t !== null);
    const agents = [...new Set(ev.map((x) => x.agent).filter((a): a is string => !!a))];
    episodes.push({ episode_id: id, kind: e.kind, title: e.title.slice(0, 200), started_at: times[0] ?? null, ended_at: times.at(-1) ?? null, agents, outcome: e.outcome, rule: e.rule, confidence: e.confidence });
    for (const x of ev) episode_evidence.push({ episode_id: id, file: x.file, role: x.role, agent: x.agent, ts: x.ts, snippet: x.snippet.slice(0, 240) });
  }
  return { episodes, episode_evidence };
}
