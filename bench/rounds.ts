import { measure } from './load';
import type { Progress } from './progress';
import { type Scenario, SIDES, type Side } from './scenarios';
import { ratioOf, type Round, type ScenarioResult, summarize } from './summary';

export type RoundSettings = {
  rounds: number;
  seconds: number;
  warmupSeconds: number;
  connections: number;
  /** Where each side's load goes, and the processes whose CPU use is its server's. */
  targets: Record<Side, { urls: string[]; pids: number[] }>;
  /** How many gateway processes share the gateway side's load. */
  gateways: number;
  sessionPids: () => Promise<number[] | null>;
  signal: AbortSignal;
  progress: Progress;
};

/** Seconds of load one scenario applies to each side: its warm-up, then its turn in every round. */
export const loadSecondsPerSide = (s: Pick<RoundSettings, 'rounds' | 'seconds' | 'warmupSeconds'>): number =>
  s.warmupSeconds + s.rounds * s.seconds;

/**
 * Warms both sides up, then measures them in turn, gateway then floor, round after round (A B A B ...),
 * so that whatever drifts during the run (caches, table growth, autovacuum) touches both alike.
 */
export async function runScenario(scenario: Scenario, settings: RoundSettings): Promise<ScenarioResult> {
  const run = (side: Side, seconds: number, label: string) => {
    settings.progress.step(`${scenario.name} ${label} ${side}`, seconds);
    return measure(scenario.workload(side), {
      urls: settings.targets[side].urls,
      connections: settings.connections,
      seconds,
      serverPids: settings.targets[side].pids,
      sessionPids: settings.sessionPids,
      signal: settings.signal,
      onTick: settings.progress.tick,
    });
  };
  if (settings.warmupSeconds > 0) {
    for (const side of SIDES) await run(side, settings.warmupSeconds, 'warm-up');
  }
  const rounds: Round[] = [];
  for (let round = 1; round <= settings.rounds; round++) {
    const gateway = await run('gateway', settings.seconds, `round ${round}/${settings.rounds}`);
    const floor = await run('floor', settings.seconds, `round ${round}/${settings.rounds}`);
    rounds.push({ round, gateway, floor, ratio: ratioOf(gateway, floor) });
  }
  return summarize(scenario, settings.gateways, rounds);
}
