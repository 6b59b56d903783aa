import { verifyWebhookSignature } from '../../src/features/webhooks/webhook-signature';
import { eventually } from '../support/eventually';
import { listingInput, uniqueId } from '../support/fixtures';
import { invoicedSale, saleKeys, type SaleKeys, saleStory, settledStory } from '../support/sales';
import { startTestGateway, type TestGateway } from '../support/test-gateway';
import { type Respond, startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver';

type Event = { id: string; type: string; created_at: string; data: Record<string, unknown> };
type WebhookDelivery = { id: number; status: string; attempts: number; last_error: string | null };

const PATIENT_MS = 30_000;
const eventsOf = (receiver: WebhookReceiver): Event[] => receiver.received.map((request) => JSON.parse(request.body) as Event);
const failWith = (status: number): Respond => (_req, res) => res.writeHead(status).end('receiver is down');

describe('partners told by webhook', () => {
  let t: TestGateway;

  beforeAll(async () => {
    t = await startTestGateway({ simulators: true, webhookRetryDelaysMs: [50, 50] });
  });
  afterAll(() => t.close());

  async function registered(partnerId: string, receiver: WebhookReceiver, events?: string[]): Promise<{ id: string; secret: string }> {
    const response = await t.http.post('/v1/webhooks').set('X-Api-Key', t.adminKey).send({ partner_id: partnerId, url: receiver.url, events }).expect(201);
    return response.body as { id: string; secret: string };
  }

  /** The hold's webhook deliveries, as staff read them. */
  const webhookDeliveries = async (globalId: string): Promise<WebhookDelivery[]> => {
    const detail = await t.http.get(`/v1/holds/${globalId}`).set('X-Api-Key', t.adminKey).expect(200);
    return (detail.body.deliveries as (WebhookDelivery & { target: string })[]).filter((delivery) => delivery.target === 'webhook');
  };

  describe('when two partners have endpoints and one of them sells', () => {
    let seller: SaleKeys;
    let sellerReceiver: WebhookReceiver;
    let otherReceiver: WebhookReceiver;
    let secret: string;

    beforeAll(async () => {
      seller = await saleKeys(t, 'seller');
      await t.createKey('partner', 'bystander');
      [sellerReceiver, otherReceiver] = await Promise.all([startWebhookReceiver(), startWebhookReceiver()]);
      ({ secret } = await registered('seller', sellerReceiver));
      await registered('bystander', otherReceiver);
    });
    afterAll(() => Promise.all([sellerReceiver.close(), otherReceiver.close()]));

    it('then the seller is told sale.recorded with the Tessitura order and seats, signed, and the other partner nothing', async () => {
      const { globalId } = await invoicedSale(t, seller);
      const story = await settledStory(t, seller, globalId);

      const told = await eventually(async () => eventsOf(sellerReceiver).filter((event) => event.data.global_id === globalId), (events) => events.length > 0, PATIENT_MS);

      const tessitura = story.deliveries.find((delivery) => delivery.target === 'tessitura')!;
      expect(told).toEqual([
        {
          id: expect.any(String),
          type: 'sale.recorded',
          created_at: expect.any(String),
          data: {
            global_id: globalId,
            order_id: `ORD-${globalId}`,
            tessitura_order_id: tessitura.acknowledgment!.order_id,
            seats: (tessitura.acknowledgment as { seats: unknown[] }).seats,
          },
        },
      ]);
      const request = sellerReceiver.received.find((received) => received.body.includes(globalId))!;
      expect(request.headers['content-type']).toBe('application/json');
      expect(request.headers['gateway-event-id']).toBe(told[0].id);
      expect(verifyWebhookSignature(request.headers['gateway-signature'] as string, request.body, secret)).toBe(true);
      expect(verifyWebhookSignature(request.headers['gateway-signature'] as string, request.body, 'whsec_forged')).toBe(false);
      expect(otherReceiver.received.filter((received) => received.body.includes(globalId))).toEqual([]);
    });

    it('then a sale that cannot be delivered is told as sale.failed, naming the target but not the venue\'s error', async () => {
      const { globalId } = await invoicedSale(t, seller, { tessitura: undefined });

      const told = await eventually(async () => eventsOf(sellerReceiver).filter((event) => event.data.global_id === globalId), (events) => events.length > 0, PATIENT_MS);

      expect(told).toEqual([{ id: expect.any(String), type: 'sale.failed', created_at: expect.any(String), data: { global_id: globalId, order_id: `ORD-${globalId}`, target: 'tessitura' } }]);
    });

    it('then a cancelled sale is told as sale.cancelled once Tessitura has its tickets back, with their numbers', async () => {
      const { globalId } = await invoicedSale(t, seller);
      const sold = await settledStory(t, seller, globalId);
      const tessitura = sold.deliveries[0].acknowledgment as { order_id: number; seats: { ticket_number: number }[] };

      await t.http.post(`/v1/invoices/${globalId}/cancellation`).set('X-Api-Key', seller.staff).send({ reason: 'the buyer asked' }).expect(201);

      const cancelled = await eventually(
        async () => eventsOf(sellerReceiver).filter((event) => event.data.global_id === globalId && event.type === 'sale.cancelled'),
        (events) => events.length > 0,
        PATIENT_MS,
      );
      expect(cancelled).toEqual([
        {
          id: expect.any(String),
          type: 'sale.cancelled',
          created_at: expect.any(String),
          data: { global_id: globalId, order_id: `ORD-${globalId}`, tessitura_order_id: tessitura.order_id, returned_ticket_numbers: tessitura.seats.map((seat) => seat.ticket_number) },
        },
      ]);
    });

    it('then the partner reads its webhook deliveries in the hold as it reads the others, and staff find them in /v1/deliveries', async () => {
      const { globalId } = await invoicedSale(t, seller);
      const [delivered] = await eventually(() => webhookDeliveries(globalId), (deliveries) => deliveries[0]?.status === 'delivered', PATIENT_MS);

      const partnerView = (await t.http.get(`/v1/holds/${globalId}`).set('X-Api-Key', seller.partner).expect(200)).body;
      const staffPage = (await t.http.get('/v1/deliveries').query({ target: 'webhook', limit: 200 }).set('X-Api-Key', seller.staff).expect(200)).body;

      expect(partnerView.deliveries.map((delivery: { target: string }) => delivery.target)).toEqual(['tessitura', 'salesvu', 'webhook']);
      expect(staffPage.data.map((delivery: { id: number }) => delivery.id)).toContain(delivered.id);
    });
  });

  describe("when an endpoint's secret is rotated", () => {
    let seller: SaleKeys;
    let receiver: WebhookReceiver;
    let endpoint: { id: string; secret: string };

    beforeAll(async () => {
      seller = await saleKeys(t, 'rotator');
      receiver = await startWebhookReceiver();
      endpoint = await registered('rotator', receiver, ['sale.recorded']);
    });
    afterAll(() => receiver.close());

    const rotate = async (body?: object) => {
      const request = t.http.post(`/v1/webhooks/${endpoint.id}/secret`).set('X-Api-Key', t.adminKey);
      return (await (body ? request.send(body) : request).expect(200)).body as { secret: string; previous_secret_expires_at: string | null };
    };
    /** The signature of the next sale's event, and which of `secrets` it verifies with. */
    const nextSaleVerifiesWith = async (secrets: string[]) => {
      const { globalId } = await invoicedSale(t, seller);
      const request = await eventually(async () => receiver.received.find((received) => received.body.includes(globalId)), Boolean, PATIENT_MS);
      const header = request!.headers['gateway-signature'] as string;
      return { signatures: header.split(',').filter((field) => field.startsWith('v1=')).length, verifies: secrets.map((secret) => verifyWebhookSignature(header, request!.body, secret)) };
    };

    it('then for a day both the new and the old secret verify every event, and afterwards only the new one', async () => {
      const before = Date.now();
      const first = endpoint.secret;
      const rotated = await rotate();
      expect(rotated.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
      expect(rotated.secret).not.toBe(first);
      const expiresInMs = Date.parse(rotated.previous_secret_expires_at!) - before;
      expect(expiresInMs).toBeGreaterThan(23.9 * 3_600_000);
      expect(expiresInMs).toBeLessThan(24.1 * 3_600_000);
      expect(await nextSaleVerifiesWith([rotated.secret, first, 'whsec_forged'])).toEqual({ signatures: 2, verifies: [true, true, false] });

      // The day is over: the old secret signs no more.
      await t.db.knex('webhook_endpoints').where({ id: endpoint.id }).update({ previous_secret_expires_at: t.db.knex.raw("now() - interval '1 second'") });
      expect(await nextSaleVerifiesWith([rotated.secret, first])).toEqual({ signatures: 1, verifies: [true, false] });
      endpoint = { ...endpoint, secret: rotated.secret };
    });

    it('then a rotation that keeps nothing of the old secret (it leaked) makes only the new one verify, at once', async () => {
      const old = endpoint.secret;
      const rotated = await rotate({ previous_secret_valid_for_seconds: 0 });
      expect(rotated.previous_secret_expires_at).toBeNull();
      expect(await nextSaleVerifiesWith([rotated.secret, old])).toEqual({ signatures: 1, verifies: [true, false] });
      endpoint = { ...endpoint, secret: rotated.secret };
    });

    it('then rotating twice signs with the last two secrets only', async () => {
      const oldest = endpoint.secret;
      const middle = (await rotate()).secret;
      const newest = (await rotate({ previous_secret_valid_for_seconds: 3_600 })).secret;
      expect(await nextSaleVerifiesWith([newest, middle, oldest])).toEqual({ signatures: 2, verifies: [true, true, false] });
    });
  });

  describe("when the partner's receiver fails", () => {
    let keys: SaleKeys;
    let receiver: WebhookReceiver;

    beforeAll(async () => {
      keys = await saleKeys(t, 'flaky');
      receiver = await startWebhookReceiver();
      await registered('flaky', receiver, ['sale.recorded']);
    });
    afterEach(() => receiver.answerWith((_req, res) => res.writeHead(200).end()));
    afterAll(() => receiver.close());

    it('then the event is retried until the receiver takes it, with the same id and the same bytes', async () => {
      let failures = 2;
      receiver.answerWith((req, res) => (failures-- > 0 ? failWith(503)(req, res) : res.writeHead(204).end()));
      const { globalId } = await invoicedSale(t, keys);

      const [delivery] = await eventually(() => webhookDeliveries(globalId), (deliveries) => deliveries[0]?.status === 'delivered', PATIENT_MS);

      const requests = receiver.received.filter((request) => request.body.includes(globalId));
      expect(requests).toHaveLength(3);
      expect(new Set(requests.map((request) => request.body)).size).toBe(1);
      expect(new Set(requests.map((request) => request.headers['gateway-event-id'])).size).toBe(1);
      expect(delivery).toMatchObject({ status: 'delivered', attempts: 2 });
    });

    it('then after the last retry it is dead, and a staff retry delivers it once the receiver is back', async () => {
      receiver.answerWith(failWith(500));
      const { globalId } = await invoicedSale(t, keys);
      const [dead] = await eventually(() => webhookDeliveries(globalId), (deliveries) => deliveries[0]?.status === 'dead', PATIENT_MS);
      expect(dead).toMatchObject({ attempts: 3, last_error: expect.stringContaining('HTTP 500') });

      receiver.answerWith((_req, res) => res.writeHead(200).end());
      await t.http.post(`/v1/deliveries/${dead.id}/retry`).set('X-Api-Key', keys.staff).expect(200);

      const [delivered] = await eventually(() => webhookDeliveries(globalId), (deliveries) => deliveries[0]?.status === 'delivered', PATIENT_MS);
      expect(delivered.status).toBe('delivered');
      expect(receiver.received.filter((request) => request.body.includes(globalId))).toHaveLength(4);
    });

    it('then an endpoint deleted while its event is retried stops being sent to: the delivery is dead saying so', async () => {
      const other = await startWebhookReceiver(failWith(500));
      const deletedKeys = await saleKeys(t, 'leaving');
      const { id } = await registered('leaving', other, ['sale.recorded']);
      const { globalId } = await invoicedSale(t, deletedKeys);
      await eventually(async () => other.received.length, (count) => count > 0, PATIENT_MS);

      await t.http.delete(`/v1/webhooks/${id}`).set('X-Api-Key', t.adminKey).expect((response) => expect([200, 204]).toContain(response.status));

      const [dead] = await eventually(() => webhookDeliveries(globalId), (deliveries) => deliveries[0]?.status === 'dead', PATIENT_MS);
      expect(dead.last_error).toMatch(/endpoint was deleted/);
      expect(other.received.length).toBeLessThan(3);
      await other.close();
    });
  });

});

describe("when a partner's receiver never answers", () => {
  let t: TestGateway;

  beforeAll(async () => {
    // The receiver holds each request for the whole minute; a claim outlives that.
    t = await startTestGateway({ simulators: true, webhooks: { timeoutMs: 60_000 }, deliveries: { leaseMs: 120_000 } });
  });
  afterAll(() => t.close());

  it('then the Tessitura and SalesVu deliveries of every sale go on, while its events wait on the receiver', async () => {
    const slow = await startWebhookReceiver(() => undefined);
    const keys = await saleKeys(t, 'sluggish');
    await t.http.post('/v1/webhooks').set('X-Api-Key', t.adminKey).send({ partner_id: 'sluggish', url: slow.url }).expect(201);
    const sales = [];
    for (let i = 0; i < 6; i++) sales.push(await invoicedSale(t, keys));

    for (const { globalId } of sales) {
      const story = await eventually(
        () => saleStory(t, keys, globalId),
        ({ deliveries }) => deliveries.filter((d) => d.target !== 'webhook').every((d) => d.status === 'delivered'),
        PATIENT_MS,
      );
      expect(story.deliveries.filter((d) => d.target !== 'webhook').map((d) => d.status)).toEqual(['delivered', 'delivered']);
    }
    const events = await t.db.knex('deliveries').where({ target: 'webhook' });
    expect(events).toHaveLength(6);
    expect(events.map((event) => [event.status, event.attempts])).toEqual(events.map(() => ['pending', 0]));
    expect(slow.received.length).toBeGreaterThan(0);
    await slow.close();
  }, 120_000);
});

describe('hold.expired', () => {
  let t: TestGateway;

  beforeAll(async () => {
    t = await startTestGateway({ holdTtlSeconds: 1 });
    await t.gateway.jobs.holdExpiry.stop();
  });
  afterAll(() => t.close());

  it('when the sweeper expires a hold, then its partner is told, and nobody else', async () => {
    const [partner, inventory] = await Promise.all([t.createKey('partner', 'tevo'), t.createKey('inventory'), t.createKey('partner', 'vivid')]);
    const [tevo, vivid] = await Promise.all([startWebhookReceiver(), startWebhookReceiver()]);
    for (const [partnerId, receiver] of [['tevo', tevo], ['vivid', vivid]] as const) {
      await t.http.post('/v1/webhooks').set('X-Api-Key', t.adminKey).send({ partner_id: partnerId, url: receiver.url, events: ['hold.expired'] }).expect(201);
    }
    t.gateway.outbox.dispatcher.start();
    const remoteId = uniqueId('listing');
    await t.http.put(`/v1/listings/${remoteId}`).set('X-Api-Key', inventory).send(listingInput({ quantity: 4 })).expect(201);
    const globalId = uniqueId('hold');
    await t.http.post('/v1/holds').set('X-Api-Key', partner).send({ global_id: globalId, remote_id: remoteId, quantity: 3 }).expect(201);

    const expired = await eventually(
      async () => {
        await t.gateway.jobs.holdExpiry.runNow();
        return (await t.db.knex('holds').where({ global_id: globalId }).first()).status as string;
      },
      (status) => status === 'expired',
      PATIENT_MS,
      250,
    );
    expect(expired).toBe('expired');

    const told = await eventually(async () => eventsOf(tevo), (events) => events.length > 0, PATIENT_MS);
    expect(told).toEqual([
      { id: expect.any(String), type: 'hold.expired', created_at: expect.any(String), data: { global_id: globalId, remote_id: remoteId, quantity: 3, expired_at: expect.any(String) } },
    ]);
    expect(vivid.received).toEqual([]);
    await Promise.all([tevo.close(), vivid.close()]);
  });
});
