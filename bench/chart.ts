import { resultLabel, type ScenarioResult } from './summary';

const WIDTH = 850;
const LABEL_WIDTH = 90;
const VERDICT_WIDTH = 290;
const PLOT_WIDTH = WIDTH - LABEL_WIDTH - VERDICT_WIDTH;
const ROW_HEIGHT = 64;
const TOP = 52;
const BOTTOM = 36;
const PASS_COLOR = '#2e7d32';
const MISS_COLOR = '#c62828';

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function row(result: ScenarioResult, index: number, x: (ratio: number) => number): string {
  const top = TOP + index * ROW_HEIGHT;
  const middle = top + ROW_HEIGHT / 2;
  const passed = result.checks.every((check) => check.pass);
  const rounds = result.rounds
    .map((round) => `<circle cx="${x(round.ratio)}" cy="${middle}" r="3.5" fill="#fff" stroke="#333"/>`)
    .join('');
  const textX = LABEL_WIDTH + PLOT_WIDTH + 10;
  const verdicts = result.checks.map(
    (check, line) =>
      `<text x="${textX}" y="${top + 18 + line * 16}" fill="${check.pass ? PASS_COLOR : MISS_COLOR}">` +
      `${check.pass ? 'PASS' : 'MISS'} ${escape(`${check.name} ${check.actual} (${check.target})`)}</text>`,
  );
  const rates = `gateway ${Math.round(result.median.gateway.rate)}/s, floor ${Math.round(result.median.floor.rate)}/s`;
  return [
    `<text x="${LABEL_WIDTH - 10}" y="${middle + 5}" text-anchor="end" font-weight="bold">${escape(resultLabel(result))}</text>`,
    `<rect x="${x(0)}" y="${middle - 12}" width="${x(result.median.ratio) - x(0)}" height="24" fill="${passed ? PASS_COLOR : MISS_COLOR}" opacity="0.8"/>`,
    rounds,
    `<line x1="${x(result.targetRatio)}" x2="${x(result.targetRatio)}" y1="${top + 6}" y2="${top + ROW_HEIGHT - 6}" stroke="#000" stroke-width="2" stroke-dasharray="5 3"/>`,
    ...verdicts,
    `<text x="${textX}" y="${top + 18 + verdicts.length * 16}" fill="#555" font-size="11">${escape(rates)}</text>`,
  ].join('\n  ');
}

/**
 * A bar per scenario: the median gateway/floor throughput ratio (green when every target is met, red
 * otherwise), a dot per round's ratio, and the target as a dashed line.
 */
export function renderChart(results: ScenarioResult[], title: string): string {
  const scaleMax = Math.max(1.2, ...results.flatMap((result) => result.rounds.map((round) => round.ratio * 1.1)));
  const x = (ratio: number) => Math.round(LABEL_WIDTH + (Math.max(0, ratio) / scaleMax) * PLOT_WIDTH);
  const height = TOP + results.length * ROW_HEIGHT + BOTTOM;
  const axisY = TOP + results.length * ROW_HEIGHT;
  const ticks = Array.from({ length: Math.floor(scaleMax / 0.2) + 1 }, (_, i) => i * 0.2)
    .map((tick) => `<line x1="${x(tick)}" x2="${x(tick)}" y1="${TOP}" y2="${axisY}" stroke="#ddd"/>` +
      `<text x="${x(tick)}" y="${axisY + 16}" text-anchor="middle" font-size="11">${tick.toFixed(1)}x</text>`)
    .join('\n  ');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif" font-size="13">
  <rect width="${WIDTH}" height="${height}" fill="#fff"/>
  <text x="${LABEL_WIDTH}" y="22" font-size="15" font-weight="bold">Gateway throughput relative to the floor (median of rounds)</text>
  <text x="${LABEL_WIDTH}" y="40" font-size="11" fill="#555">${escape(title)}; dots: rounds; dashed: target</text>
  ${ticks}
  <line x1="${x(1)}" x2="${x(1)}" y1="${TOP}" y2="${axisY}" stroke="#888"/>
  ${results.map((result, index) => row(result, index, x)).join('\n  ')}
</svg>
`;
}
