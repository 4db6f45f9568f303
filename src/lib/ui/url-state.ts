// View state in the URL: read typed values from the query string and write them back without reloading.

export type StateValue = string | boolean | null;

/** Read the keys named in `defaults` from the current URL, typed like the defaults. */
export function readState<T extends Record<string, StateValue>>(defaults: T, search: string = location.search): T {
  const q = new URLSearchParams(search);
  const out: Record<string, StateValue> = { ...defaults };
  for (const [k, d] of Object.entries(defaults)) {
    const v = q.get(k);
    if (v === null) continue;
    out[k] = typeof d === 'boolean' ? v === '1' || v === 'true' : v;
  }
  return out as T;
}

/** The query string for a state: default values are left out so links stay short. */
export function stateSearch<T extends Record<string, StateValue>>(state: T, defaults: T): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(state)) {
    if (v === defaults[k] || v === null || v === '') continue;
    q.set(k, typeof v === 'boolean' ? (v ? '1' : '0') : v);
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** Push the state into history (so back/forward work) unless the URL already says it. */
export function writeState<T extends Record<string, StateValue>>(state: T, defaults: T, push = true): void {
  const search = stateSearch(state, defaults);
  if (search === location.search) return;
  const url = `${location.pathname}${search}${location.hash}`;
  if (push) history.pushState(null, '', url);
  else history.replaceState(null, '', url);
}
