// Completion stays out of values: typing a number, a string or a comment never offers (or replaces it with) a name.
import { CompletionContext, type CompletionResult } from '@codemirror/autocomplete';
import { sql } from '@codemirror/lang-sql';
import { ensureSyntaxTree } from '@codemirror/language';
import { EditorState } from '@codemirror/state';
import { describe, expect, it } from 'vitest';
import { DuckDB, consoleCompletionSources } from '../../../src/lib/console/dialect.ts';
import { TABLES } from '../../../src/lib/schema/index.ts';

const sources = consoleCompletionSources(TABLES.map((def) => ({ def, rows: 10 })));

/** Every option any console source offers with the cursor at the end of `doc` (typing, or Ctrl+Space). */
async function offered(doc: string, explicit = false): Promise<string[]> {
  const state = EditorState.create({ doc, extensions: [sql({ dialect: DuckDB })] });
  ensureSyntaxTree(state, doc.length, 5_000);
  const ctx = new CompletionContext(state, doc.length, explicit);
  const results = await Promise.all(sources.map((s) => s(ctx)));
  return results.filter((r): r is CompletionResult => r !== null).flatMap((r) => r.options.map((o) => o.label));
}

describe('console completion', () => {
  it('offers keywords, functions and columns while a name is typed', async () => {
    expect(await offered('SELECT * FROM results LIM')).toContain('LIMIT');
    expect(await offered('SELECT lo')).toContain('LOG10');
    expect(await offered('SELECT * FROM res')).toContain('results');
  });

  it('offers nothing while a number is typed: LIMIT 10 stays LIMIT 10', async () => {
    for (const doc of ['SELECT * FROM results LIMIT 1', 'SELECT * FROM results LIMIT 10', 'SELECT 1.5', 'SELECT .5', 'SELECT 1e3']) {
      expect(await offered(doc), doc).toEqual([]);
      expect(await offered(doc, true), `${doc} (Ctrl+Space)`).toEqual([]);
    }
  });

  it('offers nothing inside a string or a comment', async () => {
    for (const doc of ["SELECT 'lo", "SELECT * FROM results WHERE agent = 'log", 'SELECT 1 -- lim', 'SELECT /* log']) {
      expect(await offered(doc), doc).toEqual([]);
    }
  });
});
