// Virtualized results grid: only the visible rows are in the DOM, so 100,000 rows scroll like 100.
//
// ARIA grid: the scroll area holds focus and points at the active cell with aria-activedescendant; arrow
// keys, Page Up/Down and Home/End move it, and the page shows the active cell's full value. Headers are
// buttons that cycle the sort (ascending, descending, as returned). Values are set as text, never as HTML.
import { Virtualizer, elementScroll, observeElementOffset, observeElementRect } from '@tanstack/virtual-core';
import { arrayRows, compareValues, displayValue, type ResultColumn, type Row, type RowSource } from './format.ts';

export const ROW_HEIGHT = 28;

export type SortDir = 'ascending' | 'descending';
export interface SortState {
  readonly column: number;
  readonly dir: SortDir;
}

export interface ActiveCell {
  readonly row: Row;
  /** Position in the current order (0-based) and in the result as returned. */
  readonly position: number;
  readonly index: number;
  readonly column: ResultColumn;
  readonly value: unknown;
}

/** Row order for a sort: a permutation of 0..n-1, stable (ties keep the returned order), NULLs last either way. */
export function sortOrder(values: readonly unknown[], dir: SortDir): Uint32Array {
  const n = values.length;
  const order = Array.from({ length: n }, (_, i) => i);
  const sign = dir === 'ascending' ? 1 : -1;
  if (values.every((v) => v === null || v === undefined || typeof v === 'number')) {
    // Numbers (the common case for a sort) compare as doubles: rank 0 numbers, 1 NaN, 2 NULL.
    const keys = Float64Array.from(values, (v) => (typeof v === 'number' ? v : 0));
    const rank = Uint8Array.from(values, (v) => (typeof v !== 'number' ? 2 : Number.isNaN(v) ? 1 : 0));
    order.sort((a, b) => rank[a]! - rank[b]! || (rank[a] === 0 ? sign * (keys[a]! - keys[b]!) : 0) || a - b);
    return Uint32Array.from(order);
  }
  order.sort((a, b) => {
    const va = values[a];
    const vb = values[b];
    const na = va === null || va === undefined;
    const nb = vb === null || vb === undefined;
    if (na || nb) return na === nb ? a - b : na ? 1 : -1;
    return sign * compareValues(va, vb) || a - b;
  });
  return Uint32Array.from(order);
}

/** Rows to size columns from: the first, middle and last `each` rows (values often grow down a result). */
export function sampleRows(n: number, each = 40): number[] {
  const picks = new Set<number>();
  for (const start of [0, Math.floor(n / 2) - Math.floor(each / 2), n - each]) {
    for (let i = Math.max(0, start); i < Math.min(n, start + each); i++) picks.add(i);
  }
  return [...picks].sort((a, b) => a - b);
}

/** Column widths in `ch` from the header and sampled values (a long body does not make a 400ch column). */
export function columnWidths(columns: readonly ResultColumn[], rows: RowSource): number[] {
  const sample = sampleRows(rows.length).map((i) => rows.row(i));
  return columns.map((c) => {
    // +2 for the cell padding; the type line is in a smaller font, so its length is an upper bound.
    let w = Math.max(c.name.length + 4, Math.min(c.type.length, 18) + 2);
    for (const r of sample) w = Math.max(w, displayValue(r[c.name], c.kind, 60).length + 2);
    return Math.max(5, Math.min(w, 48));
  });
}

let gridIds = 0;

export class ResultGrid {
  readonly element: HTMLDivElement;
  #scroll: HTMLDivElement;
  #head: HTMLDivElement;
  #body: HTMLDivElement;
  #columns: readonly ResultColumn[] = [];
  #rows: RowSource = arrayRows([]);
  #order: Uint32Array | null = null;
  #sort: SortState | null = null;
  #active = { pos: 0, col: 0 };
  #virt: Virtualizer<HTMLDivElement, HTMLDivElement> | null = null;
  #cleanup: (() => void) | null = null;
  #rendered = new Map<number, HTMLDivElement>();
  #id = `grid${++gridIds}`;
  #onActive: (cell: ActiveCell | null) => void;

  constructor(label: string, onActive: (cell: ActiveCell | null) => void) {
    this.#onActive = onActive;
    this.element = document.createElement('div');
    this.element.className = 'result-grid';
    this.#scroll = document.createElement('div');
    this.#scroll.className = 'grid-scroll';
    this.#scroll.setAttribute('role', 'grid');
    this.#scroll.setAttribute('aria-label', label);
    this.#scroll.tabIndex = 0;
    this.#head = document.createElement('div');
    this.#head.className = 'grid-head';
    this.#head.setAttribute('role', 'rowgroup');
    this.#body = document.createElement('div');
    this.#body.className = 'grid-body';
    this.#body.setAttribute('role', 'rowgroup');
    this.#scroll.append(this.#head, this.#body);
    this.element.append(this.#scroll);
    this.#scroll.addEventListener('scroll', () => (this.#scrolled = { top: this.#scroll.scrollTop, left: this.#scroll.scrollLeft }), { passive: true });
    this.#scroll.addEventListener('keydown', (e) => this.#key(e));
    this.#body.addEventListener('click', (e) => {
      const cell = (e.target as Element).closest<HTMLElement>('[data-col]');
      const row = cell?.parentElement as HTMLElement | null;
      if (!cell || !row?.dataset['pos']) return;
      this.#setActive(Number(row.dataset['pos']), Number(cell.dataset['col']), false);
      this.#scroll.focus({ preventScroll: true });
    });
  }

  get rowCount(): number {
    return this.#rows.length;
  }

  get sort(): SortState | null {
    return this.#sort;
  }

  /** Result positions in display order (null: as returned). */
  get order(): Uint32Array | null {
    return this.#order;
  }

  /** The first `limit` rows in display order (for tests). */
  orderedRows(limit = Infinity): Row[] {
    const n = Math.min(limit, this.#rows.length);
    return Array.from({ length: n }, (_, k) => this.#rows.row(this.#order ? this.#order[k]! : k));
  }

  setResult(columns: readonly ResultColumn[], rows: RowSource): void {
    this.#columns = columns;
    this.#rows = rows;
    this.#order = null;
    this.#sort = null;
    this.#active = { pos: 0, col: 0 };
    this.#setWidths();
    this.#scroll.setAttribute('aria-colcount', String(columns.length + 1));
    this.#renderHead();
    this.#mount();
    this.#emitActive();
  }

  /**
   * The same result with more rows (its first rows were shown while the rest was read): the scroll position, the
   * active cell and the sort stay; the widths are measured again over the whole result.
   */
  extend(rows: RowSource): void {
    this.#rows = rows;
    this.#setWidths();
    if (this.#sort) {
      this.#order = sortOrder(rows.column(this.#columns[this.#sort.column]!.name), this.#sort.dir);
      this.#clearRows();
    }
    const v = this.#virt;
    if (!v) {
      this.#mount();
      return;
    }
    v.setOptions(this.#virtOptions());
    v.measure();
    this.element.style.setProperty('--grid-h', `${v.getTotalSize() + this.#headHeight + 18}px`);
    this.#renderRows();
  }

  #setWidths(): void {
    const rows = this.#rows;
    const widths = columnWidths(this.#columns, rows);
    const digits = String(rows.length).length;
    this.element.style.setProperty('--grid-cols', [`${Math.max(3, digits) + 2}ch`, ...widths.map((w) => `${w}ch`)].join(' '));
    this.#scroll.setAttribute('aria-rowcount', String(rows.length + 1));
  }

  /** Sort by column `j` (or restore the returned order with null). */
  sortBy(state: SortState | null): void {
    this.#sort = state;
    this.#order = state ? sortOrder(this.#rows.column(this.#columns[state.column]!.name), state.dir) : null;
    this.#renderHead();
    this.#clearRows();
    this.#virt?.measure();
    this.#renderRows();
    this.#emitActive();
  }

  destroy(): void {
    this.#cleanup?.();
    this.#cleanup = null;
    this.#virt = null;
    this.element.remove();
  }

  #rowAt(pos: number): { row: Row; index: number } | null {
    const index = this.#order ? this.#order[pos] : pos;
    if (index === undefined || index >= this.#rows.length) return null;
    return { row: this.#rows.row(index), index };
  }

  #renderHead(): void {
    const tr = document.createElement('div');
    tr.className = 'grid-row';
    tr.setAttribute('role', 'row');
    tr.setAttribute('aria-rowindex', '1');
    const corner = document.createElement('div');
    corner.className = 'grid-cell rownum';
    corner.setAttribute('role', 'columnheader');
    corner.textContent = '#';
    tr.append(corner);
    this.#columns.forEach((c, j) => {
      const th = document.createElement('div');
      th.className = `grid-cell${c.kind === 'number' ? ' num' : ''}`;
      th.setAttribute('role', 'columnheader');
      th.setAttribute('aria-colindex', String(j + 2));
      const dir = this.#sort?.column === j ? this.#sort.dir : null;
      if (dir) th.setAttribute('aria-sort', dir);
      const b = document.createElement('button');
      b.type = 'button';
      b.className = 'sort';
      const name = document.createElement('span');
      name.className = 'col-name';
      name.textContent = c.name;
      const type = document.createElement('span');
      type.className = 'col-type';
      type.textContent = c.type;
      const arrow = document.createElement('span');
      arrow.className = 'sort-arrow';
      arrow.setAttribute('aria-hidden', 'true');
      arrow.textContent = dir === 'ascending' ? '▲' : dir === 'descending' ? '▼' : '';
      b.append(name, arrow, type);
      b.title = `Sort by ${c.name}`;
      b.addEventListener('click', () => {
        const next: SortState | null = dir === null ? { column: j, dir: 'ascending' } : dir === 'ascending' ? { column: j, dir: 'descending' } : null;
        this.sortBy(next);
      });
      th.append(b);
      tr.append(th);
    });
    this.#head.replaceChildren(tr);
  }

  #headHeight = 0;
  /** Scroll offsets as the last scroll event left them, so a new result resets them only when they are not 0. */
  #scrolled = { top: 0, left: 0 };

  /**
   * Show the current rows from the top. The virtualizer is made with the first result and kept: a new one would
   * scroll its element to its start offset, which forces a layout of the whole page at every run.
   */
  #mount(): void {
    this.#clearRows();
    if (this.#scrolled.top !== 0 || this.#scrolled.left !== 0) {
      this.#scroll.scrollTop = 0;
      this.#scroll.scrollLeft = 0;
      this.#scrolled = { top: 0, left: 0 };
    }
    const v = this.#virt ?? this.#makeVirtualizer();
    v.setOptions(this.#virtOptions());
    v.measure();
    this.#body.style.height = `${v.getTotalSize()}px`;
    // Short results get a short grid; CSS caps the height (min(60vh, 34rem)).
    this.element.style.setProperty('--grid-h', `${v.getTotalSize() + this.#headHeight + 18}px`);
    this.#renderRows();
  }

  #virtOptions(): ConstructorParameters<typeof Virtualizer<HTMLDivElement, HTMLDivElement>>[0] {
    return {
      count: this.#rows.length,
      getScrollElement: () => this.#scroll,
      estimateSize: () => ROW_HEIGHT,
      overscan: 12,
      // The sticky header sits above the rows inside the same scroller.
      scrollMargin: this.#headHeight,
      scrollPaddingStart: this.#headHeight,
      observeElementRect,
      observeElementOffset,
      scrollToFn: elementScroll,
      onChange: () => this.#renderRows(),
    };
  }

  #makeVirtualizer(): Virtualizer<HTMLDivElement, HTMLDivElement> {
    // Every row has one height, so the header's is read once.
    this.#headHeight = this.#head.offsetHeight;
    const v = new Virtualizer<HTMLDivElement, HTMLDivElement>(this.#virtOptions());
    this.#virt = v;
    const unmount = v._didMount();
    v._willUpdate();
    this.#cleanup = () => unmount();
    return v;
  }

  #clearRows(): void {
    this.#rendered.clear();
    this.#body.replaceChildren();
  }

  #renderRows(): void {
    const v = this.#virt;
    if (!v) return;
    this.#body.style.height = `${v.getTotalSize()}px`;
    const items = v.getVirtualItems();
    const keep = new Set(items.map((it) => it.index));
    // Rows that scrolled out are refilled for rows that scrolled in (fewer nodes created and removed per frame).
    const free: HTMLDivElement[] = [];
    for (const [pos, el] of this.#rendered) {
      if (!keep.has(pos)) {
        free.push(el);
        this.#rendered.delete(pos);
      }
    }
    for (const it of items) {
      let el = this.#rendered.get(it.index);
      if (!el) {
        const reused = free.pop();
        el = this.#fillRow(reused ?? this.#newRow(), it.index);
        if (!reused) this.#body.append(el);
        this.#rendered.set(it.index, el);
      }
      el.style.transform = `translateY(${it.start - this.#headHeight}px)`;
    }
    for (const el of free) el.remove();
    this.#markActive();
  }

  #newRow(): HTMLDivElement {
    const tr = document.createElement('div');
    tr.className = 'grid-row';
    tr.setAttribute('role', 'row');
    const num = document.createElement('div');
    num.className = 'grid-cell rownum';
    num.setAttribute('role', 'rowheader');
    tr.append(num);
    this.#columns.forEach((_c, j) => {
      const td = document.createElement('div');
      td.setAttribute('role', 'gridcell');
      td.setAttribute('aria-colindex', String(j + 2));
      td.dataset['col'] = String(j);
      tr.append(td);
    });
    return tr;
  }

  #fillRow(tr: HTMLDivElement, pos: number): HTMLDivElement {
    tr.setAttribute('aria-rowindex', String(pos + 2));
    tr.dataset['pos'] = String(pos);
    tr.classList.toggle('odd', pos % 2 === 1);
    const hit = this.#rowAt(pos);
    const cells = tr.children;
    cells[0]!.textContent = String(pos + 1);
    this.#columns.forEach((c, j) => {
      const td = cells[j + 1] as HTMLElement;
      const v = hit?.row[c.name];
      const isNull = v === null || v === undefined;
      td.className = `grid-cell${c.kind === 'number' ? ' num' : ''}${isNull ? ' null' : ''}`;
      td.textContent = displayValue(v, c.kind);
    });
    return tr;
  }

  #markActive(): void {
    const activeId = `${this.#id}-active`;
    const old = this.#body.querySelector(`#${activeId}`);
    const row = this.#rendered.get(this.#active.pos);
    const cell = row?.querySelector<HTMLElement>(`[data-col="${this.#active.col}"]`) ?? null;
    if (old && old !== cell) {
      old.removeAttribute('id');
      old.removeAttribute('aria-selected');
      old.classList.remove('active');
    }
    if (cell) {
      cell.id = activeId;
      cell.setAttribute('aria-selected', 'true');
      cell.classList.add('active');
      this.#scroll.setAttribute('aria-activedescendant', activeId);
    } else this.#scroll.removeAttribute('aria-activedescendant');
  }

  #setActive(pos: number, col: number, scroll = true): void {
    const n = this.#rows.length;
    if (n === 0 || this.#columns.length === 0) return;
    this.#active = { pos: Math.max(0, Math.min(n - 1, pos)), col: Math.max(0, Math.min(this.#columns.length - 1, col)) };
    if (scroll) {
      this.#virt?.scrollToIndex(this.#active.pos, { align: 'auto' });
      const cell = this.#rendered.get(this.#active.pos)?.querySelector<HTMLElement>(`[data-col="${this.#active.col}"]`);
      cell?.scrollIntoView({ block: 'nearest', inline: 'nearest' });
    }
    this.#markActive();
    this.#emitActive();
  }

  #emitActive(): void {
    const hit = this.#rowAt(this.#active.pos);
    const column = this.#columns[this.#active.col];
    if (!hit || !column) {
      this.#onActive(null);
      return;
    }
    this.#onActive({ row: hit.row, position: this.#active.pos, index: hit.index, column, value: hit.row[column.name] });
  }

  #key(e: KeyboardEvent): void {
    const page = Math.max(1, Math.floor(this.#scroll.clientHeight / ROW_HEIGHT) - 2);
    const { pos, col } = this.#active;
    const moves: Record<string, () => void> = {
      ArrowDown: () => this.#setActive(pos + 1, col),
      ArrowUp: () => this.#setActive(pos - 1, col),
      ArrowRight: () => this.#setActive(pos, col + 1),
      ArrowLeft: () => this.#setActive(pos, col - 1),
      PageDown: () => this.#setActive(pos + page, col),
      PageUp: () => this.#setActive(pos - page, col),
      Home: () => (e.ctrlKey ? this.#setActive(0, 0) : this.#setActive(pos, 0)),
      End: () => (e.ctrlKey ? this.#setActive(this.#rows.length - 1, this.#columns.length - 1) : this.#setActive(pos, this.#columns.length - 1)),
    };
    const move = moves[e.key];
    if (move) {
      e.preventDefault();
      move();
    }
  }
}
