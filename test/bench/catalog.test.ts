import { catalogFor, hotListingId, LISTING_COUNT, listingId } from '../../bench/catalog';

describe('bench catalog', () => {
  describe('when a run loads the hot scenario for 43 s per side', () => {
    it('then it seeds the ordinary listings and enough hot ones for 20 000 holds/s, 100 000 tickets each', () => {
      const { listingIds } = catalogFor(43);

      expect(listingIds).toHaveLength(LISTING_COUNT + 9);
      expect(listingIds[0]).toBe(listingId(0));
      expect(listingIds.at(-1)).toBe(hotListingId(8));
      expect(new Set(listingIds).size).toBe(listingIds.length);
    });
  });
});
