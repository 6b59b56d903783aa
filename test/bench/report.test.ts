import { formatScenario } from '../../bench/report';
import { summarize } from '../../bench/summary';
import { measurement, round, scenario } from './fixtures';

describe('bench report', () => {
  describe('when a scenario has rounds, medians and a failed measurement', () => {
    const lines = formatScenario(
      summarize(scenario(), [
        round(1, 950, 1000),
        { ...round(2, 500, 1000), gateway: measurement({ rate: 500, failureShare: 0.5, cpu: { server: null, database: null, loadGenerator: 0.1, other: null, machineBusy: null } }) },
      ]),
    ).split('\n');

    it('then every row of the table is as wide as its header, unknown CPU figures shown as -', () => {
      const table = lines.slice(lines.findIndex((line) => line.startsWith('round')), lines.findIndex((line) => /^ {2}(PASS|MISS)/.test(line)));

      expect(table).toHaveLength(1 + 4 + 2);
      expect(new Set(table.map((line) => line.length)).size).toBe(1);
      expect(table[3]).toMatch(/ - +0\.10 +- +0\.50x$/);
      expect(table.at(-2)).toMatch(/^median +gateway +725\.0 .* 0\.72x$/);
    });

    it('then the verdicts and the failed measurement follow the table', () => {
      expect(lines).toContain('  MISS  gateway/floor: 0.72x (target >= 0.90x)');
      expect(lines).toContain('  PASS  gateway p99: 30 ms (target < 50 ms)');
      expect(lines.at(-1)).toMatch(/^ {2}FAILED MEASUREMENT {2}round 2 gateway: 50\.00% failed/);
    });
  });
});
