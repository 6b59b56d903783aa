import { AdaptiveConcurrencyLimit } from '../../src/downstream/adaptive-concurrency';
import { DownstreamError } from '../../src/downstream/downstream-error';

const tooMany = new DownstreamError('tessitura', 'HTTP 429', { status: 429 });
const timedOut = new DownstreamError('tessitura', 'no answer within 10000 ms');
const refused = new DownstreamError('tessitura', 'HTTP 400', { status: 400, permanent: true });

/** A limiter on a clock the test moves by hand, and every limit it announced. */
function limiter(initial: number, max: number) {
  const clock = { now: 0 };
  const limit = new AdaptiveConcurrencyLimit({ initial, max }, () => clock.now);
  const announced: number[] = [];
  limit.onChange((value) => announced.push(value));
  /** Calls that each had the whole limit in flight, unless told how many. */
  const succeed = (times: number, latencyMs = 100, inFlight?: number) => {
    for (let i = 0; i < times; i++) {
      clock.now += 10;
      limit.record({ latencyMs, inFlight: inFlight ?? limit.current });
    }
  };
  const fail = (error: unknown, latencyMs = 5) => limit.record({ latencyMs, error, inFlight: limit.current });
  return { limit, clock, announced, succeed, fail };
}

describe('Adaptive concurrency limit', () => {
  it('when calls succeed at a steady latency, then the limit grows by about one per limit of calls, up to the max and no further', () => {
    const { limit, announced, succeed } = limiter(4, 10);

    succeed(4);
    expect(limit.current).toBe(4);
    succeed(1);
    expect(limit.current).toBe(5);
    succeed(500);

    expect(limit.current).toBe(10);
    expect(announced).toEqual([5, 6, 7, 8, 9, 10]);
  });

  it('when a burst of 429s arrives within one round trip, then the limit is cut to 90% once', () => {
    const { limit, clock, succeed, fail } = limiter(20, 20);
    succeed(20, 100);

    for (let i = 0; i < 5; i++) fail(tooMany);
    expect(limit.current).toBe(18);

    clock.now += 100;
    fail(tooMany);
    expect(limit.current).toBe(16);
  });

  it('when calls time out, then the limit is cut as for a 429', () => {
    const { limit, succeed, fail } = limiter(10, 10);
    succeed(10);

    fail(timedOut, 10_000);

    expect(limit.current).toBe(9);
  });

  it('when the latency rises well above its baseline, then the limit is cut each round trip, down to the initial limit and no lower', () => {
    const { limit, clock, succeed, announced } = limiter(4, 12);
    succeed(100, 100);
    expect(limit.current).toBe(12);

    for (let i = 0; i < 30; i++) {
      clock.now += 400;
      limit.record({ latencyMs: 400, inFlight: 12 });
    }

    expect(limit.current).toBe(4);
    expect(announced.slice(-3)).toEqual([6, 5, 4]);
    succeed(30, 100);
    expect(limit.current).toBeGreaterThan(4);
  });

  it('when time-outs have cut the limit below the initial one, then it grows back to the initial limit even while latency stays high, and no further', () => {
    const { limit, clock, succeed, fail } = limiter(4, 12);
    succeed(20, 10);
    for (let i = 0; i < 20; i++) {
      clock.now += 1_000;
      fail(timedOut, 2_000);
    }
    expect(limit.current).toBe(1);

    // Twenty calls at 50 times the latency the baseline knows: queueing, by every measure, all along.
    succeed(20, 500);

    expect(limit.current).toBe(4);
  });

  it('when the latency varies within the tolerance, then the limit keeps growing', () => {
    const { limit, succeed } = limiter(2, 16);
    for (let round = 0; round < 100; round++) {
      succeed(1, 80);
      succeed(1, 180);
    }
    expect(limit.current).toBe(16);
  });

  it('when calls succeed with less than half the limit in flight, then the limit does not grow (nothing says the target could take more)', () => {
    const { limit, announced, succeed } = limiter(8, 64);

    succeed(200, 100, 3);

    expect(limit.current).toBe(8);
    expect(announced).toEqual([]);
  });

  it('when a fast target answers a few milliseconds slower, then that is not taken for queueing', () => {
    const { limit, succeed } = limiter(4, 8);
    succeed(50, 2);

    succeed(50, 20);

    expect(limit.current).toBe(8);
  });

  it('when a call is refused for a reason that says nothing of load (400), then the limit and latency are unchanged', () => {
    const { limit, announced, succeed, fail } = limiter(6, 6);
    succeed(6, 100);

    for (let i = 0; i < 50; i++) fail(refused, 1);

    expect(limit.current).toBe(6);
    expect(announced).toEqual([]);
  });

  it('when overload goes on, then the limit never falls below one call', () => {
    const { limit, clock, fail } = limiter(3, 3);
    for (let i = 0; i < 100; i++) {
      clock.now += 1_000;
      fail(tooMany);
    }
    expect(limit.current).toBe(1);
  });

  it('when the initial limit is above the max, then the max is where it starts', () => {
    expect(limiter(50, 8).limit.current).toBe(8);
  });
});
