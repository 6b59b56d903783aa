import { delta, time } from '../format.js';
import { dataTable } from './data-table.js';

const change = (field) => ({ label: `${field[0].toUpperCase()}${field.slice(1)} Δ`, numeric: true, cell: (entry) => delta(entry.delta[field]) });

/** A hold's ledger entries, oldest first: what each change added to the listing's counters. */
export const ledgerTable = (entries) =>
  dataTable({
    caption: 'Ledger entries, oldest first',
    empty: 'No ledger entries.',
    rows: entries,
    columns: [
      { label: 'Entry', numeric: true, cell: (entry) => entry.id },
      { label: 'Kind', cell: (entry) => entry.kind },
      change('available'),
      change('held'),
      change('sold'),
      change('quantity'),
      { label: 'By', cell: (entry) => entry.actor },
      { label: 'At', cell: (entry) => time(entry.at, 'short') },
    ],
  });
