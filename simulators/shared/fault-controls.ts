/** The faults a simulator can be told to inject, shared by the admin HTTP API and in-process callers. */
export interface FailOptions {
  /** How many matching calls to fail (default 1). */
  count?: number;
  /** HTTP status of the injected failure (default 500). */
  status?: number;
  /** Only calls of this operation count; all calls when absent. */
  operation?: string;
}

export interface DropOptions {
  /** How many matching calls to process and then answer with a dropped connection (default 1). */
  count?: number;
  operation?: string;
}

export interface LatencyOptions {
  /** Delay added before the call is handled; 0 removes the delay. */
  ms: number;
  /** Only this operation is slowed down; every call when absent. */
  operation?: string;
}

export interface FaultSnapshot {
  down: boolean;
  failures: { remaining: number; status: number; operation: string | null }[];
  drops: { remaining: number; operation: string | null }[];
  latencyMs: Record<string, number>;
}

export class FaultError extends Error {}

interface CountedRule {
  remaining: number;
  operation: string | undefined;
}

const ALL_OPERATIONS = '*';

export class FaultControls {
  private down = false;
  private failures: (CountedRule & { status: number })[] = [];
  private drops: CountedRule[] = [];
  private latency = new Map<string, number>();

  constructor(readonly operations: readonly string[]) {}

  failNext(options: FailOptions = {}): void {
    const status = options.status ?? 500;
    if (!Number.isInteger(status) || status < 400 || status > 599) {
      throw new FaultError('status must be an integer from 400 to 599');
    }
    this.failures.push({ ...this.countedRule(options), status });
  }

  dropNext(options: DropOptions = {}): void {
    this.drops.push(this.countedRule(options));
  }

  setLatency(options: LatencyOptions): void {
    if (!Number.isInteger(options.ms) || options.ms < 0) {
      throw new FaultError('ms must be a non-negative integer');
    }
    const key = this.checkedOperation(options.operation) ?? ALL_OPERATIONS;
    if (options.ms === 0) this.latency.delete(key);
    else this.latency.set(key, options.ms);
  }

  goDown(): void {
    this.down = true;
  }

  comeUp(): void {
    this.down = false;
  }

  reset(): void {
    this.down = false;
    this.failures = [];
    this.drops = [];
    this.latency.clear();
  }

  get isDown(): boolean {
    return this.down;
  }

  latencyFor(operation: string | undefined): number {
    return (operation && this.latency.get(operation)) || this.latency.get(ALL_OPERATIONS) || 0;
  }

  /** Consumes one matching failure rule; returns its status, or undefined when the call should succeed. */
  takeFailure(operation: string | undefined): number | undefined {
    const rule = takeMatching(this.failures, operation);
    return rule?.status;
  }

  takeDrop(operation: string | undefined): boolean {
    return takeMatching(this.drops, operation) !== undefined;
  }

  snapshot(): FaultSnapshot {
    return {
      down: this.down,
      failures: this.failures.map(({ remaining, status, operation }) => ({ remaining, status, operation: operation ?? null })),
      drops: this.drops.map(({ remaining, operation }) => ({ remaining, operation: operation ?? null })),
      latencyMs: Object.fromEntries(this.latency),
    };
  }

  private countedRule(options: { count?: number; operation?: string }): CountedRule {
    const count = options.count ?? 1;
    if (!Number.isInteger(count) || count < 1) throw new FaultError('count must be a positive integer');
    return { remaining: count, operation: this.checkedOperation(options.operation) };
  }

  private checkedOperation(operation: string | undefined): string | undefined {
    if (operation !== undefined && !this.operations.includes(operation)) {
      throw new FaultError(`unknown operation "${operation}"; known: ${this.operations.join(', ')}`);
    }
    return operation;
  }
}

function takeMatching<R extends CountedRule>(rules: R[], operation: string | undefined): R | undefined {
  const rule = rules.find((candidate) => candidate.operation === undefined || candidate.operation === operation);
  if (!rule) return undefined;
  rule.remaining -= 1;
  if (rule.remaining === 0) rules.splice(rules.indexOf(rule), 1);
  return rule;
}
