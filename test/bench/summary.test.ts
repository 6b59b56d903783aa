import { median, summarize } from '../../bench/summary';
import { measurement, round, scenario } from './fixtures';

describe('bench summary', () => {
  describe('median', () => {
    it('when the count is odd, then it is the middle value; when even, the mean of the two middle ones', () => {
      expect(median([3, 1, 2])).toBe(2);
      expect(median([4, 1, 3, 2])).toBe(2.5);
    });
  });

  describe('when the rounds meet every target', () => {
    it('then the ratio is the median of the rounds ratios and every check passes', () => {
      const result = summarize(scenario(), 1, [round(1, 950, 1000), round(2, 1900, 2000), round(3, 500, 1000)]);

      expect(result.median.ratio).toBeCloseTo(0.95);
      expect(result.median.gateway.rate).toBe(950);
      expect(result.median.floor.rate).toBe(1000);
      expect(result.checks.map((check) => [check.name, check.pass])).toEqual([
        ['gateway/floor', true],
        ['gateway p99', true],
      ]);
      expect(result.failures).toEqual([]);
    });
  });

  describe('when the gateway is too slow or its p99 too high', () => {
    it('then the matching checks miss', () => {
      const result = summarize(scenario(), 1, [round(1, 800, 1000, { latency: { p50: 20, p99: 60, max: 90 } })]);

      expect(result.checks.map((check) => [check.actual, check.pass])).toEqual([
        ['0.80x', false],
        ['60 ms', false],
      ]);
    });
  });

  describe('when the scenario has no latency target', () => {
    it('then only the ratio is checked', () => {
      expect(summarize(scenario({ p99TargetMs: undefined }), 1, [round(1, 1, 1)]).checks).toHaveLength(1);
    });
  });

  describe('when more than 1% of a measurement failed', () => {
    it('then it is listed as a failure with its counts and a sample answer', () => {
      const failing = measurement({
        requests: { ok: 900, refused: 90, errors: 10 },
        failureShare: 0.1,
        refusals: { 409: '{"code":"insufficient_inventory"}' },
      });
      const result = summarize(scenario(), 1, [{ ...round(1, 900, 1000), gateway: failing }]);

      expect(result.failures).toEqual([
        'round 1 gateway: 10.00% failed (90 non-2xx, 10 errors); e.g. 409: {"code":"insufficient_inventory"}',
      ]);
    });

    it('then 1% exactly is still trusted', () => {
      const result = summarize(scenario(), 1, [{ ...round(1, 900, 1000), floor: measurement({ failureShare: 0.01 }) }]);

      expect(result.failures).toEqual([]);
    });
  });
});
