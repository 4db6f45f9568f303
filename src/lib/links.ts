// Site URLs shared by pages and custom elements: agent pages, board focus, so every link is built the same way.

/** `${base}agents/<id>/`: the agent's static page (ids are percent-encoded as one path segment). */
export const agentHref = (base: string, id: string): string => `${base}agents/${encodeURIComponent(id)}/`;

/** `${base}agents/?agent=<id>`: the index's client-side panel (for agents beyond the page cap). */
export const agentPanelHref = (base: string, id: string): string => `${base}agents/?agent=${encodeURIComponent(id)}`;

/**
 * Where a handle links: its static page, or the agents index panel when it has none (beyond the page cap, or a
 * handle that cannot be a folder name). `unpaged`: the agents without a page, from siteData().unpaged() at build
 * time or unpagedAgents() in the browser; null when every page-safe handle has a page.
 */
export const agentUrl = (base: string, id: string, unpaged: ReadonlySet<string> | null): string =>
  unpaged?.has(id) || !PAGE_SAFE_ID.test(id) ? agentPanelHref(base, id) : agentHref(base, id);

/** The list of agents without a static page, published by the site build when there are any. */
export const unpagedListHref = (base: string): string => `${base}agents/unpaged.json`;

/** `${base}board/?focus=<filename>`: a message or result with its thread, links and runs. */
export const focusHref = (base: string, filename: string): string => `${base}board/?focus=${encodeURIComponent(filename)}`;

/** `${base}relays/?…`: the relays page in a view state (`search` from stateSearch, '' for the default view). */
export const relaysHref = (base: string, search: string): string => `${base}relays/${search}`;

/**
 * Handles that can be a static page's folder name: one path segment with no dot-only name, no slash or
 * backslash, no control characters. Other handles (possible in a hand-edited export) get the client-side panel.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what this excludes.
export const PAGE_SAFE_ID = /^(?!\.{1,2}$)[^/\\?#%\u0000-\u001f\u007f]{1,80}$/u;

/** `${base}board/`: the board's thread list. */
export const boardHref = (base: string): string => `${base}board/`;

/** `${base}agents/`: the agents index. */
export const agentsIndexHref = (base: string): string => `${base}agents/`;

/** The board filtered by one of its URL filters (`agent`, `mention`, …). */
export const boardFilterHref = (base: string, key: string, value: string): string => `${base}board/?${key}=${encodeURIComponent(value)}`;

/** The leaderboard filtered by one of its URL filters (`agent`, `token`, …). */
export const leaderboardFilterHref = (base: string, key: string, value: string): string => `${base}leaderboard/?${key}=${encodeURIComponent(value)}`;

/** `${base}lineage/?technique=<token>`: the lineage graph filtered by a technique, with who already tried it. */
export const techniqueHref = (base: string, token: string): string => `${base}lineage/?technique=${encodeURIComponent(token)}`;

/** The lineage graph around one result (its ancestors and descendants). */
export const lineageFocusHref = (base: string, filename: string): string => `${base}lineage/?focus=${encodeURIComponent(filename)}`;

/** The lineage page in one of its views (graph: the full graph; the spine is the default, no parameter). */
export const lineageViewHref = (base: string, view: string): string => `${base}lineage/?view=${encodeURIComponent(view)}`;

/** The site's base path with one trailing slash (`/`, `/atlas/`), from Astro's BASE_URL unless given. */
export const siteBase = (baseUrl: string = import.meta.env.BASE_URL): string => baseUrl.replace(/\/?$/, '/');

/** The site's pages, by name. */
export const PAGES = ['overview', 'leaderboard', 'board', 'agents', 'lineage', 'relays', 'interactions', 'noise', 'sql', 'methods'] as const;
export type Page = (typeof PAGES)[number];

/** `${base}<page>/` (the overview is `${base}`), with an optional `#fragment`. */
export const pageHref = (base: string, page: Page, fragment = ''): string =>
  `${base}${page === 'overview' ? '' : `${page}/`}${fragment ? `#${fragment}` : ''}`;

/** `${base}data/<file>`: a published file (a table's Parquet, the manifest). */
export const dataHref = (base: string, file: string): string => `${base}data/${file}`;

/** The anchor id of an episode's card on the interactions page (the SQL twin is ANCHOR_SQL in queries/episodes.sql.ts). */
export const episodeAnchor = (episodeId: string): string => `ep-${episodeId.replace(/[^A-Za-z0-9_-]/g, '-')}`;

/** An episode's card: `${base}interactions/#<anchor>` (with a search string, the filters it is shown under). */
export const episodeHref = (base: string, episodeId: string, search = ''): string => `${base}interactions/${search}#${episodeAnchor(episodeId)}`;

/** The interactions page under filters: `${base}interactions/?kind=…&agent=…`. */
export const interactionsHref = (base: string, f: { kind?: string | null; agent?: string | null } = {}): string => {
  const q = new URLSearchParams();
  if (f.kind) q.set('kind', f.kind);
  if (f.agent) q.set('agent', f.agent);
  const s = q.toString();
  return `${base}interactions/${s ? `?${s}` : ''}`;
};

/** Where an evidence file opens: board messages and results in the board's focus view; other files have no page (null). */
export const evidenceHref = (base: string, file: string): string | null => {
  const m = /^(?:message_board|results|inbox\/[^/]+)\/([^/]+\.md)$/.exec(file);
  return m?.[1] ? focusHref(base, m[1]) : null;
};

/** `${base}agents/cards.json`: the agent cards' data (src/lib/ui/agent-card.ts). */
export const agentCardsHref = (base: string): string => `${base}agents/cards.json`;

/**
 * The inverse of agentUrl: the site base and handle an agent link points at (`<base>agents/<id>/` or
 * `<base>agents/?agent=<id>`), or null for any other link (the agents index itself included).
 */
export function agentOfUrl(url: URL): { base: string; id: string } | null {
  const panel = /^(.*\/)agents\/$/.exec(url.pathname);
  const id = panel ? url.searchParams.get('agent') : null;
  if (panel && id) return { base: panel[1]!, id };
  const page = /^(.*\/)agents\/([^/]+)\/$/.exec(url.pathname);
  if (!page) return null;
  try {
    return { base: page[1]!, id: decodeURIComponent(page[2]!) };
  } catch {
    return null;
  }
}

/** The board in one of its views: `threads` (the default) or `feed`; the feed's link targets its panel (#feed) so the
 * page shows it without JavaScript too. */
export const boardViewHref = (base: string, view: 'threads' | 'feed'): string => `${base}board/?view=${view}${view === 'feed' ? '#feed' : ''}`;
