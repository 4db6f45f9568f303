// Run something once the page's first paint is done: a frame, then a task after that frame. Pages load their
// element code this way (the SQL console) so the first screen, rendered at build time, paints before any of it is fetched.
export function afterFirstPaint(run: () => void): void {
  if (document.visibilityState === 'hidden') {
    // No frames are rendered for a hidden tab: a task is the best there is.
    setTimeout(run, 0);
    return;
  }
  requestAnimationFrame(() => setTimeout(run, 0));
}
