// Scroll regions a keyboard can reach: a chart or table wider (or taller) than its box scrolls inside it, and a
// reader without a pointer must be able to focus the box to scroll it with the arrow keys (WCAG 2.1.1; axe rule
// scrollable-region-focusable). Boxes that scroll and hold nothing focusable get tabindex 0, and a name when they
// have none; re-checked when the page is resized or a panel is redrawn.
const BOXES = 'figure.chart, .table-wrap, .scroll-box, .chart-scroll';
const FOCUSABLE = 'a[href], button, input, select, textarea, summary, [tabindex]:not([tabindex="-1"])';

function mark(box: HTMLElement): void {
  const scrolls = box.scrollWidth > box.clientWidth + 1 || box.scrollHeight > box.clientHeight + 1;
  if (box.dataset['scrollFocus'] === 'set' && !scrolls) {
    box.removeAttribute('tabindex');
    delete box.dataset['scrollFocus'];
    return;
  }
  if (!scrolls || box.hasAttribute('tabindex') || box.querySelector(FOCUSABLE)) return;
  box.tabIndex = 0;
  box.dataset['scrollFocus'] = 'set';
  if (!box.hasAttribute('aria-label') && !box.hasAttribute('aria-labelledby')) {
    const name = box.querySelector('figcaption, [aria-label]');
    box.setAttribute('aria-label', `${name?.textContent?.trim() || name?.getAttribute('aria-label') || 'Scrollable content'} (scrolls)`);
  }
  if (!box.hasAttribute('role') && box.tagName !== 'FIGURE') box.setAttribute('role', 'region');
}

export function watchScrollRegions(root: ParentNode = document): void {
  let queued = false;
  const run = () => {
    queued = false;
    for (const box of root.querySelectorAll<HTMLElement>(BOXES)) mark(box);
  };
  const queue = () => {
    if (!queued) {
      queued = true;
      requestAnimationFrame(run);
    }
  };
  run();
  addEventListener('resize', queue);
  new MutationObserver(queue).observe(document.body, { childList: true, subtree: true });
}
