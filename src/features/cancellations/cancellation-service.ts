import type { Principal } from '../../platform/principal';
import { Problem } from '../../platform/problem';
import type { DeliveryStore } from '../deliveries/delivery-store';
import { cancelSaleDeliveries } from '../deliveries/sale-cancellation';
import { holdNotFound, partnerScope } from '../holds/hold-service';
import type { DeliveriesQueued } from '../invoices/invoice-service';
import type { Cancellation, CancellationDelivery, CancellationRequest } from './cancellation';
import type { CancellationStore, RecordedCancellation } from './cancellation-store';

export type Cancelled = { cancellation: Cancellation; replayed: boolean };

const isSaleOrReturn = <D extends { kind: string }>(delivery: D): delivery is D & { kind: CancellationDelivery['kind'] } =>
  delivery.kind === 'sale' || delivery.kind === 'return';

/** A repeat is the same cancellation when it gives the same reason and the same restock (absent is true). */
function replayOrConflict(globalId: string, recorded: RecordedCancellation, reason: string, restock: boolean): void {
  if (recorded.reason === reason && recorded.restocked === restock) return;
  const how = recorded.restocked ? 'restocked' : 'not restocked';
  throw new Problem(
    'cancellation_conflict',
    `The sale of hold '${globalId}' was already cancelled at ${recorded.cancelled_at} (${how}) ` +
      `${recorded.reason === reason ? 'with the other restock' : 'for another reason'}; that cancellation stands.`,
  );
}

/**
 * Cancels invoiced sales (design 2 and 4). One transaction locks the hold, decides, records the
 * cancellation and moves the hold (its trigger moves the counters and writes the ledger), and undoes the
 * sale downstream (its deliveries withdrawn or returned): all of it commits, or none.
 */
export class CancellationService {
  constructor(
    private readonly cancellations: CancellationStore,
    private readonly deliveries: DeliveryStore,
    private readonly deliveriesQueued: DeliveriesQueued,
  ) {}

  async cancel(globalId: string, request: CancellationRequest, principal: Principal): Promise<Cancelled> {
    const restock = request.restock ?? true;
    // Said before anything about the hold: it depends on the caller alone, so it reveals nothing.
    if (!restock && principal.role === 'partner') {
      throw new Problem('restock_forbidden', 'Only staff and admin may cancel without restocking; leave restock out (or true).');
    }
    const scope = partnerScope(principal);
    const outcome = await this.cancellations.transaction(async (trx) => {
      const context = await this.cancellations.lockForCancellation(trx, globalId);
      if (!context || (scope !== null && context.partner_id !== scope)) throw holdNotFound(globalId);
      // Held, released or expired: never invoiced, so nothing was sold.
      if (context.order_id === null) throw new Problem('not_invoiced', `Hold '${globalId}' is ${context.status}: there is no sale to cancel.`);
      const sale = { global_id: globalId, order_id: context.order_id };
      let recorded = context.cancellation;
      if (recorded) {
        replayOrConflict(globalId, recorded, request.reason, restock);
      } else {
        if (principal.role === 'partner' && context.event_started) {
          throw new Problem('event_started', `The event of hold '${globalId}' has begun; only the venue's staff can cancel its sale now.`);
        }
        recorded = await this.cancellations.cancel(trx, { globalId, reason: request.reason, restock, actor: principal.actor });
        await cancelSaleDeliveries(this.deliveries, trx, sale);
      }
      const deliveries = (await this.deliveries.saleSummaries(trx, globalId)).filter(isSaleOrReturn);
      return { cancellation: { ...sale, status: 'cancelled' as const, ...recorded, deliveries }, replayed: context.cancellation !== undefined };
    });
    if (!outcome.replayed) this.deliveriesQueued();
    return outcome;
  }
}
