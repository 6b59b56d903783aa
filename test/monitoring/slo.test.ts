import { Registry } from 'prom-client';
import { quantileMs } from '../../src/features/monitoring/latency-histogram-window';
import { SloTracker } from '../../src/features/monitoring/slo-tracker';
import { createHttpMetrics, LATENCY_BUCKETS } from '../../src/platform/http-metrics';
import { startTestGateway } from '../support/test-gateway';

describe('the latency SLO', () => {
  function tracked() {
    let now = Date.parse('2026-11-23T09:00:00Z');
    const { duration } = createHttpMetrics(new Registry());
    const tracker = new SloTracker(duration, (method, route) => `${method} ${route}`, () => now);
    const observe = (seconds: number, status = '201', times = 1) => {
      for (let i = 0; i < times; i++) duration.observe({ method: 'POST', route: '/v1/holds', status }, seconds);
    };
    return { tracker, observe, advance: (ms: number) => (now += ms) };
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
    it('then the report counts them against the 99.9% objective and spends the error budget', async () => {
      const { tracker, observe } = tracked();
      observe(0.02, '201', 1996);
      observe(6, '201', 2);
      observe(0.01, '503', 2);

      const report = await tracker.report('1h');

      expect(report.overall).toMatchObject({ count: 2000, bad: 4, within_5s: 0.999 });
      expect(report.overall.error_budget_remaining).toBeCloseTo(1 - 4 / 2, 5);
      expect(report.endpoints[0]).toMatchObject({ operation: 'POST /v1/holds', route: '/v1/holds', count: 2000, p99_ms: expect.any(Number) });
      expect(report.overall.p50_ms).toBeGreaterThan(10);
      expect(report.overall.p50_ms).toBeLessThanOrEqual(25);
    });
  });

  describe('when the window is shorter than the process has run', () => {
    it('then only what happened since the reading at the start of the window counts', async () => {
      const { tracker, observe, advance } = tracked();
      observe(7, '201', 10);
      advance(10 * 60_000);
      await tracker.record();
      advance(10 * 60_000);
      observe(0.05, '201', 4);

      const recent = await tracker.report('10m');
      const all = await tracker.report('1h');

      expect(recent).toMatchObject({ window_seconds: 600, overall: { count: 4, bad: 0, within_5s: 1 } });
      expect(all).toMatchObject({ window_seconds: 1200, overall: { count: 14, bad: 10 } });
    });
  });

  describe('when staff or monitoring read /v1/slo', () => {
    it('then it reports the requests the gateway served, per endpoint', async () => {
      const t = await startTestGateway();
      try {
        const monitor = await t.createKey('monitor');
        await t.http.get('/v1/holds/x').set('X-Api-Key', await t.createKey('staff'));

        const report = await t.http.get('/v1/slo').query({ window: '15m' }).set('X-Api-Key', monitor).expect(200);

        expect(report.body).toMatchObject({ window: '15m', objective: 0.999, threshold_seconds: 5 });
        expect(report.body.endpoints.map((e: { operation: string }) => e.operation)).toEqual(expect.arrayContaining(['getHold', 'createApiKey']));
        await t.http.get('/v1/slo').query({ window: '7h' }).set('X-Api-Key', monitor).expect(400);
      } finally {
        await t.close();
      }
    });
  });
});
