import type { components } from '../../generated/openapi';
import type { OperationQuery } from '../../platform/operation-query';
import type { Principal } from '../../platform/principal';

export type ListingInput = components['schemas']['ListingInput'];
export type Listing = components['schemas']['Listing'];
export type ListingWrite = ListingInput & { remote_id: string };
export type ListingPage = components['schemas']['ListingPage'];
export type ListingQuery = OperationQuery<'listListings', 'limit'>;

/** What a partner is shown of a listing: no downstream mapping (the venue's Tessitura and SalesVu ids). */
export function partnerListingView({ tessitura: _tessitura, salesvu: _salesvu, ...listing }: Listing): Listing {
  return listing;
}

/** The listing as this caller may read it. */
export const listingViewFor = (principal: Principal): ((listing: Listing) => Listing) =>
  principal.role === 'partner' ? partnerListingView : (listing) => listing;
