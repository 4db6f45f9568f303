// Every agent and board link goes through src/lib/links.ts, which knows the base path and which agents have a static
// page: a link built by hand (a template path, or the page-only helpers outside the agents pages that own the page
// list) fails here. It is what gave agents beyond the page cap dead links from the noise, relays and leaderboard pages.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { agentUrl, agentHref, agentPanelHref, dataHref, pageHref, siteBase } from '../../../src/lib/links.ts';

const SRC = join(import.meta.dirname, '../../../src');
const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : /\.(ts|astro)$/.test(e.name) ? [join(dir, e.name)] : []));

/** Hand-built internal URLs that links.ts owns. */
const HAND_BUILT = [/agents\/\$\{/, /agents\/\?agent=/, /board\/\?focus=/];
/** The page-only helpers skip the fallback to the index panel; only the code that owns the page list may use them. */
const PAGE_ONLY = /(?<![.#\w])(agentHref|agentPanelHref)\(/;
const OWNERS = new Set(['lib/links.ts', 'pages/agents/[id].astro', 'pages/agents/index.astro', 'lib/ui/agents-element.ts']);

describe('internal links', () => {
  it('are built only by src/lib/links.ts', () => {
    const found: string[] = [];
    for (const f of files(SRC)) {
      const rel = relative(SRC, f);
      if (rel === 'lib/links.ts') continue;
      readFileSync(f, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          if (/^\s*(\/\/|\*|\/\*\*)/.test(line)) return; // comments may show a URL's shape
          if (HAND_BUILT.some((re) => re.test(line)) || (!OWNERS.has(rel) && PAGE_ONLY.test(line))) found.push(`${rel}:${i + 1}: ${line.trim()}`);
        });
    }
    expect(found).toEqual([]);
  });

  it('send an agent without a static page to the index panel', () => {
    const unpaged = new Set(['rare-agent']);
    expect(agentUrl('/atlas/', 'busy-agent', unpaged)).toBe(agentHref('/atlas/', 'busy-agent'));
    expect(agentUrl('/atlas/', 'rare-agent', unpaged)).toBe(agentPanelHref('/atlas/', 'rare-agent'));
    expect(agentUrl('/', 'rare-agent', null)).toBe('/agents/rare-agent/');
    // A handle that cannot be a folder name never has a page.
    expect(agentUrl('/', '..', null)).toBe('/agents/?agent=..');
    expect(agentUrl('/', 'a/b', null)).toBe('/agents/?agent=a%2Fb');
  });

  it('build page and data URLs under the base', () => {
    expect(siteBase('/atlas')).toBe('/atlas/');
    expect(siteBase('/')).toBe('/');
    expect(pageHref('/atlas/', 'overview')).toBe('/atlas/');
    expect(pageHref('/atlas/', 'methods')).toBe('/atlas/methods/');
    expect(pageHref('/', 'noise', 'buckets')).toBe('/noise/#buckets');
    expect(dataHref('/atlas/', 'rejects.parquet')).toBe('/atlas/data/rejects.parquet');
  });
});
