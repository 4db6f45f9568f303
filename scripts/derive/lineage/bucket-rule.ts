// Lineage rule 2 (bucket-path): the child's recipe reads files from another agent's bucket.
import type { RunRow } from '../../../src/lib/schema/core.ts';
import { pushTo } from '../collections.ts';
import { clip, CONFIDENCE, type EdgeCandidate } from './candidates.ts';
import { epoch, type Graph, type Node, type PickMode } from './graph.ts';
import { agentsInPath, scoreTolerance } from './paths.ts';
import { textOf } from './text.ts';

type Resolve = (bucket: string) => string | null;

/** A run joined to a child result (rule 2c), how, and the confidence of the join. */
interface RunJoin {
  c: Node;
  r: RunRow;
  how: string;
  conf: number;
}

/** Canonical runs by job id, submission prefix, run name, and (scored) agent. */
interface RunIndex {
  byJob: Map<string, RunRow>;
  byPrefix: Map<string, RunRow[]>;
  byName: Map<string, RunRow>;
  byAgent: Map<string, RunRow[]>;
}

/** Rule 2: 2a and 2b for every child, then 2c (one edge per child and bucket agent). */
export function bucketCandidates(g: Graph, runs: readonly RunRow[], known: ReadonlySet<string>, resolve: Resolve): EdgeCandidate[] {
  const { pending, observed } = runJoins(g, runs);
  const weights = bucketTokenWeights(pending, observed, resolve);
  return [...pathCandidates(g, known, resolve), ...runCandidates(g, pending, weights, resolve)];
}

/** 2a, 2b: the child's `submission` or one of its `artifacts` paths lies in another agent's bucket or folder. */
function pathCandidates(g: Graph, known: ReadonlySet<string>, resolve: Resolve): EdgeCandidate[] {
  const out: EdgeCandidate[] = [];
  const edge = (agent: string, c: Node, confidence: number, file: string | null, evidence: string, mode: PickMode, path: string): void => {
    if (agent === c.r.agent) return;
    const p = g.pickParent(agent, c, mode, { near: path.replace(/\/+$/, ''), anywhere: textOf(c.r) });
    if (p) out.push({ parent: p.r.filename, child: c.r.filename, rule: 'bucket-path', confidence, evidence_file: file, evidence: clip(evidence) });
  };
  for (const c of g.nodes) {
    if (c.t === null || !c.r.agent) continue;
    const file = c.r.source_file ?? c.r.filename;
    if (c.r.submission) {
      for (const a of agentsInPath(c.r.submission, known, resolve)) {
        edge(a.agent, c, CONFIDENCE.bucketSubmission, file, `submission: ${c.r.submission}`, 'stack', c.r.submission);
      }
    }
    for (const p of c.r.artifacts ?? []) {
      for (const a of agentsInPath(p, known, resolve)) edge(a.agent, c, CONFIDENCE.bucketArtifact, file, `artifacts: ${p}`, 'stack', p);
    }
  }
  return out;
}

function runIndex(runs: readonly RunRow[]): RunIndex {
  const ix: RunIndex = { byJob: new Map(), byPrefix: new Map(), byName: new Map(), byAgent: new Map() };
  for (const r of runs.filter((x) => x.duplicate_of === null)) {
    if (r.job_id) ix.byJob.set(r.job_id, r);
    if (r.submission_prefix) pushTo(ix.byPrefix, r.submission_prefix, r);
    if (r.run_name) ix.byName.set(r.run_name, r);
    if (r.agent && r.score !== null) pushTo(ix.byAgent, r.agent, r);
  }
  return ix;
}

/** 2c, first pass: the runs of each child (and which children have any), kept when the run has bucket refs. */
function runJoins(g: Graph, runs: readonly RunRow[]): { pending: RunJoin[]; observed: Set<Node> } {
  const ix = runIndex(runs);
  const withRefs = new Set(runs.filter((r) => r.duplicate_of === null && (r.bucket_refs?.length ?? 0) > 0));
  const pending: RunJoin[] = [];
  const observed = new Set<Node>();
  for (const c of g.nodes) {
    if (c.t === null || !c.r.agent) continue;
    const { joined, conf } = runsOf(c, ix);
    if (joined.size > 0) observed.add(c);
    for (const [r, how] of joined) if (withRefs.has(r)) pending.push({ c, r, how, conf });
  }
  return { pending, observed };
}

/** The runs of one child: by a quoted job id, its own submission prefix, an artifacts path; failing those, by score. */
function runsOf(c: Node, ix: RunIndex): { joined: Map<RunRow, string>; conf: number } {
  const joined = new Map<RunRow, string>();
  for (const j of c.r.job_ids ?? []) {
    const r = ix.byJob.get(j);
    if (r) joined.set(r, `job ${j}`);
  }
  // Only the child's own runs of its submission: a reproduction of another agent's submission does not inherit
  // that agent's runs (their bucket reads are the parent's evidence, not the child's).
  for (const r of c.r.submission_prefix ? (ix.byPrefix.get(c.r.submission_prefix) ?? []) : []) {
    if (!joined.has(r) && r.agent === c.r.agent) joined.set(r, `submission prefix ${c.r.submission_prefix}`);
  }
  for (const p of c.r.artifacts ?? []) {
    for (const seg of p.split('/')) {
      const r = ix.byName.get(seg);
      if (r && !joined.has(r)) joined.set(r, `artifacts path ${p}`);
    }
  }
  if (joined.size === 0 && c.r.score !== null) {
    const tol = scoreTolerance(c.r.score);
    const hits = (ix.byAgent.get(c.r.agent!) ?? []).filter((r) => {
      const rt = epoch(r.created_at) ?? epoch(r.finished_at);
      return Math.abs(r.score! - c.r.score!) <= tol && (rt === null || rt <= c.t!);
    });
    if (hits.length === 1) {
      joined.set(hits[0]!, `score ${hits[0]!.score} ≈ ${c.r.score}`);
      return { joined, conf: CONFIDENCE.bucketRunScore };
    }
  }
  return { joined, conf: CONFIDENCE.bucketRunJoin };
}

/**
 * Which tokens live in each agent's bucket, so an agent who introduced several techniques is credited for the one
 * in the bucket: weight(X, t) = P(t | reads X's bucket) · P(reads X's bucket | t), over results with a known run.
 * High only for a token that the bucket's readers carry and that its carriers read the bucket for. Tokens accumulate
 * along lineages, so the first factor alone cannot tell the checkpoint's technique from everything stacked under it.
 */
function bucketTokenWeights(pending: readonly RunJoin[], observed: ReadonlySet<Node>, resolve: Resolve): Map<string, Map<string, number>> {
  const readers = new Map<string, Set<Node>>();
  for (const { c, r } of pending) {
    for (const b of r.bucket_refs ?? []) {
      const agent = resolve(b);
      if (!agent || agent === c.r.agent) continue;
      const set = readers.get(agent) ?? new Set<Node>();
      set.add(c);
      readers.set(agent, set);
    }
  }
  const carriers = new Map<string, number>();
  for (const n of observed) for (const tok of n.set) carriers.set(tok, (carriers.get(tok) ?? 0) + 1);
  const carried = new Map<string, Map<string, number>>();
  for (const [agent, set] of readers) {
    const count = new Map<string, number>();
    for (const n of set) for (const tok of n.set) count.set(tok, (count.get(tok) ?? 0) + 1);
    const m = new Map<string, number>();
    for (const [tok, k] of count) m.set(tok, (k / set.size) * (k / Math.max(k, carriers.get(tok) ?? k)));
    carried.set(agent, m);
  }
  return carried;
}

/** 2c: one pick per (child, bucket agent), the strongest join kept: the agent's result the bucket's technique names. */
function runCandidates(g: Graph, pending: readonly RunJoin[], weights: ReadonlyMap<string, Map<string, number>>, resolve: Resolve): EdgeCandidate[] {
  const reads = new Map<string, RunJoin & { agent: string; b: string }>();
  for (const { c, r, how, conf } of pending) {
    for (const b of r.bucket_refs ?? []) {
      const agent = resolve(b);
      if (!agent || agent === c.r.agent) continue;
      const k = `${c.r.filename}\u0000${agent}`;
      const prev = reads.get(k);
      if (!prev || conf > prev.conf) reads.set(k, { c, agent, b, r, how, conf });
    }
  }
  const out: EdgeCandidate[] = [];
  for (const { c, agent, b, r, how, conf } of reads.values()) {
    const share = weights.get(agent);
    const p = g.pickParent(agent, c, 'invention', { weight: (tok) => share?.get(tok) ?? 0, anywhere: textOf(c.r) });
    if (p) {
      out.push({
        parent: p.r.filename,
        child: c.r.filename,
        rule: 'bucket-path',
        confidence: conf,
        evidence_file: `${r.run_dir}/run_request.json`,
        evidence: clip(`manifest env points into ${b} (run ${r.run_dir}, joined by ${how})`),
      });
    }
  }
  return out;
}
