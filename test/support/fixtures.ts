import type { ListingInput } from '../../src/features/listings/listing';

let sequence = 0;

/** A unique id with a readable prefix, so that tests never collide within one database. */
export const uniqueId = (prefix: string): string => `${prefix}-${process.pid}-${++sequence}`;

export function listingInput(overrides: Partial<ListingInput> = {}): ListingInput {
  return {
    event: { id: 'evt-hamlet-0312', name: 'Hamlet', venue: 'Main Stage', occurs_at: '2027-03-12T19:30:00-05:00' },
    section: 'Orchestra',
    row: 'F',
    quantity: 10,
    price: { amount: '125.00', currency: 'USD' },
    ...overrides,
  };
}
