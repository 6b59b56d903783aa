/**
 * The listings each run seeds, identically on both sides: a spread of ordinary listings that random
 * holds land on, and a few "hot" ones that take every hold of the hot scenario, one after the other.
 */
export const LISTING_COUNT = 5000;

/** The most tickets the API lets one listing have; holds take one ticket each. */
export const LISTING_QUANTITY = 100_000;

/**
 * A hold rate no single listing will reach on one machine. The hot scenario moves to the next hot listing
 * every LISTING_QUANTITY requests; seeding enough of them for this rate means it never runs out.
 */
const HOT_RATE_CEILING = 20_000;

export const listingId = (index: number): string => `bench-${index}`;
export const hotListingId = (index: number): string => `bench-hot-${index}`;

export type Catalog = { listingIds: string[] };

/** Every listing to seed, for a run whose hot scenario loads each side for `hotSeconds` in all. */
export function catalogFor(hotSeconds: number): Catalog {
  const hotCount = Math.ceil((hotSeconds * HOT_RATE_CEILING) / LISTING_QUANTITY);
  return {
    listingIds: [
      ...Array.from({ length: LISTING_COUNT }, (_, i) => listingId(i)),
      ...Array.from({ length: hotCount }, (_, i) => hotListingId(i)),
    ],
  };
}
