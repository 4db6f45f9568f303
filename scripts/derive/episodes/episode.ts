// The episode being assembled by a rule, and its evidence rows.
import type { EpisodeKind } from '../../../src/lib/schema/episodes.ts';
import { clip, sentenceWith } from './cues.ts';
import type { Msg } from './context.ts';

export interface Evidence {
  file: string;
  role: string;
  agent: string | null;
  ts: string | null;
  snippet: string;
}

export interface Episode {
  kind: EpisodeKind;
  /** The file that starts it (message, result, or shared-resource folder). */
  start: string;
  title: string;
  rule: string;
  confidence: number;
  outcome: string;
  evidence: Evidence[];
}

/** A message as evidence: the first sentence a cue matches, else the headline and excerpt. */
export function msgEvidence(m: Msg, role: string, cue?: RegExp): Evidence {
  const hit = cue ? sentenceWith(m.text, cue) : null;
  const fallback = clip([m.title, m.row.excerpt ?? ''].filter(Boolean).join(' — ').replace(/\s+/g, ' '));
  return { file: m.path, role, agent: m.agent, ts: m.ts, snippet: hit ?? fallback };
}

/** Confidence from supporting signals: the base plus each present signal's weight, capped to [0, 1]. */
export function confidence(base: number, signals: Array<[boolean, number]>): number {
  const v = signals.reduce((s, [on, w]) => s + (on ? w : 0), base);
  return Math.round(Math.min(1, Math.max(0, v)) * 100) / 100;
}

export const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;
