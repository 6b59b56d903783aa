import type { Measurement } from './load';
import { median, resultLabel, type ScenarioResult } from './summary';

const HEADERS = ['round', 'side', 'rate', 'p50 ms', 'p99 ms', 'non-2xx', 'errors', 'server CPU', 'CPU ms/unit', 'db CPU', 'bench CPU', 'other CPU', 'gateway/floor'];
const LEFT_ALIGNED = 2;

function table(rows: string[][]): string {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
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
    `${result.gateways === 1 ? result.name : `${resultLabel(result)} (${result.gateways} gateway processes share the load)`}: ${result.measures}`,
    `rate = ${result.unit}; CPU in cores: server = the side under load, db = the run database's sessions, bench = the load generator, other = the rest of the machine`,
    table(rows),
    ...verdicts,
    ...failures,
  ].join('\n');
}

const SCALING_HEADERS = ['scenario', 'gateways', 'rate', 'x 1 gateway', 'p99 ms', 'server CPU', 'CPU ms/unit', 'db CPU', 'db CPU ms/unit'];

/** Medians over a result's gateway measurements of what the measurement gives (null where it gives none). */
function medianOf(result: ScenarioResult, value: (m: Measurement) => number | null): number | null {
  const values = result.rounds.map((round) => value(round.gateway)).filter((v): v is number => v !== null);
  return values.length === 0 ? null : median(values);
}

const perUnit = (cores: number | null) => (m: Measurement) => (cores === null || m.rate === 0 ? null : (cores * 1000) / m.rate);

/**
 * Each scenario's gateway side by fleet size: the median rate, and against the one-gateway fleet's when
 * it ran; the fleet's CPU and PostgreSQL's, in all and per unit, show where the added processes' work goes.
 */
export function formatScaling(results: ScenarioResult[]): string {
  const cores = (value: number | null, digits: number) => (value === null ? '-' : value.toFixed(digits));
  const rows = results.map((result) => {
    const single = results.find((other) => other.name === result.name && other.gateways === 1);
    return [
      result.name,
      String(result.gateways),
      result.median.gateway.rate.toFixed(1),
      single ? ratioCell(result.median.gateway.rate / single.median.gateway.rate) : '-',
      String(result.median.gateway.p99),
      cores(medianOf(result, (m) => m.cpu.server), 2),
      cores(medianOf(result, (m) => perUnit(m.cpu.server)(m)), 3),
      cores(medianOf(result, (m) => m.cpu.database), 2),
      cores(medianOf(result, (m) => perUnit(m.cpu.database)(m)), 3),
    ];
  });
  return ['Scaling out: the gateway side by fleet size (medians of the rounds; CPU in cores, the whole fleet\'s)', table([SCALING_HEADERS, ...rows])].join('\n');
}
