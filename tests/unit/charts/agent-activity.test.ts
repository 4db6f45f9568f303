// Agent activity chart: one bar segment per day and series with posts, labelled, rendered server-side without inline styles.
import { describe, expect, it } from 'vitest';
import { agentActivityChart } from '../../../src/lib/charts/agent-activity.ts';
import { chartMarkup, serverDocument } from '../../../src/lib/charts/ssr.ts';
import { DEFAULT_CONFIG } from '../../../src/lib/config.ts';
import type { AgentActivityRow } from '../../../src/lib/queries/agents.sql.ts';

const rows: AgentActivityRow[] = [
  { agent: 'zoë-ünïcode', day: '2026-06-10', messages: 2, results: 1 },
  { agent: 'zoë-ünïcode', day: '2026-06-12', messages: 0, results: 3 },
];

describe('agentActivityChart', () => {
  it('draws a segment per day and series with posts, with the agent in its label', () => {
    const svg = agentActivityChart(rows, DEFAULT_CONFIG, { document: serverDocument() });
    const markup = chartMarkup(svg);
    expect(markup).toContain('aria-label="Activity of zoë-ünïcode: messages and results per day"');
    expect(svg.querySelectorAll('g[aria-label="rect"] rect').length).toBe(3);
    expect(markup).not.toMatch(/<style|style="/);
    const titles = [...svg.querySelectorAll('g[aria-label="rect"] title')].map((t) => t.textContent);
    expect(titles.sort()).toEqual(['10 Jun 2026: 1 result', '10 Jun 2026: 2 messages', '12 Jun 2026: 3 results']);
  });

  it('one day still gets a week-wide axis; no rows gives an empty chart', () => {
    const one = agentActivityChart([{ agent: 'a', day: '2026-06-15', messages: 4, results: 0 }], DEFAULT_CONFIG, { document: serverDocument() });
    const ticks = [...one.querySelectorAll('g[aria-label="x-axis tick label"] text')].map((t) => t.textContent);
    expect(ticks.length).toBeGreaterThanOrEqual(5);
    const empty = agentActivityChart([], DEFAULT_CONFIG, { document: serverDocument() });
    expect(empty.querySelectorAll('g[aria-label="rect"] rect').length).toBe(0);
  });
});
