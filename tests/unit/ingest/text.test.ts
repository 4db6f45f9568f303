import { describe, expect, it } from 'vitest';
import {
  classifyMessage,
  excerptOf,
  extractCredits,
  extractJobIds,
  extractMentions,
  extractQuotedFilenames,
  extractStamps,
  headlineOf,
  normaliseRefs,
  parseVerdict,
} from '../../../scripts/ingest/text.ts';
import { parseFrontmatter } from '../../../scripts/ingest/frontmatter.ts';
import { clip, flat } from '../../../scripts/ingest/boundary.ts';

describe('mentions', () => {
  it('finds @handles but not emails or mid-word @', () => {
    expect(extractMentions('thanks @kenyan-duma and @human-ana. mail carlos@agent-1 or x.y@z-1; (@chiku-inu)')).toEqual([
      'kenyan-duma',
      'human-ana',
      'chiku-inu',
    ]);
  });
  it('stops at punctuation and ignores upper case and underscores', () => {
    expect(extractMentions('@foo-bar, @Foo @a_b @ok.')).toEqual(['foo-bar', 'ok']);
  });
  it('handles empty and unicode bodies', () => {
    expect(extractMentions('')).toEqual([]);
    expect(extractMentions('héllo @ünï @abc🚀')).toEqual(['abc']);
  });
});

describe('normaliseRefs', () => {
  it.each([
    [undefined, []],
    [null, []],
    ['20260613-090759-237_a.md', ['20260613-090759-237_a.md']],
    ['results/x_a.md message_board/y_b.md', ['x_a.md', 'y_b.md']],
    ['x_a.md,y_b.md, z_c.md', ['x_a.md', 'y_b.md', 'z_c.md']],
    [['x_a.md', 'results/y_b.md', 'x_a.md'], ['x_a.md', 'y_b.md']],
    ['notes.txt x_a.md', ['x_a.md']],
    [42, []],
  ])('%j → %j', (input, out) => {
    expect(normaliseRefs(input)).toEqual(out);
  });
});

describe('quoted filenames, stamps and job ids', () => {
  const body = 'see `20260613-090759-237_frantic-penguin.md` and frantic-penguin 20260612-010101-001; job 6a3666333093dba73ce2ad10 (not 6a3666333093dba73ce2ad10ff)';
  it('finds each', () => {
    expect(extractQuotedFilenames(body)).toEqual(['20260613-090759-237_frantic-penguin.md']);
    expect(extractStamps(body)).toEqual(['20260612-010101-001']);
    expect(extractJobIds(body)).toEqual(['6a3666333093dba73ce2ad10']);
  });
});

describe('credits', () => {
  it('names known agents other than the author', () => {
    const known = new Set(['firfir-cast', 'kenyan-duma', 'mikasa-inbound', 'ml']);
    const text = "Reproduction of firfir-cast's stack + kenyan-duma fine-tuned MTP drafter; ml tricks; by mikasa-inbound";
    expect(extractCredits(text, known, 'mikasa-inbound')).toEqual(['firfir-cast', 'kenyan-duma']);
  });
});

describe('headline and excerpt', () => {
  it('uses the first heading and the first paragraph', () => {
    const b = '\n# Joining 🚀\n\nHello   team,\nready.\n\n## Next\n';
    expect(headlineOf(b)).toBe('Joining 🚀');
    expect(excerptOf(b)).toBe('Hello team, ready.');
    expect(headlineOf('')).toBeNull();
    expect(excerptOf('x'.repeat(400))?.length).toBe(280);
  });

  it('stores a string flat without changing a character (flat: lone surrogates, astral and long strings too)', () => {
    let built = '';
    for (let i = 0; i < 50; i++) built += `piece ${i} é\u{1F680} `;
    const cases = [built, `${'a'.repeat(20)}\uD800${'b'.repeat(5)}`, `\uDFFF${'ü'.repeat(30)}"\\\n\t`, 'short', '', 'x'.repeat(100_000)];
    for (const c of cases) {
      const f = flat(c);
      expect(f.length).toBe(c.length);
      expect([...f].map((ch) => ch.codePointAt(0))).toEqual([...c].map((ch) => ch.codePointAt(0)));
    }
    // The excerpt of a long paragraph is clipped, then stored flat: the same text as clip gives.
    const para = Array.from({ length: 80 }, (_, i) => `word${i}\n  `).join('');
    expect(excerptOf(para)).toBe(clip(para.replace(/\s+/g, ' ').trim(), 280));
  });
});

describe('verdicts', () => {
  it('parses a VALID verdict with its table', () => {
    const body = [
      '🎉 @mikasa-inbound your result `20260620-150043-363_mikasa-inbound.md` claimed a new SOTA and was re-run on the **private** prompt set: **VERIFIED VALID**.',
      '',
      '| metric | value | check |',
      '|---|---|---|',
      '| reported TPS | 506.74 | |',
      '| re-run TPS (private set) | 489.20 (Δ -3.46%) | Δ ≤ 5% ✅ |',
      '| re-run PPL | 2.3951 | ≤ 2.42 ✅ |',
    ].join('\n');
    expect(parseVerdict(body, 'TPS', 'PPL')).toEqual({
      verdict: 'valid',
      result: '20260620-150043-363_mikasa-inbound.md',
      reported: 506.74,
      rerun: 489.2,
      rerunSecondary: 2.3951,
    });
  });
  it('parses a short INVALID and an unreproducible note', () => {
    expect(parseVerdict('@a your result `x_a.md` came back **INVALID**.', 'TPS', 'PPL')?.verdict).toBe('invalid');
    expect(parseVerdict("couldn't reproduce `x_a.md`: no runnable submission could be located", 'TPS', 'PPL')?.verdict).toBe('unreproducible');
    expect(parseVerdict('a normal message', 'TPS', 'PPL')).toBeNull();
  });
  it('reads the short form with the re-run in parentheses', () => {
    const body = '🎉 @b your result `20260608-134252-916_b.md` was re-run on the **private** prompt set: **VERIFIED VALID** (126.46 TPS, PPL 2.0280).';
    expect(parseVerdict(body, 'TPS', 'PPL')).toEqual({ verdict: 'valid', result: '20260608-134252-916_b.md', reported: null, rerun: 126.46, rerunSecondary: 2.028 });
    expect(parseVerdict('**VERIFIED VALID** (12.5 ms)', 'ms', 'PPL')?.rerun).toBe(12.5);
  });
  it('classifies kinds from the body with type and refs as hints', () => {
    const k = (body: string, type: string | null = 'agent', refsResult = false, isVerifier = false): string =>
      classifyMessage({ body, headline: headlineOf(body), type, isVerifier, refsResult });
    expect(k('# mikasa-inbound joining\n\nhi')).toBe('intro');
    expect(k('# Anyone seen this?\n')).toBe('question');
    expect(k('# Load failed: KeyError lm_head\n')).toBe('error');
    expect(k('# New number\n', 'agent', true)).toBe('results-report');
    expect(k('x', 'agent', false, true)).toBe('verdict');
  });
});

describe('frontmatter', () => {
  it('keeps numbers, strings, lists and unknown keys; strips a BOM', () => {
    const r = parseFrontmatter('\uFEFF---\ntps: 506.74\nppl: "2.394"\nrefs: [a.md, b.md]\ncustom: {x: 1}\ndate: 2026-06-20\n---\nbody');
    expect(r).toEqual({
      data: { tps: 506.74, ppl: '2.394', refs: ['a.md', 'b.md'], custom: { x: 1 }, date: '2026-06-20' },
      body: 'body',
      hasFrontmatter: true,
    });
  });
  it('explains bad YAML and a missing closing fence', () => {
    expect(parseFrontmatter('---\nrefs: [unclosed\n---\n')).toMatch(/not valid YAML/);
    expect(parseFrontmatter('---\ntype: agent\n')).toMatch(/no closing/);
    expect(parseFrontmatter('---\n- a\n- b\n---\n')).toMatch(/not a key: value mapping/);
    expect(parseFrontmatter('no frontmatter')).toEqual({ data: {}, body: 'no frontmatter', hasFrontmatter: false });
  });
});

describe('headlineOf and excerptOf read lines and paragraphs one at a time', () => {
  // The split-everything forms they replaced, for comparison on random bodies.
  const headlineRef = (body: string): string | null => {
    const lines = body.split(/\r?\n/);
    const h = lines.find((l) => /^#\s+\S/.test(l));
    const first = h ?? lines.find((l) => l.trim() !== '');
    if (first === undefined) return null;
    return clip(first.replace(/^#+\s*/, '').trim(), 200, '') || null;
  };
  const excerptRef = (body: string): string | null => {
    const paras = body
      .split(/\r?\n\s*\r?\n/)
      .map((p) => p.trim())
      .filter((p) => p !== '' && !/^#/.test(p) && !/^---+$/.test(p));
    const p = paras[0];
    if (p === undefined) return null;
    return clip(p.replace(/\s+/g, ' '), 280);
  };
  it('gives what splitting the whole body gave', () => {
    let seed = 11;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const pieces = ['\n', '\r\n', '\r', ' ', '\t', '#', '# ', '## ', '---', 'word', 'x', '\n\n', ' \n \n'];
    const bodies = ['', '\n', '# a', 'a\r\nb\r', '---\n\nbody', '#\n\n#x\n\ntext'];
    for (let i = 0; i < 3000; i++) {
      let s = '';
      for (let j = rand(20); j > 0; j--) s += pieces[rand(pieces.length)];
      bodies.push(s);
    }
    for (const b of bodies) {
      expect([b, headlineOf(b)]).toEqual([b, headlineRef(b)]);
      expect([b, excerptOf(b)]).toEqual([b, excerptRef(b)]);
    }
  });
});
