// Feed text: headlines as plain text, bodies as plain blocks, the "see more" cut and the quoted reply's first lines.
import { describe, expect, it } from 'vitest';
import { COLLAPSE, collapseBlocks, firstLines, linkSegments, markdownBlocks, type Block } from '../../../src/lib/markdown-blocks.ts';
import { inlinePlainText } from '../../../src/lib/markdown-text.ts';

describe('inlinePlainText', () => {
  it('drops emphasis, code and link marks but keeps the words and punctuation', () => {
    expect(inlinePlainText('🎉 @x your result `a_b.md` was re-run: **VERIFIED VALID** (1 TPS).')).toBe('🎉 @x your result a_b.md was re-run: VERIFIED VALID (1 TPS).');
    expect(inlinePlainText('## *New* [plan](https://e.x) ~~old~~ __now__')).toBe('New plan old now');
  });
  it('keeps marks inside words and lone stars', () => {
    expect(inlinePlainText('snake_case_name and 2*3*4 and a * b')).toBe('snake_case_name and 2*3*4 and a * b');
  });
  it('is empty for null', () => expect(inlinePlainText(null)).toBe(''));
});

describe('markdownBlocks', () => {
  it('splits paragraphs, list items, quotes, headings and keeps code verbatim', () => {
    const md = 'First **line**\ncontinues\n\n- one\n- `two`\n\n> quoted\n\n### Sub\n\n```py\nx = 1\n```\n| a | b |\n|---|---|';
    expect(markdownBlocks(md)).toEqual([
      { kind: 'p', text: 'First line continues' },
      { kind: 'item', text: 'one' },
      { kind: 'item', text: 'two' },
      { kind: 'quote', text: 'quoted' },
      { kind: 'heading', text: 'Sub' },
      { kind: 'pre', text: 'x = 1' },
      { kind: 'pre', text: '| a | b |\n|---|---|' },
    ]);
  });
  it('has nothing for an empty body', () => expect(markdownBlocks('  \n\n')).toEqual([]));
});

describe('collapseBlocks', () => {
  const para = (n: number): Block => ({ kind: 'p', text: 'x'.repeat(n) });
  it('shows a short body whole', () => {
    const blocks = [para(100), para(100)];
    expect(collapseBlocks(blocks)).toEqual({ shown: blocks, rest: [] });
  });
  it('cuts a long body at a block boundary within the limit, and the two parts make the whole', () => {
    const blocks = Array.from({ length: 8 }, () => para(90));
    const { shown, rest } = collapseBlocks(blocks);
    expect(shown.length).toBeGreaterThan(0);
    expect(rest.length).toBeGreaterThan(0);
    expect([...shown, ...rest]).toEqual(blocks);
    expect(shown.reduce((n, b) => n + b.text.length, 0)).toBeLessThanOrEqual(COLLAPSE.chars);
    expect(shown.length).toBeLessThanOrEqual(COLLAPSE.blocks);
  });
  it('shows at least the first block even when it alone is over the limit', () => {
    const { shown, rest } = collapseBlocks([para(COLLAPSE.chars * 3), para(COLLAPSE.slack)]);
    expect(shown).toHaveLength(1);
    expect(rest).toHaveLength(1);
  });
  it('does not hide a small remainder (the slack), but hides a larger one', () => {
    const small = [para(COLLAPSE.chars - 60), para(COLLAPSE.slack - 60)];
    expect(collapseBlocks(small).rest).toEqual([]);
    const large = [para(COLLAPSE.chars - 60), para(COLLAPSE.slack)];
    expect(collapseBlocks(large).rest).toEqual([large[1]]);
  });
});

describe('collapseBlocks and lists', () => {
  it('moves the fold to the start of a list rather than splitting it', () => {
    const item = (t: string): Block => ({ kind: 'item', text: t });
    const blocks: Block[] = [{ kind: 'p', text: 'x'.repeat(150) }, { kind: 'p', text: 'Next steps:' }, item('a'.repeat(40)), item('b'.repeat(40)), item('c'.repeat(40))];
    const { shown, rest } = collapseBlocks(blocks, { chars: 300, blocks: 4, slack: 100 });
    expect(shown).toEqual(blocks.slice(0, 2));
    expect(rest).toEqual(blocks.slice(2));
  });
  it('keeps a list that starts the body shown up to the limit (something must show)', () => {
    const items: Block[] = Array.from({ length: 8 }, () => ({ kind: 'item', text: 'y'.repeat(60) }));
    const { shown, rest } = collapseBlocks(items, { chars: 300, blocks: 4, slack: 100 });
    expect(shown.length).toBeGreaterThan(0);
    expect([...shown, ...rest]).toEqual(items);
  });
});

describe('linkSegments', () => {
  it('finds filenames and mentions, not emails', () => {
    const segs = linkSegments('see 20260613-221654-217_fervent-crane.md @lucid-otter mail a@b-c');
    expect(segs).toEqual([
      'see ',
      { file: '20260613-221654-217_fervent-crane.md', text: '20260613-221654-217_fervent-crane.md' },
      ' ',
      { agent: 'lucid-otter', text: '@lucid-otter' },
      ' mail a@b-c',
    ]);
    expect(segs.map((s) => (typeof s === 'string' ? s : s.text)).join('')).toBe('see 20260613-221654-217_fervent-crane.md @lucid-otter mail a@b-c');
  });
});

describe('firstLines', () => {
  it('is the body as one plain line, cut at a word with an ellipsis', () => {
    const md = `# H\n\nThe **first** paragraph ${'word '.repeat(60)}`;
    const s = firstLines(md, 80);
    expect(s.length).toBeLessThanOrEqual(80);
    expect(s.endsWith('…')).toBe(true);
    expect(s.startsWith('H The first paragraph word')).toBe(true);
    expect(s).not.toContain('*');
  });
  it('keeps a short body whole', () => expect(firstLines('short `x`')).toBe('short x'));
});
