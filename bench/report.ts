import type { Measurement } from './load';
import type { ScenarioResult } from './summary';

const HEADERS = ['round', 'side', 'rate', 'p50 ms', 'p99 ms', 'non-2xx', 'errors', 'gateway/floor'];
const RIGHT_ALIGNED = new Set([2, 3, 4, 5, 6, 7]);

function table(rows: string[][]): string {
  const widths = HEADERS.map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  return rows
    .map((row) =>
      row.map((cell, column) => (RIGHT_ALIGNED.has(column) ? cell.padStart(widths[column]) : cell.padEnd(widths[column]))).join('  '),
    )
    .join('\n');
}

const ratioCell = (ratio: number) => `${ratio.toFixed(2)}x`;

function measurementRow(round: string, side: string, m: Measurement, ratio: string): string[] {
  return [round, side, m.rate.toFixed(1), String(m.latency.p50), String(m.latency.p99), String(m.requests.refused), String(m.requests.errors), ratio];
}

/** One scenario as a table of its rounds, its medians and its verdicts, ready to print. */
export function formatScenario(result: ScenarioResult): string {
  const rows = [
    HEADERS,
    ...result.rounds.flatMap((round) => [
      measurementRow(String(round.round), 'gateway', round.gateway, ratioCell(round.ratio)),
      measurementRow('', 'floor', round.floor, ''),
    ]),
    ['median', 'gateway', result.median.gateway.rate.toFixed(1), String(result.median.gateway.p50), String(result.median.gateway.p99), '', '', ratioCell(result.median.ratio)],
    ['', 'floor', result.median.floor.rate.toFixed(1), String(result.median.floor.p50), String(result.median.floor.p99), '', '', ''],
  ];
  const verdicts = result.checks.map((check) => `  ${check.pass ? 'PASS' : 'MISS'}  ${check.name}: ${check.actual} (target ${check.target})`);
  const failures = result.failures.map((failure) => `  FAILED MEASUREMENT  ${failure}`);
  return [`${result.name}: ${result.measures}`, `rate = ${result.unit}`, table(rows), ...verdicts, ...failures].join('\n');
}
