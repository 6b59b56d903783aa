import { badge, errorNotice, h, notice } from '../dom.js';
import { orDash, seconds, time } from '../format.js';
import { dataTable } from './data-table.js';
import { deliveryName, targetName } from './delivery-cards.js';
import { createPager } from './pager.js';

const summaryTable = (targets) =>
  dataTable({
    caption: 'Outbox per target',
    empty: 'No targets are configured.',
    rows: targets,
    columns: [
      { label: 'Target', cell: (row) => targetName(row.target) },
      { label: 'Circuit breaker', cell: (row) => badge(row.breaker) },
      { label: 'Pending', numeric: true, cell: (row) => String(row.pending) },
      { label: 'Dead', numeric: true, cell: (row) => h('span', { class: row.dead ? 'alert-count' : undefined }, String(row.dead)) },
      { label: 'Oldest pending', numeric: true, cell: (row) => seconds(row.oldest_pending_seconds) },
    ],
  });

/**
 * The downstream outbox: per-target summary, and the deliveries of one status (dead by default), paged,
 * each with a Retry button. `onOpenHold(globalId)` opens a delivery's hold.
 */
export function createOutbox({ summary, filters, results, refreshButton, api, onOpenHold }) {
  const pager = createPager('Pages of deliveries', () => showDeliveries());

  const deliveryTable = (deliveries) =>
    dataTable({
      caption: 'Deliveries, newest first',
      empty: 'No deliveries with this status.',
      rows: deliveries,
      columns: [
        { label: 'Delivery', numeric: true, cell: (row) => String(row.id) },
        { label: 'Hold', cell: (row) => h('button', { type: 'button', class: 'link', onclick: () => onOpenHold(row.global_id) }, row.global_id) },
        { label: 'Target', cell: (row) => deliveryName(row) },
        { label: 'Status', cell: (row) => badge(row.status) },
        { label: 'Failed attempts', numeric: true, cell: (row) => String(row.attempts) },
        { label: 'Last error', cell: (row) => h('span', { class: 'error-text' }, orDash(row.last_error)) },
        { label: 'Updated', cell: (row) => time(row.updated_at, 'short') },
        {
          label: 'Action',
          cell: (row) =>
            // Delivered and withdrawn deliveries are over: nothing to send again.
            row.status !== 'pending' && row.status !== 'dead'
              ? ''
              : h('button', { type: 'button', onclick: () => retry(row), 'aria-label': `Retry delivery ${row.id}` }, 'Retry'),
        },
      ],
    });

  async function showSummary() {
    try {
      summary.replaceChildren(summaryTable((await api.getOutbox()).targets));
    } catch (error) {
      summary.replaceChildren(errorNotice(error, 'The outbox summary'));
    }
  }

  async function showDeliveries(message) {
    try {
      const page = await api.listDeliveries({ ...Object.fromEntries(new FormData(filters)), cursor: pager.cursor });
      pager.update(page.next_cursor);
      results.replaceChildren(message ?? '', deliveryTable(page.data), pager.element);
    } catch (error) {
      results.replaceChildren(errorNotice(error, 'The delivery list'));
    }
  }

  async function retry(delivery) {
    try {
      await api.retryDelivery(delivery.id);
      const done = notice('success', `Delivery ${delivery.id} (${deliveryName(delivery)}) will be sent again now.`);
      await Promise.all([showSummary(), showDeliveries(done)]);
    } catch (error) {
      results.prepend(errorNotice(error));
    }
  }

  const load = () => Promise.all([showSummary(), showDeliveries()]);
  filters.addEventListener('change', () => {
    pager.reset();
    showDeliveries();
  });
  refreshButton.addEventListener('click', load);

  return {
    load() {
      pager.reset();
      return load();
    },
    reset() {
      filters.reset();
      pager.reset();
      summary.replaceChildren();
      results.replaceChildren();
    },
  };
}
