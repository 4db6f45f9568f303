// Lineage rule 3 (credit): the child's text or method names another agent.
import { handlesInMethod } from '../../../src/lib/lineage/tokens.ts';
import { CREDITING, creditRelations, type CreditRelation } from '../../ingest/credit-phrases.ts';
import { agentNodeId, clip, CONFIDENCE, type EdgeCandidate } from './candidates.ts';
import type { Graph, Node } from './graph.ts';
import { clausesWith, creditMode, creditSegment, hasCreditCue, onlyRoleMentions, snippetAround, textOf } from './text.ts';

/** Rule 3 per child: credits in its text, then handles embedded in its method string. */
export function creditCandidates(g: Graph, handles: ReadonlySet<string>, aliases: ReadonlyMap<string, string>): EdgeCandidate[] {
  const out: EdgeCandidate[] = [];
  for (const c of g.nodes) {
    if (c.t === null) continue;
    out.push(...textCredits(g, c, handles, aliases), ...methodHandles(g, c, handles));
  }
  return out;
}

/** results.credits: the credited agent's result the mention means, else (credit, repro, port, delta) the agent itself. */
function textCredits(g: Graph, c: Node, handles: ReadonlySet<string>, aliases: ReadonlyMap<string, string>): EdgeCandidate[] {
  const out: EdgeCandidate[] = [];
  const file = c.r.source_file ?? c.r.filename;
  const desc = c.r.description ?? '';
  const text = textOf(c.r);
  const inDesc = new Map<string, CreditRelation>();
  const inText = new Map<string, CreditRelation>();
  if (c.r.credits?.length) {
    for (const rel of creditRelations(desc, handles, c.r.agent, aliases)) inDesc.set(rel.agent, rel);
    for (const rel of creditRelations(text, handles, c.r.agent, aliases)) inText.set(rel.agent, rel);
  }
  for (const who of c.r.credits ?? []) {
    const rel = inDesc.get(who) ?? inText.get(who);
    const src = inDesc.has(who) || desc.toLowerCase().includes(who) ? desc : text;
    // The name as written: the handle, or a short form such as "dixie" for dixie-flatline.
    const name = rel?.name ?? who;
    // Relay roles link nothing, unless a stronger cue credits the same agent ("Port of X staged …" is a port).
    const credited = rel !== undefined && CREDITING.has(rel.kind) && rel.kind !== 'role';
    if (rel?.kind === 'comparison' || (onlyRoleMentions(src, name) && !credited)) continue;
    const mode = creditMode(src, name);
    const named = creditSegment(src, name);
    const p = g.pickParent(who, c, mode, {
      near: clausesWith(src, name),
      anywhere: text,
      weight: (tok) => (tok.length >= 2 && named.includes(tok) ? 1 : 0),
    });
    // A credit, reproduction, port or delta whose agent has no earlier result here still links: to the agent.
    const parent = p ? p.r.filename : credited ? agentNodeId(who) : null;
    if (!parent) continue;
    const conf = hasCreditCue(src, name) ? CONFIDENCE.creditCue : CONFIDENCE.creditPlain;
    out.push({ parent, child: c.r.filename, rule: 'credit', confidence: conf, evidence_file: file, evidence: snippetAround(src, name) });
  }
  return out;
}

/** handlesInMethod: a multi-part handle spelled inside the child's method string. */
function methodHandles(g: Graph, c: Node, handles: ReadonlySet<string>): EdgeCandidate[] {
  const out: EdgeCandidate[] = [];
  const file = c.r.source_file ?? c.r.filename;
  for (const who of handlesInMethod(c.r.method, handles, c.r.agent)) {
    const p = g.pickParent(who, c, 'stack', { near: c.r.method, anywhere: textOf(c.r) });
    if (p) out.push({ parent: p.r.filename, child: c.r.filename, rule: 'credit', confidence: CONFIDENCE.creditMethod, evidence_file: file, evidence: clip(`method: ${c.r.method ?? ''}`) });
  }
  return out;
}
