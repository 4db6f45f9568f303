// Where each input file ended up: a table, the rejects table, or (a defect) nowhere.
import type { CoreTables } from './ingest.ts';
import type { InputFile } from './source.ts';

export function accountFiles(files: readonly InputFile[], t: CoreTables, apiListings: readonly string[] = []): Map<string, string[]> {
  const where = new Map<string, string[]>();
  const listed = new Set(files.map((f) => f.rel));
  /** `path#record` names a record inside a file; a file name may itself hold a #, so the listed path wins. */
  const fileOf = (ref: string): string => {
    if (listed.has(ref)) return ref;
    for (let i = ref.indexOf('#'); i >= 0; i = ref.indexOf('#', i + 1)) if (listed.has(ref.slice(0, i))) return ref.slice(0, i);
    return ref.replace(/#.*$/, '');
  };
  const put = (file: string | null, table: string): void => {
    if (!file) return;
    const f = fileOf(file);
    const list = where.get(f) ?? [];
    if (!list.includes(table)) list.push(table);
    where.set(f, list);
  };
  // By bare file name: an inbox copy of a channel message is a delivery of channels/<name>/<file>.
  const messageRecipients = new Map<string, string[]>();
  for (const m of t.messages) {
    const bare = m.filename.slice(m.filename.lastIndexOf('/') + 1);
    messageRecipients.set(bare, [...(messageRecipients.get(bare) ?? []), ...(m.recipients ?? [])]);
  }
  for (const m of t.messages) put(m.source_file, 'messages');
  for (const r of t.results) put(r.source_file, 'results');
  if (t.results.some((r) => r.verification_source === 'index')) put('results/verification_status.json', 'results');
  for (const r of t.runs) for (const f of r.files ?? []) put(`${r.run_dir}/${f}`, 'runs');
  for (const s of t.leaderboard_snapshots) put(s.snapshot_file, 'leaderboard_snapshots');
  for (const a of t.agents) put(a.source_file, 'agents');
  for (const x of t.taskforces) put(x.file, 'taskforces');
  for (const c of t.channels ?? []) put(c.source_file, 'channels');
  for (const m of t.channel_members ?? []) put(m.source_file, 'channel_members');
  for (const x of t.traces ?? []) {
    put(x.path, 'traces');
    for (const f of x.log_files ?? []) put(f, 'traces.log_files');
  }
  for (const d of t.documents) put(d.path, 'documents');
  for (const r of t.rejects) put(r.file, 'rejects');
  for (const f of files) {
    if (where.has(f.rel)) continue;
    const segs = f.rel.split('/');
    if (f.rel === 'collab-atlas.json') put(f.rel, 'manifest');
    // An inbox copy is a delivery: it shows as a recipient of the message it copies.
    else if (segs[0] === 'inbox' && messageRecipients.get(segs[2] ?? '')?.includes(segs[1] ?? '')) put(f.rel, 'messages.recipients');
    // An API page whose items all exist as files too still confirmed them.
    else if (apiListings.includes(f.rel)) put(f.rel, f.rel.startsWith('leaderboard/') ? 'leaderboard (a snapshot with no rows)' : 'api listing (items superseded by files)');
    // The verification index was read even when it named no result in the export.
    else if (f.rel === 'results/verification_status.json') put(f.rel, 'results.verification');
  }
  return where;
}

export function unaccounted(files: readonly InputFile[], t: CoreTables, apiListings: readonly string[] = []): string[] {
  const w = accountFiles(files, t, apiListings);
  return files.map((f) => f.rel).filter((rel) => !w.has(rel));
}
