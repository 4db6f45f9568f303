// Result timeline: methods grow token by token from earlier results, so lineage, inventions and the frontier are planted.
import type { Roster } from './agents.ts';
import type { FilenameRegistry } from './naming.ts';
import { at, type Rng } from './rng.ts';
import { ResultSim } from './result-sim.ts';
import { DAY, END_MS, MINUTE, START_MS } from './time.ts';
import type { ResultRec } from './types.ts';

export interface ResultTimeline {
  /** All results in time (= filename) order. */
  results: ResultRec[];
  /** token -> first result using it (the inventor's result). */
  firstUse: Map<string, ResultRec>;
  /** When the loophole gets reported on the board (nobody adopts it after that). */
  loopholeReportMs: number;
}

/** Relative activity per day of the 6-day window (slow start, busy middle). */
const DAY_WEIGHTS = [0.55, 0.9, 1.1, 1.2, 1.2, 1.05];

/** n sorted times in [minMs, maxMs], shaped by DAY_WEIGHTS. */
export function sampleTimes(rng: Rng, n: number, minMs: number, maxMs: number): number[] {
  const out: number[] = [];
  const total = DAY_WEIGHTS.reduce((a, b) => a + b, 0);
  while (out.length < n) {
    let u = rng.next() * total;
    let day = 0;
    for (; day < DAY_WEIGHTS.length - 1; day++) {
      u -= at(DAY_WEIGHTS, day);
      if (u < 0) break;
    }
    const ms = START_MS + day * DAY + Math.floor(rng.next() * DAY);
    if (ms >= minMs && ms <= maxMs) out.push(ms);
  }
  return out.sort((a, b) => a - b);
}

export function simulateResults(rng: Rng, roster: Roster, scale: number, names: FilenameRegistry): ResultTimeline {
  const n = Math.max(40, Math.round(500 * scale));
  const times = sampleTimes(rng, n - 2, START_MS + 80 * MINUTE, END_MS - 25 * MINUTE);
  const sim = new ResultSim(rng, roster, names, times, scale);
  sim.plantBaselines();
  for (let i = 0; i < times.length; i++) sim.step(i);
  const results = sim.results;
  plantPplOmitted(rng, results, scale);
  plantMalformed(rng, results, scale);
  return { results, firstUse: firstUses(results), loopholeReportMs: sim.loopholeReportMs };
}

/** A couple of results omit ppl (nullable, as in two real sources). */
function plantPplOmitted(rng: Rng, results: readonly ResultRec[], scale: number): void {
  const plain = results.filter((r) => r.kind === 'adopt' && r.status === 'agent-run' && !r.totalTpsMistake);
  for (const r of rng.sample(plain, Math.max(1, Math.round(2 * scale)))) r.pplOmitted = true;
}

/** Malformed: a leaf result whose tps is not a number (the leaderboard counts it as malformed). */
function plantMalformed(rng: Rng, results: readonly ResultRec[], scale: number): void {
  const leaves = results.filter(
    (r) => r.kind === 'adopt' && r.status === 'agent-run' && !r.hasChildren && !r.pplOmitted && !r.totalTpsMistake && r.ms > START_MS + 2 * DAY,
  );
  for (const r of rng.sample(leaves, Math.max(1, Math.round(scale)))) r.malformed = true;
}

/** token -> first result using it. */
function firstUses(results: readonly ResultRec[]): Map<string, ResultRec> {
  const firstUse = new Map<string, ResultRec>();
  for (const r of results) for (const tok of r.tokens) if (!firstUse.has(tok)) firstUse.set(tok, r);
  return firstUse;
}
