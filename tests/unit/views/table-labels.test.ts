// Stacked cards on phones: every data table a view renders gets each body cell labelled with its column heading
// (views/parts.ts labelTableCells, run by ssr.ts at build time and view-element.ts in the browser).
import { describe, expect, it } from 'vitest';
import { serverDocument } from '../../../src/lib/charts/ssr.ts';
import { dataTable, labelTableCells } from '../../../src/lib/views/parts.ts';

describe('labelTableCells', () => {
  it("labels each cell with its column's heading, following column spans and keeping labels already set", () => {
    const doc = serverDocument();
    const box = doc.createElement('div');
    const heads = ['agent', 'score ▼', 'when'];
    box.innerHTML =
      `<table class="data"><thead><tr>${heads.map((h) => `<th>${h}</th>`).join('')}</tr></thead>` +
      '<tbody><tr><td>a</td><td>1</td><td>t</td></tr><tr><td colspan="2">wide</td><td data-label="kept">t</td></tr></tbody></table>' +
      '<table class="other"><thead><tr><th>x</th></tr></thead><tbody><tr><td>1</td></tr></tbody></table>';
    labelTableCells(box);
    const labels = [...box.querySelectorAll('table.data tbody tr')].map((tr) => [...tr.children].map((td) => td.getAttribute('data-label')));
    expect(labels).toEqual([
      ['agent', 'score', 'when'],
      ['agent', 'kept'],
    ]);
    // Only data tables are touched.
    expect(box.querySelector('table.other td')?.hasAttribute('data-label')).toBe(false);
  });

  it('labels the shared renderer’s tables, whose wrap can be reached by keyboard', () => {
    const doc = serverDocument();
    const t = dataTable(doc, 'Runs', ['run', { num: 'score' }, { when: 'finished' }], [['r1', '1.5', '2026']]);
    labelTableCells(t);
    expect([...t.querySelectorAll('td')].map((td) => td.getAttribute('data-label'))).toEqual(['run', 'score', 'finished']);
    expect([t.getAttribute('tabindex'), t.getAttribute('role'), t.getAttribute('aria-label')]).toEqual(['0', 'region', 'Runs']);
  });
});
