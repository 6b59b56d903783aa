import type { Measurement } from './load';
import type { Scenario, ScenarioName, Side } from './scenarios';

/** A measurement whose non-2xx answers and errors exceed this share of what was sent is not trusted. */
export const MAX_FAILURE_SHARE = 0.01;

export type Round = { round: number; gateway: Measurement; floor: Measurement; ratio: number };

export type Check = { name: string; target: string; actual: string; pass: boolean };

export type ScenarioResult = {
  name: ScenarioName;
  /** How many gateway processes shared the gateway side's load (the floor is always one). */
  gateways: number;
  unit: string;
  measures: string;
  targetRatio: number;
  rounds: Round[];
  /** Medians over the rounds, per side; `ratio` is the median of the rounds' gateway/floor ratios. */
  median: { ratio: number } & Record<Side, { rate: number; p50: number; p99: number }>;
  checks: Check[];
  /** One line per measurement whose failure share went over MAX_FAILURE_SHARE. */
  failures: string[];
};

export function median(values: number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export const ratioOf = (gateway: Measurement, floor: Measurement): number =>
  floor.rate > 0 ? gateway.rate / floor.rate : NaN;

const sideMedians = (rounds: Round[], side: Side) => ({
  rate: median(rounds.map((round) => round[side].rate)),
  p50: median(rounds.map((round) => round[side].latency.p50)),
  p99: median(rounds.map((round) => round[side].latency.p99)),
});

function failuresOf(rounds: Round[]): string[] {
  return rounds.flatMap((round) =>
    (['gateway', 'floor'] as const)
      .filter((side) => round[side].failureShare > MAX_FAILURE_SHARE)
      .map((side) => {
        const { refused, errors } = round[side].requests;
        const samples = Object.entries(round[side].refusals).map(([status, body]) => `${status}: ${body}`);
        return `round ${round.round} ${side}: ${(round[side].failureShare * 100).toFixed(2)}% failed ` +
          `(${refused} non-2xx, ${errors} errors)${samples.length ? `; e.g. ${samples.join(' | ')}` : ''}`;
      }),
  );
}

/** Medians, the checks against the scenario's targets, and the measurements not to be trusted. */
export function summarize(scenario: Scenario, gateways: number, rounds: Round[]): ScenarioResult {
  const ratio = median(rounds.map((round) => round.ratio));
  const gateway = sideMedians(rounds, 'gateway');
  const checks: Check[] = [
    {
      name: 'gateway/floor',
      target: `>= ${scenario.targetRatio.toFixed(2)}x`,
      actual: `${ratio.toFixed(2)}x`,
      pass: ratio >= scenario.targetRatio,
    },
  ];
  if (scenario.p99TargetMs !== undefined) {
    checks.push({
      name: 'gateway p99',
      target: `< ${scenario.p99TargetMs} ms`,
      actual: `${gateway.p99} ms`,
      pass: gateway.p99 < scenario.p99TargetMs,
    });
  }
  return {
    name: scenario.name,
    gateways,
    unit: scenario.unit,
    measures: scenario.measures,
    targetRatio: scenario.targetRatio,
    rounds,
    median: { ratio, gateway, floor: sideMedians(rounds, 'floor') },
    checks,
    failures: failuresOf(rounds),
  };
}

/** The scenario's name, and its fleet's size when more than one gateway process ran it. */
export const resultLabel = (result: Pick<ScenarioResult, 'name' | 'gateways'>): string =>
  result.gateways === 1 ? result.name : `${result.name} x${result.gateways}`;
