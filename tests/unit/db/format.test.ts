// Tooltip text for a value with its provenance (the leaderboard's secondary column).
import { describe, expect, it } from 'vitest';
import { sourceTitle } from '../../../src/lib/db/format.ts';

describe('sourceTitle', () => {
  it('says where a value came from, quotes the text, names the run, and lists disagreements', () => {
    expect(sourceTitle('frontmatter', null)).toBe('from the result frontmatter');
    expect(sourceTitle('description', 'PPL 2.3813')).toBe('from the description: “PPL 2.3813”');
    expect(sourceTitle('run', 'runs/vllm-hayai-repro-v1 (score 506.7445 ≈ 506.74)')).toBe('from the run record: runs/vllm-hayai-repro-v1 (score 506.7445 ≈ 506.74)');
    expect(sourceTitle('body', 'ppl 2.159', ['PPL: body 2.159 vs run 2.005656 (runs/x)'])).toBe('from the result body: “ppl 2.159”; disagrees: PPL: body 2.159 vs run 2.005656 (runs/x)');
  });
  it('is empty without a source', () => {
    expect(sourceTitle(null, null)).toBe('');
    expect(sourceTitle('', 'x')).toBe('');
    expect(sourceTitle(undefined, undefined, [])).toBe('');
  });
});
