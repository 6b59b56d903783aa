import type { Measurement } from './load';
import type { ScenarioResult } from './summary';

const HEADERS = ['round', 'side', 'rate', 'p50 ms', 'p99 ms', 'non-2xx', 'errors', 'server CPU', 'CPU ms/unit', 'db CPU', 'bench CPU', 'other CPU', 'gateway/floor'];
const LEFT_ALIGNED = 2;

function table(rows: string[][]): string {
  const widths = HEADERS.map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  return rows
    .map((row) => row.map((cell, column) => (column < LEFT_ALIGNED ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join('  '))
    .join('\n');
}

const ratioCell = (ratio: number) => `${ratio.toFixed(2)}x`;
const orDash = (value: number | null, format: (value: number) => string) => (value === null ? '-' : format(value));

function measurementRow(round: string, side: string, m: Measurement, ratio: string): string[] {
  const { server, database, loadGenerator, other } = m.cpu;
  const cores = (value: number) => value.toFixed(2);
  return [
    round,
    side,
    m.rate.toFixed(1),
    String(m.latency.p50),
    String(m.latency.p99),
    String(m.requests.refused),
    String(m.requests.errors),
    orDash(server, cores),
    orDash(server, (used) => (m.rate > 0 ? ((used * 1000) / m.rate).toFixed(3) : '-')),
    orDash(database, cores),
    cores(loadGenerator),
    orDash(other, cores),
    ratio,
  ];
}

function medianRow(label: string, side: string, median: { rate: number; p50: number; p99: number }, ratio: string): string[] {
  const leading = [label, side, median.rate.toFixed(1), String(median.p50), String(median.p99)];
  return [...leading, ...Array<string>(HEADERS.length - leading.length - 1).fill(''), ratio];
}

/** One scenario as a table of its rounds, its medians and its verdicts, ready to print. */
export function formatScenario(result: ScenarioResult): string {
  const rows = [
    HEADERS,
    ...result.rounds.flatMap((round) => [
      measurementRow(String(round.round), 'gateway', round.gateway, ratioCell(round.ratio)),
      measurementRow('', 'floor', round.floor, ''),
    ]),
    medianRow('median', 'gateway', result.median.gateway, ratioCell(result.median.ratio)),
    medianRow('', 'floor', result.median.floor, ''),
  ];
  const verdicts = result.checks.map((check) => `  ${check.pass ? 'PASS' : 'MISS'}  ${check.name}: ${check.actual} (target ${check.target})`);
  const failures = result.failures.map((failure) => `  FAILED MEASUREMENT  ${failure}`);
  return [
    `${result.name}: ${result.measures}`,
    `rate = ${result.unit}; CPU in cores: server = the side under load, db = the run database's sessions, bench = the load generator, other = the rest of the machine`,
    table(rows),
    ...verdicts,
    ...failures,
  ].join('\n');
}
