// Build-time chart rendering: a linkedom document for Plot, and SVG markup without inline <style> (CSP).
import { parseHTML } from 'linkedom';

export function serverDocument(): Document {
  return parseHTML('<!doctype html><html><body></body></html>').document as unknown as Document;
}

/** Geometry attributes whose numbers are rounded to 1/100 px (Plot writes up to 17 digits; the page ships every one). */
const GEOMETRY = ['x', 'y', 'x1', 'x2', 'y1', 'y2', 'cx', 'cy', 'r', 'width', 'height', 'd', 'transform', 'points', 'fill-opacity', 'stroke-opacity'];
const LONG_NUMBER = /-?\d*\.\d{3,}/g;
const HAS_LONG_NUMBER = /\.\d{3}/;

/**
 * Markup of a rendered chart. Plot's <style> elements and style attributes are removed: the CSP forbids inline
 * styles and the site CSS covers them. Coordinates are rounded to two decimals, invisible on screen.
 */
export function chartMarkup(node: Element): string {
  for (const s of node.querySelectorAll('style')) s.remove();
  for (const el of [node, ...node.querySelectorAll('[style]')]) el.removeAttribute('style');
  for (const el of [node, ...node.querySelectorAll('*')]) {
    for (const a of GEOMETRY) {
      const v = el.getAttribute(a);
      if (v && HAS_LONG_NUMBER.test(v)) el.setAttribute(a, v.replace(LONG_NUMBER, (m) => String(Math.round(Number(m) * 100) / 100)));
    }
  }
  return node.outerHTML;
}
