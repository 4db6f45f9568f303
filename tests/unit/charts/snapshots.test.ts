// Chart snapshots: every chart function on the synthetic rows of tests/fixtures/chart-rows.ts, at the page's width and a
// phone's, compared with tests/unit/charts/snapshots/. Accept a change: delete the snapshot, rerun with ATLAS_UPDATE_SNAPSHOTS=1.
import { describe, expect, it } from 'vitest';
import { agentActivityChart } from '../../../src/lib/charts/agent-activity.ts';
import { bestSoFarChart } from '../../../src/lib/charts/best-so-far.ts';
import { leaderboardTimeline, secondaryChart } from '../../../src/lib/charts/leaderboard-timeline.ts';
import { lineageGraph } from '../../../src/lib/charts/lineage-graph.ts';
import { DOTS_MAX, lineagePareto } from '../../../src/lib/charts/lineage-pareto.ts';
import { noiseStripChart } from '../../../src/lib/charts/noise-strip.ts';
import { tieGroupsChart } from '../../../src/lib/charts/noise-ties.ts';
import { verifyGapChart } from '../../../src/lib/charts/noise-verify.ts';
import { relayRolesChart } from '../../../src/lib/charts/relay-roles.ts';
import { relayRoleLegend, relaySwimlane } from '../../../src/lib/charts/relay-swimlane.ts';
import { serverDocument } from '../../../src/lib/charts/ssr.ts';
import { POINT_LIMIT } from '../../../src/lib/charts/thin.ts';
import { DEFAULT_CONFIG } from '../../../src/lib/config.ts';
import { layoutLineage } from '../../../src/lib/lineage/layout.ts';
import { selectView } from '../../../src/lib/lineage/view.ts';
import {
  AGENT_ACTIVITY,
  BASELINES,
  BEST_SO_FAR,
  BRACKET_CHAIN,
  BRACKET_STEPS,
  denseBestSoFar,
  storyOf,
  denseParetoRest,
  LEADERBOARD,
  LINEAGE_EDGES,
  LINEAGE_NODES,
  PARETO,
  RELAY_CHAIN,
  RELAY_STEPS,
  ROLES_PER_AGENT,
  STAGED_BUILDERS,
  STRIP_BUCKETS,
  STRIP_RUNS,
  STRIP_SIGMA,
  TIE_THRESHOLD,
  TIES,
  VERIFY_GAPS,
} from '../../fixtures/chart-rows.ts';
import { orphanSnapshots, snapshotTest } from './snapshot.ts';

const config = DEFAULT_CONFIG;
/** A phone's width (the agent panel and the overview scale to it). */
const PHONE = 360;
/** The narrowest the browser redraws a relay swimlane and the noise strip (relays-element.ts, noise-element.ts). */
const RELAY_MIN = 320;
const STRIP_MIN = 560;
const env = (width?: number) => ({ document: serverDocument(), ...(width ? { width } : {}) });
const some = <T>(x: T | null): T => {
  if (x === null) throw new Error('the chart function drew nothing for a fixture that should draw');
  return x;
};

describe('overview', () => {
  const moment = [{ ts: BEST_SO_FAR[6]!.ts, kind: 'invention', label: 'dan introduced x', href: '/board/' }];
  snapshotTest('best-so-far', () => bestSoFarChart(storyOf(BEST_SO_FAR), config, moment, env()));
  snapshotTest('best-so-far-phone', () => bestSoFarChart(storyOf(BEST_SO_FAR), config, moment, env(PHONE)));
  snapshotTest('best-so-far-dense', () => bestSoFarChart(storyOf(denseBestSoFar(POINT_LIMIT + 400)), config, [], env()));
});

describe('leaderboard', () => {
  snapshotTest('leaderboard-timeline', () => leaderboardTimeline(LEADERBOARD, BASELINES, config, env()));
  snapshotTest('leaderboard-secondary', () => some(secondaryChart(LEADERBOARD, config, env())));
});

describe('lineage', () => {
  snapshotTest('lineage-graph', () => lineageGraph(layoutLineage(selectView(LINEAGE_NODES, LINEAGE_EDGES, true)), config, env()));
  snapshotTest('lineage-pareto', () => some(lineagePareto(PARETO, config, env(520))));
  snapshotTest('lineage-pareto-hexbin', () => {
    const rows = [...PARETO.filter((p) => p.is_pareto), ...denseParetoRest(DOTS_MAX + 50)];
    return some(lineagePareto(rows, config, env(520)));
  });
});

describe('noise', () => {
  const strip = { buckets: STRIP_BUCKETS, runs: STRIP_RUNS, sigma: STRIP_SIGMA };
  snapshotTest('noise-strip', () => noiseStripChart(strip, config, env(1000)));
  snapshotTest('noise-strip-selected-narrow', () => noiseStripChart({ ...strip, selected: 'b4' }, config, env(STRIP_MIN)));
  snapshotTest('noise-strip-no-sigma', () => noiseStripChart({ ...strip, sigma: null }, config, env(1000)));
  snapshotTest('noise-ties', () => tieGroupsChart(TIES, { threshold: TIE_THRESHOLD }, config, env(1000)));
  // Without a σ every result is its own group, ranked by position.
  const untied = TIES.map((r) => ({ ...r, rank: r.position, group_id: r.position, group_size: 1, group_top: r.score, group_min: r.score, group_max: r.score, delta_from_top: 0 }));
  snapshotTest('noise-ties-no-threshold', () => tieGroupsChart(untied, { threshold: null, limit: 5 }, config, env(1000)));
  snapshotTest('noise-verify', () => some(verifyGapChart(VERIFY_GAPS, config, env(640))));
});

describe('relays', () => {
  const swim = (width?: number) => ({ ...env(width), base: '/atlas/' });
  snapshotTest('relay-swimlane', () => relaySwimlane(RELAY_CHAIN, RELAY_STEPS, config, swim(1000)));
  snapshotTest('relay-swimlane-narrow', () => relaySwimlane(RELAY_CHAIN, RELAY_STEPS, config, swim(RELAY_MIN)));
  snapshotTest('relay-swimlane-bracket', () => relaySwimlane(BRACKET_CHAIN, BRACKET_STEPS, config, swim()));
  snapshotTest('relay-role-legend', () => relayRoleLegend(env()));
  snapshotTest('relay-roles', () =>
    relayRolesChart(ROLES_PER_AGENT, STAGED_BUILDERS, config, { ...env(1000), agentHref: (a) => `/atlas/relays/?agent=${encodeURIComponent(a)}` }),
  );
});

describe('agents', () => {
  snapshotTest('agent-activity', () => agentActivityChart(AGENT_ACTIVITY, config, env()));
  snapshotTest('agent-activity-phone', () => agentActivityChart(AGENT_ACTIVITY, config, env(PHONE)));
});

describe('snapshot files', () => {
  it('every committed snapshot belongs to a test above', () => {
    expect(orphanSnapshots()).toEqual([]);
  });
});
