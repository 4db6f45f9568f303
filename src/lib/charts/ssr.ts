// Build-time chart rendering: a linkedom document for Plot, and SVG markup without inline <style> (CSP).
import { parseHTML } from 'linkedom';
import { tidyChart } from './tidy.ts';

export function serverDocument(): Document {
  return parseHTML('<!doctype html><html><body></body></html>').document as unknown as Document;
}

/** Markup of a rendered chart: tidied (no inline styles, coordinates rounded), serialised. */
export const chartMarkup = (node: Element): string => tidyChart(node).outerHTML;
