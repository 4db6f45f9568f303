// <atlas-relays>: relay filters and the full ranked list run in DuckDB-WASM, a chain opened by id; state in the URL.
import type { CollabConfig } from '../config.ts';
import type { QuerySpec } from '../db/connector.ts';
import { formatCell } from '../db/format.ts';
import { relaySwimlane } from '../charts/relay-swimlane.ts';
import { relayChainsRanked, relayStepsOf, type RelayChainQueryRow, type RelayStepQueryRow } from '../queries/relays.sql.ts';
import { relayChainById, relayStepsRanked, type RankedStepRow } from '../queries/relays-page.sql.ts';
import { ROLE_STYLE, boardFocusHref, roleOf, stepSource } from '../relays/step-source.ts';
import { consoleHref } from '../sql-text.ts';
import { RELAY_DEFAULTS, chainFacts, chainTitle, gainText, kindLabel, relayFilters, scoreText, timeText, twinRanks, type RelayState } from './relay-format.ts';
import { applyInPlace, h, stripStyles } from './dom.ts';
import { agentUrl } from '../links.ts';
import { unpagedAgents } from './agent-links.ts';
import { readState, stateSearch, writeState } from './url-state.ts';

const listKey = (s: RelayState, shown: number): string => JSON.stringify([relayFilters(s), shown]);

/** The step list of a relay: role glyph, agent, time, source (board link, run dir or document line) and evidence, all as text. */
export function stepItems(steps: readonly RelayStepQueryRow[], base: string, unpaged: ReadonlySet<string> | null): HTMLLIElement[] {
  return steps.map((s) => {
    const role = roleOf(s.role);
    const src = stepSource(s, base);
    const agent = s.agent ?? '';
    const li = h(
      'li',
      { class: 'step', 'data-step': s.step, 'data-role': role, 'data-part': s.source_part ?? '' },
      h('span', { class: `glyph role-${role}`, 'aria-hidden': 'true' }, ROLE_STYLE[role].glyph),
      ' ',
      h('strong', {}, role),
      ' by ',
      agent ? h('a', { href: agentUrl(base, agent, unpaged) }, agent) : 'unknown',
      s.ts ? h('span', { class: 'when' }, ` · ${timeText(s.ts)} UTC`) : null,
      ' · ',
    );
    if (src.kind === 'board' && src.href) li.append(h('a', { href: src.href, 'data-source': 'board' }, src.label));
    else if (src.kind === 'run') li.append('run dir ', h('code', { 'data-source': 'run' }, src.label));
    else if (src.kind === 'document')
      li.append('document ', h('code', { 'data-source': 'document' }, src.label), src.line !== null ? `, line ${src.line}` : '');
    else li.append(h('code', {}, src.label));
    li.append(
      h('span', { class: 'muted rule' }, ` (${[s.rule, s.linked_by ? `linked by ${s.linked_by}` : null].filter(Boolean).join(' · ')})`),
    );
    if (s.evidence) li.append(h('q', { class: 'evidence' }, s.evidence));
    return li;
  });
}

export class AtlasRelays extends HTMLElement {
  state: RelayState = { ...RELAY_DEFAULTS };
  /** Every relay under the current filters, ranked, once DuckDB-WASM has run the query. */
  rows: RelayChainQueryRow[] | null = null;
  #config!: CollabConfig;
  #base = '/';
  /** Agents without a static page, loaded before the first render (null: every agent has one). */
  #unpaged: ReadonlySet<string> | null = null;
  #top = 10;
  #shown = 10;
  #seq = 0;
  /** Filters and count the list on the page shows (the build-time list until the browser redraws it). */
  #listKey: string | null = null;

  connectedCallback(): void {
    this.#config = JSON.parse(this.dataset['config'] ?? '{}') as CollabConfig;
    this.#base = this.dataset['base'] ?? '/';
    this.#top = Number(this.dataset['top'] ?? 10) || 10;
    this.#shown = this.#top;
    // The build-time list is complete unless the table was cut short; then the browser has to finish it.
    if (!this.querySelector('[data-more-rows]')) this.#listKey = listKey(RELAY_DEFAULTS, this.#top);
    this.state = readState(RELAY_DEFAULTS);
    this.#syncForm();
    const form = this.querySelector('form');
    form?.addEventListener('change', () => this.#fromForm());
    form?.addEventListener('reset', () => setTimeout(() => this.#set({ ...RELAY_DEFAULTS })));
    applyInPlace(form, () => this.#fromForm());
    this.addEventListener('click', (e) => this.#onClick(e));
    const more = this.querySelector<HTMLButtonElement>('[data-show-more]');
    if (more) {
      more.disabled = false;
      more.addEventListener('click', () => {
        this.#shown += this.#top;
        void this.update();
      });
    }
    window.addEventListener('popstate', () => {
      const next = readState(RELAY_DEFAULTS);
      if (listKey(next, 0) !== listKey(this.state, 0)) this.#shown = this.#top;
      this.state = next;
      this.#syncForm();
      void this.update();
    });
    // DuckDB-WASM loads only when needed: a URL that asks for a view, a cut-short table (when idle), or a click.
    const start = (): void => void this.update();
    if (location.search.length > 1) start();
    else if (this.#listKey === null) {
      if ('requestIdleCallback' in window) requestIdleCallback(start, { timeout: 3000 });
      else setTimeout(start, 300);
    }
  }

  /** Links to this page (open a relay, close it, an agent's bars in the roles chart) change the state without a reload. */
  #onClick(e: MouseEvent): void {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    const a = (e.target as Element | null)?.closest?.('a');
    if (!a || !this.contains(a)) return;
    const raw = a.getAttribute('href') ?? a.getAttribute('xlink:href');
    if (!raw) return;
    const url = new URL(raw, location.href);
    // Other pages, and in-page anchors (#rules), are the browser's.
    if (url.origin !== location.origin || url.pathname !== location.pathname || url.hash) return;
    e.preventDefault();
    const next = readState(RELAY_DEFAULTS, url.search);
    if (next.chain !== this.state.chain || listKey(next, 0) !== listKey(this.state, 0)) {
      if (listKey(next, 0) !== listKey(this.state, 0)) this.#shown = this.#top;
      this.#set(next);
    }
    const target = next.chain ? this.querySelector('[data-chain-panel]') : this.querySelector('[data-list]');
    (target as HTMLElement | null)?.scrollIntoView({ block: 'start' });
  }

  #fromForm(): void {
    const form = this.querySelector('form');
    if (!form) return;
    const val = (n: string): string | null => (form.elements.namedItem(n) as HTMLSelectElement | HTMLInputElement | null)?.value.trim() || null;
    this.#shown = this.#top;
    // Changing the filters closes the open relay: the page is about the list again.
    this.#set({ chain: null, kind: val('kind') ?? 'all', source: val('source'), agent: val('agent') });
  }

  #syncForm(): void {
    const form = this.querySelector('form');
    if (!form) return;
    const values: Record<string, string> = { kind: this.state.kind ?? 'all', source: this.state.source ?? '', agent: this.state.agent ?? '' };
    for (const [k, v] of Object.entries(values)) {
      const el = form.elements.namedItem(k) as HTMLSelectElement | HTMLInputElement | null;
      if (!el) continue;
      // A value from a link that is not in the menu still filters; show it as an option. (With many agents the
      // agent filter is a text field, which takes any value.)
      if (el instanceof HTMLSelectElement && v && ![...el.options].some((o) => o.value === v)) el.append(h('option', { value: v }, v));
      el.value = v;
    }
  }

  #set(s: RelayState): void {
    this.state = s;
    writeState(s, RELAY_DEFAULTS);
    this.#syncForm();
    void this.update();
  }

  async #run<T>(spec: QuerySpec): Promise<T[]> {
    const { query } = await import('../db/browser.ts');
    return query<T>(spec.sql, spec.params);
  }

  /** Run the queries for the current state in DuckDB-WASM and redraw what changed. */
  async update(): Promise<void> {
    const seq = ++this.#seq;
    const note = this.querySelector<HTMLElement>('[data-note]');
    this.dataset['state'] = 'loading';
    if (note) note.textContent = 'Loading DuckDB in your browser…';
    try {
      this.#unpaged = await unpagedAgents(this.#base);
      const key = listKey(this.state, this.#shown);
      if (key !== this.#listKey || !this.rows) {
        const f = relayFilters(this.state);
        const rankedSpec = relayChainsRanked(this.#config, f);
        const stepsSpec = relayStepsRanked(this.#config, f, this.#shown);
        const [rows, steps] = await Promise.all([this.#run<RelayChainQueryRow>(rankedSpec), this.#run<RankedStepRow>(stepsSpec)]);
        if (seq !== this.#seq) return;
        this.rows = rows;
        if (key !== this.#listKey) this.#renderList(rows, steps);
        this.#listKey = key;
        this.#sqlLink('ranked', rankedSpec);
        this.#sqlLink('steps', stepsSpec);
      }
      await this.#renderPanel(seq);
      if (seq !== this.#seq) return;
      if (note) note.textContent = '';
      this.dataset['state'] = 'ready';
    } catch (e) {
      if (seq !== this.#seq) return;
      if (note) note.textContent = `Could not run the query: ${e instanceof Error ? e.message : String(e)}`;
      this.dataset['state'] = 'error';
    }
  }

  #sqlLink(name: string, spec: QuerySpec): void {
    for (const a of this.querySelectorAll<HTMLAnchorElement>(`a[data-sql="${name}"]`)) a.href = consoleHref(this.#base, spec);
  }

  #chainHref(id: string): string {
    return stateSearch({ ...this.state, chain: id }, RELAY_DEFAULTS) || '?';
  }

  /** A relay's header: rank, title (a link that opens it), facts, outcome and gain in the configured unit. */
  #header(c: RelayChainQueryRow, level: 'h2' | 'h3', link: boolean, twins: readonly number[] = []): HTMLElement {
    const title = chainTitle(c);
    const outcome = scoreText(c.outcome_score, this.#config);
    const gain = gainText(c.score_gain, this.#config);
    return h(
      'header',
      {},
      h(level, {}, h('span', { class: 'rank' }, `#${c.rank}`), ' ', link ? h('a', { href: this.#chainHref(c.chain_id), 'data-open': c.chain_id }, title) : title),
      h('p', { class: 'facts muted' }, chainFacts(c, twins)),
      outcome || gain
        ? h(
            'p',
            { class: 'outcome' },
            `Outcome (${this.#config.score_label}): `,
            c.outcome_result ? h('a', { href: boardFocusHref(this.#base, c.outcome_result) }, outcome || c.outcome_result) : h('strong', {}, outcome),
            gain ? h('span', { class: 'gain' }, ` · ${gain} over the best before it`) : null,
          )
        : null,
    );
  }

  #swimlane(c: RelayChainQueryRow, steps: readonly RelayStepQueryRow[], host: HTMLElement): HTMLElement {
    const width = Math.max(320, Math.min(host.clientWidth || 900, 1000));
    const fig = h('figure', { class: 'chart swimlane' });
    fig.append(stripStyles(relaySwimlane(c, steps, this.#config, { document, width, base: this.#base })));
    return fig;
  }

  #renderList(rows: readonly RelayChainQueryRow[], steps: readonly RankedStepRow[]): void {
    const count = this.querySelector<HTMLElement>('[data-count]');
    const kind = relayFilters(this.state).kind;
    if (count) count.textContent = `${formatCell(rows.length)} ${kind ? `${kindLabel(kind)}s` : 'relays'}`;
    const list = this.querySelector<HTMLElement>('[data-list]');
    if (list) {
      const byChain = new Map<string, RankedStepRow[]>();
      for (const s of steps) byChain.set(s.chain_id, [...(byChain.get(s.chain_id) ?? []), s]);
      list.replaceChildren(
        ...rows.slice(0, this.#shown).map((c) => {
          const own = byChain.get(c.chain_id) ?? [];
          const li = h('li', { class: 'relay', 'data-chain-id': c.chain_id });
          const article = h('article', {}, this.#header(c, 'h3', true, twinRanks(c, rows)));
          li.append(article);
          article.append(
            this.#swimlane(c, own, list),
            h('details', {}, h('summary', {}, `Steps and sources (${own.length})`), h('ol', { class: 'steps' }, ...stepItems(own, this.#base, this.#unpaged))),
          );
          return li;
        }),
      );
      if (rows.length === 0) list.replaceChildren(h('li', { class: 'empty muted' }, 'No relay matches these filters.'));
    }
    const more = this.querySelector<HTMLButtonElement>('[data-show-more]');
    if (more) {
      more.hidden = rows.length <= this.#shown;
      more.textContent = `Show ${Math.min(this.#top, rows.length - this.#shown)} more`;
    }
    this.querySelector('[data-more-rows]')?.remove();
    const tbody = this.querySelector('[data-rows]');
    tbody?.replaceChildren(
      ...rows.map((c) =>
        h(
          'tr',
          { 'data-chain-id': c.chain_id },
          h('td', { class: 'num' }, String(c.rank)),
          h('td', {}, kindLabel(c.kind)),
          h('td', { class: 'num' }, scoreText(c.outcome_score, this.#config)),
          h('td', { class: 'num' }, gainText(c.score_gain, this.#config)),
          h('td', {}, c.agents.join(' → ')),
          h('td', { class: 'num' }, String(c.length)),
          h('td', {}, h('a', { href: this.#chainHref(c.chain_id), 'data-open': c.chain_id }, chainTitle(c))),
        ),
      ),
    );
  }

  /** The open relay (`?chain=`): header, a full-width swimlane and every step with its source; hidden when none. */
  async #renderPanel(seq: number): Promise<void> {
    const panel = this.querySelector<HTMLElement>('[data-chain-panel]');
    if (!panel) return;
    const id = this.state.chain;
    if (!id) {
      panel.hidden = true;
      panel.replaceChildren();
      delete panel.dataset['chainId'];
      return;
    }
    if (panel.dataset['chainId'] === id && !panel.hidden) return;
    const chainSpec = relayChainById(this.#config, id);
    const stepsSpec = relayStepsOf(id);
    const [chains, steps] = await Promise.all([this.#run<RelayChainQueryRow>(chainSpec), this.#run<RelayStepQueryRow>(stepsSpec)]);
    if (seq !== this.#seq) return;
    const c = chains[0];
    const close = h('a', { href: stateSearch({ ...this.state, chain: null }, RELAY_DEFAULTS) || location.pathname, class: 'close' }, 'Close');
    panel.hidden = false;
    panel.dataset['chainId'] = id;
    if (!c) {
      panel.replaceChildren(h('p', {}, 'No relay with the id ', h('code', {}, id), ' in this build. '), close);
      return;
    }
    panel.replaceChildren(this.#header(c, 'h2', false));
    panel.append(
      this.#swimlane(c, steps, panel),
      h('ol', { class: 'steps', 'aria-label': 'Steps' }, ...stepItems(steps, this.#base, this.#unpaged)),
      h(
        'p',
        { class: 'muted' },
        h('a', { href: consoleHref(this.#base, stepsSpec) }, 'View the SQL'),
        ' for these steps · ',
        h('a', { href: consoleHref(this.#base, chainSpec) }, 'the relay'),
        ' · ',
        close,
      ),
    );
  }
}

export function defineRelays(): void {
  if (!customElements.get('atlas-relays')) customElements.define('atlas-relays', AtlasRelays);
}
