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

/** The boxes a batch of DOM changes can have made (or stopped) scrolling: those changed inside, and those added. */
function touchedBoxes(records: readonly MutationRecord[], into: Set<HTMLElement>): void {
  for (const r of records) {
    const at = r.target instanceof Element ? r.target : r.target.parentElement;
    const box = at?.closest<HTMLElement>(BOXES);
    if (box) into.add(box);
    for (const n of r.addedNodes) {
      if (!(n instanceof HTMLElement)) continue;
      if (n.matches(BOXES)) into.add(n);
      for (const b of n.querySelectorAll<HTMLElement>(BOXES)) into.add(b);
    }
  }
}

/**
 * Mark every box now, every box again after a resize, and after DOM changes only the boxes they touched: a change
 * elsewhere (the SQL console's grid, a status line) does not make the page measure every box again.
 */
export function watchScrollRegions(root: ParentNode = document): void {
  let queued = false;
  let all = false;
  const touched = new Set<HTMLElement>();
  const run = () => {
    queued = false;
    const boxes = all ? root.querySelectorAll<HTMLElement>(BOXES) : touched;
    for (const box of boxes) if (box.isConnected) mark(box);
    all = false;
    touched.clear();
  };
  const queue = () => {
    if (!queued) {
      queued = true;
      requestAnimationFrame(run);
    }
  };
  all = true;
  run();
  addEventListener('resize', () => {
    all = true;
    queue();
  });
  new MutationObserver((records) => {
    touchedBoxes(records, touched);
    if (touched.size) queue();
  }).observe(document.body, { childList: true, subtree: true });
}
