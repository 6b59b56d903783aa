import type { Measurement } from '../../bench/load';
import type { Scenario } from '../../bench/scenarios';
import type { Round } from '../../bench/summary';

export function measurement(overrides: Partial<Measurement> = {}): Measurement {
  return {
    seconds: 10,
    rate: 1000,
    completed: 10_000,
    latency: { p50: 10, p99: 30, max: 80 },
    requests: { ok: 10_000, refused: 0, errors: 0 },
    failureShare: 0,
    refusals: {},
    cpu: { server: 0.9, database: 0.6, loadGenerator: 0.2, other: 0.1, machineBusy: 0.9 },
    ...overrides,
  };
}

export const round = (index: number, gatewayRate: number, floorRate: number, gateway: Partial<Measurement> = {}): Round => ({
  round: index,
  gateway: measurement({ rate: gatewayRate, ...gateway }),
  floor: measurement({ rate: floorRate }),
  ratio: gatewayRate / floorRate,
});

/** The hold scenario's targets, with a workload no test runs. */
export const scenario = (overrides: Partial<Scenario> = {}): Scenario => ({
  name: 'hold',
  unit: 'holds/s',
  measures: 'holds',
  targetRatio: 0.9,
  p99TargetMs: 50,
  workload: () => {
    throw new Error('not used');
  },
  ...overrides,
});
