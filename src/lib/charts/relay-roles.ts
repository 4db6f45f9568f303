// Roles per agent: stacked bars of relay steps by role (build, run, fail, diagnose, ship); staged builds outlined.
import * as Plot from '@observablehq/plot';
import type { CollabConfig } from '../config.ts';
import type { RolesPerAgentRow } from '../queries/relays.sql.ts';
import type { StagedBuilderRow } from '../queries/relays-page.sql.ts';
import { ROLES, ROLE_STYLE, roleOf, type Role } from '../relays/step-source.ts';
import type { ChartEnv } from './best-so-far.ts';

export interface RolesEnv extends ChartEnv {
  /** Link for an agent's bars (e.g. the relays filtered to that agent); none when absent. */
  agentHref?: (agent: string) => string;
}

const BAR = 20;

/**
 * One bar per agent (busiest first), split by role in the fixed order build → ship so build segments start at 0:
 * a dashed outline over the first part of an agent's build segment marks builds that were staged specs, and a
 * label names them, so compute-poor agents who stage work for others stand out without colour.
 */
export function relayRolesChart(
  rows: readonly RolesPerAgentRow[],
  staged: readonly StagedBuilderRow[],
  _config: CollabConfig,
  env: RolesEnv,
): SVGSVGElement | HTMLElement {
  const data = rows.map((r) => ({ ...r, role: roleOf(r.role) }));
  const totals = new Map<string, number>();
  for (const r of data) totals.set(r.agent, r.agent_total);
  const agents = [...totals.keys()];
  const stagedShown = staged.filter((s) => totals.has(s.agent));
  const longest = Math.max(6, ...agents.map((a) => a.length));
  const href = env.agentHref;
  // Whole steps only: about ten integer ticks whatever the busiest agent's count.
  const max = Math.max(1, ...totals.values());
  const step = Math.ceil(max / 10);
  const ticks = Array.from({ length: Math.floor(max / step) + 1 }, (_, i) => i * step);
  const roleName = (r: Role) => ROLE_STYLE[r].label;
  return Plot.plot({
    document: env.document,
    width: env.width ?? 760,
    height: 70 + agents.length * BAR,
    marginLeft: Math.min(190, 14 + Math.round(longest * 6.4)),
    marginRight: 150,
    marginTop: 30,
    ariaLabel: 'Roles per agent: relay steps each agent took as build, run, fail, diagnose and ship',
    ariaDescription: `Stacked horizontal bars for ${agents.length} agents, busiest first. ${
      stagedShown.length
        ? `Agents who staged specs for others to run (dashed outline on their build steps): ${stagedShown.map((s) => `${s.agent} (${s.staged})`).join(', ')}.`
        : 'No agent staged a spec for others.'
    }`,
    x: { label: 'Relay steps →', grid: true, axis: 'top', ticks, tickFormat: 'd' },
    y: { domain: agents, label: null },
    color: { domain: [...ROLES], range: ROLES.map((r) => ROLE_STYLE[r].color), legend: true, tickFormat: roleName },
    marks: [
      Plot.barX(
        data,
        Plot.stackX({
          order: [...ROLES],
          x: 'count',
          y: 'agent',
          fill: 'role',
          inset: 0.5,
          ...(href ? { href: (d: RolesPerAgentRow) => href(d.agent) } : {}),
          title: (d: RolesPerAgentRow & { role: Role }) =>
            `${d.agent}: ${d.count} ${roleName(d.role)} step${d.count === 1 ? '' : 's'} in ${d.chains} relay${d.chains === 1 ? '' : 's'}`,
        }),
      ),
      Plot.barX(stagedShown, {
        x1: 0,
        x2: 'staged',
        y: 'agent',
        fill: 'none',
        stroke: 'currentColor',
        strokeWidth: 1.5,
        strokeDasharray: '3,2',
        insetTop: 1,
        insetBottom: 1,
        title: (d: StagedBuilderRow) => `${d.agent} staged ${d.staged} spec${d.staged === 1 ? '' : 's'} that others ran`,
      }),
      Plot.text(stagedShown, {
        x: (d: StagedBuilderRow) => totals.get(d.agent) ?? d.staged,
        y: 'agent',
        text: (d: StagedBuilderRow) => `stages specs ×${d.staged}`,
        textAnchor: 'start',
        dx: 6,
        fill: 'currentColor',
        fontStyle: 'italic',
      }),
      Plot.ruleX([0]),
    ],
  });
}
