// The lineage layout (dagre) for the browser: in a worker, so a 200-result layout (half a second on a busy machine)
// does not freeze scrolling and typing; in this thread when workers are unavailable. Layouts are kept by what they
// show, so filters that choose the same subgraph (often the frontier view) and back/forward do not lay out again.
import { layoutLineage, type LineageLayout } from '../lineage/layout.ts';
import type { LayoutRequest } from '../lineage/layout-worker.ts';
import type { LineageView } from '../lineage/view.ts';

type Subgraph = Pick<LineageView, 'nodes' | 'edges'>;

let worker: Worker | null | undefined;
let nextId = 0;
const pending = new Map<number, { resolve: (l: LineageLayout) => void; reject: (e: Error) => void }>();

function startWorker(): Worker | null {
  try {
    const w = new Worker(new URL('../lineage/layout-worker.ts', import.meta.url), { type: 'module' });
    // Answers are matched to requests by id.
    w.onmessage = (e: MessageEvent<{ id: number; layout?: LineageLayout; error?: string }>) => {
      const p = pending.get(e.data.id);
      pending.delete(e.data.id);
      if (e.data.layout) p?.resolve(e.data.layout);
      else p?.reject(new Error(e.data.error ?? 'layout failed'));
    };
    w.onerror = () => {
      for (const p of pending.values()) p.reject(new Error('the layout worker failed'));
      pending.clear();
      worker = null;
    };
    return w;
  } catch {
    return null;
  }
}

function layoutOffThread(view: Subgraph): Promise<LineageLayout> {
  if (worker === undefined) worker = startWorker();
  const w = worker;
  if (!w) return Promise.resolve(layoutLineage(view));
  const id = ++nextId;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    w.postMessage({ id, view } satisfies LayoutRequest);
  });
}

/** Layouts kept (each of up to GRAPH_CAP nodes); the oldest goes first. */
const KEEP = 24;
const layouts = new Map<string, Promise<LineageLayout>>();

/** What a subgraph draws, as a key: its nodes in order and its edges. */
const subgraphKey = (v: Subgraph): string => `${v.nodes.map((n) => n.filename).join('\n')}\n#\n${v.edges.map((e) => `${e.parent}>${e.child}`).join('\n')}`;

/** Milliseconds the last layout took (0 when it was kept from before), for the benchmark. */
export let lastLayoutMs = 0;

/** The layout of a subgraph, laid out off the main thread once and then kept. A failed layout is not kept. */
export function layoutInBrowser(view: Subgraph): Promise<LineageLayout> {
  const key = subgraphKey(view);
  const hit = layouts.get(key);
  if (hit) {
    lastLayoutMs = 0;
    return hit;
  }
  const t0 = performance.now();
  const p = layoutOffThread({ nodes: view.nodes, edges: view.edges }).then((l) => {
    lastLayoutMs = performance.now() - t0;
    return l;
  });
  p.catch(() => layouts.delete(key));
  layouts.set(key, p);
  for (const k of layouts.keys()) if (layouts.size > KEEP) layouts.delete(k);
  return p;
}
