import type { Principal } from '../../platform/principal';
import { Problem } from '../../platform/problem';
import type { Hold, HoldRequest } from './hold';
import type { HoldStore, PlacementContext } from './hold-store';

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

function replayOrConflict(existing: Hold, request: HoldRequest, partnerId: string): Placed {
  if (existing.partner_id !== partnerId) {
    throw new Problem('global_id_conflict', `global_id '${request.global_id}' is already in use; ids are never reused.`);
  }
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

export class HoldService {
  constructor(
    private readonly holds: HoldStore,
    private readonly ttlSeconds: number,
  ) {}

  async place(request: HoldRequest, principal: Principal): Promise<Placed> {
    const partnerId = principal.partnerId as string;
    let lastRefusal: Problem | undefined;
    for (let attempt = 0; attempt < PLACEMENT_ATTEMPTS; attempt++) {
      const hold = await this.holds.place({
        globalId: request.global_id,
        partnerId,
        remoteId: request.remote_id,
        quantity: request.quantity,
        ttlSeconds: this.ttlSeconds,
        actor: principal.actor,
      });
      if (hold) return { hold, replayed: false };

      const context = await this.holds.placementContext(request.global_id, request.remote_id);
      if (context.hold) return replayOrConflict(context.hold, request, partnerId);
      if (!context.listing) throw new Problem('listing_not_found', `No listing has remote_id '${request.remote_id}'.`);
      lastRefusal = refusal({ listing: context.listing }, request);
      if (lastRefusal?.code === 'invalid_split') throw lastRefusal;
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
    return existing;
  }
}
