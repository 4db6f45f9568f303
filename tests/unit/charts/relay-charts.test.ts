// Relay charts rendered server-side: swimlane glyphs per step (shape and colour by role, board links), roles per agent, step sources.
import { describe, expect, it } from 'vitest';
import { relayRoleLegend, relaySwimlane } from '../../../src/lib/charts/relay-swimlane.ts';
import { relayRolesChart } from '../../../src/lib/charts/relay-roles.ts';
import { chartMarkup, serverDocument } from '../../../src/lib/charts/ssr.ts';
import { DEFAULT_CONFIG } from '../../../src/lib/config.ts';
import type { RelayStepQueryRow, RolesPerAgentRow } from '../../../src/lib/queries/relays.sql.ts';
import { ROLE_STYLE, stepSource } from '../../../src/lib/relays/step-source.ts';
import { gainText, scoreText, spanText } from '../../../src/lib/ui/relay-format.ts';

const step = (n: number, agent: string, role: string, part: string, file: string, ts: string | null): RelayStepQueryRow => ({
  chain_id: 'chain/x',
  step: n,
  agent,
  role,
  rule: null,
  linked_by: 'ref',
  ts,
  source_file: file,
  source_part: part,
  evidence: `<img src=x onerror=alert(${n})> step ${n}`,
});
const STEPS = [
  step(1, 'zoë', 'build', 'messages', 'message_board/20260610-090000-000_zoë.md', '2026-06-10T09:00:00.000Z'),
  step(2, 'bob', 'fail', 'runs', 'runs/job-a', '2026-06-10T11:00:00.000Z'),
  step(3, 'cy', 'diagnose', 'messages', 'message_board/20260610-120000-000_cy.md', '2026-06-10T12:00:00.000Z'),
  step(4, 'zoë', 'build', 'messages', 'message_board/20260610-130000-000_zoë.md', '2026-06-10T13:00:00.000Z'),
  step(5, 'dan', 'ship', 'results', 'results/20260610-150000-000_dan.md', '2026-06-10T15:00:00.000Z'),
];
const chain = { chain_id: 'chain/x', agents: ['zoë', 'bob', 'cy', 'dan'], kind: 'chain', outcome_score: 301.5 };

describe('relaySwimlane', () => {
  it('draws a glyph per step in its lane, one shape and colour per role, messages and results linked to the board', () => {
    const svg = relaySwimlane(chain, STEPS, DEFAULT_CONFIG, { document: serverDocument(), base: '/atlas/' });
    const markup = chartMarkup(svg);
    expect(markup).not.toMatch(/<style|\sstyle="/);
    expect(svg.getAttribute('aria-label')).toBe('Relay chain: 5 steps across 4 agents');
    const dots = [...svg.querySelectorAll('g[aria-label="dot"] path')];
    expect(dots.map((d) => d.getAttribute('fill'))).toEqual(STEPS.map((s) => ROLE_STYLE[s.role as 'build'].color));
    const shapes = dots.map((d) => d.getAttribute('d'));
    expect(shapes[0]).toBe(shapes[3]);
    expect(new Set(shapes).size).toBe(4);
    expect(dots.map((d) => d.parentElement?.tagName.toLowerCase() === 'a' ? d.parentElement.getAttribute('href') : null)).toEqual([
      '/atlas/board/?focus=20260610-090000-000_zo%C3%AB.md',
      null,
      '/atlas/board/?focus=20260610-120000-000_cy.md',
      '/atlas/board/?focus=20260610-130000-000_zo%C3%AB.md',
      '/atlas/board/?focus=20260610-150000-000_dan.md',
    ]);
    // Lanes in join order; evidence only as <title> text.
    expect([...svg.querySelectorAll('g[aria-label="y-axis tick label"] text')].map((t) => t.textContent)).toEqual(['zoë', 'bob', 'cy', 'dan']);
    expect(markup).not.toContain('<img');
    expect(dots[0]?.querySelector('title')?.textContent).toContain('<img src=x onerror=alert(1)> step 1');
    expect([...svg.querySelectorAll('g[aria-label="arrow"] path')].length).toBe(4);
    expect(svg.querySelector('g[aria-label="x-axis label"]')?.textContent).toContain('Time (UTC)');
  });

  it('falls back to step order when steps carry no times (credit brackets)', () => {
    const undated = STEPS.slice(0, 3).map((s) => ({ ...s, ts: null }));
    const svg = relaySwimlane({ ...chain, agents: ['zoë', 'bob', 'cy'] }, undated, DEFAULT_CONFIG, { document: serverDocument(), base: '/' });
    expect([...svg.querySelectorAll('g[aria-label="x-axis tick label"] text')].map((t) => t.textContent)).toEqual(['step 1', 'step 2', 'step 3']);
  });

  it('legend names the five roles', () => {
    const legend = relayRoleLegend({ document: serverDocument() });
    expect([...legend.querySelectorAll('span')].map((s) => s.textContent)).toEqual(['build', 'run', 'fail', 'diagnose', 'ship']);
  });
});

describe('relayRolesChart', () => {
  it('stacks roles per agent with build first and outlines staged builds', () => {
    const rows: RolesPerAgentRow[] = [
      { agent: 'ann', role: 'build', count: 3, chains: 3, agent_total: 5 },
      { agent: 'ann', role: 'ship', count: 2, chains: 2, agent_total: 5 },
      { agent: 'bob', role: 'run', count: 1, chains: 1, agent_total: 1 },
    ];
    const svg = relayRolesChart(rows, [{ agent: 'ann', staged: 2, chains: 2, helpers: 1 }], DEFAULT_CONFIG, {
      document: serverDocument(),
      agentHref: (a) => `/relays/?agent=${a}`,
    });
    expect(chartMarkup(svg)).not.toMatch(/<style|\sstyle="/);
    const fig = svg.querySelector('svg[aria-label^="Roles per agent"]') ?? svg;
    expect(fig.getAttribute('aria-label')).toMatch(/^Roles per agent/);
    const bars = [...fig.querySelectorAll('g[aria-label="bar"]')];
    // ann's segments: build from the axis, then ship; bob's run also starts at the axis.
    const segments = [...bars[0]!.querySelectorAll('rect')].map((r) => [r.getAttribute('fill'), Number(r.getAttribute('x')), r.querySelector('title')?.textContent]);
    expect(segments).toEqual([
      [ROLE_STYLE.build.color, 52.5, 'ann: 3 build steps in 3 relays'],
      [ROLE_STYLE.ship.color, expect.any(Number), 'ann: 2 ship steps in 2 relays'],
      [ROLE_STYLE.run.color, 52.5, 'bob: 1 run step in 1 relay'],
    ]);
    expect(segments[1]![1]).toBeGreaterThan(52.5);
    expect(bars[1]!.querySelectorAll('rect').length).toBe(1);
    expect(bars[1]!.getAttribute('stroke-dasharray')).toBe('3,2');
    expect(bars[1]!.querySelector('rect')?.getAttribute('x')).toBe('52');
    expect([...fig.querySelectorAll('g[aria-label="text"] text')].map((t) => t.textContent)).toEqual(['stages specs ×2']);
    expect([...fig.querySelectorAll('g[aria-label="y-axis tick label"] text')].map((t) => t.textContent)).toEqual(['ann', 'bob']);
  });
});

describe('stepSource and relay text', () => {
  it('links messages and results by basename; runs and documents are shown, not linked', () => {
    expect(stepSource({ chain_id: 'c', source_file: 'message_board/a b.md', source_part: 'messages' }, '/')).toEqual({
      kind: 'board',
      href: '/board/?focus=a%20b.md',
      label: 'a b.md',
      line: null,
    });
    expect(stepSource({ chain_id: 'c', source_file: 'runs/x', source_part: 'runs' }, '/').href).toBeNull();
    expect(stepSource({ chain_id: 'bracket/shared/p.md#L12', source_file: 'shared/p.md', source_part: 'documents' }, '/')).toEqual({
      kind: 'document',
      href: null,
      label: 'shared/p.md',
      line: 12,
    });
  });

  it('formats scores and gains with the configured unit', () => {
    expect(scoreText(453.6712, DEFAULT_CONFIG)).toBe('453.67 tok/s');
    expect(gainText(-15.229, DEFAULT_CONFIG)).toBe('−15.23 tok/s');
    expect(gainText(2, { unit: 'ms' })).toBe('+2 ms');
    expect(scoreText(null, DEFAULT_CONFIG)).toBe('');
    expect(spanText({ start_ts: '2026-06-13T02:38:00.000Z', end_ts: '2026-06-13T09:28:00.000Z' })).toBe('2026-06-13 02:38 → 09:28 UTC');
    expect(spanText({ start_ts: null, end_ts: null })).toBe('');
  });
});
