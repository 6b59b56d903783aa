import { LatencyRecorder } from '../../src/features/monitoring/latency-recorder';
import { quantileMs } from '../../src/features/monitoring/latency-buckets';
import { type LatencyMinute, LatencyStore } from '../../src/features/monitoring/latency-store';
import { operationCatalog } from '../../src/features/monitoring/operation-catalog';
import { SloReporter } from '../../src/features/monitoring/slo-reporter';
import { LATENCY_BUCKETS } from '../../src/platform/http-metrics';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { startTestGateway, type TestGateway } from '../support/test-gateway';

const MINUTE_MS = 60_000;
const START = Date.parse('2026-11-23T09:00:30Z');

describe('the latency SLO', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.close());
  afterEach(() => database.knex('request_latency_minutes').delete());

  /** A recorder and reporter on the test database, on a clock the test moves. */
  function tracked() {
    let now = START;
    const clock = () => now;
    const store = new LatencyStore(database.knex);
    const recorder = new LatencyRecorder(store, () => true, clock);
    const reporter = new SloReporter(recorder, store, operationCatalog(), clock);
    const answer = (seconds: number, status = 201, times = 1) => {
      for (let i = 0; i < times; i++) recorder.record('POST', '/v1/holds', status, seconds);
    };
    return { recorder, reporter, answer, advance: (ms: number) => (now += ms) };
  }

  describe('when percentiles are read off histogram buckets', () => {
    it('then they interpolate within the bucket as Prometheus does', () => {
      const cumulative = (counts: number[]) => counts.map((_, i) => counts.slice(0, i + 1).reduce((a, b) => a + b, 0));
      const buckets = cumulative([0, 100, ...new Array(LATENCY_BUCKETS.length - 1).fill(0)]);
      expect(quantileMs(buckets, 0.5)).toBe(7.5);
      expect(quantileMs(new Array(LATENCY_BUCKETS.length + 1).fill(0), 0.5)).toBeNull();
    });
  });

  describe('when some requests are slow or fail', () => {
    it('then the report counts them against the 99.9% objective, spends the budget and burns at bad share / 0.001', async () => {
      const { reporter, answer } = tracked();
      answer(0.02, 201, 1996);
      answer(6, 201, 2);
      answer(0.01, 503, 2);

      const report = await reporter.report('1h');

      expect(report.overall).toMatchObject({ operation: 'all', count: 2000, bad: 4, within_5s: 0.999 });
      expect(report.overall.error_budget_remaining).toBeCloseTo(1 - 4 / 2, 5);
      expect(report.endpoints).toEqual([
        expect.objectContaining({ operation: 'createHold', name: 'Hold tickets of a listing', route: '/v1/holds', count: 2000, bad: 4 }),
      ]);
      expect(report.overall.p50_ms).toBeGreaterThan(10);
      expect(report.overall.p50_ms).toBeLessThanOrEqual(25);
      expect(report.burn_rates.map((tally) => tally.window)).toEqual(['5m', '1h', '6h', '3d']);
      for (const tally of [...report.burn_rates, report.error_budget_30d]) {
        expect(tally).toMatchObject({ count: 2000, bad: 4 });
        expect(tally.burn_rate).toBeCloseTo(4 / 2000 / 0.001, 5);
        expect(tally.error_budget_remaining).toBeCloseTo(1 - 2, 5);
      }
    });
  });

  describe('when requests were answered in different minutes', () => {
    it('then each window counts the minutes it overlaps, and each burn rate its own', async () => {
      const { reporter, answer, advance } = tracked();
      answer(7, 201, 10);
      advance(2 * 3_600_000);
      answer(0.05, 201, 4);
      answer(0.05, 500, 1);

      const recent = await reporter.report('1m');
      const all = await reporter.report('30d');

      // At 11:00:30 the 1-minute window overlaps 10:59 and 11:00, so it reaches back 90 s.
      expect(recent).toMatchObject({ window_seconds: 90, overall: { count: 5, bad: 1, within_5s: 1 } });
      expect(all).toMatchObject({ window_seconds: 30 * 86_400 + 30, overall: { count: 15, bad: 11, within_5s: 5 / 15 } });
      const [fiveMinutes, oneHour, sixHours, threeDays] = all.burn_rates;
      expect(fiveMinutes).toMatchObject({ count: 5, bad: 1, window_seconds: 5 * 60 + 30 });
      expect(oneHour).toMatchObject({ count: 5, bad: 1 });
      expect(sixHours).toMatchObject({ count: 15, bad: 11 });
      expect(threeDays.burn_rate).toBeCloseTo(11 / 15 / 0.001, 5);
      expect(all.error_budget_30d).toMatchObject({ count: 15, bad: 11 });
    });
  });

  describe('when no request was answered in a window', () => {
    it('then its counts are zero and its ratios null', async () => {
      const { reporter } = tracked();

      const report = await reporter.report('5m');

      expect(report.overall).toMatchObject({ count: 0, bad: 0, within_5s: null, error_budget_remaining: null, p99_ms: null });
      expect(report.endpoints).toEqual([]);
      expect(report.burn_rates[0]).toMatchObject({ window: '5m', count: 0, bad: 0, burn_rate: null, error_budget_remaining: null });
    });
  });

  describe('when adding to the table fails', () => {
    it('then the answers are kept and added by the next flush', async () => {
      const store = new LatencyStore(database.knex);
      const added: LatencyMinute[][] = [];
      let fail = true;
      const flaky = {
        add: async (minutes: LatencyMinute[]) => {
          if (fail) throw new Error('database down');
          added.push(minutes);
          await store.add(minutes);
        },
      };
      const recorder = new LatencyRecorder(flaky, () => true, () => START);
      recorder.record('GET', '/v1/listings', 200, 0.01);

      await expect(recorder.flush()).rejects.toThrow('database down');
      recorder.record('GET', '/v1/listings', 200, 0.01);
      fail = false;
      await recorder.flush();
      await recorder.flush();

      expect(added).toEqual([[expect.objectContaining({ route: '/v1/listings', statusClass: '2xx' })], []]);
      const [row] = await store.bucketsSince(new Date(START - MINUTE_MS));
      expect(row.buckets.at(-1)).toBe(2);
    });
  });
  describe('when a flush is asked for while another is adding to the table', () => {
    it('then it waits for that one, so that a report reads every answer recorded before it asked', async () => {
      const added: string[][] = [];
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      const slowStore = {
        add: async (minutes: LatencyMinute[]) => {
          added.push(minutes.map((minute) => minute.route));
          if (added.length === 1) await held;
        },
      };
      const recorder = new LatencyRecorder(slowStore, () => true, () => START);
      recorder.record('GET', '/v1/listings', 200, 0.01);
      const first = recorder.flush();
      recorder.record('GET', '/v1/outbox', 200, 0.01);
      let secondDone = false;
      const second = recorder.flush().then(() => (secondDone = true));

      await new Promise(setImmediate);
      expect({ added, secondDone }).toEqual({ added: [['/v1/listings']], secondDone: false });
      release();
      await Promise.all([first, second]);
      expect(added).toEqual([['/v1/listings'], ['/v1/outbox']]);
    });
  });
});

describe('GET /v1/slo', () => {
  let t: TestGateway;
  let monitor: string;
  beforeAll(async () => {
    t = await startTestGateway();
    monitor = await t.createKey('monitor');
  });
  afterAll(() => t.close());

  it('when staff or monitoring read it, then it reports the operations callers used, not the probes, /metrics or the report', async () => {
    await t.http.get('/v1/holds/x').set('X-Api-Key', await t.createKey('staff')).expect(404);
    await t.http.get('/healthz').expect(200);
    await t.http.get('/metrics').set('X-Api-Key', monitor).expect(200);
    await t.http.get('/v1/no-such-route').set('X-Api-Key', monitor).expect(404);
    await t.http.get('/v1/slo').set('X-Api-Key', monitor).expect(200);

    const report = await t.http.get('/v1/slo').query({ window: '15m' }).set('X-Api-Key', monitor).expect(200);

    expect(report.body).toMatchObject({ window: '15m', objective: 0.999, threshold_seconds: 5 });
    expect(report.body.endpoints.map((e: { operation: string; count: number }) => [e.operation, e.count]).sort()).toEqual([
      ['createApiKey', 2],
      ['getHold', 1],
    ]);
    expect(report.body.overall.count).toBe(3);
  });

  it('when the window is 1m to 30d, then it answers; longer, or not a duration, then a 400 problem with its code', async () => {
    for (const window of ['1m', '90m', '720h', '30d']) {
      const ok = await t.http.get('/v1/slo').query({ window }).set('X-Api-Key', monitor).expect(200);
      expect(ok.body.window).toBe(window);
    }
    const defaulted = await t.http.get('/v1/slo').set('X-Api-Key', monitor).expect(200);
    expect(defaulted.body).toMatchObject({ window: '1h' });
    for (const [window, code] of [
      ['31d', 'window_too_long'],
      ['721h', 'window_too_long'],
      ['43201m', 'window_too_long'],
      ['0m', 'validation_failed'],
      ['1w', 'validation_failed'],
      ['1.5h', 'validation_failed'],
      ['100d', 'validation_failed'],
    ]) {
      const refused = await t.http.get('/v1/slo').query({ window }).set('X-Api-Key', monitor).expect(400);
      expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect({ window, code: refused.body.code }).toEqual({ window, code });
    }
  });
});
