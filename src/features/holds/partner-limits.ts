/** What one partner may hold: tickets in one hold, and tickets in all its open holds together. */
export type PartnerLimits = { maxHoldQuantity: number; maxHeldTickets: number };

/** `PARTNER_LIMITS` as configured: per partner_id, or `*` for partners without an entry, either limit or both. */
export type ConfiguredPartnerLimits = Record<string, { max_hold_quantity?: number; max_held_tickets?: number }>;

/** The built-in limits, for what `PARTNER_LIMITS` leaves out. */
export const DEFAULT_PARTNER_LIMITS: PartnerLimits = { maxHoldQuantity: 50, maxHeldTickets: 20_000 };

/** Each partner's limits: its own entry, else `*`'s, else the built-in ones, limit by limit. */
export function partnerLimits(configured: ConfiguredPartnerLimits = {}): (partnerId: string) => PartnerLimits {
  const resolve = (partnerId: string): PartnerLimits => {
    const own = configured[partnerId] ?? {};
    const fallback = configured['*'] ?? {};
    return {
      maxHoldQuantity: own.max_hold_quantity ?? fallback.max_hold_quantity ?? DEFAULT_PARTNER_LIMITS.maxHoldQuantity,
      maxHeldTickets: own.max_held_tickets ?? fallback.max_held_tickets ?? DEFAULT_PARTNER_LIMITS.maxHeldTickets,
    };
  };
  return resolve;
}
