// Agents, taskforces and shared-resource documents: the slower-moving folders of a bucket.
import type { AgentRow, DocumentRow, TaskforceRow } from '../../src/lib/schema/core.ts';
import { AGENT_FIELDS, frontmatterJson, parseFrontmatter, TASKFORCE_FIELDS, validateFrontmatter } from './frontmatter.ts';
import { checkValue, expectScalarLists, expectScalars } from './boundary.ts';
import { AGENT_ID_RE, parseBoardFilename, parseMinuteStamp } from './names.ts';
import { headlineOf } from './text.ts';
import { isObj, readText, str, strList, type InputFile, type Rejects } from './source.ts';

export function agentFromFile(f: InputFile, rejects: Rejects, flags: (id: string) => Pick<AgentRow, 'is_human' | 'is_verifier'>): AgentRow | null {
  const id = f.rel.slice('agents/'.length).replace(/\.md$/, '');
  if (!f.rel.endsWith('.md') || !AGENT_ID_RE.test(id)) {
    rejects.add(f.rel, 'agents', 'list', 'agent filename is not <agent_id>.md', 'agent ids are 1-40 characters of a-z, 0-9 and -');
    return null;
  }
  const text = readText(f, 'agents', rejects);
  if (text === null) return null;
  const fm = parseFrontmatter(text);
  if (typeof fm === 'string') {
    rejects.add(f.rel, 'agents', 'parse', 'bad YAML frontmatter', fm);
    return null;
  }
  const invalid = validateFrontmatter(fm.data, fm.body, AGENT_FIELDS);
  if (invalid) {
    rejects.add(f.rel, 'agents', 'validate', invalid, null);
    return null;
  }
  const d = fm.data;
  return {
    agent_id: id,
    registered: true,
    agent_name: str(d['agent_name']),
    hf_user: str(d['hf_user']),
    model: str(d['agent_model']),
    harness: str(d['agent_harness']),
    tools: strList(d['agent_tools']),
    agent_bucket: str(d['agent_bucket']),
    joined: parseMinuteStamp(d['joined']),
    bio_md: fm.body.trim() || null,
    ...flags(id),
    source_part: 'agents',
    source_file: f.rel,
  };
}

/** AgentInfo `{agent_id, hf_user, model, harness, tools, agent_bucket, joined, bio}` from an API listing. */
export function agentFromApi(where: string, item: unknown, rejects: Rejects, flags: (id: string) => Pick<AgentRow, 'is_human' | 'is_verifier'>): AgentRow | null {
  if (!isObj(item)) {
    rejects.add(where, 'api', 'validate', 'agent item is not an object', null);
    return null;
  }
  const invalid =
    checkValue(item, undefined, 'agent item') ??
    expectScalars(item, ['agent_id', 'agent_name', 'hf_user', 'model', 'harness', 'agent_bucket', 'joined', 'bio', 'filename', 'body'], 'agent item') ??
    expectScalarLists(item, ['tools'], 'agent item');
  if (invalid) {
    rejects.add(where, 'api', 'validate', invalid, null);
    return null;
  }
  let d = item;
  let id = str(item['agent_id']);
  let bio = str(item['bio']);
  if (!id && typeof item['filename'] === 'string' && isObj(item['frontmatter'])) {
    // A file record of agents/<id>.md rather than AgentInfo.
    id = item['filename'].replace(/^.*\//, '').replace(/\.md$/, '');
    const fmd = item['frontmatter'];
    d = { ...fmd, model: fmd['agent_model'], harness: fmd['agent_harness'], tools: fmd['agent_tools'] };
    bio = str(item['body']);
  }
  if (!id || !AGENT_ID_RE.test(id)) {
    rejects.add(where, 'api', 'validate', 'agent item without a valid agent_id', JSON.stringify(item).slice(0, 200));
    return null;
  }
  return {
    agent_id: id,
    registered: true,
    agent_name: str(d['agent_name']),
    hf_user: str(d['hf_user']),
    model: str(d['model']),
    harness: str(d['harness']),
    tools: strList(d['tools']),
    agent_bucket: str(d['agent_bucket']),
    joined: parseMinuteStamp(d['joined']),
    bio_md: bio?.trim() || null,
    ...flags(id),
    source_part: 'api',
    source_file: where,
  };
}

export function taskforceFile(f: InputFile, rejects: Rejects): TaskforceRow | null {
  const [, name = '', file = ''] = f.rel.split('/');
  const text = readText(f, 'taskforces', rejects);
  if (text === null) return null;
  const fm = parseFrontmatter(text);
  if (typeof fm === 'string') {
    rejects.add(f.rel, 'taskforces', 'parse', 'bad YAML frontmatter', fm);
    return null;
  }
  const invalid = validateFrontmatter(fm.data, fm.body, TASKFORCE_FIELDS);
  if (invalid) {
    rejects.add(f.rel, 'taskforces', 'validate', invalid, null);
    return null;
  }
  const d = fm.data;
  const isReadme = file === 'README.md';
  const stamped = parseBoardFilename(file);
  const kind = isReadme ? 'readme' : typeof stamped === 'string' ? 'file' : 'note';
  const agent = isReadme
    ? str(d['creator'])
    : (str(d['agent']) ?? (typeof stamped === 'string' ? (/_([a-z0-9][a-z0-9-]*)(?:\.[a-z]+)?$/.exec(file)?.[1] ?? null) : stamped.agent));
  const ts = isReadme ? parseMinuteStamp(d['created']) : typeof stamped === 'string' ? parseMinuteStamp(d['timestamp']) : stamped.ts;
  return {
    taskforce: name,
    file: f.rel,
    kind,
    agent,
    ts,
    title: headlineOf(fm.body),
    body_md: fm.body,
    frontmatter_json: frontmatterJson(d),
  };
}

const BINARY_EXT = /\.(png|jpe?g|gif|webp|pdf|safetensors|bin|pt|gz|zip|tar|whl|so|parquet)$/i;

export function documentFile(f: InputFile, rejects: Rejects): DocumentRow | null {
  const segs = f.rel.split('/');
  const resource = segs[0] === 'shared_resources' ? (segs[1] ?? null) : null;
  const owner = resource ? (/_([a-z0-9][a-z0-9-]*)$/.exec(resource)?.[1] ?? null) : null;
  const ext = /\.([A-Za-z0-9]+)$/.exec(f.rel)?.[1]?.toLowerCase() ?? '';
  const format = ['md', 'json', 'py', 'txt', 'csv', 'yaml', 'yml', 'sh', 'jsonl'].includes(ext) ? ext : 'other';
  let text: string | null = null;
  if (!BINARY_EXT.test(f.rel)) {
    text = readText(f, segs.length === 1 ? 'readme' : 'shared_resources', rejects);
    if (text === null) return null;
  }
  return {
    path: f.rel,
    resource,
    owner,
    title: text && (format === 'md' || format === 'other') ? headlineOf(text.replace(/^---[\s\S]*?\n---\n/, '')) : null,
    format,
    bytes: f.size,
    text,
  };
}
