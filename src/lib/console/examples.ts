// Canned console queries that answer the challenge's questions; each is listed only when its tables are published.
//
// The score is named and ordered from the configuration (score label, direction), never as a fixed metric.
// Every query orders its rows completely (ties broken by names), so the browser and the Node connector
// return the same rows in the same order.
import type { CollabConfig } from '../config.ts';
import { LINEAGE_RULES } from '../queries/lineage.sql.ts';

export interface ConsoleExample {
  /** Stable id (kebab-case), used as the list item's anchor. */
  readonly id: string;
  readonly title: string;
  /** The question it answers, one sentence. */
  readonly question: string;
  readonly sql: string;
  /** Tables it reads; the example is offered only when all are in the manifest. */
  readonly tables: readonly string[];
  /** Ids of examples this one replaces when it is offered (a better source for the same question). */
  readonly replaces?: readonly string[];
}

/** A double-quoted SQL identifier (for column names built from the configured label). */
export function ident(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

type Config = Pick<CollabConfig, 'score_label' | 'higher_is_better' | 'unit'>;

/** What the examples name and order by: the score label, its direction, and the column names built from them. */
interface Terms {
  c: Config;
  /** ORDER BY direction of the score, best first. */
  dir: string;
  /** 'highest' or 'lowest'. */
  better: string;
  label: string;
  /** The quoted column name `best <label>`. */
  best: string;
}

/** Best verified results per agent, and the techniques that lead to dead ends. */
function verifiedAndDeadEnds({ dir, better, label }: Terms): ConsoleExample[] {
  return [
    {
      id: 'best-verified-per-agent',
      title: `Best verified ${label} per agent`,
      question: `What is each agent's best result that the verifier confirmed (${better} ${label} first)?`,
      tables: ['results'],
      sql: `-- Best verified ${label} per agent: each agent's best ranked result with verification = 'valid'.
SELECT
  agent,
  score AS ${ident(`best verified ${label}`)},
  secondary,
  method,
  filename AS result,
  ts,
  count(*) OVER (PARTITION BY agent) AS verified_results
FROM results
WHERE status = 'agent-run' AND verification = 'valid' AND score IS NOT NULL
QUALIFY row_number() OVER (PARTITION BY agent ORDER BY score ${dir}, ts, filename) = 1
ORDER BY score ${dir}, agent`,
    },
    {
      id: 'dead-ends-per-technique',
      title: 'Dead ends per technique',
      question:
        'Which techniques (normalised method tokens) show up in dead ends (results posted as negative, judged invalid, or over the secondary cap), and how often is that among all their uses?',
      tables: ['techniques'],
      replaces: ['dead-ends-per-method-token'],
      sql: `-- Dead ends per technique: normalised method tokens (versions and handles dropped) of results posted as negative,
-- judged invalid by the verifier or over the secondary cap (the lineage page's dead ends), against all uses of the
-- token. Counted at build time into techniques (scripts/derive/lineage/techniques.ts). Tokens seen only in dead ends
-- come first.
SELECT
  token,
  dead_end_count AS dead_ends,
  results AS uses,
  dead_end_count / results AS dead_end_share,
  dead_end_agents AS agents,
  stop_reason
FROM techniques
WHERE dead_end_count > 0
ORDER BY dead_end_share DESC, dead_ends DESC, token`,
    },
    {
      id: 'dead-ends-per-method-token',
      title: 'Dead ends per technique',
      question: 'Which method tokens show up in dead ends (results posted as negative, judged invalid, or over the secondary cap), and how often is that among all their uses?',
      tables: ['results'],
      sql: `-- Dead ends per technique: method tokens (the "-"-separated parts of method) of results posted as
-- negative, judged invalid by the verifier or over the secondary cap, against all uses of the token.
-- Tokens seen only in dead ends come first.
WITH tokens AS (
  SELECT DISTINCT
    filename, agent, status = 'negative' OR verification = 'invalid' OR coalesce(over_cap, false) AS dead_end,
    unnest(string_split(lower(method), '-')) AS token
  FROM results
  WHERE method IS NOT NULL
)
SELECT
  token,
  count(*) FILTER (WHERE dead_end) AS dead_ends,
  count(*) AS uses,
  dead_ends / uses AS dead_end_share,
  list(DISTINCT agent ORDER BY agent) FILTER (WHERE dead_end) AS agents
FROM tokens
WHERE token <> ''
GROUP BY token
HAVING dead_ends > 0
ORDER BY dead_end_share DESC, dead_ends DESC, token`,
    },
  ];
}

/** Who replies to whom on the message board. */
function conversationExamples(): ConsoleExample[] {
  return [
    {
      id: 'who-replies-to-whom',
      title: 'Who replies to whom',
      question: 'Which agents answer which others: refs and quoted filenames (replies) and @-mentions between different agents?',
      tables: ['agent_links'],
      replaces: ['who-replies-to-whom-links'],
      sql: `-- Who replies to whom: per pair of agents, links out of the first agent's messages and results to the second's
-- posts (ref or quoted filename = a reply) or to the second agent itself (@-mention); posts = how many of the first
-- agent's posts carry such a link. Counted at build time into agent_links from message_links, messages and results
-- (their rules: scripts/derive/agent-links.ts); a data build without agent_links gets that count in SQL here instead.
SELECT from_agent, to_agent, replies, mentions, posts
FROM agent_links
ORDER BY replies DESC, mentions DESC, from_agent, to_agent`,
    },
    {
      id: 'who-replies-to-whom-links',
      title: 'Who replies to whom',
      question: 'Which agents answer which others: refs and quoted filenames (replies) and @-mentions between different agents?',
      tables: ['message_links', 'messages', 'results'],
      sql: `-- Who replies to whom: links out of messages and results to another agent's post (ref or quoted
-- filename = a reply) or to the agent itself (@-mention), counted per pair of agents: first per post, then per pair
-- (posts = how many of the first agent's posts link to the second).
WITH authors AS (
  SELECT filename, min(agent) AS agent
  FROM (SELECT filename, agent FROM messages UNION ALL SELECT filename, agent FROM results)
  GROUP BY filename
),
per_post AS (
  SELECT
    a.agent AS from_agent,
    l.to_agent,
    count(*) FILTER (WHERE l.kind IN ('ref', 'quoted-filename')) AS replies,
    count(*) FILTER (WHERE l.kind = 'mention') AS mentions
  FROM message_links AS l
  JOIN authors AS a ON a.filename = l.from_file
  WHERE l.to_agent IS NOT NULL AND l.to_agent <> a.agent
  GROUP BY a.agent, l.to_agent, l.from_file
)
SELECT from_agent, to_agent, CAST(sum(replies) AS BIGINT) AS replies, CAST(sum(mentions) AS BIGINT) AS mentions, count(*) AS posts
FROM per_post
GROUP BY from_agent, to_agent
ORDER BY replies DESC, mentions DESC, from_agent, to_agent`,
    },
  ];
}

/** Run-to-run noise: per bucket and pooled, with the tie threshold. */
function noiseExamples({ label }: Terms): ConsoleExample[] {
  return [
    {
      id: 'noise-per-bucket',
      title: 'Noise per bucket',
      question: `How much does the ${label} of one identical submission vary from run to run?`,
      tables: ['noise_buckets'],
      sql: `-- Noise per bucket: repeat runs of one identical submission (n >= 2) and the spread of their ${label}.
-- cv is sd / |mean|; range_sigmas is the range in units of the pooled noise; wide = suspiciously wide.
SELECT
  label, agent, key_kind, n, mean, sd, 100 * cv AS cv_percent, min, max, range, range_sigmas, wide, first_ts, last_ts
FROM noise_buckets
WHERE n >= 2
ORDER BY cv DESC NULLS LAST, label, bucket_id`,
    },
    {
      id: 'noise-overall',
      title: 'How noisy is the score overall',
      question: `What is the pooled run-to-run noise of the ${label}, and how close must two results be to count as a tie?`,
      tables: ['noise_summary'],
      sql: `-- How noisy the ${label} is overall: pooled within-bucket sd and the tie threshold used for the leaderboard.
SELECT buckets, buckets_n2, runs_in_n2, pooled_sigma, 100 * pooled_cv AS pooled_cv_percent, tie_threshold, tie_groups, top_group_size
FROM noise_summary`,
    },
  ];
}

/** Relays: chains of agents building on each other, by length and the longest. */
function relayExamples({ label }: Terms): ConsoleExample[] {
  return [
    {
      id: 'relays-by-length',
      title: 'Relays by length',
      question: 'How long are the relays (work handed across agents), and do longer ones gain more?',
      tables: ['relay_chains'],
      sql: `-- Relays by length: how many relays have each number of steps, how many agents they span,
-- and the ${label} gain of their outcome over the best before them (positive = better).
SELECT
  length AS steps,
  count(*) AS relays,
  count(*) FILTER (WHERE kind = 'chain') AS chains,
  count(*) FILTER (WHERE kind = 'handoff') AS handoffs,
  count(*) FILTER (WHERE kind = 'staged') AS staged,
  avg(n_agents) AS avg_agents,
  avg(score_gain) AS avg_gain,
  max(score_gain) AS best_gain
FROM relay_chains
GROUP BY length
ORDER BY length`,
    },
    {
      id: 'longest-relays',
      title: 'Longest relays, step by step',
      question: 'Which relays passed through the most hands, and who did what?',
      tables: ['relay_chains', 'relay_steps'],
      sql: `-- Longest relays: the 50 longest relays (most steps, then the biggest gain), each with its agents and roles in
-- step order.
WITH top AS (
  SELECT chain_id, kind, length, outcome_score, score_gain, title
  FROM relay_chains
  WHERE chain_id IN (SELECT chain_id FROM relay_steps)
  ORDER BY length DESC, score_gain DESC NULLS LAST, chain_id
  LIMIT 50
)
SELECT
  c.chain_id,
  c.kind,
  c.length AS steps,
  list(s.agent || ' ' || s.role ORDER BY s.step) AS who_did_what,
  c.outcome_score AS ${ident(label)},
  c.score_gain,
  c.title
FROM top AS c
JOIN relay_steps AS s USING (chain_id)
GROUP BY ALL
ORDER BY steps DESC, c.score_gain DESC NULLS LAST, c.chain_id`,
    },
  ];
}

/** The column of lineage_agent_pairs that counts a rule's edges (by_ref, by_bucket_path, ...). */
const ruleColumn = (rule: string): string => `by_${rule.replaceAll('-', '_')}`;

/** Lineage: techniques and who adopted them, and who builds on whom. */
function lineageExamples({ label, best }: Terms): ConsoleExample[] {
  return [
    {
      id: 'techniques-adopted',
      title: 'Techniques: who introduced them, who adopted them',
      question: 'Which method tokens spread to the most agents, who used each first, and how did they fare?',
      tables: ['techniques'],
      sql: `-- Techniques (normalised method tokens): the first agent to use each, how many adopted it, its best ${label},
-- how often it moved the frontier and how often it was a dead end.
SELECT token, inventor, first_ts, adopters, results, best_score AS ${best}, frontier_count, dead_end_count, adopter_agents
FROM techniques
ORDER BY adopters DESC, results DESC, token`,
    },
    {
      id: 'who-builds-on-whom',
      title: 'Who builds on whom',
      question: "Whose results do other agents' results build on (lineage edges between different agents)?",
      tables: ['lineage_agent_pairs'],
      replaces: ['who-builds-on-whom-edges'],
      sql: `-- Who builds on whom: lineage edges (parent result -> later child result) between different agents, per pair,
-- with their mean confidence and how many of them each rule found (an edge has its strongest rule). Counted at build
-- time into lineage_agent_pairs from lineage_edges (scripts/derive/agent-links.ts).
SELECT parent_agent, child_agent, edges, mean_confidence, ${LINEAGE_RULES.map(ruleColumn).join(', ')}
FROM lineage_agent_pairs
ORDER BY edges DESC, mean_confidence DESC, parent_agent, child_agent`,
    },
    {
      id: 'who-builds-on-whom-edges',
      title: 'Who builds on whom',
      question: "Whose results do other agents' results build on (lineage edges between different agents)?",
      tables: ['lineage_edges'],
      sql: `-- Who builds on whom: lineage edges (parent result -> later child result) between different agents,
-- per pair, with their mean confidence and how many of them each rule found (an edge has its strongest rule).
SELECT
  parent_agent,
  child_agent,
  count(*) AS edges,
  avg(confidence) AS mean_confidence,
${LINEAGE_RULES.map((r) => `  count(*) FILTER (WHERE rule = '${r}') AS ${ruleColumn(r)}`).join(',\n')}
FROM lineage_edges
WHERE parent_agent <> child_agent
GROUP BY parent_agent, child_agent
ORDER BY edges DESC, mean_confidence DESC, parent_agent, child_agent`,
    },
  ];
}

/** The verifier's re-runs and the benchmark runs per agent. */
function verifierAndRunExamples({ c, label, best }: Terms): ConsoleExample[] {
  return [
    {
      id: 'verifier-gaps',
      title: 'Verifier re-runs against reported scores',
      question: `How far did the verifier's re-run ${label} land from the reported one?`,
      tables: ['verify_gaps'],
      sql: `-- Verifier re-runs: reported ${label} against the re-run on the private set; gap is (rerun - reported) / reported.
SELECT result_filename, agent, verdict, reported, rerun, 100 * gap AS gap_percent, within_tolerance, ts
FROM verify_gaps
ORDER BY abs_gap DESC NULLS LAST, message`,
    },
    {
      id: 'runs-per-agent',
      title: 'Benchmark runs per agent',
      question: `How many benchmark jobs did each agent run, how many completed, and what was their best ${label}?`,
      tables: ['runs'],
      sql: `-- Benchmark runs per agent (a job stored under two run dirs counts once), by outcome, with the best ${label}.
SELECT
  agent,
  count(*) AS runs,
  count(*) FILTER (WHERE status = 'completed') AS completed,
  count(*) FILTER (WHERE status IN ('error', 'timed_out')) AS failed,
  ${c.higher_is_better ? 'max' : 'min'}(score) AS ${best},
  min(created_at) AS first_run,
  max(created_at) AS last_run
FROM runs
WHERE duplicate_of IS NULL
GROUP BY agent
ORDER BY runs DESC, agent`,
    },
  ];
}

/** All examples, in display order, whatever is published. */
export function allExamples(c: Config): ConsoleExample[] {
  const label = c.score_label;
  const t: Terms = { c, dir: c.higher_is_better ? 'DESC' : 'ASC', better: c.higher_is_better ? 'highest' : 'lowest', label, best: ident(`best ${label}`) };
  return [...verifiedAndDeadEnds(t), ...conversationExamples(), ...noiseExamples(t), ...relayExamples(t), ...lineageExamples(t), ...verifierAndRunExamples(t)];
}

/** The examples whose tables are all published, in display order (an example drops out when one replacing it is offered). */
export function consoleExamples(c: Config, published: Iterable<string>): ConsoleExample[] {
  const have = new Set(published);
  const offered = allExamples(c).filter((e) => e.tables.every((t) => have.has(t)));
  const replaced = new Set(offered.flatMap((e) => e.replaces ?? []));
  return offered.filter((e) => !replaced.has(e.id));
}
