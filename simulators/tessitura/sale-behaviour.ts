import { AdminInputError } from '../shared/admin-router';

/**
 * How the next checkouts end, besides `SaveComplete`: `SaveInProgress` (the order is saved, but the
 * session shows it only after `reads` more reads of the session) or `Error` (nothing saved).
 */
export type CheckoutOutcome = { status: 'SaveInProgress'; reads: number } | { status: 'Error'; message: string };

export interface CheckoutOutcomeOptions {
  status: 'SaveInProgress' | 'Error';
  /** SaveInProgress: session reads until the save completes (default 2). */
  reads?: number;
  /** Error: Tessitura's message (default a generic one). */
  message?: string;
  /** How many checkouts end so (default 1). */
  count?: number;
}

export interface ShortReservationOptions {
  /** How many seats fewer than asked each reservation gets (default 1). */
  by?: number;
  /** How many reservations are short (default 1). */
  count?: number;
}

interface Counted<T> {
  remaining: number;
  rule: T;
}

const DEFAULT_ERROR_MESSAGE = 'The order could not be saved';

/** Outcomes Tessitura documents but a healthy simulator never produces, told to it by tests and the demo. */
export class SaleBehaviour {
  private checkouts: Counted<CheckoutOutcome>[] = [];
  private shortReservations: Counted<number>[] = [];

  endCheckouts(options: CheckoutOutcomeOptions): void {
    const remaining = countOf(options.count);
    if (options.status === 'SaveInProgress') {
      this.checkouts.push({ remaining, rule: { status: 'SaveInProgress', reads: wholeNumber(options.reads ?? 2, 'reads', 1) } });
    } else if (options.status === 'Error') {
      if (options.message !== undefined && typeof options.message !== 'string') throw new AdminInputError('message must be a string');
      this.checkouts.push({ remaining, rule: { status: 'Error', message: options.message ?? DEFAULT_ERROR_MESSAGE } });
    } else {
      throw new AdminInputError('status must be SaveInProgress or Error');
    }
  }

  shortenReservations(options: ShortReservationOptions = {}): void {
    this.shortReservations.push({ remaining: countOf(options.count), rule: wholeNumber(options.by ?? 1, 'by', 1) });
  }

  /** The outcome of this checkout; undefined for a normal `SaveComplete`. */
  takeCheckoutOutcome(): CheckoutOutcome | undefined {
    return take(this.checkouts);
  }

  /** How many seats this reservation falls short by (0: none). */
  takeShortfall(): number {
    return take(this.shortReservations) ?? 0;
  }

  reset(): void {
    this.checkouts = [];
    this.shortReservations = [];
  }

  snapshot() {
    return {
      checkoutOutcomes: this.checkouts.map(({ remaining, rule }) => ({ remaining, ...rule })),
      shortReservations: this.shortReservations.map(({ remaining, rule }) => ({ remaining, by: rule })),
    };
  }
}

function take<T>(rules: Counted<T>[]): T | undefined {
  const [first] = rules;
  if (!first) return undefined;
  first.remaining -= 1;
  if (first.remaining === 0) rules.shift();
  return first.rule;
}

function countOf(count: unknown): number {
  return wholeNumber(count ?? 1, 'count', 1);
}

function wholeNumber(value: unknown, name: string, min: number): number {
  if (!Number.isInteger(value) || (value as number) < min) throw new AdminInputError(`${name} must be an integer of at least ${min}`);
  return value as number;
}
