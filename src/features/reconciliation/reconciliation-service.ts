import type { Logger } from 'pino';
import { type BreakerSettings, TargetBreaker } from '../../downstream/circuit-breaker';
import { BreakerOpenError, DownstreamError } from '../../downstream/downstream-error';
import type { DownstreamSettings } from '../../downstream/downstream-settings';
import { SalesVuClient } from '../../downstream/salesvu/salesvu-client';
import { TessituraClient } from '../../downstream/tessitura/tessitura-client';
import { type CheckContext, checkFor, type DeliveryChecks } from './delivery-checks';
import {
  type DeliveredRecord,
  type Finding,
  NotCheckableError,
  RECONCILED_TARGETS,
  type ReconciliationReport,
  type ReconciliationWindow,
} from './reconciliation';
import type { PagePosition, ReconciliationStore } from './reconciliation-store';
import { returnChecks } from './return-checks';
import { type ReadRecord, RunTally } from './run-tally';
import { salesVuSaleCheck } from './salesvu-checks';
import { NO_RETURNED_STATUSES, tessituraSaleCheck } from './tessitura-checks';

/** Deliveries read from the database at a time. */
const PAGE_SIZE = 200;
/** Calls in flight to one system at a time. */
const CONCURRENCY_PER_TARGET = 4;

const OUT_OF_TIME = 'The time to answer ran out first: ask for a narrower window, or run npm run cli -- reconcile (no time limit).';

/** The systems a run asks, and each call's time limit. */
export type ReconciliationDownstream = Pick<DownstreamSettings, 'tessitura' | 'salesvu' | 'timeoutMs'>;

/**
 * Sales and returns, in both systems. Tessitura's returned tickets are told by the order's amounts until a
 * venue's returned status ids are known (TessituraReturnRecognition).
 */
export const RECONCILIATION_CHECKS: DeliveryChecks = {
  sale: { tessitura: tessituraSaleCheck(NO_RETURNED_STATUSES), salesvu: salesVuSaleCheck },
  return: returnChecks(NO_RETURNED_STATUSES),
};

/**
 * The clients need a breaker; a run's never opens. The run decides itself when a system is unreachable
 * (see RunTally), since a lost SalesVu order is a refusal, an HTTP 200 a breaker would count as a failure.
 */
const NEVER_OPENS: BreakerSettings = {
  volumeThreshold: Number.MAX_SAFE_INTEGER,
  errorThresholdPercentage: 100,
  resetTimeoutMs: 1_000,
  rollingCountTimeoutMs: 10_000,
};

export type RunOptions = {
  /** Who asked: an API key's actor, or `system:cli`. */
  actor: string;
  /** Aborted when the run must end (an HTTP request's deadline): what is left is reported `out_of_time`. */
  signal?: AbortSignal;
};

/** Runs `work` over `items`, at most `limit` at a time. */
async function eachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/**
 * Reconciliation (design 5): every sale (and, once checked, return) delivered to Tessitura or SalesVu in
 * a window is compared with what that system holds now; each disagreement is a mismatch of a kind. A
 * system that cannot be asked leaves its deliveries unchecked, never reported as mismatches. Each run is
 * recorded for the metrics.
 */
export class ReconciliationService {
  constructor(
    private readonly store: ReconciliationStore,
    private readonly downstream: ReconciliationDownstream,
    private readonly logger: Logger,
    private readonly checks: DeliveryChecks = RECONCILIATION_CHECKS,
  ) {}

  async run(window: ReconciliationWindow, options: RunOptions): Promise<ReconciliationReport> {
    const startedAt = new Date();
    const signal = options.signal ?? new AbortController().signal;
    const tally = new RunTally();
    const tessituraBreaker = new TargetBreaker('tessitura', this.logger, NEVER_OPENS);
    const salesVuBreaker = new TargetBreaker('salesvu', this.logger, NEVER_OPENS);
    const context: CheckContext = {
      tessitura: new TessituraClient(this.downstream.tessitura, tessituraBreaker, this.downstream.timeoutMs),
      salesvu: new SalesVuClient(this.downstream.salesvu, salesVuBreaker, this.downstream.timeoutMs),
      signal,
    };
    const withReturns = this.checks.return !== undefined;
    const checked = (record: Pick<DeliveredRecord, 'kind' | 'target'>) => checkFor(this.checks, record) !== undefined;
    try {
      let after: PagePosition | undefined;
      for (;;) {
        if (signal.aborted) {
          // Out of time: what is left is counted, not read (reading on could outlast a request's deadline).
          for (const left of await this.store.countDelivered(window, { withReturns, after })) {
            if (checked(left)) tally.uncheckedCount(left.target, 'out_of_time', left.deliveries, OUT_OF_TIME);
          }
          break;
        }
        const page = await this.store.deliveredPage(window, { withReturns, after, limit: PAGE_SIZE });
        const records = page.records.filter(checked).map((record) => tally.read(record));
        await Promise.all(
          RECONCILED_TARGETS.map((target) =>
            eachLimited(
              records.filter((record) => record.target === target),
              CONCURRENCY_PER_TARGET,
              (record) => this.checkOne(record, context, tally),
            ),
          ),
        );
        if (!page.last || page.records.length < PAGE_SIZE) break;
        after = page.last;
      }
    } finally {
      tessituraBreaker.shutdown();
      salesVuBreaker.shutdown();
    }
    const report = tally.report(window);
    await this.store.recordRun({ window, startedAt, actor: options.actor, ...tally.counts() });
    const level = report.mismatches.length > 0 || report.unchecked.length > 0 ? 'warn' : 'info';
    this.logger[level]({ from: report.from, to: report.to, ...tally.counts(), actor: options.actor }, 'reconciliation finished');
    return report;
  }

  private async checkOne(record: ReadRecord, context: CheckContext, tally: RunTally): Promise<void> {
    const { target } = record;
    if (context.signal.aborted) return tally.unchecked(record, 'out_of_time', OUT_OF_TIME);
    const unreachable = tally.unreachable(target);
    if (unreachable) return tally.unchecked(record, 'unreachable', unreachable);
    let findings: Finding[];
    try {
      findings = await (checkFor(this.checks, record) as NonNullable<ReturnType<typeof checkFor>>)(record, context);
    } catch (err) {
      if (context.signal.aborted) return tally.unchecked(record, 'out_of_time', OUT_OF_TIME);
      if (err instanceof NotCheckableError) return tally.unchecked(record, err.reason, err.message);
      if (err instanceof DownstreamError || err instanceof BreakerOpenError) return tally.failed(record, err.message);
      throw err;
    }
    tally.checked(record, findings);
  }
}
