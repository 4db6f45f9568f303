// Read the slower-moving parts: agent registrations, leaderboard snapshots, run folders, taskforces and documents.
// Each file (or run folder) inside its own boundary; units go through the memo so a refresh parses only new files.
import type { AgentRow, DocumentRow, RunRow, TaskforceRow } from '../../src/lib/schema/core.ts';
import { isolate } from './boundary.ts';
import type { IngestContext, Parts } from './context.ts';
import { parseLeaderboard, type Snapshot } from './leaderboard.ts';
import { LIMITS } from './limits.ts';
import { agentFromFile, documentFile, taskforceFile } from './registry.ts';
import { markDuplicateJobs, parseRunDir, runDirsInOrder } from './runs.ts';
import { readAhead } from './prefetch.ts';
import { partOf, readJson } from './source.ts';

export function readAgentFiles(ctx: IngestContext, parts: Parts): Map<string, AgentRow> {
  const rows = new Map<string, AgentRow>();
  const ahead = readAhead(ctx, parts);
  for (const f of parts.get('agents')) {
    ahead?.take(f);
    const a = ctx.memo.unit('agent', [f], ctx.config.verifier_agents.join(','), ctx.rejects, (rj) =>
      isolate(rj, [f.rel], 'agents', 'parse', () => agentFromFile(f, rj, ctx.flags), null),
    );
    if (a) rows.set(a.agent_id, a);
    ctx.tick('agents');
  }
  return rows;
}

/** Leaderboard responses in snapshot-time order; `empty` gets the files that parsed but held no rows. */
export function readSnapshots(ctx: IngestContext, parts: Parts, empty: string[]): Snapshot[] {
  const snapshots: Snapshot[] = [];
  for (const f of parts.get('leaderboard')) {
    const s = isolate(ctx.rejects, [f.rel], 'leaderboard', 'parse', () => {
      const v = readJson(f, 'leaderboard', ctx.rejects, LIMITS.listingBytes);
      return v === undefined ? null : parseLeaderboard(f.rel, v, ctx.config, ctx.rejects);
    }, null);
    if (s) snapshots.push(s);
    if (s && s.rows.length === 0) empty.push(f.rel);
    ctx.tick('leaderboard');
  }
  return snapshots.sort((a, b) => (a.generatedAt < b.generatedAt ? -1 : a.generatedAt > b.generatedAt ? 1 : a.file < b.file ? -1 : 1));
}

/** One row per run folder (its files read together as one unit); one job under two names points at the kept one. */
export function readRuns(ctx: IngestContext, parts: Parts): RunRow[] {
  const rows: RunRow[] = [];
  const fields = `${ctx.config.score_field},${ctx.config.secondary_field ?? ''}`;
  const ahead = readAhead(ctx, parts);
  for (const [dir, list] of runDirsInOrder(parts.get('runs'))) {
    if (ahead) for (const f of list) ahead.take(f);
    const row = ctx.memo.unit('run', list, fields, ctx.rejects, (rj) =>
      isolate(rj, list.map((f) => f.rel), 'runs', 'rows', () => parseRunDir(dir, list, rj, ctx.config), null),
    );
    if (row) rows.push(row);
    ctx.tick('runs', list.length);
  }
  return markDuplicateJobs(rows);
}

export function readTaskforces(ctx: IngestContext, parts: Parts): TaskforceRow[] {
  const rows: TaskforceRow[] = [];
  for (const f of parts.get('taskforces')) {
    const t = ctx.memo.unit('taskforce', [f], '', ctx.rejects, (rj) => isolate(rj, [f.rel], 'taskforces', 'parse', () => taskforceFile(f, rj), null));
    if (t) rows.push(t);
    ctx.tick('taskforces');
  }
  return rows;
}

/** The collaboration's README and shared_resources/ documents. */
export function readDocuments(ctx: IngestContext, parts: Parts): DocumentRow[] {
  const rows: DocumentRow[] = [];
  for (const f of [...parts.get('readme'), ...parts.get('shared_resources')]) {
    const d = ctx.memo.unit('document', [f], '', ctx.rejects, (rj) => isolate(rj, [f.rel], partOf(f.rel), 'parse', () => documentFile(f, rj), null));
    if (d) rows.push(d);
    ctx.tick('documents');
  }
  return rows;
}
