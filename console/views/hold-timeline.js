import { badge, descriptionList, errorNotice, h, notice } from '../dom.js';
import { time } from '../format.js';
import { confirmAction } from './confirm-dialog.js';
import { deliveryCards } from './delivery-cards.js';
import { ledgerTable } from './ledger-table.js';
import { listingCounters } from './listing-counters.js';

function invoiceSummary(invoice) {
  if (!invoice) return h('p', { class: 'hint' }, 'Not invoiced.');
  return descriptionList([
    ['Order', invoice.order_id],
    ['Tickets', String(invoice.quantity)],
    ['Invoiced', time(invoice.invoiced_at)],
  ]);
}

/**
 * A hold's whole story: the hold, its listing's counters, its ledger entries, its invoice and its
 * deliveries. A held hold can be released from here; `onReleased()` is told afterwards.
 */
export function createHoldTimeline({ section, api, onReleased }) {
  let shown = null;
  const close = () => {
    shown = null;
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

  async function release(hold) {
    const confirmed = await confirmAction({
      title: `Release hold ${hold.global_id}?`,
      text: `Its ${hold.quantity} ticket(s) go back to listing ${hold.remote_id} at once, and partner ${hold.partner_id} can no longer invoice it.`,
      action: 'Release hold',
    });
    if (!confirmed) return;
    try {
      const released = await api.releaseHold(hold.global_id);
      await show(hold.global_id, notice('success', `Hold ${hold.global_id} is now ${released.status}; its tickets are available again.`));
      onReleased();
    } catch (error) {
      section.querySelector('.card-head')?.after(errorNotice(error));
    }
  }

  function render(hold, listing, message) {
    const releaseButton = hold.status === 'held' ? h('button', { type: 'button', class: 'button-danger', onclick: () => release(hold) }, 'Release hold…') : null;
    section.replaceChildren(
      header(hold, releaseButton),
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
      h('h3', {}, 'Deliveries'),
      deliveryCards(hold.deliveries),
    );
  }

  async function show(globalId, message) {
    try {
      const hold = await api.getHold(globalId);
      const listing = await api.getListing(hold.remote_id).catch((error) => error);
      if (shown === globalId) render(hold, listing, message);
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
