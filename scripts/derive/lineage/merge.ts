// Lineage: one edge per (parent, child), the strongest rule kept, confidences combined by noisy-OR.
import type { ResultRow } from '../../../src/lib/schema/core.ts';
import type { LineageEdgeRow } from '../../../src/lib/schema/lineage.ts';
import { isAgentNode, RULE_ORDER, type EdgeCandidate, type LineageRule } from './candidates.ts';

/** Group candidates by (parent, child): strongest rule wins, others become extra_rules, confidences combine. */
export function mergeCandidates(cands: readonly EdgeCandidate[], g?: { byFile: ReadonlyMap<string, { r: ResultRow }> }): LineageEdgeRow[] {
  const groups = new Map<string, EdgeCandidate[]>();
  for (const c of cands) {
    const k = `${c.parent}\u0000${c.child}`;
    const list = groups.get(k) ?? [];
    list.push(c);
    groups.set(k, list);
  }
  const rank = (r: LineageRule): number => RULE_ORDER.indexOf(r);
  const out: LineageEdgeRow[] = [];
  for (const list of groups.values()) {
    const best = [...list].sort((a, b) => rank(a.rule) - rank(b.rule) || b.confidence - a.confidence)[0]!;
    const perRule = new Map<LineageRule, number>();
    for (const c of list) perRule.set(c.rule, Math.max(perRule.get(c.rule) ?? 0, c.confidence));
    const miss = [...perRule.values()].reduce((acc, c) => acc * (1 - c), 1);
    out.push({
      parent: best.parent,
      child: best.child,
      parent_agent: isAgentNode(best.parent) ? best.parent.slice('agent:'.length) : (g?.byFile.get(best.parent)?.r.agent ?? null),
      child_agent: g?.byFile.get(best.child)?.r.agent ?? null,
      rule: best.rule,
      confidence: Math.round((1 - miss) * 1000) / 1000,
      extra_rules: RULE_ORDER.filter((r) => r !== best.rule && perRule.has(r)),
      evidence_file: best.evidence_file,
      evidence: best.evidence,
    });
  }
  return out.sort((a, b) => (a.child < b.child ? -1 : a.child > b.child ? 1 : a.parent < b.parent ? -1 : a.parent > b.parent ? 1 : 0));
}
