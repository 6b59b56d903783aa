import type { Request } from 'autocannon';
import { LISTING_COUNT, LISTING_QUANTITY, hotListingId } from '../../bench/catalog';
import { buildScenarios, type Endpoint, type Side } from '../../bench/scenarios';

const endpoints: Record<Side, Endpoint> = {
  gateway: { holdPath: '/v1/holds', headers: {}, apiKeys: ['partner-key-1', 'partner-key-2'] },
  floor: { holdPath: '/holds', headers: {}, apiKeys: [] },
};

type Setup = (request: Request, context: object) => Request | undefined;
type OnResponse = (status: number, body: string, context: object) => void;

/** What autocannon does with a request on one connection: build it, then report its answer. */
function sent(request: Request, context: object, status: number): Request | undefined {
  const built = (request.setupRequest as Setup)(request, context);
  (request.onResponse as OnResponse)(status, '{"code":"x"}', context);
  return built;
}
const send = (request: Request, context: object, status: number): Record<string, unknown> | undefined => {
  const built = sent(request, context, status);
  return built && JSON.parse(built.body as string);
};

describe('bench scenarios', () => {
  describe('when the hold scenario builds requests', () => {
    it('then each is a 1-ticket hold with its own global_id on one of the listings, to the side asked for', () => {
      const workload = buildScenarios(endpoints).hold.workload('gateway');
      const [hold] = workload.requests;

      const requests = Array.from({ length: 200 }, () => sent(hold, {}, 201)!);
      const bodies = requests.map((request) => JSON.parse(request.body as string));

      expect(hold).toMatchObject({ method: 'POST', path: '/v1/holds' });
      expect(new Set(requests.map((request) => request.headers?.['x-api-key']))).toEqual(new Set(['partner-key-1', 'partner-key-2']));
      expect(new Set(bodies.map((body) => body.global_id)).size).toBe(200);
      for (const body of bodies) {
        expect(body.quantity).toBe(1);
        expect(Number(String(body.remote_id).replace('bench-', ''))).toBeLessThan(LISTING_COUNT);
      }
    });

    it('then only 2xx answers count as completed, and each refusal status keeps a sample answer', () => {
      const workload = buildScenarios(endpoints).hold.workload('floor');
      const [hold] = workload.requests;

      send(hold, {}, 201);
      send(hold, {}, 409);
      send(hold, {}, 201);

      expect(workload.tally.completed).toBe(2);
      expect([...workload.tally.refusals]).toEqual([[409, '{"code":"x"}']]);
    });
  });

  describe('when the flow scenario runs on the gateway', () => {
    it('then each connection invoices the hold it has just placed, and only invoices count', () => {
      const workload = buildScenarios(endpoints).flow.workload('gateway');
      const [hold, invoice] = workload.requests;
      const connection = {};

      const heldRequest = sent(hold, connection, 201)!;
      const invoiceRequest = sent(invoice, connection, 201)!;

      const held = JSON.parse(heldRequest.body as string);
      expect(invoice).toMatchObject({ method: 'POST', path: '/v1/invoices' });
      expect(JSON.parse(invoiceRequest.body as string)).toEqual({ global_id: held.global_id, order_id: `order-${held.global_id}` });
      expect(invoiceRequest.headers?.['x-api-key']).toBe(heldRequest.headers?.['x-api-key']);
      expect(workload.tally.completed).toBe(1);
    });

    it('then a hold that failed is not invoiced: the connection starts over', () => {
      const [hold, invoice] = buildScenarios(endpoints).flow.workload('gateway').requests;
      const connection = {};

      send(hold, connection, 409);

      expect((invoice.setupRequest as Setup)(invoice, connection)).toBeUndefined();
    });

    it('then the floor side places holds only', () => {
      const workload = buildScenarios(endpoints).flow.workload('floor');

      expect(workload.requests).toHaveLength(1);
      expect(workload.requests[0].path).toBe('/holds');
    });
  });

  describe('when the hot scenario runs', () => {
    it('then every hold lands on one listing, the next one only once LISTING_QUANTITY were asked of it', () => {
      const scenarios = buildScenarios(endpoints);
      const first = scenarios.hot.workload('gateway').requests[0];
      const listingOf = (request: Request) => (request.setupRequest as Setup)(request, {})!.body as string;

      for (let i = 0; i < LISTING_QUANTITY - 1; i++) listingOf(first);
      const last = scenarios.hot.workload('gateway').requests[0];

      expect(JSON.parse(listingOf(last)).remote_id).toBe(hotListingId(0));
      expect(JSON.parse(listingOf(last)).remote_id).toBe(hotListingId(1));
      expect(JSON.parse(listingOf(scenarios.hot.workload('floor').requests[0])).remote_id).toBe(hotListingId(0));
    });
  });
});
