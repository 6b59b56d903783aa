import { SingleBar } from 'cli-progress';

export type Progress = {
  /** Starts the next measurement: `seconds` of load, named by `label` beside the bar. */
  step(label: string, seconds: number): void;
  /** One more second of the current measurement's load done. */
  tick(): void;
  stop(): void;
};

/** A bar over every second of load the run will apply; without a terminal it prints a line every 10 s. */
export function createProgress(totalSeconds: number): Progress {
  const bar = new SingleBar({
    format: '{bar} {percentage}% | {value}/{total} s of load | eta {eta_formatted} | {label}',
    barsize: 30,
    hideCursor: true,
    noTTYOutput: true,
    notTTYSchedule: 10_000,
  });
  bar.start(totalSeconds, 0, { label: 'starting' });
  let stepStart = 0;
  let stepEnd = 0;
  let value = 0;
  return {
    step: (label, seconds) => {
      stepStart = stepEnd;
      stepEnd = stepStart + seconds;
      value = stepStart;
      bar.update(value, { label });
    },
    // autocannon's ticks need not add up to the duration exactly: keep each step within its own seconds.
    tick: () => bar.update((value = Math.min(value + 1, stepEnd))),
    stop: () => {
      bar.update(stepEnd);
      bar.stop();
    },
  };
}
