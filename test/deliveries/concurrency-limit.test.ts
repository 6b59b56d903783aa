import pino from 'pino';
import { eventually } from '../support/eventually';
import { idempotencyKeyOf, invoicedSale, saleKeys, type SaleKeys, saleStory } from '../support/sales';
import { startTestGateway, type TestGateway } from '../support/test-gateway';

const SALES = 16;

/** Invoices `SALES` sales at once and waits until every one of their deliveries is delivered (or two minutes pass). */
async function invoiceBurstAndDrain(t: TestGateway, keys: SaleKeys): Promise<string[]> {
  const globalIds = (await Promise.all(Array.from({ length: SALES }, () => invoicedSale(t, keys)))).map((sale) => sale.globalId);
  // SalesVu is sent each sale last: the simulator's count is a cheap sign that the backlog is drained.
  await eventually(async () => t.salesvu!.state.orders().length, (orders) => orders >= SALES, 90_000, 250);
  const stories = await eventually(
    () => Promise.all(globalIds.map((globalId) => saleStory(t, keys, globalId))),
    (all) => all.every((story) => story.deliveries.every((delivery) => delivery.status !== 'pending')),
    30_000,
    500,
  );
  const statuses = stories.flatMap((story) => story.deliveries.map((delivery) => `${delivery.target} ${delivery.status}`));
  expect(new Set(statuses)).toEqual(new Set(['tessitura delivered', 'salesvu delivered']));
  return globalIds;
}

const tessituraLimit = (t: TestGateway) => t.gateway.outbox.targets.get('tessitura/sale')!.concurrency.current;
const STARTING = 60_000;
const DRAINING = 120_000;

describe('The dispatcher and a target\'s concurrency limit', () => {
  let t: TestGateway;
  let keys: SaleKeys;
  afterEach(() => t.close());

  describe('when a burst of sales goes to a Tessitura that takes tens of milliseconds a call', () => {
    beforeEach(async () => {
      t = await startTestGateway({
        simulators: true,
        deliveries: { concurrency: 6, initialConcurrency: 2 },
        simulatorOptions: { tessitura: { latency: { medianMs: 30, p99Ms: 60 } } },
      });
      keys = await saleKeys(t);
    }, STARTING);

    it('then Tessitura never has more of its calls in flight than the most allowed, and the limit grew from where it started', async () => {
      await invoiceBurstAndDrain(t, keys);

      const { peak } = t.tessitura!.concurrency.snapshot();
      expect(peak).toBeLessThanOrEqual(6);
      expect(peak).toBeGreaterThan(2);
      expect(tessituraLimit(t)).toBeGreaterThan(2);
    }, DRAINING);
  });

  describe('when Tessitura serves two calls at once and answers 429 with Retry-After beyond them', () => {
    const limitChanges: { target: string; concurrency_limit: number; previous: number }[] = [];
    beforeEach(async () => {
      const logger = pino({ level: 'info' }, { write: (line: string) => void limitChanges.push(JSON.parse(line)) });
      t = await startTestGateway({
        simulators: true,
        logger,
        deliveries: { concurrency: 8, initialConcurrency: 8 },
        simulatorOptions: { tessitura: { latency: { medianMs: 20, p99Ms: 40 }, concurrencyLimit: 2, retryAfterSeconds: 1 } },
      });
      keys = await saleKeys(t);
    }, STARTING);

    it('then the limit is cut (and logged), and every sale is recorded once in Tessitura and SalesVu without a failed attempt', async () => {
      const globalIds = await invoiceBurstAndDrain(t, keys);

      expect(t.tessitura!.concurrency.snapshot().refused).toBeGreaterThan(0);
      expect(limitChanges).toContainEqual(expect.objectContaining({ target: 'tessitura', previous: 8, concurrency_limit: 7 }));
      const once = Object.fromEntries(globalIds.map((globalId) => [idempotencyKeyOf(globalId), 1]));
      expect(t.tessitura!.state.orderCountsByKey()).toEqual(once);
      expect(t.salesvu!.state.orderCountsByKey()).toEqual(once);
      for (const globalId of globalIds) {
        const { deliveries } = await saleStory(t, keys, globalId);
        for (const delivery of deliveries) expect(delivery.history.map((event) => event.kind)).toEqual(['delivered']);
      }
    }, DRAINING);
  });

  describe('when Tessitura answers 429 to every try of one call, more times than the call waits out', () => {
    beforeEach(async () => {
      t = await startTestGateway({ simulators: true });
      keys = await saleKeys(t);
    }, STARTING);

    it('then the delivery is handed back without spending an attempt, and the next one records the sale once', async () => {
      t.tessitura!.faults.failNext({ count: 4, status: 429, operation: 'createBusinessFacingSession' });

      const { globalId } = await invoicedSale(t, keys);
      const story = await eventually(
        () => saleStory(t, keys, globalId),
        (sale) => sale.deliveries.every((delivery) => delivery.status === 'delivered'),
        30_000,
      );

      expect(story.deliveries.map((delivery) => [delivery.target, delivery.history.map((event) => event.kind)])).toEqual([
        ['tessitura', ['delivered']],
        ['salesvu', ['delivered']],
      ]);
      const sessionCalls = t.tessitura!.state.requests().filter((call) => call.operation === 'createBusinessFacingSession');
      expect(sessionCalls.map((call) => call.status)).toEqual([429, 429, 429, 429, 200]);
      expect(t.tessitura!.state.orderCountsByKey()).toEqual({ [idempotencyKeyOf(globalId)]: 1 });
    }, DRAINING);
  });
});
