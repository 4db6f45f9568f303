// Large scatters: density plus new-best dots above the point limit, every dot below it; step lines keep their corners.
import { describe, expect, it } from 'vitest';
import { bestSoFarChart } from '../../../src/lib/charts/best-so-far.ts';
import { leaderboardTimeline, secondaryChart } from '../../../src/lib/charts/leaderboard-timeline.ts';
import { chartMarkup, serverDocument } from '../../../src/lib/charts/ssr.ts';
import { newBests, POINT_LIMIT, stepChanges } from '../../../src/lib/charts/thin.ts';
import { DEFAULT_CONFIG } from '../../../src/lib/config.ts';
import type { BestSoFarRow } from '../../../src/lib/queries/overview.sql.ts';
import { storyOf } from '../../fixtures/chart-rows.ts';
import type { LeaderboardRow } from '../../../src/lib/queries/leaderboard.sql.ts';

/** A seeded walk of scores: mostly noise, slowly improving. */
function scores(n: number, seed = 3): number[] {
  let s = seed;
  const rand = (): number => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
  return Array.from({ length: n }, (_, i) => 100 + i * 0.01 + rand() * 40);
}

function bestRows(n: number): BestSoFarRow[] {
  return scores(n).map((score, i) => {
    const verification = i % 3 === 0 ? 'valid' : 'pending';
    const ts = new Date(Date.UTC(2026, 5, 8) + i * 60_000).toISOString();
    return { filename: `r${i}.md`, agent: `a${i % 40}`, ts, score, verification, over_cap: false, method: 'm' };
  });
}

describe('stepChanges and newBests', () => {
  it('keep the first and last rows and every change', () => {
    const rows = [1, 1, 2, 2, 2, 3, 3].map((v, i) => ({ i, v }));
    expect(stepChanges(rows, ['v']).map((r) => r.i)).toEqual([0, 2, 5, 6]);
    expect(stepChanges([], ['i'])).toEqual([]);
  });
  it('new bests follow the direction', () => {
    const rows = [5, 3, 7, 7, 2, 9].map((score) => ({ score }));
    expect(newBests(rows, true).map((r) => r.score)).toEqual([5, 7, 9]);
    expect(newBests(rows, false).map((r) => r.score)).toEqual([5, 3, 2]);
  });
});

describe('best-so-far chart', () => {
  it('draws every result as a dot below the point limit', () => {
    const rows = bestRows(300);
    const svg = bestSoFarChart(storyOf(rows), DEFAULT_CONFIG, [], { document: serverDocument() });
    // Every result is a dot; each record beyond noise also gets a ring.
    const story = storyOf(rows);
    const records = story.steps.filter((s) => s.gainClass === 'beyond').length;
    expect(svg.querySelectorAll('g[aria-label="dot"] circle').length).toBe(300 + records);
    expect(svg.querySelectorAll('g[aria-label="rect"] rect').length).toBe(0);
  });

  it('above it: a titled density of all results, dots for new bests only, and a small page', () => {
    const rows = bestRows(POINT_LIMIT * 10);
    const story = storyOf(rows);
    const svg = bestSoFarChart(story, DEFAULT_CONFIG, [], { document: serverDocument() });
    const records = story.steps.filter((s) => s.gainClass === 'beyond').length;
    expect(svg.querySelectorAll('g[aria-label="dot"] circle').length).toBe(story.steps.length + records);
    const cells = [...svg.querySelectorAll('g[aria-label="rect"] rect')];
    expect(cells.length).toBeGreaterThan(50);
    // Every result is counted in exactly one cell.
    const counted = cells.map((c) => Number(/^(\d+) results?$/.exec(c.querySelector('title')?.textContent ?? '')?.[1])).reduce((a, b) => a + b, 0);
    expect(counted).toBe(rows.length);
    expect(svg.querySelector('svg[aria-description]')?.getAttribute('aria-description')).toContain(`${rows.length} ranked results`);
    expect(chartMarkup(svg).length).toBeLessThan(150_000);
    // chartMarkup rounds geometry to 1/100 px.
    const geometry = cells.flatMap((c) => ['x', 'y', 'width', 'height'].map((a) => c.getAttribute(a) ?? ''));
    expect(geometry.every((v) => /^-?\d+(\.\d{1,2})?$/.test(v))).toBe(true);
  });
});

describe('leaderboard timeline', () => {
  const lbRows = (n: number): LeaderboardRow[] =>
    scores(n, 9).map((score, i) => ({
      filename: `r${i}.md`,
      ts: new Date(Date.UTC(2026, 5, 8) + i * 60_000).toISOString(),
      agent: `a${i % 40}`,
      score,
      secondary: null,
      secondary_source: null,
      secondary_evidence: null,
      value_conflicts: [],
      method: 'm',
      status: 'agent-run',
      verification: i % 2 ? 'valid' : 'pending',
      state: i % 2 ? 'valid' : 'pending',
      over_cap: null,
      description: null,
      source_part: 'results',
      submission: null,
      artifacts: null,
      links: null,
      ranked: true,
      tie_threshold: null,
      rank: i + 1,
    }));

  it('keeps a symbol per result below the limit and a density plus new bests above it', () => {
    const small = leaderboardTimeline(lbRows(200), [], DEFAULT_CONFIG, { document: serverDocument() });
    expect(small.querySelectorAll('g[aria-label="dot"] path').length).toBe(200);
    const rows = lbRows(POINT_LIMIT * 5);
    const big = leaderboardTimeline(rows, [], DEFAULT_CONFIG, { document: serverDocument() });
    expect(big.querySelectorAll('g[aria-label="dot"] path').length).toBe(newBests(rows, true).length);
    const counted = [...big.querySelectorAll('g[aria-label="rect"] rect')]
      .map((c) => Number(/^(\d+) results?$/.exec(c.querySelector('title')?.textContent ?? '')?.[1]))
      .reduce((a, b) => a + b, 0);
    expect(counted).toBe(rows.length);
    expect(chartMarkup(big).length).toBeLessThan(150_000);
  });

  it('names in its states legend only the states drawn as symbols', () => {
    // Invalid results that are never a new best: shaded in the density, not drawn as symbols, not in the legend.
    const rows = lbRows(POINT_LIMIT * 2).map((r, i) => (i % 7 === 3 ? { ...r, score: -1, verification: 'invalid', state: 'invalid', ranked: false } : r));
    const big = leaderboardTimeline(rows, [], DEFAULT_CONFIG, { document: serverDocument() });
    const named = [...big.querySelectorAll('ul.legend[aria-label="Result states"] li')].map((li) => li.getAttribute('data-series'));
    const drawn = new Set(newBests(rows.map((r) => ({ ...r, date: new Date(r.ts!) })), true).map((r) => r.state));
    expect(rows.some((r) => r.state === 'invalid')).toBe(true);
    expect(drawn.has('invalid')).toBe(false);
    expect(new Set(named)).toEqual(drawn);
    const small = leaderboardTimeline(rows.slice(0, 200), [], DEFAULT_CONFIG, { document: serverDocument() });
    expect([...small.querySelectorAll('ul.legend[aria-label="Result states"] li')].map((li) => li.getAttribute('data-series'))).toContain('invalid');
  });
});

describe('secondary chart', () => {
  it('keeps every result below the limit; above it a density and the trade-off frontier', () => {
    const config = { ...DEFAULT_CONFIG, secondary_field: 'ppl', secondary_label: 'PPL', secondary_cap: 2.5 };
    const rows = (n: number): LeaderboardRow[] =>
      scores(n, 5).map((score, i) => ({
        filename: `r${i}.md`,
        ts: new Date(Date.UTC(2026, 5, 8) + i * 60_000).toISOString(),
        agent: 'a',
        score,
        secondary: 2 + ((i * 7919) % 1000) / 1000,
        secondary_source: 'frontmatter',
        secondary_evidence: null,
        value_conflicts: [],
        method: 'm',
        status: 'agent-run',
        verification: 'valid',
        state: 'valid',
        over_cap: null,
        description: null,
        source_part: 'results',
        submission: null,
        artifacts: null,
        links: null,
        ranked: true,
        tie_threshold: null,
        rank: i + 1,
      }));
    const small = secondaryChart(rows(100), config, { document: serverDocument() })!;
    expect(small.querySelectorAll('g[aria-label="dot"] path').length).toBe(100);
    const many = rows(POINT_LIMIT * 4);
    const big = secondaryChart(many, config, { document: serverDocument() })!;
    // The frontier: sorted by the secondary, each point that beats every score at a lower secondary.
    const frontier = newBests([...many].sort((a, b) => a.secondary! - b.secondary!), true);
    expect(frontier.length).toBeGreaterThan(1);
    expect(big.querySelectorAll('g[aria-label="dot"] path').length).toBe(frontier.length);
    expect(chartMarkup(big).length).toBeLessThan(150_000);
  });
});
