import type { Role } from '../../../src/platform/principal';
import { listingInput, uniqueId } from '../../support/fixtures';
import type { TestGateway } from '../../support/test-gateway';
import type { FuzzKeys, ValidRequest } from './hostile-requests';
import type { Operation } from './openapi-operations';

export type FuzzTargets = { keys: FuzzKeys; valid: Record<string, ValidRequest> };

/** A key nobody issued, in the shape of a real one. */
const UNKNOWN_KEY = `tg_${'A'.repeat(43)}`;

/**
 * Seeds what the fuzz aims at: a key per role (and a revoked one), a listing, live holds, invoiced
 * holds with their deliveries (one to cancel). Answers, per operation, a valid request that would
 * succeed (the spec's example where it has one, on real ids), so that a mutation the gateway let through
 * would change data.
 */
export async function seedFuzzTargets(t: TestGateway, operations: Operation[]): Promise<FuzzTargets> {
  const createKey = async (role: Role, partnerId?: string) => {
    const body = { name: uniqueId(role), role, ...(partnerId && { partner_id: partnerId }) };
    return (await t.http.post('/v1/api-keys').set('X-Api-Key', t.adminKey).send(body).expect(201)).body as { id: string; key: string };
  };
  const [partner, inventory, staff, monitor, spare, revoked] = await Promise.all([
    createKey('partner', 'tevo'),
    createKey('inventory'),
    createKey('staff'),
    createKey('monitor'),
    createKey('staff'),
    createKey('staff'),
  ]);
  await t.http.delete(`/v1/api-keys/${revoked.id}`).set('X-Api-Key', t.adminKey).expect(200);
  // Another partner's endpoint to delete; tevo has none, so that registering one succeeds.
  await createKey('partner', 'vivid');
  const endpoint = { partner_id: 'vivid', url: 'https://hooks.vivid.example/gateway' };
  const { id: webhookId } = (await t.http.post('/v1/webhooks').set('X-Api-Key', t.adminKey).send(endpoint).expect(201)).body as { id: string };
  // And one whose secret to rotate.
  await createKey('partner', 'seatgeek');
  const rotating = { partner_id: 'seatgeek', url: 'https://hooks.seatgeek.example/gateway' };
  const { id: rotatingId } = (await t.http.post('/v1/webhooks').set('X-Api-Key', t.adminKey).send(rotating).expect(201)).body as { id: string };
  const keys: FuzzKeys = {
    ...{ admin: t.adminKey, partner: partner.key, inventory: inventory.key, staff: staff.key, monitor: monitor.key },
    ...{ unknown: UNKNOWN_KEY, revoked: revoked.key },
  };

  const remoteId = uniqueId('listing');
  await t.http.put(`/v1/listings/${remoteId}`).set('X-Api-Key', keys.inventory).send(listingInput({ quantity: 10 })).expect(201);
  const [toInvoice, toRelease, sold, toCancel] = ['invoice', 'release', 'sold', 'cancel'].map((name) => uniqueId(`hold-${name}`));
  for (const globalId of [toInvoice, toRelease, sold, toCancel]) {
    const hold = { global_id: globalId, remote_id: remoteId, quantity: 1 };
    await t.http.post('/v1/holds').set('X-Api-Key', keys.partner).send(hold).expect(201);
  }
  for (const globalId of [sold, toCancel]) {
    await t.http.post('/v1/invoices').set('X-Api-Key', keys.partner).send({ global_id: globalId, order_id: `seed-order-${globalId}` }).expect(201);
  }
  const [{ id: deliveryId }] = await t.db.knex('deliveries').where({ global_id: sold }).orderBy('id').limit(1);

  const example = (operationId: string) => operations.find((op) => op.operationId === operationId)?.body?.example as object;
  const special: Record<string, ValidRequest> = {
    createHold: { path: {}, role: 'partner', body: { ...example('createHold'), global_id: uniqueId('fuzz-hold'), remote_id: remoteId } },
    createInvoice: { path: {}, role: 'partner', body: { ...example('createInvoice'), global_id: toInvoice } },
    cancelInvoice: { path: { global_id: toCancel }, role: 'partner', body: example('cancelInvoice') },
    getHold: { path: { global_id: toRelease }, role: 'partner' },
    releaseHold: { path: { global_id: toRelease }, role: 'partner' },
    getListing: { path: { remote_id: remoteId }, role: 'partner' },
    upsertListing: { path: { remote_id: uniqueId('fuzz-listing') }, role: 'inventory', body: example('upsertListing') },
    upsertListingsBatch: {
      path: {},
      role: 'inventory',
      body: { listings: [{ remote_id: uniqueId('fuzz-batch'), ...example('upsertListing') }] },
    },
    createApiKey: { path: {}, role: 'admin', body: example('createApiKey') },
    revokeApiKey: { path: { id: spare.id }, role: 'admin' },
    retryDelivery: { path: { id: String(deliveryId) }, role: 'staff' },
    createWebhook: { path: {}, role: 'admin', body: { partner_id: 'tevo', url: 'https://hooks.tevo.example/gateway', events: ['sale.recorded'] } },
    deleteWebhook: { path: { id: webhookId }, role: 'admin' },
    rotateWebhookSecret: { path: { id: rotatingId }, role: 'admin', body: example('rotateWebhookSecret') },
  };
  const valid = Object.fromEntries(
    operations.map((op) => [op.operationId, special[op.operationId] ?? { path: {}, role: op.roles[0] ?? 'admin' }]),
  );
  return { keys, valid };
}
