// <atlas-board>: search, filters and the focus view of the board, run in DuckDB-WASM, state in the URL.
import type { CollabConfig } from '../config.ts';
import type { QuerySpec } from '../db/connector.ts';
import { formatCell } from '../db/format.ts';
import { itemHeadline, minuteText, plural, snippetAround } from '../board-format.ts';
import { agentUrl, focusHref } from '../links.ts';
import { unpagedAgents } from './agent-links.ts';
import { markdownPlainText, withoutHeadline } from '../markdown-text.ts';
import {
  boardMessages,
  boardThreads,
  focusItem,
  focusLinks,
  focusResults,
  focusRuns,
  focusThread,
  hasFilters,
  knownFiles,
  type BoardFilters,
  type BoardMessageRow,
  type BoardThreadRow,
  type FocusItemRow,
  type FocusLinkRow,
  type FocusResultRow,
  type FocusRunRow,
  type FocusThreadRow,
  type KnownFileRow,
} from '../queries/board.sql.ts';
import { consoleHref } from '../sql-text.ts';
import { applyInPlace, h, tableRows } from './dom.ts';
import { readState, writeState } from './url-state.ts';

const DEFAULTS = { q: null, agent: null, type: null, kind: null, day: null, mention: null, focus: null } as {
  q: string | null;
  agent: string | null;
  type: string | null;
  kind: string | null;
  day: string | null;
  mention: string | null;
  /** A message or result filename shown with its thread. */
  focus: string | null;
};
type State = typeof DEFAULTS;
const SELECTS = ['agent', 'type', 'kind', 'day', 'mention'] as const;

const filtersOf = (s: State): BoardFilters => ({ q: s.q, agent: s.agent, type: s.type, kind: s.kind, day: s.day, mention: s.mention });

/**
 * Sanitized markup → nodes. The string comes from renderMarkdown, which runs rehype-sanitize (GitHub schema) before
 * it stringifies; a <template> parses it inertly (no scripts run, nothing loads) before it joins the page.
 */
function sanitizedNodes(html: string): DocumentFragment {
  const t = document.createElement('template');
  t.innerHTML = html;
  return t.content;
}

export class AtlasBoard extends HTMLElement {
  state: State = { ...DEFAULTS };
  #config!: CollabConfig;
  #base = '/';
  #first = 50;
  #limit = 50;
  #seq = 0;
  #typingPushed = false;
  #debounce: ReturnType<typeof setTimeout> | undefined;
  #known: Promise<{ files: Set<string>; agents: Set<string> }> | null = null;
  /** Agents without a static page (linked to the index panel); null when every agent has one. */
  #unpaged: ReadonlySet<string> | null = null;

  connectedCallback(): void {
    this.#config = JSON.parse(this.dataset['config'] ?? '{}') as CollabConfig;
    this.#base = this.dataset['base'] ?? '/';
    this.#first = Number(this.dataset['first'] ?? 50) || 50;
    this.#limit = this.#first;
    this.state = readState(DEFAULTS);
    this.#syncForm();
    const form = this.querySelector('form');
    applyInPlace(form, () => this.#fromForm(true));
    form?.addEventListener('input', (e) => {
      if ((e.target as HTMLInputElement | null)?.name !== 'q') return;
      clearTimeout(this.#debounce);
      // While typing, the first change adds a history entry and later ones replace it.
      this.#debounce = setTimeout(() => {
        this.#fromForm(!this.#typingPushed);
        this.#typingPushed = true;
      }, 300);
    });
    form?.addEventListener('change', (e) => {
      const name = (e.target as HTMLInputElement | null)?.name;
      if (name === 'q') {
        clearTimeout(this.#debounce);
        this.#fromForm(!this.#typingPushed);
        this.#typingPushed = false;
      } else this.#fromForm(true);
    });
    form?.addEventListener('reset', () => setTimeout(() => this.#set({ ...DEFAULTS }, true)));
    this.addEventListener('click', (e) => this.#onClick(e));
    this.querySelector('[data-more]')?.addEventListener('click', () => {
      this.#limit += this.#first;
      void this.update();
    });
    window.addEventListener('popstate', () => {
      this.state = readState(DEFAULTS);
      this.#limit = this.#first;
      this.#syncForm();
      void this.update();
    });
    // DuckDB-WASM loads when the browser is idle, or at once when the URL asks for a search or a focus.
    const start = (): void => void this.update();
    if (location.search.length > 1) start();
    else if ('requestIdleCallback' in window) requestIdleCallback(start, { timeout: 3000 });
    else setTimeout(start, 300);
  }

  /** Focus links (thread headlines, filenames in bodies) stay on the page: no reload, one history entry. */
  #onClick(e: MouseEvent): void {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    const a = (e.target as Element | null)?.closest?.('a');
    if (!a || !this.contains(a)) return;
    if (a.hasAttribute('data-clear-focus')) {
      e.preventDefault();
      this.#set({ ...this.state, focus: null }, true);
      return;
    }
    const focus = a.getAttribute('data-focus');
    if (focus) {
      e.preventDefault();
      this.#set({ ...this.state, focus }, true);
      this.scrollIntoView({ block: 'start' });
    }
  }

  #fromForm(push: boolean): void {
    const form = this.querySelector('form');
    if (!form) return;
    const val = (n: string): string | null => (form.elements.namedItem(n) as HTMLInputElement | HTMLSelectElement | null)?.value.trim() || null;
    this.#limit = this.#first;
    this.#set({ q: val('q'), agent: val('agent'), type: val('type'), kind: val('kind'), day: val('day'), mention: val('mention'), focus: null }, push);
  }

  #syncForm(): void {
    const form = this.querySelector('form');
    if (!form) return;
    const q = form.elements.namedItem('q') as HTMLInputElement | null;
    if (q && q.value !== (this.state.q ?? '')) q.value = this.state.q ?? '';
    for (const k of SELECTS) {
      const el = form.elements.namedItem(k) as HTMLSelectElement | HTMLInputElement | null;
      if (!el) continue;
      const v = this.state[k] ?? '';
      // A value from a link that is not in the menu still filters; show it as an option. (Filters with many values
      // are text fields, which take any value.)
      if (el instanceof HTMLSelectElement && v && ![...el.options].some((o) => o.value === v)) el.append(h('option', { value: v }, v));
      el.value = v;
    }
  }

  #set(s: State, push: boolean): void {
    this.state = s;
    writeState(s, DEFAULTS, push);
    this.#syncForm();
    void this.update();
  }

  async #run<T>(spec: QuerySpec): Promise<T[]> {
    const { query } = await import('../db/browser.ts');
    return query<T>(spec.sql, spec.params);
  }

  /** Filenames and handles that exist, so bodies link only to things the site can show. */
  #knownSets(): Promise<{ files: Set<string>; agents: Set<string> }> {
    this.#known ??= Promise.all([
      this.#run<KnownFileRow>(knownFiles()),
      this.#run<{ agent_id: string }>({ tables: ['agents'], sql: 'SELECT agent_id FROM agents' }),
    ]).then(([f, a]) => ({ files: new Set(f.map((r) => r.filename)), agents: new Set(a.map((r) => r.agent_id)) }));
    this.#known.catch(() => (this.#known = null));
    return this.#known;
  }

  /** Run the queries for the current state in DuckDB-WASM and redraw. */
  async update(): Promise<void> {
    const seq = ++this.#seq;
    const note = this.querySelector<HTMLElement>('[data-note]');
    this.dataset['state'] = 'loading';
    if (note) note.textContent = 'Loading DuckDB in your browser…';
    try {
      this.#unpaged = await unpagedAgents(this.#base);
      if (this.state.focus) await this.#renderFocus(this.state.focus, seq);
      else await this.#renderList(seq);
      if (seq !== this.#seq) return;
      if (note) note.textContent = '';
      this.dataset['state'] = 'ready';
    } catch (e) {
      if (seq !== this.#seq) return;
      if (note) note.textContent = `Could not run the query: ${e instanceof Error ? e.message : String(e)}`;
      this.dataset['state'] = 'error';
    }
  }

  #panels(focus: boolean): { focusPanel: HTMLElement | null; listPanel: HTMLElement | null } {
    const focusPanel = this.querySelector<HTMLElement>('[data-focus-panel]');
    const listPanel = this.querySelector<HTMLElement>('[data-list-panel]');
    if (focusPanel) focusPanel.hidden = !focus;
    if (listPanel) listPanel.hidden = focus;
    return { focusPanel, listPanel };
  }

  async #renderList(seq: number): Promise<void> {
    const f = filtersOf(this.state);
    const filtered = hasFilters(f);
    const spec = filtered ? boardMessages(f, { limit: this.#limit }) : boardThreads({ limit: this.#limit });
    const rows = filtered ? await this.#run<BoardMessageRow>(spec) : await this.#run<BoardThreadRow>(spec);
    if (seq !== this.#seq) return;
    this.#panels(false);
    const total = rows[0]?.total ?? 0;
    const count = this.querySelector<HTMLElement>('[data-count]');
    if (count) {
      count.textContent = filtered
        ? `${plural(total, 'message')} match${total === 1 ? 'es' : ''}, newest first`
        : `${plural(total, 'thread')}, newest activity first`;
    }
    const list = this.querySelector('[data-list]');
    list?.replaceChildren(
      ...(filtered
        ? (rows as BoardMessageRow[]).map((r) => this.#messageItem(r))
        : (rows as BoardThreadRow[]).map((r) => this.#threadItem(r))),
    );
    if (list && rows.length === 0) list.append(h('li', { class: 'item muted' }, filtered ? 'No message matches these filters.' : 'No threads.'));
    const moreWrap = this.querySelector<HTMLElement>('[data-more-wrap]');
    if (moreWrap) moreWrap.hidden = rows.length >= total;
    const moreNote = this.querySelector('[data-more-note]');
    if (moreNote) moreNote.textContent = rows.length < total ? `Showing ${formatCell(rows.length)} of ${formatCell(total)}.` : '';
    const link = this.querySelector<HTMLAnchorElement>('[data-sql-link]');
    if (link) link.href = consoleHref(this.#base, spec);
  }

  #agentHref(agent: string): string {
    return agentUrl(this.#base, agent, this.#unpaged);
  }

  #agentLink(agent: string | null): Node | string {
    return agent ? h('a', { href: this.#agentHref(agent) }, agent) : 'unknown author';
  }

  #focusLink(filename: string, text: string | Node[], cls = 'headline'): HTMLAnchorElement {
    const a = h('a', { class: cls, href: focusHref(this.#base, filename), 'data-focus': filename });
    if (typeof text === 'string') a.textContent = text;
    else a.append(...text);
    return a;
  }

  /** Text with the search matches wrapped in <mark> (as text nodes: nothing is parsed). */
  #highlight(text: string): Node[] {
    const q = this.state.q?.trim().toLowerCase();
    if (!q) return [document.createTextNode(text)];
    const out: Node[] = [];
    const low = text.toLowerCase();
    let at = 0;
    for (let i = low.indexOf(q); i >= 0; i = low.indexOf(q, i + q.length)) {
      if (i > at) out.push(document.createTextNode(text.slice(at, i)));
      out.push(h('mark', {}, text.slice(i, i + q.length)));
      at = i + q.length;
    }
    if (at < text.length) out.push(document.createTextNode(text.slice(at)));
    return out;
  }

  #time(ts: string | null): Node {
    return h('time', { datetime: ts }, minuteText(ts));
  }

  #badge(part: string, kind: string | null, state: string | null): HTMLElement {
    return part === 'results' ? h('span', { class: `state state-${state ?? 'pending'}` }, state ?? 'result') : h('span', { class: 'kind' }, kind ?? 'other');
  }

  #threadItem(t: BoardThreadRow): HTMLLIElement {
    const meta = h('p', { class: 'meta' }, this.#agentLink(t.agent), ' · ', this.#time(t.ts), ` · ${plural(t.replies, 'reply', 'replies')}`);
    if (t.replies > 0 && t.last_ts) meta.append(' · last ', this.#time(t.last_ts), t.last_agent ? ` by ${t.last_agent}` : '');
    return h(
      'li',
      { class: 'item' },
      h('p', { class: 'item-head' }, this.#focusLink(t.thread_id, itemHeadline({ part: t.root_part, headline: t.headline, score: t.score, method: t.method, filename: t.thread_id }, this.#config)), this.#badge(t.root_part, t.kind, t.state)),
      meta,
      t.excerpt ? h('p', { class: 'excerpt' }, t.excerpt) : null,
    );
  }

  #messageItem(m: BoardMessageRow): HTMLLIElement {
    const s = snippetAround(markdownPlainText(withoutHeadline(m.body_md, m.headline)) || m.excerpt || '', this.state.q);
    const excerpt = h('p', { class: 'excerpt' }, s.before);
    if (s.match) excerpt.append(h('mark', {}, s.match), s.after);
    const meta = h('p', { class: 'meta' }, this.#agentLink(m.agent), ' · ', this.#time(m.ts));
    if (m.thread_id && m.thread_id !== m.filename) {
      meta.append(' · in ', this.#focusLink(m.thread_id, m.root_headline?.trim() || m.thread_id, 'thread-link'), ` (${plural(m.thread_size ?? 1, 'post')})`);
    } else if ((m.thread_size ?? 1) > 1) meta.append(` · starts a thread of ${plural(m.thread_size ?? 1, 'post')}`);
    return h(
      'li',
      { class: 'item' },
      h('p', { class: 'item-head' }, this.#focusLink(m.filename, this.#highlight(m.headline?.trim() || m.filename)), this.#badge('messages', m.kind, null)),
      meta,
      s.before || s.match ? excerpt : null,
    );
  }

  async #renderFocus(filename: string, seq: number): Promise<void> {
    const specs = {
      item: focusItem(filename),
      thread: focusThread(filename),
      links: focusLinks(filename),
      results: focusResults(filename),
      runs: focusRuns(filename),
    };
    // The renderer (unified, ~180 kB) loads with the first focus view, not with the list.
    const [items, thread, links, results, runs, known, { renderMarkdown }] = await Promise.all([
      this.#run<FocusItemRow>(specs.item),
      this.#run<FocusThreadRow>(specs.thread),
      this.#run<FocusLinkRow>(specs.links),
      this.#run<FocusResultRow>(specs.results),
      this.#run<FocusRunRow>(specs.runs),
      this.#knownSets(),
      import('../markdown.ts'),
    ]);
    if (seq !== this.#seq) return;
    const { focusPanel } = this.#panels(true);
    if (!focusPanel) return;
    const back = h('p', {}, h('a', { href: `${this.#base}board/`, 'data-clear-focus': true }, '← all threads'));
    const item = items[0];
    const count = this.querySelector<HTMLElement>('[data-count]');
    if (!item) {
      if (count) count.textContent = 'Not found';
      focusPanel.replaceChildren(back, h('p', { class: 'callout' }, `No message or result named “${filename}” in this export.`));
      return;
    }
    if (count) count.textContent = `${item.part === 'results' ? 'Result' : 'Message'} ${item.filename}`;
    const sql = (spec: QuerySpec): HTMLElement => h('p', { class: 'sql' }, h('a', { href: consoleHref(this.#base, spec) }, 'View the SQL'));
    const md = (text: string | null): HTMLElement => {
      const div = h('div', { class: 'md' });
      div.append(
        sanitizedNodes(
          renderMarkdown(text, {
            fileHref: (f) => (known.files.has(f) ? focusHref(this.#base, f) : null),
            agentHref: (a) => (known.agents.has(a) ? this.#agentHref(a) : null),
          }),
        ),
      );
      return div;
    };
    const title = itemHeadline(item, this.#config);
    const article = h(
      'article',
      { class: 'post', 'aria-labelledby': 'focus-title' },
      h('h2', { id: 'focus-title' }, title),
      h('p', { class: 'meta' }, this.#agentLink(item.agent), ' · ', this.#time(item.ts), ' · ', this.#badge(item.part, item.kind, item.state), ' ', h('code', {}, item.filename)),
      this.#facts(item),
      item.part === 'results' && item.description ? h('p', { class: 'description' }, item.description) : null,
      md(item.part === 'messages' ? withoutHeadline(item.body_md, item.headline) : item.body_md),
    );
    const sections: (Node | null)[] = [back, article, sql(specs.item)];

    sections.push(h('h3', {}, `Thread (${plural(thread.length, 'post')})`));
    sections.push(
      h(
        'ol',
        { class: 'tree', 'aria-label': 'Thread' },
        ...thread.map((t) =>
          h(
            'li',
            { 'data-depth': t.depth >= 8 ? '8+' : String(t.depth), 'aria-current': t.is_focus ? 'true' : null },
            t.is_focus ? h('strong', {}, itemHeadline(t, this.#config)) : this.#focusLink(t.filename, itemHeadline(t, this.#config)),
            ' ',
            this.#badge(t.part, t.kind, t.state),
            h('span', { class: 'meta' }, ' ', this.#agentLink(t.agent), ' · ', this.#time(t.ts), t.replies ? ` · ${plural(t.replies, 'reply', 'replies')}` : ''),
          ),
        ),
      ),
      sql(specs.thread),
    );

    const inbound = links.filter((l) => l.direction === 'in');
    const outbound = links.filter((l) => l.direction === 'out');
    const linkList = (rows: FocusLinkRow[], empty: string): HTMLElement =>
      rows.length === 0
        ? h('p', { class: 'muted' }, empty)
        : h(
            'ul',
            { class: 'links' },
            ...rows.map((l) =>
              h(
                'li',
                {},
                `${l.kind === 'ref' ? 'refs' : 'quotes'} · `,
                l.other_part === 'unresolved'
                  ? h('span', {}, h('code', {}, l.other), ' (not in the export)')
                  : this.#focusLink(l.other, itemHeadline({ part: l.other_part, headline: l.headline, filename: l.other }, this.#config)),
                l.agent ? h('span', { class: 'meta' }, ' · ', this.#agentLink(l.agent), ' · ', this.#time(l.ts)) : null,
              ),
            ),
          );
    sections.push(h('h3', {}, `Referenced by (${formatCell(inbound.length)})`), linkList(inbound, 'Nothing refs or quotes it.'));
    sections.push(h('h3', {}, `Refers to (${formatCell(outbound.length)})`), linkList(outbound, 'It refs or quotes no file.'), sql(specs.links));

    const c = this.#config;
    sections.push(h('h3', {}, `Results it refers to (${formatCell(results.length)})`));
    sections.push(
      results.length === 0
        ? h('p', { class: 'muted' }, 'None.')
        : this.#table('Results it refers to', ['result', 'agent', { num: c.score_label }, { num: c.secondary_label }, 'method', 'state', 'link'], tableRows(results as unknown as Record<string, unknown>[], [
            { key: 'filename', label: 'result', cell: (r) => this.#focusLink(String(r['filename']), String(r['filename']), 'file') },
            { key: 'agent', label: 'agent', cell: (r) => this.#agentLink(r['agent'] as string | null) },
            { key: 'score', label: c.score_label, numeric: true },
            { key: 'secondary', label: c.secondary_label, numeric: true },
            { key: 'method', label: 'method', cell: (r) => h('code', {}, String(r['method'] ?? '')) },
            { key: 'state', label: 'state', cell: (r) => h('span', { class: `state state-${String(r['state'])}` }, String(r['state'])) },
            { key: 'link', label: 'link' },
          ])),
      sql(specs.results),
    );
    sections.push(h('h3', {}, `Runs (${formatCell(runs.length)})`));
    sections.push(
      runs.length === 0
        ? h('p', { class: 'muted' }, 'No run dir matches a job id or submission it names.')
        : this.#table('Runs', ['run dir', 'agent', 'status', 'job id', { num: c.score_label }, { num: c.secondary_label }, 'launched (UTC)', 'matched by'], tableRows(runs as unknown as Record<string, unknown>[], [
            { key: 'run_dir', label: 'run dir', cell: (r) => h('code', {}, String(r['run_dir'])) },
            { key: 'agent', label: 'agent', cell: (r) => this.#agentLink(r['agent'] as string | null) },
            { key: 'status', label: 'status' },
            { key: 'job_id', label: 'job id', cell: (r) => h('code', {}, String(r['job_id'] ?? '')) },
            { key: 'score', label: c.score_label, numeric: true },
            { key: 'secondary', label: c.secondary_label, numeric: true },
            { key: 'created_at', label: 'launched', cell: (r) => minuteText(r['created_at'] as string | null) },
            { key: 'matched_by', label: 'matched by' },
          ])),
      sql(specs.runs),
    );
    focusPanel.replaceChildren(...sections.filter((n): n is Node => n !== null));
  }

  /** A data table; `{ num: label }` headers are numeric columns (right-aligned like their cells). */
  #table(label: string, head: (string | { num: string })[], rows: HTMLTableRowElement[]): HTMLElement {
    return h(
      'div',
      { class: 'table-wrap' },
      h('table', { class: 'data', 'aria-label': label }, h('thead', {}, h('tr', {}, ...head.map((t) => (typeof t === 'string' ? h('th', { scope: 'col' }, t) : h('th', { scope: 'col', class: 'num' }, t.num))))), h('tbody', {}, ...rows)),
    );
  }

  /** Facts of the focused item: result metrics from the configuration's labels, message fields, links. */
  #facts(item: FocusItemRow): HTMLElement {
    const c = this.#config;
    const dl = h('dl', { class: 'facts' });
    const add = (dt: string, ...dd: (Node | string)[]): void => {
      if (dd.length === 0 || dd.every((d) => d === '')) return;
      dl.append(h('dt', {}, dt), h('dd', {}, ...dd));
    };
    const join = (nodes: (Node | string)[]): (Node | string)[] => nodes.flatMap((n, i) => (i ? [', ', n] : [n]));
    if (item.part === 'results') {
      add(`${c.score_label} (${c.unit})`, formatCell(item.score));
      if (item.secondary !== null) add(c.secondary_label, formatCell(item.secondary));
      add('method', h('code', {}, item.method ?? ''));
      add('status', item.status ?? '');
      if (item.submission) add('submission', h('code', {}, item.submission));
      if (item.job_ids?.length) add('job ids', ...join(item.job_ids.map((j) => h('code', {}, j))));
      if (item.credits?.length) add('credits', ...join(item.credits.map((a) => this.#agentLink(a))));
    } else {
      add('type', item.type ?? '');
      add('via', item.via ?? '');
      if (item.verdict) {
        add('verdict', item.verdict, ...(item.verdict_result ? [' on ', this.#focusLink(item.verdict_result, item.verdict_result, 'file')] : []));
      }
      if (item.mentions?.length) add('mentions', ...join(item.mentions.map((a) => this.#agentLink(a))));
      if (item.recipients?.length) add('inbox copies', item.recipients.join(', '));
    }
    if (item.refs?.length) add('refs', ...join(item.refs.map((r) => this.#focusLink(r, r, 'file'))));
    if (item.thread_id && item.thread_id !== item.filename) {
      add('thread', this.#focusLink(item.thread_id, item.thread_id, 'file'), ` (depth ${formatCell(item.depth)}, ${plural(item.thread_size ?? 1, 'post')})`);
    }
    return dl;
  }
}

export function defineBoard(): void {
  if (!customElements.get('atlas-board')) customElements.define('atlas-board', AtlasBoard);
}
