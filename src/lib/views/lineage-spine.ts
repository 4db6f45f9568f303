// The lineage page's default view, the spine: the frontier steps top to bottom (time runs down), each labelled with
// agent, value, gain (beyond or within noise) and the techniques it brought, and beside them one lane per result
// that fed a step (lineage/spine.ts). Rows are HTML (they wrap to any width); the lanes are a narrow SVG column.
import type { CollabConfig } from '../config.ts';
import { plural, scoreText, signed } from '../format.ts';
import { buildSpine, SPINE_EDGE_BUDGET, type Spine, type SpineEdgeRow, type SpineNodeRow, type SpineRow, type SpineTechniqueRow } from '../lineage/spine.ts';
import { agentUrl, focusHref, lineageFocusHref, pageHref } from '../links.ts';
import { spineEdges, spineNodes, spineTechniques } from '../queries/lineage-spine.sql.ts';
import { NO_TIE, TIE_SQL, tieFromRow, type Tie } from '../ties.ts';
import { el, type View, type ViewCtx } from './view.ts';

/** Row height in px (the page CSS gives `.spine-row` the same height), lane width, and the spine's x. */
export const SPINE_ROW = 46;
const LANE = 12;
const X0 = 9;
const SVG = 'http://www.w3.org/2000/svg';

export interface SpineAnswer {
  spine: Spine;
  tie: Tie;
}

const laneX = (lane: number): number => X0 + lane * LANE;
const rowY = (i: number): number => i * SPINE_ROW + SPINE_ROW / 2;

function svgEl(doc: Document, tag: string, attrs: Record<string, string | number>): Element {
  const e = doc.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  return e;
}

/** The lanes column: the spine through the steps (a step within noise on a thin segment), side lines, nodes. */
function lanesSvg(doc: Document, s: Spine): Element {
  const h = s.rows.length * SPINE_ROW;
  const w = laneX(s.lanes) + X0;
  const svg = svgEl(doc, 'svg', { class: 'spine-lanes', width: w, height: h, viewBox: `0 0 ${w} ${h}`, 'aria-hidden': 'true' });
  const steps = s.rows.map((r, i) => [r, i] as const).filter(([r]) => r.frontier);
  for (let k = 1; k < steps.length; k++) {
    const [r, i] = steps[k]!;
    svg.append(svgEl(doc, 'path', { class: `spine-path g-${r.gainClass ?? 'first'}`, d: `M${X0},${rowY(steps[k - 1]![1])}V${rowY(i)}` }));
  }
  for (const l of s.lines) {
    const x = laneX(l.lane);
    const fromStep = s.rows[l.from]!.frontier;
    const d = `${fromStep ? `M${X0},${rowY(l.from)}H${x}` : `M${x},${rowY(l.from)}`}V${rowY(l.to) - 6}Q${x},${rowY(l.to)} ${x - 6},${rowY(l.to)}H${X0 + 6}`;
    svg.append(svgEl(doc, 'path', { class: `spine-line r-${l.edge.rule}${l.invention ? ' inv' : ''}`, d, 'data-p': l.edge.parent, 'data-c': l.edge.child }));
  }
  s.rows.forEach((r, i) => {
    const cls = r.frontier ? `spine-node fr g-${r.gainClass ?? 'first'}${r.node.verification === 'valid' ? ' ok' : ''}` : `spine-node side${r.node.node_kind === 'agent' ? ' agent' : ''}`;
    svg.append(svgEl(doc, 'circle', { class: cls, cx: laneX(r.lane), cy: rowY(i), r: r.frontier ? 5.5 : 4 }));
  });
  return svg;
}

/** The legend: every mark the spine draws, with the same classes (so the same colours) as the drawing. */
function legend(doc: Document): HTMLElement {
  const key = (mark: Element, text: string) => {
    const svg = svgEl(doc, 'svg', { width: 22, height: 14, viewBox: '0 0 22 14', 'aria-hidden': 'true' });
    svg.append(mark);
    return el(doc, 'li', {}, svg as unknown as HTMLElement, text);
  };
  return el(
    doc,
    'ul',
    { class: 'spine-legend', 'aria-label': 'Legend of the spine' },
    key(svgEl(doc, 'circle', { class: 'spine-node fr ok', cx: 11, cy: 7, r: 5 }), 'frontier step, verified'),
    key(svgEl(doc, 'circle', { class: 'spine-node fr', cx: 11, cy: 7, r: 5 }), 'frontier step, pending'),
    key(svgEl(doc, 'path', { class: 'spine-path g-beyond', d: 'M2,7H20' }), 'gain beyond noise'),
    key(svgEl(doc, 'path', { class: 'spine-path g-within', d: 'M2,7H20' }), 'gain within noise (a tie)'),
    key(svgEl(doc, 'path', { class: 'spine-line inv', d: 'M2,7H20' }), 'invention that fed a step'),
    key(svgEl(doc, 'path', { class: 'spine-line', d: 'M2,7H20' }), 'other written-down parent'),
  );
}

/** A step's gain as words: first result, +x beyond noise, +x within noise (a tie, not a record), or +x (noise unknown). */
export function gainWords(r: Pick<SpineRow, 'gain' | 'gainClass'>, unit = ''): string {
  if (r.gain === null || r.gainClass === 'first') return 'first result';
  const g = `${signed(r.gain, scoreText)}${unit ? ` ${unit}` : ''}`;
  return r.gainClass === 'beyond' ? `${g} beyond noise` : r.gainClass === 'within' ? `${g}, within noise` : `${g} (noise unknown)`;
}

/** One line of a row; its whole text is its tooltip, as a narrow screen cuts it with an ellipsis. */
function line(doc: Document, cls: string, ...children: (Node | string)[]): HTMLElement {
  const e = el(doc, 'span', { class: cls }, ...children);
  e.setAttribute('title', (e.textContent ?? '').replace(/\s+/g, ' ').trim());
  return e;
}

/** One row's two lines of text: who and what, then the gain or what it fed. */
function rowItem(doc: Document, r: SpineRow, s: Spine, ctx: ViewCtx, config: CollabConfig): HTMLElement {
  const n = r.node;
  const agent = n.agent ? el(doc, 'a', { href: agentUrl(ctx.base, n.agent, ctx.unpaged) }, n.agent) : '?';
  const list = (toks: readonly string[]) => toks.flatMap((t, i) => [i ? ', ' : '', el(doc, 'code', {}, t)]);
  const carried = r.techniques.filter((t) => !r.invented.includes(t));
  // Short words: at 360 px the second line has room for about 40 characters before its ellipsis.
  const techs = [
    ...(r.invented.length ? [r.frontier ? '' : 'first used ', ...list(r.invented), r.frontier ? ' first used here' : ''] : []),
    ...(carried.length ? [r.invented.length ? '; ' : '', r.frontier ? 'new: ' : 'carried ', ...list(carried)] : []),
  ];
  if (r.frontier) {
    const value = n.score === null ? '' : `${scoreText(n.score)} ${config.unit}`;
    const verified = n.verification === 'valid' ? 'verified' : (n.verification ?? 'unverified');
    return el(
      doc,
      'li',
      { class: `spine-row fr g-${r.gainClass ?? 'first'}`, 'data-f': n.filename },
      line(doc, 'l1', el(doc, 'a', { class: 'v', href: lineageFocusHref(ctx.base, n.filename), title: n.method ?? '' }, value), ' · ', agent, el(doc, 'span', { class: 'muted' }, ` · ${verified}`)),
      line(doc, 'l2', el(doc, 'span', { class: 'gain' }, gainWords(r)), ...(techs.length ? [' · ', ...techs] : n.method ? [' · ', el(doc, 'span', { class: 'muted' }, n.method)] : [])),
    );
  }
  const fed = s.lines.filter((l) => l.edge.parent === n.filename).map((l) => s.rows[l.to]!.node);
  const state = n.status === 'negative' ? ' · negative' : n.verification && n.verification !== 'valid' ? ` · ${n.verification}` : '';
  const what = n.node_kind === 'agent' ? 'result not in this export' : `${n.score === null ? 'no score' : `${scoreText(n.score)} ${config.unit}`}${state}`;
  const target = fed[0]?.score == null ? '' : `${scoreText(fed[0].score)}`;
  return el(
    doc,
    'li',
    { class: 'spine-row side', 'data-f': n.filename },
    line(doc, 'l1', agent, ' · ', n.node_kind === 'agent' ? what : el(doc, 'a', { href: focusHref(ctx.base, n.filename), title: n.method ?? '' }, what)),
    line(doc, 'l2', ...(techs.length ? techs : [el(doc, 'span', { class: 'muted' }, n.method ?? 'credited')]), target ? ` → fed ${target}` : ''),
  );
}

/** What the spine shows, in one line (and the noise it classifies gains by). */
export function spineStatus(a: SpineAnswer, unit: string): string {
  const steps = a.spine.rows.filter((r) => r.frontier);
  const within = steps.filter((r) => r.gainClass === 'within').length;
  const side = a.spine.rows.length - steps.length;
  const tie = a.tie.threshold === null ? 'no repeat runs, so the noise is unknown' : `gains up to ${scoreText(a.tie.threshold)} ${unit} are within noise`;
  return `The spine: ${plural(steps.length, 'frontier step')} (${within} within noise; ${tie}) and ${plural(side, 'result')} that fed them, ${plural(a.spine.lines.length, 'side line')} of ${plural(a.spine.candidates, 'edge')} into frontier steps (at most ${SPINE_EDGE_BUDGET}).`;
}

export const lineageSpineView: View<Record<string, never>, SpineAnswer> = {
  name: 'lineage-spine',
  query: () => spineNodes(),
  async load(_f, config, run) {
    const [nodes, edges, techs, tieRows] = await Promise.all([
      run<SpineNodeRow>(spineNodes()),
      run<SpineEdgeRow>(spineEdges()),
      run<SpineTechniqueRow>(spineTechniques()),
      run<Record<string, unknown>>({ tables: ['noise_summary'], sql: TIE_SQL }).catch(() => []),
    ]);
    const tie = tieRows.length ? tieFromRow(tieRows[0]) : NO_TIE;
    return [{ spine: buildSpine(nodes, edges, techs, { higherIsBetter: config.higher_is_better, tie }), tie }];
  },
  render(rows, ctx) {
    const { doc, config } = ctx;
    const a = rows[0];
    if (!a?.spine.rows.length) return el(doc, 'p', { class: 'muted' }, 'No result moved the frontier.');
    return el(
      doc,
      'div',
      { class: 'spine', 'data-edges': a.spine.lines.length, 'data-lanes': a.spine.lanes },
      el(doc, 'p', { class: 'spine-status', 'data-spine-status': '' }, spineStatus(a, config.unit), ' ', el(doc, 'a', { href: pageHref(ctx.base, 'noise') }, 'How noise is measured'), '.'),
      legend(doc),
      el(doc, 'div', { class: 'spine-body' }, lanesSvg(doc, a.spine), el(doc, 'ol', { class: 'spine-rows', 'aria-label': 'Frontier steps and the results that fed them, in time order' }, ...a.spine.rows.map((r) => rowItem(doc, r, a.spine, ctx, config)))),
    );
  },
};
