import { type DrainSample, summarizeDrain } from '../../bench/drain-summary';

const settings = { sales: 100, latency: { medianMs: 150, p99Ms: 800, meanMs: 200 }, tessituraLimit: 10 };
const sample = (atSeconds: number, delivered: number, pending: number, oldestPendingSeconds: number, concurrencyLimit: number): DrainSample => ({
  atSeconds,
  delivered,
  pending,
  oldestPendingSeconds,
  concurrencyLimit,
});

describe('Drain summary', () => {
  it('when the backlog empties, then the rate is the sales over the time to empty it, against limit / (calls per sale x mean latency)', () => {
    const samples = [sample(1, 0, 100, 1, 8), sample(10, 40, 60, 10, 12), sample(20, 90, 10, 19.5, 11), sample(25, 100, 0, 0, 10)];

    const summary = summarizeDrain(settings, samples, 1_000, 10);

    expect(summary.drainSeconds).toBe(25);
    expect(summary.salesPerSecond).toBe(4);
    expect(summary.salesPerSecondAfterBurst).toBe(4);
    expect(summary.callsPerSale).toBe(10);
    expect(summary.idealSalesPerSecond).toBe(5);
    expect(summary.ratio).toBe(0.8);
    expect(summary.maxBacklogAgeSeconds).toBe(19.5);
    expect(summary.maxConcurrencyLimit).toBe(12);
    expect(summary.minConcurrencyLimitAfterPeak).toBe(10);
  });

  it('when calls are repeated (resumed attempts), then the ideal is of the calls really served per sale', () => {
    const summary = summarizeDrain(settings, [sample(25, 100, 0, 0, 10)], 1_250, 5);

    expect(summary.callsPerSale).toBe(12.5);
    expect(summary.idealSalesPerSecond).toBe(4);
  });

  it('when a scrape could not read the oldest pending age, then that sample is left out of the maximum', () => {
    const summary = summarizeDrain(settings, [sample(5, 50, 50, 4, 10), sample(6, 60, 40, Number.NaN, 10), sample(9, 100, 0, 0, 10)], 1_000, 5);

    expect(summary.maxBacklogAgeSeconds).toBe(4);
  });

  it('when the backlog never empties, then no rate is claimed', () => {
    const summary = summarizeDrain(settings, [sample(30, 60, 40, 30, 10)], 600, 5);

    expect(summary.drainSeconds).toBeNaN();
    expect(summary.ratio).toBeNaN();
  });
});
