// Build-time context shared by pages: the manifest, the validated collaboration config and the Node connector.
import { parseConfig, DEFAULT_CONFIG, type CollabConfig } from './config.ts';
import { coverageOf, isMissing, type Coverage, type Need } from './coverage.ts';
import type { Manifest, QuerySpec } from './db/connector.ts';
import { runQuery } from './db/connector.ts';
import { getBuildConnector, readManifest, type NodeConnector } from './db/node.ts';
import { hasAgentPage, maxAgentPages } from './agent-pages.ts';
import { agentSummaries, type AgentSummaryRow } from './queries/agents.sql.ts';

export interface SiteData {
  manifest: Manifest | null;
  config: CollabConfig;
  synthetic: boolean;
  /** Which export parts the data was built from (null for a manifest without coverage: nothing counts as missing). */
  coverage: Coverage | null;
  /** True when no part that supplies `need` was in the export: its counts are unknown, and the page says so. */
  missing(need: Need): boolean;
  db: NodeConnector | null;
  /** Run a builder's query at build time; [] when no data has been built. */
  rows<Row>(spec: QuerySpec): Promise<Row[]>;
  /** True when every table the query reads is published. */
  has(spec: QuerySpec): boolean;
  /** Agents without a static page (beyond ATLAS_MAX_AGENT_PAGES, or not page-safe); links go to the index panel. */
  unpaged(): Promise<ReadonlySet<string>>;
}

let cached: Promise<SiteData> | null = null;

export function siteData(): Promise<SiteData> {
  cached ??= (async () => {
    const manifest = readManifest();
    const config = manifest && typeof manifest['config'] === 'object' ? parseConfig(manifest['config'], 'manifest.json config') : DEFAULT_CONFIG;
    const db = manifest ? await getBuildConnector() : null;
    const has = (spec: QuerySpec): boolean => manifest !== null && spec.tables.every((t) => t in manifest.tables);
    const rows = async <Row,>(spec: QuerySpec): Promise<Row[]> => (!db || !has(spec) ? [] : runQuery<Row>(db, spec));
    let unpaged: Promise<ReadonlySet<string>> | null = null;
    const coverage = coverageOf(manifest);
    return {
      manifest,
      config,
      synthetic: config.synthetic,
      coverage,
      missing: (need: Need) => isMissing(coverage, need),
      db,
      has,
      rows,
      unpaged() {
        const cap = maxAgentPages();
        unpaged ??= rows<AgentSummaryRow>(agentSummaries(config)).then((all) => new Set(all.filter((r) => !hasAgentPage(r, cap)).map((r) => r.agent_id)));
        return unpaged;
      },
    };
  })();
  return cached;
}
