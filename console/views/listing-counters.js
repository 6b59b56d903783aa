import { errorNotice, h } from '../dom.js';
import { time } from '../format.js';

const COUNTERS = [
  ['available', 'Available'],
  ['held', 'Held'],
  ['sold', 'Sold'],
  ['quantity', 'On hand'],
];

/** Where the tickets are: one bar, available + held + sold = quantity (the numbers are in the list). */
function shareBar(listing) {
  const share = (field) => {
    const part = h('span', { class: `share-${field}` });
    // Through the DOM, not a style attribute: the page's Content-Security-Policy refuses inline styles.
    part.style.width = `${listing.quantity ? (100 * listing[field]) / listing.quantity : 0}%`;
    return part;
  };
  return h('div', { class: 'share-bar', 'aria-hidden': 'true' }, ['available', 'held', 'sold'].map(share));
}

/** The hold's listing with its counters; `listing` may be the Error its request failed with. */
export function listingCounters(listing) {
  if (listing instanceof Error) return errorNotice(listing);
  const { event } = listing;
  return h(
    'section',
    { class: 'listing', 'aria-labelledby': 'listing-title' },
    h('h3', { id: 'listing-title' }, `Listing ${listing.remote_id}`),
    h('p', { class: 'hint' }, `${event.name} · ${event.venue} · ${listing.section}, row ${listing.row} · `, time(event.occurs_at)),
    h(
      'dl',
      { class: 'counters', id: 'listing-counters' },
      COUNTERS.map(([field, label]) => h('div', { class: `counter counter-${field}` }, h('dt', {}, label), h('dd', { 'data-counter': field }, String(listing[field])))),
    ),
    shareBar(listing),
  );
}
