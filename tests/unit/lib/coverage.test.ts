// What a page may call missing: needs supplied by parts or API rows, the nav's empty pages, the notice sentence.
import { describe, expect, it } from 'vitest';
import { EXPORT_PARTS, emptyPages, isMissing, missingNeeds, missingSentence, type Coverage } from '../../../src/lib/coverage.ts';

const coverage = (present: string[], api: Partial<Coverage['api_rows']> = {}): Coverage => ({
  parts: Object.fromEntries(EXPORT_PARTS.map((p) => [p, { present: present.includes(p), files: present.includes(p) ? 1 : 0 }])) as Coverage['parts'],
  api_rows: { messages: 0, results: 0, agents: 0, ...api },
});

describe('coverage', () => {
  it('a need is missing only when no part and no API rows supply it', () => {
    const real = coverage(['runs', 'leaderboards', 'documents']);
    expect(missingNeeds(real)).toEqual(['messages', 'registrations', 'result_files', 'taskforces']);
    expect(isMissing(coverage(['inbox']), 'messages')).toBe(false);
    expect(isMissing(coverage(['api'], { messages: 3 }), 'messages')).toBe(false);
    // API pages that gave no messages do not make the board known.
    expect(isMissing(coverage(['api'], { results: 3 }), 'messages')).toBe(true);
    expect(isMissing(coverage(['api'], { results: 3 }), 'verification')).toBe(false);
  });

  it('a manifest without coverage (built before it existed) misses nothing', () => {
    expect(missingNeeds(null)).toEqual([]);
  });

  it('marks pages whose table is empty, saying why when a part is missing', () => {
    const tables = (rows: Record<string, number>) => Object.fromEntries(Object.entries(rows).map(([k, n]) => [k, { rows: n }]));
    const real = { tables: tables({ messages: 0, results: 91, agents: 78, lineage_nodes: 91, relay_chains: 6, noise_buckets: 126 }), coverage: coverage(['runs', 'leaderboards']) };
    expect([...emptyPages(real)]).toEqual([['board/', 'Nothing to show: this export has no board messages']]);
    const sample = { tables: tables({ messages: 0, results: 1, agents: 1, lineage_nodes: 1, relay_chains: 0, noise_buckets: 1 }), coverage: coverage([...EXPORT_PARTS]) };
    expect([...emptyPages(sample)]).toEqual([
      ['board/', 'Nothing to show in this data'],
      ['relays/', 'Nothing to show in this data'],
    ]);
    expect(emptyPages(null).size).toBe(0);
  });

  it('says in one sentence what is missing and which command fills it', () => {
    const s = missingSentence('runs', 'Pooling σ over repeat runs');
    expect(`${s.before}${s.command}${s.after}`).toBe(
      'Pooling σ over repeat runs needs benchmark run directories, and this export has none (no runs/): npm run pull -- --mirror <bucket copy> --out <export dir> copies them from a bucket copy that has runs/ (the API does not serve them).',
    );
    expect(missingSentence('messages', 'Threads', true).before).toMatch(/^Threads need board messages/);
  });
});
