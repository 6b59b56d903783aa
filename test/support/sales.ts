import { listingInput, uniqueId } from './fixtures';
import type { TestGateway } from './test-gateway';
import { eventually } from './eventually';
import type { Delivery } from '../../src/features/deliveries/delivery';

export const MAPPED_LISTING = {
  tessitura: { performance_id: 4412, zone_id: 3, price_type: 1 },
  salesvu: { product_id: '90817' },
};

export type SaleKeys = { partner: string; inventory: string; staff: string };

export async function saleKeys(t: TestGateway, partnerId = 'tevo'): Promise<SaleKeys> {
  const [partner, inventory, staff] = await Promise.all([t.createKey('partner', partnerId), t.createKey('inventory'), t.createKey('staff')]);
  return { partner, inventory, staff };
}

/** Lists a mapped listing, holds two tickets and invoices them; answers the ids and the invoice answer's timing. */
export async function invoicedSale(t: TestGateway, keys: SaleKeys, overrides: Parameters<typeof listingInput>[0] = {}) {
  const remoteId = uniqueId('listing');
  await t.http
    .put(`/v1/listings/${remoteId}`)
    .set('X-Api-Key', keys.inventory)
    .send(listingInput({ quantity: 6, ...MAPPED_LISTING, ...overrides }))
    .expect(201);
  const globalId = uniqueId('hold');
  await t.http.post('/v1/holds').set('X-Api-Key', keys.partner).send({ global_id: globalId, remote_id: remoteId, quantity: 2 }).expect(201);
  const started = Date.now();
  await t.http
    .post('/v1/invoices')
    .set('X-Api-Key', keys.partner)
    .send({ global_id: globalId, order_id: `ORD-${globalId}`, customer: { name: 'Ada Lovelace', email: 'ada@example.com' } })
    .expect(201);
  return { globalId, remoteId, invoiceMs: Date.now() - started };
}

export type SaleStory = { deliveries: (Delivery & { history: NonNullable<Delivery['history']> })[] };

export async function saleStory(t: TestGateway, keys: SaleKeys, globalId: string): Promise<SaleStory> {
  return (await t.http.get(`/v1/holds/${globalId}`).set('X-Api-Key', keys.staff).expect(200)).body as SaleStory;
}

/** Waits until the sale's deliveries are all delivered or dead, or `withinMs` passes. */
export function settledStory(t: TestGateway, keys: SaleKeys, globalId: string, withinMs = 15_000): Promise<SaleStory> {
  return eventually(
    () => saleStory(t, keys, globalId),
    (story) => story.deliveries.every((d) => d.status !== 'pending'),
    withinMs,
  );
}

export const idempotencyKeyOf = (globalId: string) => `tg-${globalId}`;
