// Links between board records: refs, @-mentions and quoted filenames or stamps, resolved in both namespaces.
import type { MessageLinkRow, MessageRow, ResultRow } from '../../src/lib/schema/core.ts';
import type { RefAmbiguityRow } from '../../src/lib/schema/rooms.ts';
import type { RecordKeys } from './message-keys.ts';
import { flat } from './boundary.ts';
import { baseName } from './names.ts';
import { extractMentions, extractQuotedFilenames, extractStamps } from './text.ts';

/** submissions/<agent>/<name> inside a submission URI or an artifacts path. */
export function submissionPrefixOf(paths: (string | null)[]): string | null {
  for (const p of paths) {
    const m = p ? /(submissions\/[a-z0-9][a-z0-9-]*\/[^/\s]+)/.exec(p) : null;
    if (m) return flat(m[1]!); // a match is a slice that would keep its whole source text alive with the row
  }
  return null;
}

/**
 * refs, @-mentions and quoted filenames or stamps from messages and results, resolved in both namespaces; with
 * `keys`, a bare name also finds a channel message or broadcast (message-keys.ts), and a name several of them share
 * links as `ambiguous` (its quoted-filename candidates are added to `ambiguous`; refs were listed when resolved).
 */
export function buildLinks(messages: MessageRow[], results: ResultRow[], keys?: RecordKeys, ambiguous?: RefAmbiguityRow[]): MessageLinkRow[] {
  const owner = new Map<string, { part: string; agent: string | null }>();
  for (const m of messages) owner.set(m.filename, { part: 'messages', agent: m.agent });
  for (const r of results) owner.set(r.filename, { part: 'results', agent: r.agent });
  const byStamp = new Map<string, string>();
  for (const fn of owner.keys()) {
    const s = /^(\d{8}-\d{6}-\d{3})_/.exec(baseName(fn))?.[1];
    if (s && !byStamp.has(s)) byStamp.set(s, fn);
  }
  const out = new Map<string, MessageLinkRow>();
  const add = (from: string, kind: string, target: string, toFile: string | null, toPart: string, toAgent: string | null): void => {
    if (toFile === from) return;
    const k = `${from}\u0000${kind}\u0000${target}`;
    if (!out.has(k)) out.set(k, { from_file: from, kind, target, to_file: toFile, to_part: toPart, to_agent: toAgent });
  };
  const seenAmbiguous = new Set<string>();
  const fileLink = (from: string, kind: string, target: string): void => {
    const r = owner.has(target) ? { key: target } : (keys?.resolve(target) ?? null);
    if (r && 'candidates' in r) {
      add(from, kind, target, null, 'ambiguous', null);
      const k = `${from}\u0000${target}`;
      if (kind !== 'ref' && !seenAmbiguous.has(k)) {
        seenAmbiguous.add(k);
        ambiguous?.push({ from_file: from, target, kind, candidates: r.candidates });
      }
      return;
    }
    const o = r ? owner.get(r.key) : undefined;
    add(from, kind, target, o ? r!.key : null, o ? o.part : 'unresolved', o?.agent ?? null);
  };
  const resolvedKey = (t: string): string => {
    const r = keys?.resolve(t);
    return r && 'key' in r ? r.key : t;
  };
  const scan = (from: string, refs: string[], text: string): void => {
    for (const r of refs) fileLink(from, 'ref', r);
    for (const h of extractMentions(text)) add(from, 'mention', h, null, 'agent', h);
    for (const q of extractQuotedFilenames(text)) if (!refs.includes(q) && !refs.includes(resolvedKey(q))) fileLink(from, 'quoted-filename', q);
    for (const s of extractStamps(text)) {
      const fn = byStamp.get(s);
      if (fn && !refs.includes(fn) && !text.includes(baseName(fn))) fileLink(from, 'quoted-filename', fn);
    }
  };
  for (const m of messages) scan(m.filename, m.refs ?? [], m.body_md ?? '');
  for (const r of results) scan(r.filename, r.refs ?? [], `${r.description ?? ''}\n${r.body_md ?? ''}`);
  return [...out.values()];
}
