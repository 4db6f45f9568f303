// Build-time chart rendering: a linkedom document for Plot, and SVG markup without inline <style> (CSP).
import { parseHTML } from 'linkedom';

export function serverDocument(): Document {
  return parseHTML('<!doctype html><html><body></body></html>').document as unknown as Document;
}

/** Markup of a rendered chart. Plot's <style> elements and style attributes are removed: the CSP forbids inline styles and the site CSS covers them. */
export function chartMarkup(node: Element): string {
  for (const s of node.querySelectorAll('style')) s.remove();
  for (const el of [node, ...node.querySelectorAll('[style]')]) el.removeAttribute('style');
  return node.outerHTML;
}
