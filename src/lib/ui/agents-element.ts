// <atlas-agents>: the sortable agents table ("list all" draws every handle with the same agents-table view), and
// `?agent=<id>`: the agent's page if it has one, else a panel drawn in DuckDB-WASM by the agent page's own views.
import { agentHref } from '../links.ts';
import { agentsTable } from '../views/agents-table.ts';
import { markdownKit } from './markdown-kit.ts';
import { ViewElement, type Panel } from './view-element.ts';

const DEFAULTS = { agent: null } as { agent: string | null };
type State = typeof DEFAULTS;

export class AtlasAgents extends ViewElement<State> {
  protected readonly defaults = DEFAULTS;
  /** "List all" was pressed: the table draws every handle. */
  #all = false;

  override connectedCallback(): void {
    this.addEventListener('click', (e) => {
      const button = (e.target as Element | null)?.closest?.('button');
      if (button?.matches('button.sort')) this.#sort(button);
      else if (button?.matches('button[data-load-all]')) {
        button.disabled = true;
        this.#all = true;
        void this.update();
      }
    });
    // The old link form: agents/?agent=<id> → agents/<id>/ for an agent with a page (replace, so Back skips it).
    const id = new URLSearchParams(location.search).get('agent');
    const paged = new Set(JSON.parse(this.dataset['paged'] ?? '[]') as string[]);
    if (id && paged.has(id)) location.replace(agentHref(this.dataset['base'] ?? '/', id));
    else super.connectedCallback();
  }

  get #parts() {
    return { noMessages: this.dataset['noMessages'] !== undefined, noRegistrations: this.dataset['noRegistrations'] !== undefined };
  }

  protected async panels(s: State): Promise<Panel[]> {
    const table: Panel[] = this.#all ? [{ view: agentsTable, filters: { limit: null, ...this.#parts } } as Panel] : [];
    if (!s.agent) return table;
    // The panel's views (and Plot, for the activity chart) load only for a panel.
    const [{ AGENT_VIEWS }, markdown] = await Promise.all([import('../views/agent-panels.ts'), markdownKit((spec) => this.run(spec))]);
    const filters = { id: s.agent, level: 3, noMessages: this.#parts.noMessages, markdown };
    return [...table, ...AGENT_VIEWS.map((view) => ({ view, filters }) as Panel)];
  }

  protected override afterRender(s: State): void {
    const panel = this.querySelector<HTMLElement>('[data-panel]');
    if (!panel) return;
    panel.hidden = !s.agent;
    const title = panel.querySelector('[data-panel-title]');
    if (title) title.textContent = s.agent ?? '';
    // An unknown handle: only the figures' "no agent" note, not empty sections.
    const known = (this.answers['agent-figures']?.length ?? 0) > 0;
    for (const v of panel.querySelectorAll<HTMLElement>('[data-view]:not([data-view="agent-figures"])')) v.hidden = !known;
  }

  /** Sort the body rows by the column's data-sort values; a second click reverses. Numbers sort numerically, blanks last. */
  #sort(button: HTMLButtonElement): void {
    const th = button.closest('th');
    const tr = th?.parentElement;
    const tbody = this.querySelector('tbody[data-rows]');
    if (!th || !tr || !tbody) return;
    const col = [...tr.children].indexOf(th);
    const numeric = button.dataset['sortType'] === 'number';
    const current = th.getAttribute('aria-sort');
    // Numbers start high-to-low (most active first), text A to Z.
    const dir = current ? (current === 'ascending' ? -1 : 1) : numeric ? -1 : 1;
    for (const other of tr.children) other.removeAttribute('aria-sort');
    th.setAttribute('aria-sort', dir === 1 ? 'ascending' : 'descending');
    const key = (row: Element): string => row.children[col]?.getAttribute('data-sort') ?? '';
    const rows = [...tbody.querySelectorAll('tr')];
    rows.sort((a, b) => {
      const ka = key(a);
      const kb = key(b);
      if (ka === '' || kb === '') return ka === kb ? 0 : ka === '' ? 1 : -1;
      const c = numeric ? Number(ka) - Number(kb) : ka.localeCompare(kb);
      return c * dir || (a.getAttribute('data-agent') ?? '').localeCompare(b.getAttribute('data-agent') ?? '');
    });
    tbody.append(...rows);
  }
}

export function defineAgents(): void {
  if (!customElements.get('atlas-agents')) customElements.define('atlas-agents', AtlasAgents);
}
