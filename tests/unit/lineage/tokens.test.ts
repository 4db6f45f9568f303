// Method tokenizer: rules on hand-written strings, then every real method string of ../shared/gemma-real/leaderboard.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ACTIVITY_TOKENS,
  handlesInMethod,
  isVersionToken,
  recipeTokens,
  tokenFamily,
  tokenizeMethod,
} from '../../../src/lib/lineage/tokens.ts';

describe('tokenizeMethod rules', () => {
  it('splits on - _ + / , and whitespace, lower-cases, deduplicates in order', () => {
    expect(tokenizeMethod('MTP6_QAT+Centroid64/envopt, ple  ple')).toEqual(['mtp6', 'qat', 'centroid64', 'envopt', 'ple']);
  });
  it('drops versions, repeat counters and bare numbers', () => {
    expect(tokenizeMethod('osoi5-feopt2-v1')).toEqual(['osoi5', 'feopt2']);
    expect(tokenizeMethod('x-v2.1-v3b-run2-draw2-try3-rerun1-iter4-42-y')).toEqual(['x', 'y']);
    expect(['v0', 'v16', 'draw2', '7'].every(isVersionToken)).toBe(true);
    expect(['v', 'vllm', 'k7', 'w4a16', 'r1'].some(isVersionToken)).toBe(false);
  });
  it("drops the author's handle, as parts in a row or glued, but not a lone part", () => {
    expect(tokenizeMethod('w160-ctk44-noprecache-gemma-slayer-v2', { author: 'gemma-slayer' })).toEqual(['w160', 'ctk44', 'noprecache']);
    expect(tokenizeMethod('hayai-ctk48-w192-noprecache-sparkgemma2-v6', { author: 'sparkgemma-2' })).toEqual(['hayai', 'ctk48', 'w192', 'noprecache']);
    expect(tokenizeMethod('RockAI', { author: 'rock-ai' })).toEqual([]);
    // gemma is a real token when it does not spell the whole handle.
    expect(tokenizeMethod('mao-gemma-fast-skv64-v0', { author: 'need-for-speed' })).toEqual(['mao', 'gemma', 'fast', 'skv64']);
    expect(tokenizeMethod('gemma-w192', { author: 'gemma-slayer' })).toEqual(['gemma', 'w192']);
    expect(tokenizeMethod('osoi5-feopt2-w20-e1-lmhead12k-fa2sw-precache-skv64-ctk48-hayai-v1', { author: 'hayai-agent' })).toContain('hayai');
  });
  it("drops other agents' multi-part handles but keeps one-word handles", () => {
    const handles = ['gemma-slayer', 'falcon', 'inifinityoptimizer'];
    expect(tokenizeMethod('w160-ctk42-noprecache-gemma-slayer-lean', { author: 'inifinityoptimizer', handles })).toEqual(['w160', 'ctk42', 'noprecache', 'lean']);
    expect(tokenizeMethod('falcon-repro', { author: 'x', handles })).toEqual(['falcon', 'repro']);
    expect(handlesInMethod('w160-ctk42-noprecache-gemma-slayer-lean', handles, 'inifinityoptimizer')).toEqual(['gemma-slayer']);
    expect(handlesInMethod('w160-gemma-slayer', handles, 'gemma-slayer')).toEqual([]);
    expect(handlesInMethod(null, handles)).toEqual([]);
  });
  it('glues a short letter part to a following number and spells epochN as eN; other numbers stay as written', () => {
    expect(tokenizeMethod('ctk-48-k-7-w-192')).toEqual(['ctk48', 'k7', 'w192']);
    expect(tokenizeMethod('lffn-29-onegraph')).toEqual(['lffn29', 'onegraph']);
    expect(tokenizeMethod('k=7-osoi5-w20-epoch1')).toEqual(['k7', 'osoi5', 'w20', 'e1']);
    expect(tokenizeMethod('pck04-smp02-12k')).toEqual(['pck04', 'smp02', '12k']);
    // a long word followed by a number is not a knob: the number is a version-ish leftover.
    expect(tokenizeMethod('combined-2')).toEqual(['combined']);
  });
  it('handles empty, null and unicode input', () => {
    expect(tokenizeMethod(null)).toEqual([]);
    expect(tokenizeMethod('')).toEqual([]);
    expect(tokenizeMethod('---')).toEqual([]);
    expect(tokenizeMethod('ＭＴＰ６-ünï')).toEqual(['mtp6', 'ünï']);
  });
  it('families replace numbers with #; activity tokens are kept but are not recipe tokens', () => {
    expect(['ctk48', 'lmhead12k', 'w4a16', '12k', 'noprecache'].map(tokenFamily)).toEqual(['ctk#', 'lmhead#k', 'w#a#', '#k', 'noprecache']);
    expect(tokenizeMethod('hayai-ctk48-repro')).toEqual(['hayai', 'ctk48', 'repro']);
    expect(recipeTokens(['hayai', 'ctk48', 'repro', 'frontier'])).toEqual(['hayai', 'ctk48']);
    expect(ACTIVITY_TOKENS.has('repro')).toBe(true);
  });
});

const LB = new URL('../../../../shared/gemma-real/leaderboard/', import.meta.url).pathname;

describe.skipIf(!existsSync(LB))('tokenizeMethod on the real leaderboard methods', () => {
  interface Row {
    agent: string;
    method: string;
    filename: string;
  }
  const rows = new Map<string, Row>();
  if (existsSync(LB)) {
    for (const f of readdirSync(LB)) {
      for (const r of (JSON.parse(readFileSync(join(LB, f), 'utf8')) as { rows: Row[] }).rows) rows.set(r.filename, r);
    }
  }
  const handles = new Set([...rows.values()].map((r) => r.agent));
  const all = [...rows.values()].map((r) => ({ ...r, tokens: tokenizeMethod(r.method, { author: r.agent, handles }) }));

  it('reads every distinct result', () => {
    expect(all.length).toBeGreaterThan(80);
  });
  it('gives clean tokens: lower case, no separators, no versions, no duplicates', () => {
    for (const r of all) {
      for (const t of r.tokens) {
        expect(t).toBe(t.toLowerCase());
        expect(t).not.toMatch(/[-_+/,\s]/);
        expect(isVersionToken(t)).toBe(false);
      }
      expect(new Set(r.tokens).size).toBe(r.tokens.length);
    }
  });
  it("never keeps the author's full handle", () => {
    for (const r of all) {
      const glued = r.agent.replaceAll('-', '');
      expect(r.tokens).not.toContain(glued);
      const parts = r.agent.split('-');
      if (parts.length > 1) {
        const joined = r.tokens.join('-');
        expect(joined.includes(r.agent)).toBe(false);
      }
    }
  });
  it('keeps every recipe token of a method (only versions, handles and empties go)', () => {
    for (const r of all) {
      const raw = r.method.toLowerCase().split(/[-_+/,\s]+/).filter(Boolean);
      // Tokens are raw parts, glued knob pairs, or eN spellings of epochN.
      for (const t of r.tokens) {
        const ok = raw.includes(t) || raw.some((p, i) => p + (raw[i + 1] ?? '') === t) || raw.includes(t.replace(/^e(\d+)$/, 'epoch$1'));
        expect(ok, `${t} in ${r.method}`).toBe(true);
      }
    }
  });
  it('matches hand-checked fingerprints of real methods', () => {
    const by = (fn: string): string[] => all.find((r) => r.filename === fn)!.tokens;
    expect(by('20260620-145958-188_gemma-slayer.md')).toEqual(['w160', 'ctk44', 'noprecache']);
    expect(by('20260620-164023-824_inifinityoptimizer.md')).toEqual(['w160', 'ctk42', 'noprecache', 'lean']);
    expect(by('20260611-182551-658_jake-bot-2.md')).toEqual(['osoi5', 'feopt2', 'w20', 'e1']);
    expect(by('20260619-201951-369_sparkgemma-2.md')).toEqual(['hayai', 'ctk48', 'w192', 'noprecache']);
    expect(by('20260609-213455-673_blake-grok-1.md')).toEqual(['mtp6', 'centroid64', 'envopt', 'ple']);
    expect(by('20260620-150043-363_mikasa-inbound.md')).toEqual(['hayai', 'repro', 'splitkv', 'w192', 'ctk48', '12k', 'mtp', 'k7']);
    expect(by('20260614-110311-320_rock-ai.md')).toEqual([]);
    expect(by('20260610-083222-486_braiam-agent.md')).toEqual(['mtp6', 'fusedargmax', 'spec7', 'smp02', 'prewarm']);
  });
  it('puts the same recipe posted twice on the same fingerprint', () => {
    // kenyan-duma's package re-posted by senpai, and firfir-cast's repeated method.
    const k = all.find((r) => r.filename === '20260612-213132-897_kenyan-duma.md')!.tokens;
    const s = all.find((r) => r.filename === '20260619-220356-155_senpai.md')!.tokens;
    expect(s).toEqual(k);
  });
});
