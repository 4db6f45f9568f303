// The overview's story panels: the arc (what was achieved, who led when, what was noise), the best-so-far timeline with
// its moments, and "what changed when". One load (src/lib/story/story.ts) for all; drawn at build time and redrawn in
// the browser when the verified-only toggle changes.
import { bestSoFarChart } from '../charts/best-so-far.ts';
import { dayMonthText, dayText, minuteText, plural, ratioText, scoreText, signed } from '../format.ts';
import { agentUrl, focusHref } from '../links.ts';
import { bestSoFar } from '../queries/overview.sql.ts';
import { moments, type Moment } from '../story/moments.ts';
import { currentBest, isRecord, leadSpans, loadStory, type Story, type StoryFilters } from '../story/story.ts';
import type { BestStep } from '../ties.ts';
import type { BestSoFarRow } from '../queries/overview.sql.ts';
import { tieNote } from './tie-note.ts';
import { el, type ViewCtx } from './view.ts';
import type { View } from './view.ts';

/** "baseline → best (×)" and who holds the best. */
function achieved(story: Story, ctx: ViewCtx): HTMLElement {
  const { doc, config } = ctx;
  const cur = currentBest(story);
  if (!cur) return el(doc, 'p', { 'data-arc': 'achieved' }, story.scope === 'verified' ? 'No verified result yet.' : 'No eligible result yet.');
  const ratio = story.baseline === null || story.baseline === 0 ? null : config.higher_is_better ? cur.score / story.baseline : story.baseline / cur.score;
  const from = story.baseline === null ? 'The best' : `From the baseline of ${scoreText(story.baseline)} ${config.unit}, the best`;
  return el(
    doc,
    'p',
    { 'data-arc': 'achieved' },
    el(doc, 'strong', {}, 'What was achieved: '),
    `${from} reached ${scoreText(cur.score)} ${config.unit}${ratio === null ? '' : ` (${ratioText(ratio)})`}, by `,
    cur.item.agent ? el(doc, 'a', { href: agentUrl(ctx.base, cur.item.agent, ctx.unpaged) }, cur.item.agent) : 'an unknown agent',
    cur.item.verification === 'valid' ? ', verified.' : ', not yet verified.',
  );
}

/** Who led when: each agent who took the best beyond noise, from when. */
function whoLed(story: Story, ctx: ViewCtx): HTMLElement {
  const { doc } = ctx;
  const p = el(doc, 'p', { 'data-arc': 'leaders' }, el(doc, 'strong', {}, 'Who led when: '));
  const spans = leadSpans(story.steps);
  // Day and month; the year too when the lead changed hands across a new year.
  const day = new Set(spans.map((s) => s.from.slice(0, 4))).size > 1 ? dayText : dayMonthText;
  spans.forEach((s, i) => {
    if (i > 0) p.append(' → ');
    p.append(s.agent ? el(doc, 'a', { href: agentUrl(ctx.base, s.agent, ctx.unpaged) }, s.agent) : 'unknown', ` (${day(s.from)}, ${scoreText(s.best)})`);
  });
  p.append('.');
  return p;
}

/** Which differences were noise: new bests within the threshold, against records beyond it. */
function noiseLine(story: Story, ctx: ViewCtx): HTMLElement {
  const gains = story.steps.filter((s) => s.gainClass !== 'first');
  const within = gains.filter((s) => s.gainClass === 'within').length;
  const text =
    story.tie.threshold === null
      ? `${plural(gains.length, 'new best')} after the first; with the noise unknown, none can be called beyond it.`
      : `of ${plural(gains.length, 'new best')} after the first, ${plural(gains.length - within, 'was a record', 'were records')} beyond noise and ${within} within it (${scoreText(story.tie.threshold)} ${ctx.config.unit} or less: ties with the best before them).`;
  return el(ctx.doc, 'p', { 'data-arc': 'noise', 'data-within': within, 'data-records': gains.length - within }, el(ctx.doc, 'strong', {}, 'What was noise: '), text);
}

function momentList(list: readonly Moment[], ctx: ViewCtx): HTMLElement {
  const { doc } = ctx;
  if (list.length === 0) return el(doc, 'p', { class: 'muted' }, 'No invention, relay or verdict moved the best beyond noise.');
  const ol = el(doc, 'ol', { class: 'moments', 'aria-label': 'Moments that mattered' });
  for (const m of list) {
    ol.append(el(doc, 'li', { 'data-kind': m.kind, 'data-ts': m.ts }, el(doc, 'span', { class: 'muted' }, `${minuteText(m.ts)} · ${m.kind} · `), el(doc, 'a', { href: m.href }, m.label)));
  }
  return ol;
}

export const overviewTimeline: View<StoryFilters, Story> = {
  name: 'overview-timeline',
  query: (_f, config) => bestSoFar(config),
  load: async (f, config, run) => [await loadStory(f, config, run)],
  render(rows, ctx, f) {
    const story = rows[0];
    const { doc } = ctx;
    if (!story || story.rows.length === 0) return el(doc, 'p', {}, 'No ranked result yet.');
    const list = moments(story, ctx.base);
    const chart = bestSoFarChart(story, ctx.config, list, { document: doc, ...(f.width ? { width: f.width } : {}) });
    return el(
      doc,
      'div',
      { class: 'story', 'data-scope': story.scope },
      el(doc, 'div', { class: 'arc', id: 'story-arc' }, achieved(story, ctx), whoLed(story, ctx), noiseLine(story, ctx)),
      tieNote(doc, ctx.base, story.tie, ctx.config),
      // The arc above says in words what the chart shows; "What changed when" lists every step of the line.
      el(doc, 'figure', { class: 'chart', 'aria-label': `Running best of ${ctx.config.score_label} over time, with every ranked result`, 'aria-describedby': 'story-arc' }, chart),
      el(doc, 'h3', {}, 'Moments that mattered'),
      momentList(list, ctx),
    );
  },
};

const countsAs = (s: BestStep<BestSoFarRow>): string =>
  s.gainClass === 'first' ? 'first result' : s.gainClass === 'within' ? 'within noise' : s.gainClass === 'beyond' ? 'record' : 'new best (noise unknown)';

export const overviewChanges: View<StoryFilters, Story> = {
  name: 'overview-changes',
  query: (_f, config) => bestSoFar(config),
  load: async (f, config, run) => [await loadStory(f, config, run)],
  render(rows, ctx) {
    const story = rows[0];
    const { doc, base, config } = ctx;
    if (!story || story.steps.length === 0) return el(doc, 'p', {}, story?.scope === 'verified' ? 'No verified result yet.' : 'No eligible result yet.');
    const th = (label: string, numeric = false) => el(doc, 'th', { scope: 'col', class: numeric ? 'num' : null }, label);
    const body = el(doc, 'tbody');
    for (const s of story.steps) {
      const r = s.item;
      body.append(
        el(
          doc,
          'tr',
          { class: s.gainClass === 'within' ? 'within-noise' : null, 'data-class': s.gainClass, 'data-file': r.filename },
          el(doc, 'td', {}, minuteText(r.ts)),
          el(doc, 'td', {}, r.agent ? el(doc, 'a', { href: agentUrl(base, r.agent, ctx.unpaged) }, r.agent) : ''),
          el(doc, 'td', { class: 'num' }, scoreText(s.score)),
          el(doc, 'td', { class: 'num' }, s.gain === null ? '–' : signed(s.gain, scoreText)),
          el(doc, 'td', {}, countsAs(s)),
          el(doc, 'td', {}, r.verification === 'valid' ? 'verified' : 'pending'),
          el(doc, 'td', {}, el(doc, 'code', {}, r.method ?? '')),
          el(doc, 'td', {}, el(doc, 'a', { href: focusHref(base, r.filename) }, r.filename)),
        ),
      );
    }
    const head = el(doc, 'thead', {}, el(doc, 'tr', {}, th('posted (UTC)'), th('agent'), th(config.score_label, true), th('gain', true), th('counts as'), th('verified'), th('method'), th('result')));
    const records = story.steps.filter(isRecord).length;
    return el(
      doc,
      'div',
      {},
      el(doc, 'p', {}, `Each eligible result that set a new best (${story.scope === 'verified' ? 'verified only' : 'verified and pending'}; invalid and over-cap results never count), with its gain over the best before it: ${story.tie.threshold === null ? 'the noise is unknown, so none is called a record or a tie' : `${plural(records, 'record')} beyond noise, the rest within it`}.`),
      el(doc, 'div', { class: 'table-wrap' }, el(doc, 'table', { class: 'data', 'aria-label': 'What changed when' }, head, body)),
    );
  },
};
