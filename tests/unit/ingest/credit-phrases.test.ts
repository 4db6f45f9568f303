// The credit-phrase extractor against every credit phrase of the real export, labelled by hand (tests/fixtures/credit-phrases.ts).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configWords, creditRelations, CREDITING, handleAliases } from '../../../scripts/ingest/credit-phrases.ts';
import { extractCredits } from '../../../scripts/ingest/text.ts';
import { DEFAULT_CONFIG } from '../../../src/lib/config.ts';
import { CREDIT_SNIPPETS, REAL_HANDLES } from '../../fixtures/credit-phrases.ts';

const known = new Set(REAL_HANDLES);
const aliases = handleAliases(known, configWords(DEFAULT_CONFIG.title, DEFAULT_CONFIG.description));

/** Precision and recall on (snippet, credited agent) pairs, and how often a found pair has the labelled kind. */
function score(snippets: typeof CREDIT_SNIPPETS) {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let sameKind = 0;
  const misses: string[] = [];
  for (const s of snippets) {
    const found = creditRelations(s.snippet, known, s.author, aliases).filter((r) => CREDITING.has(r.kind));
    const truth = new Map(Object.entries(s.credits));
    for (const r of found) {
      if (truth.has(r.agent)) {
        tp++;
        if (truth.get(r.agent) === r.kind) sameKind++;
      } else {
        fp++;
        misses.push(`FP ${r.agent} (${r.kind}) in ${s.source}`);
      }
    }
    for (const a of truth.keys()) {
      if (!found.some((r) => r.agent === a)) {
        fn++;
        misses.push(`FN ${a} in ${s.source}`);
      }
    }
  }
  return { tp, fp, fn, precision: tp / (tp + fp), recall: tp / (tp + fn), kindAgreement: sameKind / tp, misses };
}

describe('creditRelations on the labelled real credit phrases', () => {
  it('labels each snippet consistently', () => {
    for (const s of CREDIT_SNIPPETS) {
      for (const a of Object.keys(s.credits)) expect(a in s.notCredits, s.source).toBe(false);
      expect(s.author === null || !(s.author in s.credits), s.source).toBe(true);
    }
  });

  it('reaches precision ≥ 0.95 and recall ≥ 0.9 on descriptions, 0.9 and 0.8 on documents', () => {
    const lb = score(CREDIT_SNIPPETS.filter((s) => s.result !== null));
    const docs = score(CREDIT_SNIPPETS.filter((s) => s.result === null));
    const all = score(CREDIT_SNIPPETS);
    for (const [name, s] of [['descriptions', lb], ['documents', docs], ['all', all]] as const) {
      console.log(
        `credit phrases (${name}): ${s.tp + s.fn} labelled credits, ${s.tp} found, ${s.fp} false → precision ${s.precision.toFixed(3)}, recall ${s.recall.toFixed(3)}, kind agrees ${s.kindAgreement.toFixed(3)}`,
      );
    }
    console.log(all.misses.join('\n'));
    expect(lb.precision).toBeGreaterThanOrEqual(0.95);
    expect(lb.recall).toBeGreaterThanOrEqual(0.9);
    expect(docs.precision).toBeGreaterThanOrEqual(0.9);
    expect(docs.recall).toBeGreaterThanOrEqual(0.8);
  });

  it('tells the kinds apart: reproduction, port, delta, builds-on, credit, role, comparison', () => {
    const k = (text: string, author: string | null = null) =>
      Object.fromEntries(creditRelations(text, known, author, aliases).map((r) => [r.agent, r.kind]));
    expect(k('Independent reproduction of firfir-cast hayai-ctk48-mwfix-v1')).toEqual({ 'firfir-cast': 'reproduction' });
    expect(k('Independent byte-identical repro of braiam-fable')).toEqual({ 'braiam-fable': 'reproduction' });
    expect(k('Port of pupa-agent staged pipelinefast-spec7-v0')).toEqual({ 'pupa-agent': 'port' });
    expect(k('One-knob delta from the verified kenyan-duma osoi5-feopt2-w20-e1 frontier')).toEqual({ 'kenyan-duma': 'delta' });
    expect(k('Credits: @agent-smith @need-for-speed lineage')).toEqual({ 'agent-smith': 'credit', 'need-for-speed': 'credit' });
    expect(k('[gemzilla flagged / quicksilver built / foffee benched]', 'gemzilla')).toEqual({ quicksilver: 'role', foffee: 'role' });
    expect(k('beats sparkgemma 504.02 by 0.83 TPS')).toEqual({ sparkgemma: 'comparison' });
    expect(k('@byteshark/@senpai\'s split-KV composed onto our stack')).toEqual({ byteshark: 'builds-on', senpai: 'builds-on' });
    // Short forms only next to a technical token or a possessive, never words of the collaboration's own title.
    expect(k('with kenyan ft-v1-epoch_001 drafter')).toEqual({ 'kenyan-duma': 'builds-on' });
    expect(k('the kenyan team')).toEqual({});
    expect(k('Gemma 4 E4B on an agent 2 stack, the agent\'s run')).toEqual({});
    // The author is never credited, under any name.
    expect(k('dixie SMP-02 byte-identical', 'dixie-flatline')).toEqual({});
  });

  it('feeds results.credits: every named agent except those only compared with', () => {
    expect(extractCredits('beats sparkgemma 504.02; credit: kenyan-duma drafter', known, 'firfir-cast', aliases)).toEqual(['kenyan-duma']);
    expect(extractCredits('on top of @vejja probe, vs @vejja 416.65', known, null, aliases)).toEqual(['vejja']);
    expect(extractCredits('', known, null)).toEqual([]);
  });
});

const LB = new URL('../../../../shared/gemma-real/leaderboard/', import.meta.url).pathname;

describe.skipIf(!existsSync(LB))('the fixture against the raw leaderboard files', () => {
  const rows = new Map<string, { agent: string; description: string | null }>();
  if (existsSync(LB)) {
    for (const f of readdirSync(LB)) {
      for (const r of (JSON.parse(readFileSync(join(LB, f), 'utf8')) as { rows: { filename: string; agent: string; description: string | null }[] }).rows) {
        rows.set(r.filename, r);
      }
    }
  }

  it('quotes each description snippet verbatim from its result', () => {
    for (const s of CREDIT_SNIPPETS.filter((x) => x.result !== null)) {
      expect(rows.get(s.result!)?.description, s.source).toContain(s.snippet);
      expect(rows.get(s.result!)?.agent).toBe(s.author);
    }
  });

  it('labels every (result, agent) pair whose description spells another leaderboard handle', () => {
    const handles = [...new Set([...rows.values()].map((r) => r.agent))];
    const labelled = new Set(CREDIT_SNIPPETS.filter((s) => s.result).flatMap((s) => [...Object.keys(s.credits), ...Object.keys(s.notCredits)].map((a) => `${s.result}|${a}`)));
    for (const [fn, r] of rows) {
      const text = (r.description ?? '').toLowerCase();
      for (const a of handles) {
        if (a !== r.agent && new RegExp(`(?<![a-z0-9-])${a.replace(/-/g, '\\-')}(?![a-z0-9-])`).test(text)) expect(labelled.has(`${fn}|${a}`), `${fn} names ${a}`).toBe(true);
      }
    }
  });
});
