import request from 'supertest';
import { LatencyError, LatencyModel } from '../../simulators/shared/latency-model';
import { useTessituraSimulator } from './support/simulator-fixtures';

/** A seeded generator (mulberry32), so that the drawn sample is the same on every run. */
function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const quantile = (sorted: number[], q: number) => sorted[Math.floor(q * (sorted.length - 1))];

describe('Simulated service time', () => {
  it('when drawn from a median and a p99, then the sample has that median and p99, and a mean above the median', () => {
    const model = new LatencyModel({ medianMs: 150, p99Ms: 800 }, seededRandom(42));

    const sample = Array.from({ length: 50_000 }, () => model.sampleMs()).sort((a, b) => a - b);

    expect(quantile(sample, 0.5)).toBeGreaterThan(150 * 0.95);
    expect(quantile(sample, 0.5)).toBeLessThan(150 * 1.05);
    expect(quantile(sample, 0.99)).toBeGreaterThan(800 * 0.9);
    expect(quantile(sample, 0.99)).toBeLessThan(800 * 1.1);
    const mean = sample.reduce((sum, ms) => sum + ms, 0) / sample.length;
    expect(mean / model.meanMs).toBeGreaterThan(0.95);
    expect(mean / model.meanMs).toBeLessThan(1.05);
    expect(model.meanMs).toBeGreaterThan(190);
  });

  it('when the p99 equals the median, then every call takes the median', () => {
    const model = new LatencyModel({ medianMs: 40, p99Ms: 40 });
    expect(new Set(Array.from({ length: 100 }, () => model.sampleMs()))).toEqual(new Set([40]));
  });

  it('when the p99 is below the median, then the model is refused', () => {
    expect(() => new LatencyModel({ medianMs: 100, p99Ms: 50 })).toThrow(LatencyError);
  });
});

describe('Tessitura simulator concurrency limit', () => {
  const sim = useTessituraSimulator({ concurrencyLimit: 2, retryAfterSeconds: 3, latency: { medianMs: 1_500, p99Ms: 1_500 } });

  it('when more calls arrive than the limit, then those beyond it are answered 429 with Retry-After and have no effect', async () => {
    const answers = await Promise.all(Array.from({ length: 5 }, () => sim.api.post('/Web/Session', {})));

    const statuses = answers.map((answer) => answer.status).sort();
    expect(statuses).toEqual([200, 200, 429, 429, 429]);
    const refused = answers.find((answer) => answer.status === 429)!;
    expect(refused.headers['retry-after']).toBe('3');
    expect(refused.body).toEqual([expect.objectContaining({ Code: 'TOO_MANY_REQUESTS' })]);
    expect(sim.tess.state.sessions()).toHaveLength(2);
    expect(sim.tess.concurrency.snapshot()).toEqual({ limit: 2, inFlight: 0, peak: 2, served: 2, refused: 3 });
    expect((await request(sim.admin).get('/__admin/concurrency').expect(200)).body).toEqual({ limit: 2, inFlight: 0, peak: 2, served: 2, refused: 3 });
  });

  it('when the calls in flight are answered, then new calls are served again', async () => {
    await Promise.all([sim.api.post('/Web/Session', {}).expect(200), sim.api.post('/Web/Session', {}).expect(200)]);

    await sim.api.post('/Web/Session', {}).expect(200);

    expect(sim.tess.concurrency.snapshot()).toMatchObject({ peak: 2, served: 3, refused: 0 });
  });
});
