import type { SalesVuClient } from '../../downstream/salesvu/salesvu-client';
import type { TessituraClient } from '../../downstream/tessitura/tessitura-client';
import type { DeliveredRecord, Finding, ReconciledTarget } from './reconciliation';

/** What a check may ask, and the run's signal (its deadline, if any). */
export type CheckContext = { tessitura: TessituraClient; salesvu: SalesVuClient; signal: AbortSignal };

/**
 * Compares one delivered delivery with what its system holds now: the mismatches found (none: it agrees).
 * It throws when it cannot tell (the system failed to answer: a DownstreamError; a NotCheckableError).
 */
export type DeliveryCheck = (record: DeliveredRecord, context: CheckContext) => Promise<Finding[]>;

/**
 * The checks of a run, per kind of delivery and system. Returns are checked only when `return` is given
 * (see return-checks.ts); a system without a return check leaves its returns out.
 */
export type DeliveryChecks = {
  sale: Record<ReconciledTarget, DeliveryCheck>;
  return?: Partial<Record<ReconciledTarget, DeliveryCheck>>;
};

export const checkFor = (checks: DeliveryChecks, record: Pick<DeliveredRecord, 'kind' | 'target'>): DeliveryCheck | undefined =>
  record.kind === 'sale' ? checks.sale[record.target] : checks.return?.[record.target];
