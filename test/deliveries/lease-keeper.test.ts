import { keepLease, LeaseNotKeptError } from '../../src/features/deliveries/lease-keeper';

const LEASE_MS = 3_000;

describe('keeping a delivery lease while its attempt runs', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  const keep = (renew: () => Promise<boolean>) => {
    const abort = new AbortController();
    const stop = keepLease(renew, LEASE_MS, abort);
    return { abort, stop };
  };

  it('when every renewal succeeds, then it renews every third of the lease and never aborts the attempt', async () => {
    const renew = jest.fn(async () => true);
    const { abort, stop } = keep(renew);
    await jest.advanceTimersByTimeAsync(LEASE_MS * 5);
    stop();
    expect(renew).toHaveBeenCalledTimes(15);
    expect(abort.signal.aborted).toBe(false);
  });

  it('when another dispatcher holds the lease, then the attempt is aborted at the first renewal', async () => {
    const { abort, stop } = keep(async () => false);
    await jest.advanceTimersByTimeAsync(LEASE_MS / 3);
    stop();
    expect(abort.signal.reason).toBeInstanceOf(LeaseNotKeptError);
  });

  it('when the database cannot be reached, then the attempt is aborted at the first tick past half the lease, before it runs out', async () => {
    const { abort, stop } = keep(async () => Promise.reject(new Error('connection refused')));
    await jest.advanceTimersByTimeAsync(LEASE_MS / 3);
    expect(abort.signal.aborted).toBe(false);
    await jest.advanceTimersByTimeAsync(LEASE_MS / 3);
    stop();
    expect(abort.signal.reason).toBeInstanceOf(LeaseNotKeptError);
  });

  it('when stopped, then it renews no more', async () => {
    const renew = jest.fn(async () => true);
    const { stop } = keep(renew);
    stop();
    await jest.advanceTimersByTimeAsync(LEASE_MS * 2);
    expect(renew).not.toHaveBeenCalled();
  });
});
