// A listing's items as export files: message_board/, results/ and agents/ files, and the results' verification states.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { agentFileText, boardFileText, safeName, type ExportWriter } from './files.ts';
import type { ListingKind } from './api-pull.ts';

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** What writing items needs and what it counts: files written per listing and verification states by result file. */
export interface ItemSink {
  writer: ExportWriter;
  items: Record<ListingKind, number>;
  verification: Map<string, string>;
  warn: (s: string) => void;
}

/** Verification states earlier runs wrote (this run's overwrite them); a warning when the file is not valid JSON. */
export function readVerification(out: string, warn: (s: string) => void): Map<string, string> {
  const vPath = join(out, 'results', 'verification_status.json');
  const verification = new Map<string, string>();
  if (existsSync(vPath)) {
    try {
      const v = JSON.parse(readFileSync(vPath, 'utf8')) as unknown;
      if (isObj(v)) for (const [k, s] of Object.entries(v)) if (typeof s === 'string') verification.set(k, s);
    } catch {
      warn('results/verification_status.json was not valid JSON; it is rebuilt from this pull');
    }
  }
  return verification;
}

/** results/verification_status.json, sorted by file name (nothing when no state is known). */
export function writeVerification(sink: ItemSink): void {
  if (sink.verification.size === 0) return;
  const sorted = [...sink.verification.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  sink.writer.write('results/verification_status.json', `${JSON.stringify(Object.fromEntries(sorted), null, 2)}\n`);
}

/** An agents listing item: a registration with an agent_id, or a file record {filename, frontmatter, body} (rule 7). */
function writeAgent(sink: ItemSink, item: Record<string, unknown>, where: string): void {
  const id = item['agent_id'];
  if (typeof id === 'string' && safeName(id) && !('frontmatter' in item)) {
    sink.writer.write(`agents/${id}.md`, agentFileText(item));
    sink.items.agents++;
    return;
  }
  const fn = typeof item['filename'] === 'string' ? item['filename'].replace(/^agents\//, '') : null;
  if (fn && safeName(fn) && isObj(item['frontmatter'])) {
    sink.writer.write(`agents/${fn.endsWith('.md') ? fn : `${fn}.md`}`, boardFileText(item['frontmatter'], str(item['body'])));
    sink.items.agents++;
    return;
  }
  sink.warn(`${where}: agent item has no usable agent_id; skipped`);
}

/** A message or result item: its file under its safe filename, from frontmatter and body or raw content. */
function writeBoardItem(sink: ItemSink, kind: 'messages' | 'results', item: Record<string, unknown>, where: string): void {
  const raw = item['filename'];
  const fn = typeof raw === 'string' ? raw.slice(raw.lastIndexOf('/') + 1) : null;
  if (!fn || !safeName(fn)) {
    sink.warn(`${where}: item has no safe filename (${JSON.stringify(raw)}); skipped`);
    return;
  }
  let text: string;
  if (isObj(item['frontmatter'])) text = boardFileText(item['frontmatter'], str(item['body']));
  else if (typeof item['content'] === 'string') text = item['content'];
  else {
    sink.warn(`${where}: ${fn} has neither frontmatter nor content; skipped`);
    return;
  }
  sink.writer.write(`${kind === 'results' ? 'results' : 'message_board'}/${fn}`, text);
  sink.items[kind]++;
  if (kind === 'results') {
    const v = item['verification'];
    sink.verification.set(fn, typeof v === 'string' && v !== '' ? v : 'pending');
  }
}

/** One listing item as its file; an unusable item is skipped with a warning naming `where` it was. */
export function writeItem(sink: ItemSink, kind: ListingKind, item: unknown, where: string): void {
  if (!isObj(item)) {
    sink.warn(`${where}: item is not an object (was the listing requested with expand=true?); skipped`);
    return;
  }
  if (kind === 'agents') writeAgent(sink, item, where);
  else writeBoardItem(sink, kind, item, where);
}
