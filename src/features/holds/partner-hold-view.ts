import type { Delivery } from '../deliveries/delivery';
import type { HoldDetail } from './hold';

/** What a partner is shown of an actor that is neither one of its own keys nor a system job. */
export const VENUE_ACTOR = 'venue';

/** The acknowledgment fields a partner needs: the orders its sale became downstream. */
const PARTNER_ACKNOWLEDGMENT_FIELDS = ['order_id', 'tessitura_order_id'];

/**
 * A hold's story as its partner may read it: status, order ids and seats, but not the venue's internals
 * (Tessitura session keys, SalesVu store ids, downstream errors and attempt history, the names of the
 * venue's staff keys). `ownActors` names the partner's own keys.
 */
export function partnerHoldView(detail: HoldDetail, ownActors: ReadonlySet<string>): HoldDetail {
  const shownActor = (actor: string) => (ownActors.has(actor) || actor.startsWith('system:') ? actor : VENUE_ACTOR);
  return {
    ...detail,
    timeline: detail.timeline.map((entry) => ({ ...entry, actor: shownActor(entry.actor) })),
    deliveries: detail.deliveries.map(partnerDeliveryView),
  };
}

function partnerDeliveryView({ history: _history, acknowledgment, ...delivery }: Delivery): Delivery {
  return {
    ...delivery,
    last_error: null,
    acknowledgment: acknowledgment && Object.fromEntries(Object.entries(acknowledgment).filter(([name]) => PARTNER_ACKNOWLEDGMENT_FIELDS.includes(name))),
  };
}
