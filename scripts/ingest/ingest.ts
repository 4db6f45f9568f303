// Export folder → rows of every core table. Pure apart from reading the files; no clock, stable order.
import type {
  AgentRow,
  DocumentRow,
  LeaderboardSnapshotRow,
  MessageLinkRow,
  MessageRow,
  RejectRow,
  ResultRow,
  RunRow,
  TaskforceRow,
} from '../../src/lib/schema/core.ts';
import { parseConfig, DEFAULT_CONFIG, type CollabConfig } from '../../src/lib/config.ts';
import { listingKind, parseBoardFile, recordFromApiItem, type BoardRecord } from './board.ts';
import { frontmatterJson } from './frontmatter.ts';
import { normaliseVerification, parseLeaderboard, type Snapshot } from './leaderboard.ts';
import { baseName, parseBoardFilename } from './names.ts';
import { agentFromApi, agentFromFile, documentFile, taskforceFile } from './registry.ts';
import { configWords, handleAliases } from './credit-phrases.ts';
import { recoverValues, RunIndex } from './recover.ts';
import { groupRunDirs, markDuplicateJobs, parseRunDir } from './runs.ts';
import {
  isObj,
  listFiles,
  numOrNull,
  partOf,
  readJson,
  readText,
  Rejects,
  str,
  strList,
  NO_MEMO,
  type InputFile,
  type Part,
  type UnitMemo,
} from './source.ts';
import {
  classifyMessage,
  excerptOf,
  extractCredits,
  extractJobIds,
  extractMentions,
  extractQuotedFilenames,
  extractStamps,
  headlineOf,
  normaliseRefs,
  parseVerdict,
} from './text.ts';

export interface CoreTables {
  agents: AgentRow[];
  messages: MessageRow[];
  message_links: MessageLinkRow[];
  results: ResultRow[];
  runs: RunRow[];
  leaderboard_snapshots: LeaderboardSnapshotRow[];
  taskforces: TaskforceRow[];
  documents: DocumentRow[];
  rejects: RejectRow[];
}

export interface IngestResult {
  tables: CoreTables;
  config: CollabConfig;
  /** Every input file with its part, for the manifest and the input hash. */
  files: InputFile[];
  filesPerPart: Record<string, number>;
  /** API listing files that were read as listings (their items became rows or confirmed files). */
  apiListings: string[];
}

export interface IngestOptions {
  /** Overrides the export's own collab-atlas.json. */
  config?: CollabConfig;
  /** The export's files as listFiles(root) returns them, when the caller has listed them already. */
  files?: InputFile[];
  onProgress?: (done: number, total: number, what: string) => void;
  /** Answers units of work whose files are unchanged (the incremental build); default: compute everything. */
  memo?: UnitMemo;
}

const RESULT_STATUSES = new Set(['agent-run', 'negative', 'baseline']);

export function ingestExport(root: string, opts: IngestOptions = {}): IngestResult {
  const files = opts.files ?? listFiles(root);
  const memo = opts.memo ?? NO_MEMO;
  const rejects = new Rejects();
  const byPart = new Map<Part, InputFile[]>();
  for (const f of files) {
    const p = partOf(f.rel);
    const list = byPart.get(p) ?? [];
    list.push(f);
    byPart.set(p, list);
  }
  const get = (p: Part): InputFile[] => byPart.get(p) ?? [];
  const filesPerPart: Record<string, number> = {};
  for (const [p, l] of [...byPart].sort()) filesPerPart[p] = l.length;

  let done = 0;
  const total = files.length;
  const tick = (what: string, n = 1): void => {
    done += n;
    opts.onProgress?.(done, total, what);
  };

  for (const f of get('unknown')) {
    rejects.add(f.rel, null, 'unknown folder or file: not part of the export layout', 'expected message_board/, results/, agents/, inbox/, taskforces/, runs/, leaderboard/, api/, shared_resources/ or README.md');
  }
  tick('unknown', get('unknown').length);

  // Configuration: the CLI's, else the export's collab-atlas.json, else the default.
  let config = opts.config ?? DEFAULT_CONFIG;
  for (const f of get('config')) {
    const v = readJson(f, 'config', rejects);
    if (v !== undefined && !opts.config) {
      try {
        config = parseConfig(v, f.rel);
      } catch (e) {
        rejects.add(f.rel, 'config', 'invalid collaboration config; the default was used', (e as Error).message);
      }
    }
    tick('config');
  }
  const verifiers = new Set(config.verifier_agents);
  const flags = (id: string): Pick<AgentRow, 'is_human' | 'is_verifier'> => ({
    is_human: id.startsWith('human-'),
    is_verifier: verifiers.has(id),
  });

  // Board files.
  const boardMessages = new Map<string, BoardRecord>();
  const inboxCopies = new Map<string, BoardRecord>();
  const recipients = new Map<string, Set<string>>();
  const resultRecords = new Map<string, BoardRecord>();
  const boardFile = (f: InputFile, part: 'message_board' | 'inbox' | 'results'): BoardRecord | null =>
    memo.unit('board', [f], part, rejects, (rj) => {
      const text = readText(f, part, rj);
      return text === null ? null : parseBoardFile(f.rel, text, part, part, rj);
    });
  for (const f of get('message_board')) {
    const rec = boardFile(f, 'message_board');
    if (rec) boardMessages.set(rec.filename, rec);
    tick('message_board');
  }
  for (const f of get('inbox')) {
    const handle = f.rel.split('/')[1]!;
    const filename = f.rel.slice(f.rel.lastIndexOf('/') + 1);
    // An inbox copy of a message already read from message_board/ (or another inbox) is a delivery:
    // record the recipient without parsing the same bytes again.
    if ((boardMessages.has(filename) || inboxCopies.has(filename)) && f.size > 0) {
      const set = recipients.get(filename) ?? new Set<string>();
      set.add(handle);
      recipients.set(filename, set);
      tick('inbox');
      continue;
    }
    const rec = boardFile(f, 'inbox');
    if (rec) {
      const set = recipients.get(rec.filename) ?? new Set<string>();
      set.add(handle);
      recipients.set(rec.filename, set);
      if (!inboxCopies.has(rec.filename)) inboxCopies.set(rec.filename, rec);
    }
    tick('inbox');
  }
  for (const f of get('results')) {
    const rec = boardFile(f, 'results');
    if (rec) {
      if (boardMessages.has(rec.filename)) {
        rejects.add(f.rel, 'results', 'duplicate filename: a message_board/ file has the same name', 'messages and results share one filename namespace; the message was kept');
      } else resultRecords.set(rec.filename, rec);
    }
    tick('results');
  }

  // Verification index.
  const verificationIndex = new Map<string, string>();
  for (const f of get('verification')) {
    const v = readJson(f, 'results', rejects);
    if (v !== undefined) {
      if (!isObj(v)) rejects.add(f.rel, 'results', 'verification_status.json is not a {filename: state} object', null);
      else
        for (const [k, s] of Object.entries(v)) {
          const state = typeof s === 'string' ? normaliseVerification(s) : null;
          if (state) verificationIndex.set(baseName(k), state);
          else rejects.add(`${f.rel}#${k}`, 'results', 'verification state is not a string', JSON.stringify(s));
        }
    }
    tick('verification');
  }

  // API listings.
  const agentRows = new Map<string, AgentRow>();
  const apiMessages = new Map<string, BoardRecord>();
  const apiResults = new Map<string, BoardRecord>();
  const apiAgents: AgentRow[] = [];
  const apiListings: string[] = [];
  for (const f of get('api')) {
    const v = readJson(f, 'api', rejects);
    if (v !== undefined) {
      const items = isObj(v) && Array.isArray(v['items']) ? (v['items'] as unknown[]) : Array.isArray(v) ? v : null;
      if (!items) rejects.add(f.rel, 'api', 'not an API listing', 'expected {count, matched, items, next}');
      else {
        const kind = listingKind(f.rel, items);
        if (kind) apiListings.push(f.rel);
        if (!kind && items.length > 0) rejects.add(f.rel, 'api', 'cannot tell whether the listing holds messages, results or agents', 'name the file messages-*.json, results-*.json or agents-*.json');
        items.forEach((item, i) => {
          const where = `${f.rel}#items[${i}]`;
          if (kind === 'agents') {
            if (typeof item === 'string') return;
            const a = agentFromApi(where, item, rejects, flags);
            if (a) apiAgents.push(a);
          } else if (kind) {
            const rec = recordFromApiItem(f.rel, i, item, rejects);
            if (!rec) return;
            const isResult = kind === 'results' || rec.apiVerification !== null;
            const target = isResult ? apiResults : apiMessages;
            const prev = target.get(rec.filename);
            if (!prev || (rec.apiVerification && !prev.apiVerification)) target.set(rec.filename, rec);
          }
        });
      }
    }
    tick('api');
  }

  // Agents.
  for (const f of get('agents')) {
    const a = memo.unit('agent', [f], config.verifier_agents.join(','), rejects, (rj) => agentFromFile(f, rj, flags));
    if (a) agentRows.set(a.agent_id, a);
    tick('agents');
  }
  for (const a of apiAgents) if (!agentRows.has(a.agent_id)) agentRows.set(a.agent_id, a);

  // Leaderboard snapshots.
  const snapshots: Snapshot[] = [];
  for (const f of get('leaderboard')) {
    const v = readJson(f, 'leaderboard', rejects);
    if (v !== undefined) {
      const s = parseLeaderboard(f.rel, v, config, rejects);
      if (s) snapshots.push(s);
    }
    tick('leaderboard');
  }
  snapshots.sort((a, b) => (a.generatedAt < b.generatedAt ? -1 : a.generatedAt > b.generatedAt ? 1 : a.file < b.file ? -1 : 1));

  // Runs.
  const runRows: RunRow[] = [];
  const runFiles = get('runs');
  for (const [dir, list] of [...groupRunDirs(runFiles)].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const fields = `${config.score_field},${config.secondary_field ?? ''}`;
    runRows.push(memo.unit('run', list, fields, rejects, (rj) => parseRunDir(dir, list, rj, config)));
    tick('runs', list.length);
  }
  const runs = markDuplicateJobs(runRows);

  // Taskforces and documents.
  const taskforceRows: TaskforceRow[] = [];
  for (const f of get('taskforces')) {
    const t = memo.unit('taskforce', [f], '', rejects, (rj) => taskforceFile(f, rj));
    if (t) taskforceRows.push(t);
    tick('taskforces');
  }
  const documentRows: DocumentRow[] = [];
  for (const f of [...get('readme'), ...get('shared_resources')]) {
    const d = memo.unit('document', [f], '', rejects, (rj) => documentFile(f, rj));
    if (d) documentRows.push(d);
    tick('documents');
  }

  // Messages: message_board wins over inbox copies, files win over API items.
  const messageRecords = new Map<string, BoardRecord>(apiMessages);
  for (const [k, r] of inboxCopies) messageRecords.set(k, r);
  for (const [k, r] of boardMessages) messageRecords.set(k, r);
  for (const k of resultRecords.keys()) messageRecords.delete(k);
  const allResultRecords = new Map<string, BoardRecord>(apiResults);
  for (const [k, r] of resultRecords) allResultRecords.set(k, r);
  for (const k of messageRecords.keys()) {
    if (allResultRecords.get(k)?.sourcePart === 'api') allResultRecords.delete(k);
  }

  // Newest snapshot row per result filename.
  const newestRow = new Map<string, { row: LeaderboardSnapshotRow; seen: number; file: string }>();
  for (const s of snapshots) {
    for (const row of s.rows) {
      const fn = baseName(row.filename ?? '');
      const prev = newestRow.get(fn);
      newestRow.set(fn, { row, seen: (prev?.seen ?? 0) + 1, file: s.file });
    }
  }

  // Results.
  const results: ResultRow[] = [];
  const sf = config.score_field;
  const secf = config.secondary_field;
  const runIndex = new RunIndex(runs);
  for (const rec of [...allResultRecords.values()]) {
    const d = rec.data;
    const description = str(d['description']);
    const artifacts = strList(d['artifacts']);
    const submission = str(d['submission']);
    const jobIds = extractJobIds(`${description ?? ''}\n${rec.body}`);
    // Score and secondary from the frontmatter, else the text, else a linked run, each with its source.
    const given = numOrNull(d[sf]);
    const values = recoverValues(
      {
        score: given,
        secondary: secf ? numOrNull(d[secf]) : null,
        description,
        body: rec.body,
        runs: runIndex.linksOf({
          agent: str(d['agent']) ?? rec.name.agent,
          ts: rec.name.ts,
          score: given,
          job_ids: jobIds,
          submission_prefix: submissionPrefixOf([submission, ...(artifacts ?? [])]),
          artifacts,
          text: `${description ?? ''}\n${rec.body}`,
        }),
      },
      config,
    );
    // A score field that is there but not a number is malformed (the board excludes it), not missing: no recovery.
    const score = given === null && d[sf] !== undefined && d[sf] !== null ? null : values.score;
    const method = str(d['method']);
    const status = str(d['status'])?.trim().toLowerCase() ?? null;
    const missing = [score === null ? sf : null, method ? null : 'method', status ? null : 'status'].filter(Boolean);
    if (missing.length) {
      rejects.add(rec.sourceFile, rec.sourcePart, `missing required field${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`, null);
      continue;
    }
    if (!RESULT_STATUSES.has(status!)) {
      rejects.add(rec.sourceFile, rec.sourcePart, 'status must be agent-run, negative or baseline', String(d['status']));
      continue;
    }
    const agent = str(d['agent']) ?? rec.name.agent;
    const lb = newestRow.get(rec.filename);
    const fromIndex = verificationIndex.get(rec.filename);
    const fromApi = normaliseVerification(rec.apiVerification);
    const [verification, vsource] = fromIndex
      ? [fromIndex, 'index']
      : fromApi
        ? [fromApi, 'api']
        : lb?.row.verification
          ? [lb.row.verification, 'leaderboard']
          : ['pending', 'default'];
    const secondary = values.secondary;
    results.push({
      filename: rec.filename,
      ts: rec.name.ts,
      agent,
      hf_user: lb?.row.hf_user ?? null,
      ...values,
      method,
      status,
      is_baseline: status === 'baseline' || agent === 'baseline',
      over_cap: secondary !== null && config.secondary_cap !== null ? secondary > config.secondary_cap : null,
      description,
      artifacts,
      submission,
      submission_prefix: submissionPrefixOf([submission, ...(artifacts ?? [])]),
      verification,
      verification_source: vsource,
      body_md: rec.body.trim() || null,
      frontmatter_json: frontmatterJson(d),
      job_ids: jobIds,
      credits: null,
      refs: normaliseRefs(d['refs']),
      snapshots_seen: lb?.seen ?? 0,
      source_part: rec.sourcePart,
      source_file: rec.sourceFile,
    });
  }
  const resultNames = new Set(results.map((r) => r.filename));
  for (const [fn, { row, seen, file }] of newestRow) {
    if (resultNames.has(fn) || messageRecords.has(fn)) continue;
    const name = parseBoardFilename(fn);
    const ts = typeof name === 'string' ? null : name.ts;
    const description = row.description;
    const jobIds = extractJobIds(description ?? '');
    const links = runIndex.linksOf({ agent: row.agent, ts, score: row.score, job_ids: jobIds, submission_prefix: null, artifacts: null, text: description ?? '' });
    const values = recoverValues({ score: row.score, secondary: null, description, body: null, runs: links }, config);
    results.push({
      filename: fn,
      ts,
      agent: row.agent,
      hf_user: row.hf_user,
      ...values,
      method: row.method,
      status: 'agent-run',
      is_baseline: row.agent === 'baseline',
      over_cap: values.secondary !== null && config.secondary_cap !== null ? values.secondary > config.secondary_cap : null,
      description,
      artifacts: null,
      submission: null,
      submission_prefix: null,
      verification: verificationIndex.get(fn) ?? row.verification ?? 'pending',
      verification_source: verificationIndex.has(fn) ? 'index' : 'leaderboard',
      body_md: null,
      frontmatter_json: JSON.stringify(snapshots.find((s) => s.file === file)?.raw.find((r) => r['filename'] === row.filename) ?? {}),
      job_ids: jobIds,
      credits: null,
      refs: [],
      snapshots_seen: seen,
      source_part: 'leaderboard',
      source_file: file,
    });
    resultNames.add(fn);
  }

  // Handles seen anywhere count as agents.
  const seen = new Set<string>();
  const addSeen = (h: string | null): void => {
    if (h && !agentRows.has(h)) seen.add(h);
  };
  for (const r of messageRecords.values()) addSeen(str(r.data['agent']) ?? r.name.agent);
  for (const r of results) addSeen(r.agent);
  for (const r of runs) addSeen(r.agent);
  for (const s of snapshots) for (const r of s.rows) addSeen(r.agent);
  for (const h of seen) {
    agentRows.set(h, {
      agent_id: h,
      registered: false,
      agent_name: null,
      hf_user: null,
      model: null,
      harness: null,
      tools: null,
      agent_bucket: null,
      joined: null,
      bio_md: null,
      ...flags(h),
      source_part: 'seen',
      source_file: null,
    });
  }
  const known = new Set(agentRows.keys());

  // Message rows.
  const messages: MessageRow[] = [];
  for (const rec of messageRecords.values()) {
    const d = rec.data;
    const agent = str(d['agent']) ?? rec.name.agent;
    const isVerifier = verifiers.has(agent);
    const refs = normaliseRefs(d['refs']);
    const headline = headlineOf(rec.body);
    const verdict = isVerifier || /VERIFIED VALID|\*\*INVALID\*\*/.test(rec.body) ? parseVerdict(rec.body, config.score_label, config.secondary_label) : null;
    messages.push({
      filename: rec.filename,
      ts: rec.name.ts,
      ts_frontmatter: rec.tsFrontmatter,
      agent,
      via: str(d['via']),
      type: str(d['type']),
      kind: classifyMessage({
        body: rec.body,
        headline,
        type: str(d['type']),
        isVerifier,
        refsResult: refs.some((x) => resultNames.has(x)),
      }),
      priority: str(d['priority']),
      refs,
      mentions: extractMentions(rec.body),
      recipients: [...(recipients.get(rec.filename) ?? [])].sort(),
      headline,
      excerpt: excerptOf(rec.body),
      body_md: rec.body,
      frontmatter_json: frontmatterJson(d),
      is_human: agent.startsWith('human-'),
      is_verifier: isVerifier,
      verdict: verdict?.verdict ?? null,
      verdict_result: verdict?.result ?? null,
      verdict_reported: verdict?.reported ?? null,
      verdict_rerun: verdict?.rerun ?? null,
      verdict_rerun_secondary: verdict?.rerunSecondary ?? null,
      name_form: rec.name.form,
      source_part: rec.sourcePart,
      source_file: rec.sourceFile,
    });
  }

  // Credits on results need the full set of handles (and their short forms).
  const aliases = handleAliases(known, configWords(config.title, config.description));
  for (const r of results) {
    r.credits = extractCredits(`${r.description ?? ''}\n${r.body_md ?? ''}`, known, r.agent, aliases);
  }

  const links = buildLinks(messages, results);

  return {
    tables: {
      agents: [...agentRows.values()],
      messages,
      message_links: links,
      results,
      runs,
      leaderboard_snapshots: snapshots.flatMap((s) => s.rows),
      taskforces: taskforceRows,
      documents: documentRows,
      rejects: rejects.rows,
    },
    config,
    files,
    filesPerPart,
    apiListings,
  };
}

/** submissions/<agent>/<name> inside a submission URI or an artifacts path. */
export function submissionPrefixOf(paths: (string | null)[]): string | null {
  for (const p of paths) {
    const m = p ? /(submissions\/[a-z0-9][a-z0-9-]*\/[^/\s]+)/.exec(p) : null;
    if (m) return m[1]!;
  }
  return null;
}

/** refs, @-mentions and quoted filenames or stamps from messages and results, resolved in both namespaces. */
export function buildLinks(messages: MessageRow[], results: ResultRow[]): MessageLinkRow[] {
  const owner = new Map<string, { part: string; agent: string | null }>();
  for (const m of messages) owner.set(m.filename, { part: 'messages', agent: m.agent });
  for (const r of results) owner.set(r.filename, { part: 'results', agent: r.agent });
  const byStamp = new Map<string, string>();
  for (const fn of owner.keys()) {
    const s = /^(\d{8}-\d{6}-\d{3})_/.exec(fn)?.[1];
    if (s && !byStamp.has(s)) byStamp.set(s, fn);
  }
  const out = new Map<string, MessageLinkRow>();
  const add = (from: string, kind: string, target: string, toFile: string | null, toPart: string, toAgent: string | null): void => {
    if (toFile === from) return;
    const k = `${from}\u0000${kind}\u0000${target}`;
    if (!out.has(k)) out.set(k, { from_file: from, kind, target, to_file: toFile, to_part: toPart, to_agent: toAgent });
  };
  const fileLink = (from: string, kind: string, target: string): void => {
    const o = owner.get(target);
    add(from, kind, target, o ? target : null, o ? o.part : 'unresolved', o?.agent ?? null);
  };
  const scan = (from: string, refs: string[], text: string): void => {
    for (const r of refs) fileLink(from, 'ref', r);
    for (const h of extractMentions(text)) add(from, 'mention', h, null, 'agent', h);
    for (const q of extractQuotedFilenames(text)) if (!refs.includes(q)) fileLink(from, 'quoted-filename', q);
    for (const s of extractStamps(text)) {
      const fn = byStamp.get(s);
      if (fn && !refs.includes(fn) && !text.includes(fn)) fileLink(from, 'quoted-filename', fn);
    }
  };
  for (const m of messages) scan(m.filename, m.refs ?? [], m.body_md ?? '');
  for (const r of results) scan(r.filename, r.refs ?? [], `${r.description ?? ''}\n${r.body_md ?? ''}`);
  return [...out.values()];
}
