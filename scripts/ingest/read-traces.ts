// Read traces/<agent>/<session>/: the manifest (identity from the path; every manifest is named manifest.md) and the
// files beside it (a full trace's native log). One session folder is one unit inside one boundary.
//
// Rules (the platform's own, AC trace_stats.py):
// 1. schema_version, harness and session_id are required; nothing else is.
// 2. usage.{total,input,output,cache_read,cache_creation,reasoning}_tokens and activity.tool_calls are non-negative
//    integers or null, cost_usd a non-negative number or null; anything else rejects the manifest (as the server does).
// 3. An absent or null figure is unknown: it stays null here and is left out of every total, never counted as 0.
// 4. A folder with files but no manifest.md is rejected file by file; so are the files beside a rejected manifest.
import type { TraceRow } from '../../src/lib/schema/rooms.ts';
import { isolate } from './boundary.ts';
import type { IngestContext, Parts } from './context.ts';
import { frontmatterJson, parseFrontmatter, TRACE_FIELDS, validateFrontmatter } from './frontmatter.ts';
import { AGENT_ID_RE, parseMinuteStamp } from './names.ts';
import { isObj, readText, str, type InputFile, type Rejects } from './source.ts';

const USAGE = ['total_tokens', 'input_tokens', 'output_tokens', 'cache_read_tokens', 'cache_creation_tokens', 'reasoning_tokens'] as const;

/** A non-negative integer, null for absent or null, or a string saying why the value is refused (rule 2). */
function figure(v: unknown, where: string, integer: boolean): number | null | string {
  if (v === undefined || v === null) return null;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || (integer && !Number.isInteger(v))) {
    return `\`${where}\` must be a non-negative ${integer ? 'integer' : 'number'} or null`;
  }
  return v;
}

/** One trace row per session folder (before superseding), or null with rejects. */
export function parseTraceDir(dir: string, files: readonly InputFile[], rejects: Rejects): TraceRow | null {
  const [, folderAgent = '', session = ''] = dir.split('/');
  const manifest = files.find((f) => f.rel === `${dir}/manifest.md`);
  const others = files.filter((f) => f !== manifest);
  const refuseOthers = (why: string): null => {
    for (const f of others) rejects.add(f.rel, 'traces', 'list', why, null);
    return null;
  };
  if (!manifest) return refuseOthers('trace session folder without a manifest.md');
  const fail = (step: 'read' | 'parse' | 'validate', reason: string, detail: string | null = null): null => {
    rejects.add(manifest.rel, 'traces', step, reason, detail);
    return refuseOthers('beside a trace manifest that was rejected');
  };
  if (!AGENT_ID_RE.test(folderAgent)) return fail('validate', 'trace agent folder is not an agent id', folderAgent);
  const text = readText(manifest, 'traces', rejects);
  if (text === null) return refuseOthers('beside a trace manifest that could not be read');
  const fm = parseFrontmatter(text);
  if (typeof fm === 'string') return fail('parse', 'bad YAML frontmatter', fm);
  const d = fm.data;
  const invalid = validateFrontmatter(d, fm.body, TRACE_FIELDS);
  if (invalid) return fail('validate', invalid);
  const missing = ['schema_version', 'harness', 'session_id'].filter((k) => d[k] === undefined || d[k] === null || d[k] === '');
  if (missing.length) return fail('validate', `trace manifest missing required field${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`);
  const usage = d['usage'] ?? null;
  const activity = d['activity'] ?? null;
  if (usage !== null && !isObj(usage)) return fail('validate', '`usage` must be a mapping');
  if (activity !== null && !isObj(activity)) return fail('validate', '`activity` must be a mapping');
  const nums: Record<string, number | null> = {};
  for (const k of USAGE) {
    const v = figure(usage?.[k], `usage.${k}`, true);
    if (typeof v === 'string') return fail('validate', v, String(usage?.[k]));
    nums[k] = v;
  }
  const tools = figure(activity?.['tool_calls'], 'activity.tool_calls', true);
  if (typeof tools === 'string') return fail('validate', tools, String(activity?.['tool_calls']));
  const cost = figure(d['cost_usd'], 'cost_usd', false);
  if (typeof cost === 'string') return fail('validate', cost, String(d['cost_usd']));
  return {
    path: manifest.rel,
    agent: str(d['agent']) ?? folderAgent,
    session,
    session_id: str(d['session_id']),
    schema_version: str(d['schema_version']),
    harness: str(d['harness']),
    model: str(d['model']),
    share: str(d['share']),
    completeness: str(d['completeness']),
    via: str(d['via']),
    promoted_at: parseMinuteStamp(d['promoted_at']),
    started_at: parseMinuteStamp(d['started_at']),
    ended_at: parseMinuteStamp(d['ended_at']),
    total_tokens: nums['total_tokens'] ?? null,
    input_tokens: nums['input_tokens'] ?? null,
    output_tokens: nums['output_tokens'] ?? null,
    cache_read_tokens: nums['cache_read_tokens'] ?? null,
    cache_creation_tokens: nums['cache_creation_tokens'] ?? null,
    reasoning_tokens: nums['reasoning_tokens'] ?? null,
    tool_calls: tools,
    cost_usd: cost,
    result_ref: str(d['result_ref']),
    summary_md: fm.body.trim() || null,
    log_files: others.map((f) => f.rel).sort(),
    superseded_by: null,
    frontmatter_json: frontmatterJson(d),
  };
}

export function readTraces(ctx: IngestContext, parts: Parts): TraceRow[] {
  const dirs = new Map<string, InputFile[]>();
  for (const f of parts.get('traces')) {
    const dir = f.rel.slice(0, f.rel.lastIndexOf('/'));
    (dirs.get(dir) ?? dirs.set(dir, []).get(dir)!).push(f);
  }
  const rows: TraceRow[] = [];
  for (const [dir, list] of [...dirs].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const row = ctx.memo.unit('trace', list, '', ctx.rejects, (rj) =>
      isolate(rj, list.map((f) => f.rel), 'traces', 'rows', () => parseTraceDir(dir, list, rj), null),
    );
    if (row) rows.push(row);
    ctx.tick('traces', list.length);
  }
  return rows;
}
