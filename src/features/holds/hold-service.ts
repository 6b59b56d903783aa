import type { Principal } from '../../platform/principal';
import { Problem } from '../../platform/problem';
import type { Hold, HoldRequest } from './hold';
import type { HoldStore, PlacementContext } from './hold-store';
import type { PartnerLimits } from './partner-limits';

/** A refused placement is re-tried when the refusal no longer holds (tickets freed, a race lost). */
const PLACEMENT_ATTEMPTS = 3;

export type Placed = { hold: Hold; replayed: boolean };

/** The partner whose holds the caller may touch; `null` for staff and admin, who may touch any. */
export const partnerScope = (principal: Principal): string | null =>
  principal.role === 'partner' ? principal.partnerId : null;

export const holdNotFound = (globalId: string) => new Problem('hold_not_found', `No hold has global_id '${globalId}'.`);

export const visibleTo = (hold: Hold | undefined, principal: Principal): hold is Hold => {
  const scope = partnerScope(principal);
  return hold !== undefined && (scope === null || hold.partner_id === scope);
};

/**
 * Another partner's `global_id`: said only when the hold would otherwise have been placed. Any refusal
 * (no listing, too few tickets, a bad split) is answered first, exactly as for an unused id, so that a
 * partner cannot probe which ids others use without placing a real hold.
 */
const idInUse = (globalId: string) => new Problem('global_id_conflict', `global_id '${globalId}' is already in use; ids are never reused.`);

function replayOrConflict(existing: Hold, request: HoldRequest): Placed {
  if (existing.remote_id !== request.remote_id || existing.quantity !== request.quantity) {
    throw new Problem(
      'global_id_conflict',
      `global_id '${request.global_id}' already holds ${existing.quantity} of listing '${existing.remote_id}'.`,
    );
  }
  return { hold: existing, replayed: true };
}

function refusal(context: Required<Pick<PlacementContext, 'listing'>>, request: HoldRequest): Problem | undefined {
  const { available, splits } = context.listing;
  if (splits && !splits.includes(request.quantity)) {
    return new Problem(
      'invalid_split',
      `Listing '${request.remote_id}' sells in quantities of ${splits.join(', ')}; ${request.quantity} would strand seats.`,
    );
  }
  if (available < request.quantity) {
    return new Problem(
      'insufficient_inventory',
      `Only ${available} ticket${available === 1 ? ' is' : 's are'} available; ${request.quantity} were requested.`,
      { available },
    );
  }
  return undefined;
}

const overHoldQuantity = (request: HoldRequest, limits: PartnerLimits) =>
  request.quantity > limits.maxHoldQuantity
    ? new Problem('hold_limit_reached', `One hold may take at most ${limits.maxHoldQuantity} tickets; ${request.quantity} were requested.`, {
        limit: limits.maxHoldQuantity,
      })
    : undefined;

const overHeldTickets = (partnerId: string, heldTickets: number, quantity: number, limits: PartnerLimits) =>
  new Problem(
    'hold_limit_reached',
    `Partner '${partnerId}' holds ${heldTickets} tickets in open holds; ${quantity} more would pass its limit of ` +
      `${limits.maxHeldTickets}. Release or invoice holds first.`,
    { limit: limits.maxHeldTickets, held_tickets: heldTickets },
  );

export class HoldService {
  constructor(
    private readonly holds: HoldStore,
    private readonly ttlSeconds: number,
    private readonly limitsOf: (partnerId: string) => PartnerLimits,
  ) {}

  async place(request: HoldRequest, principal: Principal): Promise<Placed> {
    const partnerId = principal.partnerId as string;
    const limits = this.limitsOf(partnerId);
    let lastRefusal: Problem | undefined;
    for (let attempt = 0; attempt < PLACEMENT_ATTEMPTS; attempt++) {
      const placed = await this.holds.place({
        globalId: request.global_id,
        partnerId,
        remoteId: request.remote_id,
        quantity: request.quantity,
        ttlSeconds: this.ttlSeconds,
        actor: principal.actor,
        limits,
      });
      if (placed && 'heldTickets' in placed) throw overHeldTickets(partnerId, placed.heldTickets, request.quantity, limits);
      if (placed) return { hold: placed, replayed: false };

      const context = await this.holds.placementContext(request.global_id, request.remote_id);
      if (context.hold?.partner_id === partnerId) return replayOrConflict(context.hold, request);
      if (!context.listing) throw new Problem('listing_not_found', `No listing has remote_id '${request.remote_id}'.`);
      lastRefusal = overHoldQuantity(request, limits) ?? refusal({ listing: context.listing }, request);
      if (context.hold && !lastRefusal) throw idInUse(request.global_id);
      if (lastRefusal?.code === 'invalid_split' || lastRefusal?.code === 'hold_limit_reached') throw lastRefusal;
      // Expired holds stop counting at their expiry, swept or not: reclaim them before saying no.
      if (lastRefusal && (await this.holds.expireDue(request.remote_id)) === 0) throw lastRefusal;
    }
    throw lastRefusal ?? new Problem('insufficient_inventory', 'The tickets were taken while this hold was placed.', { available: 0 });
  }

  async release(globalId: string, principal: Principal): Promise<Hold> {
    const released = await this.holds.release(globalId, partnerScope(principal), principal.actor);
    if (released) return released;
    const existing = await this.holds.find(globalId);
    if (!visibleTo(existing, principal)) throw holdNotFound(globalId);
    if (existing.status === 'invoiced') {
      throw new Problem('already_invoiced', `Hold '${globalId}' was invoiced; its tickets are sold and cannot be released.`);
    }
    if (existing.status === 'cancelled') {
      throw new Problem('already_invoiced', `Hold '${globalId}' was invoiced, then cancelled; its tickets went back with the cancellation.`);
    }
    return existing;
  }
}
