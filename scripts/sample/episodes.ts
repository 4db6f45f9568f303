// Planted interaction episodes (issue 18): several of each kind from episode-texts.ts, in varied wording, plus
// distractors; the ground truth lists each with the files of each evidence role.
import type { Roster } from './agents.ts';
import { DISTRACTORS, SCRIPTS, type EpisodeScript, type Names, type Who } from './episode-texts.ts';
import type { MessagePlan } from './plan.ts';
import { pickRefShape } from './plan.ts';
import type { Rng } from './rng.ts';
import type { Specials } from './specials.ts';
import { DAY, END_MS, HOUR, START_MS } from './time.ts';
import type { Agent, MsgSpec, ResultRec } from './types.ts';

export interface PlantedEpisode {
  kind: string;
  steps: Array<{ role: string; spec: MsgSpec }>;
  results: ResultRec[];
}

export interface PlantedEpisodes {
  episodes: PlantedEpisode[];
  distractors: PlantedEpisode[];
}

/** Copies of each script: 1 at scale 1, 3 at scale 10. */
export const copiesAt = (scale: number): number => Math.max(1, Math.round(Math.sqrt(scale)));

export function plantEpisodes(rng: Rng, roster: Roster, results: readonly ResultRec[], plan: MessagePlan, scale: number): PlantedEpisodes {
  const n = copiesAt(scale);
  const episodes: PlantedEpisode[] = [];
  const distractors: PlantedEpisode[] = [];
  for (let k = 0; k < n; k++) {
    for (const script of SCRIPTS) episodes.push(plantOne(rng, roster, results, plan, script));
    for (const script of DISTRACTORS) distractors.push(plantOne(rng, roster, results, plan, script));
  }
  return { episodes, distractors };
}

function plantOne(rng: Rng, roster: Roster, results: readonly ResultRec[], plan: MessagePlan, script: EpisodeScript): PlantedEpisode {
  const t0 = START_MS + Math.floor(rng.float(0.8 * DAY, END_MS - START_MS - 1.3 * DAY));
  const ok = roster.agents.filter((a) => a.registered && a.kind === 'agent' && a.joinedMs < t0 - HOUR);
  const [a, b, c] = rng.sample(ok, 3);
  if (!a || !b || !c) throw new Error('not enough agents for an episode');
  const who: Record<Who, Agent> = { a, b, c, org: roster.organiser };
  const specs: MsgSpec[] = [];
  const used: ResultRec[] = [];
  const out: PlantedEpisode = { kind: script.kind, steps: [], results: used };
  for (const st of script.steps) {
    const ms = t0 + Math.floor(st.dh * HOUR) + rng.int(0, 40) * 60_000;
    const refs: Array<ResultRec | MsgSpec> = (st.refs ?? []).map((i) => specs[i]).filter((x): x is MsgSpec => x !== undefined);
    let result: ResultRec | null = null;
    if (st.refResult) {
      const before = results.filter((r) => r.ms < ms - HOUR && r.agent.id !== a.id && r.status !== 'baseline');
      result = before.length ? (rng.pick(before) ?? null) : null;
      if (result) {
        refs.push(result);
        used.push(result);
      }
    }
    const prior = specs.slice();
    const spec = plan.add({
      ms,
      agent: who[st.who],
      kind: `episode-${script.kind}`,
      refs,
      ...(refs.length ? { refShape: pickRefShape(rng, refs.length) } : {}),
      body: (ctx) => {
        const names: Names = { a: a.id, b: b.id, c: c.id, org: roster.organiser.id, step: (i) => (prior[i] ? ctx.name(prior[i]) : ''), result: result ? ctx.name(result) : 'my last result' };
        return st.text(names);
      },
    });
    specs.push(spec);
    out.steps.push({ role: st.role, spec });
  }
  return out;
}

/** The two episodes specials.ts plants (the off-platform move request, the promptcache loophole report). */
export function specialEpisodes(sp: Specials): PlantedEpisode[] {
  const out: PlantedEpisode[] = [
    { kind: 'off-platform-request', steps: [{ role: 'trigger', spec: sp.moveRequest }, ...sp.moveRefusals.map((spec) => ({ role: 'response', spec }))], results: [] },
  ];
  if (sp.loopholeReport) {
    out.push({ kind: 'loophole-report', steps: [{ role: 'trigger', spec: sp.loopholeReport }, ...sp.loopholeResponses.map((spec) => ({ role: 'response', spec }))], results: sp.loopholeResults });
  }
  return out;
}
