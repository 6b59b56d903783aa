import { dataTable } from './data-table.js';

/** The seats Tessitura assigned to the sale, with their ticket numbers (what a return names). */
export const seatTable = (seats) =>
  dataTable({
    caption: 'Seats sold, as Tessitura assigned them',
    empty: 'No seats yet: Tessitura has not recorded the sale.',
    rows: seats ?? [],
    columns: [
      { label: 'Section', cell: (seat) => seat.section },
      { label: 'Row', cell: (seat) => seat.row },
      { label: 'Seat', cell: (seat) => seat.seat },
      { label: 'Ticket', numeric: true, cell: (seat) => (seat.ticket_number === null ? '—' : String(seat.ticket_number)) },
    ],
  });
