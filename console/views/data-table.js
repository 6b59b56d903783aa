import { h, notice } from '../dom.js';

/**
 * A table with a caption for screen readers and a header row: each column is `{ label, cell(row),
 * numeric? }`, where `cell` answers text or a node. With no rows it answers the `empty` message instead.
 */
export function dataTable({ caption, columns, rows, empty }) {
  if (rows.length === 0) return notice('info', empty);
  const cellClass = (column) => (column.numeric ? 'num' : undefined);
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      {},
      h('caption', { class: 'visually-hidden' }, caption),
      h('thead', {}, h('tr', {}, columns.map((column) => h('th', { scope: 'col', class: cellClass(column) }, column.label)))),
      h('tbody', {}, rows.map((row) => h('tr', {}, columns.map((column) => h('td', { class: cellClass(column) }, column.cell(row)))))),
    ),
  );
}
