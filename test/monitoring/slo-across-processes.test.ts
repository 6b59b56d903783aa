import { LatencyRecorder, minuteOf } from '../../src/features/monitoring/latency-recorder';
import { LatencyStore } from '../../src/features/monitoring/latency-store';
import { bucketsOf } from '../../src/features/monitoring/latency-buckets';
import type { SloReport } from '../../src/features/monitoring/slo-reporter';
import { hourOf, rollUpHorizon } from '../../src/features/monitoring/slo-window';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { startTestGateway, type TestGateway } from '../support/test-gateway';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/** What two answers to the same question share: all but when each was made. */
const comparable = ({ generated_at: _generatedAt, ...report }: SloReport) => report;

describe('the latency SLO across gateway processes sharing one database', () => {
  let database: TestDatabase;
  let now = Date.parse('2026-11-23T09:00:10Z');
  const clock = () => now;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.close());

  const start = () => startTestGateway({ db: database, clock });

  async function report(t: TestGateway, key: string, window: string): Promise<SloReport> {
    return (await t.http.get('/v1/slo').query({ window }).set('X-Api-Key', key).expect(200)).body as SloReport;
  }

  describe('when two instances answer in turn and one is restarted in between', () => {
    it('then either one reports every request once, over 30 days, and the 1-hour window only the latest', async () => {
      let first = await start();
      const second = await start();
      try {
        const monitor = await first.createKey('monitor');
        const staff = await second.createKey('staff');
        const getHold = (t: TestGateway) => t.http.get('/v1/holds/nobody').set('X-Api-Key', staff).expect(404);
        for (let i = 0; i < 3; i++) await getHold(i % 2 === 0 ? first : second);
        now += 10 * MINUTE_MS;
        for (let i = 0; i < 4; i++) await getHold(i % 2 === 0 ? first : second);

        // A deploy: the first instance stops (its answers flushed on the way out) and starts again.
        await first.close();
        now += DAY_MS;
        first = await start();
        for (let i = 0; i < 5; i++) await getHold(i % 2 === 0 ? first : second);

        // The second instance's periodic flush comes due; the first flushes its own before it answers.
        await second.gateway.jobs.latencyFlush.runNow();
        const fromFirst = await report(first, monitor, '30d');
        const fromSecond = await report(second, monitor, '30d');
        const lastHour = await report(second, monitor, '1h');

        expect(comparable(fromSecond)).toEqual(comparable(fromFirst));
        expect(fromFirst.endpoints.map((e) => [e.operation, e.count]).sort()).toEqual([
          ['createApiKey', 2],
          ['getHold', 12],
        ]);
        expect(fromFirst.overall).toMatchObject({ count: 14, bad: 0, within_5s: 1, error_budget_remaining: 1 });
        expect(fromFirst.error_budget_30d).toMatchObject({ count: 14, bad: 0, burn_rate: 0 });
        expect(lastHour.overall.count).toBe(5);
        expect(lastHour.burn_rates.map((tally) => [tally.window, tally.count])).toEqual([
          ['5m', 5],
          ['1h', 5],
          ['6h', 5],
          ['3d', 14],
        ]);
      } finally {
        await Promise.all([first.close(), second.close()]);
      }
    });
  });

  describe('when an instance shuts down before its periodic flush', () => {
    it('then its last answers are in the table', async () => {
      const t = await start();
      const key = await t.createKey('staff');
      await t.http.get('/v1/listings/nothing-here').set('X-Api-Key', key).expect(404);
      const store = new LatencyStore(database.knex);
      const listingReads = async () =>
        (await store.bucketsSince(minuteOf(now))).filter((row) => row.route === '/v1/listings/{remote_id}');
      expect(await listingReads()).toEqual([]);

      await t.close();

      const [read] = await listingReads();
      expect(read).toMatchObject({ method: 'GET', statusClass: '4xx' });
      expect(read.buckets.at(-1)).toBe(1);
    });
  });

  describe('when processes add to the same minute at once', () => {
    it('then the counts add up', async () => {
      const store = new LatencyStore(database.knex);
      const recorders = [0, 1, 2].map(() => new LatencyRecorder(store, () => true, clock));
      const minute = minuteOf(now);
      const before = await store.bucketsSince(minute);
      const total = (rows: typeof before) => rows.filter((row) => row.route === '/v1/invoices').reduce((sum, row) => sum + row.buckets.at(-1)!, 0);

      for (let round = 0; round < 5; round++) {
        for (const recorder of recorders) {
          for (let i = 0; i < 100; i++) recorder.record('POST', '/v1/invoices', i % 10 === 0 ? 503 : 201, 0.02);
        }
        await Promise.all(recorders.map((recorder) => recorder.flush()));
      }

      const after = await store.bucketsSince(minute);
      expect(total(after) - total(before)).toBe(1500);
      expect(after.filter((row) => row.route === '/v1/invoices').map((row) => [row.statusClass, row.buckets.at(-1)]).sort()).toEqual([
        ['2xx', 1350],
        ['5xx', 150],
      ]);
    });
  });

  describe('when the upkeep job runs in two instances at once', () => {
    const HOUR_MS = 60 * MINUTE_MS;
    const store = () => new LatencyStore(database.knex);
    const row = (minute: Date, route: string) => ({ minute, method: 'GET', route, statusClass: '2xx' as const, buckets: bucketsOf(0.01) });
    /** A route's requests in either table, whenever they were answered. */
    const total = async (route: string) =>
      (await store().bucketsSince(new Date(0))).filter((r) => r.route === route).reduce((sum, r) => sum + r.buckets.at(-1)!, 0);
    const rowsOf = async (table: string, column: string, route: string) =>
      (await database.knex(table).where({ route }).select(column, 'buckets')).map((r: Record<string, unknown>) => [
        new Date(r[column] as Date).toISOString(),
        Number((r.buckets as string[]).at(-1)),
      ]);

    it('then minutes past 7 hours are in their hours once, rows no window reaches are gone, and every report counts as before', async () => {
      const [a, b] = [await start(), await start()];
      try {
        const monthStart = hourOf(now - 30 * DAY_MS);
        const tenHoursAgo = hourOf(now - 10 * HOUR_MS);
        await store().add([
          row(new Date(monthStart.getTime() - 3 * DAY_MS), '/v1/deliveries'),
          row(new Date(monthStart.getTime() - MINUTE_MS), '/v1/deliveries'),
          row(new Date(monthStart.getTime() + 5 * MINUTE_MS), '/v1/deliveries'),
          row(new Date(tenHoursAgo.getTime() + 7 * MINUTE_MS), '/v1/deliveries'),
          row(new Date(tenHoursAgo.getTime() + 42 * MINUTE_MS), '/v1/deliveries'),
          row(minuteOf(now), '/v1/deliveries'),
        ]);
        const monitor = await a.createKey('monitor');
        const windows = ['30d', '3d', '6h', '1h'];
        const before = await Promise.all(windows.map((window) => report(a, monitor, window)));

        await Promise.all([a.gateway.jobs.latencyUpkeep.runNow(), b.gateway.jobs.latencyUpkeep.runNow()]);

        expect(await rowsOf('request_latency_minutes', 'minute', '/v1/deliveries')).toEqual([[minuteOf(now).toISOString(), 1]]);
        expect((await rowsOf('request_latency_hours', 'hour', '/v1/deliveries')).sort()).toEqual(
          [
            [monthStart.toISOString(), 1],
            [tenHoursAgo.toISOString(), 2],
          ].sort(),
        );
        const after = await Promise.all(windows.map((window) => report(a, monitor, window)));
        expect(after.map(comparable)).toEqual(before.map(comparable));
        expect(after[0].endpoints.find((e) => e.operation === 'listDeliveries')?.count).toBe(4);
      } finally {
        await Promise.all([a.close(), b.close()]);
      }
    });

    it('then an answer added late to a minute already rolled up is counted once, before and after the next roll-up', async () => {
      const late = hourOf(now - 12 * HOUR_MS);
      await store().add([row(new Date(late.getTime() + MINUTE_MS), '/test/late-answer')]);
      await store().rollUpBefore(rollUpHorizon(now));
      await store().add([row(new Date(late.getTime() + MINUTE_MS), '/test/late-answer')]);
      expect(await total('/test/late-answer')).toBe(2);

      await store().rollUpBefore(rollUpHorizon(now));

      expect(await total('/test/late-answer')).toBe(2);
      expect(await rowsOf('request_latency_hours', 'hour', '/test/late-answer')).toEqual([[late.toISOString(), 2]]);
    });

    it('then answers added while their minutes are rolled up are neither lost nor counted twice', async () => {
      const old = hourOf(now - 20 * HOUR_MS);
      const minutes = [0, 1, 2, 3].map((i) => new Date(old.getTime() + i * MINUTE_MS));
      for (let round = 0; round < 10; round++) {
        await Promise.all([
          store().add(minutes.map((minute) => row(minute, '/test/roll-up-race'))),
          store().rollUpBefore(rollUpHorizon(now)),
          store().add(minutes.map((minute) => row(minute, '/test/roll-up-race'))),
          store().rollUpBefore(rollUpHorizon(now)),
        ]);
      }
      expect(await total('/test/roll-up-race')).toBe(80);
      await store().rollUpBefore(rollUpHorizon(now));
      expect(await rowsOf('request_latency_hours', 'hour', '/test/roll-up-race')).toEqual([[old.toISOString(), 80]]);
    });
  });
});
