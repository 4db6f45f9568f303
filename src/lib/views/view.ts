// A view is one panel of a page: a query for the current filters, and a render of its rows. The page's frontmatter
// renders it under linkedom for the first paint (views/ssr.ts); in the browser a ViewElement (ui/view-element.ts)
// runs the same query in DuckDB-WASM and calls the same render. One renderer per panel, never a JSX copy.
import type { CollabConfig } from '../config.ts';
import type { QuerySpec } from '../db/connector.ts';

/** What a render needs besides its rows: the document to build in, links' base path, the configuration. */
export interface ViewCtx {
  readonly doc: Document;
  readonly base: string;
  readonly config: CollabConfig;
  /** Agents without a static page (their links open the agents index panel); null when every agent has one. */
  readonly unpaged: ReadonlySet<string> | null;
}

/** Runs a query where the view is drawn: DuckDB's Node API at build time, DuckDB-WASM (cached) in the browser. */
export type Run = <T>(spec: QuerySpec) => Promise<T[]>;

export interface View<F, R> {
  /** The panel's name: its slot is `[data-view="<name>"]`, its "view the SQL" link `[data-sql-for="<name>"]`. */
  readonly name: string;
  query(filters: F, config: CollabConfig): QuerySpec;
  /**
   * Optional: the rows when one query is not the whole answer (the lineage graph: nodes and edges, then a layout).
   * Without it the rows are `run(query(filters, config))`; `query` stays what "view the SQL" shows.
   */
  load?(filters: F, config: CollabConfig, run: Run): Promise<R[]>;
  /** The panel's content for these rows. Data only ever becomes text nodes and attribute values, never markup. */
  render(rows: readonly R[], ctx: ViewCtx, filters: F): Element;
}

type Child = Node | string | null | undefined | false;
export type Attrs = Record<string, string | number | boolean | null | undefined>;

/** Create an element in `doc`; children are nodes or text (text nodes: data never becomes markup). */
export function el(doc: Document, tag: string, attrs: Attrs = {}, ...children: Child[]): HTMLElement {
  const e = doc.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    e.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children) if (c !== null && c !== undefined && c !== false) e.append(typeof c === 'string' ? doc.createTextNode(c) : c);
  return e;
}
