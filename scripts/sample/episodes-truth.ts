// Ground-truth section for the planted interaction episodes: each with its kind, a key (the trigger file, or the
// shared-resource folder for knowledge-base documents) and the files of each evidence role.
import { specialEpisodes, type PlantedEpisode } from './episodes.ts';
import type { SamplePlan, SampleWrites } from './generate.ts';

export interface EpisodeTruth {
  kind: string;
  /** The file that starts the episode (export-relative); for knowledge-base, the resource folder. */
  key: string;
  agents: string[];
  /** role → export-relative files. */
  files: Record<string, string[]>;
  /** Results the episode touched (results/<name>.md). */
  results: string[];
}

export interface EpisodesTruth {
  kinds: string[];
  planted: EpisodeTruth[];
  /** Look-alikes that must not be found as an episode of the kind. */
  distractors: EpisodeTruth[];
}

const KINDS = ['off-platform-request', 'loophole-report', 'overfitting-warning', 'knowledge-base', 'compute-sharing', 'cross-agent-debugging', 'reversal', 'diagnosis'];

function toTruth(e: PlantedEpisode): EpisodeTruth {
  const files: Record<string, string[]> = {};
  for (const st of e.steps) (files[st.role] ??= []).push(`message_board/${st.spec.filename}`);
  const first = e.steps[0]?.spec;
  return {
    kind: e.kind,
    key: first ? `message_board/${first.filename}` : '',
    agents: [...new Set(e.steps.map((s) => s.spec.agent.id))],
    files,
    results: e.results.map((r) => `results/${r.filename}`),
  };
}

export function episodesSection(p: SamplePlan, w: SampleWrites): EpisodesTruth {
  const planted = [...specialEpisodes(p.specials), ...p.episodes.episodes].map(toTruth);
  planted.push(...relayEpisodes(p));
  // Knowledge base: every shared-resource folder named <topic>_<agent> after a known agent.
  const folders = new Map<string, string[]>();
  for (const f of w.shared.files) {
    const m = /^shared_resources\/([^/]+)\//.exec(f);
    if (m?.[1]) folders.set(m[1], [...(folders.get(m[1]) ?? []), f]);
  }
  for (const [folder, files] of [...folders].sort()) {
    const owner = p.roster.all.find((a) => folder.endsWith(`_${a.id}`));
    if (!owner) continue;
    planted.push({ kind: 'knowledge-base', key: `shared_resources/${folder}`, agents: [owner.id], files: { trigger: files }, results: [] });
  }
  return { kinds: KINDS, planted, distractors: p.episodes.distractors.map(toTruth) };
}

const mb = (s: { filename: string }): string => `message_board/${s.filename}`;

/**
 * Episodes the relay and hand-off planting makes too: a staged build post ("no quota, staged for whoever has it")
 * that others run is compute sharing; a failure posted on the board and fixed by another agent is cross-agent
 * debugging.
 */
function relayEpisodes(p: SamplePlan): EpisodeTruth[] {
  const out: EpisodeTruth[] = [];
  for (const r of p.relays) {
    out.push({ kind: 'compute-sharing', key: mb(r.build), agents: [r.builder.id, r.runner.id], files: { trigger: [mb(r.build)] }, results: [`results/${r.ship.filename}`] });
    if (r.type !== 'run' && r.diagnose && r.diagnoser && r.diagnoser.id !== r.runner.id) {
      out.push({ kind: 'cross-agent-debugging', key: mb(r.tried), agents: [r.runner.id, r.diagnoser.id], files: { trigger: [mb(r.tried)], fix: [mb(r.diagnose)] }, results: [] });
    }
  }
  for (const h of p.handoffs) {
    out.push({ kind: 'compute-sharing', key: mb(h.post), agents: [h.poster.id, h.runner.id], files: { trigger: [mb(h.post)], run: [mb(h.report)] }, results: [`results/${h.result.filename}`] });
  }
  return out;
}
