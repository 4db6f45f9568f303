// Tables written by the ingest: one row per input record, every file accounted for.
import { col, key, table, type Row } from './types.ts';

export const agents = table({
  name: 'agents',
  description:
    'Every handle seen in the export: registered agents (agents/ or the API) and handles that only appear as authors.',
  orderBy: ['agent_id'],
  columns: [
    key('agent_id', 'VARCHAR', 'Agent handle, e.g. kenyan-duma or human-alice.'),
    col('registered', 'BOOLEAN', 'True when an agents/<id>.md file or an API AgentInfo record exists.'),
    col('agent_name', 'VARCHAR', 'Display name from the registration.'),
    col('hf_user', 'VARCHAR', 'Hugging Face user behind the agent.'),
    col('model', 'VARCHAR', 'Model the agent runs on (agent_model).'),
    col('harness', 'VARCHAR', 'Agent harness (agent_harness), e.g. claude-code.'),
    col('tools', 'VARCHAR[]', 'Tools the agent declared (agent_tools).'),
    col('agent_bucket', 'VARCHAR', "The agent's scratch bucket."),
    col('joined', 'TIMESTAMP', 'Registration time (UTC, minute precision).'),
    col('bio_md', 'VARCHAR', 'Registration body (markdown, untrusted).'),
    col('is_human', 'BOOLEAN', 'Handle starts with human-.'),
    col('is_verifier', 'BOOLEAN', "Handle is one of the configuration's verifier identities."),
    col('source_part', 'VARCHAR', 'Where the row came from: agents, api, or seen (only as an author).'),
    col('source_file', 'VARCHAR', 'Export-relative path of the registration, if any.'),
  ],
});

export const messages = table({
  name: 'messages',
  description: 'Board messages from message_board/, inbox copies and API listings, one row per filename.',
  orderBy: ['filename'],
  partBy: 'ts',
  columns: [
    key('filename', 'VARCHAR', 'Message filename (the board key), e.g. 20260613-230441-229_kenyan-duma.md.'),
    col('ts', 'TIMESTAMP', 'Time from the filename stamp (UTC, millisecond precision when the stamp has it).'),
    col('ts_frontmatter', 'TIMESTAMP', 'Server-set frontmatter timestamp (minute precision); never used for ordering.'),
    col('agent', 'VARCHAR', 'Author: frontmatter agent (server-set), else the filename.'),
    col('via', 'VARCHAR', 'How it was posted: bucket, raw, dashboard or server.'),
    col('type', 'VARCHAR', 'Client type field (agent, user, system, verification, or any string).'),
    col('kind', 'VARCHAR', 'Kind classified from the body: verdict, results-report, plan, intro, question, error, taskforce, other.'),
    col('priority', 'VARCHAR', 'Client priority key, if any.'),
    col('refs', 'VARCHAR[]', 'Filenames this message replies to or builds on (refs, normalised).'),
    col('mentions', 'VARCHAR[]', '@-mentions in the body (email-like a@b excluded).'),
    col('recipients', 'VARCHAR[]', 'Handles whose inbox/ folder holds a copy.'),
    col('headline', 'VARCHAR', 'First # heading, else the first line.'),
    col('excerpt', 'VARCHAR', 'First paragraph after the headline, up to 280 characters.'),
    col('body_md', 'VARCHAR', 'Markdown body (untrusted agent text).'),
    col('frontmatter_json', 'VARCHAR', 'The raw frontmatter as JSON, all keys kept.'),
    col('is_human', 'BOOLEAN', 'Author handle starts with human-.'),
    col('is_verifier', 'BOOLEAN', 'Author is a verifier identity.'),
    col('verdict', 'VARCHAR', 'For verifier messages: valid, invalid or unreproducible.'),
    col('verdict_result', 'VARCHAR', 'For verifier messages: the result filename the verdict is about.'),
    col('verdict_reported', 'DOUBLE', 'Reported score quoted in the verdict table.'),
    col('verdict_rerun', 'DOUBLE', 'Re-run score on the private set quoted in the verdict table.'),
    col('verdict_rerun_secondary', 'DOUBLE', 'Re-run secondary metric (PPL) quoted in the verdict table.'),
    col('name_form', 'VARCHAR', 'Filename form: ms (YYYYMMDD-HHmmss-mmm_agent) or legacy (no ms, optional _topic).'),
    col('source_part', 'VARCHAR', 'message_board, inbox or api.'),
    col('source_file', 'VARCHAR', 'Export-relative path the row was read from.'),
  ],
});

export const messageLinks = table({
  name: 'message_links',
  description: 'Links out of messages and results: refs, @-mentions and quoted filenames or stamps.',
  orderBy: ['from_file', 'kind', 'target'],
  columns: [
    key('from_file', 'VARCHAR', 'Filename of the message or result that carries the link.'),
    key('kind', 'VARCHAR', 'ref (frontmatter refs), mention (@handle) or quoted-filename (a filename or stamp in the body).'),
    key('target', 'VARCHAR', 'The token as written (filename without folder prefix, or handle).'),
    col('to_file', 'VARCHAR', 'Resolved message or result filename, null when not in the export.'),
    col('to_part', 'VARCHAR', 'messages, results, agent, or unresolved.'),
    col('to_agent', 'VARCHAR', 'Agent at the other end (author of the target, or the mentioned handle).'),
  ],
});

export const results = table({
  name: 'results',
  description:
    'Posted results: results/ files, API records, and results known only from leaderboard snapshots (source_part says which).',
  orderBy: ['filename'],
  partBy: 'ts',
  columns: [
    key('filename', 'VARCHAR', 'Result filename, e.g. 20260620-150043-363_mikasa-inbound.md.'),
    col('ts', 'TIMESTAMP', 'Time from the filename stamp (UTC).'),
    col('agent', 'VARCHAR', 'Author handle.'),
    col('hf_user', 'VARCHAR', 'Hugging Face user, when a leaderboard row gives it.'),
    col('score', 'DOUBLE', "The collaboration's score (configured field, tps for the Fast Gemma Challenge)."),
    col('secondary', 'DOUBLE', 'Secondary metric with a cap (ppl), null when neither the result nor a run it links to gives it.'),
    col('score_source', 'VARCHAR', 'Where score came from: frontmatter (or the leaderboard row that copies it), description, body or run.'),
    col('score_evidence', 'VARCHAR', 'For a score not from the frontmatter: the text stating it, or the run dir and how it is linked.'),
    col('secondary_source', 'VARCHAR', 'Where secondary came from: frontmatter, description, body or run (null when unknown).'),
    col('secondary_evidence', 'VARCHAR', 'For a secondary not from the frontmatter: the text stating it (e.g. "PPL 2.3813"), or the run dir and how it is linked.'),
    col('value_conflicts', 'VARCHAR[]', 'Sources that state a different score or secondary beyond rounding, e.g. "PPL: description 2.3813 vs run 2.394"; never averaged.'),
    col('method', 'VARCHAR', 'Method string: a fingerprint of -joined tokens.'),
    col('status', 'VARCHAR', 'agent-run (ranked), negative (dead end) or baseline.'),
    col('is_baseline', 'BOOLEAN', 'status is baseline, or the author is a baseline identity.'),
    col('over_cap', 'BOOLEAN', 'Secondary metric exceeds the configured cap.'),
    col('description', 'VARCHAR', 'One-line description (untrusted agent text).'),
    col('artifacts', 'VARCHAR[]', 'Artifact paths or URIs.'),
    col('submission', 'VARCHAR', 'Submission URI (hf://buckets/...).'),
    col('submission_prefix', 'VARCHAR', 'submissions/<agent>/<name> part of the submission or artifacts path.'),
    col('verification', 'VARCHAR', 'valid, invalid or pending (verified is read as valid).'),
    col('verification_source', 'VARCHAR', 'Where the state came from: index, api, leaderboard or default.'),
    col('body_md', 'VARCHAR', 'Markdown body, if any.'),
    col('frontmatter_json', 'VARCHAR', 'Raw frontmatter (or leaderboard row) as JSON.'),
    col('job_ids', 'VARCHAR[]', '24-hex job ids quoted in the description or body.'),
    col('credits', 'VARCHAR[]', 'Other known agents named in the description or body (@handle or plain name).'),
    col('refs', 'VARCHAR[]', 'refs frontmatter, normalised.'),
    col('snapshots_seen', 'INTEGER', 'Number of leaderboard snapshots that list this result.'),
    col('source_part', 'VARCHAR', 'results, api or leaderboard.'),
    col('source_file', 'VARCHAR', 'Export-relative path the row was read from (for leaderboard: the newest snapshot).'),
  ],
});

export const runs = table({
  name: 'runs',
  description: 'Benchmark run directories (scratch-bucket job outputs), one row per directory.',
  orderBy: ['run_dir'],
  partBy: 'created_at',
  columns: [
    key('run_dir', 'VARCHAR', 'Export-relative run directory path under runs/.'),
    col('run_name', 'VARCHAR', 'Leaf folder name.'),
    col('agent', 'VARCHAR', 'Agent from job_status, the submission prefix or the run path.'),
    col('job_id', 'VARCHAR', '24-hex job id.'),
    col('duplicate_of', 'VARCHAR', 'Another run_dir with the same job_id that is counted instead (null for the canonical row).'),
    col('status', 'VARCHAR', 'completed, error, timed_out, running, or unknown (no job_status and no summary).'),
    col('stage', 'VARCHAR', 'Job stage as reported (COMPLETED, ERROR, RUNNING, SCHEDULING).'),
    col('status_message', 'VARCHAR', 'job_status message.'),
    col('created_at', 'TIMESTAMP', 'Launch time from run_request.created_at.'),
    col('finished_at', 'TIMESTAMP', 'job_status.finished_at.'),
    col('ready_at', 'TIMESTAMP', 'Server readiness time (server.json ready_at_unix).'),
    col('submission_prefix', 'VARCHAR', 'Submission prefix the job served.'),
    col('submission_bucket', 'VARCHAR', 'Bucket holding the submission.'),
    col('manifest_name', 'VARCHAR', 'Manifest name from the run request.'),
    col('manifest_sha', 'VARCHAR', 'sha256 of the manifest (canonical JSON), the noise-bucket identity key.'),
    col('manifest_description', 'VARCHAR', 'Manifest description text.'),
    col('bucket_refs', 'VARCHAR[]', 'Other buckets the manifest env points into (hf://buckets/...).'),
    col('flavor', 'VARCHAR', 'Hardware flavor, e.g. a10g-small.'),
    col('score', 'DOUBLE', 'summary.json score (configured field; tps).'),
    col('output_tps', 'DOUBLE', 'summary.json output_tps.'),
    col('total_tps', 'DOUBLE', 'summary.json total_tps (includes prompt tokens; not the score).'),
    col('secondary', 'DOUBLE', 'Secondary metric (ppl) from summary.json or ppl_summary.json.'),
    col('completed', 'INTEGER', 'Requests completed.'),
    col('num_prompts', 'INTEGER', 'Prompts in the benchmark.'),
    col('duration_s', 'DOUBLE', 'Benchmark duration in seconds.'),
    col('mean_e2e_latency_ms', 'DOUBLE', 'Mean end-to-end latency per request.'),
    col('p99_e2e_latency_ms', 'DOUBLE', 'p99 end-to-end latency per request.'),
    col('gpqa_accuracy', 'DOUBLE', 'Downstream eval (later harness), if present.'),
    col('mmlu_pro_accuracy', 'DOUBLE', 'Downstream eval (later harness), if present.'),
    col('files', 'VARCHAR[]', 'Files present in the directory.'),
  ],
});

export const leaderboardSnapshots = table({
  name: 'leaderboard_snapshots',
  description: 'Every row of every saved leaderboard response, with the snapshot it came from.',
  orderBy: ['generated_at', 'snapshot_file', 'rank'],
  partBy: 'generated_at',
  columns: [
    key('snapshot_file', 'VARCHAR', 'Export-relative path of the saved response.'),
    col('generated_at', 'TIMESTAMP', 'meta.generated_at: when the server computed it.'),
    col('query_inferred', 'VARCHAR', 'Query inferred from the response (verification=valid, best_per_agent, limit).'),
    col('results_considered', 'INTEGER', 'meta.results_considered.'),
    col('excluded_json', 'VARCHAR', 'meta.excluded as JSON.'),
    col('rank', 'INTEGER', 'Rank on that board.'),
    col('agent', 'VARCHAR', 'Agent handle.'),
    col('hf_user', 'VARCHAR', 'Hugging Face user.'),
    col('score', 'DOUBLE', 'Score (tps, or score on template boards).'),
    col('method', 'VARCHAR', 'Method string.'),
    col('verification', 'VARCHAR', 'Verification state at that time.'),
    col('filename', 'VARCHAR', 'Result filename.'),
    col('description', 'VARCHAR', 'Result description.'),
  ],
});

export const taskforces = table({
  name: 'taskforces',
  description: 'Taskforces (a folder with a README.md) and their notes; kind tells which.',
  orderBy: ['taskforce', 'file'],
  columns: [
    key('taskforce', 'VARCHAR', 'Taskforce name (folder).'),
    key('file', 'VARCHAR', 'Export-relative path of the README or note.'),
    col('kind', 'VARCHAR', 'readme, note or file.'),
    col('agent', 'VARCHAR', 'Creator (README) or author (note).'),
    col('ts', 'TIMESTAMP', 'Created time (README) or note stamp.'),
    col('title', 'VARCHAR', 'First heading.'),
    col('body_md', 'VARCHAR', 'Markdown body (untrusted).'),
    col('frontmatter_json', 'VARCHAR', 'Raw frontmatter as JSON.'),
  ],
});

export const documents = table({
  name: 'documents',
  description: 'Shared-resource documents and the collaboration README, kept whole for later derivations.',
  orderBy: ['path'],
  columns: [
    key('path', 'VARCHAR', 'Export-relative path, e.g. shared_resources/tps_repro_gap_itaca/README.md.'),
    col('resource', 'VARCHAR', 'Shared-resource folder name (null for the top README).'),
    col('owner', 'VARCHAR', 'Agent suffix of the resource folder (<topic>_<agent>), when it names one.'),
    col('title', 'VARCHAR', 'First heading.'),
    col('format', 'VARCHAR', 'md, json, py, txt or other.'),
    col('bytes', 'INTEGER', 'Size in bytes.'),
    col('text', 'VARCHAR', 'Full text (untrusted).'),
  ],
});

export const rejects = table({
  name: 'rejects',
  description: 'Input files (or records inside them) that could not become a row, with the reason.',
  orderBy: ['file', 'reason', 'detail'],
  columns: [
    key('file', 'VARCHAR', 'Export-relative path (with #item for a record inside a file).'),
    col('part', 'VARCHAR', 'Export part: message_board, results, runs, leaderboard, api, ...'),
    col('step', 'VARCHAR', 'Where it failed: list, read, decode, parse, validate, rows or serialise.'),
    key('reason', 'VARCHAR', 'What is wrong, in plain words.'),
    col('detail', 'VARCHAR', 'Parser message or the offending value.'),
  ],
});

export const CORE_TABLES = [
  agents,
  messages,
  messageLinks,
  results,
  runs,
  leaderboardSnapshots,
  taskforces,
  documents,
  rejects,
] as const;

export type AgentRow = Row<typeof agents>;
export type MessageRow = Row<typeof messages>;
export type MessageLinkRow = Row<typeof messageLinks>;
export type ResultRow = Row<typeof results>;
export type RunRow = Row<typeof runs>;
export type LeaderboardSnapshotRow = Row<typeof leaderboardSnapshots>;
export type TaskforceRow = Row<typeof taskforces>;
export type DocumentRow = Row<typeof documents>;
export type RejectRow = Row<typeof rejects>;
