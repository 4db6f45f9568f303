// Query history in localStorage: the last HISTORY_LIMIT queries run, newest first, one entry per distinct text.

export const HISTORY_KEY = 'atlas.sql.history.v1';
export const HISTORY_LIMIT = 50;

export interface HistoryEntry {
  readonly sql: string;
  /** When it last ran (ISO string). */
  readonly at: string;
  /** Rows it returned, or null when it failed or was stopped. */
  readonly rows: number | null;
  /** Wall time in ms. */
  readonly ms: number | null;
  readonly ok: boolean;
}

/** The subset of the Storage API used here, so tests can pass a Map-backed store. */
export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

const isEntry = (e: unknown): e is HistoryEntry =>
  typeof e === 'object' &&
  e !== null &&
  typeof (e as HistoryEntry).sql === 'string' &&
  typeof (e as HistoryEntry).at === 'string' &&
  typeof (e as HistoryEntry).ok === 'boolean';

/** Stored entries; anything unreadable (another version, hand edits, storage off) reads as an empty history. */
export function readHistory(store: StorageLike | null): HistoryEntry[] {
  if (!store) return [];
  try {
    const parsed: unknown = JSON.parse(store.getItem(HISTORY_KEY) ?? '[]');
    return Array.isArray(parsed) ? parsed.filter(isEntry).slice(0, HISTORY_LIMIT) : [];
  } catch {
    return [];
  }
}

/** Entries with `entry` first; an older entry with the same text (ignoring outer whitespace) is dropped. */
export function withEntry(list: readonly HistoryEntry[], entry: HistoryEntry, limit = HISTORY_LIMIT): HistoryEntry[] {
  const key = entry.sql.trim();
  return [entry, ...list.filter((e) => e.sql.trim() !== key)].slice(0, limit);
}

/** Record a run and return the new list; a full or disabled storage keeps the history in memory only. */
export function addToHistory(store: StorageLike | null, entry: HistoryEntry): HistoryEntry[] {
  const list = withEntry(readHistory(store), entry);
  try {
    store?.setItem(HISTORY_KEY, JSON.stringify(list));
  } catch {
    // Quota exceeded or storage blocked: the history just is not kept across visits.
  }
  return list;
}

export function clearHistory(store: StorageLike | null): void {
  try {
    store?.setItem(HISTORY_KEY, '[]');
  } catch {
    // Nothing to do: storage is unavailable.
  }
}

/** localStorage when the browser allows it (it throws in some privacy modes), else null. */
export function browserStorage(): StorageLike | null {
  try {
    const s = globalThis.localStorage;
    s.getItem(HISTORY_KEY);
    return s;
  } catch {
    return null;
  }
}
