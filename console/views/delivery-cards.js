import { badge, descriptionList, h } from '../dom.js';
import { time } from '../format.js';

const TARGET_NAMES = { tessitura: 'Tessitura', salesvu: 'SalesVu' };
export const targetName = (target) => TARGET_NAMES[target] ?? target;

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
    { class: 'delivery', 'aria-label': `Delivery to ${targetName(delivery.target)}` },
    h('h4', {}, `${targetName(delivery.target)} `, badge(delivery.status), h('span', { class: 'hint' }, ` delivery ${delivery.id}`)),
    descriptionList([
      ['Failed attempts', String(delivery.attempts)],
      ['Next attempt', delivery.status === 'pending' && !delivery.next_attempt_at ? 'after Tessitura' : time(delivery.next_attempt_at)],
      ['Delivered', time(delivery.delivered_at)],
    ]),
    delivery.last_error ? h('p', { class: 'error-text' }, `Last error: ${delivery.last_error}`) : null,
    h('h5', {}, 'Acknowledgment'),
    acknowledgment(delivery.acknowledgment),
    h('h5', {}, 'History'),
    historyList(delivery.history),
  );
}

/** A hold's downstream deliveries, Tessitura first, each with its history. */
export function deliveryCards(deliveries) {
  if (deliveries.length === 0) return h('p', { class: 'hint' }, 'Nothing to deliver: the hold has not been invoiced.');
  return h('div', { class: 'deliveries' }, deliveries.map(deliveryCard));
}
