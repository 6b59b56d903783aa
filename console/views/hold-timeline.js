import { badge, descriptionList, errorNotice, h, notice } from '../dom.js';
import { time } from '../format.js';
import { askToCancelSale } from './cancel-sale-dialog.js';
import { confirmAction } from './confirm-dialog.js';
import { deliveryCards } from './delivery-cards.js';
import { ledgerTable } from './ledger-table.js';
import { listingCounters } from './listing-counters.js';
import { seatTable } from './seat-table.js';

/** How often an open hold's pending deliveries are read again. */
const WATCH_INTERVAL_MS = 2_000;

function invoiceSummary(invoice) {
  if (!invoice) return h('p', { class: 'hint' }, 'Not invoiced.');
  return descriptionList([
    ['Order', invoice.order_id],
    ['Tickets', String(invoice.quantity)],
    ['Invoiced', time(invoice.invoiced_at)],
  ]);
}

function cancellationSummary(cancellation) {
  if (!cancellation) return [];
  return [
    h('h3', {}, 'Cancellation'),
    descriptionList([
      ['Cancelled', time(cancellation.cancelled_at)],
      ['Tickets', cancellation.restocked ? 'Back on sale' : 'Taken off the listing'],
      ['Reason', cancellation.reason],
    ]),
  ];
}

/** The seats sold and the deliveries: what changes while deliveries are sent. */
function downstream(hold) {
  const watching = hold.deliveries.some((delivery) => delivery.status === 'pending');
  return [
    ...(hold.invoice ? [h('h3', {}, 'Seats'), seatTable(hold.seats)] : []),
    h('h3', {}, 'Deliveries'),
    watching ? h('p', { class: 'hint' }, 'Pending deliveries are read again every few seconds.') : null,
    deliveryCards(hold.deliveries),
  ];
}

/**
 * A hold's whole story: the hold, its listing's counters, its ledger entries, its invoice (and its
 * cancellation), the seats sold and its deliveries, watched while any is pending. A held hold can be
 * released, and an invoiced one's sale cancelled, from here; `onChanged()` is told afterwards. Only staff
 * and admin keys sign in to the console, and both may do either.
 */
export function createHoldTimeline({ section, api, onChanged }) {
  let shown = null;
  let watchTimer;
  const close = () => {
    shown = null;
    clearTimeout(watchTimer);
    section.hidden = true;
    section.replaceChildren();
  };

  function header(hold, actions) {
    return h(
      'div',
      { class: 'card-head' },
      h('h2', { id: 'timeline-title', tabindex: '-1' }, `Hold ${hold.global_id} `, hold.status ? badge(hold.status) : null),
      h('div', { class: 'actions' }, actions, h('button', { type: 'button', class: 'button-quiet', onclick: close }, 'Close')),
    );
  }

  /** Shows the hold again with `message`, and focuses its title (the button used is gone). */
  async function changed(globalId, message) {
    await show(globalId, message);
    section.querySelector('#timeline-title')?.focus({ preventScroll: true });
    onChanged();
  }

  async function release(hold) {
    const confirmed = await confirmAction({
      title: `Release hold ${hold.global_id}?`,
      text: `Its ${hold.quantity} ticket(s) go back to listing ${hold.remote_id} at once, and partner ${hold.partner_id} can no longer invoice it.`,
      action: 'Release hold',
    });
    if (!confirmed) return;
    try {
      const released = await api.releaseHold(hold.global_id);
      await changed(hold.global_id, notice('success', `Hold ${hold.global_id} is now ${released.status}; its tickets are available again.`));
    } catch (error) {
      section.querySelector('.card-head')?.after(errorNotice(error));
    }
  }

  async function cancelSale(hold) {
    const cancellation = await askToCancelSale(hold);
    if (!cancellation) return;
    try {
      const cancelled = await api.cancelSale(hold.global_id, cancellation);
      const tickets = cancelled.restocked ? 'its tickets are back on sale' : `its tickets have left listing ${hold.remote_id}`;
      await changed(hold.global_id, notice('success', `The sale of hold ${hold.global_id} is now ${cancelled.status}; ${tickets}.`));
    } catch (error) {
      section.querySelector('.card-head')?.after(errorNotice(error, 'Cancelling a sale'));
    }
  }

  function actionFor(hold) {
    if (hold.status === 'held') return h('button', { type: 'button', class: 'button-danger', onclick: () => release(hold) }, 'Release hold…');
    if (hold.status === 'invoiced') return h('button', { type: 'button', class: 'button-danger', onclick: () => cancelSale(hold) }, 'Cancel sale…');
    return null;
  }

  function render(hold, listing, message) {
    section.replaceChildren(
      header(hold, actionFor(hold)),
      message ?? '',
      h(
        'div',
        { class: 'timeline-overview' },
        descriptionList([
          ['Partner', hold.partner_id],
          ['Tickets', String(hold.quantity)],
          ['Created', time(hold.created_at)],
          ['Expires', time(hold.expires_at)],
        ]),
        listingCounters(listing),
      ),
      h('h3', {}, 'Ledger'),
      ledgerTable(hold.timeline),
      h('h3', {}, 'Invoice'),
      invoiceSummary(hold.invoice),
      ...cancellationSummary(hold.invoice?.cancellation),
      h('div', { id: 'hold-downstream' }, downstream(hold)),
    );
  }

  /** While a delivery is pending, reads the hold again now and then and redraws its seats and deliveries only. */
  function watch(globalId, hold) {
    clearTimeout(watchTimer);
    if (!hold.deliveries.some((delivery) => delivery.status === 'pending')) return;
    watchTimer = setTimeout(async () => {
      try {
        const again = await api.getHold(globalId);
        if (shown !== globalId) return;
        section.querySelector('#hold-downstream')?.replaceChildren(...downstream(again).filter(Boolean));
        watch(globalId, again);
      } catch {
        // Stop watching; opening the hold again shows what went wrong.
      }
    }, WATCH_INTERVAL_MS);
  }

  async function show(globalId, message) {
    clearTimeout(watchTimer);
    try {
      const hold = await api.getHold(globalId);
      const listing = await api.getListing(hold.remote_id).catch((error) => error);
      if (shown !== globalId) return;
      render(hold, listing, message);
      watch(globalId, hold);
    } catch (error) {
      if (shown === globalId) section.replaceChildren(header({ global_id: globalId }), errorNotice(error));
    }
  }

  return {
    async open(globalId) {
      shown = globalId;
      section.hidden = false;
      section.replaceChildren(header({ global_id: globalId }), h('p', { class: 'hint' }, 'Loading…'));
      section.scrollIntoView({ behavior: 'smooth', block: 'start' });
      await show(globalId);
      section.querySelector('#timeline-title')?.focus({ preventScroll: true });
    },
    reset: close,
  };
}
