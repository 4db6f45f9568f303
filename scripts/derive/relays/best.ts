// Relays rules 3 and 7: the best result before a time, and what a result builds on (its starting point).
import type { CollabConfig } from '../../../src/lib/config.ts';
import type { ResultRow } from '../../../src/lib/schema/core.ts';
import { beats } from '../../../src/lib/relays/roles.ts';
import { pushTo } from '../collections.ts';
import { partitionPoint } from '../search.ts';
import { latestOf, ms, type Edge, type RelayEvent } from './events.ts';

/** Counting results in time order, with the best score so far. */
type Timeline = { t: number[]; best: number[] };

/** Best results before a time: over all results (with the configured baseline), per method, per submission prefix. */
export interface BestResults {
  bestBefore: (tms: number) => number | null;
  methodResults: Map<string, Timeline>;
  prefixResults: Map<string, Timeline>;
  /** prefixResults' `submissions/<a>/<name>` entries by a, then name. */
  submissionsOf: Map<string, Map<string, Timeline>>;
  hib: boolean;
}

/** Results that count for a best: scored agent-run or baseline results, not invalid and not over the cap. */
export const countsForBest = (r: ResultRow): boolean =>
  r.score !== null && (r.status === 'agent-run' || r.status === 'baseline') && r.verification !== 'invalid' && r.over_cap !== true;

/** The best of a set of results posted before a time is one binary search in its timeline. */
function timelines(results: readonly ResultRow[], keyOf: (r: ResultRow) => string | null, hib: boolean): Map<string, Timeline> {
  const groups = new Map<string, { t: number; score: number }[]>();
  for (const r of results) {
    const k = countsForBest(r) ? keyOf(r) : null;
    const t = ms(r.ts);
    if (k === null || t === null) continue;
    pushTo(groups, k, { t, score: r.score! });
  }
  const out = new Map<string, Timeline>();
  for (const [k, list] of groups) {
    list.sort((a, b) => a.t - b.t);
    const best: number[] = [];
    for (const [i, x] of list.entries()) best.push(i === 0 || beats(x.score, best[i - 1]!, hib) ? x.score : best[i - 1]!);
    out.set(k, { t: list.map((x) => x.t), best });
  }
  return out;
}

function bestBeforeIn(tl: Timeline | undefined, tms: number): number | null {
  const n = tl ? partitionPoint(tl.t.length, (i) => tl.t[i]! < tms) : 0;
  return n > 0 ? tl!.best[n - 1]! : null;
}

/** Best result before a time (for improvesBest and score gains). Invalid and over-cap results never count. */
export function bestResults(results: readonly ResultRow[], config: CollabConfig): BestResults {
  const hib = config.higher_is_better;
  const allResults = timelines(results, () => '', hib).get('');
  const bestBefore = (tms: number): number | null => {
    const fromResults = bestBeforeIn(allResults, tms);
    const base = config.baseline_score;
    if (fromResults === null) return base;
    return base === null ? fromResults : beats(fromResults, base, hib) ? fromResults : base;
  };
  const methodResults = timelines(results, (r) => (r.method && r.method.length >= 6 ? r.method : null), hib);
  const prefixResults = timelines(results, (r) => r.submission_prefix, hib);
  return { bestBefore, methodResults, prefixResults, submissionsOf: bySubmitter(prefixResults), hib };
}

/** `submissions/<a>/<name>` timelines as a → name → timeline (a without '/'): a look-up without making the key. */
function bySubmitter(prefixResults: ReadonlyMap<string, Timeline>): Map<string, Map<string, Timeline>> {
  const out = new Map<string, Map<string, Timeline>>();
  for (const [k, tl] of prefixResults) {
    if (!k.startsWith('submissions/')) continue;
    const slash = k.indexOf('/', 12);
    if (slash < 0) continue;
    const a = k.slice(12, slash);
    let names = out.get(a);
    if (!names) out.set(a, (names = new Map()));
    names.set(k.slice(slash + 1), tl);
  }
  return out;
}

const EMPTY: ReadonlyMap<string, Timeline> = new Map();
const possessives = new Map<string, RegExp>();

/** "a's" / "@a’s" as a whole handle, made once per handle. */
function possessiveOf(a: string): RegExp {
  let re = possessives.get(a);
  if (!re) possessives.set(a, (re = new RegExp(`(?<![\\w-])@?${a.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}['’]s\\b`)));
  return re;
}

/**
 * What a result builds on (its starting point): results it refs or quotes or whose artifact paths it names,
 * whose method string it names ("on top of vllm-int4-lmhead-v1"), or whose submission it names with the
 * owner ("on top of a's vllm-int4-v1 submission"); failing those, the latest earlier result of the agent whose
 * stack it names ("a's stack"), else of each agent it credits. A ship must beat the best of them (and, when
 * it names nothing at all, the best result overall).
 */
export function startingPoint(e: RelayEvent, incoming: readonly Edge[], eventsOf: ReadonlyMap<string, RelayEvent[]>, best: BestResults): number | null {
  const base: number[] = [];
  const add = (score: number | null): void => {
    if (score !== null) base.push(score);
  };
  for (const x of incoming) {
    const r = x.from.result;
    if (r && x.kind !== 'mention' && x.kind !== 'credit' && countsForBest(r)) base.push(r.score!);
  }
  const credits = e.result?.credits ?? [];
  // Each credited agent's submissions (a handle holding '/' is looked up by the whole prefix).
  const subs = credits.map((a) => (a.includes('/') ? null : (best.submissionsOf.get(a) ?? EMPTY)));
  for (const tok of new Set(e.text.match(/[A-Za-z0-9][\w.+-]{4,}[A-Za-z0-9]/g) ?? [])) {
    add(bestBeforeIn(best.methodResults.get(tok), e.tms));
    for (const [i, a] of credits.entries()) {
      const names = subs[i];
      add(bestBeforeIn(names ? names.get(tok) : best.prefixResults.get(`submissions/${a}/${tok}`), e.tms));
    }
  }
  if (!base.length) {
    // "on top of a's stack", "starting from @a's best": the possessive names whose stack it started from;
    // other credited agents may be helpers whose own latest result is unrelated.
    const owners = credits.filter((a) => e.text.includes(a) && possessiveOf(a).test(e.text));
    for (const a of owners.length ? owners : credits) {
      const r = latestOf(eventsOf.get(a), e, (c) => c.result !== undefined && countsForBest(c.result))?.result;
      if (r) base.push(r.score!);
    }
  }
  return base.length ? base.reduce((a, b) => (beats(b, a, best.hib) ? b : a)) : null;
}
