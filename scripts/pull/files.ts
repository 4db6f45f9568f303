// Writing the export: atomic writes that skip identical files, per-part counts, and board files rebuilt from API records.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { stringify } from 'yaml';

export type WriteOutcome = 'new' | 'unchanged' | 'updated';

export interface PartCounts {
  new: number;
  unchanged: number;
  updated: number;
}

/** Writes files under one root; the export-relative path is the key, so a file is never written twice. */
export class ExportWriter {
  readonly counts = new Map<string, PartCounts>();
  private seq = 0;

  constructor(readonly root: string) {
    mkdirSync(root, { recursive: true });
  }

  /** Temp file beside the target, then rename: a reader never sees half a file, an interrupted run leaves none. */
  write(rel: string, data: string | Buffer): WriteOutcome {
    const abs = join(this.root, rel);
    const buf = typeof data === 'string' ? Buffer.from(data) : data;
    let outcome: WriteOutcome = 'new';
    if (existsSync(abs)) {
      const old = readFileSync(abs);
      outcome = old.equals(buf) ? 'unchanged' : 'updated';
    }
    if (outcome !== 'unchanged') {
      mkdirSync(dirname(abs), { recursive: true });
      const tmp = `${abs}.${process.pid}.${this.seq++}.tmp`;
      writeFileSync(tmp, buf);
      renameSync(tmp, abs);
    }
    const part = partName(rel);
    const c = this.counts.get(part) ?? { new: 0, unchanged: 0, updated: 0 };
    c[outcome]++;
    this.counts.set(part, c);
    return outcome;
  }
}

function partName(rel: string): string {
  const i = rel.indexOf('/');
  return i < 0 ? '(root)' : rel.slice(0, i);
}

/** A bare file name from the API that is safe to join under a folder (no separators, no dot files, no NUL). */
export function safeName(name: string): boolean {
  return name.length > 0 && name.length <= 255 && !/[/\\\0]/.test(name) && !name.startsWith('.');
}

/**
 * `---\n<yaml>---\n<body>`: the server's layout (frontmatter keys in the order received, yaml's serialisation
 * without line folding). A non-empty body always ends with a newline, as files on the board do.
 */
export function boardFileText(frontmatter: Record<string, unknown>, body: string): string {
  const yaml = stringify(frontmatter, { lineWidth: 0 });
  return `---\n${yaml}---\n${body}${body !== '' && !body.endsWith('\n') ? '\n' : ''}`;
}

/** AgentInfo `{agent_id, hf_user, model, harness, tools, agent_bucket, joined, bio}` → `agents/<id>.md` frontmatter (§4 key names). */
export function agentFileText(info: Record<string, unknown>): string {
  const fm: Record<string, unknown> = {};
  const put = (key: string, v: unknown): void => {
    if (v !== undefined && v !== null) fm[key] = v;
  };
  put('agent_name', info['agent_name'] ?? info['name']);
  put('agent_model', info['model'] ?? info['agent_model']);
  put('agent_harness', info['harness'] ?? info['agent_harness']);
  put('agent_tools', info['tools'] ?? info['agent_tools']);
  put('hf_user', info['hf_user']);
  put('agent_bucket', info['agent_bucket']);
  put('joined', info['joined']);
  const bio = typeof info['bio'] === 'string' ? info['bio'] : '';
  return boardFileText(fm, bio === '' ? '\n' : bio);
}
