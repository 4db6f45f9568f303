// Legends drawn from the marks' series spec (src/lib/charts/legend.ts): each entry's glyph has the colour, fill and
// stroke its marks are drawn with, read back from the rendered chart.
import { describe, expect, it } from 'vitest';
import { activitySeries, agentActivityChart } from '../../../src/lib/charts/agent-activity.ts';
import { legend } from '../../../src/lib/charts/legend.ts';
import { serverDocument } from '../../../src/lib/charts/ssr.ts';
import { DEFAULT_CONFIG } from '../../../src/lib/config.ts';

const rows = [
  { agent: 'a', day: '2026-06-10', messages: 2, results: 1 },
  { agent: 'a', day: '2026-06-12', messages: 0, results: 3 },
];

describe('legend', () => {
  it('draws each series in the colour its bars are drawn in', () => {
    const doc = serverDocument();
    const svg = agentActivityChart(rows, DEFAULT_CONFIG, { document: doc });
    const key = legend(doc, activitySeries(), 'what the bars count');
    // The colour of each series as the chart drew it: a bar's fill, keyed by the noun in its tooltip.
    const drawn = new Map<string, string>();
    for (const rect of svg.querySelectorAll('g[aria-label="rect"] rect')) {
      const noun = /(message|result)s?$/.exec(rect.querySelector('title')?.textContent ?? '')?.[1];
      if (noun) drawn.set(noun === 'message' ? 'messages' : 'results', rect.getAttribute('fill') ?? '');
    }
    expect(drawn.size).toBe(2);
    const entries = [...key.querySelectorAll('li')];
    expect(entries.map((li) => li.getAttribute('data-series'))).toEqual(['messages', 'results']);
    for (const li of entries) {
      const glyphFill = li.querySelector('svg rect')?.getAttribute('fill');
      expect(glyphFill, li.textContent ?? '').toBe(drawn.get(li.getAttribute('data-series')!));
    }
    expect(key.getAttribute('aria-label')).toBe('what the bars count');
  });

  it('draws hollow, dashed and banded series as the marks do', () => {
    const doc = serverDocument();
    const key = legend(doc, [
      { key: 'r', label: 'posted result', color: '#2563eb', symbol: 'ring' },
      { key: 'd', label: '± 2σ', color: 'currentColor', symbol: 'dash', opacity: 0.45 },
      { key: 'b', label: '± σ', color: 'currentColor', symbol: 'band', opacity: 0.07 },
    ]);
    const [ring, dash, band] = [...key.querySelectorAll('li svg')].map((s) => s.firstElementChild!);
    expect([ring!.getAttribute('fill'), ring!.getAttribute('stroke')]).toEqual(['none', '#2563eb']);
    expect([dash!.tagName.toLowerCase(), dash!.getAttribute('stroke-dasharray'), dash!.getAttribute('stroke-opacity')]).toEqual(['line', '4,3', '0.45']);
    expect([band!.getAttribute('fill'), band!.getAttribute('fill-opacity')]).toEqual(['currentColor', '0.07']);
  });
});
