/**
 * A plain in-memory model of one run's listings and holds: what docs/design.md sections 2-4 and the OpenAPI
 * document say each partner call must answer, and what it must do to the counters. Each method answers
 * the expected outcome and applies the change, the way the gateway should.
 *
 * Expiry is modelled as the gateway implements it: a hold past `expires_at` keeps its row `held` (and its
 * tickets in `held`) until something closes it: the sweeper, a release (which answers `expired`), a
 * hold request on its listing that is short of tickets, or a change of the listing (both reclaim the
 * listing's expired holds first).
 *
 * One listing of each run (`startedListingId`) is for an event that has begun: partners may no longer cancel
 * its sales, staff may.
 */
export type HoldStatus = 'held' | 'released' | 'expired' | 'invoiced' | 'cancelled';

export type ModelListing = { quantity: number; held: number; sold: number; splits: number[] | null };

export type ModelInvoice = { orderId: string; customerName: string | null };

export type ModelCancellation = { reason: string; restock: boolean };

export type ModelHold = {
  globalId: string;
  partner: number;
  remoteId: string;
  quantity: number;
  status: HoldStatus;
  pastExpiry: boolean;
  invoice?: ModelInvoice;
  cancellation?: ModelCancellation;
};

export type HoldRequest = { partner: number; globalId: string; remoteId: string; quantity: number };

/** Who calls: a partner by index, or a staff key (which may release any partner's hold). */
export type Caller = number | 'staff';

export type Outcome = { status: number; code?: string; available?: number; holdStatus?: HoldStatus; note?: string };

export const available = (listing: ModelListing): number => listing.quantity - listing.held - listing.sold;

export class LedgerModel {
  readonly listings = new Map<string, ModelListing>();
  readonly holds = new Map<string, ModelHold>();
  /** Every hold request made in this run, answered or refused, in order: replays pick from here. */
  readonly holdRequests: HoldRequest[] = [];
  private holdCount = 0;

  constructor(
    readonly runId: string,
    readonly eventId: string,
    readonly listingIds: string[],
    readonly startedListingId: string,
  ) {}

  freshGlobalId(): string {
    return `${this.runId}-h${++this.holdCount}`;
  }

  putListing(remoteId: string, quantity: number, splits: number[] | null): Outcome {
    const listing = this.listings.get(remoteId);
    if (!listing) {
      this.listings.set(remoteId, { quantity, held: 0, sold: 0, splits });
      return { status: 201 };
    }
    this.expireDue(remoteId);
    if (quantity < listing.held + listing.sold) return { status: 409, code: 'quantity_below_committed' };
    Object.assign(listing, { quantity, splits });
    return { status: 200 };
  }

  placeHold(request: HoldRequest): Outcome {
    this.holdRequests.push(request);
    const existing = this.holds.get(request.globalId);
    if (existing?.partner === request.partner) {
      const same = existing.remoteId === request.remoteId && existing.quantity === request.quantity;
      return same ? { status: 200, holdStatus: existing.status } : { status: 409, code: 'global_id_conflict' };
    }
    const listing = this.listings.get(request.remoteId);
    if (!listing) return { status: 404, code: 'listing_not_found' };
    if (listing.splits && !listing.splits.includes(request.quantity)) return { status: 409, code: 'invalid_split' };
    const reclaimed = available(listing) < request.quantity ? this.expireDue(request.remoteId) : 0;
    const note = reclaimed > 0 ? 'after reclaiming expired holds' : undefined;
    if (available(listing) < request.quantity) {
      return { status: 409, code: 'insufficient_inventory', available: available(listing), note };
    }
    // Another partner's id is said only once the hold would be placed (no probing ids by refusals).
    if (existing) return { status: 409, code: 'global_id_conflict', note: 'another partner\'s id' };
    listing.held += request.quantity;
    this.holds.set(request.globalId, { ...request, status: 'held', pastExpiry: false });
    return { status: 201, holdStatus: 'held', note };
  }

  release(caller: Caller, globalId: string): Outcome {
    const hold = this.holds.get(globalId);
    if (!hold || (caller !== 'staff' && caller !== hold.partner)) return { status: 404, code: 'hold_not_found' };
    if (hold.status === 'invoiced' || hold.status === 'cancelled') return { status: 409, code: 'already_invoiced' };
    if (hold.status === 'held') this.close(hold, hold.pastExpiry ? 'expired' : 'released');
    return { status: 200, holdStatus: hold.status };
  }

  invoice(partner: number, globalId: string, invoice: ModelInvoice): Outcome {
    const hold = this.holds.get(globalId);
    if (!hold || hold.partner !== partner) return { status: 404, code: 'hold_not_found' };
    if (hold.invoice) {
      const same = hold.invoice.orderId === invoice.orderId && hold.invoice.customerName === invoice.customerName;
      if (!same) return { status: 409, code: 'order_id_conflict' };
      return hold.status === 'cancelled' ? { status: 200, holdStatus: 'cancelled' } : { status: 200 };
    }
    if (hold.status === 'released') return { status: 409, code: 'hold_released' };
    if (hold.status === 'expired' || hold.pastExpiry) return { status: 410, code: 'hold_expired' };
    this.close(hold, 'invoiced');
    hold.invoice = invoice;
    return { status: 201 };
  }

  /**
   * Cancels a sale: a partner only its own, with restock, before its event; staff any. A repeat with the
   * same reason and restock is a 200, with another a conflict; the tickets go back to available, or out of
   * quantity without restock.
   */
  cancel(caller: Caller, globalId: string, request: ModelCancellation): Outcome {
    if (caller !== 'staff' && !request.restock) return { status: 403, code: 'restock_forbidden' };
    const hold = this.holds.get(globalId);
    if (!hold || (caller !== 'staff' && caller !== hold.partner)) return { status: 404, code: 'hold_not_found' };
    if (hold.cancellation) {
      const same = hold.cancellation.reason === request.reason && hold.cancellation.restock === request.restock;
      return same ? { status: 200, holdStatus: 'cancelled' } : { status: 409, code: 'cancellation_conflict' };
    }
    if (hold.status !== 'invoiced') return { status: 409, code: 'not_invoiced' };
    if (caller !== 'staff' && hold.remoteId === this.startedListingId) return { status: 409, code: 'event_started' };
    const listing = this.listings.get(hold.remoteId) as ModelListing;
    listing.sold -= hold.quantity;
    if (!request.restock) listing.quantity -= hold.quantity;
    hold.status = 'cancelled';
    hold.cancellation = request;
    const by = caller === 'staff' ? 'by staff' : 'by partner';
    return { status: 201, holdStatus: 'cancelled', note: request.restock ? by : `${by} without restock` };
  }

  /** The holds sold (invoiced, cancelled since or not). */
  soldHolds(): ModelHold[] {
    return [...this.holds.values()].filter((hold) => hold.invoice !== undefined);
  }

  /** Time passes for one hold: it is now past its `expires_at` (nothing else changes until it is closed). */
  pastExpiry(globalId: string): void {
    (this.holds.get(globalId) as ModelHold).pastExpiry = true;
  }

  /** The sweeper ran: every hold past its expiry returns its tickets. Answers how many did. */
  sweep(): number {
    return this.expireDue();
  }

  liveHolds(): ModelHold[] {
    return [...this.holds.values()].filter((hold) => hold.status === 'held' && !hold.pastExpiry);
  }

  /** Closes the holds past their expiry, of one listing or of all; answers how many. */
  private expireDue(remoteId?: string): number {
    const due = [...this.holds.values()].filter(
      (hold) => hold.status === 'held' && hold.pastExpiry && (remoteId === undefined || hold.remoteId === remoteId),
    );
    for (const hold of due) this.close(hold, 'expired');
    return due.length;
  }

  private close(hold: ModelHold, status: Exclude<HoldStatus, 'held'>): void {
    const listing = this.listings.get(hold.remoteId) as ModelListing;
    listing.held -= hold.quantity;
    if (status === 'invoiced') listing.sold += hold.quantity;
    hold.status = status;
  }
}
