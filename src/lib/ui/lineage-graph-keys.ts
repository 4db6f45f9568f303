// Interaction with a drawn lineage graph: wide click targets for thin edges, a roving tabindex over the nodes in time
// order (arrows move, Home/End jump), and the selection marked in the drawing.

/**
 * Make a freshly drawn graph interactive: a transparent, wider copy of each edge under the nodes (edges are thin),
 * the first node the graph's tab stop and the others focusable. Returns the node elements in order (edges' data-p
 * and data-c index into it).
 */
export function wireGraph(svg: SVGSVGElement): SVGElement[] {
  const els = [...svg.querySelectorAll<SVGElement>('.nodes > .n')];
  if (svg.querySelector('.hits')) return els;
  for (const n of els) if (n.getAttribute('tabindex') !== '0') n.setAttribute('tabindex', '-1');
  const ns = 'http://www.w3.org/2000/svg';
  const hits = document.createElementNS(ns, 'g');
  hits.setAttribute('class', 'hits');
  for (const e of svg.querySelectorAll<SVGPathElement>('path.e')) {
    const p = document.createElementNS(ns, 'path');
    p.setAttribute('class', 'hit');
    p.setAttribute('d', e.getAttribute('d') ?? '');
    p.dataset['p'] = e.dataset['p'] ?? '';
    p.dataset['c'] = e.dataset['c'] ?? '';
    hits.append(p);
  }
  svg.querySelector('.halos')?.before(hits);
  return els;
}

/** Make `node` the graph's one tab stop; with `move`, focus it and scroll it into view. */
export function focusNode(els: readonly SVGElement[], node: SVGElement, move = false): void {
  for (const n of els) if (n !== node && n.getAttribute('tabindex') === '0') n.setAttribute('tabindex', '-1');
  node.setAttribute('tabindex', '0');
  if (move) {
    node.focus();
    node.scrollIntoView?.({ block: 'nearest', inline: 'nearest' });
  }
}

/** A key on a node: arrows and Home/End move the tab stop; Enter or Space returns the node's filename, to open it. */
export function nodeKey(e: KeyboardEvent, els: readonly SVGElement[]): string | null {
  const node = (e.target as Element).closest?.<SVGElement>('.lineage-graph .n');
  if (!node) return null;
  const i = els.indexOf(node);
  const last = els.length - 1;
  const to = { ArrowRight: i + 1, ArrowDown: i + 1, ArrowLeft: i - 1, ArrowUp: i - 1, Home: 0, End: last }[e.key];
  if (e.key === 'Enter' || e.key === ' ') {
    e.preventDefault();
    return node.dataset['f'] ?? null;
  }
  if (to === undefined) return null;
  e.preventDefault();
  const next = els[Math.max(0, Math.min(last, to))];
  if (next) focusNode(els, next, true);
  return null;
}

/** Mark the selection: the node or the edge (by its ends' filenames), and the edges touching a selected node. */
export function highlight(svg: SVGSVGElement, els: readonly SVGElement[], node: string | null, edge: [string, string] | null): void {
  for (const e of svg.querySelectorAll('.sel, .hl')) e.classList.remove('sel', 'hl');
  const idx = (f: string): number => els.findIndex((n) => n.dataset['f'] === f);
  svg.classList.toggle('has-sel', node !== null || edge !== null);
  if (node !== null) {
    const i = idx(node);
    if (i < 0) return;
    els[i]?.classList.add('sel');
    for (const e of svg.querySelectorAll(`path.e[data-p="${i}"], path.e[data-c="${i}"]`)) e.classList.add('hl');
  } else if (edge) {
    svg.querySelector(`path.e[data-p="${idx(edge[0])}"][data-c="${idx(edge[1])}"]`)?.classList.add('sel');
  }
}
