import type { Knex } from 'knex';
import type { DeliveryStore } from './delivery-store';
import { DELIVERY_TARGETS } from './targets/registry';

/** The sale targets that take returns: a delivered sale to one of them is returned when cancelled. */
const RETURNABLE = DELIVERY_TARGETS.filter((target) => target.kind === 'return').map((target) => target.name);
const SALE_TARGETS = new Map(DELIVERY_TARGETS.filter((target) => target.kind === 'sale').map((target) => [target.name, target]));

/**
 * What a cancellation does downstream, in its own transaction: the sale's deliveries are withdrawn or
 * returned (DeliveryStore.withdrawSale), and partners are told of each withdrawn at once as its target says.
 */
export async function cancelSaleDeliveries(deliveries: DeliveryStore, trx: Knex.Transaction, sale: { global_id: string; order_id: string }): Promise<void> {
  const { withdrawnAtOnce } = await deliveries.withdrawSale(trx, sale.global_id, RETURNABLE);
  for (const target of withdrawnAtOnce) {
    const event = SALE_TARGETS.get(target)?.whenWithdrawn?.(sale);
    if (event) await deliveries.tellPartner(trx, sale.global_id, event);
  }
}
