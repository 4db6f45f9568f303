// Read, parse and validate the board's records: message_board/, inbox/ copies, results/, the verification index,
// and saved API listings. Each file inside its own boundary; what cannot be used becomes a reject.
import type { AgentRow } from '../../src/lib/schema/core.ts';
import { agentFromApi } from './registry.ts';
import { listingKind, parseBoardFile, recordFromApiItem, type BoardRecord } from './board.ts';
import { isolate, isWellFormed } from './boundary.ts';
import type { IngestContext, Parts } from './context.ts';
import { normaliseVerification } from './leaderboard.ts';
import { LIMITS } from './limits.ts';
import { baseName } from './names.ts';
import { isObj, readJson, readText, str, type InputFile } from './source.ts';
import { CHANNEL_NAME_RE } from './channels.ts';
import { readAhead } from './prefetch.ts';

export interface BoardFiles {
  boardMessages: Map<string, BoardRecord>;
  inboxCopies: Map<string, BoardRecord>;
  /** Recipients of each message, from the inbox folders its copies sit in. */
  recipients: Map<string, Set<string>>;
  resultRecords: Map<string, BoardRecord>;
}

type BoardPart = 'message_board' | 'inbox' | 'results';

function boardFile(ctx: IngestContext, f: InputFile, part: BoardPart): BoardRecord | null {
  return ctx.memo.unit('board', [f], part, ctx.rejects, (rj) =>
    isolate(rj, [f.rel], part, 'parse', () => {
      const text = readText(f, part, rj);
      return text === null ? null : parseBoardFile(f.rel, text, part, part, rj);
    }, null),
  );
}

const addRecipient = (recipients: Map<string, Set<string>>, filename: string, handle: string): void => {
  const set = recipients.get(filename) ?? new Set<string>();
  set.add(handle);
  recipients.set(filename, set);
};

/** An inbox copy of a channel message carries `channel:`; it is a copy of channels/<channel>/<file>, keyed so. */
function inboxKeyed(rec: BoardRecord | null): BoardRecord | null {
  const channel = rec ? str(rec.data['channel']) : null;
  if (!rec || channel === null || !CHANNEL_NAME_RE.test(channel)) return rec;
  return { ...rec, filename: `channels/${channel}/${rec.filename}` };
}

export function readBoardFiles(ctx: IngestContext, parts: Parts): BoardFiles {
  const out: BoardFiles = { boardMessages: new Map(), inboxCopies: new Map(), recipients: new Map(), resultRecords: new Map() };
  const ahead = readAhead(ctx, parts);
  for (const f of parts.get('message_board')) {
    ahead?.take(f);
    const rec = boardFile(ctx, f, 'message_board');
    if (rec) out.boardMessages.set(rec.filename, rec);
    ctx.tick('message_board');
  }
  for (const f of parts.get('inbox')) {
    ahead?.take(f);
    const handle = f.rel.split('/')[1]!;
    const filename = f.rel.slice(f.rel.lastIndexOf('/') + 1);
    // An inbox copy of a message already read from message_board/ (or another inbox) is a delivery:
    // record the recipient without parsing the same bytes again.
    if ((out.boardMessages.has(filename) || out.inboxCopies.has(filename)) && f.size > 0) {
      addRecipient(out.recipients, filename, handle);
    } else {
      const rec = inboxKeyed(boardFile(ctx, f, 'inbox'));
      if (rec) {
        addRecipient(out.recipients, rec.filename, handle);
        if (!out.inboxCopies.has(rec.filename)) out.inboxCopies.set(rec.filename, rec);
      }
    }
    ctx.tick('inbox');
  }
  for (const f of parts.get('results')) {
    ahead?.take(f);
    const rec = boardFile(ctx, f, 'results');
    if (rec && out.boardMessages.has(rec.filename)) {
      ctx.rejects.add(f.rel, 'results', 'validate', 'duplicate filename: a message_board/ file has the same name', 'messages and results share one filename namespace; the message was kept');
    } else if (rec) out.resultRecords.set(rec.filename, rec);
    ctx.tick('results');
  }
  return out;
}

/** results/verification_status.json: {result filename: state}; a bad entry is rejected on its own. */
export function readVerificationIndex(ctx: IngestContext, parts: Parts): Map<string, string> {
  const index = new Map<string, string>();
  for (const f of parts.get('verification')) {
    isolate(ctx.rejects, [f.rel], 'results', 'parse', () => {
      const v = readJson(f, 'results', ctx.rejects, LIMITS.listingBytes);
      if (v === undefined) return;
      if (!isObj(v)) {
        ctx.rejects.add(f.rel, 'results', 'validate', 'verification_status.json is not a {filename: state} object', null);
        return;
      }
      for (const [k, s] of Object.entries(v)) {
        const state = typeof s === 'string' && s.length <= 100 && isWellFormed(s) ? normaliseVerification(s) : null;
        if (state && k.length <= 1000) index.set(baseName(k), state);
        else
          ctx.rejects.add(
            `${f.rel}#${k.slice(0, 200)}`,
            'results',
            'validate',
            typeof s === 'string' ? 'verification state is too long or not text' : 'verification state is not a string',
            typeof s === 'object' && s !== null ? (Array.isArray(s) ? 'a list' : 'a mapping') : String(s),
          );
      }
    }, undefined);
    ctx.tick('verification');
  }
  return index;
}

export interface ApiRecords {
  messages: Map<string, BoardRecord>;
  results: Map<string, BoardRecord>;
  agents: AgentRow[];
  /** Listings read as such (their items became rows or confirmed files), and empty ones. */
  listings: string[];
}

/** Saved API listing pages: kind from the file name, else the items' shape; each item inside its own boundary. */
export function readApiListings(ctx: IngestContext, parts: Parts): ApiRecords {
  const out: ApiRecords = { messages: new Map(), results: new Map(), agents: [], listings: [] };
  for (const f of parts.get('api')) {
    const v = isolate(ctx.rejects, [f.rel], 'api', 'parse', () => readJson(f, 'api', ctx.rejects, LIMITS.listingBytes), undefined);
    if (v !== undefined) {
      const items = isObj(v) && Array.isArray(v['items']) ? (v['items'] as unknown[]) : Array.isArray(v) ? v : null;
      if (!items) ctx.rejects.add(f.rel, 'api', 'validate', 'not an API listing', 'expected {count, matched, items, next}');
      else readListing(ctx, f.rel, items, out);
    }
    ctx.tick('api');
  }
  return out;
}

function readListing(ctx: IngestContext, rel: string, items: unknown[], out: ApiRecords): void {
  const kind = listingKind(rel, items);
  if (kind || items.length === 0) out.listings.push(rel);
  if (!kind && items.length > 0) ctx.rejects.add(rel, 'api', 'validate', 'cannot tell whether the listing holds messages, results or agents', 'name the file messages-*.json, results-*.json or agents-*.json');
  if (!kind) return;
  items.forEach((item, i) => {
    const where = `${rel}#items[${i}]`;
    isolate(ctx.rejects, [where], 'api', 'rows', () => {
      if (kind === 'agents') {
        if (typeof item === 'string') return;
        const a = agentFromApi(where, item, ctx.rejects, ctx.flags);
        if (a) out.agents.push(a);
        return;
      }
      const rec = recordFromApiItem(rel, i, item, ctx.rejects);
      if (!rec) return;
      const target = kind === 'results' || rec.apiVerification !== null ? out.results : out.messages;
      const prev = target.get(rec.filename);
      if (!prev || (rec.apiVerification && !prev.apiVerification)) target.set(rec.filename, rec);
    }, undefined);
  });
}
