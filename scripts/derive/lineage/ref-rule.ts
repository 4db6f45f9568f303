// Lineage rule 1 (ref): refs written by results and by board messages, and result filenames quoted in result text.
import type { MessageLinkRow, MessageRow } from '../../../src/lib/schema/core.ts';
import { pushTo } from '../collections.ts';
import { clip, CONFIDENCE, type EdgeCandidate } from './candidates.ts';
import { byTimeThenName, type Graph, type Node } from './graph.ts';
import { snippetAround } from './text.ts';

/** Rule 1 in the order its candidates are listed: a (result refs), c (quoted in result text), b (board messages). */
export function refCandidates(g: Graph, messages: readonly MessageRow[], links: readonly MessageLinkRow[]): EdgeCandidate[] {
  const quotedFrom = quotedResults(links);
  return [...resultRefs(g), ...quotedRefs(g, quotedFrom), ...messageRefs(g, messages, quotedFrom)];
}

/** A ref edge when both ends are stamped results and the parent is strictly earlier. */
function refEdge(p: Node | undefined, c: Node | undefined, confidence: number, file: string | null, evidence: string): EdgeCandidate | null {
  if (p && c && p !== c && p.t !== null && c.t !== null && p.t < c.t) {
    return { parent: p.r.filename, child: c.r.filename, rule: 'ref', confidence, evidence_file: file, evidence: clip(evidence) };
  }
  return null;
}

const present = (c: EdgeCandidate | null): c is EdgeCandidate => c !== null;

/** message_links rows of kind quoted-filename that point at a result, per quoting file. */
function quotedResults(links: readonly MessageLinkRow[]): Map<string, MessageLinkRow[]> {
  const quotedFrom = new Map<string, MessageLinkRow[]>();
  for (const l of links) {
    if (l.kind !== 'quoted-filename' || l.to_part !== 'results' || !l.to_file) continue;
    pushTo(quotedFrom, l.from_file, l);
  }
  return quotedFrom;
}

/** 1a: a result's own `refs` frontmatter names an earlier result. */
function resultRefs(g: Graph): EdgeCandidate[] {
  return g.nodes.flatMap((c) =>
    (c.r.refs ?? []).map((ref) => refEdge(g.byFile.get(ref), c, CONFIDENCE.refResult, c.r.source_file ?? c.r.filename, `refs: ${ref}`)).filter(present),
  );
}

/** 1c: a result's description or body quotes another result's filename or stamp. */
function quotedRefs(g: Graph, quotedFrom: ReadonlyMap<string, MessageLinkRow[]>): EdgeCandidate[] {
  const out: EdgeCandidate[] = [];
  for (const c of g.nodes) {
    for (const l of quotedFrom.get(c.r.filename) ?? []) {
      const text = `${c.r.description ?? ''}\n${c.r.body_md ?? ''}`;
      const stamp = l.to_file!.slice(0, 19);
      const needle = text.includes(l.to_file!) ? l.to_file! : stamp;
      const e = refEdge(g.byFile.get(l.to_file!), c, CONFIDENCE.refQuoted, c.r.source_file ?? c.r.filename, snippetAround(text, needle));
      if (e) out.push(e);
    }
  }
  return out;
}

/** 1b: a board message refs two or more results and names one of its author's: that one is the child of the others. */
function messageRefs(g: Graph, messages: readonly MessageRow[], quotedFrom: ReadonlyMap<string, MessageLinkRow[]>): EdgeCandidate[] {
  const out: EdgeCandidate[] = [];
  for (const m of messages) {
    if (!m.agent) continue;
    const refd = (m.refs ?? []).map((f) => g.byFile.get(f)).filter((n): n is Node => n !== undefined);
    if (refd.length < 2) continue;
    const named = [...refd, ...(quotedFrom.get(m.filename) ?? []).map((l) => g.byFile.get(l.to_file!))].filter(
      (n): n is Node => n !== undefined && n.r.agent === m.agent && n.t !== null,
    );
    if (named.length === 0) continue;
    const child = named.reduce((a, b) => (byTimeThenName(a, b) >= 0 ? a : b));
    for (const p of refd) {
      if (p === child) continue;
      const e = refEdge(p, child, CONFIDENCE.refMessage, m.source_file ?? m.filename, `message ${m.filename} by ${m.agent} names ${child.r.filename} and refs ${p.r.filename}`);
      if (e) out.push(e);
    }
  }
  return out;
}
