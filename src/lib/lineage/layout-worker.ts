// Web worker: runs layoutLineage (dagre) off the main thread, so the page keeps scrolling and typing while a view is laid out.
import { layoutLineage, type LayoutOptions } from './layout.ts';
import type { LineageView } from './view.ts';

export interface LayoutRequest {
  id: number;
  view: Pick<LineageView, 'nodes' | 'edges'>;
  options?: LayoutOptions;
}

self.onmessage = (e: MessageEvent<LayoutRequest>) => {
  const { id, view, options } = e.data;
  try {
    self.postMessage({ id, layout: layoutLineage(view, options) });
  } catch (err) {
    self.postMessage({ id, error: err instanceof Error ? err.message : String(err) });
  }
};
