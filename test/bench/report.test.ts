import { formatScaling, formatScenario } from '../../bench/report';
import { summarize } from '../../bench/summary';
import { measurement, round, scenario } from './fixtures';

describe('bench report', () => {
  describe('when a scenario has rounds, medians and a failed measurement', () => {
    const lines = formatScenario(
      summarize(scenario(), 1, [
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

  describe('when the scenario ran with fleets of 1 and 2 gateways', () => {
    const lines = formatScaling([
      summarize(scenario(), 1, [round(1, 1000, 1000)]),
      summarize(scenario(), 2, [round(1, 1500, 1000, { cpu: { server: 1.5, database: 0.9, loadGenerator: 0.2, other: 0.1, machineBusy: 1 } })]),
    ]).split('\n');

    it('then each fleet has a row with its rate against one gateway\'s, and the CPU per hold of the fleet and of PostgreSQL', () => {
      expect(lines).toHaveLength(4);
      expect(new Set(lines.slice(1).map((line) => line.length)).size).toBe(1);
      expect(lines[2]).toMatch(/^hold +1 +1000\.0 +1\.00x +30 +0\.90 +0\.900 +0\.60 +0\.600$/);
      expect(lines[3]).toMatch(/^hold +2 +1500\.0 +1\.50x +30 +1\.50 +1\.000 +0\.90 +0\.600$/);
    });
  });

  describe('when a scenario ran with more than one gateway', () => {
    it('then its heading names the fleet', () => {
      expect(formatScenario(summarize(scenario(), 4, [round(1, 1000, 1000)])).split('\n')[0]).toMatch(/^hold x4 \(4 gateway processes share the load\): /);
    });
  });
});
