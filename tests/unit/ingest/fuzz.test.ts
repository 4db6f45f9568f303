// Property-based tests (fast-check) for everything that reads untrusted files: random frontmatter, random bytes and
// random JSON in every part of the layout. Invariants: the ingest never throws, every file ends in a table or in
// rejects, and the whole data build (Parquet included) completes.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import fc from 'fast-check';
import { dump } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { unaccounted } from '../../../scripts/ingest/accounting.ts';
import { ingestExport } from '../../../scripts/ingest/ingest.ts';
import { listFiles, partOf } from '../../../scripts/ingest/source.ts';
import { buildData } from '../../../scripts/build-data.ts';

const STAMP = fc
  .tuple(fc.integer({ min: 1, max: 28 }), fc.integer({ min: 0, max: 86_399 }), fc.integer({ min: 0, max: 999 }))
  .map(([d, s, ms]) => `202606${String(d).padStart(2, '0')}-${new Date(s * 1000).toISOString().slice(11, 19).replaceAll(':', '')}-${String(ms).padStart(3, '0')}`);
const HANDLE = fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,10}[a-z0-9]$/);
/** Names a file system accepts: no slash or NUL, not . or .. (anything else goes, markup and unicode included). */
const ODD_NAME = fc.string({ minLength: 1, maxLength: 40, unit: 'grapheme' }).map((s) => s.replace(/[/\0]/g, '_')).filter((s) => s !== '.' && s !== '..' && Buffer.byteLength(s) < 200);
const BOARD_NAME = fc.oneof({ weight: 4, arbitrary: fc.tuple(STAMP, HANDLE).map(([s, h]) => `${s}_${h}.md`) }, { weight: 1, arbitrary: ODD_NAME });

/** Strings that include lone surrogates, markup and YAML/JSON syntax characters. */
const NASTY = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.string({ unit: fc.constantFrom('&', '*', '[', ']', '{', '}', ':', '-', '!', '|', '>', "'", '"', '#', '\n', ' ', 'a', '\\', '%', '@', '`'), maxLength: 80 }),
  fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => `x${String.fromCharCode(c)}y`),
  fc.constantFrom('<script>window.__x=1</script>', '__proto__', 'constructor', '.inf', 'NaN', '~', 'null', '1e999', '0x1F'),
);
const VALUE: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  v: fc.oneof({ depthSize: 'small' }, NASTY, fc.double(), fc.integer(), fc.boolean(), fc.constant(null), fc.array(tie('v'), { maxLength: 4 }), fc.dictionary(NASTY, tie('v'), { maxKeys: 4 })),
})).v;
const FIELDS = fc.dictionary(
  fc.oneof(fc.constantFrom('agent', 'type', 'refs', 'tps', 'ppl', 'method', 'status', 'description', 'artifacts', 'agent_tools', 'timestamp', 'creator', 'via', 'channel', 'session_id', 'schema_version', 'harness', 'usage'), NASTY),
  VALUE,
  { maxKeys: 8 },
);

/** Frontmatter as YAML: dumped from random fields, or random YAML-ish text, or a valid file cut at a random point. */
const FRONTMATTER_FILE = fc.oneof(
  fc.tuple(FIELDS, NASTY).map(([d, body]) => {
    try {
      return `---\n${dump(d, { skipInvalid: true })}---\n${body}`;
    } catch {
      return `---\n---\n${body}`;
    }
  }),
  NASTY.map((t) => `---\n${t}\n---\nbody`),
  fc.tuple(fc.nat(200)).map(([n]) => '---\nagent: a\nmethod: m\nstatus: agent-run\ntps: 1\nrefs: [a.md]\n---\n# Title\nbody'.slice(0, n)),
);
const BYTES = fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b));
const JSON_TEXT = fc.oneof(
  fc.jsonValue().map((v) => JSON.stringify(v)),
  VALUE.map((v) => JSON.stringify(v) ?? 'null'),
  fc.record({ rows: fc.array(fc.dictionary(fc.constantFrom('rank', 'agent', 'tps', 'filename', 'description', 'method', 'verification'), VALUE), { maxLength: 3 }), meta: fc.dictionary(fc.constantFrom('generated_at', 'excluded', 'results_considered'), VALUE) }).map((v) => JSON.stringify(v)),
  fc.record({ items: fc.array(fc.oneof(fc.record({ filename: BOARD_NAME, frontmatter: FIELDS, body: NASTY }), VALUE), { maxLength: 3 }) }).map((v) => JSON.stringify(v)),
  fc.string({ maxLength: 100 }),
);

type Content = string | Buffer;
const FILE: fc.Arbitrary<[string, Content]> = fc.oneof(
  fc.tuple(BOARD_NAME, fc.oneof(FRONTMATTER_FILE, BYTES)).map(([n, c]): [string, Content] => [`message_board/${n}`, c]),
  fc.tuple(BOARD_NAME, fc.oneof(FRONTMATTER_FILE, BYTES)).map(([n, c]): [string, Content] => [`results/${n}`, c]),
  fc.tuple(HANDLE, BOARD_NAME, FRONTMATTER_FILE).map(([h, n, c]): [string, Content] => [`inbox/${h}/${n}`, c]),
  fc.tuple(fc.oneof(HANDLE, ODD_NAME), fc.oneof(FRONTMATTER_FILE, BYTES)).map(([h, c]): [string, Content] => [`agents/${h}.md`, c]),
  fc.tuple(HANDLE, fc.oneof(fc.constant('README.md'), BOARD_NAME), FRONTMATTER_FILE).map(([t, n, c]): [string, Content] => [`taskforces/${t}/${n}`, c]),
  fc.tuple(HANDLE, fc.oneof(fc.constant('README.md'), BOARD_NAME, BOARD_NAME.map((n) => `members/${n}`)), fc.oneof(FRONTMATTER_FILE, BYTES)).map(([t, n, c]): [string, Content] => [`channels/${t}/${n}`, c]),
  fc.tuple(BOARD_NAME, fc.oneof(FRONTMATTER_FILE, BYTES)).map(([n, c]): [string, Content] => [`broadcasts/${n}`, c]),
  fc.tuple(HANDLE, HANDLE, fc.constantFrom('manifest.md', 'session.jsonl'), fc.oneof(FRONTMATTER_FILE, BYTES)).map(([a, s, n, c]): [string, Content] => [`traces/${a}/${s}/${n}`, c]),
  fc.tuple(HANDLE, fc.constantFrom('summary.json', 'job_status.json', 'run_request.json', 'server.json', 'ppl_summary.json', 'benchmark.jsonl'), fc.oneof(JSON_TEXT, BYTES)).map(([d, n, c]): [string, Content] => [`runs/${d}/${n}`, c]),
  fc.tuple(ODD_NAME, fc.oneof(JSON_TEXT, BYTES)).map(([n, c]): [string, Content] => [`leaderboard/${n}.json`, c]),
  fc.tuple(fc.constantFrom('messages-', 'results-', 'agents-', ''), ODD_NAME, fc.oneof(JSON_TEXT, BYTES)).map(([k, n, c]): [string, Content] => [`api/${k}${n}.json`, c]),
  fc.oneof(JSON_TEXT, BYTES).map((c): [string, Content] => ['results/verification_status.json', c]),
  fc.tuple(ODD_NAME, fc.oneof(NASTY, BYTES)).map(([n, c]): [string, Content] => [`shared_resources/${n}`, c]),
  fc.tuple(ODD_NAME, BYTES).map(([n, c]): [string, Content] => [n, c]),
);
const EXPORT = fc.uniqueArray(FILE, { minLength: 1, maxLength: 12, selector: ([p]) => p.toLowerCase() });

function writeExport(files: [string, Content][]): string {
  const dir = mkdtempSync(join(tmpdir(), 'atlas-fuzz-'));
  for (const [rel, content] of files) {
    const abs = join(dir, rel);
    try {
      mkdirSync(dirname(abs), { recursive: true });
      writeFileSync(abs, content);
    } catch {
      // A generated name the file system refuses (a path component that is already a file): not an input.
    }
  }
  return dir;
}

describe('fuzzed exports', () => {
  it('never throw, and every file ends in a table or in rejects', () => {
    fc.assert(
      fc.property(EXPORT, (files) => {
        const dir = writeExport(files);
        try {
          const r = ingestExport(dir);
          expect(unaccounted(r.files, r.tables, r.apiListings)).toEqual([]);
          for (const x of r.tables.rejects) expect(x.step).toBeTruthy();
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      }),
      { numRuns: 150 },
    );
  }, 120_000);

  it('build completely, Parquet included', async () => {
    await fc.assert(
      fc.asyncProperty(EXPORT, async (files) => {
        const dir = writeExport(files);
        const out = mkdtempSync(join(tmpdir(), 'atlas-fuzz-out-'));
        try {
          // The one refusal allowed: a folder with files but none in a data part is the wrong folder (exit 1).
          const listed = listFiles(dir);
          const anyData = listed.some((f) => !['unknown', 'config', 'readme'].includes(partOf(f.rel)));
          if (!anyData && listed.length > 0) {
            await expect(buildData({ source: dir, out, quiet: true })).rejects.toThrow(/is not an export folder/);
            return;
          }
          const { manifest } = await buildData({ source: dir, out, quiet: true });
          expect(manifest.source.files).toBe(listed.length);
        } finally {
          rmSync(dir, { recursive: true, force: true });
          rmSync(out, { recursive: true, force: true });
        }
      }),
      { numRuns: 12 },
    );
  }, 240_000);
});
