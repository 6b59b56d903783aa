import type { Logger } from 'pino';

/**
 * Runs `work` every `intervalMs`, never overlapping itself; a failed run is logged and the next one
 * tries again. The timer does not keep the process alive; `stop()` waits for a run in progress, then
 * runs the work once more if `runOnStop` (work that must not be left for a next run that never comes).
 */
export class PeriodicJob {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    private readonly name: string,
    private readonly intervalMs: number,
    private readonly work: () => Promise<unknown>,
    private readonly logger: Logger,
    private readonly options: { runOnStop?: boolean } = {},
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.runNow(), this.intervalMs);
    this.timer.unref();
  }

  /** Runs the work now, or waits for the run already in progress. */
  runNow(): Promise<void> {
    this.running ??= this.work()
      .then(
        () => undefined,
        (err: unknown) => this.logger.warn({ err, job: this.name }, `${this.name} failed; retrying at the next run`),
      )
      .finally(() => (this.running = undefined));
    return this.running;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
    if (this.options.runOnStop) await this.runNow();
  }
}
