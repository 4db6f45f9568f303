// Build time: run a view's query through DuckDB's Node API and render it under linkedom, for the page's first paint.
import { chartMarkup, serverDocument } from '../charts/ssr.ts';
import type { QuerySpec } from '../db/connector.ts';
import { siteData } from '../site-data.ts';
import { labelTableCells } from './parts.ts';
import type { Run, View } from './view.ts';

export interface RenderedView<R> {
  /** The panel's markup, for `set:html` inside its `[data-view]` slot. */
  html: string;
  spec: QuerySpec;
  rows: R[];
}

export async function renderView<F, R>(view: View<F, R>, filters: F, base: string): Promise<RenderedView<R>> {
  const site = await siteData();
  const run: Run = (s) => site.rows(s);
  const rows = view.load ? await view.load(filters, site.config, run) : await run<R>(view.query(filters, site.config));
  return renderRows(view, rows, filters, base);
}

/** A view drawn from rows the page already has (a page per agent takes its slice of one query run for all agents). */
export async function renderRows<F, R>(view: View<F, R>, rows: R[], filters: F, base: string): Promise<RenderedView<R>> {
  const site = await siteData();
  const node = view.render(rows, { doc: serverDocument(), base, config: site.config, unpaged: await site.unpaged() }, filters);
  labelTableCells(node);
  // As a chart's markup: no inline styles (the CSP), coordinates rounded (a view may hold a chart).
  return { html: chartMarkup(node), spec: view.query(filters, site.config), rows };
}
