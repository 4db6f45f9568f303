// Which method tokens are not techniques: a stop-list derived from the data, each rule a named function.
//
// STOP RULES (first that applies names the reason; a technique is a token none applies to):
// 1. activity [activityLabel]: the token labels what was done, not the recipe: an activity word of the tokenizer
//    (ACTIVITY_TOKENS: repro, frontier, clean, variance, …) or a word the data model uses for a result's state
//    (STATE_WORDS: the values of results.status and results.verification: baseline, negative, valid, …).
// 2. numeric [numericFragment]: a number or a size with no recipe word (`12k` split off `lmhead-12k`, `0.22`, `4x`).
// 3. fragment [bornWithHost]: a setting fragment (one letter and a number, `e1`, `w20`) born in the same result as a
//    longer token, never seen without it and riding with at least half of that token's uses: it is part of that
//    recipe's name (`osoi5-feopt2-w20-e1`), not a knob anyone turned on its own. A setting introduced alone (`w192`)
//    or one that travels apart from its birth recipe (`k7` in a few of splitkv's many results) stays.
// 4. name [agentName]: the token spells a known handle's part (`pupa` of pupa-agent, `hayai` of hayai-agent) or its
//    initials and last part (`kduma` of kenyan-duma): it credits an agent's stack, it does not name a technique.
// 5. one-off [oneOff]: the token occurs in a single result (`body`, `channel`, `opt` in one method string): nobody,
//    not even its author, used it again, so it is a word of one name. A baseline's tokens are exempt: baselines are
//    the roots every recipe starts from.
// Every stopped token keeps its row (with stop_reason), so the page can list what was left out and why.
import { ACTIVITY_TOKENS } from '../../../src/lib/lineage/tokens.ts';
import type { Graph, Node } from './graph.ts';

export type StopReason = 'activity' | 'numeric' | 'fragment' | 'name' | 'one-off';

/** What the rules need about one token: its results in time order. */
export interface TokenUse {
  token: string;
  nodes: readonly Node[];
}

/** The values of results.status and results.verification (src/lib/schema/core.ts). */
export const STATE_WORDS: ReadonlySet<string> = new Set(['agent', 'run', 'negative', 'baseline', 'valid', 'pending', 'invalid']);

/** Rule 1: activity words and the data model's state vocabulary. */
export const activityLabel = (token: string): boolean => ACTIVITY_TOKENS.has(token) || STATE_WORDS.has(token);

const NUMERIC_RE = /^\d+(?:\.\d+)?[kmgbx]?$/;
/** Rule 2: a number or a size. */
export const numericFragment = (token: string): boolean => NUMERIC_RE.test(token);

const SETTING_RE = /^[a-z]\d+$/;
/** Rule 3: a one-letter setting that first appeared beside a longer token and is never without it. */
export function bornWithHost(use: TokenUse, firstUse: ReadonlyMap<string, Node>, uses: (token: string) => number): boolean {
  if (!SETTING_RE.test(use.token) || !use.nodes.length) return false;
  const born = use.nodes[0]!;
  return born.tokens.some(
    (h) => h !== use.token && h.length > use.token.length && firstUse.get(h) === born && use.nodes.every((n) => n.set.has(h)) && uses(h) <= 2 * use.nodes.length,
  );
}

/** The spellings of handles rule 4 stops: each part of four letters or more, and initials + last part. */
export function handleWords(handles: Iterable<string>): Set<string> {
  const out = new Set<string>();
  for (const h of handles) {
    const parts = h.toLowerCase().split('-').filter((p) => /^[a-z]+$/.test(p));
    for (const p of parts) if (p.length >= 4) out.add(p);
    if (parts.length > 1) out.add(parts.slice(0, -1).map((p) => p[0]).join('') + parts.at(-1));
  }
  return out;
}

/** Rule 4: the token spells a handle part or initials + last part. */
export const agentName = (token: string, words: ReadonlySet<string>): boolean => words.has(token);

/** Rule 5: a single result, unless it is a baseline's. */
export const oneOff = (use: TokenUse): boolean => use.nodes.length === 1 && use.nodes[0]!.r.status !== 'baseline';

/** The stop reason of every token in `uses` (absent: a technique). */
export function stopReasons(g: Graph, uses: readonly TokenUse[], handles: Iterable<string>): Map<string, StopReason> {
  const count = new Map(uses.map((u) => [u.token, u.nodes.length]));
  const names = handleWords(handles);
  const out = new Map<string, StopReason>();
  for (const u of uses) {
    const reason: StopReason | null = activityLabel(u.token)
      ? 'activity'
      : numericFragment(u.token)
        ? 'numeric'
        : bornWithHost(u, g.firstUse, (t) => count.get(t) ?? 0)
          ? 'fragment'
          : agentName(u.token, names)
            ? 'name'
            : oneOff(u)
              ? 'one-off'
              : null;
    if (reason) out.set(u.token, reason);
  }
  return out;
}
