import type { components } from '../../generated/openapi';
import type { Acknowledgment } from '../deliveries/delivery';

export type ReconciliationReport = components['schemas']['ReconciliationReport'];
export type Mismatch = components['schemas']['ReconciliationMismatch'];
export type MismatchKind = components['schemas']['ReconciliationMismatchKind'];
export type Unchecked = components['schemas']['ReconciliationUnchecked'];
export type UncheckedReason = Unchecked['reason'];
/** The systems of record a sale is delivered to, and checked against. */
export type ReconciledTarget = Mismatch['target'];

export const RECONCILED_TARGETS: readonly ReconciledTarget[] = ['tessitura', 'salesvu'];
export const MISMATCH_KINDS: readonly MismatchKind[] = [
  'missing_order',
  'quantity_mismatch',
  'tickets_mismatch',
  'gateway_key_missing',
  'tessitura_order_mismatch',
  'order_not_completed',
  'not_returned',
];

/** The deliveries delivered in `[from, to)` are reconciled. */
export type ReconciliationWindow = { from: Date; to: Date };

/** A sale's (or a return's) delivery to one system, delivered, with what its checks compare. */
export type DeliveredRecord = {
  id: number;
  global_id: string;
  target: ReconciledTarget;
  kind: 'sale' | 'return';
  /** Tickets sold (the hold's quantity). */
  quantity: number;
  acknowledgment: Acknowledgment;
  /** A return's: the acknowledgment of the sale it returns, by the same system. */
  sale_acknowledgment: Acknowledgment | null;
  /** The sale's Tessitura acknowledgment (SalesVu keeps Tessitura's order id). */
  tessitura_acknowledgment: Acknowledgment | null;
  /** The sale's return to this system was delivered: the sale's tickets are the return check's business. */
  returned: boolean;
};

/** What one check found wrong with one delivery (the service adds whose it is). */
export type Finding = Omit<Mismatch, 'global_id' | 'target'>;

/** A delivery its check could not compare, for a reason that is not the system failing (a missing store key). */
export class NotCheckableError extends Error {
  constructor(
    readonly reason: UncheckedReason,
    message: string,
  ) {
    super(message);
    this.name = 'NotCheckableError';
  }
}
