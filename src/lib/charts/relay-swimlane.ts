// Relay swimlane: one lane per agent, steps along time (or step order for undated credit brackets) as role glyphs.
import * as Plot from '@observablehq/plot';
import type { CollabConfig } from '../config.ts';
import { scoreText, timeText } from '../format.ts';
import type { RelayChainQueryRow, RelayStepQueryRow } from '../queries/relays.sql.ts';
import { ROLES, ROLE_STYLE, roleOf, stepSource, type Role } from '../relays/step-source.ts';
import type { ChartEnv } from './best-so-far.ts';

export interface SwimlaneEnv extends ChartEnv {
  /** Site base (`/` or `/atlas/`): glyphs of messages and results link to their board focus view. */
  base: string;
}

interface StepDatum {
  step: number;
  agent: string;
  role: Role;
  x: Date | string;
  href: string | null;
  tip: string;
}

const LANE = 34;

/** Step times when every step has one; credit brackets (documents carry no times) fall back to step order. */
const timed = (steps: readonly RelayStepQueryRow[]): boolean => steps.length > 0 && steps.every((s) => s.ts !== null);

/** Tooltip text (a <title>, set as text): step, role, agent, time, source and the evidence snippet. */
export function stepTip(s: RelayStepQueryRow): string {
  const src = stepSource(s, '/');
  return [
    `Step ${s.step}: ${s.role ?? 'step'} by ${s.agent ?? 'unknown'}`,
    s.ts ? timeText(s.ts) : null,
    `${src.label}${src.line ? ` (line ${src.line})` : ''}`,
    s.evidence ? `“${s.evidence}”` : null,
  ]
    .filter((l): l is string => l !== null)
    .join('\n');
}

/** Glyph legend for the roles (shape and colour), shared by every swimlane on the page. */
export function relayRoleLegend(env: Pick<ChartEnv, 'document'>): HTMLElement {
  return Plot.legend({
    document: env.document,
    symbol: { domain: [...ROLES], range: ROLES.map((r) => ROLE_STYLE[r].symbol) },
    color: { domain: [...ROLES], range: ROLES.map((r) => ROLE_STYLE[r].color) },
    fill: 'color',
    stroke: 'color',
    r: 5,
    tickFormat: (r: Role) => ROLE_STYLE[r].label,
  } as Parameters<typeof Plot.legend>[0]) as HTMLElement;
}

/**
 * One relay as a swimlane: agents as lanes in the order they join, steps as role glyphs joined in step order.
 * Glyphs of messages and results link to the board; every glyph has a tooltip with its evidence.
 */
export function relaySwimlane(
  chain: Pick<RelayChainQueryRow, 'chain_id' | 'agents' | 'kind' | 'outcome_score'>,
  steps: readonly RelayStepQueryRow[],
  config: CollabConfig,
  env: SwimlaneEnv,
): SVGSVGElement | HTMLElement {
  const ordered = [...steps].sort((a, b) => a.step - b.step);
  const byTime = timed(ordered);
  const data: StepDatum[] = ordered.map((s) => ({
    step: s.step,
    agent: s.agent ?? 'unknown',
    role: roleOf(s.role),
    x: byTime ? new Date(s.ts!) : String(s.step),
    href: stepSource(s, env.base).href,
    tip: stepTip(s),
  }));
  // Lanes in the order agents join the relay (chain.agents), then any agent only the steps name.
  const lanes = [...new Set([...chain.agents, ...data.map((d) => d.agent)])].filter((a) => data.some((d) => d.agent === a));
  const hops = data.slice(1).map((d, i) => ({ from: data[i]!, to: d }));
  const longest = Math.max(6, ...lanes.map((a) => a.length));
  const width = env.width ?? 760;
  const what = chain.kind === 'handoff' ? 'Hand-off' : chain.kind === 'staged' ? 'Staged hand-off' : 'Relay chain';
  return Plot.plot({
    document: env.document,
    width,
    height: 58 + lanes.length * LANE,
    marginLeft: Math.min(190, 14 + Math.round(longest * 6.4)),
    marginRight: 28,
    marginTop: 22,
    marginBottom: 36,
    ariaLabel: `${what}: ${data.length} steps across ${lanes.length} agents`,
    ariaDescription: `${data.map((d) => `${d.step}. ${d.role} by ${d.agent}`).join('; ')}${
      chain.outcome_score !== null ? `; outcome ${scoreText(chain.outcome_score)} ${config.unit} ${config.score_label}` : ''
    }.`,
    x: byTime
      ? { type: 'utc', label: 'Time (UTC) →', inset: 26, ticks: Math.max(2, Math.floor(width / 130)) }
      : { type: 'point', domain: data.map((d) => d.x as string), label: 'Step (credit brackets carry no times) →', inset: 26, tickFormat: (s: string) => `step ${s}` },
    y: { domain: lanes, label: null, inset: 14 },
    symbol: { domain: [...ROLES], range: ROLES.map((r) => ROLE_STYLE[r].symbol) },
    color: { domain: [...ROLES], range: ROLES.map((r) => ROLE_STYLE[r].color) },
    marks: [
      Plot.ruleY(lanes, { y: (a: string) => a, stroke: 'currentColor', strokeOpacity: 0.12 }),
      Plot.arrow(hops, {
        x1: (h: { from: StepDatum }) => h.from.x,
        y1: (h: { from: StepDatum }) => h.from.agent,
        x2: (h: { to: StepDatum }) => h.to.x,
        y2: (h: { to: StepDatum }) => h.to.agent,
        stroke: 'currentColor',
        strokeOpacity: 0.45,
        strokeWidth: 1.25,
        headLength: 7,
        insetStart: 9,
        insetEnd: 10,
      }),
      Plot.dot(data, {
        x: 'x',
        y: 'agent',
        symbol: 'role',
        fill: 'role',
        stroke: 'role',
        strokeWidth: 2,
        r: 6.5,
        href: (d: StepDatum) => d.href,
        title: (d: StepDatum) => d.tip,
        ariaLabel: (d: StepDatum) => `step ${d.step}: ${d.role} by ${d.agent}`,
      }),
      Plot.text(data, { x: 'x', y: 'agent', text: (d: StepDatum) => String(d.step), dy: -15, fontSize: 11, fill: 'currentColor' }),
    ],
  });
}

export { ROLES, ROLE_STYLE };
