// A quick scan of a built dist/ with the checks of screens.test.ts, without the browser tests' site builds:
// `npx tsx tests/e2e/screens-scan.ts dist [page…]` prints what fails per page and screen.
import { startServer } from '../../scripts/serve.ts';
import { launchBrowser } from './harness.ts';
import { axeText, inspectScreen, runAxe } from './screens-checks.ts';
import { sitePages } from './site-build.ts';

const [dir = 'dist', ...only] = process.argv.slice(2);
const all = sitePages({ name: 'scan', outDir: dir, base: '/' });
const firsts = new Map<string, string>();
for (const p of all) if (p.split('/').length > 2 && !firsts.has(p.split('/')[0]!)) firsts.set(p.split('/')[0]!, p);
const pages = only.length ? only : [...all.filter((p) => p.split('/').length <= 2), ...firsts.values()];
const server = await startServer({ root: dir, base: '/', port: 0 });
for (const [width, height] of [[360, 740], [1440, 900]] as const) {
  for (const scheme of ['light', 'dark'] as const) {
    const b = await launchBrowser({ viewport: { width, height }, colorScheme: scheme });
    for (const path of pages) {
      await b.page.goto(`${server.url}${path}`);
      await b.page.waitForLoadState('networkidle', { timeout: 90_000 }).catch(() => console.log(`(/${path}: not idle after 90 s)`));
      const axe = await runAxe(b.page);
      const d = await b.page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
      const c = await inspectScreen(b.page, 11);
      const out = [
        axe.length ? axeText(axe) : '',
        d[0]! > d[1]! ? `hscroll ${d[0]} > ${d[1]}` : '',
        c.smallText.length ? `chart-text (${c.smallText.length}): ${c.smallText.slice(0, 4).join('; ')}` : '',
        c.chartsWithoutAlt.length ? `chart-alt: ${c.chartsWithoutAlt.join('; ')}` : '',
      ].filter(Boolean);
      console.log(`== /${path} ${width} ${scheme}${out.length ? `\n${out.join('\n')}` : ' ok'}`);
    }
    await b.close();
  }
}
await server.close();
