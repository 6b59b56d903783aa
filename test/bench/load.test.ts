import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { measure } from '../../bench/load';
import { Tally, type Workload } from '../../bench/scenarios';

describe('bench load measurement', () => {
  let server: http.Server;
  let url: string;
  let answered = 0;

  beforeAll(async () => {
    // Every tenth answer is a refusal.
    server = http.createServer((_req, res) => {
      const refused = ++answered % 10 === 0;
      res.writeHead(refused ? 409 : 201, { 'content-type': 'application/json' }).end(refused ? '{"code":"nope"}' : '{}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  const workload = (): Workload => {
    const tally = new Tally();
    return {
      tally,
      requests: [{ method: 'POST', path: '/', onResponse: (status, body) => void tally.observe(status, body, true) }],
    };
  };
  const settings = (signal = new AbortController().signal) => ({
    urls: [url],
    connections: 2,
    seconds: 1,
    serverPids: [process.pid],
    sessionPids: async () => [],
    signal,
    onTick: () => undefined,
  });

  describe('when a side answers for the whole measurement', () => {
    it('then the rate counts 2xx answers only, and refusals are counted and sampled', async () => {
      const load = workload();

      const result = await measure(load, settings());

      expect(result.completed).toBe(load.tally.completed);
      expect(result.completed).toBe(result.requests.ok);
      expect(result.rate).toBeCloseTo(result.completed / result.seconds, 0);
      expect(result.failureShare).toBeCloseTo(0.1, 1);
      expect(result.refusals).toEqual({ 409: '{"code":"nope"}' });
      expect(result.cpu.loadGenerator).toBeGreaterThan(0);
    });
  });

  describe('when the run is aborted mid-measurement', () => {
    it('then the measurement stops at once and rejects with the reason', async () => {
      const abort = new AbortController();
      // Aborted at its first tick, an hour-long measurement rejecting at all (within the test's time limit) stopped at once.
      const measuring = measure(workload(), { ...settings(abort.signal), seconds: 3_600, onTick: () => abort.abort(new Error('stop')) });

      await expect(measuring).rejects.toThrow('stop');
    });
  });

  describe('when a side is a fleet of processes', () => {
    let second: http.Server;
    let secondUrl: string;
    let secondAnswered = 0;

    beforeAll(async () => {
      second = http.createServer((_req, res) => void (secondAnswered++, res.writeHead(201).end('{}')));
      await new Promise<void>((resolve) => second.listen(0, '127.0.0.1', resolve));
      secondUrl = `http://127.0.0.1:${(second.address() as AddressInfo).port}`;
    });
    afterAll(() => new Promise((resolve) => second.close(resolve)));

    it('then the connections are spread over every process, and answers from all of them are counted', async () => {
      const firstBefore = answered;

      const result = await measure(workload(), { ...settings(), urls: [url, secondUrl] });

      expect(answered - firstBefore).toBeGreaterThan(0);
      expect(secondAnswered).toBeGreaterThan(0);
      // Answers still on their way when the measurement ends are served but not counted.
      const served = answered - firstBefore + secondAnswered;
      expect(result.requests.ok + result.requests.refused).toBeLessThanOrEqual(served);
      expect(result.requests.ok + result.requests.refused).toBeGreaterThan(served / 2);
    });
  });
});
