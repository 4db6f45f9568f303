// Planted lineage: result-to-result edges by rule (ref, bucket-path, credit, token) and each technique's inventor.
import { bucketUri } from './agents.ts';
import { technique } from './techniques.ts';
import type { MsgSpec, ResultRec } from './types.ts';

export type LineageRule = 'ref' | 'bucket-path' | 'credit' | 'token';

export interface LineageEdge {
  parent: string;
  child: string;
  rule: LineageRule;
  evidence: string;
}

export interface TechniqueFirst {
  token: string;
  kind: string;
  inventor_agent: string;
  first_result: string;
}

export function buildLineage(
  results: readonly ResultRec[],
  reportOf: ReadonlyMap<ResultRec, MsgSpec>,
  envEdges: ReadonlyArray<{ parent: ResultRec; child: ResultRec; evidence: string }>,
  firstUse: ReadonlyMap<string, ResultRec>,
): { edges: LineageEdge[]; techniques: TechniqueFirst[] } {
  const edges: LineageEdge[] = [];
  const seen = new Set<string>();
  const add = (parent: ResultRec, child: ResultRec, rule: LineageRule, evidence: string): void => {
    // Only planted, checkable edges: both ends are well-formed results and the parent is older.
    if (parent === child || child.malformed || parent.malformed || parent.ms >= child.ms) return;
    const key = `${parent.filename}|${child.filename}|${rule}`;
    if (seen.has(key)) return;
    seen.add(key);
    edges.push({ parent: parent.filename, child: child.filename, rule, evidence });
  };
  for (const r of results) {
    const p = r.parent;
    if (p && r.newToken) add(p, r, 'token', `${p.method} + ${r.newToken}`);
    if (p && r.fmRefs.includes(p)) add(p, r, 'ref', `results/${r.filename} refs`);
    const report = reportOf.get(r);
    if (p && report && !report.inboxOnly && report.refs.includes(p)) add(p, r, 'ref', `message_board/${report.filename}`);
    if (p && r.kind === 'repro' && r.submission && r.submission.owner !== r.agent) {
      add(p, r, 'bucket-path', `submission: ${bucketUri(r.submission.owner.id, `submissions/${r.submission.owner.id}/${r.submission.name}/`)}`);
    }
    for (const c of r.credits) if (c.parent) add(c.parent, r, 'credit', c.phrase);
  }
  for (const e of envEdges) add(e.parent, e.child, 'bucket-path', e.evidence);
  edges.sort((a, b) => (a.child < b.child ? -1 : a.child > b.child ? 1 : a.parent < b.parent ? -1 : a.parent > b.parent ? 1 : a.rule < b.rule ? -1 : 1));

  const techniques = [...firstUse.entries()]
    .map(([token, r]) => ({ token, kind: technique(token).kind, inventor_agent: r.agent.id, first_result: r.filename }))
    .sort((a, b) => (a.first_result < b.first_result ? -1 : a.first_result > b.first_result ? 1 : a.token < b.token ? -1 : 1));
  return { edges, techniques };
}
