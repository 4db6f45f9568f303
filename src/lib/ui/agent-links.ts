// Agent links in the browser: which handles have no static page, fetched once per page and only when the page says
// some exist (the site build publishes agents/unpaged.json; <body data-agent-pages="partial">).
import { unpagedListHref } from '../links.ts';

let unpaged: Promise<ReadonlySet<string> | null> | null = null;

/** The agents without a static page, or null when every page-safe handle has one (nothing is fetched then). */
export function unpagedAgents(base: string): Promise<ReadonlySet<string> | null> {
  unpaged ??=
    document.body.dataset['agentPages'] !== 'partial'
      ? Promise.resolve(null)
      : fetch(unpagedListHref(base))
          .then((r) => (r.ok ? (r.json() as Promise<string[]>) : []))
          .then((ids) => new Set(ids))
          .catch(() => null);
  return unpaged;
}
