// Episodes rule 5 (documents and descriptions) and rule 9 (knowledge base): what the export holds without a board.
import type { DocumentRow, ResultRow } from '../../../src/lib/schema/core.ts';
import type { CoreTables } from '../../ingest/ingest.ts';
import * as C from './cues.ts';
import type { BoardContext } from './context.ts';
import { confidence, msgEvidence, plural, type Episode, type Evidence } from './episode.ts';

const resultText = (r: ResultRow): string => `${r.description ?? ''}\n${r.body_md ?? ''}`;
const resultEv = (r: ResultRow, role: string, snippet: string): Evidence => ({ file: `results/${r.filename}`, role, agent: r.agent, ts: r.ts, snippet: C.clip(snippet) });
const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Rule 5b: a result that runs another agent's staged or shared candidate and credits them near the cue. */
export function stagedResults(core: CoreTables): Episode[] {
  const out: Episode[] = [];
  for (const r of core.results) {
    const text = resultText(r);
    const credited = (r.credits ?? []).filter((b) => b !== r.agent);
    const hit = credited.map((b) => ({ b, s: creditNearCue(text, b) })).find((x) => x.s !== null);
    if (!hit?.s || !r.agent) continue;
    out.push({
      kind: 'compute-sharing', start: `results/${r.filename}`, title: C.clip(r.description ?? r.filename, 120), rule: 'compute:result-runs-staged-candidate',
      confidence: confidence(0.55, [[/\b(staged|on behalf of|for whoever|quota)\b/i.test(hit.s), 0.25], [r.verification === 'valid', 0.1], [r.ts !== null, 0.05]]),
      outcome: `${r.agent} ran ${hit.b}'s candidate${r.verification ? ` (${r.verification})` : ''}`,
      evidence: [resultEv(r, 'run', hit.s)],
    });
  }
  return out;
}

const PRINTABLE_ASCII = /^[\x21-\x7e]+$/;
/** A handle's pattern, made once per handle (matchAll copies it per use, so it is never advanced). */
const handlePatterns = new Map<string, RegExp>();

/** The sentence where a staging word and the credited agent's name stand within 80 characters, else null. */
function creditNearCue(text: string, agent: string): string | null {
  // A printable ASCII handle can only match where the text holds it, case aside: most texts are passed by here.
  if (PRINTABLE_ASCII.test(agent) && !text.toLowerCase().includes(agent.toLowerCase())) return null;
  const flat = text.replace(/\s+/g, ' ');
  let re = handlePatterns.get(agent);
  if (!re) handlePatterns.set(agent, (re = new RegExp(`@?${escapeRe(agent)}\\b`, 'gi')));
  for (const m of flat.matchAll(re)) {
    const win = flat.slice(Math.max(0, m.index - 80), m.index + agent.length + 80);
    if (C.STAGED_CREDIT.test(win)) return sentenceAt(flat, m.index);
  }
  return null;
}

/** The sentence of `flat` around position i. */
function sentenceAt(flat: string, i: number): string {
  const start = flat.lastIndexOf('. ', i) + 1;
  const end = flat.indexOf('. ', i);
  return C.clip(flat.slice(start, end < 0 ? undefined : end + 1).trim());
}

/** Rule 5c: a shared document staged for others to run ("for whoever runs it"), by its owner. */
export function stagedDocuments(core: CoreTables): Episode[] {
  return core.documents.flatMap((d): Episode[] => {
    const whoever = /\b(whoever (?:runs|picks|has)|anyone with (?:spare )?quota|staged for)\b/i;
    const blocked = /\b(?:quota|job[- ]launch)[^.\n]{0,20}\bblocked\b[^\n]{0,120}\bready (?:submission|to run)/i;
    if (!d.owner || !d.text || !(whoever.test(d.text) || blocked.test(d.text))) return [];
    const s = C.sentenceWith(d.text, whoever) ?? C.sentenceWith(d.text, blocked) ?? '';
    return [{
      kind: 'compute-sharing', start: d.path, title: d.title ?? d.path, rule: 'compute:document-staged-for-others',
      confidence: confidence(0.6, [[C.COMPUTE.test(d.text), 0.2]]),
      outcome: `${d.owner} staged it for others to run`,
      evidence: [{ file: d.path, role: 'trigger', agent: d.owner, ts: null, snippet: s }],
    }];
  });
}

/** Rule 9: a shared-resource folder named after an agent, with who cites and updates it. */
export function knowledgeBase(core: CoreTables, ctx: BoardContext): Episode[] {
  const known = new Set([...core.agents.map((a) => a.agent_id), ...core.results.map((r) => r.agent), ...ctx.msgs.map((m) => m.agent)]);
  const folders = new Map<string, DocumentRow[]>();
  for (const d of core.documents) if (d.resource && d.owner && (known.has(d.owner) || d.owner.includes('-'))) folders.set(d.resource, [...(folders.get(d.resource) ?? []), d]);
  const out: Episode[] = [];
  // Each result's text is made once, not once per folder.
  const resultTexts = folders.size > 0 ? core.results.map(resultText) : [];
  for (const [folder, docs] of [...folders].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const owner = docs[0]!.owner!;
    const cite = new RegExp(`\\b${escapeRe(folder)}\\b`, 'i');
    const ev: Evidence[] = docs.map((d) => ({ file: d.path, role: 'document', agent: owner, ts: null, snippet: C.clip(d.title ?? d.path) }));
    for (const d of core.documents) if (d.resource !== folder && d.text && cite.test(d.text)) ev.push({ file: d.path, role: 'citation', agent: d.owner, ts: null, snippet: C.sentenceWith(d.text, cite) ?? d.path });
    for (const m of ctx.msgs) if (cite.test(m.text)) ev.push(msgEvidence(m, m.agent === owner ? 'update' : 'citation', cite));
    for (const [i, r] of core.results.entries()) {
      const t = resultTexts[i]!;
      if (cite.test(t)) ev.push(resultEv(r, r.agent === owner ? 'update' : 'citation', C.sentenceWith(t, cite) ?? ''));
    }
    const cites = ev.filter((e) => e.role === 'citation');
    const citers = new Set(cites.map((e) => e.agent).filter((a) => a && a !== owner));
    const updates = ev.filter((e) => e.role === 'update').length;
    out.push({
      kind: 'knowledge-base', start: `shared_resources/${folder}`, title: docs.find((d) => d.title)?.title ?? folder, rule: 'kb:agent-named-folder',
      confidence: confidence(0.7, [[cites.length > 0, 0.15], [citers.size > 1, 0.1], [updates > 0, 0.05]]),
      outcome: `${plural(docs.length, 'document')} by ${owner}; cited ${plural(cites.length, 'time')} by ${plural(citers.size, 'other agent')}${updates ? `; ${plural(updates, 'update')} by ${owner}` : ''}`,
      evidence: ev,
    });
  }
  return out;
}
