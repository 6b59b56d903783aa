import { badge, descriptionList, h } from '../dom.js';
import { time } from '../format.js';

const TARGET_NAMES = { tessitura: 'Tessitura', salesvu: 'SalesVu', webhook: 'Partner webhook' };
export const targetName = (target) => TARGET_NAMES[target] ?? target;

/**
 * A delivery by what it does where: "Tessitura sale", "SalesVu return", "Partner webhook" (a webhook
 * delivery is always an event). A gateway that does not say the kind gets the target's name alone.
 */
export function deliveryName({ target, kind }) {
  if (!kind || kind === 'event') return targetName(target);
  return `${targetName(target)} ${kind}`;
}

/** A pending delivery with no due time waits for another one: a SalesVu sale for Tessitura's, a return for its sale. */
const waitingFor = (delivery) => (delivery.kind === 'return' ? `after the ${targetName(delivery.target)} sale` : 'after Tessitura');

const WITHDRAWN =
  'Withdrawn: the sale was cancelled before this delivery recorded it, so nothing was recorded here and there is nothing to return.';

/** What the target answered, as name/value pairs (objects shown as JSON text). */
function acknowledgment(value) {
  if (!value) return h('p', { class: 'hint' }, 'None yet.');
  const text = (item) => (typeof item === 'object' && item !== null ? JSON.stringify(item) : String(item));
  return descriptionList(Object.entries(value).map(([name, item]) => [name, h('code', {}, text(item))]), { class: 'pairs pairs-compact' });
}

function historyList(events) {
  if (!events?.length) return h('p', { class: 'hint' }, 'No attempts yet.');
  return h(
    'ol',
    { class: 'history' },
    events.map((event) =>
      h('li', {}, h('strong', {}, event.kind.replace('_', ' ')), ` · attempt ${event.attempt} · ${event.actor} · `, time(event.at), event.detail ? h('div', { class: 'history-detail' }, event.detail) : null),
    ),
  );
}

function deliveryCard(delivery) {
  return h(
    'article',
    { class: `delivery delivery-${delivery.kind ?? 'sale'}`, 'aria-label': `${deliveryName(delivery)} delivery ${delivery.id}` },
    h('h4', {}, `${deliveryName(delivery)} `, badge(delivery.status), h('span', { class: 'hint' }, ` delivery ${delivery.id}`)),
    descriptionList([
      ['Failed attempts', String(delivery.attempts)],
      ['Next attempt', delivery.status === 'pending' && !delivery.next_attempt_at ? waitingFor(delivery) : time(delivery.next_attempt_at)],
      ['Delivered', time(delivery.delivered_at)],
    ]),
    delivery.status === 'withdrawn' ? h('p', { class: 'hint' }, WITHDRAWN) : null,
    delivery.last_error ? h('p', { class: 'error-text' }, `Last error: ${delivery.last_error}`) : null,
    h('h5', {}, 'Acknowledgment'),
    acknowledgment(delivery.acknowledgment),
    h('h5', {}, 'History'),
    historyList(delivery.history),
  );
}

/** A hold's deliveries (sales, returns, webhook events) in the order the gateway lists them, each with its history. */
export function deliveryCards(deliveries) {
  if (deliveries.length === 0) return h('p', { class: 'hint' }, 'Nothing to deliver: the hold has not been invoiced.');
  return h('div', { class: 'deliveries' }, deliveries.map(deliveryCard));
}
