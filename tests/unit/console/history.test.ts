import { describe, expect, it } from 'vitest';
import { addToHistory, clearHistory, HISTORY_KEY, HISTORY_LIMIT, readHistory, withEntry, type HistoryEntry, type StorageLike } from '../../../src/lib/console/history.ts';

const store = (): StorageLike & { data: Map<string, string> } => {
  const data = new Map<string, string>();
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v) };
};
const entry = (sql: string, i = 0): HistoryEntry => ({ sql, at: `2026-06-13T10:00:${String(i % 60).padStart(2, '0')}.000Z`, rows: i, ms: 5, ok: true });

describe('query history', () => {
  it('keeps the newest first, one entry per text, at most 50', () => {
    const s = store();
    for (let i = 0; i < 60; i++) addToHistory(s, entry(`SELECT ${i}`, i));
    addToHistory(s, entry('SELECT 10', 99));
    const list = readHistory(s);
    expect(list).toHaveLength(HISTORY_LIMIT);
    expect(list[0]).toEqual(entry('SELECT 10', 99));
    expect(list.filter((e) => e.sql === 'SELECT 10')).toHaveLength(1);
    expect(list[1]!.sql).toBe('SELECT 59');
    expect(withEntry([entry('SELECT 1')], entry(' SELECT 1\n', 2))).toHaveLength(1);
  });

  it('reads broken or foreign storage as empty, survives a full or missing store', () => {
    const s = store();
    s.setItem(HISTORY_KEY, '{not json');
    expect(readHistory(s)).toEqual([]);
    s.setItem(HISTORY_KEY, JSON.stringify([{ sql: 1 }, entry('SELECT ✓')]));
    expect(readHistory(s)).toEqual([entry('SELECT ✓')]);
    const full: StorageLike = { getItem: () => null, setItem: () => { throw new Error('QuotaExceededError'); } };
    expect(addToHistory(full, entry('SELECT 1'))).toHaveLength(1);
    expect(readHistory(null)).toEqual([]);
    expect(addToHistory(null, entry('SELECT 1'))).toHaveLength(1);
    clearHistory(s);
    expect(readHistory(s)).toEqual([]);
  });
});
