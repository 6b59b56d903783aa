import type { PartnerMapping } from '../../platform/config';

/** A partner's downstream settings: its own entry, else the `*` entry, else none. */
export function partnerMapping(mappings: Record<string, PartnerMapping>, partnerId: string): PartnerMapping {
  return mappings[partnerId] ?? mappings['*'] ?? {};
}
