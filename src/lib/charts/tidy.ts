// A rendered chart made fit for the page, at build time or in the browser (no linkedom here: the browser imports it).

/** Geometry attributes whose numbers are rounded to 1/100 px (Plot writes up to 17 digits; the page ships every one). */
const GEOMETRY = ['x', 'y', 'x1', 'x2', 'y1', 'y2', 'cx', 'cy', 'r', 'width', 'height', 'd', 'transform', 'points', 'fill-opacity', 'stroke-opacity'];
const LONG_NUMBER = /-?\d*\.\d{3,}/g;
const HAS_LONG_NUMBER = /\.\d{3}/;

/**
 * The chart, changed in place: Plot's <style> elements and style attributes are removed (the CSP forbids inline
 * styles and the site CSS covers them) and coordinates are rounded to two decimals, invisible on screen.
 */
export function tidyChart<T extends Element>(node: T): T {
  for (const s of node.querySelectorAll('style')) s.remove();
  for (const el of [node, ...node.querySelectorAll('[style]')]) el.removeAttribute('style');
  // Plot names each mark's <g> with aria-label ("dot", "rule"): ARIA forbids a label on an element without a role,
  // and the names say nothing to a listener. The chart's own aria-label, description and caption speak for it.
  // A mark whose items are links stays in the tree, as a named group.
  for (const g of node.querySelectorAll('g[aria-label]')) {
    if (g.querySelector('a, [tabindex]')) g.setAttribute('role', 'group');
    else g.setAttribute('aria-hidden', 'true');
  }
  for (const el of [node, ...node.querySelectorAll('*')]) {
    for (const a of GEOMETRY) {
      const v = el.getAttribute(a);
      if (v && HAS_LONG_NUMBER.test(v)) el.setAttribute(a, v.replace(LONG_NUMBER, (m) => String(Math.round(Number(m) * 100) / 100)));
    }
  }
  return node;
}
