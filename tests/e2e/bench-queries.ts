// Interactive queries for the site benchmark, run through the page's own connector (`globalThis.atlas`): the queries
// the pages run when a reader filters or searches, built with the views' own query builders, on values picked from
// the data (the agent with most results, a relay kind, an interaction kind, words of the board).
import type { Page } from 'playwright-core';
import type { CollabConfig } from '../../src/lib/config.ts';
import type { QuerySpec } from '../../src/lib/db/connector.ts';
import { consoleExamples } from '../../src/lib/console/examples.ts';
import { agentResults, agentSummaries, agentSummarySql } from '../../src/lib/queries/agents.sql.ts';
import { boardFeed } from '../../src/lib/queries/board-feed.sql.ts';
import { ITEMS_CTE, boardMessages, messagesWhere } from '../../src/lib/queries/board.sql.ts';
import { MESSAGE_TEXT_SQL } from '../../src/lib/queries/board-search.sql.ts';
import { FIRST_CARDS, MORE_CARDS, episodeCards } from '../../src/lib/queries/episodes.sql.ts';
import { leaderboard, leaderboardPage, leaderboardPoints } from '../../src/lib/queries/leaderboard.sql.ts';
import { BROWSER_PAGE } from '../../src/lib/views/leaderboard-table.ts';
import { graphNodes } from '../../src/lib/queries/lineage-page.sql.ts';
import { relayChainsRanked } from '../../src/lib/queries/relays.sql.ts';
import { RELAY_TABLE_ROWS } from '../../src/lib/views/relay-table.ts';

export interface NamedQuery {
  key: string;
  label: string;
  spec: QuerySpec;
}

type Atlas = { query: (s: string, p?: unknown[]) => Promise<Record<string, unknown>[]> };

/** One value from the page's database (the first column of the first row), '' when there is none. */
async function pick(page: Page, sql: string): Promise<string> {
  const rows = await page.evaluate((s) => (globalThis as unknown as { atlas: Atlas }).atlas.query(s), sql).catch(() => []);
  const v = rows[0] ? Object.values(rows[0])[0] : null;
  return v === null || v === undefined ? '' : String(v);
}

/** The board's search box as a reader types it: words, a punctuated piece, a one-letter word, no word at all. */
const SEARCHES = [
  { key: 'q_search', q: 'speculative', note: 'one word' },
  { key: 'q_search_2', q: 'spec decoding', note: 'two word starts' },
  { key: 'q_search_punct', q: 'lm_head', note: 'a piece with punctuation, matched as typed: a substring of search_text' },
  { key: 'q_search_1', q: 's', note: 'one letter: every word starting with s' },
  { key: 'q_search_scan', q: '%', note: 'no word: a substring of search_text, every message scanned' },
] as const;

/** The board search as main had it before the index (scan, then every message joined to its thread and root). */
function mainSearch(q: string): QuerySpec {
  return {
    tables: ['messages', 'results', 'threads'],
    params: [q],
    sql: `WITH ${ITEMS_CTE}
SELECT m.filename, m.ts, m.agent, m.type, m.kind, m.headline, m.excerpt, m.body_md, m.mentions,
  t.thread_id, t.depth, t.parent, t.thread_size, r.headline AS root_headline,
  count(*) OVER () AS total
FROM messages m
LEFT JOIN threads t ON t.filename = m.filename
LEFT JOIN items r ON r.filename = t.thread_id
WHERE contains(${MESSAGE_TEXT_SQL}, lower(?))
ORDER BY m.ts DESC NULLS LAST, m.filename DESC
LIMIT 50 OFFSET 0`,
  };
}

/** The same scan with today's joins (only the page's threads and roots looked up), to separate the two gains. */
function scanSearch(q: string): QuerySpec {
  return messagesWhere({ where: `WHERE contains(${MESSAGE_TEXT_SQL}, lower(?))`, params: [q], tables: [] }, { limit: 50 });
}

export async function typicalQueries(page: Page, config: CollabConfig): Promise<NamedQuery[]> {
  const agent = await pick(page, 'SELECT agent FROM results WHERE agent IS NOT NULL GROUP BY agent ORDER BY count(*) DESC, agent LIMIT 1');
  const relayKind = await pick(page, 'SELECT kind FROM relay_chains GROUP BY kind ORDER BY count(*) DESC, kind LIMIT 1');
  const episodeKind = await pick(page, 'SELECT kind FROM episodes GROUP BY kind ORDER BY count(*) DESC, kind LIMIT 1');
  const author = await pick(page, 'SELECT agent FROM messages WHERE agent IS NOT NULL GROUP BY agent ORDER BY count(*) DESC, agent LIMIT 1');
  // The SQL console's canned examples offered on this site (those whose tables are published), as a reader runs them.
  const manifest = (await (await fetch(new URL('data/manifest.json', page.url()))).json()) as { tables: Record<string, TableEntry> };
  const examples = consoleExamples(config, Object.keys(manifest.tables)).map((e) => ({
    key: `q_console_${e.id}`,
    label: `SQL console example \`${e.id}\`, run in the console (its grid drawn)`,
    spec: { tables: [...e.tables], sql: e.sql },
  }));
  const queries: NamedQuery[] = [
    // The leaderboard page's two queries: the table's page (the rows it draws and the counts) and the chart's points.
    { key: 'q_leaderboard', label: `leaderboard table, agent filter (\`${agent}\`, most results)`, spec: leaderboardPage(config, { agent }, BROWSER_PAGE) },
    { key: 'q_leaderboard_points', label: `leaderboard chart, agent filter (\`${agent}\`)`, spec: leaderboardPoints(config, { agent }) },
    { key: 'q_leaderboard_all', label: 'leaderboard table, no filter (every result; its first rows drawn)', spec: leaderboardPage(config, {}, BROWSER_PAGE) },
    { key: 'q_leaderboard_points_all', label: 'leaderboard chart, no filter (every result, the columns it draws)', spec: leaderboardPoints(config, {}) },
    { key: 'q_leaderboard_whole', label: 'leaderboard, no filter, the whole list as the table loaded it before (every column of every result)', spec: leaderboard(config, {}) },
    ...SEARCHES.map((s) => ({ key: s.key, label: `board search "${s.q}" (${s.note}; newest 50)`, spec: boardMessages({ q: s.q }, { limit: 50 }) })),
    { key: 'q_search_main', label: 'board search "speculative" as on main before this branch (substring scan, every message joined to its thread; newest 50)', spec: mainSearch('speculative') },
    { key: 'q_search_before', label: 'board search "speculative" as a substring scan with the new joins (no index; newest 50)', spec: scanSearch('speculative') },
    { key: 'q_search_punct_before', label: 'board search "lm_head" as before search_text (lower() of every message at each search; newest 50)', spec: scanSearch('lm_head') },
    { key: 'q_board_agent', label: `board, author filter (\`${author}\`, most messages; newest 50)`, spec: boardMessages({ agent: author }, { limit: 50 }) },
    { key: 'q_feed_search', label: 'board feed, search "speculative" (first 20)', spec: boardFeed({ q: 'speculative', order: 'new' }, { limit: 20 }) },
    { key: 'q_lineage_agent', label: `lineage, agent filter (\`${agent}\`)`, spec: graphNodes({ agent }) },
    { key: 'q_relays_kind', label: `relays table, kind filter (\`${relayKind}\`; its first ${RELAY_TABLE_ROWS} and the count)`, spec: relayChainsRanked(config, { kind: relayKind, limit: RELAY_TABLE_ROWS }, { total: true }) },
    { key: 'q_relays_all', label: `relays table, every kind (its first ${RELAY_TABLE_ROWS} and the count)`, spec: relayChainsRanked(config, { limit: RELAY_TABLE_ROWS }, { total: true }) },
    { key: 'q_interactions', label: `interactions, kind filter (\`${episodeKind}\`; its first ${FIRST_CARDS} cards)`, spec: episodeCards({ kind: episodeKind, agent: null }) },
    { key: 'q_interactions_more', label: `interactions, kind filter, after "Show more" (\`${episodeKind}\`: ${FIRST_CARDS + MORE_CARDS} cards)`, spec: episodeCards({ kind: episodeKind, agent: null }, { perKind: { [episodeKind]: FIRST_CARDS + MORE_CARDS } }) },
    { key: 'q_agent_summary', label: `agent page summary (\`${agent}\`; a lookup in agent_summary)`, spec: agentSummaries(config, agent) },
    {
      key: 'q_agent_summary_before',
      label: `agent page summary (\`${agent}\`) as before agent_summary: its SQL over agents, messages, results and runs`,
      spec: { tables: ['agents', 'messages', 'results', 'runs'], params: [agent], sql: `SELECT * FROM (${agentSummarySql(config)}) WHERE agent_id = ? ORDER BY activity_rank` },
    },
    { key: 'q_agent_results', label: `agent page results (\`${agent}\`)`, spec: agentResults(agent) },
    {
      key: 'q_groupby',
      label: 'runs grouped by agent (count, best, median)',
      spec: {
        tables: ['runs'],
        sql: `SELECT agent, count(*) AS runs, count(*) FILTER (WHERE status = 'completed') AS completed,
  max(score) AS best, median(score) AS median_score
FROM runs WHERE duplicate_of IS NULL GROUP BY agent ORDER BY best DESC NULLS LAST, agent`,
      },
    },
    ...examples,
  ];
  // A site built before a table existed (an older build compared with --dist) cannot run the queries that read it.
  const runnable = queries.filter((q) => q.spec.tables.every((t) => t in manifest.tables));
  for (const q of queries) if (!runnable.includes(q)) console.error(`bench: ${page.url()}: ${q.key} skipped (reads ${q.spec.tables.filter((t) => !(t in manifest.tables)).join(', ')}, not in this build)`);
  // What each query makes the page download: the tables it reads (all of them, whole) and their bytes.
  return runnable.map((q) => ({ ...q, label: `${q.label}; reads ${readsText(q.spec.tables, manifest.tables)}` }));
}

type TableEntry = { bytes?: number; parts?: { bytes: number }[] };

function readsText(tables: readonly string[], entries: Record<string, TableEntry>): string {
  const bytes = (t: string) => entries[t]?.bytes ?? (entries[t]?.parts ?? []).reduce((a, p) => a + p.bytes, 0);
  const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`;
  const uniq = [...new Set(tables)];
  return `${uniq.map((t) => `${t} ${mb(bytes(t))}`).join(', ')} = ${mb(uniq.reduce((a, t) => a + bytes(t), 0))}`;
}

/** Load the tables the queries read, then time each query: the first call and the median of `reps` more. The SQL
 * console's examples are timed in the console itself (its own page, runner and grid), as a reader runs them. */
export async function timeQueries(page: Page, queries: NamedQuery[], reps: number): Promise<Record<string, number>> {
  const inConsole = queries.filter((q) => q.key.startsWith('q_console_'));
  const out = await timeInPage(page, queries.filter((q) => !inConsole.includes(q)), reps);
  return { ...out, ...(inConsole.length ? await timeInConsole(page, inConsole, reps) : {}) };
}

/**
 * Each query typed into the SQL page's console and run there, as a reader does (`run()`: the console's runner, which
 * keeps the result as Arrow and converts only the rows the grid shows, then the grid drawn), timed until the frame
 * after it is painted. The first run of each
 * also loads its tables into that page's DuckDB; the median of `reps` more is the figure.
 */
async function timeInConsole(page: Page, queries: NamedQuery[], reps: number): Promise<Record<string, number>> {
  const sqlPage = await page.context().newPage();
  try {
    await sqlPage.goto(new URL('sql/', page.url()).href);
    await sqlPage.waitForFunction(() => (document.querySelector('atlas-sql-console') as unknown as { editor: unknown } | null)?.editor, null, { timeout: 120_000 });
    return await sqlPage.evaluate(
      async ({ qs, reps }) => {
        type Console = HTMLElement & { editor: { setText(t: string): void }; run(o: { push?: boolean }): Promise<void>; result: { rowCount: number } | null };
        const c = document.querySelector('atlas-sql-console') as Console;
        const out: Record<string, number> = {};
        for (const q of qs) {
          const times: number[] = [];
          const firstRows: number[] = [];
          for (let i = 0; i <= reps; i++) {
            c.editor.setText(q.sql);
            const t0 = performance.now();
            // A long result is drawn from its first batch while the rest is read: the frame after that drawing is
            // when the reader first sees rows (no event: the whole result is drawn at once, as timed below).
            let seen = Number.NaN;
            // (Inline, unnamed callbacks: tsx would wrap a named one in a `__name` helper the page does not have.)
            const stop = new AbortController();
            c.addEventListener(
              'atlas-first-rows',
              () =>
                requestAnimationFrame(() => {
                  const ch = new MessageChannel();
                  ch.port1.onmessage = () => {
                    seen = performance.now() - t0;
                  };
                  ch.port2.postMessage(null);
                }),
              { once: true, signal: stop.signal },
            );
            await c.run({ push: false });
            // Until the result is on screen: the frame after the run (its style, layout and paint) is part of it.
            await new Promise((r) => requestAnimationFrame(() => {
              const ch = new MessageChannel();
              ch.port1.onmessage = () => r(null);
              ch.port2.postMessage(null);
            }));
            stop.abort();
            const ms = performance.now() - t0;
            if (c.dataset['state'] !== 'done') throw new Error(`console: ${q.key} ended ${c.dataset['state']}`);
            const first = Number.isNaN(seen) ? ms : Math.min(seen, ms);
            if (i === 0) {
              out[`${q.key}_first`] = ms;
              out[`${q.key}_rows`] = c.result?.rowCount ?? -1;
            } else {
              times.push(ms);
              firstRows.push(first);
            }
          }
          times.sort((a, b) => a - b);
          firstRows.sort((a, b) => a - b);
          out[q.key] = times[Math.floor((times.length - 1) / 2)]!;
          out[`${q.key}_firstrows`] = firstRows[Math.floor((firstRows.length - 1) / 2)]!;
        }
        return out;
      },
      { qs: queries.map((q) => ({ key: q.key, sql: q.spec.sql })), reps },
    );
  } finally {
    await sqlPage.close();
  }
}

async function timeInPage(page: Page, queries: NamedQuery[], reps: number): Promise<Record<string, number>> {
  return page.evaluate(
    async ({ qs, reps }) => {
      type Atlas = {
        query: (s: string, p?: unknown[]) => Promise<unknown[]>;
        ensureTables: (t: string[]) => Promise<void>;
      };
      const atlas = (globalThis as unknown as { atlas: Atlas }).atlas;
      const out: Record<string, number> = {};
      // The search index apart: it is what a first search loads beyond the messages the board has loaded anyway.
      // (No named function in here: tsx would wrap it in a `__name` helper the page does not have.)
      const tables = [...new Set(qs.flatMap((q) => q.tables))];
      let t0 = performance.now();
      await atlas.ensureTables(tables.filter((t) => !t.startsWith('search_')));
      out['tables_load'] = performance.now() - t0;
      t0 = performance.now();
      await atlas.ensureTables(tables.filter((t) => t.startsWith('search_')));
      out['index_load'] = performance.now() - t0;
      for (const q of qs) {
        t0 = performance.now();
        const rows = await atlas.query(q.sql, q.params);
        out[`${q.key}_first`] = performance.now() - t0;
        out[`${q.key}_rows`] = rows.length;
        const times: number[] = [];
        for (let i = 0; i < reps; i++) {
          t0 = performance.now();
          await atlas.query(q.sql, q.params);
          times.push(performance.now() - t0);
        }
        times.sort((a, b) => a - b);
        out[q.key] = times[Math.floor((times.length - 1) / 2)]!;
      }
      return out;
    },
    { qs: queries.map((q) => ({ key: q.key, sql: q.spec.sql, params: [...(q.spec.params ?? [])], tables: [...q.spec.tables] })), reps },
  );
}

/** A reader's action on a page, timed as they wait for it: the view's queries and its drawing (state ready, and the frame after). */
interface Interaction {
  key: string;
  label: string;
  /** The page, opened first in the state the action leaves. */
  path: string;
  /** Its view element. */
  tag: string;
  /** The state the action sets (merged into the element's current state). */
  state: Record<string, unknown>;
}

export const INTERACTIONS: readonly Interaction[] = [
  { key: 'p_leaderboard_clear', label: 'leaderboard page: clear an agent filter (every result: its table drawn)', path: 'leaderboard/?agent=', tag: 'atlas-leaderboard', state: { agent: null } },
  { key: 'p_relays_all', label: 'relays page: show every kind (the table drawn)', path: 'relays/?kind=handoff', tag: 'atlas-relays', state: { kind: 'all' } },
];

/**
 * Each interaction on its page in this browser context: open the page in a filtered state, then set the state the
 * action sets and time until the view is drawn (the first call, then the median of `reps`, toggling back between them).
 * `agent` fills an empty `agent=` in the path (the agent with most results).
 */
export async function timeInteractions(page: Page, agent: string, reps: number): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const it of INTERACTIONS) {
    const p = await page.context().newPage();
    try {
      await p.goto(new URL(it.path.replace(/agent=$/, `agent=${encodeURIComponent(agent)}`), page.url()).href);
      const times = await p.evaluate(
        async ({ tag, state, reps }) => {
          type ViewEl = HTMLElement & { state: Record<string, unknown>; set(s: Record<string, unknown>): void };
          for (;;) {
            const e = document.querySelector<HTMLElement>(tag);
            if (e?.dataset['state'] === 'ready' || e?.dataset['state'] === 'error') break;
            await new Promise((r) => setTimeout(r, 10));
          }
          const el = document.querySelector(tag) as ViewEl;
          const before = { ...el.state };
          const ms: number[] = [];
          const chart: number[] = [];
          for (let i = 0; i <= reps; i++) {
            const t0 = performance.now();
            el.set({ ...before, ...state });
            for (;;) {
              await new Promise((r) => setTimeout(r, 1));
              if (el.dataset['state'] === 'ready' || el.dataset['state'] === 'error') break;
            }
            await new Promise((r) =>
              requestAnimationFrame(() => {
                const ch = new MessageChannel();
                ch.port1.onmessage = () => r(null);
                ch.port2.postMessage(null);
              }),
            );
            ms.push(performance.now() - t0);
            if (el.dataset['state'] === 'error') throw new Error(`${tag}: the view failed`);
            // A view with a chart drawn after its table (data-chart): until that is drawn too.
            while (el.dataset['chart'] === 'loading') await new Promise((r) => setTimeout(r, 1));
            chart.push(el.dataset['chart'] === undefined ? Number.NaN : performance.now() - t0);
            // Back to the filtered state (not timed), so the next run draws the action's state again.
            el.set(before);
            for (;;) {
              await new Promise((r) => setTimeout(r, 5));
              const now = el.dataset['state'] as string | undefined;
              if ((now === 'ready' && el.dataset['chart'] !== 'loading') || now === 'error') break;
            }
          }
          return { ms, chart };
        },
        { tag: it.tag, state: it.state, reps },
      );
      const median = (xs: number[]): number => {
        const rest = xs.slice(1).sort((a, b) => a - b);
        return rest[Math.floor((rest.length - 1) / 2)]!;
      };
      out[`${it.key}_first`] = times.ms[0]!;
      out[it.key] = median(times.ms);
      out[`${it.key}_chart`] = median(times.chart);
    } finally {
      await p.close();
    }
  }
  return out;
}
