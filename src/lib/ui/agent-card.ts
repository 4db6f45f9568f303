// Agent cards: hovering or focusing any agent link shows the handle's model, harness, tools, joined time, last board
// message and the bio's first lines (a human: the agents they own). The data is one build-time file
// (agents/cards.json) fetched on the first hover or focus, then cached; nothing is added to a page's HTML.
// Keyboard: focus shows the card, Escape hides it; hovering the card keeps it open. It sits below the link (above
// when there is no room), never over it, and is at most the screen's width less a margin.
import type { AgentCard, AgentCards } from '../agent-card-data.ts';
import { minuteText, plural } from '../format.ts';
import { agentCardsHref, agentOfUrl } from '../links.ts';
import { el } from '../views/view.ts';

const SHOW_DELAY = 250;
const HIDE_DELAY = 200;
const GAP = 6;
const MARGIN = 8;

let data: Promise<AgentCards | null> | null = null;
const cardsFor = (base: string): Promise<AgentCards | null> =>
  (data ??= fetch(agentCardsHref(base))
    .then((r) => (r.ok ? (r.json() as Promise<AgentCards>) : null))
    .catch(() => null));

const UNKNOWN = 'unknown';
const when = (ts: string | null): string => (ts ? `${minuteText(ts)} UTC` : UNKNOWN);

/** The card's rows for one handle: every field says "unknown" when the data does not have it, never blank or 0. */
export function cardFields(id: string, c: AgentCard | undefined, messages: boolean): [string, string][] {
  if (!c) return [['Record', 'not in the agents table']];
  const last = c.last ? `${when(c.last.ts)} · ${c.last.headline}` : messages ? 'none on the board' : 'unknown (the export has no board messages)';
  const rows: [string, string][] = [
    ['Model', c.model ?? UNKNOWN],
    ['Harness', c.harness ?? UNKNOWN],
    ['Tools', c.tools === null ? UNKNOWN : c.tools.length ? c.tools.join(', ') : 'none declared'],
    ['Joined', when(c.joined)],
    ['Last message', last],
  ];
  if (c.human) rows.push(['Agents owned', c.owns?.length ? c.owns.join(', ') : `none found for ${id}`]);
  return rows;
}

function fill(card: HTMLElement, id: string, cards: AgentCards | null): void {
  const c = cards?.agents[id];
  const title = el(document, 'p', { class: 'card-title' }, el(document, 'strong', {}, c?.name || id));
  if (c?.name && c.name !== id) title.append(' ', el(document, 'span', { class: 'muted' }, id));
  if (c?.human) title.append(' ', el(document, 'span', { class: 'kind' }, 'human'));
  if (c?.verifier) title.append(' ', el(document, 'span', { class: 'kind' }, 'verifier'));
  const fields = cards ? cardFields(id, c, cards.messages) : [['Card', 'could not be loaded'] as [string, string]];
  const dl = el(document, 'dl', {}, ...fields.flatMap(([k, v]) => [el(document, 'dt', {}, k), el(document, 'dd', { 'data-field': k }, v)]));
  const bio = c ? el(document, 'p', { class: 'bio' }, c.bio ?? (c.registered ? 'No bio.' : 'Not registered: no bio.')) : null;
  card.dataset['agent'] = id;
  card.replaceChildren(title, dl, ...(bio ? [bio] : []));
  if (c?.owns) card.dataset['owns'] = String(c.owns.length);
  card.setAttribute('aria-label', `${id}: ${plural(fields.length, 'detail')}`);
}

/** Below the link, or above it when the card does not fit below; within the screen's width. */
function place(card: HTMLElement, link: Element): void {
  const r = link.getBoundingClientRect();
  const w = Math.min(card.offsetWidth, innerWidth - 2 * MARGIN);
  const h = card.offsetHeight;
  const left = Math.min(Math.max(MARGIN, r.left), innerWidth - w - MARGIN);
  const below = r.bottom + GAP + h <= innerHeight || r.top - GAP - h < 0;
  card.style.left = `${left + scrollX}px`;
  card.style.top = `${(below ? r.bottom + GAP : r.top - GAP - h) + scrollY}px`;
}

class Cards {
  #card: HTMLElement;
  #link: HTMLAnchorElement | null = null;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    this.#card = el(document, 'div', { id: 'agent-card', class: 'agent-card', role: 'tooltip', hidden: true });
    document.body.append(this.#card);
    this.#card.addEventListener('mouseenter', () => clearTimeout(this.#timer));
    this.#card.addEventListener('mouseleave', () => this.#later(() => this.hide(), HIDE_DELAY));
    document.addEventListener('mouseover', (e) => this.#onPointer(e, true));
    document.addEventListener('mouseout', (e) => this.#onPointer(e, false));
    document.addEventListener('focusin', (e) => {
      const a = agentLink(e.target);
      if (a) void this.show(a);
      else this.hide();
    });
    document.addEventListener('focusout', (e) => agentLink(e.target) && this.#later(() => this.hide(), 0));
    document.addEventListener('keydown', (e) => {
      if (e.key === 'Escape' && !this.#card.hidden) {
        this.hide();
        e.stopPropagation();
      }
    });
  }

  #later(f: () => void, ms: number): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(f, ms);
  }

  #onPointer(e: MouseEvent, over: boolean): void {
    const a = agentLink(e.target);
    if (!a) return;
    if (over) this.#later(() => void this.show(a), SHOW_DELAY);
    else if (!this.#card.contains(e.relatedTarget as Node | null)) this.#later(() => this.hide(), HIDE_DELAY);
  }

  async show(a: HTMLAnchorElement): Promise<void> {
    clearTimeout(this.#timer);
    const at = agentOfUrl(new URL(a.href));
    if (!at) return;
    this.#link?.removeAttribute('aria-describedby');
    this.#link = a;
    const cards = await cardsFor(at.base);
    if (this.#link !== a) return;
    fill(this.#card, at.id, cards);
    this.#card.hidden = false;
    place(this.#card, a);
    a.setAttribute('aria-describedby', this.#card.id);
  }

  hide(): void {
    clearTimeout(this.#timer);
    this.#card.hidden = true;
    this.#link?.removeAttribute('aria-describedby');
    this.#link = null;
  }
}

/** The agent link an event is on (`<base>agents/<id>/` or the index panel's `?agent=`), if any. */
function agentLink(t: EventTarget | null): HTMLAnchorElement | null {
  const a = (t as Element | null)?.closest?.('a[href]') as HTMLAnchorElement | null;
  return a && a.origin === location.origin && agentOfUrl(new URL(a.href)) ? a : null;
}

let installed = false;

/** Cards on every agent link of the page, present and future (one set of listeners on the document). */
export function defineAgentCards(): void {
  if (installed) return;
  installed = true;
  new Cards();
}
