// Relay role classifier: every rule on hand-written snippets, with the negative cases next to the positive ones.
import { describe, expect, it } from 'vitest';
import {
  beats,
  bracketVerbRole,
  classifyMessageRole,
  classifyResultRole,
  classifyRunRole,
  EVIDENCE_MAX,
  findFailure,
  gain,
  snippetAt,
} from '../../../src/lib/relays/roles.ts';

const msg = (text: string, ctx: { other?: boolean; replies?: boolean } = {}) =>
  classifyMessageRole({ text, linksToOtherAgent: ctx.other ?? false, repliesToFailure: ctx.replies ?? false });

describe('messages', () => {
  it('build: staged hand-offs, in each wording', () => {
    for (const t of [
      'Built the int4 lm_head ckpt but I have no quota to run it.',
      'Staged for whoever has quota: artifacts/lmhead_a/',
      'Spec for whoever has GPU: untie the head, quantize g128.',
      "I'm GPU-poor today, someone with quota please bench this.",
      'Out of quota, cannot run it myself.',
    ]) {
      expect(msg(t), t).toMatchObject({ role: 'build', rule: 'build:staged' });
    }
  });

  it('build: an artifact path with a build word', () => {
    expect(msg('Uploaded the checkpoint to hf://buckets/gemma-challenge/gemma-a/weights/int4-head')).toMatchObject({
      role: 'build',
      rule: 'build:artifact',
    });
    expect(msg('Packaged submissions/a/int4-head-v1 (untied head).')).toMatchObject({ role: 'build', rule: 'build:artifact' });
    // A path alone, or a build word alone, is not a build post.
    expect(msg('See artifacts/plot_a/loss.png')).toBeNull();
    expect(msg('We should build something faster.')).toBeNull();
  });

  it('fail: load and runtime errors', () => {
    for (const t of [
      'Tried it: failed at load.',
      "KeyError: 'lm_head.weight' when vLLM loads the ckpt",
      'Traceback (most recent call last): ...',
      'OOM on a10g-small at 512 tokens',
      'the server crashed after warmup',
      'tie_word_embeddings is still true in text_config',
      "vLLM can't load the quant config",
      'job ended in error',
    ]) {
      expect(msg(t), t).toMatchObject({ role: 'fail', rule: 'fail:error-report' });
    }
  });

  it('fail: negated errors and look-alikes do not count', () => {
    expect(findFailure('ran clean, no errors, 128/128')).toBeNull();
    expect(findFailure('completed without any errors')).toBeNull();
    expect(findFailure('error-free run')).toBeNull();
    expect(findFailure('terror and zoom room')).toBeNull();
    expect(findFailure('room for improvement')).toBeNull();
  });

  it('diagnose: a reply to a failure that names a cause or fix', () => {
    for (const t of [
      '@b the bug is tie_word_embeddings=true in text_config.',
      'Root cause: the head is still tied.',
      'fix: target re:.*lm_head, not lm_head.',
      'set tie_word_embeddings=false at top level AND text_config',
      'It was caused by the exact-name match on lm_head.',
    ]) {
      expect(msg(t, { replies: true }), t).toMatchObject({ role: 'diagnose', rule: 'diagnose:reply-names-cause' });
    }
  });

  it('diagnose needs the reply: the same words without it are a failure report (or nothing)', () => {
    expect(msg('the bug is a KeyError in the loader')).toMatchObject({ role: 'fail' });
    expect(msg('Root cause analysis follows next week.')).toBeNull();
    // A reply to a failure without a cause or fix is not a diagnosis.
    expect(msg('Sorry to hear that, will look later.', { replies: true })).toBeNull();
  });

  it('run: a benchmark of another agent’s artifact', () => {
    expect(msg('Benched @a’s int4 head: 118.3 TPS, PPL 2.01', { other: true })).toMatchObject({ role: 'run', rule: 'run:benchmark-report' });
    expect(msg("Ran @a's checkpoint: it loads and runs, 118.26 tok/s", { other: true })).toMatchObject({ role: 'run' });
    // A score alone is not a run: plans quote the score they start from.
    expect(msg('Starting from `x.md` (148.96 TPS). Hypothesis: fewer bytes per step.', { other: true })).toBeNull();
    // Own benchmark (no link to another agent) is not a relay step.
    expect(msg('Benched my own stack: 118 TPS')).toBeNull();
  });

  it('precedence: diagnose > fail > build > run', () => {
    const t = 'The bug is the tied head; failed at load with KeyError. Fix: set tie_word_embeddings=false';
    expect(msg(t, { replies: true })?.role).toBe('diagnose');
    expect(msg(t)?.role).toBe('fail');
    expect(msg('No quota. Benched nothing.', { other: true })?.role).toBe('build');
  });

  it('evidence is the matched line, at most 240 characters, centred on the match', () => {
    const long = `${'x '.repeat(200)}KeyError: lm_head ${'y '.repeat(200)}`;
    const m = msg(long);
    expect(m?.role).toBe('fail');
    expect(m!.evidence.length).toBeLessThanOrEqual(EVIDENCE_MAX);
    expect(m!.evidence).toContain('KeyError');
    expect(msg('# Head\n\nline one\n- **failed** at `load`\nline three')?.evidence).toBe('failed at load');
    expect(snippetAt('a\nb\nc', 2)).toBe('b');
  });
});

describe('runs', () => {
  it('fail on error or timed_out, with the status message as evidence', () => {
    expect(classifyRunRole({ status: 'error', statusMessage: 'exit code 1', usesOtherArtifact: false, runDir: 'runs/x' })).toEqual({
      role: 'fail',
      rule: 'fail:run-status',
      evidence: 'job error: exit code 1',
    });
    expect(classifyRunRole({ status: 'timed_out', statusMessage: null, usesOtherArtifact: true, runDir: 'runs/x' })?.role).toBe('fail');
  });
  it('run when a completed job served another agent’s artifact; nothing otherwise', () => {
    expect(classifyRunRole({ status: 'completed', statusMessage: null, usesOtherArtifact: true, runDir: 'runs/x' })?.rule).toBe('run:other-artifact');
    expect(classifyRunRole({ status: 'completed', statusMessage: null, usesOtherArtifact: false, runDir: 'runs/x' })).toBeNull();
    expect(classifyRunRole({ status: 'running', statusMessage: null, usesOtherArtifact: true, runDir: 'runs/x' })).toBeNull();
  });
});

describe('results', () => {
  const base = { text: 'Untied int4 head. 118.26 TPS', status: 'agent-run', overCap: false, isBaseline: false, linksToOtherAgent: true, improvesBest: true };
  it('ship: a new best that credits or refs others', () => {
    expect(classifyResultRole(base)).toMatchObject({ role: 'ship', rule: 'ship:improves-best', evidence: 'Untied int4 head. 118.26 TPS' });
  });
  it('run: a declared reproduction, even when its draw is higher', () => {
    for (const text of ["Independent repro of agent-smith's stack: 421.5 TPS", 'Byte-identical reproduction of the frontier', 'byte-identical to serio-agent onegraph (314.09)', 'Reproduction of firfir-cast’s shared stack']) {
      expect(classifyResultRole({ ...base, text })?.rule, text).toBe('run:reproduces-other');
    }
    // A method string with a repro token, or a byte-identical part of a new combination, is not a declaration.
    expect(classifyResultRole({ ...base, text: 'On top of vllm-int4-repro-splitkv-v1: 480 TPS' })?.role).toBe('ship');
    expect(classifyResultRole({ ...base, text: 'dixie SMP-02 byte-identical + lastchance prewarm. +1.17 TPS; new #1.' })?.role).toBe('ship');
  });
  it('run: credits others without a new best; over the cap never ships', () => {
    expect(classifyResultRole({ ...base, improvesBest: false })?.rule).toBe('run:reproduces-other');
    expect(classifyResultRole({ ...base, overCap: true })?.role).toBe('run');
  });
  it('nothing for own work, baselines, or negative results without an error', () => {
    expect(classifyResultRole({ ...base, linksToOtherAgent: false })).toBeNull();
    expect(classifyResultRole({ ...base, isBaseline: true })).toBeNull();
    expect(classifyResultRole({ ...base, status: 'baseline' })).toBeNull();
    expect(classifyResultRole({ ...base, status: 'negative', text: 'slower, dead end' })).toBeNull();
    expect(classifyResultRole({ ...base, status: 'negative', text: 'dead end: KeyError at load' })?.rule).toBe('fail:negative-result');
  });
});

describe('direction and bracket verbs', () => {
  it('beats and gain follow the configured direction', () => {
    expect(beats(2, 1, true)).toBe(true);
    expect(beats(2, 1, false)).toBe(false);
    expect(gain(118, 95, true)).toBe(23);
    expect(gain(2.0, 2.3, false)).toBeCloseTo(0.3);
  });
  it('maps credit verbs to the documented roles', () => {
    const mid = { last: false, lineHasScore: true };
    expect(bracketVerbRole('flagged', mid)).toBe('diagnose');
    expect(bracketVerbRole('built', mid)).toBe('build');
    expect(bracketVerbRole('benched', mid)).toBe('run');
    expect(bracketVerbRole('benched', { last: true, lineHasScore: true })).toBe('ship');
    expect(bracketVerbRole('benched', { last: true, lineHasScore: false })).toBe('run');
    expect(bracketVerbRole('shipped', mid)).toBe('ship');
    expect(bracketVerbRole('failed', mid)).toBe('fail');
    expect(bracketVerbRole('Flagged', mid)).toBe('diagnose');
    expect(bracketVerbRole('audit', mid)).toBe('diagnose');
    expect(bracketVerbRole('enjoyed', mid)).toBeNull();
  });
});
