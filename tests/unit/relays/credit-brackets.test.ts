// Credit brackets: the real gemzilla playbook (read in place) and the grammar's edge cases.
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { leverEvidence, parseBracketBody, parseCreditBrackets } from '../../../src/lib/relays/credit-brackets.ts';

const PLAYBOOK = new URL('../../../../shared/gemma-real/shared_resources/gemma4_e4b_speed_playbook_gemzilla/README.md', import.meta.url).pathname;
const OPTS = { scoreLabels: ['TPS', 'tok/s', 'tps'], higherIsBetter: true };

describe.skipIf(!existsSync(PLAYBOOK))('the real gemzilla playbook', () => {
  const text = existsSync(PLAYBOOK) ? readFileSync(PLAYBOOK, 'utf8') : '';
  const brackets = parseCreditBrackets(text, OPTS);
  const lines = text.split('\n');

  it('finds the one multi-role bracket on lever 2 with its three agents and roles', () => {
    const multi = brackets.filter((b) => b.multiRole);
    expect(multi).toHaveLength(1);
    const b = multi[0]!;
    expect(b.raw).toBe('[gemzilla flagged / quicksilver built / foffee benched]');
    expect(b.parts).toEqual([
      { agent: 'gemzilla', verb: 'flagged', role: 'diagnose' },
      { agent: 'quicksilver', verb: 'built', role: 'build' },
      { agent: 'foffee', verb: 'benched', role: 'ship' },
    ]);
    expect(lines[b.line - 1]).toContain(b.raw);
    expect(lines[b.line - 1]).toMatch(/^2\. \*\*Untie \+ int4 the lm_head\*\*/);
    expect(b.title).toBe('Untie + int4 the lm_head');
    // The line quotes ~118 TPS; lever 1 (the previous scored line of the recipe) quotes ~95 TPS.
    expect(b.score).toBe(118);
    expect(b.previousBest).toBe(95);
  });

  it('keeps the lever line as evidence within 240 characters, score and bracket included', () => {
    const b = brackets.find((x) => x.multiRole)!;
    expect(b.evidence.length).toBeLessThanOrEqual(240);
    expect(b.evidence.startsWith('Untie + int4 the lm_head')).toBe(true);
    expect(b.evidence).toContain('~118 TPS');
    expect(b.evidence.endsWith('[gemzilla flagged / quicksilver built / foffee benched]')).toBe(true);
  });

  it('reads the single credits too, and nothing from code or CLI syntax', () => {
    const singles = brackets.filter((b) => !b.multiRole).map((b) => b.raw);
    expect(singles).toEqual([
      '[ppl-guard]',
      '[gemzilla]',
      '[too-fast-too-furious]',
      '[gemzilla]',
      '[gemzilla, too-fast, ml-intern]',
      '[gemzilla, quicksilver]',
      '[too-fast-too-furious]',
      '[gemzilla]',
      '[ml-intern]',
    ]);
    // Every bracket the parser reports sits on the line it names.
    for (const b of brackets) expect(lines[b.line - 1]).toContain(b.raw);
  });
});

describe('grammar', () => {
  const parse = (t: string) => parseCreditBrackets(t, OPTS);
  it('accepts slash, comma and semicolon separated parts, with or without verbs', () => {
    expect(parseBracketBody('a-1 built / b2 benched')).toEqual([
      { agent: 'a-1', verb: 'built' },
      { agent: 'b2', verb: 'benched' },
    ]);
    expect(parseBracketBody('x1, y2; z3')).toEqual([
      { agent: 'x1', verb: null },
      { agent: 'y2', verb: null },
      { agent: 'z3', verb: null },
    ]);
  });
  it('rejects links, labels, options, checkboxes, numbers and code', () => {
    const t = [
      'See [the guide](https://x.y) and [ref][1] and [S] and [I] and [S2].',
      '[label]: https://example.com',
      'python x.py [--json] [--max-examples N]',
      '- [ ] todo',
      '- [x] done',
      'footnote [1] and [^2]',
      'no `[cli]` extra',
      '```',
      'inside a fence [alpha built / beta benched]',
      '```',
      '![img](a.png)',
    ].join('\n');
    expect(parse(t)).toEqual([]);
  });
  it('multi-role needs two parts with known verbs', () => {
    expect(parse('[aa built / bb benched]')[0]?.multiRole).toBe(true);
    expect(parse('[aa built / bb]')[0]?.multiRole).toBe(false);
    expect(parse('[aa enjoyed / bb liked]')[0]?.multiRole).toBe(false);
    expect(parse('[kitan audit]')[0]).toMatchObject({ multiRole: false, parts: [{ agent: 'kitan', verb: 'audit', role: 'diagnose' }] });
  });
  it('reads the score before the bracket and the best earlier score of the section, in the configured direction', () => {
    const t = '# A\n1. one ~95 TPS [aa]\n2. two 90 TPS [bb]\n3. three 130 tok/s [cc built / dd benched]\n# B\n4. four 140 TPS [ee built / ff benched]';
    const bs = parseCreditBrackets(t, OPTS);
    expect(bs.map((b) => [b.score, b.previousBest])).toEqual([
      [95, null],
      [90, 95],
      [130, 95],
      [140, null],
    ]);
    const low = parseCreditBrackets(t, { ...OPTS, higherIsBetter: false });
    expect(low[2]!.previousBest).toBe(90);
    // The last part of a scored multi-role bracket benched the shipped number.
    expect(bs[2]!.parts.map((p) => p.role)).toEqual(['build', 'ship']);
  });
  it('evidence: short lines whole, long ones as head … tail', () => {
    expect(leverEvidence('3. **Lever** short line [aa]')).toBe('Lever short line [aa]');
    const long = `**Head words** ${'filler '.repeat(60)}then the end. ~118 TPS. [aa built / bb benched]`;
    const e = leverEvidence(long);
    expect(e.length).toBeLessThanOrEqual(240);
    expect(e.startsWith('Head words')).toBe(true);
    expect(e).toContain(' … ');
    expect(e.endsWith('~118 TPS. [aa built / bb benched]')).toBe(true);
  });
});
