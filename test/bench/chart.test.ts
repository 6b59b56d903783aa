import { renderChart } from '../../bench/chart';
import { summarize } from '../../bench/summary';
import type { Scenario } from '../../bench/scenarios';
import { round } from './fixtures';

const scenario = (name: Scenario['name'], targetRatio: number): Scenario => ({
  name,
  unit: 'holds/s',
  measures: name,
  targetRatio,
  workload: () => {
    throw new Error('not used');
  },
});

describe('bench chart', () => {
  describe('when scenarios pass and miss', () => {
    const svg = renderChart(
      [summarize(scenario('hold', 0.9), 1, [round(1, 950, 1000)]), summarize(scenario('hot', 0.8), 1, [round(1, 500, 1000)])],
      'run <1> & more',
    );

    it('then it is one SVG document with a bar per scenario, green when it passes and red when it misses', () => {
      expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
      expect(svg.trim().endsWith('</svg>')).toBe(true);
      expect(svg).toMatch(/fill="#2e7d32" opacity/);
      expect(svg).toMatch(/fill="#c62828" opacity/);
      expect(svg).toContain('PASS gateway/floor 0.95x (&gt;= 0.90x)');
      expect(svg).toContain('MISS gateway/floor 0.50x (&gt;= 0.80x)');
    });

    it('then text is escaped', () => {
      expect(svg).toContain('run &lt;1&gt; &amp; more');
    });
  });
});
